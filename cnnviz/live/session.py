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

from cnnviz.engine import MaxPool2D, Phase, Pool2D
from cnnviz.lessons.convsteps import conv_layers_of
from cnnviz.lessons.explain import explain_phase
from cnnviz.lessons.update import phase_label
from cnnviz.training.events import Observable
from cnnviz.training.stages import MAP_KINDS, stage_arrays, stage_of_phase, stages_of
from cnnviz.training.timeline import Timeline
from cnnviz.training.trainer import Trainer

from .metrics import MetricsCursor
from .snapshot import InspectorData, LatestSlot, Snapshot, ViewRequest

# Speeds offered by the app, slowest first: (label, mode, rate). ``rate`` is phases per second
# in "phase" mode, steps per second in "batch" mode, None for as fast as possible.
SPEEDS: list[tuple[str, str, float | None]] = [
    ("1 phase/s", "phase", 1.0),
    ("3 phases/s", "phase", 3.0),
    ("10 phases/s", "phase", 10.0),
    ("1 batch/s", "batch", 1.0),
    ("5 batches/s", "batch", 5.0),
    ("20 batches/s", "batch", 20.0),
    ("full speed", "batch", None),
]
FULL_SPEED = len(SPEEDS) - 1

# Undo keeps a checkpoint of the trainer before each of the last UNDO_STEPS steps, within
# UNDO_BYTES (the oldest go first; a network whose checkpoint alone exceeds UNDO_BYTES / 20
# keeps fewer). A LeNet-5 checkpoint is about 1 MB.
UNDO_STEPS = 50
FOLLOWED = ("activation", "delta")  # the map kinds ViewRequest.follow_phase switches between
UNDO_BYTES = 512 * 2**20


