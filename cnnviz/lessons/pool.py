"""The lessons of the pooling layers: max, mean and Lp pooling and Bouvrie's trainable
subsampling (β·down(x) + b). Each explains its output over a k×k window, its input gradient
(up(δ): routed to the argmax, spread as δ/n², times ∂‖x‖ₚ/∂xᵢ, or β·δ) and the δ of an
activation below it; subsampling also its ∂E/∂β.

Pure NumPy: no Qt here.
"""

from __future__ import annotations

import numpy as np

from cnnviz.engine import AvgPool2D, LpPool2D, MaxPool2D, Network, Subsampling
from cnnviz.i18n import QT_TRANSLATE_NOOP, translate

from .explanation import (
    Calc,
    Explanation,
    batch_note,
    explanation,
    f64,
    fit,
    largest,
    map_name,
    need,
    of_sample,
    split_by_sample,
)
from .numbers import idx, num, par, shape_text
from .references import cite
from .registry import Below, LayerLesson, lesson

POOL_FORWARD = cite(
    (
        "han2017",
        QT_TRANSLATE_NOOP(
            "lessons", "“Pooling层输出值的计算” (a pooling layer's output): max and mean pooling"
        ),
    ),
    ("zhou1", QT_TRANSLATE_NOOP("lessons", "pooling layers")),
)
LP_FORWARD = cite(
    ("cnn-backprop", QT_TRANSLATE_NOOP("lessons", "§4.2: Lp pooling ‖x‖ₚ = (Σ |xₖ|ᵖ)^(1/p)"))
)
SUBSAMPLE_FORWARD = cite(
    (
        "bouvrie",
        QT_TRANSLATE_NOOP("lessons", "§3.2 Sub-sampling layers: xⱼˡ = f(βⱼˡ · down(xⱼˡ⁻¹) + bⱼˡ)"),
    ),
    ("lecun1998", QT_TRANSLATE_NOOP("lessons", "LeNet-5's trainable subsampling S2, S4")),
)
MAX_BACK = cite(
    (
        "han2017",
        QT_TRANSLATE_NOOP("lessons", "“Max Pooling误差项的传递” (the error through max pooling)"),
    ),
    ("zhou2", QT_TRANSLATE_NOOP("lessons", "backpropagation through max pooling")),
    ("cnn-backprop", QT_TRANSLATE_NOOP("lessons", "§4.2")),
)
MEAN_BACK = cite(
    (
        "han2017",
        QT_TRANSLATE_NOOP(
            "lessons",
            "“Mean Pooling误差项的传递” (the error through mean pooling): δˡ⁻¹ = δˡ ⊗ "
            "(1/n²)ₙₓₙ, the Kronecker product",
        ),
    ),
)
LP_BACK = cite(
    (
        "cnn-backprop",
        QT_TRANSLATE_NOOP("lessons", "§4.2: ∂g/∂xᵢ = (Σₖ |xₖ|ᵖ)^(1/p − 1) · |xᵢ|^(p−1)"),
    )
)
SUBSAMPLE_BACK = cite(
    (
        "bouvrie",
        QT_TRANSLATE_NOOP("lessons", "§3.1.1: δⱼˡ = βⱼˡ⁺¹ (f′(uⱼˡ) ∘ up(δⱼˡ⁺¹)), up(x) = x ⊗ 1ₙₓₙ"),
    ),
)
BETA = cite(
    ("bouvrie", QT_TRANSLATE_NOOP("lessons", "§3.2.1: ∂E/∂βⱼ = Σᵤᵥ (δⱼ ∘ dⱼ)ᵤᵥ, dⱼ = down(xⱼˡ⁻¹)"))
)
POOL_UP = cite(
    (
        "bouvrie",
        QT_TRANSLATE_NOOP(
            "lessons", "§3.1.1: a convolution followed by pooling, δˡ = up(δˡ⁺¹) ∘ f′(uˡ)"
        ),
    ),
    ("han2017", QT_TRANSLATE_NOOP("lessons", "the error through max and mean pooling")),
)


