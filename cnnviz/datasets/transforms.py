"""Whole-dataset image conversions: resizing and grayscale <-> RGB, all on uint8 (N, C, H, W)."""

from __future__ import annotations

import numpy as np

LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)  # ITU-R BT.601


def _interp_matrix(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in) weights of linear interpolation, averaging (area) when shrinking."""
    m = np.zeros((n_out, n_in), dtype=np.float32)
    scale = n_in / n_out
    if n_out >= n_in:  # enlarge: bilinear, pixel centres aligned
        pos = (np.arange(n_out) + 0.5) * scale - 0.5
        lo = np.clip(np.floor(pos).astype(int), 0, n_in - 1)
        hi = np.clip(lo + 1, 0, n_in - 1)
        frac = np.clip(pos - lo, 0.0, 1.0)
        np.add.at(m, (np.arange(n_out), lo), 1 - frac)
        np.add.at(m, (np.arange(n_out), hi), frac)
    else:  # shrink: each output pixel averages the input interval it covers
        edges = np.arange(n_out + 1) * scale
        for i in range(n_out):
            a, b = edges[i], edges[i + 1]
            for j in range(int(np.floor(a)), min(int(np.ceil(b)), n_in)):
                m[i, j] = min(b, j + 1) - max(a, j)
        m /= m.sum(axis=1, keepdims=True)
    return m


def resize(images: np.ndarray, size: tuple[int, int], chunk: int = 4096) -> np.ndarray:
    """Resize uint8 images (N, C, H, W) to ``size`` = (H', W'), separably (bilinear or area).

    Returns
    -------
    (N, C, H', W') uint8
    """
    n, c, h, w = images.shape
    h2, w2 = (int(v) for v in size)
    if (h2, w2) == (h, w):
        return images
    rows, cols = _interp_matrix(h, h2), _interp_matrix(w, w2).T  # (H', H), (W, W')
    out = np.empty((n, c, h2, w2), dtype=np.uint8)
    for lo in range(0, n, chunk):
        x = images[lo : lo + chunk].astype(np.float32)
        y = rows @ x @ cols  # broadcasts over (N, C)
        out[lo : lo + chunk] = np.clip(y + 0.5, 0, 255).astype(np.uint8)
    return out


def to_grayscale(images: np.ndarray) -> np.ndarray:
    """(N, 3, H, W) -> (N, 1, H, W) by BT.601 luma; one-channel input is returned as is."""
    if images.shape[1] == 1:
        return images
    y = np.tensordot(LUMA, images.astype(np.float32), axes=([0], [1]))
    return (np.clip(y, 0, 255) + 0.5).astype(np.uint8)[:, None]


def to_rgb(images: np.ndarray) -> np.ndarray:
    """(N, 1, H, W) -> (N, 3, H, W) by repeating the channel; three channels are kept."""
    if images.shape[1] == 3:
        return images
    return np.repeat(images, 3, axis=1)
