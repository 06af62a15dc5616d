"""``synthetic-digits``: handwriting-like 28x28 digits drawn from stroke templates.

Each digit 0-9 has a couple of stroke templates (polylines, arcs and Bezier curves in a unit
box, y pointing down). A template is resampled to ``K`` points evenly spaced along its strokes.
Every sample then gets its own pen: a smooth elastic warp of the points, a random affine map
(rotation, scale, aspect, shear, translation), a stroke width and an ink level. The pen is
rendered as a sum of isotropic Gaussians centred on the points, which is separable::

    ink[y, x] = sum_k w_k * gy[k, y] * gx[k, x]        gy, gx: (K, 28) Gaussian profiles

so a whole batch is one batched matrix product ``(B, 28, K) @ (B, K, 28)``. A saturating curve
turns accumulated ink into a flat-topped stroke, and pixel noise is added at the end.
"""

from __future__ import annotations

import numpy as np

SIZE = 28
POINTS = 64  # points per template after resampling along the strokes
CLASS_NAMES = tuple(str(d) for d in range(10))


# ----------------------------------------------------------------------------------------------
# stroke primitives, in a unit box: x in about [-0.6, 0.6], y in [-1, 1], y down


def _arc(cx, cy, rx, ry, start, stop, n=48):
    """Points on an ellipse, angles in degrees, counter-clockwise as seen on screen."""
    t = np.radians(np.linspace(start, stop, n))
    return np.stack([cx + rx * np.cos(t), cy - ry * np.sin(t)], axis=1)


def _bezier(*ctrl, n=32):
    """Points on a quadratic or cubic Bezier curve through the control points ``ctrl``."""
    p = np.asarray(ctrl, dtype=np.float64)
    t = np.linspace(0.0, 1.0, n)[:, None]
    if len(p) == 3:
        return (1 - t) ** 2 * p[0] + 2 * (1 - t) * t * p[1] + t**2 * p[2]
    return (
        (1 - t) ** 3 * p[0] + 3 * (1 - t) ** 2 * t * p[1] + 3 * (1 - t) * t**2 * p[2] + t**3 * p[3]
    )


def _line(*pts):
    return np.asarray(pts, dtype=np.float64)


def _chain(*parts):
    """Join pieces drawn without lifting the pen into one stroke."""
    return np.concatenate([np.asarray(p, dtype=np.float64) for p in parts], axis=0)


def _templates() -> list[tuple[int, list[np.ndarray]]]:
    """``(digit, strokes)`` pairs, a few variants per digit; each stroke an ``(n, 2)`` polyline."""
    arc, bez, line, chain = _arc, _bezier, _line, _chain
    # fmt: off
    return [
        # 0: an oval, upright, or narrower with the pen overshooting where it closes
        (0, [arc(0.0, 0.0, 0.52, 0.95, 90, 450)]),
        (0, [arc(0.02, 0.0, 0.42, 0.92, 70, 460)]),
        # 1: a plain bar, a bar with a flag, a bar with flag and foot
        (1, [line((0.08, -1.0), (-0.08, 1.0))]),
        (1, [line((-0.32, -0.62), (0.08, -1.0), (-0.04, 1.0))]),
        (1, [line((-0.3, -0.65), (0.05, -1.0), (0.05, 1.0)), line((-0.32, 1.0), (0.4, 1.0))]),
        # 2: hook, diagonal and base; or hook, curved neck and base
        (2, [chain(arc(0.0, -0.45, 0.5, 0.5, 160, -20), line((-0.5, 1.0), (0.58, 1.0)))]),
        (2, [chain(arc(0.0, -0.5, 0.48, 0.45, 170, 0), bez((0.48, -0.5), (0.4, 0.2), (-0.55, 1.0)),
                   line((-0.55, 1.0), (0.55, 0.95)))]),
        # 3: two bowls; or a flat top with a diagonal into the lower bowl
        (3, [chain(arc(0.0, -0.5, 0.45, 0.45, 150, -90), arc(0.0, 0.45, 0.52, 0.55, 90, -150))]),
        (3, [chain(line((-0.45, -1.0), (0.45, -1.0), (-0.1, -0.12)),
                   arc(0.0, 0.42, 0.52, 0.56, 100, -150))]),
        # 4: closed (one stroke) or open (two strokes)
        (4, [line((0.3, 1.0), (0.3, -1.0), (-0.58, 0.35), (0.6, 0.35))]),
        (4, [line((-0.38, -1.0), (-0.48, 0.3), (0.58, 0.3)), line((0.32, -0.85), (0.32, 1.0))]),
        # 5: flag, neck and belly, in one stroke or three
        (5, [chain(line((0.5, -1.0), (-0.36, -1.0), (-0.44, -0.12)),
                   arc(0.0, 0.4, 0.54, 0.58, 125, -150))]),
        (5, [line((-0.36, -1.0), (-0.44, -0.1)), line((-0.36, -1.0), (0.52, -1.0)),
             arc(-0.02, 0.42, 0.52, 0.56, 140, -145)]),
        # 6: a sweep down the left side into a loop
        (6, [chain(bez((0.38, -1.0), (-0.45, -0.6), (-0.48, 0.5)),
                   arc(0.0, 0.5, 0.48, 0.48, 180, -180))]),
        (6, [chain(bez((0.25, -1.0), (-0.2, -0.5), (-0.45, 0.3)),
                   arc(0.02, 0.52, 0.46, 0.46, 160, -200))]),
        # 7: plain, with a crossbar, or with a curved stem
        (7, [line((-0.5, -1.0), (0.52, -1.0), (-0.1, 1.0))]),
        (7, [line((-0.5, -1.0), (0.52, -1.0), (-0.05, 1.0)), line((-0.25, 0.05), (0.4, 0.05))]),
        (7, [chain(line((-0.52, -0.9), (0.5, -1.0)), bez((0.5, -1.0), (0.05, -0.1), (0.05, 1.0)))]),
        # 8: two stacked loops, as two closed ovals or one figure-of-eight stroke
        (8, [arc(0.0, -0.52, 0.38, 0.46, 0, 360), arc(0.0, 0.45, 0.5, 0.54, 0, 360)]),
        (8, [chain(arc(0.0, -0.5, 0.4, 0.48, -90, 270),
                   bez((0.0, -0.02), (0.55, 0.3), (0.4, 1.0), (0.0, 1.0)),
                   bez((0.0, 1.0), (-0.45, 1.0), (-0.55, 0.3), (0.0, -0.02)))]),
        # 9: a loop with a straight or a curved stem
        (9, [arc(0.0, -0.48, 0.46, 0.48, 0, 360), line((0.46, -0.5), (0.32, 1.0))]),
        (9, [chain(arc(0.0, -0.48, 0.44, 0.46, -10, 360),
                   bez((0.44, -0.48), (0.45, 0.4), (0.0, 1.0), (-0.35, 0.85)))]),
    ]
    # fmt: on


