"""A digit drawn by hand, prepared for the network the way MNIST's digits were.

The app's drawing canvas keeps the ink at high resolution (e.g. 280×280, values in [0, 1]).
:func:`prepare_drawing` turns it into what the network was trained on, following MNIST's
recipe (LeCun et al.): the ink's bounding box is scaled, keeping its aspect ratio, to fit a
20×20 box (for a 28×28 input), with area averaging so the edges are antialiased, and placed in
the 28×28 image so that its centre of mass sits at the centre. :func:`normalise` then applies
the dataset's per-channel normalisation (:meth:`cnnviz.datasets.Normalization.apply`, which
:meth:`cnnviz.datasets.Dataset.batch` uses too).

:func:`draw_segment` is the brush: a soft round pen whose radius may change along the segment
(tablet pressure), composited with ``max`` so crossing strokes do not pile up ink.

Pure NumPy: no Qt here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnviz.datasets import Normalization

MNIST_SIZE = 28
MNIST_BOX = 20  # the digit's bounding box fits this many pixels of the 28
INK_THRESHOLD = 0.05  # ink below this (the brush's faint fringe) does not count for the box


# ------------------------------------------------------------------ the brush


def draw_segment(
    ink: np.ndarray,
    p0: tuple[float, float],
    p1: tuple[float, float],
    r0: float,
    r1: float | None = None,
    hardness: float = 0.6,
    value: float = 1.0,
) -> tuple[int, int, int, int] | None:
    """Draw a soft round stroke from ``p0`` to ``p1`` into ``ink`` (H, W), in place.

    Points are ``(x, y)`` in pixel units (pixel ``(i, j)`` covers ``[j, j+1) × [i, i+1)``);
    the radius goes linearly from ``r0`` to ``r1`` along the segment. Inside ``hardness ×
    radius`` the ink is ``value``; it falls smoothly to 0 at the radius. The stroke is merged
    with ``max`` (``value`` 0 with ``erase=…`` is not needed: use :func:`erase_segment`).

    Returns the touched region ``(row0, row1, col0, col1)`` (half-open) or None.
    """
    return _stroke(ink, p0, p1, r0, r1, hardness, value, erase=False)


def erase_segment(
    ink: np.ndarray,
    p0: tuple[float, float],
    p1: tuple[float, float],
    r0: float,
    r1: float | None = None,
    hardness: float = 0.6,
) -> tuple[int, int, int, int] | None:
    """Remove ink along a soft round stroke (the eraser), in place; see :func:`draw_segment`."""
    return _stroke(ink, p0, p1, r0, r1, hardness, 1.0, erase=True)


def _stroke(ink, p0, p1, r0, r1, hardness, value, erase):
    r1 = r0 if r1 is None else r1
    r0, r1 = max(float(r0), 0.5), max(float(r1), 0.5)
    (x0, y0), (x1, y1) = (float(p0[0]), float(p0[1])), (float(p1[0]), float(p1[1]))
    h, w = ink.shape
    rmax = max(r0, r1)
    c0, c1 = max(int(np.floor(min(x0, x1) - rmax)), 0), min(int(np.ceil(max(x0, x1) + rmax)), w)
    i0, i1 = max(int(np.floor(min(y0, y1) - rmax)), 0), min(int(np.ceil(max(y0, y1) + rmax)), h)
    if c0 >= c1 or i0 >= i1:
        return None
    py = np.arange(i0, i1, dtype=np.float64)[:, None] + 0.5  # pixel centres
    px = np.arange(c0, c1, dtype=np.float64)[None, :] + 0.5
    dx, dy = x1 - x0, y1 - y0
    length2 = dx * dx + dy * dy
    if length2 > 0:
        t = np.clip(((px - x0) * dx + (py - y0) * dy) / length2, 0.0, 1.0)
    else:
        t = np.zeros((i1 - i0, c1 - c0))
    dist = np.hypot(px - (x0 + t * dx), py - (y0 + t * dy))
    radius = r0 + t * (r1 - r0)
    soft = np.maximum(radius * (1.0 - float(np.clip(hardness, 0.0, 1.0))), 0.75)
    v = np.clip((radius - dist) / soft, 0.0, 1.0)
    v = v * v * (3.0 - 2.0 * v)  # smoothstep: a soft edge without a visible ramp
    region = ink[i0:i1, c0:c1]
    if erase:
        np.minimum(region, (1.0 - v).astype(ink.dtype), out=region)
    else:
        np.maximum(region, (value * v).astype(ink.dtype), out=region)
    return i0, i1, c0, c1


# ------------------------------------------------------------------ MNIST's preparation


def box_size(size: tuple[int, int]) -> int:
    """The side of the box the digit is scaled into: 20 for 28×28, in proportion otherwise."""
    return max(1, int(round(MNIST_BOX * min(size) / MNIST_SIZE)))


def _area_weights(n_out: int, n_in: int, offset: float, scale: float) -> np.ndarray:
    """(n_out, n_in): how much of output pixel i source pixel j covers, when source pixel j
    is mapped to ``[offset + j·scale, offset + (j+1)·scale)`` (area averaging)."""
    lo = offset + np.arange(n_in) * scale
    hi = lo + scale
    i = np.arange(n_out, dtype=np.float64)[:, None]
    return np.clip(np.minimum(i + 1.0, hi[None, :]) - np.maximum(i, lo[None, :]), 0.0, None)


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    """``(row, col)`` of the centre of mass of a 2-D image, in pixel-centre coordinates (the
    centre of a 28×28 image is (13.5, 13.5)); the image's centre when it is empty."""
    a = np.asarray(image, dtype=np.float64)
    total = a.sum()
    if not total > 0:
        return (a.shape[0] - 1) / 2, (a.shape[1] - 1) / 2
    rows = a.sum(axis=1) @ np.arange(a.shape[0]) / total
    cols = a.sum(axis=0) @ np.arange(a.shape[1]) / total
    return float(rows), float(cols)


