"""Conv2D: many input and output maps, stride, zero padding and a connection table.

Forward (Bouvrie 2006, §3.1, with the deep-learning convention of *correlation*):

    u_j = Σ_{i ∈ M_j} x_i ⋆ k_ij + b_j

where ``M_j`` is the set of input maps feeding output map ``j`` (the connection table; every
map when there is none). Implemented as im2col + matrix products over the batch.

Backward (Bouvrie 2006, §3.1.1 and §3.2.1; Han 2017):

    ∂E/∂k_ij = x_i ⋆ δ_j                (the correlation of input and sensitivity; with stride
                                         S the window moves S pixels per δ entry)
    ∂E/∂b_j  = Σ_{u,v} (δ_j)_{uv}
    ∂E/∂x_i  = Σ_j full(δ_j ↑S) ∗ rot180(k_ij)

``δ ↑S`` inserts S−1 zeros between the entries of δ. At stride 1, with padding that keeps
the map's size ("same" padding) and at least 8 input maps, the engine computes ∂E/∂x in just
that form: a convolution of δ, zero-padded by k−1−p, with the rotated kernels, as a matrix
product like the forward pass. Otherwise it scatters the column gradient back (col2im,
:func:`scatter_columns`), which is the same sum; :func:`full_convolution_input_grad` spells
out the rotated-kernel form of the references and the tests check the two agree.

Layout. The layer keeps its maps with the batch axis innermost in memory — (C, H, W, N),
handed out as (N, C, H, W) views. The receptive fields of the whole batch form one matrix
``cols`` (C·kh·kw, Ho·Wo·N), and forward, ∂E/∂k and ∂E/∂x are matrix products over the
batch, with no transposes in between:

    u       = K · cols          (O, C·kh·kw) · (C·kh·kw, Ho·Wo·N) = u in (O, Ho, Wo, N) layout
    (∂E/∂K)ᵀ = cols · Δᵀ        Δ = δ in the same layout, (O, Ho·Wo·N)
    ∂E/∂x   = rot180(K)ᵀ · cols(δ padded)   or   col2im(Kᵀ · Δ)

Row (c, i, j) of ``cols`` is the input map c shifted by (i, j), sampled every S pixels: with
the batch innermost, im2col is one strided copy whose innermost runs are contiguous (the
whole batch at one pixel), and col2im kh·kw adds of long contiguous runs (a whole output row
of every sample at stride 1). Layers after a conv keep this layout (their
outputs are laid out like their inputs), so a conv–ReLU–pool stack never transposes.

Blocks. ``cols`` is never built whole for a big layer: it is gathered and multiplied in
blocks of output rows of about :data:`CHUNK_BYTES` (1 MB), each still in the core's cache
when the product reads it, and ∂E/∂k gathers its blocks again rather than reading a matrix
of tens of MB back from memory (small layers, below :data:`KEEP_COLUMNS_BYTES` or with fewer
than :data:`KEEP_COLUMNS_BELOW` rows, keep theirs from forward). The blocks are the
engine's unit of threading: they are fixed by the sizes alone and write disjoint outputs
(∂E/∂k sums its per-block parts in block order), so a step gives the same bits on any number
of threads.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import parallel
from .init import Init, init_weight
from .layer import Layer, Shape, fmt_shape

# Columns are gathered and multiplied in blocks of output rows of about this many bytes, so a
# block is still in the core's cache when the matrix product reads it.
CHUNK_BYTES = 1 << 20
# Layers with fewer rows (C·kh·kw) than this keep every column from forward for ∂E/∂k.
KEEP_COLUMNS_BELOW = 64
# ... and so do layers whose columns take at most this many bytes.
KEEP_COLUMNS_BYTES = 4 << 20


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


def dilate(delta: np.ndarray, stride: int) -> np.ndarray:
    """δ ↑S: insert ``stride − 1`` zeros between the entries of δ (…, H, W) along H and W
    (δ itself at stride 1)."""
    if stride == 1:
        return delta
    *lead, h, w = delta.shape
    out = np.zeros((*lead, (h - 1) * stride + 1, (w - 1) * stride + 1), dtype=delta.dtype)
    out[..., ::stride, ::stride] = delta
    return out


def full_convolution_input_grad(
    delta: np.ndarray, weight: np.ndarray, stride: int, padding: int, in_hw: tuple[int, int]
) -> np.ndarray:
    """∂E/∂x as Bouvrie and Han write it: a 'full' convolution of δ ↑S with rot180(k).

    Parameters
    ----------
    delta : (N, O, Ho, Wo) sensitivity of the conv output.
    weight : (O, C, kh, kw).
    Returns
    -------
    (N, C, H, W), equal to the engine's result (:func:`scatter_columns`).
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


