"""Activations as layers of their own, so net input, activation and δ are all explicit.

For an activation layer ``y = f(net)``, ``x`` is the net input *u*, ``y`` the activation, and
its backward is the Hadamard product of seed 000:

    δ = ∂E/∂net = ∂E/∂y ∘ f′(net)

Each ``f′`` is written from whichever of ``net`` or ``y`` is cheaper, so nothing extra is kept.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .layer import Layer


class Activation(Layer):
    """Elementwise ``y = f(x)``; subclasses give ``f`` and ``f′``."""

    kind = "activation"

    def _forward(self, x: np.ndarray) -> np.ndarray:
        return self.f(x)

    def _backward(self, dy: np.ndarray, need_dx: bool) -> np.ndarray | None:
        return self.df(dy, self.x, self.y) if need_dx else None

    def f(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def df(self, dy: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Return ``dy ∘ f′(x)`` (``y = f(x)`` is given too)."""
        raise NotImplementedError

    def derivative(self, x: np.ndarray) -> np.ndarray:
        """f′(x) on its own, for the explainer."""
        return self.df(np.ones_like(x), x, self.f(x))

    def describe(self) -> str:
        return self.kind


class ReLU(Activation):
    """``f(x) = max(x, 0)``; ``f′(x) = 1 if x > 0 else 0`` (0 at the kink, as in PyTorch)."""

    kind = "relu"

    def f(self, x):
        return np.maximum(x, 0)

    def df(self, dy, x, y):
        return dy * (x > 0)


class LeakyReLU(Activation):
    """``f(x) = x if x > 0 else a·x``; ``f′ = 1 or a``."""

    kind = "leaky_relu"

    def __init__(self, negative_slope: float = 0.01, name: str | None = None) -> None:
        super().__init__(name)
        self.negative_slope = float(negative_slope)

    def f(self, x):
        return np.where(x > 0, x, x * x.dtype.type(self.negative_slope))

    def df(self, dy, x, y):
        return np.where(x > 0, dy, dy * dy.dtype.type(self.negative_slope))

    def config(self) -> dict[str, Any]:
        return super().config() | {"negative_slope": self.negative_slope}


class Sigmoid(Activation):
    """``f(x) = 1 / (1 + e^−x)``; ``f′ = y (1 − y)``."""

    kind = "sigmoid"

    def f(self, x):
        # numerically stable for both signs: e^{-|x|} never overflows
        e = np.exp(-np.abs(x))
        return np.where(x >= 0, 1 / (1 + e), e / (1 + e))

    def df(self, dy, x, y):
        return dy * y * (1 - y)


class Tanh(Activation):
    """``f(x) = tanh x``; ``f′ = 1 − y²``."""

    kind = "tanh"

    def f(self, x):
        return np.tanh(x)

    def df(self, dy, x, y):
        return dy * (1 - y * y)


class ScaledTanh(Activation):
    """LeCun's ``f(x) = A·tanh(S·x)`` with A = 1.7159, S = 2/3; ``f′ = A·S·(1 − (y/A)²)``."""

    kind = "scaled_tanh"
    A = 1.7159
    S = 2.0 / 3.0

    def f(self, x):
        t = x.dtype.type
        return t(self.A) * np.tanh(t(self.S) * x)

    def df(self, dy, x, y):
        t = y.dtype.type
        r = y / t(self.A)
        return dy * (t(self.A * self.S) * (1 - r * r))


ACTIVATIONS: dict[str, type[Activation]] = {
    cls.kind: cls for cls in (ReLU, LeakyReLU, Sigmoid, Tanh, ScaledTanh)
}