class Session(Observable):
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

    def replace_trainer(self, factory: Callable[[], Trainer], path: str | None = None) -> None:
        """Build a new trainer on the worker (it may load data or a file) and switch to it."""
        self._post(self._do_replace, factory, path)

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

    def _do_replace(self, factory: Callable[[], Trainer], path: str | None) -> None:
        trainer = factory()  # may raise: then nothing has changed
        self.running = False
        self._emit("running", False)
        self._attach(trainer)
        self._new_generation()
        self.dirty = False
        self.model_path = path
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

    # ------------------------------------------------------------------ undo
    def _forget_undo(self) -> None:
        self._undo.clear()
        self._undo_bytes = 0

    def _push_undo(self) -> None:
        """Keep a checkpoint of the trainer before the step about to begin."""
        cp = self.trainer.checkpoint()
        cp["nbytes"] = _nbytes(cp)
        self._undo.append((cp, self.evaluation))
        self._undo_bytes += cp["nbytes"]
        while len(self._undo) > UNDO_STEPS or (
            self._undo_bytes > UNDO_BYTES and len(self._undo) > 1
        ):
            self._undo_bytes -= self._undo.pop(0)[0]["nbytes"]

    def _pop_undo(self) -> tuple[dict[str, Any], Any]:
        cp, evaluation = self._undo.pop()
        self._undo_bytes -= cp["nbytes"]
        return cp, evaluation

    @property
    def undo_depth(self) -> int:
        """Steps that undo can go back (the step under way counts as one)."""
        return len(self._undo)

    def _do_undo(self, mode: str) -> None:
        if self.running:
            self._set_running(False)
        tr = self.trainer
        if not self._undo:
            raise ValueError("nothing to undo: the oldest step kept is reached")
        phases = len(tr.net.phases())
        if tr.current is not None:
            target = tr.current.position - 1 if mode == "phase" else 0
        else:
            target = phases - 1 if mode == "phase" else 0
        cp, evaluation = self._pop_undo()
        with np.errstate(over="ignore", invalid="ignore"):
            if target > 0:  # inside the step: replay its first phases from before it
                tr.restore(cp)
                self.evaluation = evaluation
                self._push_undo()
                for _ in range(target):
                    self._phase_done = tr.step_phase()
            else:
                self._back_to(cp, evaluation)
        self._after_undo()

    def _back_to(self, cp: dict[str, Any], evaluation: Any) -> None:
        """Between steps at checkpoint ``cp``, with the traces of the step before it: that
        step is replayed from its own checkpoint when undo keeps one (bit for bit the same)."""
        tr = self.trainer
        self._phase_done = None
        if self._undo:
            before, before_eval = self._undo[-1]
            tr.restore(before)
            self.evaluation = before_eval
            tr.step_batch()
        else:
            tr.restore(cp)
            idx = tr.current_indices
            if idx is not None and tr.step > 0:  # the oldest kept: trace that batch again
                x = tr.dataset.batch("train", idx)
                tr.net.begin_step(x, tr.dataset.train_labels[idx], None).run()
        self.evaluation = evaluation

    def _after_undo(self) -> None:
        self.dirty = True
        self.sample_source, self._probe = "batch", None
        self._metrics.restart()  # the app's history is sent again, without the undone entries
        self._changed = True

    def _do_resume(self, step: int) -> None:
        if self.running:
            self._set_running(False)
        tr = self.trainer
        if step == tr.step and tr.current is None:
            return
        steps = [cp["counters"]["step"] for cp, _ in self._undo]
        if step not in steps:
            oldest = f"step {steps[0]}" if steps else "this step"
            raise ValueError(
                f"step {step} is too far back to resume from exactly (the oldest kept is {oldest})"
            )
        while self._undo[-1][0]["counters"]["step"] != step:
            self._pop_undo()
        cp, evaluation = self._pop_undo()
        with np.errstate(over="ignore", invalid="ignore"):
            self._back_to(cp, evaluation)
        self._after_undo()

    def resumable_steps(self) -> list[int]:
        """The steps :meth:`resume_from` can go back to (worker thread, or no worker)."""
        return [cp["counters"]["step"] for cp, _ in self._undo]

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

    def _build(self, view: ViewRequest, generation: int) -> Snapshot:
        tr = self.trainer
        net = tr.net
        self._serial += 1
        first = net.layers[0]
        n = first.x.shape[0] if first.x is not None else 0
        sample = min(max(view.sample, 0), max(n - 1, 0))
        view = replace(view, sample=sample)
        step = tr.current
        fresh = self._fresh_kinds(step)
        last_phase = step.last_phase if step is not None else None
        if view.follow_phase and last_phase is not None and view.map_kind in FOLLOWED:
            # stepping phases: δ while the backward pass runs, f(u) going forward
            kind = {"forward": "activation", "backward": "delta"}.get(last_phase.kind)
            view = replace(view, map_kind=kind or view.map_kind)
        maps = []
        for stage in self.stages:  # (the overview greys a forward pass's stale maps)
            arr = stage_arrays(net, stage)[view.map_kind] if n else None
            maps.append(None if arr is None else arr[sample].copy())
        loss_done = step is None or step.loss is not None or self.sample_source != "batch"
        phase_labels = [phase_label(net, p, tr.optimizer) for p in net.phases()]
        image, label, probs, index = None, None, None, -1
        if n:
            if self.sample_source == "batch":
                idx = tr.current_indices
                if idx is not None and sample < len(idx):
                    index = int(idx[sample])
                    image = tr.dataset.raw("train", index) if hasattr(tr.dataset, "raw") else None
                    label = int(tr.dataset.train_labels[index])  # the image's own label
            else:
                image, index = self._probe[0].copy(), self.sample_index
                if self.sample_source in ("test", "train") and hasattr(tr.dataset, "raw"):
                    image = tr.dataset.raw(self.sample_source, index)
            labels = net.loss.labels
            if labels is not None and sample < len(labels) and net.loss.y is not None:
                if label is None:
                    label = int(labels[sample])
                if net.loss.y.shape[0] == n and loss_done:  # else the previous batch's
                    probs = np.array(net.loss.probabilities()[sample])
        stage_sel = min(max(view.stage, 0), len(self.stages) - 1)
        inspector = (
            self._inspect(self.stages[stage_sel], sample, view.histograms, fresh)
            if n and view.inspect
            else None
        )
        rate = 0.0
        if len(self._rate_window) >= 2:
            (t0, i0), (t1, i1) = self._rate_window[0], self._rate_window[-1]
            rate = (i1 - i0) / (t1 - t0) if t1 > t0 else 0.0
        return Snapshot(
            serial=self._serial,
            generation=generation,
            architecture=str(tr.architecture.get("name", "custom")),
            dataset=tr.dataset.name,
            class_names=tuple(tr.dataset.class_names),
            step=tr.step,
            epoch=tr.epoch,
            epoch_progress=tr.sample_in_epoch / max(tr.train_size, 1),
            epochs=tr.hp.epochs,
            running=self.running,
            speed=self.speed,
            full_speed=self.speed == FULL_SPEED,
            lr=tr.optimizer.lr,
            phases=phase_labels,
            phase_position=step.position if step is not None else 0,
            last_phase=phase_label(net, last_phase, tr.optimizer) if last_phase else None,
            active_stage=stage_of_phase(self.stages, last_phase),
            active_direction=last_phase.kind if last_phase else None,
            stages=self.stages,
            maps=maps,
            view=view,
            sample_source=self.sample_source,
            sample_index=index,
            sample_image=image,
            sample_label=label,
            probabilities=probs,
            batch_size=n,
            loss=net.loss.value if n and loss_done else None,
            inspector=inspector,
            evaluation=self.evaluation,
            images_per_s=rate,
            dirty=self.dirty,
            model_path=self.model_path,
            finished=tr.finished,
            configured_epochs=self.configured_epochs,
            undo_depth=len(self._undo),
            resumable=tuple(cp["counters"]["step"] for cp, _ in self._undo),
            **(self._explain(view, sample, last_phase) if view.explain and n else {}),
        )

    def _explain(self, view: ViewRequest, sample: int, phase: Phase | None) -> dict[str, Any]:
        """The lecture panels' part of a snapshot: the rule of the phase just run, at the
        selected position when the phase belongs to the inspected stage, and the conv layers'
        inputs and kernels for the selected sample."""
        tr = self.trainer
        if phase is None and self.sample_source == "batch":
            phase = self._phase_done  # the update ends the step: the trainer forgets it
        explanation = None
        if phase is not None:
            stage = self.stages[min(max(view.stage, 0), len(self.stages) - 1)]
            own = phase.layer is None or stage_of_phase(self.stages, phase) == stage.index
            try:
                explanation = explain_phase(
                    tr.net, phase, sample, view.position if own else None, tr.optimizer.lr,
                    optimizer=tr.optimizer, before=tr.before_update,
                    layer=stage.main,
                )  # fmt: skip
            except Exception:  # noqa: BLE001 - a trace the explainer cannot read: no panel
                explanation = None
        # between steps the update has run since the forward pass: show the weights it used
        used = tr.current is None and self.sample_source == "batch" and tr.step > 0
        convs = conv_layers_of(tr.net, sample, self.stages, tr.before_update if used else None)
        return {"explanation": explanation, "conv_layers": convs}

    def _fresh_kinds(self, step) -> Callable[[Any], set[str]]:
        """``fresh(stage)``: the map kinds of ``stage`` computed for the traced batch. Inside a
        step, a stage's u and f(u) are the new batch's once its forward phase ran, δ and
        ∂E/∂input once its backward phase ran; before that they are the previous batch's."""
        every = set(MAP_KINDS)
        if step is None or self.sample_source != "batch":
            return lambda stage: every
        done = self.trainer.net.phases()[: step.position]
        forward = {p.layer for p in done if p.kind == "forward"}
        backward = {p.layer for p in done if p.kind == "backward"}

        def fresh(stage) -> set[str]:
            if stage.main is None:  # the input: the batch itself
                return {"activation", "net"} | ({"delta"} if 0 in backward else set())
            out = set()
            last = stage.activations[-1] if stage.activations else stage.main
            if stage.main in forward:
                out.add("net")
            if last in forward:
                out.add("activation")
            if stage.main in backward:
                out |= {"delta", "grad_input"}
            return out

        return fresh

    def _inspect(self, stage, sample: int, histograms: bool, fresh=None) -> InspectorData:
        net = self.trainer.net
        arrays = stage_arrays(net, stage)
        kinds = fresh(stage) if fresh is not None else set(MAP_KINDS)
        maps = {
            k: (None if a is None or k not in kinds else a[sample].copy())
            for k, a in arrays.items()
        }
        data = InspectorData(stage=stage, maps=maps)
        if stage.main is None:
            return data
        layer = net.layers[stage.main]
        opt = self.trainer.optimizer
        for key, p in layer.params.items():
            data.params[key] = p.copy()
            data.grads[key] = layer.grads[key].copy()
            data.updates[key] = opt.update(f"{layer.name}.{key}")
        if isinstance(layer, Pool2D) and layer.x is not None:
            data.pool_input = layer.x[sample].copy()
            if isinstance(layer, MaxPool2D) and layer.argmax is not None:
                data.argmax_mask = layer.argmax_mask(sample)
            if layer.dx is not None:
                data.routed_delta = layer.dx[sample].copy()
        if histograms:
            for key in ("weight", "beta"):
                if key in data.params:
                    data.histograms[key] = np.histogram(data.params[key], bins=40)
                    data.histograms[f"d{key}"] = np.histogram(data.grads[key], bins=40)
            for kind in ("activation", "delta"):
                if maps.get(kind) is not None:
                    data.histograms[kind] = np.histogram(maps[kind], bins=40)
        with np.errstate(all="ignore"):  # a diverged network shows inf, not a warning
            data.stats = _stats(maps, data, net.layers, stage)
        return data


