"""Pooling layers: max, mean and Lp pooling, and Bouvrie's trainable subsampling.

Every window is visited by looping over the k×k offsets (i, j) and taking the strided slice
``x[:, :, i::S, j::S]`` of that offset in every window at once: k² vectorised operations, no
window copies, for any stride (overlapping or not).

Backward rules (Bouvrie 2006 §3.2, Han 2017, the CNN backprop notes §4), with δ the
sensitivity of the pooled map:

* max pooling routes δ to the argmax of each window and 0 elsewhere;
* mean pooling spreads δ/n² over each n×n window — for stride n that is the Kronecker product
  ``δ ⊗ 1_{n×n} / n²`` of Han 2017;
* Lp pooling ``y = (Σ |x_k|^p)^{1/p}`` gives ``∂y/∂x_i = y^{1−p} |x_i|^{p−1} sign(x_i)``
  (the CNN backprop notes, §4.2);
* subsampling ``u = β·down(x) + b`` (Bouvrie §3.2) gives ``∂E/∂β = Σ δ ∘ down(x)``,
  ``∂E/∂b = Σ δ`` and ``∂E/∂x = β · up(δ)`` with ``up(δ) = δ ⊗ 1_{n×n}``.

Output sizes follow PyTorch (``⌊(H − k)/S⌋ + 1``; trailing rows no window covers get zero
gradient), except Subsampling, whose Kronecker ``up`` needs maps that divide exactly.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import parallel
from .layer import Layer, Shape, fmt_shape, memory_order


class Pool2D(Layer):
    """Shared shape logic of the pooling layers: a k×k window moved ``stride`` pixels."""

    kind = "pool"
    exact = False  # True: the maps must divide into whole windows

    def __init__(self, kernel_size: int, stride: int | None = None, name: str | None = None):
        super().__init__(name)
        self.k = int(kernel_size)
        self.stride = int(stride) if stride is not None else self.k
        if self.k < 1 or self.stride < 1:
            raise self.error("kernel size and stride must be ≥ 1")

    def _build(self, in_shape: Shape) -> Shape:
        if len(in_shape) != 3:
            raise self.error(f"expects (C, H, W) input, got {fmt_shape(in_shape)}")
        c, h, w = in_shape
        if self.k > h or self.k > w:
            raise self.error(f"window {self.k}×{self.k} is larger than the input {h}×{w}")
        if self.exact and ((h - self.k) % self.stride or (w - self.k) % self.stride):
            raise self.error(
                f"input {h}×{w} does not divide into {self.k}×{self.k} windows at stride "
                f"{self.stride}: the output size would not be a whole number"
            )
        self.out_hw = ((h - self.k) // self.stride + 1, (w - self.k) // self.stride + 1)
        return (c, *self.out_hw)

    @property
    def covers_input(self) -> bool:
        """Whether the windows, moved ``stride`` apart, reach every input pixel."""
        h, w = self.in_shape[1:]
        ho, wo = self.out_hw
        return (
            self.stride <= self.k
            and (ho - 1) * self.stride + self.k == h
            and ((wo - 1) * self.stride + self.k == w)
        )

    def offsets(self):
        """Yield ``(index, i, j)`` for every position of the k×k window, row by row."""
        for i in range(self.k):
            for j in range(self.k):
                yield i * self.k + j, i, j

    def window_slice(self, a: np.ndarray, i: int, j: int) -> np.ndarray:
        """The (N, C, Ho, Wo) view of offset (i, j) in every window of ``a`` (N, C, H, W)."""
        ho, wo = self.out_hw
        s = self.stride
        return a[:, :, i : i + s * (ho - 1) + 1 : s, j : j + s * (wo - 1) + 1 : s]

    def config(self) -> dict[str, Any]:
        return super().config() | {"kernel_size": self.k, "stride": self.stride}

    def describe(self) -> str:
        s = f" s{self.stride}" if self.stride != self.k else ""
        return f"{self.kind} {self.k}×{self.k}{s}"


class MaxPool2D(Pool2D):
    """Max pooling that records the argmax of every window (the first maximum wins).

    ``argmax`` : (N, C, Ho, Wo) uint8/int32, the winning offset ``i·k + j`` in each window.

    Notes
    -----
    Forward keeps a running maximum over the k² offsets; an offset takes over a window only
    where it is strictly greater, so ties go to the first. The argmax is updated without a
    masked copy as ``a ← a + [v > y]·(idx − a)``, exact in wrapping integer arithmetic.
    """

    kind = "maxpool"
    trace_attrs = (*Pool2D.trace_attrs, "argmax")
    argmax: np.ndarray | None = None

    @property
    def index_dtype(self) -> type:
        return np.uint8 if self.k * self.k < 256 else np.int32

    def _forward(self, x):  # (N, C, H, W) -> (N, C, Ho, Wo)
        shape = (x.shape[0], x.shape[1], *self.out_hw)
        order = memory_order(x)  # outputs laid out like the input
        y = self.buffer("y", shape, order=order)
        am = self.buffer("argmax", shape, self.index_dtype, order=order)
        better = self.buffer("better", shape, bool, trace=False, order=order)
        step = self.buffer("step", shape, self.index_dtype, trace=False, order=order)
        dt = self.index_dtype

        def part(p: tuple) -> None:  # a slice of the batch or of the maps
            xs, ys, a, b, st = x[p], y[p], am[p], better[p], step[p]
            np.copyto(ys, self.window_slice(xs, 0, 0))
            a[...] = 0
            for idx, i, j in self.offsets():
                if idx == 0:
                    continue
                v = self.window_slice(xs, i, j)
                np.greater(v, ys, out=b)  # strictly greater: the first maximum wins
                np.maximum(ys, v, out=ys)
                np.subtract(dt(idx), a, out=st)  # a ← a + [v > y]·(idx − a)
                np.multiply(st, b, out=st)
                a += st

        parallel.split_along(part, x)
        self.argmax = am
        return y

    def _backward(self, dy, need_dx):
        if not need_dx:
            return None
        order = memory_order(self.x)
        dx = self.buffer("dx", self.x.shape, order=order)
        hit = self.buffer("hit", dy.shape, bool, trace=False, order=order)
        disjoint = self.stride >= self.k  # every input in one window at most
        am = self.argmax

        def part(p: tuple) -> None:
            d, h, g = dx[p], hit[p], dy[p]
            if not (disjoint and self.covers_input):
                d[...] = 0
            for idx, i, j in self.offsets():
                np.equal(am[p], idx, out=h)
                region = self.window_slice(d, i, j)
                if disjoint:
                    np.multiply(g, h, out=region)
                else:
                    region += g * h

        parallel.split_along(part, dx)
        return dx

    def argmax_mask(self, sample: int | None = None) -> np.ndarray:
        """(N, C, H, W) bool: which input won each window of the last forward pass; with
        ``sample``, (C, H, W) for that sample alone."""
        argmax = self.argmax if sample is None else self.argmax[sample : sample + 1]
        mask = np.zeros((argmax.shape[0], *self.x.shape[1:]), dtype=bool)
        for idx, i, j in self.offsets():
            self.window_slice(mask, i, j)[...] |= argmax == idx
        return mask if sample is None else mask[0]


class AvgPool2D(Pool2D):
    """Mean pooling; backward spreads δ/n² over each window (the Kronecker form)."""

    kind = "avgpool"

    def _forward(self, x):
        y = self.buffer("y", (x.shape[0], x.shape[1], *self.out_hw), order=memory_order(x))
        np.copyto(y, self.window_slice(x, 0, 0))
        for idx, i, j in self.offsets():
            if idx:
                y += self.window_slice(x, i, j)
        y *= y.dtype.type(1.0 / (self.k * self.k))
        return y

    def _backward(self, dy, need_dx):
        if not need_dx:
            return None
        order = memory_order(self.x)
        share = self.buffer("share", dy.shape, trace=False, order=order)
        np.multiply(dy, dy.dtype.type(1.0 / (self.k * self.k)), out=share)
        dx = self.buffer("dx", self.x.shape, order=order)
        disjoint = self.stride >= self.k
        if not (disjoint and self.covers_input):
            dx[...] = 0
        for _, i, j in self.offsets():
            region = self.window_slice(dx, i, j)
            if disjoint:
                np.copyto(region, share)
            else:
                region += share
        return dx


class LpPool2D(Pool2D):
    """Lp pooling ``y = (Σ_window |x|^p)^{1/p}`` (p = 2 is PyTorch's LPPool2d on any input)."""

    kind = "lppool"

    def __init__(
        self,
        p: float = 2.0,
        kernel_size: int = 2,
        stride: int | None = None,
        name: str | None = None,
    ):
        super().__init__(kernel_size, stride, name)
        self.p = float(p)
        if self.p <= 0:
            raise self.error("p must be positive")

    def _forward(self, x):
        p = x.dtype.type(self.p)
        s = np.zeros((x.shape[0], x.shape[1], *self.out_hw), dtype=x.dtype)
        for _, i, j in self.offsets():
            s += np.abs(self.window_slice(x, i, j)) ** p
        return s ** (1 / p)

    def _backward(self, dy, need_dx):
        if not need_dx:
            return None
        p = dy.dtype.type(self.p)
        y = self.y
        with np.errstate(divide="ignore", invalid="ignore"):
            g = np.where(y > 0, dy * y ** (1 - p), 0)  # ∂E/∂y · y^{1−p}
        dx = np.zeros_like(self.x)
        for _, i, j in self.offsets():
            v = self.window_slice(self.x, i, j)
            self.window_slice(dx, i, j)[...] += g * np.abs(v) ** (p - 1) * np.sign(v)
        return dx

    def config(self) -> dict[str, Any]:
        return super().config() | {"p": self.p}

    def describe(self) -> str:
        return f"L{self.p:g} pool {self.k}×{self.k}"


class Subsampling(Pool2D):
    """Bouvrie's trainable subsampling ``u_j = β_j · down(x_j) + b_j`` (LeNet-5's S2, S4).

    ``down`` sums each n×n block. Parameters ``beta`` (C,) and ``bias`` (C,). The maps must
    divide into whole blocks.
    """

    kind = "subsample"
    exact = True
    trace_attrs = (*Pool2D.trace_attrs, "down")

    def __init__(self, channels: int, kernel_size: int = 2, name: str | None = None):
        super().__init__(kernel_size, kernel_size, name)
        self.channels = int(channels)
        self.down: np.ndarray | None = None

    def _build(self, in_shape: Shape) -> Shape:
        out = super()._build(in_shape)
        if in_shape[0] != self.channels:
            raise self.error(f"expects {self.channels} maps, got {in_shape[0]}")
        self.params["beta"] = np.zeros(self.channels, self.dtype)
        self.params["bias"] = np.zeros(self.channels, self.dtype)
        return out

    def init_params(self, rng, activation):
        self.params["beta"][...] = 1.0 / (self.k * self.k)  # starts as mean pooling
        self.params["bias"][...] = 0

    def _forward(self, x):
        shape = (x.shape[0], x.shape[1], *self.out_hw)
        order = memory_order(x)
        down = self.buffer("down", shape, order=order)  # (N, C, Ho, Wo), kept for ∂E/∂β
        np.copyto(down, self.window_slice(x, 0, 0))
        for idx, i, j in self.offsets():
            if idx:
                down += self.window_slice(x, i, j)
        self.down = down
        y = self.buffer("y", shape, order=order)
        np.multiply(down, self.params["beta"][:, None, None], out=y)
        y += self.params["bias"][:, None, None]
        return y

    def _backward(self, dy, need_dx):
        np.einsum("nchw,nchw->c", dy, self.down, out=self.grads["beta"])
        np.sum(dy, axis=(0, 2, 3), out=self.grads["bias"])
        if not need_dx:
            return None
        order = memory_order(self.x)
        scaled = self.buffer("scaled", dy.shape, trace=False, order=order)
        np.multiply(dy, self.params["beta"][:, None, None], out=scaled)
        dx = self.buffer("dx", self.x.shape, order=order)
        for _, i, j in self.offsets():  # β · (δ ⊗ 1_{k×k}), the Kronecker up-sampling
            np.copyto(self.window_slice(dx, i, j), scaled)
        return dx

    def config(self) -> dict[str, Any]:
        return {
            "type": self.kind,
            "name": self.name,
            "channels": self.channels,
            "kernel_size": self.k,
        }

    def describe(self) -> str:
        return f"subsample {self.k}×{self.k} (β, b)"