def prepare_drawing(
    strokes_image: np.ndarray,
    size: tuple[int, int] = (MNIST_SIZE, MNIST_SIZE),
    channels: int = 1,
) -> np.ndarray:
    """Turn a drawing into a network input image, the way MNIST's digits were prepared.

    Parameters
    ----------
    strokes_image : (H, W) float in [0, 1]; white (1) ink on black (0), any resolution
    size : (h, w) of the network's input, e.g. (28, 28)
    channels : C; the grey image is repeated into every channel

    Returns
    -------
    (C, h, w) uint8: the ink's bounding box scaled (aspect ratio kept, area averaged) so its
    longer side fills :func:`box_size` pixels (20 of 28), placed so the centre of mass is at
    the image centre, and stretched so the brightest pixel is 255. A blank drawing gives
    zeros.
    """
    a = np.nan_to_num(np.asarray(strokes_image, dtype=np.float64), nan=0.0)
    if a.ndim != 2:
        raise ValueError(f"a drawing is a 2-D (H, W) image, got shape {a.shape}")
    h, w = int(size[0]), int(size[1])
    if h < 1 or w < 1 or channels < 1:
        raise ValueError(f"bad output size {size} or channel count {channels}")
    a = np.clip(a, 0.0, 1.0)
    out = np.zeros((h, w))
    ink = a > INK_THRESHOLD
    if ink.any():
        rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
        crop = a[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
        ch, cw = crop.shape
        scale = box_size((h, w)) / max(ch, cw)
        cy, cx = centre_of_mass(crop)
        # continuous coordinates: source pixel j spans [oy + j·s, oy + (j+1)·s); the centre
        # of mass (at pixel centre cy + 0.5) goes to the middle of the output, h / 2
        oy = h / 2 - (cy + 0.5) * scale
        ox = w / 2 - (cx + 0.5) * scale
        for _ in range(3):  # area averaging moves the centre of mass a little: correct it
            out = _area_weights(h, ch, oy, scale) @ crop @ _area_weights(w, cw, ox, scale).T
            my, mx = centre_of_mass(out)
            ey, ex = (h - 1) / 2 - my, (w - 1) / 2 - mx
            if abs(ey) < 0.02 and abs(ex) < 0.02:
                break
            oy, ox = oy + ey, ox + ex
        peak = out.max()
        if peak > 0:
            out /= peak
    grey = np.clip(np.rint(out * 255.0), 0, 255).astype(np.uint8)
    return np.repeat(grey[None], int(channels), axis=0)


# ------------------------------------------------------------------ the dataset's normalisation


def normalise(image_uint8: np.ndarray, normalization: Any) -> np.ndarray:
    """``(pixel / 255 − mean[c]) / std[c]`` as float32 (C, h, w): the dataset's own
    :meth:`cnnviz.datasets.Normalization.apply`, so exactly what
    :meth:`cnnviz.datasets.Dataset.batch` gives for the same pixels.

    ``normalization``: a :class:`cnnviz.datasets.Normalization`, its ``to_dict()`` form, or a
    ``(mean, std)`` pair, per channel in units of pixel/255. A (N, C, h, w) batch works too.
    """
    img = np.asarray(image_uint8)
    if img.ndim not in (3, 4):
        raise ValueError(f"expected a (C, h, w) image, got shape {img.shape}")
    if isinstance(normalization, dict):
        normalization = Normalization.from_dict(normalization)
    elif isinstance(normalization, tuple | list):
        mean, std = normalization
        normalization = Normalization(tuple(np.atleast_1d(mean)), tuple(np.atleast_1d(std)))
    return normalization.apply(img)
