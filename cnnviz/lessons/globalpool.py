"""The lesson of global average pooling (Lin et al. 2014): each whole map becomes its mean,
y[c] = (1/HW) Σᵢⱼ x[c, i, j], and going back δ[c] is spread evenly over the map,
∂E/∂x[c, i, j] = δ[c]/HW — mean pooling with one window the size of the map.

Pure NumPy: no Qt here.
"""

from __future__ import annotations

import numpy as np

from cnnviz.engine import GlobalAvgPool, Network
from cnnviz.i18n import QT_TRANSLATE_NOOP, translate

from .explanation import Calc, Explanation, explanation, f64, map_name, need
from .numbers import idx, num, par
from .references import cite
from .registry import Below, LayerLesson, lesson

GAP = cite(("lin2014", QT_TRANSLATE_NOOP("lessons", "§3.2: the average of each feature map")))
GAP_BACK = cite(
    ("lin2014", QT_TRANSLATE_NOOP("lessons", "§3.2 global average pooling")),
    (
        "cnn-backprop",
        QT_TRANSLATE_NOOP(
            "lessons", "§4 mean pooling: the sensitivity spread evenly over the window"
        ),
    ),
)


@lesson(GlobalAvgPool)
class GlobalAvgPoolLesson(LayerLesson):
    forward_rule = "y[c] = (1/HW) Σᵢⱼ x[c, i, j]"
    backward_rules = ("∂E/∂x[c, i, j] = δ[c] / HW",)
    sources = (GAP, GAP_BACK)

    def forward(self, L: GlobalAvgPool, s: int, pos, engine: float) -> Explanation:
        c = pos[0]
        x = f64(L.x[s][c])
        total = float(x.sum())
        value = total / x.size
        return explanation(
            GAP,
            title=QT_TRANSLATE_NOOP("lessons", "Global average pooling: the mean of each map"),
            formula="y[c] = (1/HW) Σᵢⱼ x[c, i, j]",
            instance=f"y[{c}] = {num(total)} / {x.size} = {num(value)}",
            terms=[(f"Σ x[{c}]", total), ("HW", float(x.size))],
            value=value,
            engine_value=engine,
            position=pos,
            where=map_name(L, translate("lessons", "output"), L.out_shape, s),
            note=QT_TRANSLATE_NOOP(
                "lessons", "No weights: every position of the map counts the same."
            ),
            scale=float(np.abs(x).sum()) / x.size * np.sqrt(x.size),
        )

    def input_grad(self, net: Network, j: int, s: int, pos) -> Calc:
        U = net.layers[j]
        need(U, "dy")
        c = pos[0]
        hw = U.in_shape[1] * U.in_shape[2]
        d = float(U.dy[s][c, 0, 0])
        return Calc(
            d / hw,
            [
                (translate("lessons", "δ{i} of {layer}").format(i=f"[{c}]", layer=U.name), d),
                ("HW", float(hw)),
            ],  # fmt: skip
            f"δ[{c}] / HW = {par(d)} / {hw} = {num(d / hw)}",
            abs(d / hw),
            title=translate("lessons", "Global average pooling spreads δ/HW over the map"),
            formula="∂E/∂x[c, i, j] = δ[c] / HW",
            source=GAP_BACK,
            name=f"δ/HW{idx(pos)}",
        )

    def delta_below(self, layer: GlobalAvgPool) -> Below:
        return Below(
            translate("lessons", "Global average pooling above an activation: δ = δ[c]/HW ∘ f′(u)"),
            "δˡ[c, i, j] = δˡ⁺¹[c] / HW · f′(uˡ[c, i, j])",
            GAP_BACK,
            QT_TRANSLATE_NOOP("lessons", "Every position of map c gets the same share of δ[c]."),
        )
