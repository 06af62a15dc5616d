"""The lesson of the activation layers (ReLU, leaky ReLU, sigmoid, tanh, LeCun's scaled tanh):
a = f(u) going forward, and δ = (what the layer above sends down) ∘ f′(u) going back.

The engine makes the activation its own phase, so Bouvrie's ``δˡ = (Wˡ⁺¹)ᵀ δˡ⁺¹ ∘ f′(uˡ)`` is
split in two: the dense (or conv, or pooling) backward phase computes ``∂E/∂a = (Wˡ⁺¹)ᵀ δˡ⁺¹``
(or the full convolution, or the up-sampling), then the activation's backward phase multiplies
by ``f′(uˡ)``. The activation's explanation recomputes the whole right-hand side from the
layer above, so the rule appears here as the references write it; the layer above says, in its
:meth:`~cnnviz.lessons.registry.LayerLesson.delta_below`, which form it takes.

Pure NumPy: no Qt here.
"""

from __future__ import annotations

import numpy as np

from cnnviz.engine import Activation, Network
from cnnviz.i18n import LESSONS, QT_TRANSLATE_NOOP, translate

from .explanation import Calc, Explanation, explanation, fit, largest, map_name, need
from .numbers import idx, num, par, shape_text
from .references import cite
from .registry import ACTIVATION_BACK, LayerLesson, Summary, incoming, lesson, lesson_for

ACTIVATION = {
    "relu": cite(
        (
            "han2017",
            QT_TRANSLATE_NOOP(
                "lessons",
                "“一个新的激活函数——Relu” (a new activation function, ReLU): f(x) = max(0, x)",
            ),
        )
    ),
    "leaky_relu": cite(
        ("han2017", QT_TRANSLATE_NOOP("lessons", "ReLU")),
        ("chain-rule", QT_TRANSLATE_NOOP("lessons", "the activation b = f(a) of a layer")),
    ),
    "sigmoid": cite(
        (
            "cnn-backprop",
            QT_TRANSLATE_NOOP("lessons", "§2.1: out = 1 / (1 + e⁻ⁿᵉᵗ), ∂out/∂net = out(1 − out)"),
        )
    ),
    "tanh": cite(
        (
            "bouvrie",
            QT_TRANSLATE_NOOP(
                "lessons", "§2.1: the output of a layer xˡ = f(uˡ), f the logistic function or tanh"
            ),
        )
    ),
    "scaled_tanh": cite(
        ("bouvrie", QT_TRANSLATE_NOOP("lessons", "§2.1: xˡ = f(uˡ)")),
        (
            "lecun1998",
            QT_TRANSLATE_NOOP(
                "lessons", "LeNet-5's squashing function f(a) = A tanh(S a), A = 1.7159, S = ⅔"
            ),
        ),
    ),
}

FORWARD_TEXT = {
    "relu": (
        QT_TRANSLATE_NOOP("lessons", "ReLU passes positive net input and blocks the rest"),
        "a = f(u) = max(0, u)",
    ),
    "leaky_relu": (
        QT_TRANSLATE_NOOP("lessons", "Leaky ReLU lets a little of the negative side through"),
        QT_TRANSLATE_NOOP("lessons", "a = f(u) = u if u > 0, else α·u"),
    ),
    "sigmoid": (
        QT_TRANSLATE_NOOP("lessons", "The sigmoid squashes the net input into (0, 1)"),
        "a = f(u) = 1 / (1 + e⁻ᵘ)",
    ),
    "tanh": (
        QT_TRANSLATE_NOOP("lessons", "tanh squashes the net input into (−1, 1)"),
        "a = f(u) = tanh(u)",
    ),
    "scaled_tanh": (
        QT_TRANSLATE_NOOP(
            "lessons", "LeCun's scaled tanh squashes the net input into (−1.7159, 1.7159)"
        ),
        "a = f(u) = 1.7159 · tanh(⅔ · u)",
    ),
}
DERIVATIVE_TEXT = {
    "relu": QT_TRANSLATE_NOOP("lessons", "f′(u) = 1 if u > 0, else 0"),
    "leaky_relu": QT_TRANSLATE_NOOP("lessons", "f′(u) = 1 if u > 0, else α"),
    "sigmoid": "f′(u) = a (1 − a)",
    "tanh": "f′(u) = 1 − a²",
    "scaled_tanh": "f′(u) = 1.7159 · ⅔ · (1 − (a / 1.7159)²)",
}


def f(L: Activation, u: float) -> float:
    return float(L.f(np.array([u], dtype=np.float64))[0])


def fprime(L: Activation, u: float) -> float:
    return float(L.derivative(np.array([u], dtype=np.float64))[0])


def _detail(L: Activation, u: float) -> str:
    """f(u) written out with the number, e.g. "max(0, 0.31)"."""
    return {
        "relu": lambda: f"max(0, {num(u)})",
        "leaky_relu": lambda: num(u) if u > 0 else f"{num(L.negative_slope)}·{par(u)}",
        "sigmoid": lambda: f"1 / (1 + e^{par(-u)})",
        "tanh": lambda: f"tanh({num(u)})",
        "scaled_tanh": lambda: f"1.7159 · tanh(⅔ · {par(u)})",
    }.get(L.kind, lambda: f"f({num(u)})")()


