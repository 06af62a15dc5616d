"""Animated GIF89a that loops, in pure Python and NumPy: one global palette (the exact colours
when there are at most 256, else a median cut; or the fixed 6×6×6 cube plus 40 greys),
LZW-compressed frames, each after the first cut to the rectangle that changed."""

from __future__ import annotations

import heapq
import math
import os
import struct
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from cnnviz.errors import CnnvizError

GIF_MAX_SIDE = 4096


class ExportError(CnnvizError):
    """A picture that could not be written; the message names the file."""


def write_gif(
    path: str | os.PathLike,
    frames: Sequence[np.ndarray],
    fps: float = 4.0,
    *,
    palette: str = "adaptive",
    loop: int = 0,
    durations: Sequence[float] | None = None,
) -> int:
    """Write an animated GIF89a of ``frames`` ((H, W, 3) uint8, all the same size).

    ``palette``: "adaptive" (the exact colours if there are at most 256, else a median cut
    of all frames' colours) or "fixed" (6×6×6 cube and 40 greys). ``loop``: times to repeat,
    0 for ever (NETSCAPE2.0). ``durations`` (seconds, one per frame) override ``fps``.
    Returns the size of the file in bytes.
    """
    data = gif_bytes(frames, fps, palette=palette, loop=loop, durations=durations)
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise ExportError(f"could not write {path}: {exc.strerror or exc}") from None
    return len(data)


def gif_bytes(
    frames: Sequence[np.ndarray],
    fps: float = 4.0,
    *,
    palette: str = "adaptive",
    loop: int = 0,
    durations: Sequence[float] | None = None,
) -> bytes:
    """The GIF file :func:`write_gif` writes, as bytes."""
    frames = [np.asarray(f) for f in frames]
    if not frames:
        raise ValueError("a GIF needs at least one frame")
    shape = frames[0].shape
    for f in frames:
        if f.dtype != np.uint8 or f.ndim != 3 or f.shape[2] != 3 or f.shape != shape:
            raise ValueError(
                f"GIF frames must all be (H, W, 3) uint8 of one size; got {f.dtype} {f.shape}"
            )
    h, w = shape[:2]
    if not (0 < h <= GIF_MAX_SIDE and 0 < w <= GIF_MAX_SIDE):
        raise ValueError(f"a GIF frame of {w}×{h} pixels is too large (at most {GIF_MAX_SIDE})")
    if durations is None:
        if not (math.isfinite(fps) and fps > 0):
            raise ValueError("fps must be positive")
        durations = [1.0 / fps] * len(frames)
    if len(durations) != len(frames):
        raise ValueError("give one duration per frame")
    if not 0 <= int(loop) <= 0xFFFF:
        raise ValueError("loop must lie in [0, 65535]")

    if palette == "fixed":
        table = fixed_palette()
        indexed = [map_to_fixed(f) for f in frames]
    elif palette == "adaptive":
        table, indexed = adaptive_palette(frames)
    else:
        raise ValueError(f"unknown palette {palette!r} (adaptive or fixed)")

    bits = max(1, math.ceil(math.log2(max(len(table), 2))))  # colour table of 2**bits entries
    full = np.zeros((1 << bits, 3), dtype=np.uint8)
    full[: len(table)] = table
    min_code = max(2, bits)

    out = bytearray(b"GIF89a")
    out += struct.pack("<HHBBB", w, h, 0x80 | ((bits - 1) << 4) | (bits - 1), 0, 0)
    out += full.tobytes()
    out += b"\x21\xff\x0bNETSCAPE2.0\x03\x01" + struct.pack("<H", int(loop)) + b"\x00"
    prev = None
    for idx, seconds in zip(indexed, durations, strict=True):
        delay = max(2, round(float(seconds) * 100))  # hundredths; browsers slow 0 and 1 down
        out += b"\x21\xf9\x04" + struct.pack("<BHBB", 1 << 2, min(delay, 0xFFFF), 0, 0)
        top, left, bottom, right = _changed_box(prev, idx)
        out += b"\x2c" + struct.pack("<HHHHB", left, top, right - left, bottom - top, 0)
        out += bytes([min_code])
        out += _sub_blocks(lzw_encode(idx[top:bottom, left:right].ravel(), min_code))
        prev = idx
    out += b"\x3b"
    return bytes(out)