def window_cells(L, i: int, j: int) -> list[tuple[int, int]]:
    """The input (row, col) of the k×k window of output (i, j), in reading order."""
    r0, c0 = i * L.stride, j * L.stride
    return [(r0 + a, c0 + b) for a in range(L.k) for b in range(L.k)]


def windows_covering(U, r: int, q: int) -> list[tuple[int, int, int, int]]:
    """Output positions (i, j) whose window covers input (r, q), and the offset in it."""
    ho, wo = U.out_hw
    S, k = U.stride, U.k
    out = []
    for i in range(ho):
        a = r - i * S
        if not 0 <= a < k:
            continue
        for j in range(wo):
            b = q - j * S
            if 0 <= b < k:
                out.append((i, j, a, b))
    return out


class PoolLesson(LayerLesson):
    """What the pooling kinds share: the window of an output and the windows over an input."""

    up_formula = "δˡ = up(δˡ⁺¹) ∘ f′(uˡ)"

    def forward(self, L, s: int, pos, engine: float) -> Explanation:
        c, i, j = pos
        cells = window_cells(L, i, j)
        win = f64([L.x[s][c, r, q] for r, q in cells])
        names = [f"x[{c}, {r}, {q}]" for r, q in cells]
        return self.pool_forward(L, s, pos, engine, win, names)

    def pool_forward(self, L, s, pos, engine, win, names) -> Explanation:
        raise NotImplementedError

    def input_grad(self, net: Network, j: int, s: int, pos) -> Calc:
        U = net.layers[j]
        need(U, "dy")
        d = f64(U.dy[s])
        c, r, q = pos
        return self.pool_input_grad(U, s, d, pos, windows_covering(U, r, q))

    def pool_input_grad(self, U, s, d, pos, wins) -> Calc:
        raise NotImplementedError

    def delta_below(self, layer) -> Below:
        return Below(
            translate("lessons", "A convolution followed by pooling: δ = up(δˡ⁺¹) ∘ f′(u)"),
            self.up_formula,
            POOL_UP,
            QT_TRANSLATE_NOOP(
                "lessons", "The pooling backward phase gave up(δ); this phase multiplies by f′(u)."
            ),
        )


@lesson(MaxPool2D)
class MaxPoolLesson(PoolLesson):
    forward_rule = QT_TRANSLATE_NOOP(
        "lessons", "y[c, i, j] = max of x[c, iS+p, jS+q] over the k×k window"
    )
    backward_rules = (
        QT_TRANSLATE_NOOP("lessons", "∂E/∂x = δ[c, i, j] at the argmax of window (i, j), else 0"),
    )
    sources = (POOL_FORWARD, MAX_BACK)
    up_formula = QT_TRANSLATE_NOOP(
        "lessons", "δˡ = up(δˡ⁺¹) ∘ f′(uˡ)   (up routes each δ to its window's argmax)"
    )

    def pool_forward(self, L, s, pos, engine, win, names) -> Explanation:
        k = L.k
        w = int(np.argmax(win))
        value = float(win[w])
        listed = ", ".join(num(v) for v in win)
        return explanation(
            POOL_FORWARD,
            title=translate("lessons", "Max pooling keeps the largest input of each window"),
            formula=translate(
                "lessons", "y[c, i, j] = max of x[c, iS+p, jS+q] over the {k}×{k} window (S = {S})"
            ).format(k=k, S=L.stride),
            instance=f"y{idx(pos)} = max({listed}) = {num(value)}"
            + translate("lessons", ": {winner} wins").format(winner=names[w]),
            terms=list(zip(names, win.tolist(), strict=True)),
            value=value,
            engine_value=engine,
            position=pos,
            where=map_name(L, translate("lessons", "output"), L.out_shape, s),
            note=translate(
                "lessons", "The winner {winner} is remembered: backward routes δ{pos} to it."
            ).format(winner=names[w], pos=idx(pos)),
            scale=abs(value),
        )

    def pool_input_grad(self, U, s, d, pos, wins) -> Calc:
        c = pos[0]
        k = U.k
        need(U, "argmax")
        am = U.argmax[s]
        terms, parts, value, scale = [], [], 0.0, 0.0
        for i, j, a, b in wins:
            won = int(am[c, i, j]) == a * k + b
            g = float(d[c, i, j])
            terms.append((f"δ[{c}, {i}, {j}] × ({'1: won' if won else '0: lost'})", g * won))
            parts.append(f"δ[{c}, {i}, {j}] × {int(won)}")
            value += g * won
            scale += abs(g) * won
        if not wins:
            text = translate("lessons", "0: no window covers this entry")
        else:
            vals = " + ".join(
                f"{par(float(d[c, i, j]))} × {int(int(am[c, i, j]) == a * k + b)}"
                for i, j, a, b in wins
            )
            text = f"{' + '.join(parts)} = {vals} = {num(value)}"
        return Calc(
            value,
            terms,
            text,
            scale,
            title=translate("lessons", "Max pooling routes δ to the argmax"),
            formula=QT_TRANSLATE_NOOP(
                "lessons",
                "∂E/∂x[c, r, s] = δ[c, i, j] if x[c, r, s] was the max of window (i, j), else 0",
            ),
            source=MAX_BACK,
            name=f"up(δ){idx(pos)}",
        )


