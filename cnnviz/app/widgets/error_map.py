"""The error map of the gradient check: one filter's relative error per entry, coloured on a
log scale against the threshold, with its colour bar."""

from __future__ import annotations

import math

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication

from cnnviz.lessons.gradient_table import THRESHOLD, log_error
from cnnviz.lessons.numbers import fmt_threshold, superscript

from ..style import CORRECT_COLOR, WRONG_COLOR
from .mapgrid import muted_color
from .tiling import best_layout

translate = QCoreApplication.translate  # extracted by pyside6-lupdate

NOT_COMPARED = QtGui.QColor("#8a8f98")
LOG_LO, LOG_HI = -14.0, 0.0  # the error colour scale: 1e-14 … 1
ERROR_STOPS_OK = [(-14.0, "#0b1a4a"), (-11.0, "#1d5f8c"), (-8.0, "#2a9d7c"), (-6.0, "#a6d96a")]
ERROR_STOPS_FAIL = [(-6.0, "#fdae3b"), (-3.0, "#e8522e"), (0.0, "#99142b")]


def _interp(stops: list[tuple[float, str]], v: float) -> QtGui.QColor:
    if v <= stops[0][0]:
        return QtGui.QColor(stops[0][1])
    for (v0, c0), (v1, c1) in zip(stops, stops[1:], strict=False):
        if v <= v1:
            t = (v - v0) / (v1 - v0) if v1 > v0 else 1.0
            a, b = QtGui.QColor(c0), QtGui.QColor(c1)
            return QtGui.QColor.fromRgbF(
                a.redF() + t * (b.redF() - a.redF()),
                a.greenF() + t * (b.greenF() - a.greenF()),
                a.blueF() + t * (b.blueF() - a.blueF()),
            )
    return QtGui.QColor(stops[-1][1])


def error_color(log10_error: float, threshold: float = THRESHOLD) -> QtGui.QColor:
    """The colour of a relative error given as log10: blues and greens up to the threshold,
    amber to red above it; grey for NaN (not compared)."""
    if not math.isfinite(log10_error):
        return QtGui.QColor(NOT_COMPARED)
    t = math.log10(threshold)
    if log10_error <= t:
        return _interp([(v - (-6.0) + t, c) for v, c in ERROR_STOPS_OK], log10_error)
    return _interp([(v - (-6.0) + t, c) for v, c in ERROR_STOPS_FAIL], log10_error)


