"""Convolution, step by step: the sliding window of the references as a sequence of frames.

Every example is one *correlation*: a kh×kw window slides over a grid of numbers (padding
included), multiplies what it covers by a kernel and sums. One frame is one output entry: the
window's position, the cells it covers, the kernel, the products, their running sum and the
result. The forward pass and both gradients of a convolution are correlations of this kind
(Han 2017; the CNN backprop notes, §3.1.1):

================  ===================================  ===================================
example kind      the window slides over               the kernel
================  ===================================  ===================================
``forward``       the input x, zero padded by P        W (one filter per output map)
``input_grad``    δ with S−1 zeros inserted between    rot180(W): ∂E/∂x is the *full*
                  its entries, padded by k−1           convolution of δ with the kernel
``weight_grad``   the input x, zero padded by P        δ (zeros inserted for stride S):
                                                       ∂E/∂W is x correlated with δ
================  ===================================  ===================================

The catalogue of the references' own examples is :mod:`cnnviz.lessons.convcatalogue`;
:func:`live_example` builds the same thing from a conv layer of the live network. Pure NumPy:
no Qt here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from cnnviz.engine.conv import dilate
from cnnviz.i18n import LESSONS, QT_TRANSLATE_NOOP, translate

from .references import Citation, cite

NO_SOURCE = Citation((), "")

# cell kinds of a grid
VALUE, PADDING, INSERTED = 0, 1, 2


# ------------------------------------------------------------------ frames and examples
@dataclass(frozen=True)
class Frame:
    """One output entry of a correlation: where the window is and what it computes.

    ``patch``, ``kernel`` and ``products`` are (channels, kh, kw) over the grid channels the
    output map reads (``channels``); ``running`` is the running sum of the products in
    reading order (channel, row, column), so ``running[-1] + bias == value``.
    """

    index: int
    out: tuple[int, int, int]  # (map, row, col) of the output entry
    origin: tuple[int, int]  # top-left corner of the window in the grid (padding included)
    channels: tuple[int, ...]
    cells: tuple[tuple[int, int, int], ...]  # (channel, row, col) of the grid cells covered
    patch: np.ndarray
    kernel: np.ndarray
    products: np.ndarray
    running: np.ndarray
    bias: float
    value: float


@dataclass(frozen=True)
class ConvExample:
    """A correlation to animate: the grid, the kernels, the output and one frame per entry."""

    key: str
    title: str
    description: str
    cite: str  # the works the example comes from (text shown under it)
    kind: str  # "forward", "input_grad", "weight_grad" or "live"
    grid: np.ndarray  # (C, Hg, Wg): what the window slides over, padding included
    cell_kind: np.ndarray  # (C, Hg, Wg) int8: VALUE, PADDING or INSERTED
    kernels: np.ndarray  # (M, C, kh, kw): the window's weights for output map m
    connect: np.ndarray  # (M, C) bool: which grid channels output map m reads
    bias: np.ndarray  # (M,)
    stride: int  # how far the window moves per output entry
    offset: int  # grid row/col of the first window's corner
    output: np.ndarray  # (M, Ho, Wo)
    frames: Frames
    grid_label: str = "input x"
    kernel_label: str = "kernel W"
    output_label: str = "output u"
    formula: str = ""
    out_names: tuple[str, ...] = ()  # name of each output map, e.g. "u[0]"
    refs: tuple[str, ...] = ()  # keys of the works cited, in lessons.references
    # the forward problem the example comes from (for checks against the engine)
    source: dict[str, np.ndarray | int] = field(default_factory=dict)

    @property
    def kernel_size(self) -> tuple[int, int]:
        return int(self.kernels.shape[2]), int(self.kernels.shape[3])

    def frame_at(self, m: int, i: int, j: int) -> int:
        """Index of the frame computing output entry (m, i, j)."""
        _, ho, wo = self.output.shape
        return (m * ho + i) * wo + j


class Frames(Sequence):
    """The frames of a correlation, made on demand (a live layer has hundreds)."""

    def __init__(self, grid, kernels, connect, bias, stride, offset, out_hw) -> None:
        self.grid, self.kernels, self.connect, self.bias = grid, kernels, connect, bias
        self.stride, self.offset, self.out_hw = stride, offset, out_hw
        self._chans = [tuple(int(c) for c in np.flatnonzero(row)) for row in connect]
        self._cache: dict[int, Frame] = {}

    def __len__(self) -> int:
        return self.kernels.shape[0] * self.out_hw[0] * self.out_hw[1]

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError(f"frame {index} of {n}")
        frame = self._cache.get(index)
        if frame is None:
            frame = self._cache[index] = self._make(index)
        return frame

    def _make(self, index: int) -> Frame:
        ho, wo = self.out_hw
        m, rest = divmod(index, ho * wo)
        i, j = divmod(rest, wo)
        kh, kw = self.kernels.shape[2:]
        chans = self._chans[m]
        r0, c0 = i * self.stride + self.offset, j * self.stride + self.offset
        patch = self.grid[list(chans), r0 : r0 + kh, c0 : c0 + kw]
        ker = self.kernels[m, list(chans)]
        prods = patch * ker
        running = np.cumsum(prods.ravel())
        bias = float(self.bias[m])
        return Frame(
            index=index,
            out=(m, i, j),
            origin=(r0, c0),
            channels=chans,
            cells=tuple((c, r0 + p, c0 + q) for c in chans for p in range(kh) for q in range(kw)),
            patch=patch,
            kernel=ker,
            products=prods,
            running=running,
            bias=bias,
            value=float(running[-1] if running.size else 0.0) + bias,
        )


def correlate_frames(
    grid: np.ndarray,
    kernels: np.ndarray,
    connect: np.ndarray,
    bias: np.ndarray,
    stride: int,
    offset: int,
    out_hw: tuple[int, int],
) -> tuple[np.ndarray, Frames]:
    """Slide the window: one :class:`Frame` per output entry, maps first, then rows, then
    columns (made when first read). Returns ``(output (M, Ho, Wo), frames)``."""
    grid = np.asarray(grid, dtype=np.float64)
    kernels = np.asarray(kernels, dtype=np.float64)
    connect = np.asarray(connect, dtype=bool)
    bias = np.asarray(bias, dtype=np.float64)
    m_count, _, kh, kw = kernels.shape
    ho, wo = out_hw
    out = np.zeros((m_count, ho, wo))
    span_h, span_w = stride * (ho - 1) + 1, stride * (wo - 1) + 1
    for m in range(m_count):
        for c in np.flatnonzero(connect[m]):
            for p in range(kh):
                for q in range(kw):
                    r, col = offset + p, offset + q
                    out[m] += kernels[m, c, p, q] * grid[c, r : r + span_h : stride,
                                                         col : col + span_w : stride]  # fmt: skip
        out[m] += bias[m]
    frames = Frames(grid, kernels, connect, bias, stride, offset, out_hw)
    return out, frames


def dilate_marked(a: np.ndarray, stride: int) -> tuple[np.ndarray, np.ndarray]:
    """δ ↑S (:func:`cnnviz.engine.conv.dilate`, in float64) and a mask of the inserted zeros."""
    a = np.array(a, dtype=np.float64)
    inserted = ~dilate(np.ones(a.shape, dtype=bool), stride)
    return dilate(a, stride), inserted


def _pad(x: np.ndarray, padding: int) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=np.float64)
    kind = np.zeros(x.shape, dtype=np.int8)
    if padding:
        x = np.pad(x, ((0, 0), (padding, padding), (padding, padding)))
        kind = np.pad(kind, ((0, 0), (padding, padding), (padding, padding)), constant_values=1)
    return x, kind


# ------------------------------------------------------------------ the three kinds
def forward_example(
    key: str,
    title: str,
    x: np.ndarray,
    weight: np.ndarray,
    bias: np.ndarray | None = None,
    stride: int = 1,
    padding: int = 0,
    description: str = "",
    source: Citation = NO_SOURCE,
    mask: np.ndarray | None = None,
    kind: str = "forward",
    out_maps: list[int] | None = None,
) -> ConvExample:
    """u[o, i, j] = Σ x[c, iS+p−P, jS+q−P] · W[o, c, p, q] + b[o]: x (C, H, W) or (H, W),
    weight (O, C, kh, kw) or (kh, kw). ``out_maps`` keeps only some output maps (frames are
    made for those only)."""
    x = np.asarray(x, dtype=np.float64)
    weight = np.asarray(weight, dtype=np.float64)
    if x.ndim == 2:
        x = x[None]
    if weight.ndim == 2:
        weight = weight[None, None]
    o_count, c_count, kh, kw = weight.shape
    b = np.zeros(o_count) if bias is None else np.asarray(bias, dtype=np.float64)
    connect = np.ones((o_count, c_count), bool) if mask is None else np.asarray(mask, bool)
    maps = list(range(o_count)) if out_maps is None else list(out_maps)
    grid, cell_kind = _pad(x, padding)
    h, w = x.shape[1:]
    out_hw = ((h + 2 * padding - kh) // stride + 1, (w + 2 * padding - kw) // stride + 1)
    out, frames = correlate_frames(grid, weight[maps], connect[maps], b[maps], stride, 0, out_hw)
    pad_note = _padding_note(padding)
    return ConvExample(
        key=key,
        title=translate(LESSONS, title),
        description=translate(LESSONS, description) if description else "",
        cite=source.shown(),
        refs=source.keys,
        kind=kind,
        grid=grid,
        cell_kind=cell_kind,
        kernels=weight[maps],
        connect=connect[maps],
        bias=b[maps],
        stride=stride,
        offset=0,
        output=out,
        frames=frames,
        grid_label=translate("lessons", "input x ({shape}{padding})").format(
            shape="×".join(map(str, x.shape)), padding=pad_note
        ),
        kernel_label=translate("lessons", "kernel W")
        + (f"[{maps[0]}]" if len(maps) == 1 and o_count > 1 else ""),
        output_label=translate("lessons", "output u ({shape}), stride S = {S}").format(
            shape="×".join(map(str, out.shape)), S=stride
        ),
        formula="u[o, i, j] = Σ x[c, iS+p−P, jS+q−P] · W[o, c, p, q] + b[o]",
        out_names=tuple(f"u[{m}]" for m in maps),
        source={"x": x, "weight": weight, "bias": b, "stride": stride, "padding": padding},
    )


def input_grad_example(
    key: str,
    title: str,
    x_shape: tuple[int, ...],
    weight: np.ndarray,
    delta: np.ndarray,
    stride: int = 1,
    padding: int = 0,
    description: str = "",
    source: Citation = NO_SOURCE,
) -> ConvExample:
    """∂E/∂x[c] = Σₒ full(δ[o] ↑S) ∗ rot180(W[o, c]), written as a correlation: the window
    is rot180(W[:, c]) and slides over δ with S−1 zeros inserted and k−1 zeros around it.

    ``x_shape`` is the forward input's (C, H, W) or (H, W); ``delta`` (O, Ho, Wo) or (Ho, Wo).
    """
    weight = np.asarray(weight, dtype=np.float64)
    delta = np.asarray(delta, dtype=np.float64)
    if weight.ndim == 2:
        weight = weight[None, None]
    if delta.ndim == 2:
        delta = delta[None]
    c_count, h, w = (1, *x_shape) if len(x_shape) == 2 else x_shape
    o_count, _, kh, kw = weight.shape
    dil, inserted = dilate_marked(delta, stride)
    # 'full': k−1 zeros on every side, plus the rows and columns of the padded input that no
    # window reached (their gradient is 0; they only keep the sizes right)
    hp, wp = h + 2 * padding, w + 2 * padding
    extra_h = hp - ((delta.shape[1] - 1) * stride + kh)
    extra_w = wp - ((delta.shape[2] - 1) * stride + kw)
    pads = ((0, 0), (kh - 1, kh - 1 + extra_h), (kw - 1, kw - 1 + extra_w))
    grid = np.pad(dil, pads)
    cell_kind = np.pad(np.where(inserted, INSERTED, VALUE).astype(np.int8), pads, constant_values=1)
    rot = weight[:, :, ::-1, ::-1]
    kernels = rot.transpose(1, 0, 2, 3)  # output map c reads every δ map o through rot180
    connect = np.ones((c_count, o_count), bool)
    # ∂E/∂x[r, s] is entry (r + P, s + P) of the full convolution over the padded input
    out, frames = correlate_frames(grid, kernels, connect, np.zeros(c_count), 1, padding, (h, w))
    notes = []
    if stride > 1:
        notes.append(
            translate(
                "lessons", "{zeros} zero(s) inserted between the entries of δ (stride {S})"
            ).format(zeros=stride - 1, S=stride)
        )
    notes.append(
        translate("lessons", "{zeros} zeros around δ for the 'full' convolution").format(
            zeros=kh - 1
        )
    )
    if padding:
        notes.append(
            translate("lessons", "the forward padding P = {P} cropped off").format(P=padding)
        )
    return ConvExample(
        key=key,
        title=translate(LESSONS, title),
        description=translate(LESSONS, description) if description else "",
        cite=source.shown(),
        refs=source.keys,
        kind="input_grad",
        grid=grid,
        cell_kind=cell_kind,
        kernels=kernels,
        connect=connect,
        bias=np.zeros(c_count),
        stride=1,
        offset=padding,
        output=out,
        frames=frames,
        grid_label="δ, " + "; ".join(notes),
        kernel_label=translate("lessons", "rot180(W): the kernel turned by 180°"),
        output_label=f"∂E/∂x ({'×'.join(map(str, out.shape))})",
        formula="∂E/∂x[c] = Σₒ full(δ[o] ↑S) ∗ rot180(W[o, c])",
        out_names=tuple(f"∂E/∂x[{c}]" for c in range(c_count)),
        source={
            "x_shape": np.array((c_count, h, w)),
            "weight": weight,
            "delta": delta,
            "stride": stride,
            "padding": padding,
        },
    )


def weight_grad_example(
    key: str,
    title: str,
    x: np.ndarray,
    delta: np.ndarray,
    kernel_size: int,
    stride: int = 1,
    padding: int = 0,
    description: str = "",
    source: Citation = NO_SOURCE,
) -> ConvExample:
    """∂E/∂W[p, q] = Σᵢⱼ δ[i, j] · x[iS+p−P, jS+q−P] for one input map x (H, W) and one
    δ (Ho, Wo): the input correlated with δ (zeros inserted for the stride)."""
    x = np.asarray(x, dtype=np.float64)
    delta = np.asarray(delta, dtype=np.float64)
    grid, cell_kind = _pad(x[None], padding)
    dil, _ = dilate_marked(delta, stride)
    out, frames = correlate_frames(
        grid, dil[None, None], np.ones((1, 1), bool), np.zeros(1), 1, 0, (kernel_size,) * 2
    )
    ins = (
        translate("lessons", ", {zeros} zero(s) inserted for stride {S}").format(
            zeros=stride - 1, S=stride
        )
        if stride > 1
        else ""
    )
    return ConvExample(
        key=key,
        title=translate(LESSONS, title),
        description=translate(LESSONS, description) if description else "",
        cite=source.shown(),
        refs=source.keys,
        kind="weight_grad",
        grid=grid,
        cell_kind=cell_kind,
        kernels=dil[None, None],
        connect=np.ones((1, 1), bool),
        bias=np.zeros(1),
        stride=1,
        offset=0,
        output=out,
        frames=frames,
        grid_label=translate("lessons", "input x") + _padding_note(padding),
        kernel_label=translate("lessons", "δ as the window") + ins,
        output_label=f"∂E/∂W ({kernel_size}×{kernel_size})",
        formula="∂E/∂W[p, q] = Σᵢⱼ δ[i, j] · x[iS+p−P, jS+q−P]",
        out_names=("∂E/∂W",),
        source={"x": x, "delta": delta, "stride": stride, "padding": padding},
    )


def _padding_note(padding: int) -> str:
    """ ", zero padding P = 1 (grey)" (translated), or "" without padding."""
    if not padding:
        return ""
    return translate("lessons", ", zero padding P = {P} (grey)").format(P=padding)


# ------------------------------------------------------------------ the live network
S_LIVE = cite(
    ("han2017", QT_TRANSLATE_NOOP("lessons", "formula 4.4: depth D, stride S, zero padding P")),
    ("lecun1998", QT_TRANSLATE_NOOP("lessons", "the C3 connection table")),
)


@dataclass
class ConvLayerData:
    """One conv layer of the live network for the selected sample: enough to replay any
    output entry (the Snapshot carries these when the app asks for explanations)."""

    name: str
    layer: int  # index in Network.layers
    stage: int  # stage index (or -1)
    x: np.ndarray  # (C, H, W) the layer's input for the sample
    weight: np.ndarray  # (O, C, kh, kw)
    bias: np.ndarray  # (O,)
    stride: int
    padding: int
    mask: np.ndarray | None  # (O, C) connection table or None
    u: np.ndarray  # (O, Ho, Wo) the engine's net input for the sample


def conv_layers_of(net, sample: int, stages=None, before=None) -> list[ConvLayerData]:
    """Copies of every conv layer's input, parameters and output for one sample (layers not
    run yet in this step are left out).

    ``before``: ``{"C1.weight": (W, v), …}``, the parameters before the last update (as
    ``Trainer`` keeps them). Pass it when the update has run since the forward pass (between
    steps): the trace's outputs were computed with those weights, not the updated ones.
    """
    from cnnviz.engine import Conv2D

    out = []
    stage_of = {s.main: s.index for s in stages or () if s.main is not None}
    for i, layer in enumerate(net.layers):
        if not isinstance(layer, Conv2D) or layer.x is None or layer.y is None:
            continue
        s = min(max(int(sample), 0), layer.x.shape[0] - 1)
        params = dict(layer.params)
        if before is not None:
            for key in params:
                if f"{layer.name}.{key}" in before:
                    params[key] = before[f"{layer.name}.{key}"][0]
        b = params.get("bias")
        out.append(
            ConvLayerData(
                name=layer.name,
                layer=i,
                stage=stage_of.get(i, -1),
                x=layer.x[s].copy(),
                weight=params["weight"].copy(),
                bias=b.copy() if b is not None else np.zeros(layer.out_channels, layer.dtype),
                stride=layer.stride,
                padding=layer.padding,
                mask=None if layer.mask is None else layer.mask.copy(),
                u=layer.y[s].copy(),
            )
        )
    return out


def live_example(data: ConvLayerData, out_channel: int = 0) -> ConvExample:
    """The forward convolution of one output map of a live conv layer, frame by frame."""
    o = min(max(int(out_channel), 0), data.weight.shape[0] - 1)
    ex = forward_example(
        f"live-{data.name}-{o}",
        translate("lessons", "{layer}: output map {o} of the live network").format(
            layer=data.name, o=o
        ),
        data.x,
        data.weight,
        data.bias,
        stride=data.stride,
        padding=data.padding,
        description=QT_TRANSLATE_NOOP(
            "lessons",
            "The real input (the previous layer's activation for the selected "
            "sample), the real kernel and the real sum; the engine's value is shown beside it.",
        ),
        source=S_LIVE,
        mask=data.mask,
        kind="live",
        out_maps=[o],
    )
    return ex
