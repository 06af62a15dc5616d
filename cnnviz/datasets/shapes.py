"""``shapes`` (32x32 colour shapes) and ``edges`` (28x28 oriented strokes), drawn with NumPy.

Shapes are implicit functions: for every pixel a signed distance ``d`` (in pixels, positive
inside) is computed for the whole batch at once, and ``alpha = clip(d + 0.5, 0, 1)`` gives an
anti-aliased mask that blends the shape's colour over the background.
"""

from __future__ import annotations

import numpy as np

from cnnviz.i18n import QT_TRANSLATE_NOOP

SHAPE_SIZE = 32
SHAPE_CLASSES = (  # marked for the catalogue: the app shows them translated
    QT_TRANSLATE_NOOP("classes", "circle"),
    QT_TRANSLATE_NOOP("classes", "square"),
    QT_TRANSLATE_NOOP("classes", "triangle"),
    QT_TRANSLATE_NOOP("classes", "diamond"),
    QT_TRANSLATE_NOOP("classes", "ring"),
    QT_TRANSLATE_NOOP("classes", "plus"),
    QT_TRANSLATE_NOOP("classes", "cross"),
    QT_TRANSLATE_NOOP("classes", "horizontal bars"),
    QT_TRANSLATE_NOOP("classes", "vertical bars"),
    QT_TRANSLATE_NOOP("classes", "star"),
)
EDGE_SIZE = 28
EDGE_CLASSES = (
    QT_TRANSLATE_NOOP("classes", "vertical"),
    QT_TRANSLATE_NOOP("classes", "horizontal"),
    QT_TRANSLATE_NOOP("classes", "diagonal /"),
    QT_TRANSLATE_NOOP("classes", "diagonal \\"),
)