def _nbytes(tree: Any) -> int:
    if isinstance(tree, np.ndarray):
        return tree.nbytes
    if isinstance(tree, dict):
        return sum(_nbytes(v) for v in tree.values())
    if isinstance(tree, (tuple, list)):
        return sum(_nbytes(v) for v in tree)
    return 0


def _stats(maps, data: InspectorData, layers, stage) -> dict[str, float]:
    out: dict[str, float] = {}
    act = maps.get("activation")
    if act is not None:
        out.update(
            {"min": float(act.min()), "max": float(act.max()), "mean": float(act.mean()),
             "std": float(act.std())}
        )  # fmt: skip
    key = "weight" if "weight" in data.params else ("beta" if "beta" in data.params else None)
    if key is not None:
        wn = float(np.linalg.norm(data.params[key]))
        w = "W" if key == "weight" else "β"
        out[f"‖{w}‖"] = wn
        out[f"‖∂E/∂{w}‖"] = float(np.linalg.norm(data.grads[key]))
        out[f"‖Δ{w}‖/‖{w}‖"] = float(np.linalg.norm(data.updates[key])) / wn if wn else 0.0
    if maps.get("delta") is not None:
        out["‖δ‖"] = float(np.linalg.norm(maps["delta"]))
    relu = [layers[i] for i in stage.activations if layers[i].kind == "relu"]
    if relu and relu[0].y is not None:
        y = relu[0].y
        out["dead ReLUs"] = 1.0 - float((y.reshape(y.shape[0], -1) > 0).any(axis=0).mean())
    return out


def one_line(exc: BaseException) -> str:
    """The first line of ``exc``'s message (its class name if it has none): how an error of
    the training reaches the app."""
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
