"""Where the cells of a map grid sit in its mosaic, and the mosaic tiled from them (NumPy
only): the layout that fills the space best, bands of long vectors, argmax-mask overlays."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

GAP = 1  # transparent image pixels between cells
MASK_COLOR = (255, 45, 85)  # argmax rings: a red no colormap here uses
DIM_RGBA = (20, 22, 26, 150)  # over the inputs that lost their window


@dataclass
class Geometry:
    """Where the cells sit in the mosaic (image pixel coordinates).

    Cells form a ``rows`` × ``cols`` grid; with ``bands`` > 1 its rows are cut into that many
    blocks of ``band_rows`` rows placed side by side (kernel grids of many filters).
    """

    mode: str  # "maps", "vector", "kernels", "matrix", "rgb"
    n: int  # cells shown
    rows: int
    cols: int
    ch: int  # cell height in image pixels
    cw: int  # cell width
    h: int  # data rows per cell (1 for vectors)
    w: int  # data columns per cell
    order: str  # "C": fill rows first, "F": fill columns first (vectors)
    gap: int = GAP
    bands: int = 1

    @property
    def band_rows(self) -> int:
        return math.ceil(self.rows / self.bands)

    @property
    def band_gap(self) -> int:
        return max(2, 3 * self.gap, self.cw // 2) if self.bands > 1 else 0

    @property
    def band_width(self) -> int:
        """Width of one band including the gap after it."""
        return self.cols * (self.cw + self.gap) - self.gap + self.band_gap

    @property
    def size(self) -> tuple[int, int]:
        """(height, width) of the mosaic."""
        return (
            self.band_rows * (self.ch + self.gap) - self.gap,
            self.bands * self.band_width - self.band_gap,
        )

    def grid_pos(self, i: int) -> tuple[int, int]:
        return (
            (i // self.cols, i % self.cols)
            if self.order == "C"
            else (i % self.rows, i // self.rows)
        )

    def cell_origin(self, i: int) -> tuple[int, int]:
        r, c = self.grid_pos(i)
        b, r = divmod(r, self.band_rows)
        return r * (self.ch + self.gap), b * self.band_width + c * (self.cw + self.gap)

    def locate(self, x: float, y: float) -> tuple[int, int, int] | None:
        """(cell, row, col) of the data element under image point (x, y), or None."""
        if x < 0 or y < 0:
            return None
        b, xb = divmod(int(math.floor(x)), self.band_width)
        gx, rx = divmod(xb, self.cw + self.gap)
        gy, ry = divmod(int(math.floor(y)), self.ch + self.gap)
        if b >= self.bands or gx >= self.cols or gy >= self.band_rows:
            return None
        if rx >= self.cw or ry >= self.ch:
            return None
        gy += b * self.band_rows
        if gy >= self.rows:
            return None
        i = gy * self.cols + gx if self.order == "C" else gx * self.rows + gy
        if i >= self.n:
            return None
        return i, ry * self.h // self.ch, rx * self.w // self.cw


def best_layout(n: int, ch: int, cw: int, avail_w: float, avail_h: float, gap: int = GAP):
    """(rows, cols) that show n cells of ch×cw pixels largest in an avail_w×avail_h box."""
    best = (0.0, n, 1)
    avail_w, avail_h = max(avail_w, 1.0), max(avail_h, 1.0)
    for cols in range(1, n + 1):
        rows = math.ceil(n / cols)
        if cols > 1 and math.ceil(n / (cols - 1)) == rows:
            continue  # same number of rows with fewer columns: no better
        scale = min(avail_w / (cols * (cw + gap) - gap), avail_h / (rows * (ch + gap) - gap))
        if scale > best[0] * 1.0001:
            best = (scale, rows, cols)
    return best[1], best[2]


def best_bands(geo: Geometry, avail_w: float, avail_h: float) -> int:
    """How many side-by-side blocks show a tall grid largest in an avail_w×avail_h box."""
    best, best_scale = 1, 0.0
    for bands in range(1, geo.rows + 1):
        g = Geometry(**{**geo.__dict__, "bands": bands})
        if bands > 1 and g.band_rows == math.ceil(geo.rows / (bands - 1)):
            continue
        h, w = g.size
        scale = min(max(avail_w, 1.0) / w, max(avail_h, 1.0) / h)
        if scale > best_scale * 1.0001:
            best, best_scale = bands, scale
    return best


def tile(cells: np.ndarray, geo: Geometry, fill: float = np.nan) -> np.ndarray:
    """Tile (n, ch, cw) cells into the mosaic of ``geo``, gaps and empty cells set to fill."""
    n, ch, cw = cells.shape
    g = geo.gap
    rows = geo.band_rows * geo.bands if geo.order == "C" else geo.rows
    total = rows * geo.cols
    pad = np.full((total, ch + g, cw + g), fill, dtype=cells.dtype)
    pad[:n, :ch, :cw] = cells
    if geo.order == "C":
        big = pad.reshape(rows, geo.cols, ch + g, cw + g).transpose(0, 2, 1, 3)
    else:
        big = pad.reshape(geo.cols, rows, ch + g, cw + g).transpose(1, 2, 0, 3)
    big = big.reshape(rows * (ch + g), geo.cols * (cw + g))
    if geo.bands > 1:  # cut into blocks of band_rows rows, side by side
        bh = geo.band_rows * (ch + g)
        spacer = np.full((bh, geo.band_gap - g), fill, dtype=big.dtype)
        parts = []
        for b in range(geo.bands):
            parts.append(big[b * bh : (b + 1) * bh])
            parts.append(spacer)
        big = np.concatenate(parts[:-1], axis=1)
        return big[: big.shape[0] - g, : big.shape[1] - g] if g else big
    return big[: big.shape[0] - g, : big.shape[1] - g]


def mask_overlay(mask: np.ndarray, rings: bool, color=MASK_COLOR, up: int = 5) -> np.ndarray:
    """RGBA overlay for a tiled mask (1: true, 0: false, NaN: gap): false pixels dimmed, so the
    true ones (the argmax of each window) stand out, and with ``rings`` a ring drawn around
    every true pixel, ``up`` image pixels per mask pixel."""
    up = up if rings else 1
    h, w = mask.shape
    big = np.repeat(np.repeat(mask, up, axis=0), up, axis=1)
    out = np.zeros((h * up, w * up, 4), dtype=np.uint8)
    out[big == 0] = DIM_RGBA
    if rings:
        tpl = np.zeros((up, up), dtype=bool)
        tpl[0, :] = tpl[-1, :] = tpl[:, 0] = tpl[:, -1] = True
        out[(big == 1) & np.tile(tpl, (h, w))] = (*color, 255)
    return out
