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
