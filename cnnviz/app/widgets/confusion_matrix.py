"""The confusion matrix as a heat map: rows the true class, columns the predicted class, the
counts in the cells; the diagonal in green, shaded by the fraction of the class recognised,
errors in red, shaded by their count relative to the largest error (see
:class:`cnnviz.app.panels.confusion.ConfusionView`, the tab around it)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate  # extracted by pyside6-lupdate

CORRECT_RGB = (44, 160, 44)
ERROR_RGB = (214, 39, 40)


def _blend(base: QtGui.QColor, rgb: tuple[int, int, int], t: float) -> QtGui.QColor:
    t = float(np.clip(t, 0.0, 1.0))
    return QtGui.QColor(
        round(base.red() + (rgb[0] - base.red()) * t),
        round(base.green() + (rgb[1] - base.green()) * t),
        round(base.blue() + (rgb[2] - base.blue()) * t),
    )


def _is_dark(c: QtGui.QColor) -> bool:
    return 0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue() < 140


@dataclass(frozen=True)
class _Geometry:
    left: float  # x of the grid
    top: float  # y of the grid
    cell: float  # side of a cell
    name_w: float  # width of the row-name column
    slanted: bool  # column names at 45°


class ConfusionMatrix(QtWidgets.QWidget):
    """The heat map itself. Emits ``cellClicked(true, predicted)``."""

    cellClicked = QtCore.Signal(int, int)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.matrix = np.zeros((0, 0), dtype=np.int64)
        self.names: list[str] = []
        self.selected: tuple[int, int] | None = None
        self._hover: tuple[int, int] | None = None
        self.setMouseTracking(True)
        self.setMinimumSize(220, 220)
        self.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Expanding
        )

    def set_data(self, matrix: np.ndarray | None, names: list[str] | tuple[str, ...]) -> None:
        self.matrix = np.zeros((0, 0), np.int64) if matrix is None else np.asarray(matrix)
        k = self.matrix.shape[0]
        self.names = [names[i] if i < len(names) else str(i) for i in range(k)]
        if self.selected is not None and max(self.selected) >= k:
            self.selected = None
        self.update()

    def set_selected(self, cell: tuple[int, int] | None) -> None:
        self.selected = cell
        self.update()

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(460, 460)

    # ------------------------------------------------------------------ geometry
    def _fonts(self, cell: float) -> tuple[QtGui.QFont, QtGui.QFont]:
        label = QtGui.QFont(self.font())
        label.setPixelSize(int(np.clip(cell * 0.36, 10, 18)))
        axis = QtGui.QFont(self.font())
        axis.setPixelSize(14)
        axis.setBold(True)
        return label, axis

    def _name_font(self, cell: float) -> QtGui.QFont:
        font = QtGui.QFont(self.font())
        font.setPixelSize(int(np.clip(cell * 0.4, 10, 16)))
        return font

    def _layout(self) -> _Geometry:
        """Where the grid, the class names and the captions go for the current size.

        The name font follows the cell size and the margins follow the names, so the fit is
        repeated a few times from the largest font down (it settles at once in practice)."""
        k = max(self.matrix.shape[0], 1)
        caption = 20  # the "predicted" / "true" captions
        cell = 40.0
        for _ in range(3):
            fm = QtGui.QFontMetrics(self._name_font(cell))
            name_w = min(max((fm.horizontalAdvance(n) for n in self.names), default=10), 140)
            right = fm.horizontalAdvance("correct") + 10  # per-class accuracy column
            left = caption + name_w + 12

            def fit(top: float, right: float, left: float = left) -> float:
                w = (self.width() - left - right) / k
                return max(min(w, (self.height() - top - 4) / k), 4.0)

            top = caption + fm.height() + 6
            new_cell = fit(top, right)
            slanted = name_w > 0.9 * new_cell  # names wider than a cell: written at 45°
            if slanted:  # the last names reach out over the accuracy column
                top = caption + 0.71 * (name_w + fm.height()) + 8
                right = max(right, 0.71 * name_w + 4)
                new_cell = fit(top, right)
            settled = self._name_font(new_cell).pixelSize() == self._name_font(cell).pixelSize()
            cell = new_cell
            if settled:
                break
        left += max(0.0, (self.width() - left - cell * k - right) / 2)  # centre horizontally
        return _Geometry(left, top, cell, name_w, slanted)

    def cell_rect(self, i: int, j: int) -> QtCore.QRectF:
        g = self._layout()
        left, top, cell = g.left, g.top, g.cell
        return QtCore.QRectF(left + j * cell, top + i * cell, cell, cell)

    def cell_at(self, pos: QtCore.QPointF | QtCore.QPoint) -> tuple[int, int] | None:
        k = self.matrix.shape[0]
        if k == 0:
            return None
        g = self._layout()
        left, top, cell = g.left, g.top, g.cell
        j = int((pos.x() - left) // cell)
        i = int((pos.y() - top) // cell)
        if 0 <= i < k and 0 <= j < k and pos.x() >= left and pos.y() >= top:
            return i, j
        return None

    # ------------------------------------------------------------------ events
    def mousePressEvent(self, event: QtGui.QMouseEvent) -> None:
        if event.button() == QtCore.Qt.MouseButton.LeftButton:
            cell = self.cell_at(event.position())
            if cell is not None:
                self.cellClicked.emit(*cell)
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QtGui.QMouseEvent) -> None:
        cell = self.cell_at(event.position())
        if cell != self._hover:
            self._hover = cell
            self.setCursor(
                QtCore.Qt.CursorShape.PointingHandCursor
                if cell is not None
                else QtCore.Qt.CursorShape.ArrowCursor
            )
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QtCore.QEvent) -> None:
        self._hover = None
        self.update()
        super().leaveEvent(event)

    def event(self, event: QtCore.QEvent) -> bool:
        if event.type() == QtCore.QEvent.Type.ToolTip:
            cell = self.cell_at(QtCore.QPointF(event.pos()))
            if cell is None:
                QtWidgets.QToolTip.hideText()
            else:
                QtWidgets.QToolTip.showText(event.globalPos(), self.describe(*cell), self)
            return True
        return super().event(event)

    def describe(self, i: int, j: int) -> str:
        count = int(self.matrix[i, j])
        total = int(self.matrix[i].sum())
        share = f" ({100 * count / total:.1f} % of the {self.names[i]}s)" if total else ""
        if i == j:
            return f"{self.names[i]} recognised correctly: {count}{share}"
        return f"true {self.names[i]}, predicted {self.names[j]}: {count}{share}"

    # ------------------------------------------------------------------ painting
    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        p = QtGui.QPainter(self)
        pal = self.palette()
        base = pal.color(QtGui.QPalette.ColorRole.Base)
        text = pal.color(QtGui.QPalette.ColorRole.Text)
        k = self.matrix.shape[0]
        if k == 0:
            p.setPen(pal.color(QtGui.QPalette.ColorRole.PlaceholderText))
            p.drawText(
                self.rect(),
                QtCore.Qt.AlignmentFlag.AlignCenter | QtCore.Qt.TextFlag.TextWordWrap,
                translate("confusion", "No evaluation yet.\nPress “Evaluate now”."),
            )
            p.end()
            return
        g = self._layout()
        left, top, cell = g.left, g.top, g.cell
        label_font, axis_font = self._fonts(cell)
        m = self.matrix
        rows = m.sum(axis=1)
        off = m.copy()
        np.fill_diagonal(off, 0)
        max_err = max(int(off.max()), 1)
        show_text = cell >= 16
        count_font = QtGui.QFont(label_font)
        if show_text:  # the widest count must fit in the cell
            widest = str(int(m.max()))
            fm = QtGui.QFontMetrics(count_font)
            while count_font.pixelSize() > 7 and fm.horizontalAdvance(widest) > cell * 0.86:
                count_font.setPixelSize(count_font.pixelSize() - 1)
                fm = QtGui.QFontMetrics(count_font)
        align_c = QtCore.Qt.AlignmentFlag.AlignCenter
        grid_pen = QtGui.QPen(_blend(base, (text.red(), text.green(), text.blue()), 0.15), 1)
        for i in range(k):
            for j in range(k):
                c = int(m[i, j])
                rect = QtCore.QRectF(left + j * cell, top + i * cell, cell, cell)
                if i == j:
                    t = 0.12 + 0.88 * (c / rows[i]) if rows[i] else 0.0
                    fill = _blend(base, CORRECT_RGB, t)
                elif c:
                    fill = _blend(base, ERROR_RGB, 0.18 + 0.82 * np.sqrt(c / max_err))
                else:
                    fill = base
                p.fillRect(rect, fill)
                p.setPen(grid_pen)
                p.drawRect(rect)
                if show_text:
                    p.setFont(count_font)
                    if c == 0:
                        faint = QtGui.QColor(text)
                        faint.setAlpha(70)
                        p.setPen(faint)
                    else:
                        p.setPen(QtGui.QColor("white") if _is_dark(fill) else text)
                    p.drawText(rect, align_c, str(c))
        # hover and selection outlines
        if self._hover is not None:
            i, j = self._hover
            p.setPen(QtGui.QPen(text, 1.5, QtCore.Qt.PenStyle.DashLine))
            p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
            p.drawRect(QtCore.QRectF(left + j * cell, top + i * cell, cell, cell))
        if self.selected is not None:
            i, j = self.selected
            p.setPen(QtGui.QPen(QtGui.QColor("#1f77b4"), max(3.0, cell * 0.08)))
            p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
            p.drawRect(QtCore.QRectF(left + j * cell, top + i * cell, cell, cell).adjusted(
                1.5, 1.5, -1.5, -1.5))  # fmt: skip
        # class names: rows on the left, columns on top (slanted when wider than a cell)
        name_font = self._name_font(cell)
        p.setFont(name_font)
        p.setPen(text)
        fm = QtGui.QFontMetrics(name_font)
        every = 1 if cell >= fm.height() * 0.8 else int(fm.height() / cell) + 1
        right_v = QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter
        for idx, name in enumerate(self.names):
            if idx % every:
                continue
            label = fm.elidedText(name, QtCore.Qt.TextElideMode.ElideRight, int(g.name_w) + 2)
            p.drawText(
                QtCore.QRectF(left - g.name_w - 10, top + idx * cell, g.name_w + 4, cell),
                right_v, label,
            )  # fmt: skip
            if g.slanted:
                p.save()
                p.translate(left + (idx + 0.5) * cell, top - 4)
                p.rotate(-45)
                h = fm.height()
                p.drawText(QtCore.QRectF(0, -h / 2, g.name_w + 4, h),
                           QtCore.Qt.AlignmentFlag.AlignLeft
                           | QtCore.Qt.AlignmentFlag.AlignVCenter, label)  # fmt: skip
                p.restore()
            else:
                p.drawText(
                    QtCore.QRectF(left + idx * cell - 20, top - fm.height() - 4, cell + 40,
                                  fm.height() + 2),
                    QtCore.Qt.AlignmentFlag.AlignHCenter | QtCore.Qt.AlignmentFlag.AlignBottom,
                    label,
                )  # fmt: skip
        # per-class accuracy (recall) on the right
        small = QtGui.QFont(name_font)
        small.setPixelSize(int(np.clip(cell * 0.32, 9, 14)))
        p.setFont(small)
        x_right = left + k * cell + 6
        p.setPen(text)
        if g.slanted:
            p.save()
            p.translate(x_right + 8, top - 4)
            p.rotate(-45)
            p.drawText(QtCore.QPointF(0, fm.ascent() / 2 - 1), translate("confusion", "correct"))
            p.restore()
        else:
            p.drawText(
                QtCore.QRectF(x_right, top - fm.height() - 4, self.width() - x_right,
                              fm.height() + 2),
                QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignBottom,
                translate("confusion", "correct"),
            )  # fmt: skip
        for i in range(k):
            if rows[i] and (cell >= 12 or i % 2 == 0):
                pct = 100.0 * m[i, i] / rows[i]
                p.setPen(_blend(text, CORRECT_RGB if pct >= 90 else ERROR_RGB, 0.75))
                p.drawText(
                    QtCore.QRectF(x_right, top + i * cell, self.width() - x_right, cell),
                    QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter,
                    f"{pct:.0f} %",
                )
        # axis captions
        p.setFont(axis_font)
        p.setPen(text)
        mid_x, mid_y, span = left + k * cell / 2, top + k * cell / 2, max(k * cell, 240)
        p.drawText(
            QtCore.QRectF(mid_x - span / 2, 0, span, 20),
            align_c,
            translate("confusion", "predicted class →"),
        )
        p.save()
        p.translate(left - g.name_w - 12 - 20, mid_y)
        p.rotate(-90)
        p.drawText(
            QtCore.QRectF(-span / 2, 0, span, 20),
            align_c,
            translate("confusion", "← true class"),
        )
        p.restore()
        p.end()