@lesson(AvgPool2D)
class MeanPoolLesson(PoolLesson):
    forward_rule = "y[c, i, j] = (1/n²) Σ x[c, iS+p, jS+q]"
    backward_rules = ("∂E/∂x = δ ⊗ 1ₙₓₙ / n²",)
    sources = (POOL_FORWARD, MEAN_BACK)
    up_formula = "δˡ = up(δˡ⁺¹) ∘ f′(uˡ),   up(δ) = δ ⊗ 1ₙₓₙ / n²"

    def pool_forward(self, L, s, pos, engine, win, names) -> Explanation:
        k = L.k
        value = float(win.sum()) / (k * k)
        return explanation(
            POOL_FORWARD,
            title=translate("lessons", "Mean pooling averages each window"),
            formula=f"y[c, i, j] = (1/n²) Σ x[c, iS+p, jS+q]   (n = {k}, S = {L.stride})",
            instance=f"y{idx(pos)} = ({' + '.join(par(v) for v in win)}) / {k * k} = {num(value)}",
            terms=list(zip(names, win.tolist(), strict=True)),
            value=value,
            engine_value=engine,
            position=pos,
            where=map_name(L, translate("lessons", "output"), L.out_shape, s),
            scale=float(np.abs(win).sum()) / (k * k),
        )

    def pool_input_grad(self, U, s, d, pos, wins) -> Calc:
        c = pos[0]
        n2 = U.k * U.k
        gs = [float(d[c, i, j]) for i, j, _, _ in wins]
        value = sum(gs) / n2
        return Calc(
            value,
            [(f"δ[{c}, {i}, {j}]", g) for (i, j, _, _), g in zip(wins, gs, strict=True)]
            + [("n²", float(n2))],
            " + ".join(f"δ[{c}, {i}, {j}]" for i, j, _, _ in wins)
            + f" / {n2} = ({' + '.join(par(g) for g in gs) or '0'}) / {n2} = {num(value)}",
            sum(abs(g) for g in gs) / n2,
            title=translate("lessons", "Mean pooling spreads δ/n² over the window"),
            formula=QT_TRANSLATE_NOOP(
                "lessons",
                "∂E/∂x = δ ⊗ 1ₙₓₙ / n²   (the Kronecker product: every input of a window "
                "gets its share)",
            ),
            source=MEAN_BACK,
            name=f"up(δ)/n²{idx(pos)}",
        )


