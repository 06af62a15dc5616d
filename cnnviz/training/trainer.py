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
"""

from __future__ import annotations

import copy
import math
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from typing import Any

import numpy as np

from cnnviz.engine import OPTIMIZER_NAMES, Network, Optimizer, Phase, StepResult, TrainingStep
from cnnviz.engine import make_optimizer as _make_optimizer
from cnnviz.errors import CnnvizError

from .architectures import build_network
from .events import Observable
from .metrics import MetricsHistory

# Images per forward pass when evaluating. Small enough that no single numpy call holds the
# interpreter lock for long (a copy of a 500-image im2col takes tens of milliseconds, during
# which the app's GUI thread would wait), large enough to keep the per-call overhead low.
EVAL_CHUNK = 128


class DivergenceError(CnnvizError):
    """A step produced a NaN or infinite loss or parameter, or a loss past the trainer's
    bound; the model is left as before it."""


class HyperparameterError(CnnvizError, ValueError):
    """A hyperparameter out of its range (a ValueError too, as it always was)."""


# A loss above DIVERGENCE_FACTOR × the first epoch's median loss (at least DIVERGENCE_FLOOR)
# and always above DIVERGENCE_LOSS counts as a divergence, as a NaN or ∞ does.
DIVERGENCE_FACTOR = 100.0
DIVERGENCE_FLOOR = 100.0
DIVERGENCE_LOSS = 1e6
# The activations of one training batch (batch size × values per image) at most: 4 GiB in
# float32, and as much again for the sensitivities.
MAX_BATCH_VALUES = 1 << 30


SCHEDULES = ("constant", "step", "cosine")


@dataclass
class Hyperparameters:
    """Everything that shapes a run besides the architecture and the data.

    ``schedule``: ``constant``; ``step`` multiplies the rate by ``gamma`` every
    ``step_epochs`` epochs; ``cosine`` anneals it to 0 over ``epochs``.
    ``eval_every``: steps between test evaluations (0: at the end of each epoch).
    ``stats_every``: steps between samples of the per-layer statistics.
    ``optimizer``: one of :data:`cnnviz.engine.OPTIMIZER_NAMES`. ``momentum`` is SGD's (and
    Nesterov's); ``beta1``, ``beta2`` are Adam's and AdamW's betas; ``alpha`` is RMSProp's
    decay; ``eps`` is added to the root mean square by Adam, AdamW and RMSProp (AdaGrad keeps
    PyTorch's 1e-10); ``weight_decay`` is L2 decay for all, decoupled for AdamW. All fields are
    plain scalars (the training process's commands send them one by one).
    """

    lr: float = 0.01
    momentum: float = 0.9
    weight_decay: float = 0.0
    optimizer: str = "sgd"
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    alpha: float = 0.99
    batch_size: int = 64
    epochs: int = 3
    seed: int = 0
    schedule: str = "constant"
    gamma: float = 0.5
    step_epochs: int = 1
    eval_every: int = 0
    stats_every: int = 10

    def validate(self) -> Hyperparameters:
        checks = [
            (0 < self.lr < math.inf, "learning rate must be positive and finite"),
            (0 <= self.momentum < 1, "momentum must lie in [0, 1)"),
            (0 <= self.weight_decay <= 1, "weight decay must lie in [0, 1]"),
            (
                self.optimizer in OPTIMIZER_NAMES,
                f"optimizer must be one of {', '.join(OPTIMIZER_NAMES)}",
            ),
            (self.optimizer != "nesterov" or self.momentum > 0, "Nesterov needs momentum > 0"),
            (0 <= self.beta1 < 1, "beta1 must lie in [0, 1)"),
            (0 <= self.beta2 < 1, "beta2 must lie in [0, 1)"),
            (0 < self.eps <= 1, "eps must lie in (0, 1]"),
            (0 <= self.alpha < 1, "alpha must lie in [0, 1)"),
            (1 <= self.batch_size <= 1 << 20, "batch size must lie in [1, 1,048,576]"),
            (1 <= self.epochs <= 1_000_000, "epochs must lie in [1, 1,000,000]"),
            (0 <= self.seed < 1 << 32, "seed must lie in [0, 2³² − 1]"),
            (self.schedule in SCHEDULES, f"schedule must be one of {', '.join(SCHEDULES)}"),
            (0 < self.gamma <= 1, "gamma must lie in (0, 1]"),
            (1 <= self.step_epochs <= 1_000_000, "step_epochs must lie in [1, 1,000,000]"),
            (0 <= self.eval_every <= 1 << 40, "eval_every must lie in [0, 2⁴⁰]"),
            (1 <= self.stats_every <= 1 << 40, "stats_every must lie in [1, 2⁴⁰]"),
        ]
        for ok, message in checks:
            if not ok:  # NaN fails every comparison, so it is refused too
                raise HyperparameterError(message)
        return self

    def lr_at(self, progress_epochs: float) -> float:
        """The learning rate after ``progress_epochs`` (fractional) epochs."""
        if self.schedule == "step":
            return self.lr * self.gamma ** int(progress_epochs // self.step_epochs)
        if self.schedule == "cosine":
            t = min(progress_epochs / self.epochs, 1.0)
            return self.lr * 0.5 * (1 + math.cos(math.pi * t))
        return self.lr

    def optimizer_options(self) -> dict[str, Any]:
        """The keyword arguments of :func:`cnnviz.engine.make_optimizer` for ``optimizer``
        (the learning rate at the start of the run)."""
        kind = self.optimizer
        out: dict[str, Any] = {"lr": self.lr, "weight_decay": self.weight_decay}
        if kind in ("sgd", "nesterov"):
            out["momentum"] = self.momentum
        elif kind in ("adam", "adamw"):
            out |= {"betas": (self.beta1, self.beta2), "eps": self.eps}
        elif kind == "rmsprop":
            out |= {"alpha": self.alpha, "eps": self.eps}
        return out

    def make_optimizer(self, net: Network) -> Optimizer:
        """The optimiser these hyperparameters name, over ``net``'s parameters."""
        try:
            return _make_optimizer(self.optimizer, net.named_params(), **self.optimizer_options())
        except ValueError as exc:
            raise HyperparameterError(str(exc)) from None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Hyperparameters:
        names = {f.name: f.type for f in fields(cls)}
        unknown = set(d) - set(names)
        if unknown:
            raise ValueError(f"unknown hyperparameters: {', '.join(sorted(unknown))}")
        hp = cls()
        for k, v in d.items():
            default = getattr(hp, k)
            if isinstance(default, str):
                if not isinstance(v, str):
                    raise HyperparameterError(f"hyperparameter {k} must be text")
            elif isinstance(v, bool) or not isinstance(v, int | float):
                raise HyperparameterError(f"hyperparameter {k} must be a number")
            elif isinstance(default, int) and isinstance(v, float) and not v.is_integer():
                raise HyperparameterError(f"hyperparameter {k} must be a whole number, got {v}")
            try:
                setattr(hp, k, type(default)(v))
            except OverflowError:
                raise HyperparameterError(f"hyperparameter {k} is out of range") from None
        return hp.validate()


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


@dataclass
class TrainerState:
    """Everything a model file holds about a run (arrays are the trainer's own, not copies)."""

    architecture: dict[str, Any]
    input_shape: tuple[int, ...]
    num_classes: int
    dtype: str
    dataset: str
    normalization: dict[str, Any]
    class_names: tuple[str, ...]
    hyperparameters: Hyperparameters
    params: dict[str, np.ndarray]
    # the optimiser's state_dict(): SGD's {"<param>": velocity}, the others' {"step": t,
    # "<param>.<slot>": array}
    velocity: dict[str, Any]
    step: int
    epoch: int
    sample_in_epoch: int
    metrics: MetricsHistory = field(default_factory=MetricsHistory)
    # optional extra arrays saved under "timeline/<name>" in a model file (weight snapshots)
    timeline: dict[str, np.ndarray] = field(default_factory=dict)
    # the optimiser's config() ({"kind": …, hyperparameters}); None: SGD from the
    # hyperparameters (version-1 files)
    optimizer: dict[str, Any] | None = None
    # the state buffers (batch norm's running statistics), by key as Network.named_buffers
    buffers: dict[str, np.ndarray] = field(default_factory=dict)
    # the dropout generators' states, Network.noise_state()
    noise: dict[str, Any] = field(default_factory=dict)


# the counters a checkpoint keeps (with the cached loss bound, which depends on the history)
_COUNTERS = ("step", "epoch", "sample_in_epoch", "images_seen", "train_seconds", "_loss_bound")


def _copied(tree: Any) -> Any:
    """A copy of nested dicts, tuples and lists of arrays (other values as they are)."""
    if isinstance(tree, np.ndarray):
        return tree.copy()
    if isinstance(tree, dict):
        return {k: _copied(v) for k, v in tree.items()}
    if isinstance(tree, (tuple, list)):
        return type(tree)(_copied(v) for v in tree)
    return tree


class Trainer(Observable):
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
    def steps_per_epoch(self) -> int:
        return math.ceil(self.train_size / self.hp.batch_size)

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
        if self.hp.optimizer == "sgd":
            opt.momentum = self.hp.momentum
        elif self.hp.optimizer == "nesterov":  # needs μ > 0, as validate() checked
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
        first = min(self.steps_per_epoch, 1000)
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

    # ------------------------------------------------------------------ going back
    def checkpoint(self) -> dict[str, Any]:
        """A copy of everything that decides how training goes on from here, between steps:
        parameters and state buffers, the optimiser's ``state_dict()`` and learning rate, the
        counters, the weights before the last update, the random generators of the layers
        (dropout) and the length of every metrics series. :meth:`restore` puts it back, after
        which training continues bit for bit as it did from here."""
        if self.current is not None:
            raise ValueError("a checkpoint is taken between steps")
        opt = self.optimizer
        return {
            "params": _copied(self.net.state_dict(buffers=True)),
            "optimizer": _copied(opt.state_dict()) if hasattr(opt, "state_dict") else None,
            "optimizer_attrs": {
                k: getattr(opt, k) for k in ("lr", "last_lr", "t") if hasattr(opt, k)
            },
            "backup": _copied(self._backup),
            "counters": {k: getattr(self, k) for k in _COUNTERS},
            "indices": None if self._current_indices is None else self._current_indices.copy(),
            "rngs": [
                (i, layer.rng.bit_generator.state)
                for i, layer in enumerate(self.net.layers)
                if isinstance(getattr(layer, "rng", None), np.random.Generator)
            ],
            "metrics": self.metrics.lengths(),
        }

    def restore(self, checkpoint: dict[str, Any]) -> None:
        """Go back to a :meth:`checkpoint` of this trainer (the step under way is dropped;
        later metric entries are truncated). The layers' traces are left as they are."""
        self.current = None
        self.net.load_state_dict(checkpoint["params"])
        opt = self.optimizer
        if checkpoint["optimizer"] is not None:
            opt.load_state_dict(_copied(checkpoint["optimizer"]))
        for k, v in checkpoint["optimizer_attrs"].items():
            setattr(opt, k, v)
        self._backup = _copied(checkpoint["backup"])
        for k, v in checkpoint["counters"].items():
            setattr(self, k, v)
        idx = checkpoint["indices"]
        self._current_indices = None if idx is None else idx.copy()
        for i, state in checkpoint["rngs"]:
            self.net.layers[i].rng.bit_generator.state = state
        self.metrics.truncate(checkpoint["metrics"])
        self._perm = None

    # ------------------------------------------------------------------ saving
    def state(self) -> TrainerState:
        ds = self.dataset
        norm = ds.normalization
        return TrainerState(
            architecture=self.architecture,
            input_shape=self.net.input_shape,
            num_classes=ds.num_classes,
            dtype=str(self.net.dtype),
            dataset=ds.name,
            normalization=norm.to_dict() if hasattr(norm, "to_dict") else dict(norm),
            class_names=tuple(ds.class_names),
            hyperparameters=self.hp,
            params=self.net.state_dict(),
            velocity=self.optimizer.state_dict(),
            step=self.step,
            epoch=self.epoch,
            sample_in_epoch=self.sample_in_epoch,
            metrics=self.metrics,
            optimizer=self.optimizer.config(),
            buffers=dict(self.net.named_buffers()),
            noise=self.net.noise_state(),
        )

    @classmethod
    def from_state(cls, state: TrainerState, dataset: Any) -> Trainer:
        """Rebuild a trainer from a validated state; raises before touching anything shared."""
        net = build_network(
            state.architecture, state.input_shape, state.num_classes, state.dtype,
            state.hyperparameters.seed,
        )  # fmt: skip
        trainer = cls(net, dataset, state.hyperparameters, state.architecture)
        if not 0 <= state.sample_in_epoch < trainer.train_size:
            raise CnnvizError(
                f"the run is {state.sample_in_epoch:,} samples into epoch {state.epoch + 1}, "
                f"but {dataset.name} has {trainer.train_size:,} training images"
            )
        hp_kind = "sgd" if state.hyperparameters.optimizer == "nesterov" else None
        hp_kind = hp_kind or state.hyperparameters.optimizer
        saved_kind = "sgd" if state.optimizer is None else state.optimizer.get("kind")
        if saved_kind != hp_kind:  # the optimiser was changed on resuming: it starts afresh
            state = copy.copy(state)
            state.velocity = trainer.optimizer.state_dict()
        elif state.optimizer is not None:
            cfg = dict(state.optimizer)
            try:
                trainer.optimizer = _make_optimizer(cfg.pop("kind"), net.named_params(), **cfg)
            except (ValueError, TypeError, KeyError) as exc:
                raise CnnvizError(f"the saved optimiser cannot be rebuilt: {exc}") from None
            trainer._make_backup()
        try:
            net.load_state_dict(state.params | state.buffers)
            net.load_noise_state(state.noise)
            trainer.optimizer.load_state_dict(state.velocity)
        except ValueError as exc:
            raise CnnvizError(f"the saved run does not fit its network: {exc}") from None
        trainer.step, trainer.epoch = state.step, state.epoch
        trainer.sample_in_epoch = state.sample_in_epoch
        trainer.metrics = state.metrics
        trainer.restored_timeline = dict(state.timeline)  # for the session's Timeline
        return trainer