def _resample(strokes: list[np.ndarray], k: int) -> tuple[np.ndarray, float]:
    """Place ``k`` points evenly along ``strokes`` by arc length.

    Returns
    -------
    points : (k, 2) float64
    length : float
        Total stroke length, in template units.
    """
    lengths = np.array([np.linalg.norm(np.diff(s, axis=0), axis=1).sum() for s in strokes])
    counts = np.maximum(2, np.round(lengths / lengths.sum() * k).astype(int))
    counts[np.argmax(counts)] += k - counts.sum()
    out = []
    for s, n in zip(strokes, counts, strict=True):
        seg = np.linalg.norm(np.diff(s, axis=0), axis=1)
        cum = np.concatenate([[0.0], np.cumsum(seg)])
        u = np.linspace(0.0, cum[-1], n)
        out.append(np.stack([np.interp(u, cum, s[:, 0]), np.interp(u, cum, s[:, 1])], axis=1))
    return np.concatenate(out, axis=0), float(lengths.sum())


_TEMPLATE_CACHE: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None


def _template_table() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Resampled templates as arrays: points (T, K, 2), digit (T,), stroke length (T,)."""
    global _TEMPLATE_CACHE
    if _TEMPLATE_CACHE is None:
        pts, digits, lengths = [], [], []
        for digit, strokes in _templates():
            p, length = _resample(strokes, POINTS)
            pts.append(p)
            digits.append(digit)
            lengths.append(length)
        _TEMPLATE_CACHE = (np.stack(pts), np.array(digits), np.array(lengths))
    return _TEMPLATE_CACHE


# ----------------------------------------------------------------------------------------------
# rendering


def render(labels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw one handwriting-like digit per label.

    Parameters
    ----------
    labels : (N,) int
        Digits 0-9.
    rng : np.random.Generator
        Source of every random choice (template variant, pen, warp, noise).

    Returns
    -------
    images : (N, 1, 28, 28) uint8
    """
    table, digits, lengths = _template_table()
    n = len(labels)
    out = np.empty((n, 1, SIZE, SIZE), dtype=np.uint8)
    # choose a template variant per sample: uniform among the digit's variants
    variants = [np.flatnonzero(digits == d) for d in range(10)]
    counts = np.array([len(v) for v in variants])
    pick = (rng.random(n) * counts[labels]).astype(np.int64)
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
    order = np.concatenate(variants)
    tidx = order[offsets[labels] + pick]
    chunk = 2048
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        out[lo:hi, 0] = _render_batch(table[tidx[lo:hi]], lengths[tidx[lo:hi]], rng)
    return out


