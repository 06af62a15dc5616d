"""The trainer: a network, a dataset, an optimiser and the hyperparameters, stepped by batch or
by phase.

The trainer knows nothing of who watches it. Observers subscribe to events with
:meth:`Trainer.subscribe`:

==============  ==========================================  ==================================
event           payload                                     when
==============  ==========================================  ==================================
``phase``       :class:`cnnviz.engine.Phase`                after every phase of a step
``step``        :class:`StepInfo`                           after every completed step
``epoch``       epoch number just finished (int)            at the end of every epoch
``evaluating``  (images done, images in all)                after every chunk of an evaluation
``eval``        :class:`EvalResult`                         after every evaluation
``diverged``    message (str)                               when a step diverged (below)
==============  ==========================================  ==================================

Divergence: a step whose loss is NaN or ∞, or above :meth:`Trainer.loss_bound` (100 times the
median loss of the first epoch, never more than ``10⁶``), or whose update would leave NaN or ∞
in a parameter, is stopped before its update: :class:`DivergenceError` is raised and the
parameters and the optimiser's state are those of the step before, so they can be saved or
trained on.

Modes: training steps run the network in training mode (batch statistics in batch norm,
dropout masks); the test evaluation runs in evaluation mode (running statistics, no dropout)
and leaves the mode as it was.

Determinism: the order of samples in epoch *e* is ``default_rng([seed, e]).permutation``, and
the position in it is a sample count, so the same seed gives the same run and a run resumed
from a model file continues exactly as an uninterrupted one would.

This module holds the step loop and the evaluation; the hyperparameters and the schedule are in
:mod:`cnnviz.training.hyperparameters`, checkpoints (undo) and the saved state in
:mod:`cnnviz.training.checkpoints` (their names are re-exported here).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from cnnviz.engine import Network, Phase, StepResult, TrainingStep
from cnnviz.errors import CnnvizError

from .architectures import build_network
from .checkpoints import TrainerCheckpoints, TrainerState
from .events import Observable
from .hyperparameters import SCHEDULES, HyperparameterError, Hyperparameters
from .metrics import MetricsHistory

__all__ = [
    "SCHEDULES", "DivergenceError", "EvalResult", "HyperparameterError", "Hyperparameters",
    "StepInfo", "Trainer", "TrainerState",
]  # fmt: skip

# Images per forward pass when evaluating. Small enough that no single numpy call holds the
# interpreter lock for long (a copy of a 500-image im2col takes tens of milliseconds, during
# which the app's GUI thread would wait), large enough to keep the per-call overhead low.
EVAL_CHUNK = 128


class DivergenceError(CnnvizError):
    """A step produced a NaN or infinite loss or parameter, or a loss past the trainer's
    bound; the model is left as before it."""


# A loss above DIVERGENCE_FACTOR × the first epoch's median loss (at least DIVERGENCE_FLOOR)
# and always above DIVERGENCE_LOSS counts as a divergence, as a NaN or ∞ does.
DIVERGENCE_FACTOR = 100.0
DIVERGENCE_FLOOR = 100.0
DIVERGENCE_LOSS = 1e6
# The activations of one training batch (batch size × values per image) at most: 4 GiB in
# float32, and as much again for the sensitivities.
MAX_BATCH_VALUES = 1 << 30


@dataclass
class StepInfo:
    step: int  # steps completed so far (this one included)
    epoch: int  # epoch this step belonged to (0-based)
    epoch_progress: float  # fraction of that epoch done after this step
    loss: float
    accuracy: float  # on this batch
    lr: float
    batch_indices: np.ndarray  # (B,) indices into the training set


@dataclass
class EvalResult:
    step: int
    accuracy: float
    loss: float
    confusion: np.ndarray  # (K, K) int64: row = true class, column = predicted
    predictions: np.ndarray  # (M,) int64
    split: str = "test"


class Trainer(TrainerCheckpoints, Observable):
    """Holds a network, a dataset (any object with the :class:`cnnviz.datasets.Dataset`
    interface), an optimiser (``hyperparameters.optimizer``) and a :class:`MetricsHistory`,
    and advances training."""

    def __init__(
        self,
        net: Network,
        dataset: Any,
        hyperparameters: Hyperparameters | None = None,
        architecture: dict[str, Any] | None = None,
    ) -> None:
        self.net = net
        self.dataset = dataset
        self.hp = (hyperparameters or Hyperparameters()).validate()
        self.architecture = architecture or {}
        if tuple(dataset.input_shape) != net.input_shape:
            raise ValueError(
                f"the network expects input {net.input_shape} but dataset "
                f"{dataset.name} gives {tuple(dataset.input_shape)}"
            )
        if net.output_shape != (dataset.num_classes,):
            raise ValueError(
                f"the network has {net.output_shape[0]} outputs but dataset {dataset.name} "
                f"has {dataset.num_classes} classes"
            )
        self._check_batch_size(self.hp.batch_size)
        self.optimizer = self.hp.make_optimizer(net)
        self._make_backup()
        self.metrics = MetricsHistory()
        self.step = 0
        self.epoch = 0
        self.sample_in_epoch = 0
        self.current: TrainingStep | None = None
        self._current_indices: np.ndarray | None = None
        self._perm: tuple[int, np.ndarray] | None = None
        self.images_seen = 0
        self.train_seconds = 0.0
        self.restored_timeline: dict[str, np.ndarray] = {}
        self._loss_bound: float | None = None  # cached once the first epoch is done

    @classmethod
    def create(
        cls,
        architecture: dict[str, Any] | str,
        dataset: Any,
        hyperparameters: Hyperparameters | None = None,
        dtype: str = "float32",
    ) -> Trainer:
        """Build the architecture for ``dataset`` and a trainer around it."""
        from contextlib import nullcontext

        from .architectures import load_architecture, named_file

        spec = load_architecture(architecture) if isinstance(architecture, str) else architecture
        hp = (hyperparameters or Hyperparameters()).validate()
        with named_file(architecture) if isinstance(architecture, str) else nullcontext():
            net = build_network(
                spec, tuple(dataset.input_shape), dataset.num_classes, dtype=dtype, seed=hp.seed
            )
        return cls(net, dataset, hp, spec)

    def check_batch_fits(self, batch_size: int | None = None) -> None:
        """Refuse a batch size larger than the training set (a batch is otherwise cut to the
        images left in the epoch; the command line asks for this check when the size is given
        explicitly)."""
        batch_size = self.hp.batch_size if batch_size is None else batch_size
        if batch_size > self.train_size:
            raise HyperparameterError(
                f"batch size {batch_size:,} is larger than the {self.train_size:,} training "
                f"images of {self.dataset.name}"
            )

    def _check_batch_size(self, batch_size: int) -> None:
        """A batch (never more than the training set) whose activations fit the budget
        ``MAX_BATCH_VALUES``."""
        batch_size = min(batch_size, int(self.dataset.train_labels.shape[0]))
        per_image = math.prod(self.net.input_shape) + sum(
            math.prod(layer.out_shape) for layer in self.net.layers
        )
        if batch_size * per_image > MAX_BATCH_VALUES:
            raise HyperparameterError(
                f"batch size {batch_size:,}: a batch would hold {batch_size * per_image:,} "
                f"activations, more than the {MAX_BATCH_VALUES:,} allowed "
                f"(at most {MAX_BATCH_VALUES // per_image:,} images of this network)"
            )

    # ------------------------------------------------------------------ batches
    @property
    def train_size(self) -> int:
        return int(self.dataset.train_labels.shape[0])

    @property
    def finished(self) -> bool:
        return self.epoch >= self.hp.epochs and self.current is None

    @property
    def current_indices(self) -> np.ndarray | None:
        """Training-set indices of the batch of the step under way (or of the last step)."""
        return self._current_indices

    def _make_backup(self) -> None:
        """Preallocate the copies a guarded update writes (parameters, optimiser state)."""
        params = self.net.named_params()
        self._param_backup = {k: np.empty_like(p) for k, p, _ in params}
        self._opt_backup = self.optimizer.backup()
        slots = self.optimizer.slots
        self._backup = {
            k: (
                self._param_backup[k],
                self._opt_backup[f"{k}.{slots[0]}"] if slots else np.zeros_like(p),
            )
            for k, p, _ in params
        }

    @property
    def before_update(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """``{name: (parameter, state)}`` as they were before the last update (read only:
        the weights that update's forward and backward passes used); ``state`` is the
        optimiser's first state array (SGD's velocity, Adam's m, …). All of the state before
        the update is :attr:`optimizer_before_update`."""
        return self._backup

    @property
    def optimizer_before_update(self) -> dict[str, Any]:
        """The optimiser's :meth:`~cnnviz.engine.Optimizer.backup` from before the last
        update (``{"step": t, "<param>.<slot>": array}``; read only)."""
        return self._opt_backup

    def permutation(self, epoch: int) -> np.ndarray:
        if self._perm is None or self._perm[0] != epoch:
            rng = np.random.default_rng([self.hp.seed, epoch])
            self._perm = (epoch, rng.permutation(self.train_size))
        return self._perm[1]

    def next_batch_indices(self) -> np.ndarray:
        perm = self.permutation(self.epoch)
        return perm[self.sample_in_epoch : self.sample_in_epoch + self.hp.batch_size]

    # ------------------------------------------------------------------ stepping
    def _begin(self) -> TrainingStep:
        idx = self.next_batch_indices()
        x = self.dataset.batch("train", idx)
        labels = self.dataset.train_labels[idx]
        progress = self.epoch + self.sample_in_epoch / self.train_size
        opt = self.optimizer
        opt.lr = self.hp.lr_at(progress)
        opt.weight_decay = self.hp.weight_decay
        if self.hp.optimizer in ("sgd", "nesterov"):  # Nesterov's μ > 0: validate() checked
            opt.momentum = self.hp.momentum
        elif self.hp.optimizer in ("adam", "adamw"):
            opt.betas, opt.eps = (self.hp.beta1, self.hp.beta2), self.hp.eps
        elif self.hp.optimizer == "rmsprop":
            opt.alpha, opt.eps = self.hp.alpha, self.hp.eps
        self._current_indices = idx
        self.current = self.net.begin_step(x, labels, self.optimizer)
        return self.current

    def step_phase(self) -> Phase:
        """Advance one phase, starting a new step on the next batch when none is under way."""
        step = self.current or self._begin()
        phase = self._advance(step)
        self._emit("phase", phase)
        if step.done:
            self._finish(step)
        return phase

    def step_batch(self) -> StepInfo:
        """Complete the step under way, or run one whole step on the next batch."""
        step = self.current or self._begin()
        t0 = time.perf_counter()
        while not step.done:
            phase = self._advance(step)
            if self._has_listeners("phase"):
                self._emit("phase", phase)
        self.train_seconds += time.perf_counter() - t0
        return self._finish(step)

    def _advance(self, step: TrainingStep) -> Phase:
        """Run the next phase of ``step``; a NaN or ∞ stops training as a divergence."""
        phase = step.next_phase
        try:
            if phase.kind == "update":
                self._guarded_update(step)
            else:
                step.advance()
        except FloatingPointError as exc:
            self._diverge(str(exc))
        if phase.kind == "loss" and step.loss is not None and step.loss > self.loss_bound():
            self._diverge(
                f"the loss {step.loss:.3g} exceeds {self.loss_bound():.3g}, this run's bound "
                "(100 times the first epoch's median loss, within [100, 10⁶])"
            )
        return phase

    def loss_bound(self) -> float:
        """The loss above which a step counts as diverged: ``DIVERGENCE_FACTOR`` × the median
        loss of the first epoch (of its steps so far, during it; of its first 1,000 steps at
        most), at least ``DIVERGENCE_FLOOR`` and at most ``DIVERGENCE_LOSS``."""
        if self._loss_bound is not None:
            return self._loss_bound
        first = min(math.ceil(self.train_size / self.hp.batch_size), 1000)  # steps of epoch 1
        n = min(len(self.metrics.loss), first)
        if n == 0:
            return DIVERGENCE_LOSS
        median = float(np.median(self.metrics.loss.values(0, n)))
        bound = min(DIVERGENCE_LOSS, max(DIVERGENCE_FLOOR, DIVERGENCE_FACTOR * median))
        if not math.isfinite(bound):
            bound = DIVERGENCE_LOSS
        if n == first:
            self._loss_bound = bound
        return bound

    def _guarded_update(self, step: TrainingStep) -> None:
        """The update phase, refusing to leave NaN or ∞ in the parameters."""
        params = self.net.named_params()
        for key, _, g in params:
            if not np.isfinite(g).all():
                raise FloatingPointError(f"the gradient of {key} is not finite")
        for key, p, _ in params:
            np.copyto(self._param_backup[key], p)
        self.optimizer.backup(self._opt_backup)
        step.advance()
        for key, p, _ in params:
            if not np.isfinite(p).all():
                for k2, p2, _ in params:
                    np.copyto(p2, self._param_backup[k2])
                self.optimizer.restore(self._opt_backup)
                raise FloatingPointError(f"the update made {key} overflow")

    def _diverge(self, reason: str) -> None:
        self.current = None
        message = (
            f"training diverged at step {self.step + 1}: {reason}; the model is as it was "
            f"before that step (try a smaller learning rate than {self.optimizer.lr:g})"
        )
        self._emit("diverged", message)
        raise DivergenceError(message)

    def _finish(self, step: TrainingStep) -> StepInfo:
        result: StepResult = step.result()
        idx = self._current_indices
        self.current = None
        epoch = self.epoch
        self.step += 1
        self.images_seen += result.batch_size
        self.sample_in_epoch += result.batch_size
        self.metrics.step.append(self.step)
        self.metrics.loss.append(result.loss)
        acc = result.correct / result.batch_size
        self.metrics.train_accuracy.append(acc)
        if self.step % self.hp.stats_every == 0 or self.step == 1:
            self._record_layer_stats()
        info = StepInfo(
            step=self.step,
            epoch=epoch,
            epoch_progress=min(self.sample_in_epoch / self.train_size, 1.0),
            loss=result.loss,
            accuracy=acc,
            lr=self.optimizer.lr,
            batch_indices=idx,
        )
        self._emit("step", info)
        if self.hp.eval_every and self.step % self.hp.eval_every == 0:
            self.evaluate()
        if self.sample_in_epoch >= self.train_size:
            self.epoch += 1
            self.sample_in_epoch = 0
            if not self.hp.eval_every:
                self.evaluate()
            self._emit("epoch", epoch)
        return info

    def run(
        self,
        should_stop: Callable[[], bool] | threading.Event | None = None,
        max_steps: int | None = None,
    ) -> None:
        """Step batches until the epochs are done, ``should_stop()`` is true or
        ``max_steps`` steps have run."""
        stop = should_stop.is_set if isinstance(should_stop, threading.Event) else should_stop
        done = 0
        while not self.finished and (max_steps is None or done < max_steps):
            if stop is not None and stop():
                break
            self.step_batch()
            done += 1

    # ------------------------------------------------------------------ measuring
    def _record_layer_stats(self) -> None:
        m = self.metrics
        m.stats_step.append(self.step)
        layers = self.net.layers
        for i, layer in enumerate(layers):
            if "weight" not in layer.params and "beta" not in layer.params:
                continue
            key = "weight" if "weight" in layer.params else "beta"
            w = layer.params[key]
            update = self.optimizer.update(f"{layer.name}.{key}")  # ΔW of the last step
            wn = float(np.linalg.norm(w))
            m.layer_series(layer.name, "grad_norm").append(float(np.linalg.norm(layer.grads[key])))
            m.layer_series(layer.name, "update_ratio").append(
                float(np.linalg.norm(update)) / wn if wn else 0.0
            )
            if layer.dy is not None:
                n = layer.dy.shape[0]
                d = layer.dy.reshape(n, -1)
                per_sample = np.sqrt(np.einsum("ij,ij->i", d, d))
                m.layer_series(layer.name, "delta_norm").append(float(per_sample.mean() * n))
            nxt = layers[i + 1] if i + 1 < len(layers) else None
            if nxt is not None and nxt.kind == "relu" and nxt.y is not None:
                alive = (nxt.y.reshape(nxt.y.shape[0], -1) > 0).any(axis=0)
                m.layer_series(layer.name, "dead_fraction").append(1.0 - float(alive.mean()))

    def evaluate(self, max_samples: int | None = None, split: str = "test") -> EvalResult:
        """Accuracy, loss and confusion matrix on the test set (or its first ``max_samples``)."""
        labels_all = self.dataset.test_labels if split == "test" else self.dataset.train_labels
        m = labels_all.shape[0] if max_samples is None else min(max_samples, labels_all.shape[0])
        k = self.dataset.num_classes
        preds = np.empty(m, dtype=np.int64)
        loss_sum = 0.0
        chunk = EVAL_CHUNK
        for start in range(0, m, chunk):  # infer runs in evaluation mode
            idx = np.arange(start, min(start + chunk, m))
            scores = self.net.infer(self.dataset.batch(split, idx))
            preds[idx] = scores.argmax(axis=1)
            loss_sum += self._loss_of(scores, labels_all[idx]) * idx.size
            self._emit("evaluating", (int(idx[-1]) + 1, m))
        labels = labels_all[:m].astype(np.int64)
        confusion = np.zeros((k, k), dtype=np.int64)
        np.add.at(confusion, (labels, preds), 1)
        acc = float((preds == labels).mean()) if m else float("nan")
        loss = loss_sum / m if m else float("nan")  # an empty split has no loss
        result = EvalResult(self.step, acc, loss, confusion, preds, split)
        if split == "test" and max_samples is None:
            self.metrics.eval_step.append(self.step)
            self.metrics.test_accuracy.append(acc)
            self.metrics.test_loss.append(result.loss)
        self._emit("eval", result)
        return result

    def _loss_of(self, scores: np.ndarray, labels: np.ndarray) -> float:
        # a fresh loss object so the trainer's loss keeps the trace of the last step
        loss = type(self.net.loss).__new__(type(self.net.loss))
        loss.__dict__.update(self.net.loss.__dict__)
        return loss.forward(scores, labels)

    # ------------------------------------------------------------------ changing
    def set_hyperparameters(self, **changes: Any) -> None:
        """Change hyperparameters; they take effect from the next step."""
        hp = Hyperparameters.from_dict(self.hp.to_dict() | changes)
        self._check_batch_size(hp.batch_size)
        if hp.optimizer != self.hp.optimizer:
            if self.current is not None:
                raise HyperparameterError("the optimiser can change between steps, not in one")
            self.optimizer = hp.make_optimizer(self.net)  # a new one: its state starts afresh
            self._make_backup()
        if hp.seed != self.hp.seed:
            self._perm = None
        self.hp = hp

    def reinitialize(self, seed: int | None = None) -> None:
        """Fresh parameters and an empty history, as a new trainer with this seed."""
        if seed is not None:
            self.hp.seed = int(seed)
        self.net.reinitialize(self.hp.seed)
        self.optimizer.reset()
        self.metrics = MetricsHistory()
        self._loss_bound = None
        self.step = self.epoch = self.sample_in_epoch = 0
        self.current = None
        self._perm = None
        self.images_seen, self.train_seconds = 0, 0.0
