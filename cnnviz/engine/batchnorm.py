"""Batch normalisation (Ioffe & Szegedy 2015), per channel, with PyTorch's conventions.

Forward, for each channel c over the m = N (1-D) or N·H·W (2-D) values x_i of the batch:

    μ   = (1/m) Σ x_i                      the batch mean
    σ²  = (1/m) Σ (x_i − μ)²               the batch variance (biased)
    x̂_i = (x_i − μ) / √(σ² + ε)
    y_i = γ x̂_i + β

In evaluation mode μ and σ² are the running statistics instead, kept in training mode as

    running_mean ← (1 − α) running_mean + α μ
    running_var  ← (1 − α) running_var  + α σ² · m/(m − 1)       (unbiased)

with α the momentum (0.1), or α = 1/t over the first t batches when momentum is None.

Backward, with δ_i = ∂E/∂y_i and σ̃ = √(σ² + ε):

    ∂E/∂γ = Σ δ_i x̂_i            ∂E/∂β = Σ δ_i
    ∂E/∂x_i = (γ/σ̃) (δ_i − (1/m) Σ δ_j − x̂_i (1/m) Σ δ_j x̂_j)

the standard derivation: μ and σ² depend on every x_j, which gives the two mean terms; only
x̂, γ and the two sums are needed. In evaluation mode μ and σ² are constants and
∂E/∂x_i = (γ/σ̃) δ_i.

Layout: BatchNorm2D works on each channel's N·H·W values as one contiguous row, (C, H, W, N)
memory (the layout a conv's output already has; other inputs are copied into it once), and
hands out (N, C, H, W) views as the conv does. The channels are independent, so a big batch
is split over the engine's threads by channel.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import parallel
from .layer import Layer, Shape, fmt_shape, memory_order

# Bytes of one channel block: its rows of the four or five arrays a pass reads and writes stay
# in a core's L2 cache from the pass's first operation to its last.
CACHE_BLOCK = 1 << 18


class _BatchNorm(Layer):
    """Shared statistics and backward of BatchNorm1D and BatchNorm2D.

    Subclasses give ``_rows(a, key)``: a 2-D view of an input-shaped array in which
    ``self.axis`` runs over the m values of a channel, and ``_out(key)``: a new 2-D buffer
    of the same layout with the input-shaped view of it.
    """

    transparent = True
    axis = 1  # the axis of the 2-D views that runs over a channel's values
    trace_attrs = (
        *Layer.trace_attrs,
        "xhat",
        "mean",
        "var",
        "inv_std",
        "gamma_xhat",
        "batch_stats",
    )

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        name: str | None = None,
    ) -> None:
        super().__init__(name)
        self.num_features = int(num_features)
        self.eps = float(eps)
        self.momentum = None if momentum is None else float(momentum)
        if self.num_features < 1:
            raise self.error("needs at least one channel")
        if not self.eps > 0:
            raise self.error(f"eps must be positive, got {eps}")
        if self.momentum is not None and not 0.0 <= self.momentum <= 1.0:
            raise self.error(f"momentum must be in [0, 1] or None, got {momentum}")
        self.xhat: np.ndarray | None = None
        self.mean: np.ndarray | None = None
        self.var: np.ndarray | None = None
        self.inv_std: np.ndarray | None = None
        self.gamma_xhat: np.ndarray | None = None
        self.batch_stats: np.bool_ | None = None  # a NumPy bool, so the trace copies like arrays

    def _build_params(self) -> None:
        c = self.num_features
        self.params["weight"] = np.ones(c, self.dtype)
        self.params["bias"] = np.zeros(c, self.dtype)
        self.state_buffers["running_mean"] = np.zeros(c, self.dtype)
        self.state_buffers["running_var"] = np.ones(c, self.dtype)
        self.state_buffers["num_batches_tracked"] = np.zeros((), np.int64)

    def init_params(self, rng: np.random.Generator, activation: str | None) -> None:
        self.params["weight"][...] = 1  # γ = 1, β = 0: starts as plain normalisation
        self.params["bias"][...] = 0

    def reset_state(self) -> None:
        self.state_buffers["running_mean"][...] = 0
        self.state_buffers["running_var"][...] = 1
        self.state_buffers["num_batches_tracked"][...] = 0

    def per_channel(self, v: np.ndarray) -> np.ndarray:
        """A (C,) array shaped to broadcast against the 2-D views."""
        return v[:, None] if self.axis == 1 else v[None, :]

    def channel_index(self, s: slice) -> tuple:
        return (s, slice(None)) if self.axis == 1 else (slice(None), s)

    def _rows(self, a: np.ndarray, key: str) -> np.ndarray:
        raise NotImplementedError

    def _out(self, key: str, trace: bool = True) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    # ---------------------------------------------------------------- forward
    def _forward(self, x: np.ndarray) -> np.ndarray:
        a = self._rows(x, "x_rows")
        m = a.shape[self.axis]
        c = self.num_features
        t = self.dtype.type
        batch = self.training
        if batch and m < 2:
            raise self.error(
                f"needs more than one value per channel in training mode, got input "
                f"{tuple(x.shape)} (a bigger batch, or evaluation mode)"
            )
        mean = self.buffer("mean", (c,))
        var = self.buffer("var", (c,))
        inv_std = self.buffer("inv_std", (c,))
        xhat2, xhat = self._out("xhat")
        gx2, gamma_xhat = self._out("gamma_xhat")
        y2, y = self._out("y")
        gamma, beta = self.params["weight"], self.params["bias"]
        running = self.state_buffers
        if not batch:
            np.copyto(mean, running["running_mean"])
            np.copyto(var, running["running_var"])

        def part(s: slice) -> None:  # channels s, start to end
            ix = self.channel_index(s)
            xs, xh = a[ix], xhat2[ix]
            if batch:
                np.mean(xs, axis=self.axis, out=mean[s])
            np.subtract(xs, self.per_channel(mean[s]), out=xh)  # x − μ
            if batch:
                np.divide(np.vecdot(xh, xh, axis=self.axis), t(m), out=var[s])  # σ²
            np.add(var[s], t(self.eps), out=inv_std[s])
            np.sqrt(inv_std[s], out=inv_std[s])
            np.divide(t(1), inv_std[s], out=inv_std[s])  # 1/√(σ² + ε)
            np.multiply(xh, self.per_channel(inv_std[s]), out=xh)  # x̂
            np.multiply(xh, self.per_channel(gamma[s]), out=gx2[ix])  # γ x̂
            np.add(gx2[ix], self.per_channel(beta[s]), out=y2[ix])  # γ x̂ + β

        self._split(part, a.size)
        if batch:
            self._update_running(mean, var, m)
        self.xhat, self.gamma_xhat = xhat, gamma_xhat
        self.mean, self.var, self.inv_std = mean, var, inv_std
        self.batch_stats = np.bool_(batch)
        return y

    def _update_running(self, mean: np.ndarray, var: np.ndarray, m: int) -> None:
        running = self.state_buffers
        tracked = running["num_batches_tracked"]
        tracked += 1
        alpha = 1.0 / int(tracked) if self.momentum is None else self.momentum
        t = self.dtype.type
        for key, value in (("running_mean", mean), ("running_var", var * t(m / (m - 1)))):
            r = running[key]
            r *= t(1.0 - alpha)
            r += t(alpha) * value

    def _split(self, part, size: int) -> None:
        """Run ``part`` over every channel: BatchNorm2D's channels are rows, taken in blocks
        that stay in a core's cache through all of the pass's operations (one thread per
        range of blocks); BatchNorm1D runs them all at once."""
        if self.axis != 1:
            part(slice(None))
            return
        c = self.num_features
        rows = max(1, CACHE_BLOCK // max(1, (size // c) * self.dtype.itemsize))

        def blocks(s: slice) -> None:
            for start in range(s.start, s.stop, rows):
                part(slice(start, min(start + rows, s.stop)))

        parallel.split(blocks, c, 8 * size)

    # ---------------------------------------------------------------- backward
    def _backward(self, dy: np.ndarray, need_dx: bool) -> np.ndarray | None:
        d = self._rows(dy, "dy_rows")
        m = d.shape[self.axis]
        t = self.dtype.type
        xhat2 = self._rows(self.xhat, "xhat_rows")
        gamma = self.params["weight"]
        g_gamma, g_beta = self.grads["weight"], self.grads["bias"]
        inv_std = self.inv_std
        batch = bool(self.batch_stats)
        if need_dx:
            dx2, dx = self._out("dx")
            scale = self.buffer("scale", (self.num_features,), trace=False)
            np.multiply(gamma, inv_std, out=scale)  # γ/σ̃

        def part(s: slice) -> None:
            ix = self.channel_index(s)
            ds, xh = d[ix], xhat2[ix]
            np.sum(ds, axis=self.axis, out=g_beta[s])  # Σ δ
            np.copyto(g_gamma[s], np.vecdot(ds, xh, axis=self.axis))  # Σ δ x̂
            if not need_dx:
                return
            out = dx2[ix]
            if batch:  # (γ/σ̃) (δ − mean δ − x̂ · mean δx̂)
                np.multiply(xh, self.per_channel(g_gamma[s] / t(m)), out=out)
                np.subtract(ds, out, out=out)
                np.subtract(out, self.per_channel(g_beta[s] / t(m)), out=out)
                np.multiply(out, self.per_channel(scale[s]), out=out)
            else:  # the statistics are constants: (γ/σ̃) δ
                np.multiply(ds, self.per_channel(scale[s]), out=out)

        self._split(part, d.size)
        return dx if need_dx else None

    # ---------------------------------------------------------------- description
    def config(self) -> dict[str, Any]:
        return super().config() | {
            "num_features": self.num_features,
            "eps": self.eps,
            "momentum": self.momentum,
        }


class BatchNorm2D(_BatchNorm):
    """Batch normalisation of (N, C, H, W) maps per channel, over N, H and W
    (``torch.nn.BatchNorm2d``).

    Parameters
    ----------
    num_features : int — C, the number of channels.
    eps : float, default 1e-5 — added to σ² before the square root.
    momentum : float or None, default 0.1 — α of the running statistics (None: their
        cumulative average over the batches so far).

    Parameters kept: ``weight`` γ (C,) and ``bias`` β (C,); ``state_buffers``:
    ``running_mean`` (C,), ``running_var`` (C,) and ``num_batches_tracked`` (an int64
    scalar array), PyTorch's names. Besides x, y, dy and dx the trace keeps ``xhat`` x̂ and
    ``gamma_xhat`` γ·x̂ (N, C, H, W), and ``mean`` μ, ``var`` σ² and ``inv_std`` 1/√(σ² + ε),
    each (C,) — the batch's in training mode, the running ones in evaluation mode, as
    ``batch_stats`` says.

    Notes
    -----
    y = γ (x − μ)/√(σ² + ε) + β; ∂E/∂x = (γ/σ̃)(δ − mean δ − x̂·mean(δ x̂)); see the module.
    """

    kind = "batchnorm2d"
    axis = 1

    def _build(self, in_shape: Shape) -> Shape:
        if len(in_shape) != 3:
            raise self.error(
                f"expects (C, H, W) maps, got {fmt_shape(in_shape)} (BatchNorm1D is for vectors)"
            )
        if in_shape[0] != self.num_features:
            raise self.error(f"expects {self.num_features} channels, got {in_shape[0]}")
        self._build_params()
        return in_shape

    def _rows(self, a: np.ndarray, key: str) -> np.ndarray:
        t = a.transpose(1, 2, 3, 0)  # (C, H, W, N)
        if not t.flags.c_contiguous:
            buf = self.buffer(key, t.shape, trace=False)
            np.copyto(buf, t)
            t = buf
        return t.reshape(t.shape[0], -1)  # (C, H·W·N)

    def _out(self, key: str, trace: bool = True) -> tuple[np.ndarray, np.ndarray]:
        c, h, w = self.in_shape
        n = self.x.shape[0]
        buf = self.buffer(key, (c, h, w, n), trace=trace)
        return buf.reshape(c, -1), buf.transpose(3, 0, 1, 2)

    def describe(self) -> str:
        return f"batch norm 2d ({self.num_features})"


class BatchNorm1D(_BatchNorm):
    """Batch normalisation of (N, F) vectors per feature, over the batch
    (``torch.nn.BatchNorm1d`` on 2-D input), e.g. after a dense layer.

    Parameters, state buffers and trace as :class:`BatchNorm2D`, with F for C and (N, F)
    arrays; the outputs are laid out like the input.

    Notes
    -----
    y = γ (x − μ)/√(σ² + ε) + β with μ, σ² over the N samples of the batch.
    """

    kind = "batchnorm1d"
    axis = 0

    def _build(self, in_shape: Shape) -> Shape:
        if len(in_shape) != 1:
            raise self.error(
                f"expects (F,) vectors, got {fmt_shape(in_shape)} (BatchNorm2D is for maps)"
            )
        if in_shape[0] != self.num_features:
            raise self.error(f"expects {self.num_features} features, got {in_shape[0]}")
        self._build_params()
        return in_shape

    def _rows(self, a: np.ndarray, key: str) -> np.ndarray:
        return a

    def _out(self, key: str, trace: bool = True) -> tuple[np.ndarray, np.ndarray]:
        buf = self.buffer(key, self.x.shape, trace=trace, order=memory_order(self.x))
        return buf, buf

    def describe(self) -> str:
        return f"batch norm 1d ({self.num_features})"


def batch_norm(
    in_shape: Shape, eps: float = 1e-5, momentum: float | None = 0.1, name: str | None = None
) -> BatchNorm1D | BatchNorm2D:
    """The batch norm for what flows in: BatchNorm2D for (C, H, W) maps, BatchNorm1D for
    (F,) vectors."""
    if len(in_shape) == 3:
        return BatchNorm2D(in_shape[0], eps, momentum, name)
    if len(in_shape) == 1:
        return BatchNorm1D(in_shape[0], eps, momentum, name)
    raise ValueError(
        f"layer {name or 'batchnorm'} (batchnorm): expects (C, H, W) maps or (F,) vectors, "
        f"got {fmt_shape(in_shape)}"
    )
