"""A layout that wraps its widgets onto new lines when the width runs out."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QWidget, QWidgetItem


class FlowLayout(QLayout):
    """Lays its widgets out left to right and wraps onto a new line when the width runs out
    (so a row of grids never needs a horizontal scroll bar)."""

    def __init__(
        self,
        parent: QWidget | None = None,
        spacing: int = 8,
        line_spacing: int | None = None,
        fill_lines: bool = False,
    ) -> None:
        super().__init__(parent)
        self._items: list = []
        self._fill = fill_lines  # every widget of a line as tall as the line's tallest
        self._spacing = spacing  # between the widgets of a line
        self._line_spacing = spacing if line_spacing is None else line_spacing  # between lines
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item) -> None:  # noqa: N802 - Qt API
        self._items.append(item)

    def add(self, widget: QWidget) -> None:
        self.addChildWidget(widget)
        self.addItem(QWidgetItem(widget))

    def insert(self, index: int, widget: QWidget) -> None:
        """Put ``widget`` at ``index`` among the items (what follows moves along)."""
        self.addChildWidget(widget)
        self._items.insert(index, QWidgetItem(widget))
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, i: int):  # noqa: N802 - Qt API
        return self._items[i] if 0 <= i < len(self._items) else None

    def takeAt(self, i: int):  # noqa: N802 - Qt API
        return self._items.pop(i) if 0 <= i < len(self._items) else None

    def expandingDirections(self):  # noqa: N802 - Qt API
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt API
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt API
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, move: bool) -> int:
        lines: list[list] = [[]]  # [(item, x, hint)] per line
        x = rect.x()
        for item in self._items:
            if item.isEmpty():  # a hidden widget takes no room, nor the spacing after it
                continue
            hint = item.sizeHint()
            if x > rect.x() and x + hint.width() > rect.right() + 1:
                x = rect.x()
                lines.append([])
            lines[-1].append((item, x, hint))
            x += hint.width() + self._spacing
        y = rect.y()
        for i, line in enumerate(lines):
            height = max((hint.height() for _, _, hint in line), default=0)
            if move:
                for item, x, hint in line:
                    h = height if self._fill else hint.height()
                    item.setGeometry(QRect(QPoint(x, y), QSize(hint.width(), h)))
            y += height + (self._line_spacing if i < len(lines) - 1 else 0)
        return y - rect.y()
