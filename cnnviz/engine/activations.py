"""Activations as layers of their own, so net input, activation and δ are all explicit.

For an activation layer ``y = f(net)``, ``x`` is the net input *u*, ``y`` the activation, and
its backward is the Hadamard product of Bouvrie 2006, §2.2:

    δ = ∂E/∂net = ∂E/∂y ∘ f′(net)

Each ``f′`` is written from whichever of ``net`` or ``y`` is cheaper, so nothing extra is kept.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import parallel
from .layer import Layer, flat, memory_order


class Activation(Layer):
    """Elementwise ``y = f(x)``; subclasses give ``f`` and ``f′``.

    ``f`` and ``df`` take an optional ``out`` array (a buffer of the layer during a training
    step); called on their own they allocate their result.
    """

    kind = "activation"

    def _forward(self, x: np.ndarray) -> np.ndarray:
        y = self.buffer("y", x.shape, order=memory_order(x))  # laid out like x
        parallel.split_along(lambda i: self.f(x[i], out=y[i]), x)
        return y

    def _backward(self, dy: np.ndarray, need_dx: bool) -> np.ndarray | None:
        if not need_dx:
            return None
        x, y = self.x, self.y
        dx = self.buffer("dx", dy.shape, order=memory_order(x))
        parallel.split_along(lambda i: self.df(dy[i], x[i], y[i], out=dx[i]), x)
        return dx

    def f(self, x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        raise NotImplementedError

    def df(
        self, dy: np.ndarray, x: np.ndarray, y: np.ndarray, out: np.ndarray | None = None
    ) -> np.ndarray:
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

    def f(self, x, out=None):
        return np.maximum(x, x.dtype.type(0), out=out)

    def df(self, dy, x, y, out=None):
        return np.multiply(dy, x > 0, out=out)

    def _forward(self, x):
        order = memory_order(x)
        y = self.buffer("y", x.shape, order=order)
        xf, yf = flat(x), flat(y)
        if xf is not None:  # one contiguous run: max against the scalar 0, SIMD
            zero = x.dtype.type(0)
            parallel.split(lambda s: np.maximum(xf[s], zero, out=yf[s]), xf.size, xf.size)
            return y
        # max against an array of zeros: NumPy's SIMD loop, ~5× faster than against a scalar
        zeros = self.buffer("zeros", x.shape, zero=True, trace=False, order=order)
        parallel.split_along(lambda i: np.maximum(x[i], zeros[i], out=y[i]), x)
        return y

    def _backward(self, dy, need_dx):
        if not need_dx:
            return None
        x = self.x
        order = memory_order(x)
        dx = self.buffer("dx", dy.shape, order=order)
        mask = self.buffer("mask", dy.shape, bool, trace=False, order=order)
        zero = x.dtype.type(0)
        views = [flat(a) for a in (x, dy, dx, mask)]
        if memory_order(dy) == order and all(v is not None for v in views):
            xf, dyf, dxf, mf = views

            def run(s: slice) -> None:  # the same two ufuncs on contiguous runs
                np.greater(xf[s], zero, out=mf[s])
                np.multiply(dyf[s], mf[s], out=dxf[s])

            parallel.split(run, xf.size, xf.size)
            return dx

        def part(i: tuple) -> None:
            np.greater(x[i], zero, out=mask[i])
            np.multiply(dy[i], mask[i], out=dx[i])  # dy ∘ [x > 0]

        parallel.split_along(part, x)
        return dx


class LeakyReLU(Activation):
    """``f(x) = x if x > 0 else a·x``; ``f′ = 1 or a``."""

    kind = "leaky_relu"

    def __init__(self, negative_slope: float = 0.01, name: str | None = None) -> None:
        super().__init__(name)
        self.negative_slope = float(negative_slope)

    def f(self, x, out=None):
        y = np.multiply(x, x.dtype.type(self.negative_slope), out=out)
        if 0.0 < self.negative_slope <= 1.0:  # max(x, a·x) is the same, ten times faster
            return np.maximum(x, y, out=y)  # than a masked copy on batch-innermost views
        np.copyto(y, x, where=x > 0)
        return y

    def df(self, dy, x, y, out=None):
        dx = np.multiply(dy, dy.dtype.type(self.negative_slope), out=out)
        np.copyto(dx, dy, where=x > 0)
        return dx

    def config(self) -> dict[str, Any]:
        return super().config() | {"negative_slope": self.negative_slope}


class Sigmoid(Activation):
    """``f(x) = 1 / (1 + e^−x)``; ``f′ = y (1 − y)``."""

    kind = "sigmoid"

    def f(self, x, out=None):
        # numerically stable for both signs: e^{-|x|} never overflows
        e = np.exp(-np.abs(x))
        y = np.divide(e, 1 + e, out=out)  # x < 0
        np.copyto(y, 1 / (1 + e), where=x >= 0)
        return y

    def df(self, dy, x, y, out=None):
        return np.multiply(dy * y, 1 - y, out=out)


class Tanh(Activation):
    """``f(x) = tanh x``; ``f′ = 1 − y²``."""

    kind = "tanh"

    def f(self, x, out=None):
        return np.tanh(x, out=out)

    def df(self, dy, x, y, out=None):
        d = np.multiply(y, y, out=out)
        np.subtract(1, d, out=d)
        return np.multiply(dy, d, out=d)


class ScaledTanh(Activation):
    """LeCun's ``f(x) = A·tanh(S·x)`` with A = 1.7159, S = 2/3; ``f′ = A·S·(1 − (y/A)²)``."""

    kind = "scaled_tanh"
    A = 1.7159
    S = 2.0 / 3.0

    def f(self, x, out=None):
        t = x.dtype.type
        y = np.multiply(x, t(self.S), out=out)
        np.tanh(y, out=y)
        return np.multiply(y, t(self.A), out=y)

    def df(self, dy, x, y, out=None):
        t = y.dtype.type
        d = np.divide(y, t(self.A), out=out)  # r = y / A
        np.multiply(d, d, out=d)
        np.subtract(1, d, out=d)
        np.multiply(d, t(self.A * self.S), out=d)
        return np.multiply(dy, d, out=d)


ACTIVATIONS: dict[str, type[Activation]] = {
    cls.kind: cls for cls in (ReLU, LeakyReLU, Sigmoid, Tanh, ScaledTanh)
}
