"""Snapshots: copies of exactly what the app shows, taken by the training thread.

The app never touches the network; it renders the latest :class:`Snapshot`. Building one
copies only the selected sample's maps of every stage, the selected stage's parameters and
gradients, and the metrics the app has not seen yet — a few hundred kilobytes at most.

A *stage* is what a lecture calls a layer: a layer with parameters or a pooling layer
together with the activation that follows it, so its net input *u*, activation *f(u)* and
sensitivity δ = ∂E/∂u sit side by side (seed 000's vocabulary).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from cnnviz.engine import Activation, Flatten, Layer, Network, Phase
from cnnviz.engine.layer import fmt_shape

if TYPE_CHECKING:
    from .convsteps import ConvLayerData
    from .explain import Explanation

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


@dataclass
class ViewRequest:
    """What the app has on screen; the training thread copies just this."""

    sample: int = 0  # index within the batch (or of the probe)
    map_kind: str = "activation"
    stage: int = 1  # stage shown in the inspector
    histograms: bool = True
    inspect: bool = True  # build InspectorData (off while no panel shows it)
    explain: bool = False  # fill Snapshot.explanation and .conv_layers (the lecture panels)
    position: tuple[int, ...] | None = None  # entry of the inspected stage to explain


@dataclass
class InspectorData:
    """The selected stage in depth, for one sample (maps) and the whole layer (parameters)."""

    stage: Stage
    maps: dict[str, np.ndarray | None]  # MAP_KINDS -> (C, H, W) or (F,) for the sample
    params: dict[str, np.ndarray] = field(default_factory=dict)  # "weight", "bias", "beta"
    grads: dict[str, np.ndarray] = field(default_factory=dict)  # same keys: ∂E/∂param
    updates: dict[str, np.ndarray] = field(default_factory=dict)  # −η·v, the last ΔW
    argmax_mask: np.ndarray | None = None  # (C, H, W) bool, input positions that won (max-pool)
    routed_delta: np.ndarray | None = None  # (C, H, W): δ sent back to the pool's input
    pool_input: np.ndarray | None = None  # (C, H, W): the pool's input for the sample
    histograms: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    stats: dict[str, float] = field(default_factory=dict)


@dataclass
class MetricsDelta:
    """Metric entries the app has not yet received (append them to what it has)."""

    step: np.ndarray
    loss: np.ndarray
    train_accuracy: np.ndarray
    eval_step: np.ndarray
    test_accuracy: np.ndarray
    test_loss: np.ndarray
    stats_step: np.ndarray
    layer: dict[str, dict[str, np.ndarray]]
    counts: tuple[int, int, int]  # (steps, evals, stats) the app has once it appends these


@dataclass
class Snapshot:
    serial: int
    generation: int  # changes when the network or its history is replaced (clear the plots)
    architecture: str
    dataset: str
    class_names: tuple[str, ...]
    step: int
    epoch: int
    epoch_progress: float
    epochs: int
    running: bool
    lr: float
    phases: list[str]  # labels of the phases of a step
    phase_position: int  # phases of the step under way already done (0: none under way)
    last_phase: str | None  # label of the phase just done
    active_stage: int | None  # stage of the phase just done (highlight it)
    active_direction: str | None  # "forward", "backward", "loss", "update" or None
    stages: list[Stage]
    maps: list[np.ndarray | None]  # per stage, the selected sample's map of ``view.map_kind``
    view: ViewRequest
    sample_source: str  # "batch", "test" or "drawn"
    sample_index: int  # index in the dataset split (or -1)
    sample_image: np.ndarray | None  # (C, H, W) uint8 or float32, as the dataset gives it
    sample_label: int | None
    probabilities: np.ndarray | None  # (K,)
    batch_size: int  # samples in the traced batch (0 before the first step)
    loss: float | None  # of the traced batch
    inspector: InspectorData | None
    metrics: MetricsDelta
    evaluation: object | None  # the latest trainer.EvalResult, or None
    images_per_s: float
    dirty: bool  # trained since the last save
    model_path: str | None
    explanation: Explanation | None = None  # the rule of the phase just run (view.explain)
    conv_layers: list[ConvLayerData] = field(default_factory=list)  # (view.explain)
