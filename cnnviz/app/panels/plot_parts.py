"""The plots' parts: colours, the smoothing of noisy curves, a log-friendly axis, the legend
swatches, one plot's frame and styling, curves, and the extent of the values shown (split from
:mod:`cnnviz.app.panels.plots`, which lays them out and feeds them)."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication

from cnnviz.lessons.numbers import power_of_ten
from cnnviz.training.metrics import Series

from ..style import scale
from ..widgets.flow import FlowLayout

translate = QCoreApplication.translate  # extracted by pyside6-lupdate

# Tableau 10: distinguishable on light and dark backgrounds and on washed-out projectors.
LAYER_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")  # fmt: skip
LOSS_COLOR = "#1f77b4"
TRAIN_COLOR = "#ff7f0e"
TEST_COLOR = "#2ca02c"

DEFAULT_SMOOTHING = 0.95


def ema(values: np.ndarray, beta: float, previous: float = 0.0) -> np.ndarray:
    """The recursion ``m_t = beta * m_{t-1} + (1 - beta) * x_t`` from ``m_0 = previous``.

    Vectorised in chunks short enough that ``beta ** -chunk`` stays well inside float64.
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    out = np.empty_like(x)
    if x.size == 0:
        return out
    if not 0.0 < beta < 1.0:
        return x.copy() if beta <= 0.0 else np.full_like(x, previous)
    chunk = int(max(1, min(1024, 12 * math.log(10) / -math.log(beta))))
    powers = beta ** np.arange(1, chunk + 1, dtype=np.float64)  # beta^1 .. beta^chunk
    inverse = 1.0 / powers
    for i in range(0, x.size, chunk):
        part = x[i : i + chunk]
        m = part.size
        # m_k = beta^(k+1) m_prev + (1-beta) sum_{j<=k} beta^(k-j) x_j, and with
        # powers[k] = beta^(k+1), inverse[j] = beta^-(j+1): beta^(k-j) = powers[k] * inverse[j]
        acc = np.cumsum(part * inverse[:m]) * powers[:m]
        out[i : i + m] = powers[:m] * previous + (1.0 - beta) * acc
        previous = float(out[i + m - 1])
    return out


class Smoother:
    """Bias-corrected exponential moving average, extended incrementally.

    ``m_t = beta * m_{t-1} + (1 - beta) * x_t`` with ``m_0 = 0``, shown as
    ``s_t = m_t / (1 - beta**t)`` (t = 1, 2, …): a weighted mean of the values so far, so the
    curve neither starts at 0 nor hangs on to an outlying first value.
    """

    __slots__ = ("beta", "m", "t")

    def __init__(self, beta: float) -> None:
        self.beta = float(beta)
        self.m = 0.0
        self.t = 0

    def extend(self, values: np.ndarray) -> np.ndarray:
        x = np.asarray(values, dtype=np.float64).ravel()
        if x.size == 0:
            return x.copy()
        if not 0.0 < self.beta < 1.0:
            self.t += x.size
            return x.copy()
        m = ema(x, self.beta, self.m)
        t = np.arange(self.t + 1, self.t + x.size + 1, dtype=np.float64)
        with np.errstate(under="ignore"):
            correction = -np.expm1(t * math.log(self.beta))  # 1 - beta^t, exact for small t
        self.m = float(m[-1])
        self.t += x.size
        return m / correction


class LogFriendlyAxis(pg.AxisItem):
    """An axis whose log mode labels decades (and 2 and 5 within them when zoomed in) only,
    instead of crowding every minor tick with a label."""

    def tickValues(self, minVal: float, maxVal: float, size: float):
        if not self.logMode:
            return super().tickValues(minVal, maxVal, size)
        lo, hi = sorted((minVal, maxVal))
        if not (math.isfinite(lo) and math.isfinite(hi)):
            return []
        span = max(hi - lo, 1e-9)
        decades = list(range(math.ceil(lo - 1e-9), math.floor(hi + 1e-9) + 1))
        step = max(1, math.ceil(len(decades) * 28 / max(size, 1)))  # ≥ 28 px between labels
        majors = [float(d) for d in decades if d % step == 0]
        minors: list[float] = []
        if span < 2.5 and size / span > 60:  # room for 2× and 5× ticks
            for d in range(math.floor(lo), math.ceil(hi) + 1):
                for f in (2.0, 5.0):
                    v = d + math.log10(f)
                    if lo <= v <= hi:
                        minors.append(v)
        if len(majors) + len(minors) < 2:  # zoomed into one decade: 1×…9× ticks
            minors = [
                d + math.log10(f)
                for d in range(math.floor(lo), math.ceil(hi) + 1)
                for f in range(2, 10)
                if lo <= d + math.log10(f) <= hi
            ]
        return [(float(step), majors), (math.log10(2.0), minors)]

    def tickStrings(self, values, scale, spacing):
        if not self.logMode:
            return super().tickStrings(values, scale, spacing)
        return [power_of_ten(10.0**v) for v in values]


def _html_swatch(color: str, text: str, thick: bool = True, symbol: bool = False) -> str:
    mark = "━━" if thick else "──"
    if symbol:
        mark = "━●━"
    return f'<span style="color:{color}; font-weight:bold">{mark}</span>&nbsp;{text}'