@lesson(LpPool2D)
class LpPoolLesson(PoolLesson):
    forward_rule = "y[c, i, j] = (Σ |x[c, iS+a, jS+b]|ᵖ)^(1/p)"
    backward_rules = ("∂E/∂xᵢ = Σ δ · y^(1−p) · |xᵢ|^(p−1) · sign(xᵢ)",)
    sources = (LP_FORWARD, LP_BACK)
    up_formula = QT_TRANSLATE_NOOP(
        "lessons", "δˡ = up(δˡ⁺¹) ∘ f′(uˡ)   (up multiplies each δ by ∂‖x‖ₚ/∂xᵢ)"
    )

    def pool_forward(self, L, s, pos, engine, win, names) -> Explanation:
        p, k = L.p, L.k
        acc = float((np.abs(win) ** p).sum())
        value = acc ** (1 / p)
        return explanation(
            LP_FORWARD,
            title=translate("lessons", "L{p} pooling: the {p}-norm of each window").format(
                p=num(p)
            ),
            formula=f"y[c, i, j] = (Σ |x[c, iS+a, jS+b]|ᵖ)^(1/p)   (p = {num(p)}, n = {k}, "
            f"S = {L.stride})",
            instance=f"y{idx(pos)} = ({' + '.join(f'|{num(v)}|^{num(p)}' for v in win)})"
            f"^(1/{num(p)}) = {num(acc)}^(1/{num(p)}) = {num(value)}",
            terms=list(zip(names, win.tolist(), strict=True)),
            value=value,
            engine_value=engine,
            position=pos,
            where=map_name(L, translate("lessons", "output"), L.out_shape, s),
            scale=abs(value),
        )

    def pool_input_grad(self, U, s, d, pos, wins) -> Calc:
        c, r, q = pos
        p = U.p
        x = float(U.x[s][c, r, q])
        terms, texts, value, scale = [], [], 0.0, 0.0
        for i, j, _, _ in wins:
            yv = float(U.y[s][c, i, j])
            g = float(d[c, i, j])
            part = g * yv ** (1 - p) * abs(x) ** (p - 1) * float(np.sign(x)) if yv > 0 else 0.0
            terms += [(f"δ[{c}, {i}, {j}]", g), (f"y[{c}, {i}, {j}]", yv)]
            texts.append(f"{par(g)} · {num(yv)}^{num(1 - p)} · |{num(x)}|^{num(p - 1)}")
            value += part
            scale += abs(part)
        terms.append((f"x{idx(pos)}", x))
        return Calc(
            value,
            terms,
            f"{' + '.join(texts) or '0'} = {num(value)}",
            scale,
            title=translate("lessons", "L{p} pooling: δ times the derivative of the norm").format(
                p=num(p)
            ),
            formula="∂E/∂xᵢ = Σ δ · y^(1−p) · |xᵢ|^(p−1) · sign(xᵢ)   (y = (Σₖ |xₖ|ᵖ)^(1/p))",
            source=LP_BACK,
            name=f"∂E/∂x{idx(pos)}",
        )