class ErrorMap(QtWidgets.QWidget):
    """Relative errors per entry of a (C, kh, kw) filter on a log colour scale, with a
    colour bar in decades and the threshold marked. NaN entries (not compared) are grey."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self._error: np.ndarray | None = None
        self._log: np.ndarray | None = None
        self._values: tuple[np.ndarray, np.ndarray] | None = None
        self.threshold = THRESHOLD
        self.placeholder = translate("gradcheck", "run a check")
        self._cells: list[tuple[QtCore.QRectF, tuple[int, int, int]]] = []
        self.setMouseTracking(True)
        self.setMinimumSize(180, 200)
        self.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Expanding
        )

    def set_data(
        self,
        error: np.ndarray | None,
        analytic: np.ndarray | None = None,
        numeric: np.ndarray | None = None,
        threshold: float = THRESHOLD,
    ) -> None:
        """Show ``error`` (C, kh, kw) (None: the placeholder); ``analytic`` and ``numeric``
        only feed the tooltips."""
        self.threshold = threshold
        if error is None:
            self._error = self._log = self._values = None
        else:
            e = np.asarray(error, dtype=np.float64)
            if e.ndim == 2:
                e = e[None]
            self._error = e
            self._log = log_error(e)
            self._values = (
                None
                if analytic is None or numeric is None
                else (np.asarray(analytic).reshape(e.shape), np.asarray(numeric).reshape(e.shape))
            )
        self.update()

    def data(self) -> np.ndarray | None:
        """The relative errors shown, (C, kh, kw)."""
        return self._error

    def _bar_height(self) -> int:
        return 16 + 2 * self.fontMetrics().height() + 10

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:  # noqa: N802 - Qt API
        p = QtGui.QPainter(self)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        pal = self.palette()
        text = pal.color(QtGui.QPalette.ColorRole.WindowText)
        self._cells = []
        if self._log is None:
            p.setPen(QtGui.QColor(muted_color(self)))
            p.drawText(self.rect(), QtCore.Qt.AlignmentFlag.AlignCenter, self.placeholder)
            p.end()
            return
        bar_h = self._bar_height()
        area = QtCore.QRectF(4, 4, self.width() - 8, self.height() - bar_h - 8)
        c, kh, kw = self._log.shape
        caption_h = self.fontMetrics().height() + 2 if c > 1 else 0
        gap_cells = 1.0
        rows, cols = best_layout(c, kh, kw, area.width(), area.height() - caption_h)
        map_gap = 10.0
        cell = min(
            (area.width() - (cols - 1) * map_gap) / (cols * kw),
            (area.height() - rows * caption_h - (rows - 1) * map_gap) / (rows * kh),
        )
        cell = max(cell, 2.0)
        total_w = cols * kw * cell + (cols - 1) * map_gap
        total_h = rows * (kh * cell + caption_h) + (rows - 1) * map_gap
        x0 = area.left() + (area.width() - total_w) / 2
        y0 = area.top() + (area.height() - total_h) / 2
        font = QtGui.QFont(self.font())
        font.setPixelSize(max(8, int(cell * 0.34)))
        fm = QtGui.QFontMetricsF(font)
        write = fm.horizontalAdvance("10⁻¹⁰") < cell * 0.92 and cell >= 30
        hatch = QtGui.QBrush(QtGui.QColor("#c8ccd2"), QtCore.Qt.BrushStyle.BDiagPattern)
        for k in range(c):
            r, q = divmod(k, cols)
            mx = x0 + q * (kw * cell + map_gap)
            my = y0 + r * (kh * cell + caption_h + map_gap)
            for i in range(kh):
                for j in range(kw):
                    rect = QtCore.QRectF(mx + j * cell, my + i * cell, cell, cell)
                    inner = rect.adjusted(0, 0, -gap_cells, -gap_cells)
                    v = self._log[k, i, j]
                    color = error_color(v, self.threshold)
                    p.fillRect(inner, color)
                    if not math.isfinite(v):
                        p.fillRect(inner, hatch)
                    elif write:
                        p.setFont(font)
                        light = color.lightnessF() > 0.55
                        p.setPen(QtGui.QColor("#111111" if light else "#ffffff"))
                        p.drawText(inner, QtCore.Qt.AlignmentFlag.AlignCenter, _exponent(v))
                    self._cells.append((rect, (k, i, j)))
            if caption_h:
                p.setFont(self.font())
                p.setPen(text)
                p.drawText(
                    QtCore.QRectF(mx, my + kh * cell, kw * cell, caption_h),
                    QtCore.Qt.AlignmentFlag.AlignCenter,
                    translate("gradcheck", "input {k}").format(k=k + 1),
                )
        self._paint_bar(p, QtCore.QRectF(12, self.height() - bar_h, self.width() - 24, bar_h))
        p.end()

    def _paint_bar(self, p: QtGui.QPainter, box: QtCore.QRectF) -> None:
        fm = self.fontMetrics()
        text = self.palette().color(QtGui.QPalette.ColorRole.WindowText)
        bar = QtCore.QRectF(box.left(), box.top() + fm.height() + 2, box.width(), 14)
        steps = 140
        for s in range(steps):
            v = LOG_LO + (LOG_HI - LOG_LO) * (s + 0.5) / steps
            x = bar.left() + bar.width() * s / steps
            p.fillRect(QtCore.QRectF(x, bar.top(), bar.width() / steps + 0.7, bar.height()),
                       error_color(v, self.threshold))  # fmt: skip
        p.setPen(QtGui.QPen(text, 1))
        p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        p.drawRect(bar)
        p.setFont(self.font())

        def xpos(v: float) -> float:
            return bar.left() + bar.width() * (v - LOG_LO) / (LOG_HI - LOG_LO)

        widest = fm.horizontalAdvance(f"10{superscript(int(LOG_LO))}") + 6
        decades = int(LOG_HI - LOG_LO)
        every = next(
            (k for k in (1, 2, 4, 7) if widest * (decades // k + 1) <= bar.width()), decades
        )
        for d in range(int(LOG_LO), int(LOG_HI) + 1, every):
            x = xpos(d)
            p.drawLine(QtCore.QPointF(x, bar.bottom()), QtCore.QPointF(x, bar.bottom() + 4))
            label = f"10{superscript(d)}"
            w = fm.horizontalAdvance(label)
            lx = min(max(x - w / 2, box.left() - 10), box.right() + 10 - w)
            p.drawText(QtCore.QPointF(lx, bar.bottom() + 4 + fm.ascent()), label)
        t = math.log10(self.threshold)
        x = xpos(t)
        p.setPen(QtGui.QPen(text, 2.5))
        p.drawLine(QtCore.QPointF(x, bar.top() - 3), QtCore.QPointF(x, bar.bottom() + 3))
        bold = QtGui.QFont(self.font())
        bold.setBold(True)
        p.setFont(bold)
        label = translate("gradcheck", "threshold {value}").format(
            value=fmt_threshold(self.threshold)
        )
        w = QtGui.QFontMetricsF(bold).horizontalAdvance(label)
        p.drawText(QtCore.QPointF(x - w / 2, box.top() + fm.ascent()), label)
        p.setFont(self.font())
        p.setPen(QtGui.QColor(CORRECT_COLOR))
        p.drawText(
            QtCore.QPointF(box.left(), box.top() + fm.ascent()), translate("gradcheck", "agree")
        )
        p.setPen(QtGui.QColor(WRONG_COLOR))
        disagree = translate("gradcheck", "disagree")
        w = fm.horizontalAdvance(disagree)
        p.drawText(QtCore.QPointF(box.right() - w, box.top() + fm.ascent()), disagree)

    def mouseMoveEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt API
        pos = event.position()
        for rect, (k, i, j) in self._cells:
            if rect.contains(pos):
                QtWidgets.QToolTip.showText(
                    event.globalPosition().toPoint(), self._tooltip(k, i, j), self
                )
                return
        QtWidgets.QToolTip.hideText()

    def _tooltip(self, k: int, i: int, j: int) -> str:
        e = self._error[k, i, j]
        where = translate("gradcheck", "input {k}, row {i}, column {j}").format(
            k=k + 1, i=i + 1, j=j + 1
        )
        if not math.isfinite(e):
            return where + translate(
                "gradcheck", ": held at zero by the connection table (not compared)"
            )
        text = where + "\n" + translate("gradcheck", "rel. error {e}").format(e=f"{e:.2e}")
        if self._values is not None:
            a, n = self._values
            text += "\n" + translate("gradcheck", "backprop {a}\nnumeric  {n}").format(
                a=f"{a[k, i, j]:.6e}", n=f"{n[k, i, j]:.6e}"
            )
        return text


def _exponent(v: float) -> str:
    """A cell's text: the decade of its error, e.g. "10⁻¹⁰"; "0" for exact agreement."""
    if v <= LOG_LO - 1:
        return "0"
    return f"10{superscript(math.floor(v + 1e-9))}"
