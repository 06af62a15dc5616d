"""A training session: the trainer run by one worker thread, steered by commands.

The app (or a test) calls the command methods from any thread; they only enqueue. The worker
thread runs :meth:`Session.run` and is the only thread that touches the network: it executes
commands between steps, trains at the chosen speed and, at most ``fps`` times a second and
only when something changed, publishes a :class:`~cnnviz.live.snapshot.Snapshot` of what
the view request asks for. The app takes the latest one with :meth:`take_snapshot`; older ones
are simply replaced, so nothing queues up however fast training runs, and the trainer never
waits for the app. The metric entries must all arrive, so they do not ride the snapshots:
before each snapshot it publishes, the session emits the entries new since the last one
(``metrics``, a :class:`~cnnviz.live.metrics.MetricsBatch`), and every observer gets every
entry, in order.

The commands are declared, with their arguments, in :data:`cnnviz.live.commands.COMMANDS`
(the training process and :class:`~cnnviz.live.remote.RemoteSession` use that table).
This module holds the commands and the worker loop; how a snapshot is built is in
:mod:`cnnviz.live.views`, undo in :mod:`cnnviz.live.undo`, the speeds in
:mod:`cnnviz.live.speeds` (their names are re-exported here).

Notifications go to observers subscribed with :meth:`Session.subscribe`; they are called on
the worker thread (a GUI re-posts them to its own thread):

==============  ==========================================  =================================
event           payload                                     when
==============  ==========================================  =================================
``error``       message (str)                               a command or a step failed; the
                                                            session pauses, nothing is lost
``running``     bool                                        play / pause took effect
``saved``       path (str)                                  a model file was written
``loaded``      path (str)                                  a model file replaced the model
``progress``    (done, total or None, label)                a dataset download advances
``finished``    None                                        the last epoch ended
``metrics``     :class:`~cnnviz.live.metrics.MetricsBatch`   entries since the last batch
                                                            (just before ``published``)
``published``   None                                        a new snapshot is ready to take
==============  ==========================================  =================================
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np

from cnnviz.engine import Phase
from cnnviz.training.events import Observable
from cnnviz.training.stages import stages_of
from cnnviz.training.timeline import Timeline
from cnnviz.training.trainer import Trainer

from .metrics import MetricsCursor
from .snapshot import LatestSlot, Snapshot, ViewRequest
from .speeds import FULL_SPEED, SPEEDS
from .undo import UNDO_BYTES, UNDO_STEPS, UndoHistory
from .views import FOLLOWED, SnapshotBuilder

__all__ = [
    "FOLLOWED", "FULL_SPEED", "SPEEDS", "UNDO_BYTES", "UNDO_STEPS", "Session", "one_line",
]  # fmt: skip


class Session(UndoHistory, SnapshotBuilder, Observable):
    """Owns a :class:`Trainer` and runs it on the thread that calls :meth:`run`."""

    def __init__(self, trainer: Trainer, fps: float = 15.0, model_path: str | None = None):
        self.trainer = trainer
        self.fps = fps
        self._commands: queue.Queue[tuple[Callable[..., Any], tuple]] = queue.Queue()
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._slot = LatestSlot()
        self._metrics = MetricsCursor()
        self._serial = 0
        self._generation = 0
        self._view = ViewRequest()
        self._changed = True
        self._last_publish = 0.0
        self.running = False
        self.speed = FULL_SPEED
        self.dirty = False
        self.model_path = model_path
        self.sample_source = "batch"
        self.sample_index = -1
        self._probe: tuple[np.ndarray, int] | None = None  # (image (C,H,W), label)
        self.evaluation = None
        self._rate_window: list[tuple[float, int]] = []
        self._phase_done: Phase | None = None  # the last phase stepped (for the explainer)
        self.timeline = Timeline()
        self._pause_now = threading.Event()  # pause() was called: see _on_evaluating
        self._undo: list[tuple[dict[str, Any], Any]] = []  # (checkpoint, evaluation), oldest first
        self._undo_bytes = 0
        self.configured_epochs = trainer.hp.epochs  # the total Reset goes back to
        self._attach(trainer)

    # ------------------------------------------------------------------ observers

    def _attach(self, trainer: Trainer) -> None:
        self.trainer = trainer
        self.stages = stages_of(trainer.net)
        trainer.subscribe("eval", self._on_eval)
        trainer.subscribe("evaluating", self._on_evaluating)
        self.timeline.detach()
        self.timeline.clear()
        if trainer.restored_timeline:
            self.timeline = Timeline.from_arrays(
                trainer.restored_timeline, trainer.net, max_bytes=self.timeline.max_bytes
            )
        self.timeline.attach(trainer)
        self._forget_undo()
        self.configured_epochs = trainer.hp.epochs

    def _on_eval(self, result) -> None:
        if result.split == "test":
            self.evaluation = result

    def _on_evaluating(self, _progress) -> None:
        """Between chunks of an evaluation (a tenth of a second or more when it runs at the end
        of a step): a pause asked for meanwhile takes effect, and is published, now."""
        if self._pause_now.is_set() and self.running:
            self._set_running(False)
            self._changed = True
            self._publish()

    # ------------------------------------------------------------------ commands (any thread)
    def _post(self, fn: Callable[..., Any], *args: Any) -> None:
        self._commands.put((fn, args))
        self._wake.set()

    def play(self) -> None:
        self._post(self._set_running, True)

    def pause(self) -> None:
        """Pause after the step under way; during a test evaluation, before it ends."""
        self._pause_now.set()
        self._post(self._set_running, False)

    def step_batch(self) -> None:
        """Pause and advance one whole step (or finish the one under way)."""
        self._post(self._do_step, "batch")

    def step_phase(self) -> None:
        """Pause and advance one phase of the step."""
        self._post(self._do_step, "phase")

    def undo_phase(self) -> None:
        """Pause and go back one phase: the state before it, exactly (see :meth:`undo_batch`)."""
        self._post(self._do_undo, "phase")

    def undo_batch(self) -> None:
        """Pause and go back to before the step under way, or before the last step: weights,
        optimiser state, counters, metrics and the data order as they were, so that stepping
        again gives the same numbers bit for bit."""
        self._post(self._do_undo, "batch")

    def resume_from(self, step: int) -> None:
        """Pause and go back to the state after ``step`` (one of the last steps that undo can
        reach): training continues from there, the later steps are dropped."""
        self._post(self._do_resume, int(step))

    def set_epochs(self, epochs: int) -> None:
        """Train for ``epochs`` epochs in all (more than done: training can go on)."""
        self._post(self._set_hp, {"epochs": int(epochs)})

    def set_speed(self, index: int) -> None:
        self._post(setattr, self, "speed", max(0, min(int(index), FULL_SPEED)))

    def set_hyperparameters(self, **changes: Any) -> None:
        self._post(self._set_hp, changes)

    def set_view(self, view: ViewRequest) -> None:
        with self._lock:
            self._view = replace(view)
            self._changed = True
        self._wake.set()

    def reset(self, seed: int | None = None) -> None:
        """Re-initialise the network with fresh weights and clear the history."""
        self._post(self._do_reset, seed)

    def replace_trainer(
        self,
        factory: Callable[[], Trainer],
        path: str | None = None,
        save_path: str | None = None,
    ) -> None:
        """Build a new trainer on the worker (it may load data or a file) and switch to it.
        ``path`` is the file opened (reported as ``loaded``), ``save_path`` where Save writes
        then (the model file opened; None for a new network or an imported file: Save asks)."""
        self._post(self._do_replace, factory, path, save_path)

    def save(self, path: str, saver: Callable[[str, Any], None]) -> None:
        """Write the trainer state with ``saver(path, state)`` on the worker thread."""
        self._post(self._do_save, path, saver)

    def probe(self, split: str, index: int) -> None:
        """Show a dataset sample: forward and backward on it alone, no update."""
        self._post(self._do_probe_dataset, split, index)

    def probe_drawing(self, image: np.ndarray, label: int) -> None:
        """Like :meth:`probe_image` for raw pixels (uint8 (C, H, W)), normalised on the
        worker with the dataset's normalisation."""
        self._post(self._do_probe_drawing, np.array(image, dtype=np.uint8), int(label))

    def _do_probe_drawing(self, image: np.ndarray, label: int) -> None:
        from cnnviz.lessons.drawing import normalise

        x = normalise(image, self.trainer.dataset.normalization)
        self._do_probe(x, label, "drawn", -1)

    def probe_image(self, image: np.ndarray, label: int) -> None:
        """Forward and backward on a given image (C, H, W), e.g. one drawn by hand."""
        self._post(self._do_probe, np.array(image, dtype=np.float32), int(label), "drawn", -1)

    def sample_input(self, split: str, index: int) -> tuple[np.ndarray, int]:
        """The normalised image (C, H, W) and label of a dataset sample (worker thread)."""
        ds = self.trainer.dataset
        labels = ds.test_labels if split == "test" else ds.train_labels
        index = min(max(int(index), 0), labels.shape[0] - 1)
        return ds.batch(split, np.array([index]))[0], int(labels[index])

    def evaluate(self) -> None:
        self._post(self._do_evaluate)

    def call(self, fn: Callable[[Trainer], Any]) -> None:
        """Run ``fn(trainer)`` on the worker thread (for features built on the session)."""
        self._post(lambda: fn(self.trainer))

    # ------------------------------------------------------------------ reading (app thread)
    @property
    def generation(self) -> int:
        """Grows whenever the network or its history is replaced (reset, new, open)."""
        return self._generation

    def take_snapshot(self) -> Snapshot | None:
        """The latest snapshot if it is newer than the one taken last, else None."""
        return self._slot.take()

    def newest_running(self) -> bool:
        """Whether the newest snapshot (taken or not) shows training running."""
        return self._slot.newest_running()

    def snapshot_now(self) -> Snapshot:
        """Build and return a snapshot at once. Only where no worker thread runs (tests,
        scripts): it reads the network directly."""
        self._drain()
        self._publish(force=True)
        return self._slot.take()

    # ------------------------------------------------------------------ the worker loop
    def run(self, stop: threading.Event) -> None:
        """Serve commands and train until ``stop`` is set. Call on the worker thread."""
        while not stop.is_set():
            self._drain()
            if self.running and not self.trainer.finished:
                label, mode, rate = SPEEDS[self.speed]
                t0 = time.perf_counter()
                self._guard(self._advance, mode)
                if rate is not None:
                    self._publish()
                    self._sleep(stop, 1.0 / rate - (time.perf_counter() - t0))
                elif time.perf_counter() - self._last_publish >= 1.0 / self.fps:
                    self._publish()
                if self.trainer.finished and self.running:
                    self._set_running(False)
                    self._emit("finished")
            else:
                self._publish()
                self._wake.wait(0.05)
                self._wake.clear()
        self._publish(force=True)

    def _sleep(self, stop: threading.Event, seconds: float) -> None:
        end = time.perf_counter() + seconds
        while not stop.is_set():
            left = end - time.perf_counter()
            if left <= 0 or not self._commands.empty():
                return
            self._wake.wait(min(left, 0.05))
            self._wake.clear()

    def _drain(self) -> None:
        while True:
            try:
                fn, args = self._commands.get_nowait()
            except queue.Empty:
                return
            self._guard(fn, *args)
            self._changed = True

    def _guard(self, fn: Callable[..., Any], *args: Any) -> None:
        try:
            fn(*args)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a message, not a crash
            self.running = False
            self._changed = True
            self._emit("running", False)
            self._emit("error", one_line(exc))

    def _advance(self, mode: str) -> None:
        # overflow on the way to a divergence is reported once, as a DivergenceError
        with np.errstate(over="ignore", invalid="ignore"):
            self._advance_unguarded(mode)

    def _advance_unguarded(self, mode: str) -> None:
        pushed = self.trainer.current is None
        if pushed:
            self._push_undo()
        try:
            if mode == "phase":
                self._phase_done = self.trainer.step_phase()
            else:
                self._phase_done = None
                self.trainer.step_batch()
        except Exception:
            if pushed and self.trainer.current is None and self._undo:
                self._pop_undo()  # the step did not happen (diverged): nothing to undo
            raise
        self._after_training()

    def _after_training(self) -> None:
        self.dirty = True
        self.sample_source = "batch"
        self._probe = None
        self._changed = True
        now = time.perf_counter()
        self._rate_window.append((now, self.trainer.images_seen))
        while len(self._rate_window) > 2 and now - self._rate_window[0][0] > 2.0:
            self._rate_window.pop(0)

    # ------------------------------------------------------------------ command bodies
    def _set_running(self, running: bool) -> None:
        self._pause_now.clear()
        if running and self.trainer.finished:
            running = False  # finished: more epochs are asked for explicitly (set_epochs)
            self._emit("finished")
        self.running = running
        self._rate_window.clear()
        self._emit("running", running)

    def _do_step(self, mode: str) -> None:
        if self.running:
            self._set_running(False)
        if self.trainer.finished:
            self._emit("finished")
            return
        self._advance(mode)

    def _set_hp(self, changes: dict[str, Any]) -> None:
        self.trainer.set_hyperparameters(**changes)

    def _do_reset(self, seed: int | None) -> None:
        self.trainer.hp.epochs = self.configured_epochs
        self.trainer.reinitialize(seed)
        self._forget_undo()
        self.timeline.clear()
        self._new_generation()
        self.dirty = False

    def _do_replace(
        self, factory: Callable[[], Trainer], path: str | None, save_path: str | None
    ) -> None:
        trainer = factory()  # may raise: then nothing has changed
        self.running = False
        self._emit("running", False)
        self._attach(trainer)
        self._new_generation()
        self.dirty = False
        self.model_path = save_path
        self.evaluation = None
        if path:
            self._show_loaded()
            self._emit("loaded", path)

    def _show_loaded(self) -> None:
        """A model just opened is drawn at once: forward and backward on the first sample of
        the batch it trains on next (no update), and its confusion matrix on the test set
        (not added to the run's metrics)."""
        tr = self.trainer
        if tr.finished or not tr.train_size:
            return
        with np.errstate(over="ignore", invalid="ignore"):
            self._do_probe_dataset("train", int(tr.next_batch_indices()[0]))
            n_test = int(tr.dataset.test_labels.shape[0])
            if n_test:
                self.evaluation = tr.evaluate(max_samples=n_test)

    def _new_generation(self) -> None:
        with self._lock:
            self._generation += 1
        self.sample_source, self._probe = "batch", None
        self._rate_window.clear()
        self._phase_done = None

    def _do_save(self, path: str, saver: Callable[[str, Any], None]) -> None:
        state = self.trainer.state()
        state.timeline = self.timeline.to_arrays()  # the timeline is saved with the model
        saver(path, state)
        self.model_path = path
        self.dirty = False
        self._emit("saved", path)

    def _do_probe_dataset(self, split: str, index: int) -> None:
        ds = self.trainer.dataset
        labels = ds.test_labels if split == "test" else ds.train_labels
        if not 0 <= index < labels.shape[0]:
            raise ValueError(f"there is no {split} sample {index}")
        image = ds.batch(split, np.array([index]))[0]
        self._do_probe(image, int(labels[index]), split, index)

    def _do_probe(self, image: np.ndarray, label: int, source: str, index: int) -> None:
        if self.trainer.current is not None:
            raise ValueError("finish the step under way (Step batch) before inspecting a sample")
        if self.running:
            self._set_running(False)
        net = self.trainer.net
        if label < 0:  # no target picked: the predicted class (δ then pulls towards it)
            label = int(np.argmax(net.infer(image[None])[0]))
        with net.evaluating():  # one sample: running statistics, no dropout, stats untouched
            net.begin_step(image[None], np.array([label]), None).run()
        self.sample_source, self.sample_index = source, index
        self._probe = (image, label)
        with self._lock:
            self._view.sample = 0

    def _do_evaluate(self) -> None:
        self.trainer.evaluate()

    # ------------------------------------------------------------------ snapshots
    def _publish(self, force: bool = False) -> None:
        with self._lock:
            if not (self._changed or force):
                return
            self._changed = False
            view = replace(self._view)
            generation = self._generation
        batch = self._metrics.take(self.trainer.metrics, generation)
        if batch is not None:  # (before the snapshot: the app has the entries it shows)
            self._emit("metrics", batch)
        self._slot.put(self._build(view, generation))
        self._last_publish = time.perf_counter()
        self._emit("published")


def one_line(exc: BaseException) -> str:
    """The first line of ``exc``'s message (its class name if it has none): how an error of
    the training reaches the app."""
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
