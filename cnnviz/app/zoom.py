"""Zoom: Ctrl+wheel over the network overview or a map grid, or + / − with the mouse over it
(0 goes back), enlarges it; the page around it scrolls to show the rest.

A zoomable widget (:class:`Zoomable`) applies a zoom itself. The network overview enlarges the
row of its stages inside its own scroll area (its maps grow with it); a map grid elsewhere (the
layer inspector's, the timeline's) enlarges itself inside the tab's scroll area (:func:`grow`).
A map grid inside the overview zooms the whole overview (``zoom_children``).
Zoom goes from 1 to :data:`MAX_ZOOM` in steps of :data:`STEP`; at 1 the widget has its own
minimum size again, exactly as before.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QCursor, QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget

STEP = 1.25  # one wheel notch or one key press
MAX_ZOOM = 4.0
ZOOM = "cnnviz_zoom"  # the widget properties holding its zoom, size at zoom 1, own minimum
BASE = "cnnviz_zoom_base"
OWN_MIN = "cnnviz_zoom_min"


@runtime_checkable
class Zoomable(Protocol):
    zoom_children: bool  # True: its zoomable children zoom it instead of themselves

    def apply_zoom(self, factor: float) -> None:
        """Show itself ``factor`` times its size that fits (1: exactly as before zooming)."""


def zoom_of(widget: QWidget) -> float:
    """The zoom of a zoomable widget (1 when never zoomed)."""
    return float(widget.property(ZOOM) or 1.0)


def target_of(widget: QWidget | None) -> QWidget | None:
    """What zooming at ``widget`` zooms: its outermost zoomable ancestor that zooms its
    children (the overview), else the innermost zoomable one (a map grid), else None."""
    inner, w = None, widget
    while w is not None:
        if isinstance(w, Zoomable):
            if w.zoom_children:
                return w
            inner = inner or w
        w = w.parentWidget()
    return inner


def set_zoom(target: QWidget, factor: float) -> float:
    """Zoom ``target`` (a :class:`Zoomable`) to ``factor`` (clamped to 1 … :data:`MAX_ZOOM`);
    returns the zoom applied."""
    factor = round(min(max(factor, 1.0), MAX_ZOOM), 4)
    target.setProperty(ZOOM, None if factor == 1.0 else factor)
    target.apply_zoom(factor)
    return factor


def grow(widget: QWidget, factor: float, size: QSize | None = None) -> None:
    """Give ``widget`` a minimum size ``factor`` times ``size`` (its size when first zoomed);
    at 1 its own minimum size again. What :meth:`Zoomable.apply_zoom` of a plain widget does."""
    if widget.property(BASE) is None:
        if factor == 1.0:
            return
        widget.setProperty(BASE, size or widget.size())
        widget.setProperty(OWN_MIN, widget.minimumSize())
    base, own = widget.property(BASE), widget.property(OWN_MIN)
    if factor == 1.0:
        widget.setMinimumSize(own)
        widget.setProperty(BASE, None)
        widget.setProperty(OWN_MIN, None)
        return
    widget.setMinimumSize(
        max(own.width(), round(base.width() * factor)),
        max(own.height(), round(base.height() * factor)),
    )


def zoom_by(widget: QWidget | None, steps: int) -> float | None:
    """Zoom what is at ``widget`` in (``steps`` > 0) or out; ``steps`` 0 goes back to 1.
    Returns the new zoom, or None when nothing there zooms."""
    target = target_of(widget)
    if target is None:
        return None
    factor = 1.0 if steps == 0 else zoom_of(target) * STEP**steps
    return set_zoom(target, factor)


def wheel(widget: QWidget, event: QWheelEvent) -> bool:
    """Ctrl+wheel over ``widget`` zooms (True: the event is used); other wheels are not ours."""
    if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
        return False
    notches = event.angleDelta().y() / 120
    if notches == 0:
        return False
    zoom_by(widget, int(notches) or (1 if notches > 0 else -1))  # a touchpad's bits: one step
    event.accept()
    return True


def under_cursor(fallback: QWidget | None = None) -> QWidget | None:
    """The widget under the mouse pointer (for + and −), else ``fallback`` (the overview)."""
    w = QApplication.widgetAt(QCursor.pos())
    return w if target_of(w) is not None else fallback


def zoom_at(fallback: QWidget, steps: int) -> float | None:
    """+ / − / 0: zoom what is under the pointer, else ``fallback`` (the overview)."""
    return zoom_by(under_cursor(fallback), steps)
