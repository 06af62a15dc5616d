"""The hyperparameters of a run: everything that shapes it besides the architecture and the
data, checked when made (:meth:`Hyperparameters.validate`), and the learning-rate schedule."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from typing import Any

from cnnviz.engine import OPTIMIZER_NAMES, Network, Optimizer
from cnnviz.engine import make_optimizer as _make_optimizer
from cnnviz.errors import CnnvizError


class HyperparameterError(CnnvizError, ValueError):
    """A hyperparameter out of its range (a ValueError too, as it always was)."""


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
