"""Global average pooling: each whole map becomes its mean (Lin et al. 2014, "Network in
Network"), as ``torch.nn.AdaptiveAvgPool2d(1)``.

    y_c = (1/(H·W)) Σ_{u,v} x_{c,uv}            (C, H, W) → (C, 1, 1)
    ∂E/∂x_{c,uv} = δ_c / (H·W)                   δ spread evenly back over the map

It is mean pooling with one window the size of the map, so its backward is the Kronecker form
δ ⊗ 1_{H×W} / (H·W) of mean pooling.
"""

from __future__ import annotations

import numpy as np

from .layer import Layer, Shape, fmt_shape, memory_order


class GlobalAvgPool(Layer):
    """The mean of every map: (N, C, H, W) → (N, C, 1, 1); outputs laid out like the input.

    Notes
    -----
    y_c = mean_{u,v} x_{c,uv}; ∂E/∂x_{c,uv} = δ_c / (H·W).
    """

    kind = "globalavgpool"

    def _build(self, in_shape: Shape) -> Shape:
        if len(in_shape) != 3:
            raise self.error(f"expects (C, H, W) input, got {fmt_shape(in_shape)}")
        return (in_shape[0], 1, 1)

    def _forward(self, x: np.ndarray) -> np.ndarray:
        y = self.buffer("y", (x.shape[0], x.shape[1], 1, 1), order=memory_order(x))
        np.mean(x, axis=(2, 3), keepdims=True, out=y)
        return y

    def _backward(self, dy: np.ndarray, need_dx: bool) -> np.ndarray | None:
        if not need_dx:
            return None
        h, w = self.in_shape[1:]
        dx = self.buffer("dx", self.x.shape, order=memory_order(self.x))
        np.divide(dy, dy.dtype.type(h * w), out=dx)  # δ/(H·W) broadcast over each map
        return dx

    def describe(self) -> str:
        return "global avg pool"