@lesson(Subsampling)
class SubsamplingLesson(PoolLesson):
    forward_rule = "u[c, i, j] = β[c] · down(x)[c, i, j] + b[c]"
    backward_rules = (
        "∂E/∂x = β · up(δ),   up(δ) = δ ⊗ 1ₙₓₙ",
        "∂E/∂β[c] = Σ (δ[c] ∘ down(x)[c])",
        "∂E/∂b[c] = Σ δ[c]",
    )
    sources = (SUBSAMPLE_FORWARD, SUBSAMPLE_BACK, BETA)

    def pool_forward(self, L, s, pos, engine, win, names) -> Explanation:
        c = pos[0]
        k = L.k
        beta, b = float(L.params["beta"][c]), float(L.params["bias"][c])
        down = float(win.sum())
        value = beta * down + b
        return explanation(
            SUBSAMPLE_FORWARD,
            title=translate(
                "lessons", "Subsampling (Bouvrie): a trainable β times the window sum, plus b"
            ),
            formula=translate(
                "lessons",
                "u[c, i, j] = β[c] · down(x)[c, i, j] + b[c],   down = sum of each {k}×{k} block",
            ).format(k=k),
            instance=f"u{idx(pos)} = {num(beta)} × ({' + '.join(par(v) for v in win)}) + "
            f"{par(b)} = {num(beta)} × {par(down)} + {par(b)} = {num(value)}",
            terms=[*zip(names, win.tolist(), strict=True), (f"β[{c}]", beta), (f"b[{c}]", b)],
            value=value,
            engine_value=engine,
            position=pos,
            where=map_name(L, translate("lessons", "net input u"), L.out_shape, s),
            note=translate(
                "lessons", "down(x) is kept from the forward pass: backward needs it for ∂E/∂β."
            ),
            scale=abs(beta) * float(np.abs(win).sum()) + abs(b),
        )

    def pool_input_grad(self, U, s, d, pos, wins) -> Calc:
        c = pos[0]
        beta = float(U.params["beta"][c])
        gs = [float(d[c, i, j]) for i, j, _, _ in wins]
        value = beta * sum(gs)
        wl = ", ".join(f"δ[{c}, {i}, {j}]" for i, j, _, _ in wins) or translate(
            "lessons", "no window"
        )
        return Calc(
            value,
            [(f"β[{c}]", beta)]
            + [(f"δ[{c}, {i}, {j}]", g) for (i, j, _, _), g in zip(wins, gs, strict=True)],
            f"β[{c}] · {wl} = {num(beta)} × {par(sum(gs))} = {num(value)}",
            abs(beta) * sum(abs(g) for g in gs),
            title=translate(
                "lessons", "Bouvrie's subsampling sends β·δ back to every input of the block"
            ),
            formula=QT_TRANSLATE_NOOP(
                "lessons", "∂E/∂x = β · up(δ),   up(δ) = δ ⊗ 1ₙₓₙ   (the Kronecker product)"
            ),
            source=SUBSAMPLE_BACK,
            name=f"β·up(δ){idx(pos)}",
        )

    def delta_below(self, layer) -> Below:
        return Below(
            translate("lessons", "A convolution followed by subsampling: δ = β·up(δˡ⁺¹) ∘ f′(u)"),
            "δⱼˡ = βⱼˡ⁺¹ · up(δⱼˡ⁺¹) ∘ f′(uⱼˡ),   up(δ) = δ ⊗ 1ₙₓₙ",
            SUBSAMPLE_BACK,
            QT_TRANSLATE_NOOP(
                "lessons",
                "The subsampling backward phase gave β·up(δ); this phase multiplies by f′(u).",
            ),
        )

    def param_grad(self, net: Network, L, key: str, s: int, position) -> Explanation:
        if key != "beta":
            return super().param_grad(net, L, key, s, position)
        grad = L.grads[key]
        pos = fit(position, grad.shape) or largest(grad)
        d = f64(L.dy)
        n = d.shape[0]
        (c,) = pos
        down = f64(L.down)[:, c]
        prods = d[:, c] * down
        this = float(prods[s].sum())
        others = float(prods.sum()) - this
        value = this + others
        return explanation(
            BETA,
            title=translate("lessons", "Bouvrie's ∂E/∂β: δ times the down-sampled input, summed"),
            formula=QT_TRANSLATE_NOOP(
                "lessons", "∂E/∂βⱼ = Σ (δⱼ ∘ down(xⱼ))   (sum over the map and the batch)"
            ),
            instance=f"∂E/∂β[{c}] = "
            + split_by_sample(s, f"Σ δ·down(x) = {num(this)}", n - 1, num(others))
            + f" = {num(value)}",
            terms=[
                (of_sample(f"Σ δ[{c}]·down(x)[{c}]", s), this),
                (translate("lessons", "the other {k} samples").format(k=n - 1), others),
            ],  # fmt: skip
            value=value,
            engine_value=float(grad[pos]),
            position=pos,
            where=translate("lessons", "∂E/∂β of {layer} ({shape})").format(
                layer=L.name, shape=shape_text(grad.shape)
            ),
            note=translate("lessons", "down(x) was kept from the forward pass. ") + batch_note(n),
            scale=float(np.abs(prods).sum()),
        )
