"""The lesson of a convolution layer: the forward correlation, the input gradient as a full
convolution with rot180(W) (zeros inserted into δ for the stride), the filter gradient (the
input correlated with δ) and, below it, the δ of an activation. Registered for
:class:`~cnnviz.engine.Conv2D`.

Pure NumPy: no Qt here.
"""

from __future__ import annotations

import numpy as np

from cnnviz.engine import Conv2D, Network
from cnnviz.i18n import QT_TRANSLATE_NOOP, translate

from .explanation import (
    MAX_SHOWN,
    Calc,
    Explanation,
    batch_note,
    explanation,
    f64,
    fit,
    largest,
    map_name,
    need,
    split_by_sample,
    sum_of_products,
)
from .numbers import idx, num, par, shape_text
from .references import cite
from .registry import Below, LayerLesson, applies_fprime, lesson

CONV_FORWARD = cite(
    (
        "han2017",
        QT_TRANSLATE_NOOP(
            "lessons",
            "“卷积层输出值的计算” (computing a conv layer's output), formula 4.4 (depth D, "
            "stride S, zero padding P)",
        ),
    ),
    ("zhou1", QT_TRANSLATE_NOOP("lessons", "the 4×4 image ∗ vertical Sobel example")),
)
CONV_DX = cite(
    (
        "han2017",
        QT_TRANSLATE_NOOP(
            "lessons",
            "“卷积层误差项的传递” (the error through a conv layer): stride S, zeros "
            "inserted into δ; depth D; N filters, formula 5.3",
        ),
    ),
    (
        "cnn-backprop",
        QT_TRANSLATE_NOOP("lessons", "§3.1.1: the input gradient is a full convolution"),
    ),
)
CONV_DW = cite(
    (
        "han2017",
        QT_TRANSLATE_NOOP(
            "lessons",
            "“卷积层filter权重梯度的计算” (a filter's weight gradient): the input "
            "correlated with δ",
        ),
    ),
    ("bouvrie", QT_TRANSLATE_NOOP("lessons", "§3.1.1: ∂E/∂kᵢⱼ = Σᵤᵥ (δⱼ)ᵤᵥ (pᵢ)ᵤᵥ")),
    ("zhou2", QT_TRANSLATE_NOOP("lessons", "∂L/∂filter(x, y)")),
)
CONV_BELOW = cite(
    ("han2017", QT_TRANSLATE_NOOP("lessons", "formula 5.3: δˡ⁻¹ = Σₒ δₒˡ ∗ Wₒˡ ∘ f′(netˡ⁻¹)")),
    ("bouvrie", QT_TRANSLATE_NOOP("lessons", "§3.2.1: the full convolution with rot180(k)")),
)


def window(L: Conv2D, x: np.ndarray, o: int, i: int, j: int):
    """The patch of one output entry: input values, kernel values and names (masked out
    channels of a connection table are left out)."""
    P, S = L.padding, L.stride
    chans = [c for c in range(L.in_channels) if L.mask is None or L.mask[o, c]]
    vals, ws, names = [], [], []
    h, w = x.shape[1:]
    for c in chans:
        for p in range(L.kh):
            r = i * S + p - P
            for q in range(L.kw):
                col = j * S + q - P
                inside = 0 <= r < h and 0 <= col < w
                vals.append(float(x[c, r, col]) if inside else 0.0)
                ws.append(float(L.params["weight"][o, c, p, q]))
                xn = f"x[{c}, {r}, {col}]" if inside else "0 (padding)"
                names.append(f"{xn}·W[{o}, {c}, {p}, {q}]")
    return np.array(vals), np.array(ws), names, chans


