"""Small shared helpers for the look of the panels."""

from __future__ import annotations

from PySide6 import QtGui, QtWidgets

CORRECT_COLOR = "#2ca02c"  # a prediction that is right, an agreement
WRONG_COLOR = "#d62728"  # a prediction that is wrong, a disagreement


def scale_font(widget: QtWidgets.QWidget, factor: float, bold: bool = False) -> None:
    """Make ``widget``'s font ``factor`` times larger (from at least 9 pt), optionally bold."""
    font = QtGui.QFont(widget.font())
    font.setPointSizeF(max(font.pointSizeF(), 9.0) * factor)
    if bold:
        font.setBold(True)
    widget.setFont(font)