def _balanced_labels(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    """``n`` labels with every one of ``k`` classes equally often (as far as n allows), shuffled."""
    return rng.permutation(np.arange(n, dtype=np.int64) % k)


def _noise(rng: np.random.Generator, shape: tuple[int, ...], std: float) -> np.ndarray:
    """Zero-mean uniform float32 noise with standard deviation ``std`` (cheaper than normal)."""
    u = rng.random(shape, dtype=np.float32)
    u -= np.float32(0.5)
    u *= np.float32(std * np.sqrt(12.0))
    return u


def _to_uint8(x: np.ndarray) -> np.ndarray:
    """Intensities in [0, 1] (clipped) to rounded uint8."""
    np.clip(x, 0.0, 1.0, out=x)
    x *= np.float32(255.0)
    x += np.float32(0.5)
    return x.astype(np.uint8)


# ----------------------------------------------------------------------------------------------
# shapes


def _signed_distance(label: int, u: np.ndarray, v: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Signed distance to shape ``label`` of radius ``r``, at shape-frame coordinates u, v.

    ``u``, ``v``: (B, H, W) pixels from the shape centre, rotated; ``r``: (B, 1, 1) pixels.
    """
    au, av = np.abs(u), np.abs(v)
    rho = np.sqrt(u * u + v * v)
    name = SHAPE_CLASSES[label]
    if name == "circle":
        return r - rho
    if name == "square":
        return 0.8 * r - np.maximum(au, av)
    if name == "triangle":  # equilateral, pointing up
        k = np.sqrt(3.0) / 2
        return np.minimum.reduce(
            [0.5 * r - v, 0.5 * r + v * 0.5 - k * u, 0.5 * r + v * 0.5 + k * u]
        )
    if name == "diamond":
        return (1.05 * r - (au + av)) / np.sqrt(2.0)
    if name == "ring":
        return 0.22 * r - np.abs(rho - 0.75 * r)
    if name == "plus":
        w = 0.24 * r
        return np.maximum(np.minimum(w - au, r - av), np.minimum(w - av, r - au))
    if name == "cross":
        s, t = (u + v) / np.sqrt(2.0), (u - v) / np.sqrt(2.0)
        w = 0.24 * r
        return np.maximum(
            np.minimum(w - np.abs(s), r - np.abs(t)), np.minimum(w - np.abs(t), r - np.abs(s))
        )
    if name in ("horizontal bars", "vertical bars"):
        across = v if name == "horizontal bars" else u
        period = 0.62 * r
        stripe = 0.25 * period - np.abs((across / period) % 1.0 - 0.5) * period
        return np.minimum(stripe, 0.85 * r - np.maximum(au, av))
    if name == "star":  # five points: radius modulated by angle
        theta = np.arctan2(u, -v)
        edge = r * (0.55 + 0.45 * np.cos(5 * theta) ** 2 * (np.cos(5 * theta) > 0))
        return (edge - rho) * 0.6
    raise ValueError(label)


def render_shapes(labels: np.ndarray, rng: np.random.Generator, chunk: int = 1024) -> np.ndarray:
    """Draw one shape per label on a varied background.

    Returns
    -------
    images : (N, 3, 32, 32) uint8
    """
    out = np.empty((len(labels), 3, SHAPE_SIZE, SHAPE_SIZE), dtype=np.uint8)
    for lo in range(0, len(labels), chunk):  # chunks keep the float buffers small and reused
        out[lo : lo + chunk] = _render_shapes(labels[lo : lo + chunk], rng)
    return out


def _render_shapes(labels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    n, s = len(labels), SHAPE_SIZE
    grid = np.arange(s, dtype=np.float32) + 0.5
    # background: a random colour, with a gradient in a random direction
    bg0 = rng.uniform(0.0, 1.0, (n, 3, 1, 1)).astype(np.float32)
    bg1 = np.clip(bg0 + rng.normal(0.0, 0.25, (n, 3, 1, 1)), 0, 1).astype(np.float32)
    phi = rng.uniform(0, 2 * np.pi, (n, 1, 1)).astype(np.float32)
    ramp = np.cos(phi) * (grid[None, None, :] - s / 2) + np.sin(phi) * (grid[None, :, None] - s / 2)
    ramp = (ramp / s + 0.5)[:, None]  # (N, 1, S, S) in about [0, 1]
    image = bg0 + (bg1 - bg0) * ramp
    # foreground colour far enough from the background's mean colour
    fg = rng.uniform(0.0, 1.0, (n, 3, 1, 1)).astype(np.float32)
    mean_bg = (bg0 + bg1) / 2
    close = np.abs(fg - mean_bg).max(axis=1, keepdims=True) < 0.35
    fg = np.where(close, np.where(mean_bg > 0.5, mean_bg - 0.45, mean_bg + 0.45), fg)
    fg = np.clip(fg, 0.0, 1.0)
    # geometry: radius, centre, a small rotation
    r = rng.uniform(6.0, 13.0, (n, 1, 1)).astype(np.float32)
    cx = s / 2 + rng.uniform(-1, 1, (n, 1, 1)).astype(np.float32) * (s / 2 - r - 1).clip(0)
    cy = s / 2 + rng.uniform(-1, 1, (n, 1, 1)).astype(np.float32) * (s / 2 - r - 1).clip(0)
    rot = np.radians(rng.uniform(-12, 12, (n, 1, 1))).astype(np.float32)
    x, y = grid[None, None, :] - cx, grid[None, :, None] - cy
    u = np.cos(rot) * x + np.sin(rot) * y
    v = -np.sin(rot) * x + np.cos(rot) * y
    alpha = np.empty((n, s, s), dtype=np.float32)
    for label in range(len(SHAPE_CLASSES)):
        m = labels == label
        if m.any():
            alpha[m] = np.clip(_signed_distance(label, u[m], v[m], r[m]) + 0.5, 0.0, 1.0)
    image += (fg - image) * alpha[:, None]
    image += _noise(rng, image.shape, 0.03)
    return _to_uint8(image)


def generate_shapes(seed: int, n_train: int = 6000, n_test: int = 1200):
    """Class-balanced, shuffled train and test splits of :func:`render_shapes`.

    Returns
    -------
    train_images (n_train, 3, 32, 32) uint8, train_labels (n_train,) int64,
    test_images (n_test, 3, 32, 32) uint8, test_labels (n_test,) int64
    """
    rng = np.random.default_rng([seed, 0x5A4E])
    k = len(SHAPE_CLASSES)
    train_labels, test_labels = _balanced_labels(rng, n_train, k), _balanced_labels(rng, n_test, k)
    images = render_shapes(np.concatenate([train_labels, test_labels]), rng)
    return images[:n_train], train_labels, images[n_train:], test_labels


# ----------------------------------------------------------------------------------------------
# edges


def render_edges(labels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw one straight stroke per label: 0 vertical, 1 horizontal, 2 "/", 3 "\\".

    Strokes have a random width (1-5 px), length, position, brightness and a small tilt, on a
    dark noisy background.

    Returns
    -------
    images : (N, 1, 28, 28) uint8
    """
    n, s = len(labels), EDGE_SIZE
    base = np.array([90.0, 0.0, 45.0, 135.0])[labels]  # stroke direction, degrees, y up
    angle = np.radians(base + rng.uniform(-8, 8, n)).astype(np.float32)[:, None, None]
    dx, dy = np.cos(angle), -np.sin(angle)  # unit vector along the stroke (image y is down)
    cx = rng.uniform(7, s - 7, (n, 1, 1)).astype(np.float32)
    cy = rng.uniform(7, s - 7, (n, 1, 1)).astype(np.float32)
    half_len = rng.uniform(6, 14, (n, 1, 1)).astype(np.float32)
    half_w = rng.uniform(0.5, 2.5, (n, 1, 1)).astype(np.float32)
    grid = np.arange(s, dtype=np.float32) + 0.5
    x, y = grid[None, None, :] - cx, grid[None, :, None] - cy
    along = x * dx + y * dy
    across = np.abs(-x * dy + y * dx)
    d = np.minimum(half_w - across, half_len - np.abs(along))  # signed distance to a bar
    alpha = np.clip(d + 0.5, 0.0, 1.0)
    level = rng.uniform(0.6, 1.0, (n, 1, 1)).astype(np.float32)
    image = alpha * level
    image += np.float32(0.08)
    image += _noise(rng, image.shape, 0.05)
    return _to_uint8(image)[:, None]


def generate_edges(seed: int, n_train: int = 2000, n_test: int = 400):
    """Class-balanced, shuffled train and test splits of :func:`render_edges`.

    Returns
    -------
    train_images (n_train, 1, 28, 28) uint8, train_labels (n_train,) int64,
    test_images (n_test, 1, 28, 28) uint8, test_labels (n_test,) int64
    """
    rng = np.random.default_rng([seed, 0xED6E])
    k = len(EDGE_CLASSES)
    train_labels, test_labels = _balanced_labels(rng, n_train, k), _balanced_labels(rng, n_test, k)
    images = render_edges(np.concatenate([train_labels, test_labels]), rng)
    return images[:n_train], train_labels, images[n_train:], test_labels
