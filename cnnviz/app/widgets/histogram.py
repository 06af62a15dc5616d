"""A small histogram (of W, ∂E/∂W, δ or the activations of a layer) painted with QPainter.

The inspector redraws four of them with every snapshot it shows. Painting the bars, the axis
and three labels directly costs a fraction of a millisecond, where a pyqtgraph plot spends
several milliseconds of Python on its scene and axes, at every frame.
"""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication

from .mapgrid import fmt_value

translate = QCoreApplication.translate  # extracted by pyside6-lupdate

MARGIN = 6


class Histogram(QtWidgets.QWidget):
    """Bars of ``counts`` over the bins ``edges`` (as from ``np.histogram``), a title above, an
    x axis with the range (and 0 when the range spans it) and the tallest count. Hovering a bar
    shows its bin and count as a tooltip."""

    def __init__(self, title: str, color: str, parent=None) -> None:
        super().__init__(parent)
        self.title = title
        self.color = QtGui.QColor(color)
        self.counts = np.zeros(0)
        self.edges = np.zeros(1)
        self.setMouseTracking(True)
        self.setMinimumWidth(150)
        self.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Fixed
        )

    def set_data(self, counts: np.ndarray, edges: np.ndarray) -> None:
        """``counts``: (n,) per bin; ``edges``: (n + 1,) increasing bin edges."""
        counts, edges = np.asarray(counts, dtype=np.float64), np.asarray(edges, dtype=np.float64)
        if edges.shape != (counts.size + 1,):
            raise ValueError(f"{counts.size} counts need {counts.size + 1} edges, not {edges.size}")
        self.counts, self.edges = counts, edges
        self.update()

    # ------------------------------------------------------------------ geometry
    def _title_font(self) -> QtGui.QFont:
        f = QtGui.QFont(self.font())
        f.setBold(True)
        return f

    def plot_rect(self) -> QtCore.QRectF:
        """Where the bars go, in widget pixels."""
        fm = self.fontMetrics()
        top = QtGui.QFontMetrics(self._title_font()).height() + fm.height() + 4
        bottom = fm.height() + 6
        return QtCore.QRectF(MARGIN, top, self.width() - 2 * MARGIN, self.height() - top - bottom)

    def bin_at(self, x: float) -> int | None:
        """The bin under widget x, or None."""
        r = self.plot_rect()
        n = self.counts.size
        if n == 0 or not (r.left() <= x < r.right()):
            return None
        lo, hi = self.edges[0], self.edges[-1]
        if hi <= lo:
            return 0
        v = lo + (x - r.left()) / r.width() * (hi - lo)
        return int(np.clip(np.searchsorted(self.edges, v, side="right") - 1, 0, n - 1))

    def bin_text(self, i: int) -> str:
        a, b = self.edges[i], self.edges[i + 1]
        return f"{self.title}: [{fmt_value(a, 4)}, {fmt_value(b, 4)}): {int(self.counts[i])}"

    def sizeHint(self) -> QtCore.QSize:  # noqa: N802 - Qt API
        return QtCore.QSize(220, 150)

    # ------------------------------------------------------------------ Qt
    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        p = QtGui.QPainter(self)
        fg = self.palette().color(QtGui.QPalette.ColorRole.WindowText)
        fm = self.fontMetrics()
        p.setFont(self._title_font())
        p.setPen(fg)
        title_h = QtGui.QFontMetrics(self._title_font()).height()
        p.drawText(
            QtCore.QRectF(0, 0, self.width(), title_h), QtCore.Qt.AlignmentFlag.AlignCenter,
            self.title,
        )  # fmt: skip
        p.setFont(self.font())
        r = self.plot_rect()
        n = self.counts.size
        if n and r.width() > 2 and r.height() > 2:
            peak = float(self.counts.max()) or 1.0
            lo, hi = self.edges[0], self.edges[-1]
            span = (hi - lo) or 1.0
            xs = r.left() + (self.edges - lo) / span * r.width()
            ys = r.bottom() - self.counts / peak * r.height()
            poly = QtGui.QPolygonF()
            poly.append(QtCore.QPointF(xs[0], r.bottom()))
            for i in range(n):
                poly.append(QtCore.QPointF(xs[i], ys[i]))
                poly.append(QtCore.QPointF(xs[i + 1], ys[i]))
            poly.append(QtCore.QPointF(xs[-1], r.bottom()))
            fill = QtGui.QColor(self.color)
            fill.setAlpha(120)
            p.setBrush(fill)
            p.setPen(QtGui.QPen(self.color, 1.5))
            p.drawPolygon(poly)
            muted = QtGui.QColor(fg)
            muted.setAlpha(170)
            p.setPen(muted)
            p.drawText(
                QtCore.QRectF(r.left(), r.top() - fm.height() - 2, r.width(), fm.height()),
                QtCore.Qt.AlignmentFlag.AlignLeft,
                translate("histogram", "max {n}").format(n=int(peak)),
            )  # fmt: skip
            p.setPen(fg)
            p.drawLine(QtCore.QPointF(r.left(), r.bottom()), QtCore.QPointF(r.right(), r.bottom()))
            y = r.bottom() + 3
            h = fm.height()
            left, right = fmt_value(lo), fmt_value(hi)
            p.drawText(QtCore.QRectF(r.left(), y, r.width(), h),
                       QtCore.Qt.AlignmentFlag.AlignLeft, left)  # fmt: skip
            p.drawText(QtCore.QRectF(r.left(), y, r.width(), h),
                       QtCore.Qt.AlignmentFlag.AlignRight, right)  # fmt: skip
            if lo < 0 < hi:
                x0 = r.left() - lo / span * r.width()
                zero_w = fm.horizontalAdvance("0")
                room = (x0 - r.left() > fm.horizontalAdvance(left) + zero_w) and (
                    r.right() - x0 > fm.horizontalAdvance(right) + zero_w
                )
                muted.setAlpha(110)
                p.setPen(QtGui.QPen(muted, 1, QtCore.Qt.PenStyle.DashLine))
                p.drawLine(QtCore.QPointF(x0, r.top()), QtCore.QPointF(x0, r.bottom()))
                if room:
                    p.setPen(fg)
                    p.drawText(QtCore.QRectF(x0 - 20, y, 40, h),
                               QtCore.Qt.AlignmentFlag.AlignHCenter, "0")  # fmt: skip
        p.end()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt API
        i = self.bin_at(event.position().x())
        if i is None:
            QtWidgets.QToolTip.hideText()
        else:
            QtWidgets.QToolTip.showText(event.globalPosition().toPoint(), self.bin_text(i), self)
