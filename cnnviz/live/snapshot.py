"""Snapshots: copies of exactly what the app shows, taken in the training process.

The app never touches the network; it renders the latest :class:`Snapshot`. Building one
copies only the selected sample's maps of every stage and the selected stage's parameters and
gradients — a few hundred kilobytes at most. Snapshots wait in a :class:`LatestSlot`, where
each replaces the one before; the metric entries, which must all arrive, travel beside them as
ordered messages (:mod:`cnnviz.live.metrics`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from cnnviz.i18n import translate
from cnnviz.training.stages import Stage

if TYPE_CHECKING:
    from cnnviz.lessons.convsteps import ConvLayerData
    from cnnviz.lessons.explain import Explanation


@dataclass
class ViewRequest:
    """What the app has on screen; the session copies just this into its snapshots."""

    sample: int = 0  # index within the batch (or of the probe)
    map_kind: str = "activation"
    stage: int = 1  # stage shown in the inspector
    histograms: bool = True
    inspect: bool = True  # build InspectorData (off while no panel shows it)
    explain: bool = False  # fill Snapshot.explanation and .conv_layers (the lecture panels)
    position: tuple[int, ...] | None = None  # entry of the inspected stage to explain
    follow_phase: bool = False  # inside a step, show δ going backward and f(u) going forward


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
    speed: int  # index into session.SPEEDS
    full_speed: bool  # the speed is the last of SPEEDS: as fast as possible
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
    evaluation: object | None  # the latest trainer.EvalResult, or None
    images_per_s: float
    dirty: bool  # trained since the last save
    model_path: str | None
    explanation: Explanation | None = None  # the rule of the phase just run (view.explain)
    conv_layers: list[ConvLayerData] = field(default_factory=list)  # (view.explain)
    finished: bool = False  # the epochs asked for are done (training goes on when asked for more)
    configured_epochs: int = 0  # the total the run was set up with (Reset goes back to it)
    undo_depth: int = 0  # steps that undo can go back
    resumable: tuple[int, ...] = ()  # steps "Resume from here" can go back to exactly
    lr_schedule: str = "constant"  # Hyperparameters.schedule: "constant", "step" or "cosine"
    base_lr: float = 0.0  # the rate the schedule starts from (``lr`` is the one in use now)


def sample_wording(snapshot: Snapshot) -> str:
    """The focused sample as every panel names it: "sample 3 of 64 (train #1207)" (1-based
    within the batch), "test #12" or "drawn sample"."""
    src = snapshot.sample_source
    if src == "batch":
        text = translate("lessons", "sample {k} of {n}").format(
            k=snapshot.view.sample + 1, n=snapshot.batch_size
        )
        if snapshot.sample_index >= 0:
            text += translate("lessons", " (train #{i})").format(i=snapshot.sample_index)
        return text
    if src == "test":
        return translate("lessons", "test #{i}").format(i=snapshot.sample_index)
    if src == "drawn":
        return translate("lessons", "drawn sample")
    return f"{src} #{snapshot.sample_index}"


class LatestSlot:
    """A one-place slot for snapshots: each :meth:`put` replaces the one before, and
    :meth:`take` returns a snapshot at most once (any threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest: Snapshot | None = None
        self._taken_serial: int | None = None

    def put(self, snap: Snapshot) -> None:
        with self._lock:
            self._latest = snap

    def take(self) -> Snapshot | None:
        """The latest snapshot if it is newer than the one taken last, else None."""
        with self._lock:
            snap = self._latest
            if snap is None or snap.serial == self._taken_serial:
                return None
            self._taken_serial = snap.serial
            return snap

    def newest_running(self) -> bool:
        """Whether the newest snapshot (taken or not) shows training running: the app draws a
        pause at once instead of waiting for its next full-speed frame."""
        with self._lock:
            return self._latest is not None and self._latest.running