def _changed_box(prev: np.ndarray | None, idx: np.ndarray) -> tuple[int, int, int, int]:
    """(top, left, bottom, right) of the pixels that differ from the frame before (the whole
    frame for the first one, one pixel when nothing changed)."""
    if prev is None:
        return 0, 0, idx.shape[0], idx.shape[1]
    diff = prev != idx
    rows, cols = np.flatnonzero(diff.any(axis=1)), np.flatnonzero(diff.any(axis=0))
    if rows.size == 0:
        return 0, 0, 1, 1
    return int(rows[0]), int(cols[0]), int(rows[-1]) + 1, int(cols[-1]) + 1


def _sub_blocks(data: bytes) -> bytes:
    parts = bytearray()
    for i in range(0, len(data), 255):
        chunk = data[i : i + 255]
        parts.append(len(chunk))
        parts += chunk
    parts.append(0)
    return bytes(parts)


def lzw_encode(indices: np.ndarray, min_code_size: int) -> bytes:
    """GIF's variable-length LZW of a sequence of palette indices (< 2**min_code_size)."""
    data = np.asarray(indices, dtype=np.uint8).tobytes()
    clear, eoi = 1 << min_code_size, (1 << min_code_size) + 1
    codes: list[int] = [clear]
    widths: list[int] = [min_code_size + 1]
    if data:
        size = min_code_size + 1
        next_code = eoi + 1
        table: dict[int, int] = {}
        get = table.get
        emit_code, emit_width = codes.append, widths.append
        w = data[0]
        for c in data[1:]:
            key = (w << 8) | c
            nxt = get(key)
            if nxt is not None:
                w = nxt
                continue
            emit_code(w)
            emit_width(size)
            if next_code < 4096:
                table[key] = next_code
                next_code += 1
                if next_code > (1 << size) and size < 12:
                    size += 1
            else:  # the table is full: start afresh
                emit_code(clear)
                emit_width(size)
                table.clear()
                size, next_code = min_code_size + 1, eoi + 1
            w = c
        codes.append(w)
        widths.append(size)
        codes.append(eoi)
        widths.append(size)
    else:
        codes.append(eoi)
        widths.append(min_code_size + 1)
    return _pack_codes(np.array(codes, dtype=np.uint32), np.array(widths, dtype=np.uint8))


def _pack_codes(codes: np.ndarray, widths: np.ndarray) -> bytes:
    """Codes of the given bit widths, least significant bit first, as bytes."""
    bits = ((codes[:, None] >> np.arange(12, dtype=np.uint32)) & 1).astype(np.uint8)
    stream = bits[np.arange(12) < widths[:, None]]
    return np.packbits(stream, bitorder="little").tobytes()


# palettes
def fixed_palette() -> np.ndarray:
    """(256, 3) uint8: the 6×6×6 colour cube then 40 greys between its levels."""
    levels = np.arange(6) * 51
    cube = np.stack(np.meshgrid(levels, levels, levels, indexing="ij"), -1).reshape(-1, 3)
    greys = np.round(np.linspace(0, 255, 42)[1:-1]).astype(int)
    return np.concatenate([cube, np.repeat(greys[:, None], 3, axis=1)]).astype(np.uint8)