class _Panel(QtWidgets.QWidget):
    """A header row (title, controls), the legend under it, above a PlotWidget."""

    def __init__(self, title: str, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        bar = QtWidgets.QWidget()
        # title and controls; they wrap onto a second line in a narrow dock
        self.header = FlowLayout(bar, spacing=10, line_spacing=2)
        self.title = QtWidgets.QLabel(title)
        font = self.title.font()
        font.setPointSizeF(max(font.pointSizeF(), 9.0) * 1.2)
        font.setBold(True)
        self.title.setFont(font)
        self.legend = QtWidgets.QLabel()
        self.legend.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        lfont = self.legend.font()
        lfont.setPointSizeF(max(lfont.pointSizeF(), 9.0) * 1.1)
        self.legend.setFont(lfont)
        self.header.addWidget(self.title)
        layout.addWidget(bar)
        # the legend on a line of its own, as wide as the panel: beside the title and the
        # controls a narrow dock (presentation mode at 1024×768) left it no room
        layout.addWidget(self.legend)
        self.plot = pg.PlotWidget(axisItems={"left": LogFriendlyAxis("left")})
        layout.addWidget(self.plot, 1)
        _style_plot(self.plot, self.palette())
        self.follow = True  # x range follows the steps (until the user zooms or pans)
        self.x_range: tuple[float, float] | None = None  # the range last set while following
        self.y_range: tuple[float, float] | None = None  # likewise (log10 units on log axes)
        self.setting_range = False
        self.plot.getPlotItem().getViewBox().sigRangeChangedManually.connect(self._manual)

    def _manual(self, *_) -> None:
        if not self.setting_range:
            self.follow = False


def _style_plot(widget: pg.PlotWidget, palette: QtGui.QPalette) -> None:
    bg = palette.color(QtGui.QPalette.ColorRole.Base)
    fg = palette.color(QtGui.QPalette.ColorRole.Text)
    widget.setBackground(bg)
    item = widget.getPlotItem()
    item.showGrid(x=True, y=True, alpha=0.25)
    font = QtGui.QFont(widget.font())
    font.setPointSizeF(max(font.pointSizeF(), 9.0) * 1.05)
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen(fg, width=1))
        axis.setTextPen(pg.mkPen(fg))
        axis.setTickFont(font)
        # keep the drawn axis (tick labels and grid) as a pixmap while it does not change
        axis.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
    item.setDownsampling(auto=True, mode="peak")  # the defaults of the context menu
    item.setClipToView(True)
    item.getViewBox().setMouseEnabled(x=True, y=True)
    item.getViewBox().setAutoVisible(y=True)  # y fits the steps in view
    item.setMenuEnabled(True)


AXIS_POINTS = 12.0  # the axes' labels at scale 1
TICK_SCALE = 1.05  # the tick labels, of the application font at scale 1


def _label(item: pg.PlotItem, side: str, text: str) -> None:
    item.setLabel(side, text, **{"font-size": f"{AXIS_POINTS * scale():g}pt"})


def scale_plot(widget: pg.PlotWidget, factor: float) -> None:
    """Tick labels and axis labels at ``factor`` times their normal size."""
    item = widget.getPlotItem()
    font = QtGui.QFont(QtWidgets.QApplication.font())
    font.setPointSizeF(max(font.pointSizeF() / max(scale(), 1e-9), 9.0) * TICK_SCALE * factor)
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setTickFont(font)
        axis.setStyle(tickTextOffset=max(2, round(3 * factor)))
        if axis.labelText:
            axis.setLabel(axis.labelText, **{"font-size": f"{AXIS_POINTS * factor:g}pt"})


def _add_curve(
    plot: pg.PlotItem,
    color: str,
    width: float,
    alpha: int = 255,
    antialias: bool | None = None,
    **kwargs,
) -> pg.PlotDataItem:
    """A curve in ``plot``, drawn from at most a few points per pixel of the visible range.

    Lines wider than one pixel are what costs: Qt strokes a wide polyline as one path, which
    takes seconds for a few thousand noisy points. Thick curves are therefore drawn as line
    segments from about two points per pixel, antialiased if smooth (``antialias`` defaults
    to width > 1; noisy thick curves are cheaper without); the noisy raw curves stay one pixel
    wide, which Qt draws quickly at any length.
    """
    if antialias is None:
        antialias = width > 1
    c = QtGui.QColor(color)
    c.setAlpha(alpha)
    pen = pg.mkPen(c, width=width)
    if width > 1:  # round ends join the segments without notches
        pen.setCapStyle(QtCore.Qt.PenCapStyle.RoundCap)
    curve = pg.PlotDataItem(pen=pen, antialias=antialias, **kwargs)
    plot.addItem(curve)  # (PlotItem.addItem applies the plot's downsampling: set ours after)
    curve.setDownsampling(auto=True, method="peak")
    curve.setClipToView(True)
    if width > 1:
        curve.opts["autoDownsampleFactor"] = 1.0  # ~2 points per pixel with "peak"
        curve.curve.setSegmentedLineMode("on")
    return curve


def value_extent(
    curves: list[pg.PlotDataItem], x_range: tuple[float, float], log: bool
) -> tuple[float, float]:
    """(min, max) of the finite values the visible curves have inside ``x_range`` (log10 of
    the positive ones on a log axis); (inf, -inf) if there are none."""
    lo, hi = math.inf, -math.inf
    for c in curves:
        if not c.isVisible() or c.xData is None or len(c.xData) == 0:
            continue
        i0, i1 = np.searchsorted(c.xData, x_range)
        y = c.yData[i0:i1]
        if log:
            y = y[y > 0]
            y = np.log10(y)
        y = y[np.isfinite(y)]
        if y.size:
            lo, hi = min(lo, float(y.min())), max(hi, float(y.max()))
    return lo, hi


class _LayerSeries:
    __slots__ = ("x", "y")

    def __init__(self) -> None:
        self.x = Series()
        self.y = Series()
