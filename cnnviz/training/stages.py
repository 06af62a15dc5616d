"""Stages: the layers as a lecture names them, and the map kinds shown for each.

A *stage* is what a lecture calls a layer: a layer with parameters or a pooling layer
together with the activation that follows it, so its net input *u*, activation *f(u)* and
sensitivity δ = ∂E/∂u sit side by side (Bouvrie's vocabulary).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnnviz.engine import Activation, Flatten, Layer, Network, Phase
from cnnviz.engine.layer import fmt_shape

MAP_KINDS = ("activation", "net", "delta", "grad_input")
MAP_KIND_LABELS = {
    "activation": "activation f(u)",
    "net": "net input u",
    "delta": "δ = ∂E/∂u",
    "grad_input": "∂E/∂input",
}


@dataclass(frozen=True)
class Stage:
    """A main layer and the activations after it, as indices into ``Network.layers``."""

    index: int  # position among the stages (0 is the input)
    name: str
    label: str  # e.g. "C1 conv 6@28×28"
    kind: str  # "input", "conv", "maxpool", "avgpool", "lppool", "subsample", "dense"
    main: int | None  # layer index (None for the input stage)
    activations: tuple[int, ...]  # indices of the activation layers that follow
    out_shape: tuple[int, ...]


def stages_of(net: Network) -> list[Stage]:
    """Group the layers of ``net`` into stages, input first; Flatten is folded away."""
    shape = net.input_shape
    stages = [Stage(0, "input", f"input {_shape_label(shape)}", "input", None, (), tuple(shape))]
    layers = net.layers
    i = 0
    while i < len(layers):
        layer = layers[i]
        if isinstance(layer, Flatten | Activation):  # leading activation: rare, own stage
            if isinstance(layer, Flatten):
                i += 1
                continue
        acts = []
        j = i + 1
        while j < len(layers) and isinstance(layers[j], Activation):
            acts.append(j)
            j += 1
        act_name = f" + {layers[acts[-1]].kind}" if acts else ""
        label = f"{layer.name} {_kind_label(layer)} {_shape_label(layer.out_shape)}{act_name}"
        stages.append(
            Stage(len(stages), layer.name, label, layer.kind, i, tuple(acts), layer.out_shape)
        )
        i = j
    return stages


def _kind_label(layer: Layer) -> str:
    return {"maxpool": "max-pool", "avgpool": "mean-pool", "lppool": "Lp-pool"}.get(
        layer.kind, layer.kind
    )


def _shape_label(shape: tuple[int, ...]) -> str:
    if len(shape) == 3:
        return f"{shape[0]}@{shape[1]}×{shape[2]}"
    return fmt_shape(shape)


def stage_of_phase(stages: list[Stage], phase: Phase | None) -> int | None:
    """The stage a phase computes (None for loss and update)."""
    if phase is None or phase.layer is None:
        return None
    for s in stages[1:]:
        if phase.layer == s.main or phase.layer in s.activations:
            return s.index
    # a Flatten layer: shown with the stage before it
    best = None
    for s in stages[1:]:
        if s.main is not None and s.main < phase.layer:
            best = s.index
    return best


def stage_arrays(net: Network, stage: Stage) -> dict[str, np.ndarray | None]:
    """References (no copies) to the whole-batch trace of a stage: net input u, activation
    f(u), δ = ∂E/∂u and ∂E/∂input, each (N, …) or None where not computed yet."""
    layers = net.layers
    if stage.main is None:
        first = layers[0]
        return {"activation": first.x, "net": first.x, "delta": first.dx, "grad_input": None}
    main = layers[stage.main]
    last = layers[stage.activations[-1]] if stage.activations else main
    return {
        "net": main.y,
        "activation": last.y,
        "delta": main.dy,  # ∂E/∂u: the gradient arriving at the main layer's output
        "grad_input": main.dx,
    }
