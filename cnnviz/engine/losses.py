"""Losses: fused softmax + cross-entropy, and squared error.

Both average over the batch (E is the mean of the per-sample errors, as PyTorch's default
``reduction='mean'``), so the learning rate does not depend on the batch size. ``backward``
returns the sensitivity the last layer receives.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np


def _check(y: np.ndarray, labels: np.ndarray, name: str) -> np.ndarray:
    labels = np.asarray(labels)
    if y.ndim != 2:
        raise ValueError(f"loss {name}: expected scores (N, K), got {tuple(y.shape)}")
    if labels.shape != (y.shape[0],):
        raise ValueError(
            f"loss {name}: expected {y.shape[0]} labels for scores {tuple(y.shape)}, "
            f"got labels {tuple(labels.shape)}"
        )
    if labels.dtype.kind == "f" and not (np.isfinite(labels).all() and (labels % 1 == 0).all()):
        raise ValueError(f"loss {name}: labels must be whole class numbers, not fractions or NaN")
    if labels.size and (labels.min() < 0 or labels.max() >= y.shape[1]):
        raise ValueError(f"loss {name}: labels must lie in 0..{y.shape[1] - 1}")
    return labels.astype(np.intp, copy=False)


class Loss:
    kind: ClassVar[str] = "loss"

    def __init__(self) -> None:
        self.y: np.ndarray | None = None
        self.labels: np.ndarray | None = None
        self.value: float | None = None
        self.dy: np.ndarray | None = None

    def forward(self, y: np.ndarray, labels: np.ndarray) -> float:
        raise NotImplementedError

    def backward(self) -> np.ndarray:
        raise NotImplementedError

    def probabilities(self) -> np.ndarray:
        """What the output means as class scores, (N, K)."""
        raise NotImplementedError

    trace_attrs: ClassVar[tuple[str, ...]] = ("y", "labels", "dy")

    def clear_trace(self) -> None:
        """Drop the references kept from the last forward and backward pass (not ``value``)."""
        for a in self.trace_attrs:
            setattr(self, a, None)

    def config(self) -> dict[str, Any]:
        return {"type": self.kind}


class SoftmaxCrossEntropy(Loss):
    """Softmax over the scores, then cross-entropy, fused.

    Notes
    -----
    With scores u (N, K) and one-hot targets t:

        p_k = e^{u_k − max u} / Σ_j e^{u_j − max u}
        E   = −(1/N) Σ_n log p_{n, t_n}
        δ   = ∂E/∂u = (p − t) / N

    Subtracting the row maximum and taking ``log p`` as ``u − max − log Σ e^{…}`` keeps
    every step finite for any score.
    """

    kind = "softmax_ce"
    trace_attrs = (*Loss.trace_attrs, "p")

    def forward(self, y, labels):
        labels = _check(y, labels, self.kind)
        shifted = y - y.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        s = e.sum(axis=1, keepdims=True)
        self.p = e / s
        n = y.shape[0]
        log_p_target = shifted[np.arange(n), labels] - np.log(s[:, 0])
        self.y, self.labels = y, labels
        self.value = float(-log_p_target.mean())
        return self.value

    def backward(self):
        n = self.y.shape[0]
        d = self.p.copy()
        d[np.arange(n), self.labels] -= 1
        d *= d.dtype.type(1.0 / n)
        self.dy = d
        return d

    def probabilities(self):
        return self.p


class SquaredError(Loss):
    """Half the squared error to one-hot targets (Bouvrie 2006 §2.1; LeNet-5).

    Notes
    -----
    Targets are ``positive`` for the true class and ``negative`` elsewhere (1 and 0 by
    default; 1 and −1 suit a tanh output):

        E = (1/N) Σ_n ½ Σ_k (y_nk − t_nk)²
        ∂E/∂y = (y − t) / N

    The activation layer before the loss multiplies by f′(net), giving Bouvrie's output
    sensitivity δ^L = f′(u^L) ∘ (y − t).
    """

    kind = "squared_error"
    trace_attrs = (*Loss.trace_attrs, "t")

    def __init__(self, positive: float = 1.0, negative: float = 0.0) -> None:
        super().__init__()
        self.positive = float(positive)
        self.negative = float(negative)

    def targets(self, labels: np.ndarray, k: int, dtype) -> np.ndarray:
        t = np.full((labels.shape[0], k), self.negative, dtype=dtype)
        t[np.arange(labels.shape[0]), labels] = self.positive
        return t

    def forward(self, y, labels):
        labels = _check(y, labels, self.kind)
        self.y, self.labels = y, labels
        self.t = self.targets(labels, y.shape[1], y.dtype)
        diff = y - self.t
        self.value = float(0.5 * np.einsum("nk,nk->", diff, diff) / y.shape[0])
        return self.value

    def backward(self):
        d = self.y - self.t
        d *= d.dtype.type(1.0 / self.y.shape[0])
        self.dy = d
        return d

    def probabilities(self):
        # Scores turned into a distribution for display: a softmax of the outputs.
        z = self.y - self.y.max(axis=1, keepdims=True)
        e = np.exp(z * z.dtype.type(4.0))
        return e / e.sum(axis=1, keepdims=True)

    def config(self):
        return {"type": self.kind, "positive": self.positive, "negative": self.negative}


LOSSES: dict[str, type[Loss]] = {cls.kind: cls for cls in (SoftmaxCrossEntropy, SquaredError)}
