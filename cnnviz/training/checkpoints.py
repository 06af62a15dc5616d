"""Going back and saving: a trainer's checkpoint (for undo, in memory) and its
:class:`TrainerState` (what a model file holds), and rebuilding a trainer from one.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from cnnviz.datasets.base import Normalization
from cnnviz.engine import make_optimizer as _make_optimizer
from cnnviz.errors import CnnvizError

from .architectures import build_network
from .hyperparameters import Hyperparameters
from .metrics import MetricsHistory

if TYPE_CHECKING:
    from .trainer import Trainer


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


class TrainerCheckpoints:
    """Checkpoints and states of a :class:`~cnnviz.training.trainer.Trainer` (a mixin of it:
    it reads and sets the trainer's network, optimiser, counters and metrics)."""

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
            "optimizer": _copied(opt.state_dict()),
            "optimizer_attrs": {"lr": opt.lr, "last_lr": opt.last_lr, "t": opt.t},
            "backup": _copied(self._backup),
            "counters": {k: getattr(self, k) for k in _COUNTERS},
            "indices": None if self._current_indices is None else self._current_indices.copy(),
            "rngs": [
                (i, layer.rng.bit_generator.state)
                for i, layer in enumerate(self.net.layers)
                if layer.stochastic
            ],
            "metrics": self.metrics.lengths(),
        }

    def restore(self, checkpoint: dict[str, Any]) -> None:
        """Go back to a :meth:`checkpoint` of this trainer (the step under way is dropped;
        later metric entries are truncated). The layers' traces are left as they are."""
        self.current = None
        self.net.load_state_dict(checkpoint["params"])
        opt = self.optimizer
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
            normalization=norm.to_dict() if isinstance(norm, Normalization) else dict(norm),
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