@lesson(Conv2D)
class ConvLesson(LayerLesson):
    forward_rule = "u[o, i, j] = Σ x[c, iS+p−P, jS+q−P] · W[o, c, p, q] + b[o]"
    backward_rules = (
        "∂E/∂x[c] = Σₒ full(δ[o] ↑S) ∗ rot180(W[o, c])",
        "∂E/∂W[o, c, p, q] = Σₙ Σᵢⱼ δₙ[o, i, j] · aₙ[c, iS+p−P, jS+q−P]",
        "∂E/∂b[o] = Σₙ Σᵢⱼ δₙ[o, i, j]",
    )
    sources = (CONV_FORWARD, CONV_DX, CONV_DW)

    def forward(self, L: Conv2D, s: int, pos, engine: float) -> Explanation:
        o, i, j = pos
        vals, ws, names, chans = window(L, L.x[s], o, i, j)
        extra = [(f"b[{o}]", float(L.params["bias"][o]))] if L.use_bias else []
        value, terms, inline, scale = sum_of_products(names, vals, ws, extra)
        table = ""
        if L.mask is not None and len(chans) < L.in_channels:
            table = translate(
                "lessons", " Connection table: output map {o} reads input maps {maps} only."
            ).format(o=o, maps=chans)
        return explanation(
            CONV_FORWARD,
            title=translate(
                "lessons", "Convolution: the kernel times a patch of the input, summed"
            ),
            formula=(
                "u[o, i, j] = Σ x[c, iS+p−P, jS+q−P] · W[o, c, p, q] + b[o]   "
                + translate("lessons", "(sum over c, p, q; S = {S}, P = {P})").format(
                    S=L.stride, P=L.padding
                )
            ),
            instance=f"u{idx(pos)} = {inline} = {num(value)}",
            terms=terms,
            value=value,
            engine_value=engine,
            position=pos,
            where=map_name(L, translate("lessons", "net input u"), L.out_shape, s),
            note=translate(
                "lessons", "{n} products: {maps} input map(s) × {kh}×{kw} kernel."
            ).format(n=len(vals), maps=len(chans), kh=L.kh, kw=L.kw)
            + table,
            scale=scale,
        )

    def input_grad(self, net: Network, j: int, s: int, pos) -> Calc:
        """∂E/∂x[c, r, q] = Σₒ Σₚ,q' δ[o, i, j] · W[o, c, p, q'] over the (i, j) whose window
        covers (r, q): the full convolution of δ (zeros inserted for the stride) with
        rot180(W)."""
        U = net.layers[j]
        need(U, "dy")
        d = f64(U.dy[s])
        c, r, q = pos
        P, S = U.padding, U.stride
        ho, wo = U.out_hw
        w = U.params["weight"]
        ds, ws, names = [], [], []
        skipped = 0
        for o in range(U.out_channels):
            if U.mask is not None and not U.mask[o, c]:
                continue
            for p in range(U.kh):
                a = r + P - p
                for qq in range(U.kw):
                    b = q + P - qq
                    if a < 0 or b < 0 or a % S or b % S:
                        skipped += a >= 0 and b >= 0 and a // S < ho and b // S < wo
                        continue
                    i, jj = a // S, b // S
                    if i >= ho or jj >= wo:
                        continue
                    ds.append(float(d[o, i, jj]))
                    ws.append(float(w[o, c, p, qq]))
                    names.append(f"δ[{o}, {i}, {jj}]·W[{o}, {c}, {p}, {qq}]")
        value, terms, inline, scale = sum_of_products(names, ds, ws)
        stride_note = (
            translate(
                "lessons",
                " With stride {S}, δ gets {zeros} zero(s) between its entries first: {skipped} "
                "kernel taps land on inserted zeros.",
            ).format(S=S, zeros=S - 1, skipped=skipped)
            if S > 1
            else ""
        )
        return Calc(
            value,
            terms,
            f"Σ δ·W = {inline} = {num(value)}{stride_note}",
            scale,
            title=translate(
                "lessons",
                "Back through a convolution: a full convolution of δ with the rotated kernel",
            ),
            formula=QT_TRANSLATE_NOOP(
                "lessons",
                "∂E/∂x[c] = Σₒ full(δ[o] ↑S) ∗ rot180(W[o, c])   "
                "(each input entry collects δ·W from every window that covered it)",
            ),
            source=CONV_DX,
            name=f"(Σ δ ∗ rot180 W){idx(pos)}",
        )

    def input_grad_text(self, net: Network, i: int, calc: Calc) -> tuple[str, str, str]:
        return calc.title, calc.formula, activation_below_note(net, i)

    def delta_below(self, layer) -> Below:
        return Below(
            translate(
                "lessons", "δ below a convolution: full convolution with rot180(W), times f′(u)"
            ),
            QT_TRANSLATE_NOOP(
                "lessons",
                "δˡ⁻¹ = Σₒ δₒˡ ∗ rot180(Wₒ) ∘ f′(uˡ⁻¹)   (a 'full' convolution; δ ↑S for stride S)",
            ),
            CONV_BELOW,
            QT_TRANSLATE_NOOP(
                "lessons",
                "The conv backward phase above gave the full convolution; this phase multiplies "
                "by f′(u).",
            ),
        )

    def param_grad(self, net: Network, L: Conv2D, key: str, s: int, position) -> Explanation:
        if key != "weight":
            return super().param_grad(net, L, key, s, position)
        grad = L.grads[key]
        pos = fit(position, grad.shape) or largest(grad)
        d = f64(L.dy)
        n = d.shape[0]
        o, c, p, q = pos
        S, P = L.stride, L.padding
        ho, wo = L.out_hw
        x = f64(L.x)
        xp = np.pad(x, ((0, 0), (0, 0), (P, P), (P, P))) if P else x
        a = xp[:, c, p : p + S * (ho - 1) + 1 : S, q : q + S * (wo - 1) + 1 : S]
        connected = L.mask is None or bool(L.mask[o, c])
        prods = d[:, o] * a if connected else np.zeros_like(a)
        mine = prods[s]
        flat = np.argsort(-np.abs(mine).ravel(), kind="stable")[:MAX_SHOWN]
        terms = []
        for f in sorted(flat.tolist()):
            ii, jj = divmod(f, wo)
            r, col = ii * S + p - P, jj * S + q - P
            an = f"a[{c}, {r}, {col}]" if 0 <= r < x.shape[2] and 0 <= col < x.shape[3] else "0"
            terms.append(
                (f"δ[{o}, {ii}, {jj}]·{an} = {par(d[s, o, ii, jj])}·{par(a[s, ii, jj])}",
                 float(mine[ii, jj]))
            )  # fmt: skip
        shown = sum(v for _, v in terms)
        this = float(mine.sum())
        others = float(prods.sum()) - this
        rest = translate("lessons", "the other {k} products of sample {s}")
        terms.append((rest.format(k=mine.size - len(flat), s=s + 1), this - shown))
        terms.append((translate("lessons", "the other {k} samples").format(k=n - 1), others))
        value = sum(v for _, v in terms)
        note = batch_note(n)
        if not connected:
            note = (
                f"Input map {c} does not feed output map {o} (connection table): this "
                "kernel is held at 0 and so is its gradient. " + note
            )
        return explanation(
            CONV_DW,
            title=translate("lessons", "The filter gradient: the input correlated with δ"),
            formula="∂E/∂W[o, c, p, q] = Σₙ Σᵢⱼ δₙ[o, i, j] · aₙ[c, iS+p−P, jS+q−P]",
            instance=f"∂E/∂W{idx(pos)} = "
            + split_by_sample(
                s,
                translate("lessons", "Σ of {k} products δ·a = {v}").format(
                    k=mine.size, v=num(this)
                ),
                n - 1,
                num(others),
            )
            + f" = {num(value)}",
            terms=terms,
            value=value,
            engine_value=float(grad[pos]),
            position=pos,
            where=translate("lessons", "∂E/∂W of {layer} ({shape})").format(
                layer=L.name, shape=shape_text(grad.shape)
            ),
            note=note,
            scale=float(np.abs(prods).sum()),
        )


def activation_below_note(net: Network, i: int) -> str:
    """What the backward phase of layer ``i`` hands down when an activation sits below it."""
    if i > 0 and applies_fprime(net.layers[i - 1]):
        return translate(
            "lessons",
            "This is ∂E/∂a of the layer below; its activation's backward phase ({layer}) "
            "multiplies by f′(u) to make δ.",
        ).format(layer=net.layers[i - 1].name)
    return ""
