"""The lesson of dropout (Srivastava et al. 2014), inverted as the engine applies it: going
forward each value is kept with probability 1 − p and scaled by 1/(1 − p), y = x·r/(1 − p)
with r the mask (1 kept, 0 dropped); going back δ takes the same route, ∂E/∂x = δ·r/(1 − p):
×1/(1 − p) where the value was kept, 0 where it was dropped. In evaluation mode (and for
p = 0) the layer passes x and δ through unchanged.

Pure NumPy: no Qt here.
"""

from __future__ import annotations

from cnnviz.engine import Dropout, Network
from cnnviz.i18n import QT_TRANSLATE_NOOP, translate

from .explanation import Calc, Explanation, explanation, map_name, need
from .numbers import idx, num, par
from .references import cite
from .registry import Below, LayerLesson, lesson

DROPOUT = cite(
    (
        "srivastava2014",
        QT_TRANSLATE_NOOP(
            "lessons", "§4: r ~ Bernoulli(1 − p), ỹ = r ∗ y; scaled by 1/(1 − p) in training"
        ),
    ),
)
DROPOUT_BACK = cite(
    (
        "srivastava2014",
        QT_TRANSLATE_NOOP("lessons", "§5.1: back-propagation through the thinned network"),
    )
)


def _keep(L: Dropout, s: int, pos) -> tuple[float, float]:
    """(r, 1/(1 − p)) at ``pos``: r = 1 where kept; in evaluation mode r = 1 and scale 1."""
    if L.keep_mask is None:
        return 1.0, 1.0
    return float(L.keep_mask[s][pos]), float(L.scale)


@lesson(Dropout)
class DropoutLesson(LayerLesson):
    forward_rule = QT_TRANSLATE_NOOP(
        "lessons", "y = x·r/(1 − p),   r ~ Bernoulli(1 − p) (1: kept, 0: dropped)"
    )
    backward_rules = (
        QT_TRANSLATE_NOOP("lessons", "∂E/∂x = δ·r/(1 − p): ×1/(1 − p) where kept, 0 where dropped"),
    )
    sources = (DROPOUT, DROPOUT_BACK)

    def forward(self, L: Dropout, s: int, pos, engine: float) -> Explanation:
        x = float(L.x[s][pos])
        r, scale = _keep(L, s, pos)
        value = x * r * scale
        if L.keep_mask is None:
            title = QT_TRANSLATE_NOOP(
                "lessons", "Dropout is off: y = x (evaluation mode, or p = 0)"
            )
            instance = f"y{idx(pos)} = x{idx(pos)} = {num(value)}"
            note = QT_TRANSLATE_NOOP(
                "lessons", "In evaluation mode every value is kept and nothing is scaled."
            )
        elif r:
            title = translate(
                "lessons", "Dropout kept this value and scaled it by 1/(1 − p) = {scale}"
            ).format(scale=num(scale))
            instance = f"y{idx(pos)} = {num(x)} × 1 / (1 − {num(L.p)}) = {num(value)}"
            note = translate(
                "lessons", "Scaling by 1/(1 − p) keeps the mean of y equal to that of x (p = {p})."
            ).format(p=f"{L.p:g}")
        else:
            title = QT_TRANSLATE_NOOP("lessons", "Dropout dropped this value: y = 0")
            instance = f"y{idx(pos)} = {num(x)} × 0 = 0"
            note = translate(
                "lessons", "Each value is dropped with probability p = {p}, anew every step."
            ).format(p=f"{L.p:g}")
        return explanation(
            DROPOUT,
            title=title,
            formula="y = x·r/(1 − p)",
            instance=instance,
            terms=[
                (f"x{idx(pos)}", x),
                (translate("lessons", "r (1 kept, 0 dropped)"), r),
                ("1/(1 − p)", scale),
            ],  # fmt: skip
            value=value,
            engine_value=engine,
            position=pos,
            where=map_name(L, translate("lessons", "output y"), L.out_shape, s),
            note=note,
            scale=abs(value),
        )

    def input_grad(self, net: Network, j: int, s: int, pos) -> Calc:
        U = net.layers[j]
        need(U, "dy")
        d = float(U.dy[s][pos])
        r, scale = _keep(U, s, pos)
        value = d * r * scale
        if U.keep_mask is None:
            text = translate("lessons", "δ{i} = {value} (passed through: evaluation mode)").format(
                i=idx(pos), value=num(value)
            )
        else:
            text = f"δ{idx(pos)} × r × 1/(1 − p) = {par(d)} × {r:g} × {num(scale)} = {num(value)}"
        return Calc(
            value,
            [
                (translate("lessons", "δ{i} of {layer}").format(i=idx(pos), layer=U.name), d),
                (translate("lessons", "r (1 kept, 0 dropped)"), r),
                ("1/(1 − p)", scale),
            ],
            text,
            abs(value),
            title=translate("lessons", "Back through dropout: δ·r/(1 − p)"),
            formula=QT_TRANSLATE_NOOP(
                "lessons", "∂E/∂x = δ·r/(1 − p)   (×1/(1 − p) where kept, 0 where dropped)"
            ),
            source=DROPOUT_BACK,
            name=f"δ·r/(1 − p){idx(pos)}",
        )

    def delta_below(self, layer: Dropout) -> Below:
        return Below(
            translate("lessons", "Dropout above an activation: δ = (δ·r/(1 − p)) ∘ f′(u)"),
            "δˡ = (δˡ⁺¹ ∘ r / (1 − p)) ∘ f′(uˡ)",
            DROPOUT_BACK,
            QT_TRANSLATE_NOOP(
                "lessons",
                "Dropout's backward phase applied the mask; this phase multiplies by f′(u).",
            ),
        )
