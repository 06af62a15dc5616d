"""Flatten and Dense (fully connected) layers.

Dense (Bouvrie 2006, §2; the chain-rule derivation):

    u = W x + b                 W: (out, in), b: (out,)
    ∂E/∂W = δ xᵀ   (summed over the batch: δᵀ X for row-major batches)
    ∂E/∂b = Σ_n δ_n
    ∂E/∂x = Wᵀ δ
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .init import Init, init_weight
from .layer import Layer, Shape, fmt_shape, memory_order


class Flatten(Layer):
    """(N, C, H, W) → (N, C·H·W), a view: no copy."""

    kind = "flatten"

    def _build(self, in_shape: Shape) -> Shape:
        return (int(np.prod(in_shape)),)

    def _forward(self, x):
        return x.reshape(x.shape[0], -1)

    def _backward(self, dy, need_dx):
        return dy.reshape(self.x.shape) if need_dx else None


class Dense(Layer):
    """Fully connected layer ``y = x Wᵀ + b`` on (N, in) batches.

    Parameters kept: ``weight`` (out, in) and ``bias`` (out,), PyTorch's layout. ``init``
    chooses the weight initialisation by name (see :mod:`cnnviz.engine.init`); None: suited
    to the activation that follows.
    """

    kind = "dense"
    takes_init = True

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        name: str | None = None,
        init: Init | str | None = None,
    ) -> None:
        super().__init__(name)
        self.init = Init.parse(init)
        self.in_features = int(in_features)
        self.out_features = int(out_features)
        self.use_bias = bool(bias)

    def _build(self, in_shape: Shape) -> Shape:
        if in_shape != (self.in_features,):
            raise self.error(
                f"expects {self.in_features} input features, got {fmt_shape(in_shape)}"
                + (" (add a flatten layer first)" if len(in_shape) > 1 else "")
            )
        self.params["weight"] = np.zeros((self.out_features, self.in_features), self.dtype)
        if self.use_bias:
            self.params["bias"] = np.zeros(self.out_features, self.dtype)
        return (self.out_features,)

    def init_params(self, rng: np.random.Generator, activation: str | None) -> None:
        self.params["weight"][...] = init_weight(
            rng,
            self.params["weight"].shape,
            self.in_features,
            self.out_features,
            activation,
            self.dtype,
            self.init,
            self.gain,
        )
        if self.use_bias:
            self.params["bias"][...] = 0

    def _forward(self, x):  # (N, in) -> (N, out)
        y = self.buffer("y", (x.shape[0], self.out_features))
        np.matmul(x, self.params["weight"].T, out=y)
        if self.use_bias:
            y += self.params["bias"]
        return y

    def _backward(self, dy, need_dx):  # dy: (N, out)
        np.dot(dy.T, self.x, out=self.grads["weight"])  # δᵀ X (np.dot: matmul is slow for N = 1)
        if self.use_bias:
            np.sum(dy, axis=0, out=self.grads["bias"])
        if not need_dx:
            return None
        dx = self.buffer("dx", self.x.shape, order=memory_order(self.x))  # laid out like x
        return np.matmul(dy, self.params["weight"], out=dx)  # δ W

    def config(self) -> dict[str, Any]:
        cfg = super().config() | {
            "in_features": self.in_features,
            "out_features": self.out_features,
            "bias": self.use_bias,
        }
        if self.init is not None:
            cfg["init"] = self.init.config()
        return cfg

    def describe(self) -> str:
        return f"dense {self.in_features}→{self.out_features}"
