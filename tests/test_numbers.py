"""One number formatter module: the strings the rule panel, map labels, log axes and the
gradient check showed before they shared it."""

from __future__ import annotations

import pytest

from cnnviz.lessons.numbers import (
    fmt_threshold,
    fmt_value,
    idx,
    num,
    par,
    power_of_ten,
    shape_text,
    superscript,
)


def test_slide_numbers():
    assert num(-0.0132) == "−0.0132"
    assert num(29.0) == "29" and num(-192.0) == "−192"
    assert num(3.6e-7) == "3.6×10⁻⁷" and num(-3.6e-7) == "−3.6×10⁻⁷"
    assert num(0) == "0" and num(1 / 3, 6) == "0.333333"
    assert par(-0.5) == "(−0.5)" and par(0.5) == "0.5"
    assert idx((2, 3, 4)) == "[2, 3, 4]" and shape_text((16, 10, 10)) == "16×10×10"


@pytest.mark.parametrize(
    "value, text",
    [
        (-0.0132, "−0.0132"),
        (3.6e-7, "3.60e−7"),
        (12345.678, "1.23e+04"),
        (2.5e6, "2.50e6"),
        (0.0, "0"),
        (float("nan"), "nan"),
        (float("-inf"), "−∞"),
    ],
)
def test_label_values(value, text):
    assert fmt_value(value) == text


def test_log_ticks_thresholds_and_exponents():
    assert [power_of_ten(v) for v in (0.02, 1e-6, 5e4, 200, 1, 0)] == [
        "0.02", "10⁻⁶", "5·10⁴", "200", "1", "",
    ]  # fmt: skip
    assert fmt_threshold(1e-6) == "10⁻⁶" and fmt_threshold(2e-6) == "2e−6"
    assert superscript(-12) == "⁻¹²" and superscript(3) == "³"