@lesson(Activation)
class ActivationLesson(LayerLesson):
    applies_fprime = True

    def summary(self, layer: Activation) -> Summary:
        _, formula = FORWARD_TEXT.get(layer.kind, ("", "a = f(u)"))
        formula = translate(LESSONS, formula)
        fps = translate(LESSONS, DERIVATIVE_TEXT.get(layer.kind, "f′(u)"))
        alike = translate("lessons", "(u and a alike)")
        shapes = f"{layer.name}: {shape_text(layer.in_shape or ())} {alike}"
        source = ACTIVATION.get(layer.kind, ACTIVATION["tanh"])
        return Summary(formula, (f"δ = ∂E/∂a ∘ f′(u),   {fps}",), shapes, (source, ACTIVATION_BACK))

    def forward(self, L: Activation, s: int, pos, engine: float) -> Explanation:
        u = float(L.x[s][pos])
        value = f(L, u)
        title, formula = FORWARD_TEXT.get(L.kind, ("", "a = f(u)"))
        title = translate(LESSONS, title) if title else ""
        title = title or translate("lessons", "The activation {kind}").format(kind=L.kind)
        formula = translate(LESSONS, formula)
        if L.kind == "leaky_relu":
            formula = formula.replace("α", num(L.negative_slope))
        fp = fprime(L, u)
        return explanation(
            ACTIVATION.get(L.kind, ACTIVATION["tanh"]),
            title=title,
            formula=formula,
            instance=f"a{idx(pos)} = {_detail(L, u)} = {num(value)}",
            terms=[
                (f"u{idx(pos)}", u),
                (translate("lessons", "f′(u{pos}), used on the way back").format(pos=idx(pos)), fp),
            ],
            value=value,
            engine_value=engine,
            position=pos,
            where=map_name(L, translate("lessons", "activation a"), L.out_shape, s),
            note=translate("lessons", "The backward pass will multiply δ by {rule}.").format(
                rule=translate(LESSONS, DERIVATIVE_TEXT.get(L.kind, "f′(u)"))
            ),
            scale=abs(value),
        )  # fmt: skip

    def input_grad(self, net: Network, j: int, s: int, pos) -> Calc:
        U = net.layers[j]
        need(U, "dy")
        u = float(U.x[s][pos])
        fp = fprime(U, u)
        g = float(U.dy[s][pos])
        value = g * fp
        return Calc(
            value,
            [(f"∂E/∂a{idx(pos)} of {U.name}", g), (f"f′(u{idx(pos)})", fp)],
            f"∂E/∂a{idx(pos)} × f′(u{idx(pos)}) = {par(g)} × {par(fp)} = {num(value)}",
            abs(value),
            title=translate("lessons", "Back through an activation"),
            formula="∂E/∂u = ∂E/∂a ∘ f′(u)",
            source=ACTIVATION_BACK,
            name=f"∂E/∂x{idx(pos)}",
        )

    def backward(self, net: Network, i: int, s: int, position) -> Explanation:
        L = net.layers[i]
        need(L, "dx")
        dx = L.dx[s]
        pos = fit(position, dx.shape) or largest(dx)
        up = incoming(net, i, s, pos)
        u = float(L.x[s][pos])
        fp = fprime(L, u)
        value = up.value * fp
        j = i + 1  # the layer whose rule this δ completes (past any that pass δ through)
        while j < len(net.layers) and lesson_for(net.layers[j]).passes_delta:
            j += 1
        if j == len(net.layers):
            title, formula, source = up.title, up.formula, up.source
            note = translate(
                "lessons",
                "Bouvrie's δᴸ = f′(uᴸ) ∘ (y − t): the loss phase gave (y − t)/N, this phase "
                "multiplies by f′(uᴸ).",
            )
        else:
            below = lesson_for(net.layers[j]).delta_below(net.layers[j])
            title, formula, source = below.title, below.formula, below.source
            note = translate(LESSONS, below.note) if below.note else ""
        fps = translate(LESSONS, DERIVATIVE_TEXT.get(L.kind, "f′(u)"))
        formula = translate(LESSONS, formula)
        return explanation(
            source,
            title=title,
            formula=f"{formula};   {fps}",
            instance=f"δ{idx(pos)} = {up.name} × f′(u{idx(pos)}) = {par(up.value)} × "
            f"{par(fp)} = {num(value)}",
            terms=[
                *up.terms,
                (translate("lessons", "{name} (from above)").format(name=up.name), up.value),
                (f"u{idx(pos)}", u),
                (f"f′(u{idx(pos)})", fp),
            ],  # fmt: skip
            value=value,
            engine_value=float(dx[pos]),
            position=pos,
            where=map_name(L, "δ = ∂E/∂u", L.in_shape, s),
            note=(note + f"  {up.name} = {up.text}").strip(),
            scale=up.scale * abs(fp),
        )
