"""The timeline: copies of the weights kept every few steps, to go back and look.

A :class:`Timeline` attached to a trainer records, on its ``step`` event, a copy of every
parameter plus the step, epoch, the step's loss and the latest test accuracy — at step 1 and
every ``every`` steps. Memory stays under ``max_bytes``: when a new entry would go over, every
other entry is dropped and the interval doubles (the entries kept are exactly those the doubled
interval would have recorded), so the whole run stays covered at a coarser grain.

:meth:`Timeline.render_at` (on the training thread) loads the weights of one entry into a
scratch network of the same architecture and runs a forward and backward pass (no update) on a
sample, returning copies of the kernels, the sample's maps per stage and the prediction as
they were at that step. The live network, its trace and the optimiser are never touched.

In a model file the timeline is a set of plain arrays under ``timeline/`` (see
:meth:`Timeline.to_arrays`); :func:`check_arrays` validates them against the network, and
``load_model`` calls it for any file that holds them.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cnnviz.engine import Network
from cnnviz.errors import CnnvizError
from cnnviz.i18n import class_names

from .architectures import build_network
from .stages import MAP_KINDS, Stage, stage_arrays, stages_of

DEFAULT_EVERY = 50
DEFAULT_MAX_BYTES = 64 << 20

# arrays of a timeline in a model file (under "timeline/"); parameters are "params/<key>"
META_KEYS = ("step", "epoch", "loss", "test_accuracy", "interval")
PARAMS_PREFIX = "params/"


class TimelineError(CnnvizError, ValueError):
    """Timeline arrays that do not fit the network (shape, dtype, order), or a bad setting."""


@dataclass(frozen=True)
class TimelineEntry:
    """One recorded moment: the parameters (read-only copies) after ``step`` steps."""

    step: int
    epoch: int
    loss: float  # of the training batch of that step
    test_accuracy: float  # latest test evaluation at that time (NaN before the first)
    params: dict[str, np.ndarray]

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in self.params.values())


@dataclass
class TimelineFrame:
    """What :meth:`Timeline.render_at` computed: copies only, safe to hand to the GUI."""

    index: int  # position in the timeline when rendered
    step: int
    epoch: int
    loss: float  # training-batch loss recorded at that step
    test_accuracy: float  # NaN before the first evaluation
    kernels: dict[str, np.ndarray]  # conv layer name -> (out, in, kh, kw), in layer order
    stages: list[Stage] = field(default_factory=list)
    # per stage: MAP_KINDS -> the sample's (C, H, W) or (F,) array, None where not computed
    maps: list[dict[str, np.ndarray | None]] = field(default_factory=list)
    probabilities: np.ndarray | None = None  # (K,) for the sample
    label: int | None = None  # the sample's true class (None: forward only, no δ)
    sample_loss: float | None = None  # E for the sample with those weights
    class_names: tuple[str, ...] = ()

    @property
    def prediction(self) -> int | None:
        return None if self.probabilities is None else int(np.argmax(self.probabilities))


@dataclass
class SweepFrame:
    """One moment of a backward sweep, for :func:`cnnviz.app.export.gif_of_backward_sweep`.

    ``maps[i]`` is stage i's δ = ∂E/∂u for the sample, or None where backpropagation has not
    reached it yet; ``active`` is the stage just computed. The window can also build these from
    snapshots taken while stepping phases with the δ maps shown:
    ``SweepFrame(snap.stages, snap.maps, snap.active_stage, snap.last_phase or "")``.
    """

    stages: list[Stage]
    maps: list[np.ndarray | None]
    active: int | None
    caption: str = ""


class Timeline:
    """Weight snapshots of a run, recorded on a trainer's ``step`` event.

    Recording happens on the thread that trains (the trainer's events run there). The reading
    methods (``len``, :meth:`steps`, :meth:`frames`, :meth:`kernel_series`, :meth:`to_arrays`)
    take a lock and may be called from any thread; they run no engine code.
    """

    def __init__(self, every: int = DEFAULT_EVERY, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.base_every = _positive_int(every, "the timeline interval")
        self.every = self.base_every
        self.max_bytes = _positive_int(max_bytes, "the timeline memory limit")
        self._entries: list[TimelineEntry] = []
        self._bytes = 0
        self._lock = threading.Lock()
        self._trainer: Any = None
        self._unsubscribe: Callable[[], None] | None = None
        self._listeners: list[Callable[[Timeline], None]] = []
        self._scratch: tuple[Any, Network] | None = None
        self.revision = 0  # grows whenever the entries change (cheap to poll)

    # ------------------------------------------------------------------ recording
    def attach(self, trainer) -> None:
        """Record from ``trainer``'s ``step`` events (call on the training thread, or before
        it starts). Detaches from any previous trainer first."""
        self.detach()
        self._trainer = trainer
        self._unsubscribe = trainer.subscribe("step", self._on_step)

    def detach(self) -> None:
        if self._unsubscribe is not None:
            try:
                self._unsubscribe()
            except ValueError:  # already removed
                pass
        self._unsubscribe = None
        self._trainer = None

    def subscribe(self, fn: Callable[[Timeline], None]) -> Callable[[], None]:
        """Call ``fn(timeline)`` after every change (on the recording thread)."""
        self._listeners.append(fn)
        return lambda: self._listeners.remove(fn)

    def configure(self, every: int | None = None, max_bytes: int | None = None) -> None:
        """Change the interval (from the next recorded step) or the memory limit (thins at
        once if needed)."""
        with self._lock:
            if every is not None:
                self.base_every = self.every = _positive_int(every, "the timeline interval")
            if max_bytes is not None:
                self.max_bytes = _positive_int(max_bytes, "the timeline memory limit")
            changed = self._thin()
        if changed:
            self._changed()

    def _on_step(self, info) -> None:
        tr = self._trainer
        if tr is None:
            return
        self.record(info.step, tr.net.state_dict(), info.epoch, info.loss,
                    tr.metrics.test_accuracy.last())  # fmt: skip

    def should_record(self, step: int) -> bool:
        return step == 1 or step % self.every == 0

    def record(
        self,
        step: int,
        params: dict[str, np.ndarray],
        epoch: int = 0,
        loss: float = float("nan"),
        test_accuracy: float = float("nan"),
    ) -> bool:
        """Keep a copy of ``params`` as the state after ``step`` if the interval says so.

        A step at or before the last entry means the run went back (re-initialised): the
        entries from that step on are dropped first. Returns whether an entry was added.
        """
        step = int(step)
        with self._lock:
            changed = False
            if self._entries and step <= self._entries[-1].step:
                keep = [e for e in self._entries if e.step < step]
                self._set_entries(keep)
                if not keep:
                    self.every = self.base_every
                changed = True
            added = self.should_record(step)
            if added:
                copies = {k: np.array(p, copy=True) for k, p in params.items()}
                for a in copies.values():
                    a.flags.writeable = False
                entry = TimelineEntry(step, int(epoch), float(loss), float(test_accuracy), copies)
                self._entries.append(entry)
                self._bytes += entry.nbytes
                self._thin()
                changed = True
        if changed:
            self._changed()
        return added

    def _set_entries(self, entries: list[TimelineEntry]) -> None:
        self._entries = entries
        self._bytes = sum(e.nbytes for e in entries)

    def _thin(self) -> bool:
        """While over the limit: double the interval and keep the entries it would have made."""
        changed = False
        while self._bytes > self.max_bytes and len(self._entries) > 1:
            self.every *= 2
            keep = [e for e in self._entries if e.step == 1 or e.step % self.every == 0]
            if len(keep) == len(self._entries):  # off the grid (e.g. loaded): every other one
                keep = self._entries[::2]
            self._set_entries(keep)
            changed = True
        return changed

    def _changed(self) -> None:
        self.revision += 1
        for fn in list(self._listeners):
            fn(self)

    def clear(self) -> None:
        with self._lock:
            self._set_entries([])
            self.every = self.base_every
        self._changed()

    # ------------------------------------------------------------------ reading (any thread)
    def __len__(self) -> int:
        return len(self._entries)

    @property
    def nbytes(self) -> int:
        """Bytes held by the recorded parameters."""
        return self._bytes

    def frames(self) -> list[TimelineEntry]:
        """The entries, oldest first (their arrays are read-only copies)."""
        with self._lock:
            return list(self._entries)

    def steps(self) -> list[int]:
        with self._lock:
            return [e.step for e in self._entries]

    def conv_layers(self) -> list[str]:
        """Names of the layers whose weights are 4-D kernels, in layer order."""
        with self._lock:
            first = self._entries[0].params if self._entries else {}
        return [
            k.rsplit(".", 1)[0] for k, a in first.items() if k.endswith(".weight") and a.ndim == 4
        ]

    def kernel_series(self, layer: str) -> tuple[np.ndarray, np.ndarray]:
        """``(steps (N,), kernels (N, out, in, kh, kw))`` of a conv layer over the timeline:
        the input of :func:`cnnviz.app.export.gif_of_filters`. Copies; no engine code."""
        key = f"{layer}.weight"
        with self._lock:
            entries = list(self._entries)
        if not entries or key not in entries[0].params or entries[0].params[key].ndim != 4:
            raise TimelineError(f"the timeline holds no kernels of a conv layer {layer!r}")
        steps = np.array([e.step for e in entries], dtype=np.int64)
        return steps, np.stack([e.params[key] for e in entries])

    # ------------------------------------------------------------------ rendering (worker)
    def render_at(
        self,
        trainer,
        index: int,
        image: np.ndarray | None = None,
        label: int | None = None,
    ) -> TimelineFrame | None:
        """The network of entry ``index`` (clamped to the timeline) on ``image`` (C, H, W), as
        normalised for the network: forward, and backward for ``label`` (no update).

        Run it on the training thread (``session.call``). Returns None when the timeline is
        empty; without an image only the kernels are filled in. The live network, its trace
        and the optimiser are left untouched: the weights go into a scratch network.
        """
        with self._lock:
            if not self._entries:
                return None
            index = min(max(int(index), 0), len(self._entries) - 1)
            entry = self._entries[index]
        net = self._scratch_net(trainer, entry.params)
        # the entry's weights, with the live network's running statistics (a timeline keeps
        # the weights only): a sample is shown as the network in evaluation mode sees it
        net.load_state_dict(entry.params | dict(trainer.net.named_buffers()))
        kernels = {
            layer.name: layer.params["weight"].copy()
            for layer in net.layers
            if layer.kind == "conv"
        }
        frame = TimelineFrame(
            index=index,
            step=entry.step,
            epoch=entry.epoch,
            loss=entry.loss,
            test_accuracy=entry.test_accuracy,
            kernels=kernels,
            class_names=class_names(getattr(trainer.dataset, "class_names", ())),
        )
        if image is None:
            return frame
        x = _sample_input(net, image)
        with np.errstate(all="ignore"), net.evaluating():
            if label is None:  # a prediction only: the loss against the predicted class
                scores = net.forward(x)
                net.loss.forward(scores, scores.argmax(axis=1))
            else:
                net.begin_step(x, np.array([int(label)]), None).run()
                frame.label = int(label)
                frame.sample_loss = float(net.loss.value)
        frame.stages = stages_of(net)
        for stage in frame.stages:
            arrays = stage_arrays(net, stage)
            if label is None:  # no backward pass: what δ the scratch net holds is old
                arrays = arrays | {"delta": None, "grad_input": None}
            frame.maps.append(
                {k: None if arrays.get(k) is None else np.array(arrays[k][0]) for k in MAP_KINDS}
            )
        frame.probabilities = np.array(net.loss.probabilities()[0], dtype=np.float64)
        return frame

    def _scratch_net(self, trainer, params: dict[str, np.ndarray]) -> Network:
        """A network like the trainer's (same architecture, input, classes, dtype), built once
        and reused while those stay the same."""
        live = trainer.net
        spec = trainer.architecture
        if not spec:
            raise TimelineError("the network has no architecture description to rebuild it from")
        num_classes = int(live.output_shape[0])
        key = (json.dumps(spec, sort_keys=True, default=str), live.input_shape, num_classes,
               str(live.dtype))  # fmt: skip
        if self._scratch is None or self._scratch[0] != key:
            net = build_network(spec, live.input_shape, num_classes, dtype=str(live.dtype))
            self._scratch = (key, net)
        net = self._scratch[1]
        expected = {k: p.shape for k, p in net.state_dict().items()}
        got = {k: a.shape for k, a in params.items()}
        if expected != got:
            raise TimelineError("the timeline was recorded for another network")
        return net

    # ------------------------------------------------------------------ files
    def to_arrays(self) -> dict[str, np.ndarray]:
        """Plain arrays for ``TrainerState.timeline`` (saved as ``timeline/<name>``):

        ``step``, ``epoch`` (N,) int64; ``loss``, ``test_accuracy`` (N,) float64 (NaN: no
        evaluation yet); ``interval`` (2,) int64 = [current, base] interval;
        ``params/<key>`` (N, *shape) in the network's dtype. Empty when nothing is recorded.
        """
        with self._lock:
            entries = list(self._entries)
            every, base = self.every, self.base_every
        if not entries:
            return {}
        out: dict[str, np.ndarray] = {
            "step": np.array([e.step for e in entries], dtype=np.int64),
            "epoch": np.array([e.epoch for e in entries], dtype=np.int64),
            "loss": np.array([e.loss for e in entries], dtype=np.float64),
            "test_accuracy": np.array([e.test_accuracy for e in entries], dtype=np.float64),
            "interval": np.array([every, base], dtype=np.int64),
        }
        for k in entries[0].params:
            out[PARAMS_PREFIX + k] = np.stack([e.params[k] for e in entries])
        return out

    @classmethod
    def from_arrays(
        cls,
        arrays: dict[str, np.ndarray],
        net: Network,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> Timeline:
        """A timeline from ``TrainerState.timeline``, checked against ``net`` (raises
        :class:`TimelineError` naming the array at fault). Arrays that are not a timeline's
        (another tool's extras) give an empty timeline. Thinned to ``max_bytes`` if needed."""
        expected = {k: p.shape for k, p in net.state_dict().items()}
        if not is_timeline(arrays):
            return cls(max_bytes=max_bytes)
        check_arrays(arrays, expected, str(net.dtype))
        every, base = (int(v) for v in arrays["interval"])
        tl = cls(every=base, max_bytes=max_bytes)
        tl.every = max(every, base)
        entries = []
        for i, step in enumerate(arrays["step"]):
            params = {k: np.array(arrays[PARAMS_PREFIX + k][i]) for k in expected}
            for a in params.values():
                a.flags.writeable = False
            entries.append(TimelineEntry(
                int(step), int(arrays["epoch"][i]), float(arrays["loss"][i]),
                float(arrays["test_accuracy"][i]), params,
            ))  # fmt: skip
        with tl._lock:
            tl._set_entries(entries)
            tl._thin()
        return tl


# ---------------------------------------------------------------------------------- checks
def is_timeline(arrays: dict[str, np.ndarray]) -> bool:
    """Whether ``arrays`` (keys without the ``timeline/`` prefix) hold a :class:`Timeline`'s
    arrays, rather than nothing or someone else's extras."""
    return any(k in META_KEYS or k.startswith(PARAMS_PREFIX) for k in arrays)


def check_arrays(arrays: dict[str, np.ndarray], expected: dict[str, tuple], dtype: str) -> None:
    """Raise :class:`TimelineError` unless ``arrays`` are a valid timeline for a network with
    parameters ``expected`` (key -> shape) of ``dtype``."""
    want = set(META_KEYS) | {PARAMS_PREFIX + k for k in expected}
    missing = [k for k in (*META_KEYS, *(PARAMS_PREFIX + k for k in expected)) if k not in arrays]
    if missing:
        raise TimelineError(f"{missing[0]} is missing")
    extra = sorted(set(arrays) - want)
    if extra:
        raise TimelineError(f"unexpected array {extra[0]} (not a parameter of the network)")
    step = arrays["step"]
    if step.dtype != np.int64 or step.ndim != 1 or step.size == 0:
        raise TimelineError(f"step must be a non-empty 1-D int64 array, got {step.dtype} "
                            f"{step.shape}")  # fmt: skip
    n = step.size
    if step[0] < 1 or (n > 1 and not (np.diff(step) > 0).all()):
        raise TimelineError("step must hold increasing step numbers ≥ 1")
    for key, kind in (("epoch", np.int64), ("loss", np.float64), ("test_accuracy", np.float64)):
        a = arrays[key]
        if a.dtype != kind or a.shape != (n,):
            raise TimelineError(
                f"{key} must be {np.dtype(kind)} of shape ({n},), got {a.dtype} {a.shape}"
            )
    if (arrays["epoch"] < 0).any() or (n > 1 and (np.diff(arrays["epoch"]) < 0).any()):
        raise TimelineError("epoch must hold non-decreasing epoch numbers ≥ 0")
    acc = arrays["test_accuracy"]
    known = acc[~np.isnan(acc)]
    if ((known < 0) | (known > 1)).any():
        raise TimelineError("test_accuracy must lie in [0, 1] (or be NaN)")
    interval = arrays["interval"]
    if interval.dtype != np.int64 or interval.shape != (2,) or (interval < 1).any():
        raise TimelineError("interval must be two int64 values ≥ 1")
    for k, shape in expected.items():
        a = arrays[PARAMS_PREFIX + k]
        if a.shape != (n, *shape):
            raise TimelineError(
                f"{PARAMS_PREFIX}{k} has shape {a.shape}, expected {(n, *shape)} "
                f"({n} entries of {shape})"
            )
        if a.dtype != np.dtype(dtype):
            raise TimelineError(f"{PARAMS_PREFIX}{k} has dtype {a.dtype}, expected {dtype}")
        if not np.isfinite(a).all():
            raise TimelineError(f"{PARAMS_PREFIX}{k} contains NaN or infinite values")


# ---------------------------------------------------------------------------------- sweeps
def backward_sweep(
    timeline: Timeline | None,
    trainer,
    image: np.ndarray,
    label: int,
    index: int | None = None,
) -> list[SweepFrame]:
    """The δ maps of one backward pass, revealed stage by stage from the output back to the
    input: the input of :func:`cnnviz.app.export.gif_of_backward_sweep`.

    Uses the live weights (copied into a scratch network; nothing live is touched), or those
    of timeline entry ``index``. Run it on the training thread.
    """
    tl = timeline or Timeline()
    params = trainer.net.state_dict()
    if index is not None and len(tl):
        entries = tl.frames()
        params = entries[min(max(int(index), 0), len(entries) - 1)].params
    net = tl._scratch_net(trainer, params)
    net.load_state_dict(params | dict(trainer.net.named_buffers()))
    with np.errstate(all="ignore"), net.evaluating():  # one sample: running statistics
        net.begin_step(_sample_input(net, image), np.array([int(label)]), None).run()
    stages = stages_of(net)
    deltas = []
    for stage in stages:
        d = stage_arrays(net, stage)["delta"]
        deltas.append(None if d is None or stage.main is None else np.array(d[0]))
    order = [s.index for s in reversed(stages) if deltas[s.index] is not None]
    frames = []
    for k, i in enumerate(order):
        shown = set(order[: k + 1])
        maps = [deltas[j] if j in shown else None for j in range(len(stages))]
        caption = f"backward {stages[i].name}: δ = ∂E/∂u"
        frames.append(SweepFrame(list(stages), maps, i, caption))
    return frames


# ---------------------------------------------------------------------------------- helpers
def _sample_input(net: Network, image: np.ndarray) -> np.ndarray:
    x = np.asarray(image)
    if x.shape != net.input_shape:
        raise TimelineError(f"the sample has shape {x.shape}, the network takes {net.input_shape}")
    return x.astype(net.dtype, copy=False)[None]


def _positive_int(v, what: str) -> int:
    if isinstance(v, bool) or not isinstance(v, int | np.integer) or v < 1:
        raise TimelineError(f"{what} must be a positive whole number, got {v!r}")
    return int(v)


def bytes_per_entry(net: Network) -> int:
    """Memory one timeline entry of ``net`` takes."""
    return sum(p.nbytes for p in net.state_dict().values())
