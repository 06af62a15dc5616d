"""Colour for maps: a diverging, zero-centred colormap for signed quantities and a sequential
one for activations, with three ways of choosing the range.

Signed quantities (net input u, δ, ∂E/∂input, W, ∂E/∂W, ΔW) use CET-D1 (blue, white, red)
with levels symmetric about 0, so white always means exactly zero. Activations and inputs use
viridis between their minimum and maximum (for non-negative maps, between 0 and the maximum).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pyqtgraph as pg

SIGNED = {"net", "delta", "grad_input", "weight", "dweight", "update", "routed_delta", "bias",
          "beta", "signed"}  # fmt: skip
SCALINGS = {"map": "per map", "layer": "shared per layer", "fixed": "fixed range"}


@dataclass
class DisplaySettings:
    """How maps are coloured; owned by the main window and shared by every view."""

    scaling: str = "layer"  # a key of SCALINGS
    fixed_range: float = 1.0  # for "fixed": ±r for signed maps, [0, r] otherwise


def is_signed(kind: str) -> bool:
    return kind in SIGNED


@cache
def colormap(kind: str) -> pg.ColorMap:
    return pg.colormap.get("CET-D1" if is_signed(kind) else "viridis")


@cache
def lut(kind: str) -> np.ndarray:
    """(256, 4) uint8 lookup table for ``ImageItem.setImage(..., lut=...)``."""
    return colormap(kind).getLookupTable(nPts=256, alpha=False)


TRANSPARENT = 256  # the index of the transparent entry of :func:`argb_lut`


@cache
def argb_lut(kind: str) -> np.ndarray:
    """(257,) uint32 table of premultiplied ARGB colours: 256 opaque colours of ``kind``'s
    colormap, then :data:`TRANSPARENT` (for the gaps between cells and for NaN)."""
    rgb = lut(kind)[:, :3].astype(np.uint32)
    table = np.zeros(257, dtype=np.uint32)
    table[:256] = 0xFF000000 | (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]
    return table


def to_argb(norm: np.ndarray, kind: str) -> np.ndarray:
    """Colour values normalised to [0, 1] (clipped; NaN transparent) as uint32 premultiplied
    ARGB pixels of the same shape, for ``QImage.Format_ARGB32_Premultiplied``."""
    index = np.clip(norm * 255.0 + 0.5, 0.0, 255.0)
    index = np.where(np.isnan(index), TRANSPARENT, index).astype(np.intp)
    return argb_lut(kind)[index]


def rgb_to_argb(rgb: np.ndarray) -> np.ndarray:
    """(H, W, 3) colours normalised to [0, 1] as (H, W) uint32 opaque ARGB pixels."""
    c = (np.nan_to_num(np.clip(rgb, 0.0, 1.0)) * 255.0 + 0.5).astype(np.uint32)
    return 0xFF000000 | (c[..., 0] << 16) | (c[..., 1] << 8) | c[..., 2]


def _range(a: np.ndarray, signed: bool) -> tuple[float, float]:
    if a.size == 0:
        return (-1.0, 1.0) if signed else (0.0, 1.0)
    finite = a[np.isfinite(a)] if not np.isfinite(a).all() else a
    if finite.size == 0:
        return (-1.0, 1.0) if signed else (0.0, 1.0)
    lo, hi = float(finite.min()), float(finite.max())
    if signed:
        m = max(abs(lo), abs(hi)) or 1e-12
        return -m, m
    if lo >= 0:
        lo = 0.0
    if hi <= lo:
        hi = lo + 1e-12
    return lo, hi


def levels(maps: list[np.ndarray] | np.ndarray, kind: str, settings: DisplaySettings):
    """Levels ``(lo, hi)`` for each map of a layer under the chosen scaling.

    ``maps`` is a sequence of 2-D arrays (or a (C, H, W) array). Returns a list of pairs, one
    per map.
    """
    signed = is_signed(kind)
    if settings.scaling == "fixed":
        r = float(settings.fixed_range) or 1.0
        return [(-r, r) if signed else (0.0, r)] * len(maps)
    if settings.scaling == "layer":
        whole = np.concatenate([np.ravel(m) for m in maps]) if len(maps) else np.zeros(0)
        return [_range(whole, signed)] * len(maps)
    return [_range(np.asarray(m), signed) for m in maps]
