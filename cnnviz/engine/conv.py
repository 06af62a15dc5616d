"""Conv2D: many input and output maps, stride, zero padding and a connection table.

Forward (seed 000, with the deep-learning convention of *correlation*):

    u_j = Σ_{i ∈ M_j} x_i ⋆ k_ij + b_j

where ``M_j`` is the set of input maps feeding output map ``j`` (the connection table; every
map when there is none). Implemented as im2col + one matrix product over the batch.

Backward (seeds 000, 002, 003):

    ∂E/∂k_ij = x_i ⋆ δ_j                (the correlation of input and sensitivity; with stride
                                         S the window moves S pixels per δ entry)
    ∂E/∂b_j  = Σ_{u,v} (δ_j)_{uv}
    ∂E/∂x_i  = Σ_j full(δ_j ↑S) ∗ rot180(k_ij)

``δ ↑S`` inserts S−1 zeros between the entries of δ. The engine computes ∂E/∂x by scattering
the column gradient back (col2im), which is the same sum; :func:`full_convolution_input_grad`
spells out the rotated-kernel form of the seeds and the tests check the two agree.

Layout. The layer keeps its maps with the batch axis innermost in memory — (C, H, W, N),
handed out as (N, C, H, W) views — and gathers the receptive fields of the whole batch into
one matrix ``cols`` (C·kh·kw, Ho·Wo·N). Forward, ∂E/∂k and the column gradient are then one
matrix product each over the batch, with no transposes in between:

    u     = K · cols            (O, C·kh·kw) · (C·kh·kw, Ho·Wo·N) = u in (O, Ho, Wo, N) layout
    ∂E/∂K = Δ · colsᵀ           Δ = δ in the same layout, (O, Ho·Wo·N)
    dcols = Kᵀ · Δ              scattered back by col2im

Row (c, i, j) of ``cols`` is the input map c shifted by (i, j), sampled every S pixels: with
the batch innermost, im2col and col2im are kh·kw copies or adds of long contiguous runs (a
whole output row of every sample at stride 1). Layers after a conv keep this layout (their
outputs are laid out like their inputs), so a conv–ReLU–pool stack never transposes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import parallel
from .init import Init, init_weight
from .layer import Layer, Shape, fmt_shape


def _pair(v: int | tuple[int, int] | list[int]) -> tuple[int, int]:
    if isinstance(v, int | np.integer):
        return int(v), int(v)
    a, b = v
    return int(a), int(b)


def output_size(size: int, kernel: int, stride: int, padding: int) -> int | None:
    """``(size + 2·padding − kernel) / stride + 1`` when that is a whole, positive number."""
    span = size + 2 * padding - kernel
    if span < 0:
        return None
    return span // stride + 1


def im2col(xp: np.ndarray, kh: int, kw: int, stride: int, out_hw: tuple[int, int]) -> np.ndarray:
    """Gather every receptive field of a padded batch into columns.

    Parameters
    ----------
    xp : (N, C, Hp, Wp) array, already padded.
    Returns
    -------
    cols : (N, C·kh·kw, Ho·Wo) contiguous array; column ``u·Wo+v`` holds the window whose top
        left corner is ``(u·stride, v·stride)``, flattened in (c, i, j) order — the order of a
        PyTorch weight ``(out, in, kh, kw)`` flattened per output map.
    """
    n, c = xp.shape[:2]
    ho, wo = out_hw
    win = sliding_window_view(xp, (kh, kw), axis=(2, 3))  # (N, C, Hp-kh+1, Wp-kw+1, kh, kw)
    win = win[:, :, : (ho - 1) * stride + 1 : stride, : (wo - 1) * stride + 1 : stride]
    cols = np.empty((n, c, kh, kw, ho, wo), dtype=xp.dtype)
    np.copyto(cols, win.transpose(0, 1, 4, 5, 2, 3))
    return cols.reshape(n, c * kh * kw, ho * wo)


def col2im(
    dcols: np.ndarray, in_shape: Shape, kh: int, kw: int, stride: int, padding: int
) -> np.ndarray:
    """Scatter-add column gradients back to an input-shaped gradient (the adjoint of im2col).

    dcols : (N, C·kh·kw, Ho·Wo). Returns (N, C, H, W) with the padding cropped off.
    """
    n = dcols.shape[0]
    c, h, w = in_shape
    hp, wp = h + 2 * padding, w + 2 * padding
    ho = output_size(h, kh, stride, padding)
    wo = output_size(w, kw, stride, padding)
    d = dcols.reshape(n, c, kh, kw, ho, wo)
    dxp = np.zeros((n, c, hp, wp), dtype=dcols.dtype)
    for i in range(kh):
        for j in range(kw):
            dxp[:, :, i : i + stride * ho : stride, j : j + stride * wo : stride] += d[:, :, i, j]
    if padding:
        return dxp[:, :, padding : padding + h, padding : padding + w]
    return dxp


def dilate(delta: np.ndarray, stride: int) -> np.ndarray:
    """Insert ``stride − 1`` zeros between the entries of δ (N, C, H, W) along H and W."""
    if stride == 1:
        return delta
    n, c, h, w = delta.shape
    out = np.zeros((n, c, (h - 1) * stride + 1, (w - 1) * stride + 1), dtype=delta.dtype)
    out[:, :, ::stride, ::stride] = delta
    return out


def full_convolution_input_grad(
    delta: np.ndarray, weight: np.ndarray, stride: int, padding: int, in_hw: tuple[int, int]
) -> np.ndarray:
    """∂E/∂x as the seeds write it: a 'full' convolution of δ ↑S with rot180(k).

    Parameters
    ----------
    delta : (N, O, Ho, Wo) sensitivity of the conv output.
    weight : (O, C, kh, kw).
    Returns
    -------
    (N, C, H, W), equal to the engine's col2im result.
    """
    o, c, kh, kw = weight.shape
    h, w = in_hw
    d = dilate(delta, stride)
    hp, wp = h + 2 * padding, w + 2 * padding
    # 'full': pad by k−1 on each side, plus whatever rows the stride never reached.
    extra_h = hp - ((delta.shape[2] - 1) * stride + kh)
    extra_w = wp - ((delta.shape[3] - 1) * stride + kw)
    d = np.pad(d, ((0, 0), (0, 0), (kh - 1, kh - 1 + extra_h), (kw - 1, kw - 1 + extra_w)))
    rot = weight[:, :, ::-1, ::-1]  # rot180 of every kernel
    cols = im2col(d, kh, kw, 1, (hp, wp))  # (N, O·kh·kw, Hp·Wp)
    k = rot.transpose(1, 0, 2, 3).reshape(c, o * kh * kw)  # (C, O·kh·kw)
    dxp = np.matmul(k, cols).reshape(-1, c, hp, wp)
    return dxp[:, :, padding : padding + h, padding : padding + w]


def gather_columns(
    xp: np.ndarray,
    kh: int,
    kw: int,
    stride: int,
    cols: np.ndarray,
    rows: slice = slice(None),
    one_copy: bool = False,
) -> None:
    """im2col for the whole batch, batch innermost (see the module notes).

    xp : (C, Hp, Wp, N) padded input; cols : (C, kh, kw, Ho, Wo, N), filled for the output
    rows ``rows`` (all by default). Either one NumPy copy of every window at once
    (``one_copy``, and for short rows, i.e. small batches), or kh·kw copies of long
    contiguous runs.
    """
    r0, r1, _ = rows.indices(cols.shape[3])
    wo, n = cols.shape[4:]
    if one_copy or wo * n < 256:
        win = sliding_window_view(xp, (kh, kw), axis=(1, 2))  # (C, ·, ·, N, kh, kw)
        win = win[:, r0 * stride : (r1 - 1) * stride + 1 : stride, : (wo - 1) * stride + 1 : stride]
        np.copyto(cols[:, :, :, r0:r1], win.transpose(0, 4, 5, 1, 2, 3))
        return
    for i in range(kh):
        for j in range(kw):
            src = xp[:, i + r0 * stride : i + (r1 - 1) * stride + 1 : stride,
                     j : j + stride * (wo - 1) + 1 : stride]  # fmt: skip
            np.copyto(cols[:, i, j, r0:r1], src)


def scatter_columns(dcols: np.ndarray, kh: int, kw: int, stride: int, dxp: np.ndarray) -> None:
    """col2im, the adjoint of :func:`gather_columns`: add ``dcols`` (C, kh, kw, Ho, Wo, N)
    into ``dxp`` (C, Hp, Wp, N), which must hold zeros on entry."""
    ho, wo = dcols.shape[3:5]
    for i in range(kh):
        for j in range(kw):
            rows = slice(i, i + stride * (ho - 1) + 1, stride)
            dxp[:, rows, j : j + stride * (wo - 1) + 1 : stride] += dcols[:, i, j]


class Conv2D(Layer):
    """2-D convolution over NCHW batches.

    Parameters
    ----------
    in_channels, out_channels : int
    kernel_size : int or (kh, kw)
    stride : int, default 1
    padding : int, default 0 — zeros added on every side
    connections : (out_channels, in_channels) bool array-like or None
        The connection table: ``connections[j, i]`` says whether input map ``i`` feeds output
        map ``j`` (LeNet-5's C3 table). Kernels of absent connections are held at zero.
    bias : bool, default True
    init : None, a scheme name (``"he"``, ``"glorot"``, ``"lecun"``, ``"normal"``, ``"zeros"``)
        or an :class:`~cnnviz.engine.init.Init` — None: suited to the activation that follows.

    Parameters kept: ``weight`` (out, in, kh, kw) and ``bias`` (out,), PyTorch's layout.
    Besides x, y, dy and dx the trace keeps ``_cols`` (C·kh·kw, Ho·Wo·N), the receptive
    fields of the last forward pass that ∂E/∂k needs. ``y`` and ``dx`` are (N, …) views of
    batch-innermost arrays (see the module notes).
    """

    kind = "conv"
    trace_attrs = (*Layer.trace_attrs, "_cols")

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, int],
        stride: int = 1,
        padding: int = 0,
        connections: Any = None,
        bias: bool = True,
        name: str | None = None,
        init: Init | str | None = None,
    ) -> None:
        super().__init__(name)
        self.init = Init.parse(init)
        self.in_channels = int(in_channels)
        self.out_channels = int(out_channels)
        self.kh, self.kw = _pair(kernel_size)
        self.stride = int(stride)
        self.padding = int(padding)
        self.use_bias = bool(bias)
        self.mask: np.ndarray | None = None
        if connections is not None:
            mask = np.asarray(connections, dtype=bool)
            if mask.shape != (self.out_channels, self.in_channels):
                raise self.error(
                    f"connection table must be (out, in) = "
                    f"({self.out_channels}, {self.in_channels}), got {mask.shape}"
                )
            if not mask.any(axis=1).all():
                raise self.error("connection table leaves an output map with no input")
            self.mask = mask
        if min(self.kh, self.kw, self.stride) < 1 or self.padding < 0:
            raise self.error("kernel size and stride must be ≥ 1 and padding ≥ 0")
        self._cols: np.ndarray | None = None

    def _build(self, in_shape: Shape) -> Shape:
        if len(in_shape) != 3:
            raise self.error(f"expects (C, H, W) input, got {fmt_shape(in_shape)}")
        c, h, w = in_shape
        if c != self.in_channels:
            raise self.error(
                f"expects {self.in_channels} input channels, got {c} (input {fmt_shape(in_shape)})"
            )
        ho = output_size(h, self.kh, self.stride, self.padding)
        wo = output_size(w, self.kw, self.stride, self.padding)
        if ho is None or wo is None:
            raise self.error(
                f"kernel {self.kh}×{self.kw} is larger than the padded input "
                f"{h + 2 * self.padding}×{w + 2 * self.padding}"
            )
        self.out_hw = (ho, wo)
        self.params["weight"] = np.zeros(
            (self.out_channels, self.in_channels, self.kh, self.kw), dtype=self.dtype
        )
        if self.use_bias:
            self.params["bias"] = np.zeros(self.out_channels, dtype=self.dtype)
        return (self.out_channels, ho, wo)

    @property
    def fan_in(self) -> int:
        if self.mask is not None:
            return int(self.mask.sum(axis=1).mean() * self.kh * self.kw)
        return self.in_channels * self.kh * self.kw

    def init_params(self, rng: np.random.Generator, activation: str | None) -> None:
        w = init_weight(
            rng,
            self.params["weight"].shape,
            self.fan_in,
            self.out_channels * self.kh * self.kw,
            activation,
            self.dtype,
            self.init,
        )
        if self.mask is not None:
            w *= self.mask[:, :, None, None]
        self.params["weight"][...] = w
        if self.use_bias:
            self.params["bias"][...] = 0

    def _forward(self, x: np.ndarray) -> np.ndarray:  # (N, C, H, W) -> (N, O, Ho, Wo)
        n = x.shape[0]
        c, h, w = self.in_shape
        p, o, kh, kw, st = self.padding, self.out_channels, self.kh, self.kw, self.stride
        ho, wo = self.out_hw
        xt = x.transpose(1, 2, 3, 0)  # (C, H, W, N)
        if p or not xt.flags.c_contiguous:
            # the border is zeroed once; every step writes the interior only
            xp = self.buffer("xp", (c, h + 2 * p, w + 2 * p, n), zero=True, trace=False)
            xp[:, p : p + h, p : p + w] = xt
        else:
            xp = xt  # the output of a layer before: already batch-innermost
        cols6 = self.buffer("cols", (c, kh, kw, ho, wo, n))
        cols = cols6.reshape(c * kh * kw, ho * wo * n)  # (C·kh·kw, Ho·Wo·N)
        u = self.buffer("y", (o, ho, wo, n))
        u2 = u.reshape(o, -1)
        wmat = self.params["weight"].reshape(o, -1)  # (O, C·kh·kw)
        bias = self.params["bias"][:, None] if self.use_bias else None
        threaded = parallel.worth_splitting(cols.size * o)

        def rows(s: slice) -> None:  # output rows s: their columns, then u = K · cols
            gather_columns(xp, kh, kw, st, cols6, s, one_copy=threaded)
            part = slice(s.start * wo * n, s.stop * wo * n)
            np.matmul(wmat, cols[:, part], out=u2[:, part])
            if bias is not None:
                u2[:, part] += bias

        parallel.split(rows, ho, cols.size * o)
        self._cols = cols
        return u.transpose(3, 0, 1, 2)  # (N, O, Ho, Wo) view

    def _backward(self, dy: np.ndarray, need_dx: bool) -> np.ndarray | None:
        n = dy.shape[0]
        c, h, w = self.in_shape
        p, o, kh, kw, st = self.padding, self.out_channels, self.kh, self.kw, self.stride
        ho, wo = self.out_hw
        kk = kh * kw
        dt = dy.transpose(1, 2, 3, 0)  # (O, Ho, Wo, N)
        if not dt.flags.c_contiguous:
            dt = self.buffer("delta", dt.shape, trace=False)
            np.copyto(dt, dy.transpose(1, 2, 3, 0))
        delta = dt.reshape(o, -1)  # Δ (O, Ho·Wo·N)
        cols = self._cols
        wmat = self.params["weight"].reshape(o, -1)
        gw = self.grads["weight"].reshape(o, -1)

        def weight_grad(k: slice = slice(None)) -> None:  # ∂E/∂k = Δ · colsᵀ, rows k of cols
            np.matmul(delta, cols[k].T, out=gw[:, k])

        work = cols.size * o
        if need_dx:
            hp, wp = h + 2 * p, w + 2 * p
            dcols6 = self.buffer("dcols", (c, kh, kw, ho, wo, n), trace=False)
            dxp = self.buffer("dxp", (c, hp, wp, n), trace=not p)  # without padding it is dx
            dx = self.buffer("dx", (c, h, w, n)) if p else dxp

            def input_grad() -> None:  # dcols = Kᵀ · Δ, scattered back by col2im
                np.matmul(wmat.T, delta, out=dcols6.reshape(c * kk, -1))
                dxp[...] = 0
                scatter_columns(dcols6, kh, kw, st, dxp)
                if p:
                    np.copyto(dx, dxp[:, p : p + h, p : p + w])

            # the two products are independent: one thread each (the caller takes col2im)
            parallel.run_tasks([input_grad, weight_grad], work)
        else:
            parallel.split(weight_grad, cols.shape[0], work)
        if self.mask is not None:
            self.grads["weight"] *= self.mask[:, :, None, None]
        if self.use_bias:
            np.sum(delta, axis=1, out=self.grads["bias"])  # Σ_{n,u,v} δ
        return dx.transpose(3, 0, 1, 2) if need_dx else None  # (N, C, H, W) view

    def config(self) -> dict[str, Any]:
        cfg = super().config() | {
            "in_channels": self.in_channels,
            "out_channels": self.out_channels,
            "kernel_size": [self.kh, self.kw],
            "stride": self.stride,
            "padding": self.padding,
            "bias": self.use_bias,
        }
        if self.mask is not None:
            cfg["connections"] = self.mask.astype(int).tolist()
        if self.init is not None:
            cfg["init"] = self.init.config()
        return cfg

    def describe(self) -> str:
        k = f"{self.kh}×{self.kw}" if self.kh != self.kw else f"{self.kh}×{self.kh}"
        extra = "".join(
            [
                f" s{self.stride}" if self.stride != 1 else "",
                f" p{self.padding}" if self.padding else "",
                " table" if self.mask is not None else "",
            ]
        )
        return f"conv {self.out_channels}@{k}{extra}"
