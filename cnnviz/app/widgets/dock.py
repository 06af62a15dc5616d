"""A dock whose title is drawn in the dock's own font, so it grows with presentation mode."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDockWidget,
    QStyle,
    QStyleOptionDockWidget,
    QStyleOptionFrame,
    QStylePainter,
)


class Dock(QDockWidget):
    """:class:`QDockWidget`, but its title follows the application font.

    Qt paints a dock's title in the platform's dock-title font, read once when the dock is
    made, whenever the dock's font is the application's: after F11 scales every text, the
    titles ("Sample", "Progress") stayed at the normal size. Here the title is painted as Qt
    does, with the dock's font."""

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self.titleBarWidget() is not None:
            return super().paintEvent(event)
        p = QStylePainter(self)
        if self.isFloating():
            frame = QStyleOptionFrame()
            frame.initFrom(self)
            p.drawPrimitive(QStyle.PrimitiveElement.PE_FrameDockWidget, frame)
        title = QStyleOptionDockWidget()
        self.initStyleOption(title)
        p.drawControl(QStyle.ControlElement.CE_DockWidgetTitle, title)
        p.end()
        return None