def gather_rows(
    xp: np.ndarray, kh: int, kw: int, stride: int, rows: slice, block: np.ndarray
) -> None:
    """im2col with the batch innermost (see the module notes), for the output rows ``rows``.

    xp : (C, Hp, Wp, N) padded input; block : (C, kh, kw, len(rows), Wo, N), filled with
    the receptive fields of those rows — one NumPy copy from a strided view of every window.
    (kh·kw copies of contiguous runs, one per kernel offset, took 42–149 µs a block where the
    one copy takes 30–138 µs on an AMD EPYC, and each call gives the GIL up and takes it
    back, which costs tens of µs when another engine thread holds it.)
    """
    r0, r1 = rows.start, rows.stop
    wo = block.shape[4]
    win = sliding_window_view(xp, (kh, kw), axis=(1, 2))  # (C, ·, ·, N, kh, kw)
    win = win[:, r0 * stride : (r1 - 1) * stride + 1 : stride, : (wo - 1) * stride + 1 : stride]
    np.copyto(block, win.transpose(0, 4, 5, 1, 2, 3))


def scatter_columns(dcols: np.ndarray, kh: int, kw: int, stride: int, dxp: np.ndarray) -> None:
    """col2im, the adjoint of :func:`gather_rows` over all rows: add ``dcols``
    (C, kh, kw, Ho, Wo, N) into ``dxp`` (C, Hp, Wp, N), which must hold zeros on entry."""
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
    Besides x, y, dy and dx the trace keeps ``_xp`` (C, Hp, Wp, N), the padded input that
    ∂E/∂k gathers its columns from, and for small layers ``_cols`` (C·kh·kw, Ho·Wo·N), the
    receptive fields of the last forward pass (None otherwise). ``y`` and ``dx`` are (N, …)
    views of batch-innermost arrays (see the module notes).
    """

    kind = "conv"
    takes_init = True
    trace_attrs = (*Layer.trace_attrs, "_xp", "_cols")

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
        self._xp: np.ndarray | None = None
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
            self.gain,
        )
        if self.mask is not None:
            w *= self.mask[:, :, None, None]
        self.params["weight"][...] = w
        if self.use_bias:
            self.params["bias"][...] = 0

    # ---------------------------------------------------------------- chunks of columns
    def _chunks(self, rows_total: int, row_bytes: int) -> list[slice]:
        """Output rows in blocks whose columns fill about :data:`CHUNK_BYTES` (≥ 1 row);
        fixed by the sizes alone, so every thread count sums in the same order."""
        step = max(1, CHUNK_BYTES // max(row_bytes, 1))
        return [slice(a, min(a + step, rows_total)) for a in range(0, rows_total, step)]

    def _chunk_columns(self, src: np.ndarray, rows: slice, out_w: int, stride: int) -> np.ndarray:
        """The columns of output rows ``rows`` gathered from ``src`` (C, Hp, Wp, N) into this
        thread's scratch block: (C·kh·kw, rows·Wo·N), the rows ``rows`` of the full column
        matrix the module notes describe."""
        c, n = src.shape[0], src.shape[3]
        kh, kw = self.kh, self.kw
        shape = (c, kh, kw, rows.stop - rows.start, out_w, n)
        block = self.buffer(f"chunk{threading.get_ident()}", shape, trace=False)
        gather_rows(src, kh, kw, stride, rows, block)
        return block.reshape(c * kh * kw, -1)

    def _padded_input(self, x: np.ndarray) -> np.ndarray:
        """x as (C, Hp, Wp, N), zero-padded (the input itself when it is already laid out so)."""
        c, h, w = self.in_shape
        p, n = self.padding, x.shape[0]
        xt = x.transpose(1, 2, 3, 0)  # (C, H, W, N)
        if not p and xt.flags.c_contiguous:
            return xt  # the output of a layer before: already batch-innermost
        # the border is zeroed once; every step writes the interior only
        xp = self.buffer("xp", (c, h + 2 * p, w + 2 * p, n), zero=True, trace=False)
        xp[:, p : p + h, p : p + w] = xt
        return xp

    def _forward(self, x: np.ndarray) -> np.ndarray:  # (N, C, H, W) -> (N, O, Ho, Wo)
        n = x.shape[0]
        o, st = self.out_channels, self.stride
        ho, wo = self.out_hw
        xp = self._padded_input(x)
        u = self.buffer("y", (o, ho, wo, n))
        u2 = u.reshape(o, -1)
        wmat = self.params["weight"].reshape(o, -1)  # (O, C·kh·kw)
        bias = self.params["bias"][:, None] if self.use_bias else None
        k = wmat.shape[1]

        # with few rows per column (RGB or grey input) gathering again for ∂E/∂k would cost
        # about as much as the product, and small column matrices stay in the cache: keep
        # every column then; otherwise ∂E/∂k gathers them again, block by block
        small = k < KEEP_COLUMNS_BELOW or k * ho * wo * n * x.itemsize <= KEEP_COLUMNS_BYTES
        keep = self.buffer("cols", (k, ho, wo, n), trace=False) if small else None

        def rows(s: slice) -> None:  # output rows s: their columns, then u = K · cols
            part = slice(s.start * wo * n, s.stop * wo * n)
            if keep is None:
                cols = self._chunk_columns(xp, s, wo, st)
            else:
                c6 = keep.reshape(self.in_channels, self.kh, self.kw, ho, wo, n)[:, :, :, s]
                gather_rows(xp, self.kh, self.kw, st, s, c6)
                cols = keep.reshape(k, -1)[:, part]
            np.matmul(wmat, cols, out=u2[:, part])
            if bias is not None:
                u2[:, part] += bias

        chunks = self._chunks(ho, k * wo * n * x.itemsize)
        parallel.run_tasks([functools.partial(rows, s) for s in chunks], k * ho * wo * n * o)
        self._xp = xp
        self._cols = None if keep is None else keep.reshape(k, -1)
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
        xp = self._xp
        wmat = self.params["weight"].reshape(o, -1)
        k = wmat.shape[1]
        item = dy.itemsize
        wchunks = self._chunks(ho, k * wo * n * item)
        # (∂E/∂k)ᵀ per block: cols_s · Δ_sᵀ runs faster in OpenBLAS than Δ_s · cols_sᵀ
        partial = self.buffer("dw_parts", (len(wchunks), k, o), trace=False)

        def weight_grad(i: int, s: slice) -> None:  # ∂E/∂k over rows s = (cols_s · Δ_sᵀ)ᵀ
            part = slice(s.start * wo * n, s.stop * wo * n)
            if self._cols is None:
                cols = self._chunk_columns(xp, s, wo, st)
            else:
                cols = self._cols[:, part]
            np.matmul(cols, delta[:, part].T, out=partial[i])

        tasks = [functools.partial(weight_grad, i, s) for i, s in enumerate(wchunks)]
        dx = None
        if need_dx:
            dx = self.buffer("dx", (c, h, w, n))
            dx2 = dx.reshape(c, -1)
            if self._full_convolution_pays(n):
                # ∂E/∂x = full(δ) ∗ rot180(k): a convolution of the padded δ, row by row
                qh, qw = kh - 1 - p, kw - 1 - p
                dp = self.buffer(
                    "delta_pad", (o, ho + 2 * qh, wo + 2 * qw, n), zero=True, trace=False
                )
                dp[:, qh : qh + ho, qw : qw + wo] = dt
                wrot = self.buffer("weight_rot", (c, o, kh, kw), trace=False)
                np.copyto(wrot, self.params["weight"][:, :, ::-1, ::-1].transpose(1, 0, 2, 3))
                wrot2 = wrot.reshape(c, o * kk)

                def input_grad(s: slice) -> None:
                    cols = self._chunk_columns(dp, s, w, 1)  # (O·kh·kw, rows·W·N)
                    np.matmul(wrot2, cols, out=dx2[:, s.start * w * n : s.stop * w * n])

                xchunks = self._chunks(h, o * kk * w * n * item)
                tasks += [functools.partial(input_grad, s) for s in xchunks]
            else:
                tasks.append(lambda: self._scatter_input_grad(wmat, delta, dx))
        parallel.run_tasks(tasks, 2 * k * ho * wo * n * o)
        np.sum(partial, axis=0, out=self.grads["weight"].reshape(o, k).T)
        if self.mask is not None:
            self.grads["weight"] *= self.mask[:, :, None, None]
        if self.use_bias:
            np.sum(delta, axis=1, out=self.grads["bias"])  # Σ_{n,u,v} δ
        return dx.transpose(3, 0, 1, 2) if need_dx else None  # (N, C, H, W) view

    def _full_convolution_pays(self, n: int) -> bool:
        """Whether ∂E/∂x is cheaper as the full convolution of δ than by col2im: at stride 1,
        when the padded δ is not much larger than the input ("same" padding, where it
        saves col2im's adds), and with enough input maps for a matrix product (not RGB)."""
        c, h, w = self.in_shape
        ho, wo = self.out_hw
        if self.stride != 1 or self.padding > min(self.kh, self.kw) - 1 or c < 8:
            return False
        return 4 * h * w <= 5 * ho * wo

    def _scatter_input_grad(self, wmat: np.ndarray, delta: np.ndarray, dx: np.ndarray) -> None:
        """∂E/∂x for strides > 1: dcols = Kᵀ · Δ, scattered back by col2im."""
        c, h, w = self.in_shape
        p, kh, kw = self.padding, self.kh, self.kw
        ho, wo = self.out_hw
        n = dx.shape[3]
        dcols6 = self.buffer("dcols", (c, kh, kw, ho, wo, n), trace=False)
        np.matmul(wmat.T, delta, out=dcols6.reshape(c * kh * kw, -1))
        dxp = self.buffer("dxp", (c, h + 2 * p, w + 2 * p, n), trace=False) if p else dx
        dxp[...] = 0
        scatter_columns(dcols6, kh, kw, self.stride, dxp)
        if p:
            np.copyto(dx, dxp[:, p : p + h, p : p + w])

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
