"""A hand-drawn digit prepared like MNIST, and the dataset's normalisation (pure NumPy)."""

from __future__ import annotations

import numpy as np
import pytest

from cnnviz.datasets import Normalization
from cnnviz.lessons.drawing import (
    box_size,
    centre_of_mass,
    draw_segment,
    erase_segment,
    normalise,
    prepare_drawing,
)

RES = 280


def polyline(points, radius=12.0, res=RES):
    ink = np.zeros((res, res), dtype=np.float32)
    for a, b in zip(points, points[1:], strict=False):
        draw_segment(ink, a, b, radius)
    return ink


def ellipse(cx, cy, rx, ry, n=64):
    t = np.linspace(0, 2 * np.pi, n)
    return [(cx + rx * np.cos(a), cy + ry * np.sin(a)) for a in t]


def bbox(img):
    rows = np.flatnonzero((img > 0).any(axis=1))
    cols = np.flatnonzero((img > 0).any(axis=0))
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


@pytest.mark.parametrize(
    "points",
    [
        [(40, 30), (60, 110)],  # a short slanted stroke in a corner
        [(200, 40), (230, 250)],  # a long "1" on the right
        ellipse(90, 180, 50, 70),  # a small "0" low on the left
        [(20, 20), (260, 20), (120, 260)],  # a "7" filling the pad
    ],
)
def test_prepare_centres_and_scales(points):
    img = prepare_drawing(polyline(points))
    assert img.shape == (1, 28, 28) and img.dtype == np.uint8
    cy, cx = centre_of_mass(img[0])
    assert abs(cy - 13.5) <= 1.0 and abs(cx - 13.5) <= 1.0
    h, w = bbox(img[0])
    assert max(h, w) <= 20 + 1  # antialiased edges may touch one more pixel
    assert max(h, w) >= 19  # the longer side fills the box
    assert img.max() == 255


def test_prepare_keeps_aspect_ratio():
    tall = prepare_drawing(polyline([(140, 20), (140, 260)], radius=14))[0]
    h, w = bbox(tall)
    assert h >= 19 and w <= 6  # a "1" stays thin: not stretched to 20×20


def test_prepare_size_channels_and_blank():
    ink = polyline(ellipse(140, 140, 60, 90))
    rgb = prepare_drawing(ink, size=(32, 32), channels=3)
    assert rgb.shape == (3, 32, 32)
    assert np.array_equal(rgb[0], rgb[1]) and np.array_equal(rgb[0], rgb[2])
    assert box_size((32, 32)) == 23 and box_size((28, 28)) == 20
    cy, cx = centre_of_mass(rgb[0])
    assert abs(cy - 15.5) <= 1.0 and abs(cx - 15.5) <= 1.0
    assert not prepare_drawing(np.zeros((100, 100))).any()
    with pytest.raises(ValueError):
        prepare_drawing(np.zeros((2, 10, 10)))


def test_prepare_is_independent_of_resolution():
    """The same digit drawn at two resolutions gives nearly the same 28×28 image."""
    a = prepare_drawing(polyline(ellipse(140, 140, 60, 90), radius=12, res=280))
    b = prepare_drawing(polyline(ellipse(70, 70, 30, 45), radius=6, res=140))
    assert np.abs(a.astype(int) - b.astype(int)).mean() < 6


def test_brush_soft_round_max_composited_and_eraser():
    ink = np.zeros((100, 100), dtype=np.float32)
    touched = draw_segment(ink, (20, 50), (80, 50), 8)
    assert touched is not None
    assert ink[50, 50] == 1.0 and ink[50, 5] == 0.0
    edge = ink[40:60, 50]
    assert ((edge > 0) & (edge < 1)).any()  # a soft edge: values between 0 and 1
    before = ink.copy()
    draw_segment(ink, (50, 20), (50, 80), 8)  # crossing: no more than full ink
    assert ink.max() == 1.0 and (ink >= before).all()
    erase_segment(ink, (0, 50), (100, 50), 12)
    assert ink[50, 50] == 0.0 and ink[50, 20] == 0.0
    assert draw_segment(ink, (-50, -50), (-40, -40), 3) is None  # off the paper


def test_normalise_applies_the_datasets_normalisation_in_any_of_its_forms(rng):
    images = rng.integers(0, 256, size=(5, 2, 7, 6), dtype=np.uint8)
    norm = Normalization(mean=(0.1307, 0.5), std=(0.3081, 0.25))
    expected = (images / 255.0 - np.array(norm.mean)[:, None, None]) / np.array(norm.std)[
        :, None, None
    ]
    got = normalise(images[3], norm)
    assert got.dtype == np.float32 and got.shape == (2, 7, 6)
    np.testing.assert_allclose(got, expected[3], rtol=1e-5, atol=1e-6)
    for form in (norm.to_dict(), (norm.mean, norm.std)):
        np.testing.assert_array_equal(normalise(images[3], form), got)
    np.testing.assert_array_equal(normalise(images, norm)[3], got)  # a batch too
    with pytest.raises(ValueError, match="2 channels"):
        normalise(images[0, :1], norm)  # one channel, two in the normalisation
