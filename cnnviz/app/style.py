"""Small shared helpers for the look of the panels."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

CORRECT_COLOR = "#2ca02c"  # a prediction that is right, an agreement
WRONG_COLOR = "#d62728"  # a prediction that is wrong, a disagreement


def scale_font(widget: QtWidgets.QWidget, factor: float, bold: bool = False) -> None:
    """Make ``widget``'s font ``factor`` times larger (from at least 9 pt), optionally bold."""
    font = QtGui.QFont(widget.font())
    font.setPointSizeF(max(font.pointSizeF(), 9.0) * factor)
    if bold:
        font.setBold(True)
    widget.setFont(font)


# ---------------------------------------------------------------------- one scale for the window
BASE_POINTS = "cnnvizBasePoints"  # a widget's own font size at scale 1 (a dynamic property)
BASE_PIXELS = "cnnvizBasePixels"
_scale = [1.0]


def scale() -> float:
    """The factor every text of the window is drawn at now (1 outside presentation mode)."""
    return _scale[0]


def apply_scale(root: QtWidgets.QWidget, factor: float) -> None:
    """Draw every text under ``root`` at ``factor`` times its size at scale 1.

    Widgets that inherit their font follow the application font (scaled by the caller; a
    widget with a style sheet of its own is polished again to follow it);
    a widget with a font of its own is scaled from the size it has at scale 1, remembered the
    first time it is seen (a widget made while scaled is taken back by the scale it was made
    at), so that scaling to 1 again gives every font back exactly.
    """
    old, _scale[0] = _scale[0], float(factor)
    for w in [root, *root.findChildren(QtWidgets.QWidget)]:
        if not w.testAttribute(QtCore.Qt.WidgetAttribute.WA_SetFont):
            if w.styleSheet():  # a styled widget keeps the font it was polished with: again
                w.setStyleSheet(w.styleSheet())
            continue
        font = QtGui.QFont(w.font())
        points, pixels = w.property(BASE_POINTS), w.property(BASE_PIXELS)
        if points is None and pixels is None:
            if font.pointSizeF() > 0:
                points = font.pointSizeF() / old
                w.setProperty(BASE_POINTS, points)
            else:
                pixels = font.pixelSize() / old
                w.setProperty(BASE_PIXELS, pixels)
        if points is not None:  # rounded: the same size however the widget got there
            size = points if factor == 1.0 else round(points * factor, 6)
            if font.pointSizeF() == size:
                continue
            font.setPointSizeF(size)
        else:
            size = max(1, round(pixels * factor))
            if font.pixelSize() == size:
                continue
            font.setPixelSize(size)
        w.setFont(font)
