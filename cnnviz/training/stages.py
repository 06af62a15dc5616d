"""Stages: the layers as a lecture names them, and the map kinds shown for each.

A *stage* is what a lecture calls a layer: a layer with parameters or a pooling layer
together with the activation that follows it, so its net input *u*, activation *f(u)* and
sensitivity δ = ∂E/∂u sit side by side (Bouvrie's vocabulary).

Batch norm and dropout right after a layer (or after its activation) belong to that layer's
stage, as its activation does: ``C1 conv 32@32×32 + bn + relu``. Then *u* is what the
activation receives — batch norm's output γ·x̂ + β when batch norm comes first — and δ is
∂E/∂u there, so f(u) is still f of the u shown and δ still its sensitivity; a dropout after
the activation is applied to f(u) on the way to the next stage. A batch norm or dropout that
follows no such layer (a dropout after flatten) is a stage of its own, whose u and f(u) are its
output (the dropped values show as zeros).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnnviz.engine import Activation, Flatten, Layer, Network, Phase
from cnnviz.engine.layer import fmt_shape
from cnnviz.i18n import QT_TRANSLATE_NOOP, translate

MAP_KINDS = ("activation", "net", "delta", "grad_input")
MAP_KIND_LABELS = {  # English; shown through map_kind_label
    "activation": QT_TRANSLATE_NOOP("stages", "activation f(u)"),
    "net": QT_TRANSLATE_NOOP("stages", "net input u"),
    "delta": QT_TRANSLATE_NOOP("stages", "δ = ∂E/∂u"),
    "grad_input": QT_TRANSLATE_NOOP("stages", "∂E/∂input"),
}


def map_kind_label(kind: str) -> str:
    """What a map kind shows (:data:`MAP_KIND_LABELS`), in the current language."""
    return translate("stages", MAP_KIND_LABELS.get(kind, kind))


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
    # indices of the batch norm and dropout layers that follow (among the activations)
    extras: tuple[int, ...] = ()
    # their kinds, "batchnorm" or "dropout", one per extra (the label is translated: test these)
    extra_kinds: tuple[str, ...] = ()

    @property
    def layers(self) -> tuple[int, ...]:
        """Every layer index of the stage, in order."""
        main = () if self.main is None else (self.main,)
        return main + tuple(sorted(self.activations + self.extras))


def stages_of(net: Network) -> list[Stage]:
    """Group the layers of ``net`` into stages, input first; Flatten is folded away."""
    shape = net.input_shape
    stages = [
        Stage(
            0,
            "input",
            translate("stages", "input {shape}").format(shape=_shape_label(shape)),
            "input",
            None,
            (),
            tuple(shape),
        )
    ]
    layers = net.layers
    i = 0
    while i < len(layers):
        layer = layers[i]
        if isinstance(layer, Flatten | Activation):  # leading activation: rare, own stage
            if isinstance(layer, Flatten):
                i += 1
                continue
        acts, extras = [], []
        j = i + 1
        while j < len(layers) and (_joins(layers[j])):
            (acts if isinstance(layers[j], Activation) else extras).append(j)
            j += 1
        shown = [k for k in sorted(acts + extras) if k in extras or k == acts[-1]]
        act_name = "".join(f" + {_kind_label(layers[k])}" for k in shown)
        label = f"{layer.name} {_kind_label(layer)} {_shape_label(layer.out_shape)}{act_name}"
        stages.append(
            Stage(len(stages), layer.name, label, _kind_of(layer), i, tuple(acts),
                  layer.out_shape, tuple(extras), tuple(_kind_of(layers[k]) for k in extras))
        )  # fmt: skip
        i = j
    return stages


def _joins(layer: Layer) -> bool:
    """Whether ``layer`` belongs to the stage of the layer before it: an activation, batch
    norm or dropout (the engine's ``transparent`` layers)."""
    return isinstance(layer, Activation) or (
        getattr(layer, "transparent", False) and not isinstance(layer, Flatten)
    )


def _kind_of(layer: Layer) -> str:
    return "batchnorm" if layer.kind in ("batchnorm1d", "batchnorm2d") else layer.kind


KIND_LABELS = {  # how a stage label names a layer kind (English; translated in _kind_label)
    "conv": QT_TRANSLATE_NOOP("stages", "conv"),
    "dense": QT_TRANSLATE_NOOP("stages", "dense"),
    "maxpool": QT_TRANSLATE_NOOP("stages", "max-pool"),
    "avgpool": QT_TRANSLATE_NOOP("stages", "mean-pool"),
    "lppool": QT_TRANSLATE_NOOP("stages", "Lp-pool"),
    "globalavgpool": QT_TRANSLATE_NOOP("stages", "global mean-pool"),
    "subsample": QT_TRANSLATE_NOOP("stages", "subsample"),
    "batchnorm1d": QT_TRANSLATE_NOOP("stages", "bn"),
    "batchnorm2d": QT_TRANSLATE_NOOP("stages", "bn"),
    "dropout": QT_TRANSLATE_NOOP("stages", "dropout"),
    "relu": QT_TRANSLATE_NOOP("stages", "relu"),
    "leaky_relu": QT_TRANSLATE_NOOP("stages", "leaky_relu"),
    "sigmoid": QT_TRANSLATE_NOOP("stages", "sigmoid"),
    "tanh": QT_TRANSLATE_NOOP("stages", "tanh"),
    "scaled_tanh": QT_TRANSLATE_NOOP("stages", "scaled_tanh"),
}


def _kind_label(layer: Layer) -> str:
    """The layer's kind as a stage label says it (activations by their own names: relu)."""
    return translate("stages", KIND_LABELS.get(layer.kind, layer.kind))


def _shape_label(shape: tuple[int, ...]) -> str:
    if len(shape) == 3:
        return f"{shape[0]}@{shape[1]}×{shape[2]}"
    return fmt_shape(shape)


def stage_of_phase(stages: list[Stage], phase: Phase | None) -> int | None:
    """The stage a phase computes (None for loss and update)."""
    if phase is None or phase.layer is None:
        return None
    for s in stages[1:]:
        if phase.layer == s.main or phase.layer in s.activations or phase.layer in s.extras:
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
    last = layers[stage.activations[-1]] if stage.activations else layers[stage.layers[-1]]
    u = _net_input(stage)
    return {
        "net": layers[u].y,
        "activation": last.y,
        "delta": layers[u].dy,  # ∂E/∂u: the gradient arriving where u is computed
        "grad_input": main.dx,
    }


def _net_input(stage: Stage) -> int:
    """The layer whose output is the stage's u: the one right before its first activation
    (batch norm's, when it comes first), or the main layer when there is no activation."""
    if not stage.activations:
        return stage.main
    return max(k for k in stage.layers if k < stage.activations[0])


def map_labels(net: Network, stage: Stage) -> dict[str, str]:
    """:data:`MAP_KIND_LABELS` for ``stage``, saying where u is taken when batch norm comes
    before the activation, and that f(u) is before dropout when dropout follows it."""
    labels = {kind: map_kind_label(kind) for kind in MAP_KIND_LABELS}
    if stage.main is None:
        return labels
    main = net.layers[stage.main]
    if getattr(main, "transparent", False) and not stage.activations:  # its own stage
        labels["net"] = labels["activation"] = translate("stages", "output of {kind}").format(
            kind=_kind_label(main)
        )
        return labels
    u = net.layers[_net_input(stage)]
    if u.kind in ("batchnorm1d", "batchnorm2d") and stage.activations:
        labels["net"] = translate("stages", "net input u = γ·x̂ + β (after batch norm)")
    if any(net.layers[k].kind == "dropout" for k in stage.extras):
        labels["activation"] = (
            translate("stages", "activation f(u) (before dropout)")
            if stage.activations
            else translate("stages", "output (after dropout)")
        )
    return labels