def map_to_fixed(frame: np.ndarray) -> np.ndarray:
    """(H, W) indices into :func:`fixed_palette`: the nearer of the cube colour and grey."""
    f = frame.astype(np.int32)
    q = (f * 5 + 127) // 255  # nearest of the 6 levels per channel
    cube_index = q[..., 0] * 36 + q[..., 1] * 6 + q[..., 2]
    cube_err = ((f - q * 51) ** 2).sum(axis=-1)
    greys = np.round(np.linspace(0, 255, 42)[1:-1]).astype(np.int32)
    mean = f.mean(axis=-1)
    g = np.clip(np.searchsorted(greys, mean), 1, len(greys) - 1)
    g = np.where(np.abs(greys[g - 1] - mean) <= np.abs(greys[g] - mean), g - 1, g)
    grey_err = ((f - greys[g][..., None]) ** 2).sum(axis=-1)
    return np.where(grey_err < cube_err, 216 + g, cube_index).astype(np.uint8)


def adaptive_palette(frames: Sequence[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    """A palette for all frames and each frame's indices: the colours themselves when there
    are at most 256, else a median cut of them weighted by how often they appear."""
    keys = [_keys(f) for f in frames]
    uniques = [np.unique(k, return_counts=True) for k in keys]
    allkeys = np.concatenate([u for u, _ in uniques])
    allcounts = np.concatenate([c for _, c in uniques])
    colours, inverse = np.unique(allkeys, return_inverse=True)
    counts = np.bincount(inverse, weights=allcounts)
    rgb = np.stack([(colours >> 16) & 255, (colours >> 8) & 255, colours & 255], -1)
    if len(colours) <= 256:
        table = rgb.astype(np.uint8)
        lookup = np.arange(len(colours))
    else:
        table = median_cut(rgb, counts, 256)
        lookup = _nearest(rgb, table)
    indexed = [lookup[np.searchsorted(colours, k)].astype(np.uint8) for k in keys]
    return table, indexed


def _keys(frame: np.ndarray) -> np.ndarray:
    f = frame.astype(np.uint32)
    return (f[..., 0] << 16) | (f[..., 1] << 8) | f[..., 2]


def median_cut(rgb: np.ndarray, counts: np.ndarray, n: int) -> np.ndarray:
    """(≤ n, 3) uint8: split the box with the widest channel range at its weighted median
    until there are n boxes; each box gives its weighted mean colour."""

    serial = iter(range(2 * n + 2))  # a tie-breaker: arrays do not compare

    def entry(b: np.ndarray) -> tuple[int, int, int, int, np.ndarray]:
        span = rgb[b].max(axis=0) - rgb[b].min(axis=0) if len(b) > 1 else np.zeros(3, int)
        return (-int(span.max()), -len(b), next(serial), int(span.argmax()), b)

    heap = [entry(np.arange(len(rgb)))]
    done = []
    while heap and len(heap) + len(done) < n:
        neg_range, _, _, axis, b = heapq.heappop(heap)
        if neg_range == 0:  # one colour left in the widest box: nothing more to split
            done.append(b)
            continue
        order = b[np.argsort(rgb[b, axis], kind="stable")]
        cum = np.cumsum(counts[order])
        cut = min(max(int(np.searchsorted(cum, cum[-1] / 2)), 1), len(order) - 1)
        heapq.heappush(heap, entry(order[:cut]))
        heapq.heappush(heap, entry(order[cut:]))
    boxes = done + [b for *_, b in heap]
    table = [np.average(rgb[b], axis=0, weights=counts[b]) for b in boxes]
    return np.clip(np.round(np.array(table)), 0, 255).astype(np.uint8)


def _nearest(rgb: np.ndarray, table: np.ndarray, chunk: int = 8192) -> np.ndarray:
    t = table.astype(np.float32)
    out = np.empty(len(rgb), dtype=np.int64)
    for s in range(0, len(rgb), chunk):
        c = rgb[s : s + chunk].astype(np.float32)
        d = (c * c).sum(1)[:, None] - 2 * c @ t.T + (t * t).sum(1)[None]
        out[s : s + chunk] = d.argmin(axis=1)
    return out