def _render_batch(points: np.ndarray, lengths: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Render template points (B, K, 2) with a random pen each; returns (B, 28, 28) uint8."""
    b, k, _ = points.shape
    # elastic warp: a smooth random displacement field, three plane waves per axis,
    # sampled at the points: d(p) = sum_j a_j sin(f_j . p + phi_j)
    freq = rng.normal(0.0, 1.6, size=(b, 2, 6)).astype(np.float32)
    phase = rng.uniform(0.0, 2 * np.pi, size=(b, 1, 6)).astype(np.float32)
    amp = rng.normal(0.0, 0.045, size=(b, 1, 6)).astype(np.float32)
    waves = np.sin(np.matmul(points.astype(np.float32), freq) + phase) * amp  # (B, K, 6)
    p = points + waves.reshape(b, k, 2, 3).sum(-1)
    # affine pen: rotation, scale with a little aspect change, shear, translation
    theta = np.radians(np.clip(rng.normal(0.0, 9.0, b), -22, 22))
    scale = rng.uniform(0.78, 1.08, b) * 9.5  # template unit -> pixels (digit ~19 px tall)
    aspect = np.exp(rng.normal(0.0, 0.12, b))
    shear = rng.uniform(-0.3, 0.3, b)
    sx, sy = scale * aspect, scale / aspect
    c, s = np.cos(theta), np.sin(theta)
    # M = R @ Shear @ diag(sx, sy)
    m00, m01 = c * sx, (c * shear - s) * sy
    m10, m11 = s * sx, (s * shear + c) * sy
    tx = 13.5 + rng.uniform(-2.6, 2.6, b)
    ty = 13.5 + rng.uniform(-2.4, 2.4, b)
    x = m00[:, None] * p[..., 0] + m01[:, None] * p[..., 1] + tx[:, None]  # (B, K)
    y = m10[:, None] * p[..., 0] + m11[:, None] * p[..., 1] + ty[:, None]
    # pen: Gaussian width sigma and per-point weight so a straight stroke peaks near 1
    sigma = rng.uniform(0.75, 1.45, b)
    spacing = lengths * scale / (k - 1)
    weight = (spacing / (np.sqrt(2 * np.pi) * sigma)).astype(np.float32)
    grid = np.arange(SIZE, dtype=np.float32)
    inv = (-1.0 / (2.0 * sigma**2)).astype(np.float32)[:, None, None]
    gx = _profile(grid, x, inv)  # (B, K, 28)
    gy = _profile(grid, y, inv)
    gy *= weight[:, None, None]
    img = np.matmul(gy.transpose(0, 2, 1), gx)  # (B, 28, 28) accumulated ink, rows = y
    img *= np.float32(1.8)
    np.tanh(img, out=img)
    img *= rng.uniform(0.8, 1.0, (b, 1, 1)).astype(np.float32)
    noise = rng.random(img.shape, dtype=np.float32)  # uniform, std 0.04
    noise -= np.float32(0.5)
    noise *= np.float32(0.14)
    img += noise
    return (np.clip(img, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


def _profile(grid: np.ndarray, centre: np.ndarray, neg_inv_2var: np.ndarray) -> np.ndarray:
    """Gaussian profiles ``exp(-(grid - centre)**2 / (2 sigma**2))``: (B, K) -> (B, K, 28).

    Values under 1e-12 are set to 0: far from a stroke the profile would be a subnormal
    float, and exp and matmul on subnormals run many times slower (the images come out the
    same to the last bit: such ink is far below half a grey level)."""
    d = grid - centre[..., None].astype(np.float32)
    np.square(d, out=d)
    d *= neg_inv_2var
    np.maximum(d, np.float32(-60.0), out=d)  # exp(-60) ≈ 1e-26, still a normal float32
    np.exp(d, out=d)
    d[d < np.float32(1e-12)] = 0.0
    return d


def generate(seed: int, n_train: int = 16000, n_test: int = 2000):
    """Generate the train and test splits, each exactly class-balanced and shuffled.

    Returns
    -------
    train_images : (n_train, 1, 28, 28) uint8
    train_labels : (n_train,) int64
    test_images : (n_test, 1, 28, 28) uint8
    test_labels : (n_test,) int64
    """
    rng = np.random.default_rng([seed, 0xD161])
    train_labels = rng.permutation(np.arange(n_train, dtype=np.int64) % 10)
    test_labels = rng.permutation(np.arange(n_test, dtype=np.int64) % 10)
    labels = np.concatenate([train_labels, test_labels])
    images = render(labels, rng)
    return images[:n_train], train_labels, images[n_train:], test_labels
