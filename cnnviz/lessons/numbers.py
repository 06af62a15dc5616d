"""Numbers as the lecture shows them: one module for every formatter of the app and lessons.

================  ==============================  =========================================
function          for                             e.g.
================  ==============================  =========================================
:func:`num`       a rule's numbers (slides)       ``−0.0132``, ``29``, ``3.6×10⁻⁷``
:func:`par`       a factor of a product           ``(−0.0132)``
:func:`fmt_value` short labels (maps, badges)     ``−0.0132``, ``1.2e−5``
:func:`power_of_ten`  a log axis tick             ``0.01``, ``10⁻⁶``, ``5·10⁴``
:func:`fmt_threshold` a tolerance                 ``10⁻⁶``, ``2e−6``
:func:`superscript`   an exponent                 ``⁻⁶``
:func:`cell_text` a cell of the conv explainer    ``29``, ``−1.2``, ``0.036``
================  ==============================  =========================================

All use a true minus sign (−) where a reader sees the number. Pure Python: no Qt here.
"""

from __future__ import annotations

import math

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def superscript(n: int) -> str:
    """An integer in superscript digits: −6 as "⁻⁶"."""
    return str(int(n)).translate(_SUPERSCRIPT)


def num(v: float, digits: int = 4) -> str:
    """A number for a slide: 4 significant digits, a real minus sign, ×10ⁿ for tiny ones."""
    v = float(v)
    if not math.isfinite(v):
        return str(v)
    if v == 0:
        return "0"
    if v.is_integer() and abs(v) < 1e6:
        s = str(int(v))
    else:
        s = f"{v:.{digits}g}"
        if "e" in s:
            mant, exp = s.split("e")
            s = f"{mant}×10{superscript(int(exp))}"
    return s.replace("-", "−")


def par(v: float) -> str:
    """:func:`num` with parentheses around negative numbers (for products)."""
    s = num(v)
    return f"({s})" if s.startswith("−") else s


def idx(t) -> str:
    """A position as "[2, 3, 4]"."""
    return "[" + ", ".join(str(int(i)) for i in t) + "]"


def shape_text(shape) -> str:
    """A shape as "16×10×10"."""
    return "×".join(str(int(s)) for s in shape)


def fmt_value(v: float, digits: int = 3) -> str:
    """A short number for labels: ``digits`` significant digits, scientific only for very small
    or very large magnitudes, with a true minus sign."""
    v = float(v)
    if not math.isfinite(v):
        return "nan" if math.isnan(v) else ("∞" if v > 0 else "−∞")
    if v == 0:
        return "0"
    a = abs(v)
    if a < 1e-3 or a >= 1e5:
        mant, exp = f"{v:.{max(digits - 1, 1)}e}".split("e")
        text = f"{mant}e{int(exp)}"
    else:
        text = f"{v:.{digits}g}"
    return text.replace("-", "−")


def power_of_ten(value: float) -> str:
    """``value`` (a tick of a log axis, ideally 1, 2 or 5 times a power of ten), readably."""
    if value <= 0 or not math.isfinite(value):
        return ""
    exponent = math.floor(math.log10(value) + 1e-9)
    mantissa = round(value / 10.0**exponent, 6)
    if -3 <= exponent <= 3:
        return f"{value:.{max(0, -exponent)}f}" if exponent < 0 else f"{value:g}"
    power = "10" + superscript(exponent)
    return power if mantissa == 1 else f"{mantissa:g}·{power}"


def fmt_threshold(t: float) -> str:
    """1e-06 as "10⁻⁶" (a power of ten) or "2e−6"."""
    e = math.log10(t)
    if abs(e - round(e)) < 1e-9:
        return f"10{superscript(round(e))}"
    return f"{t:.0e}".replace("e-0", "e−").replace("e-", "e−")


def cell_text(v: float) -> str:
    """A number for a cell, short enough to read from the back: integers as they are, others
    with two significant digits (one decimal from 1 on)."""
    v = float(v)
    if v == 0:
        return "0"
    if v.is_integer() and abs(v) < 1e5:
        return str(int(v)).replace("-", "−")
    if abs(v) >= 10:
        s = f"{v:.0f}"
    elif abs(v) >= 1:
        s = f"{v:.1f}"
    elif abs(v) >= 1e-4:
        s = f"{v:.2g}"
    else:
        return num(v, 1)
    return s.replace("-", "−")
