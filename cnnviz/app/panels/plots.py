"""Training curves: the loss, train and test accuracy, and per-layer statistics over steps.

:class:`TrainingPlots` keeps its own copies of the metrics history (metrics ``Series``).
The training process sends every new metric entry once, in order
(:class:`~cnnviz.live.metrics.MetricsBatch` messages, beside the snapshots);
``append_metrics`` appends each batch (amortised O(1) per entry, no ``np.append``) and
clears everything first when a batch starts a history (a new session, a reset or another
model).

Curves are ``PlotDataItem`` objects updated with ``setData``, with peak downsampling and
clipping to the visible range, so long runs stay cheap. Drawing, not appending, is what costs:
the curves are redrawn at most ``TrainingPlots.max_fps`` times a second (a timer draws the last
changes), not at all while the widget is hidden (they catch up when it is shown), and the x axes
move in jumps rather than with every step, so unchanged axes are not redrawn. While training
runs at full speed the window draws them ``piecewise``: one panel per frame tick of its own.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication

from cnnviz.i18n import QT_TRANSLATE_NOOP
from cnnviz.training.metrics import Series

from .plot_parts import (  # noqa: F401 (re-exported: the plots' parts, as before)
    AXIS_POINTS,
    DEFAULT_SMOOTHING,
    LAYER_COLORS,
    LOSS_COLOR,
    TEST_COLOR,
    TICK_SCALE,
    TRAIN_COLOR,
    LogFriendlyAxis,
    Smoother,
    _add_curve,
    _html_swatch,
    _label,
    _LayerSeries,
    _Panel,
    _style_plot,
    ema,
    scale_plot,
    value_extent,
)
from .registry import PROGRESS, Panel

translate = QCoreApplication.translate  # extracted by pyside6-lupdate

# (key in MetricsHistory.layer[name], combo label, axis label, log y axis, scale, tooltip)
LAYER_STATS: list[tuple[str, str, str, bool, float, str]] = [
    ("grad_norm", QT_TRANSLATE_NOOP("plots", "‖∂E/∂W‖  weight gradient"), "‖∂E/∂W‖", True, 1.0,
     QT_TRANSLATE_NOOP("plots", "Norm of the gradient of the loss with respect to the layer's "
                       "weights.")),
    ("delta_norm", QT_TRANSLATE_NOOP("plots", "‖δ‖  sensitivity"), "‖δ‖", True, 1.0,
     QT_TRANSLATE_NOOP("plots", "Norm of the sensitivities δ = ∂E/∂u arriving at the layer's "
                       "output (per-sample norms, summed over the batch).")),
    ("update_ratio", QT_TRANSLATE_NOOP("plots", "‖ΔW‖/‖W‖  relative update"), "‖ΔW‖ / ‖W‖",
     True, 1.0,
     QT_TRANSLATE_NOOP("plots", "Size of the last weight update relative to the weights "
                       "(around 1e-3 is healthy).")),
    ("dead_fraction", QT_TRANSLATE_NOOP("plots", "dead ReLU fraction"),
     QT_TRANSLATE_NOOP("plots", "dead ReLUs (%)"), False, 100.0,
     QT_TRANSLATE_NOOP("plots", "Fraction of the ReLU units after the layer that are 0 for "
                       "every sample of the batch.")),
]  # fmt: skip

PLOTS_FPS = 4
PLOTS_FAST_FPS = 2  # the curves change slowly; the maps are what there is to watch


class PlotsPanel(Panel):
    """The Training tab of the Progress dock: loss, accuracy and layer statistics."""

    key, place = "plots", PROGRESS
    title = QT_TRANSLATE_NOOP("Panels", "Training")
    export_title = QT_TRANSLATE_NOOP("Panels", "Training plots")
    concept = "plots"

    def build(self) -> TrainingPlots:
        plots = TrainingPlots()
        plots.max_fps = PLOTS_FPS
        return plots

    def draw(self, snapshot) -> None:
        pass  # drawn on its own clock from what follow() appends

    def metrics(self, batch) -> None:
        self.widget.append_metrics(batch)  # a batch that starts a history clears first

    def set_piecewise(self, on: bool) -> None:
        """While the window draws in pieces, the plots draw one panel per frame tick."""
        self.widget.max_fps = PLOTS_FAST_FPS if on else PLOTS_FPS
        self.widget.piecewise = on

    def piece_due(self) -> bool:
        return self.widget.piece_due()

    def set_scale(self, factor: float) -> None:
        for panel in (self.widget.loss_panel, self.widget.acc_panel, self.widget.layer_panel):
            scale_plot(panel.plot, factor)

    def draw_piece(self) -> None:
        self.widget.draw_piece()


class TrainingPlots(QtWidgets.QWidget):
    """Loss, accuracy and per-layer statistics over training steps.

    ``append_metrics(batch)`` appends a batch of new entries; ``clear()`` forgets everything.
    Lays itself out as a column of three plots when narrow (a dock) and as loss | accuracy
    above the per-layer plot when wide (a tab).
    """

    WIDE_RATIO = 1.25  # width / height above which the plots go side by side
    max_fps = 10.0  # curves are redrawn at most this often (drawing is what costs)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self._smoothing = DEFAULT_SMOOTHING
        self._loss_smoother = Smoother(self._smoothing)
        self._acc_smoother = Smoother(self._smoothing)
        self._dirty: set[str] = set()
        self._wide: bool | None = None
        self._last_flush = -math.inf
        self._flush_timer = QtCore.QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.timeout.connect(self._flush_if_visible)
        self.flushes = 0  # redraws so far (for benchmarks)
        # piecewise (the window, at full speed): no timer of its own; the window's frame clock
        # draws one panel per tick with draw_piece() when piece_due() says so
        self.piecewise = False
        self._pieces: list[tuple[_Panel, set[str]]] = []

        # the data
        self.steps = Series()
        self.loss = Series()
        self.loss_smooth = Series()
        self.train_acc = Series()  # fraction of the batch, per step
        self.train_acc_smooth = Series()
        self.eval_steps = Series()
        self.test_acc = Series()  # fraction
        self.test_loss = Series()
        self.stats_steps = Series()
        self.layers: dict[str, dict[str, _LayerSeries]] = {}
        self._layer_colors: dict[str, str] = {}
        self._stat_index = 0

        # loss
        self.loss_panel = _Panel(translate("plots", "Loss"))
        lp = self.loss_panel.plot.getPlotItem()
        _label(lp, "left", translate("plots", "loss E"))
        _label(lp, "bottom", translate("plots", "step"))
        self.loss_raw_curve = _add_curve(lp, LOSS_COLOR, 1.0, alpha=110)
        self.loss_smooth_curve = _add_curve(lp, LOSS_COLOR, 3.0)
        self.loss_log = QtWidgets.QCheckBox(translate("plots", "log scale"))
        self.loss_log.setToolTip(
            translate("plots", "Logarithmic loss axis: shows progress late in training")
        )
        self.loss_log.toggled.connect(self._on_loss_log)
        self.loss_panel.header.addWidget(self.loss_log)
        self.comparison = None  # another run's curves (plots_compare.show_comparison)
        self.compare_label = QtWidgets.QLabel("")
        self.compare_label.setVisible(False)
        self.loss_panel.header.addWidget(self.compare_label)

        # accuracy
        self.acc_panel = _Panel(translate("plots", "Accuracy"))
        ap = self.acc_panel.plot.getPlotItem()
        _label(ap, "left", translate("plots", "accuracy (%)"))
        _label(ap, "bottom", translate("plots", "step"))
        self.train_acc_curve = _add_curve(ap, TRAIN_COLOR, 3.0)
        self.test_acc_curve = _add_curve(
            ap, TEST_COLOR, 2.5, symbol="o", symbolSize=10,
            symbolBrush=pg.mkBrush(TEST_COLOR), symbolPen=pg.mkPen("w", width=1.5),
        )  # fmt: skip
        ap.getViewBox().setLimits(yMin=-5, yMax=105)

        # per-layer statistics
        self.layer_panel = _Panel(translate("plots", "Per layer"))
        yp = self.layer_panel.plot.getPlotItem()
        _label(yp, "bottom", translate("plots", "step"))
        self.stat_combo = QtWidgets.QComboBox()
        for key, label, _, _, _, tip in LAYER_STATS:
            self.stat_combo.addItem(translate("plots", label), key)
            self.stat_combo.setItemData(
                self.stat_combo.count() - 1,
                translate("plots", tip),
                QtCore.Qt.ItemDataRole.ToolTipRole,
            )
        self.stat_combo.currentIndexChanged.connect(self._on_stat_changed)
        self.layer_panel.header.insert(1, self.stat_combo)
        self.layer_curves: dict[str, pg.PlotDataItem] = {}
        self._layer_legend_key: tuple = ()
        self._apply_stat_axis()

        self._grid = QtWidgets.QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(6)
        self._relayout(wide=False)
        self._update_headers()

    # ------------------------------------------------------------------ public API
    @property
    def smoothing(self) -> float:
        """β of the exponential moving average of the loss and train accuracy."""
        return self._smoothing

    def set_smoothing(self, beta: float) -> None:
        self._smoothing = float(beta)
        self._loss_smoother = Smoother(beta)
        self._acc_smoother = Smoother(beta)
        self.loss_smooth.clear()
        self.loss_smooth.extend(self._loss_smoother.extend(self.loss.data))
        self.train_acc_smooth.clear()
        self.train_acc_smooth.extend(self._acc_smoother.extend(self.train_acc.data))
        self._dirty.add("steps")
        self._flush_if_visible()

    @property
    def statistic(self) -> str:
        """The per-layer statistic shown: a key of ``LAYER_STATS`` (e.g. ``"grad_norm"``)."""
        return LAYER_STATS[self._stat_index][0]

    def set_statistic(self, key: str) -> None:
        for i, entry in enumerate(LAYER_STATS):
            if entry[0] == key:
                self.stat_combo.setCurrentIndex(i)
                return
        raise ValueError(f"unknown statistic {key!r}")

    def clear(self) -> None:
        for g in (self.steps, self.loss, self.loss_smooth, self.train_acc,
                  self.train_acc_smooth, self.eval_steps, self.test_acc, self.test_loss,
                  self.stats_steps):  # fmt: skip
            g.clear()
        self._loss_smoother = Smoother(self._smoothing)
        self._acc_smoother = Smoother(self._smoothing)
        self.layers.clear()
        self._layer_colors.clear()
        plot = self.layer_panel.plot.getPlotItem()
        for curve in self.layer_curves.values():
            plot.removeItem(curve)
        self.layer_curves.clear()
        self._layer_legend_key = ()
        for panel in self._panels():
            panel.x_range = None
        self._dirty.update({"steps", "evals", "stats"})
        self._flush_if_visible()

    def append_metrics(self, batch) -> None:
        """Append a :class:`~cnnviz.live.metrics.MetricsBatch` (clearing first when it starts
        a history). Batches must come in order, each once (as the training process sends them).

        The data are appended at once; the curves are redrawn at most ``max_fps`` times a
        second (the last changes are drawn by a timer), and not at all while hidden."""
        if batch.start:
            self.clear()
        self._append_steps(batch)
        self._append_evals(batch)
        self._append_stats(batch)
        self._schedule()

    # ------------------------------------------------------------------ appending
    def _append_steps(self, m) -> None:
        if not len(m.step):
            return
        loss = np.asarray(m.loss, dtype=np.float64)
        acc = np.asarray(m.train_accuracy, dtype=np.float64)
        self.steps.extend(m.step)
        self.loss.extend(loss)
        self.train_acc.extend(acc)
        self.loss_smooth.extend(self._loss_smoother.extend(loss))
        self.train_acc_smooth.extend(self._acc_smoother.extend(acc))
        self._dirty.add("steps")

    def _append_evals(self, m) -> None:
        if not len(m.eval_step):
            return
        self.eval_steps.extend(m.eval_step)
        self.test_acc.extend(m.test_accuracy)
        self.test_loss.extend(m.test_loss)
        self._dirty.add("evals")

    def _append_stats(self, m) -> None:
        xs = np.asarray(m.stats_step, dtype=np.float64)
        k = xs.size
        added = False
        for name, stats in m.layer.items():
            if name not in self._layer_colors:
                self._layer_colors[name] = LAYER_COLORS[len(self._layer_colors) % 10]
            store = self.layers.setdefault(name, {})
            for stat, arr in stats.items():
                off = k - len(arr)  # arr[j] belongs to xs[off + j] (a series may start late)
                if not len(arr) or off < 0:
                    continue
                series = store.setdefault(stat, _LayerSeries())
                series.x.extend(xs[off:])
                series.y.extend(arr)
                added = True
        if k:
            self.stats_steps.extend(xs)
        if added or k:
            self._dirty.add("stats")

    # ------------------------------------------------------------------ drawing
    def showEvent(self, event: QtGui.QShowEvent) -> None:
        super().showEvent(event)
        self.flush()

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        size = event.size()
        wide = size.width() > self.WIDE_RATIO * size.height() and size.width() >= 900
        if wide != self._wide:
            self._relayout(wide)

    def _relayout(self, wide: bool) -> None:
        self._wide = wide
        for w in (self.loss_panel, self.acc_panel, self.layer_panel):
            self._grid.removeWidget(w)
        for r in range(3):
            self._grid.setRowStretch(r, 0)
        for c in range(2):
            self._grid.setColumnStretch(c, 0)
        if wide:
            self._grid.addWidget(self.loss_panel, 0, 0)
            self._grid.addWidget(self.acc_panel, 0, 1)
            self._grid.addWidget(self.layer_panel, 1, 0, 1, 2)
            self._grid.setRowStretch(0, 1)
            self._grid.setRowStretch(1, 1)
            self._grid.setColumnStretch(0, 1)
            self._grid.setColumnStretch(1, 1)
        else:
            self._grid.addWidget(self.loss_panel, 0, 0)
            self._grid.addWidget(self.acc_panel, 1, 0)
            self._grid.addWidget(self.layer_panel, 2, 0)
            for r in range(3):
                self._grid.setRowStretch(r, 1)
            self._grid.setColumnStretch(0, 1)

    def _flush_if_visible(self) -> None:
        if self.isVisible() and not self.piecewise:
            self.flush()

    def piece_due(self) -> bool:
        """Piecewise: whether :meth:`draw_piece` has a panel to draw now (a round under way,
        or new data and the last round at least ``1 / max_fps`` ago)."""
        if not self.isVisible():
            return False
        if self._pieces:
            return True
        return bool(self._dirty) and (
            time.monotonic() - self._last_flush >= 1.0 / max(self.max_fps, 1e-3)
        )

    def draw_piece(self) -> None:
        """Piecewise: draw the next panel of the round (the window calls this in a frame tick
        of its own, so that no tick paints a plot and a map grid together)."""
        self._flush_piece()

    def _schedule(self) -> None:
        if not (self._dirty or self._pieces) or not self.isVisible() or self.piecewise:
            return  # piecewise: the window's clock asks (piece_due, draw_piece)
        wait = self._last_flush + 1.0 / max(self.max_fps, 1e-3) - time.monotonic()
        if wait <= 0:
            self._flush_if_visible()
        elif not self._flush_timer.isActive():
            self._flush_timer.start(int(wait * 1000) + 1)

    def flush(self) -> None:
        """Draw what has been appended but not drawn yet, now."""
        self._flush_timer.stop()
        self._last_flush = time.monotonic()
        self.flushes += 1
        dirty, self._dirty = self._dirty, set()
        for _, pending in self._pieces:  # a piecewise round under way
            dirty |= pending
        self._pieces = []
        for panel in self._panels():
            self._draw_panel(panel, dirty)
        if dirty:
            self._update_headers()

    def _flush_piece(self) -> None:
        """Piecewise drawing: one panel per call, the next one a little later (a plot's redraw
        takes a while, three at once would keep the GUI thread from everything else)."""
        if not self._pieces:
            dirty, self._dirty = self._dirty, set()
            self._pieces = [(p, dirty) for p in self._panels() if self._touches(p, dirty)]
            if not self._pieces:
                return
            self._last_flush = time.monotonic()
            self.flushes += 1
            self._update_headers()
        panel, dirty = self._pieces.pop(0)
        self._draw_panel(panel, dirty)

    def _touches(self, panel: _Panel, dirty: set[str]) -> bool:
        if panel is self.loss_panel:
            return "steps" in dirty
        if panel is self.acc_panel:
            return bool({"steps", "evals"} & dirty)
        return "stats" in dirty

    def _draw_panel(self, panel: _Panel, dirty: set[str]) -> None:
        if not self._touches(panel, dirty):
            return
        if panel is self.loss_panel:
            self.loss_raw_curve.setData(self.steps.data, self.loss.data)
            self.loss_smooth_curve.setData(self.steps.data, self.loss_smooth.data)
        elif panel is self.acc_panel:
            if "steps" in dirty:
                self.train_acc_curve.setData(self.steps.data, 100.0 * self.train_acc_smooth.data)
            if "evals" in dirty:
                self.test_acc_curve.setData(self.eval_steps.data, 100.0 * self.test_acc.data)
        else:
            self._draw_layers()
        self._follow_steps(panel)
        self._follow_values(panel)

    def _panels(self) -> tuple[_Panel, _Panel, _Panel]:
        return (self.loss_panel, self.acc_panel, self.layer_panel)

    def _follow_steps(self, only: _Panel | None = None) -> None:
        """Show all steps so far on the x axes, unless the user has zoomed or panned a plot.

        The range reaches a little beyond the last step and only moves when the curves reach
        its end, so the axes stay still between jumps (calmer to watch, and unchanged axes are
        not redrawn). It is set here rather than by pyqtgraph's auto-range: auto-range follows
        the bounds of the downsampled curve, downsampling follows the range, and the two can
        chase each other forever; a set range also lets the curves clip to what is visible.
        The plot's "A" button (or "View All") hands the plot back to this."""
        lo, hi = math.inf, -math.inf
        for g in (self.steps, self.eval_steps, self.stats_steps):
            if len(g):
                lo, hi = min(lo, g.data[0]), max(hi, g.data[-1])
        if not math.isfinite(lo):
            return
        for panel in self._panels():
            if only is not None and panel is not only:
                continue
            vb = panel.plot.getPlotItem().getViewBox()
            if vb.autoRangeEnabled()[0]:
                panel.follow, panel.x_range = True, None  # "A" pressed: follow the steps again
            if not panel.follow:
                continue
            old = panel.x_range
            if (
                old is not None
                and old[0] <= lo
                and hi <= old[1]
                and hi - lo > 0.6 * (old[1] - old[0])
            ):
                continue
            span = max(hi - lo, 1.0)
            panel.x_range = (lo - max(0.02 * span, 1.0), hi + max(0.25 * span, 5.0))
            panel.setting_range = True
            vb.setXRange(*panel.x_range, padding=0)  # (switches x auto-range off)
            panel.setting_range = False

    def _panel_curves(self) -> list[tuple[_Panel, list[pg.PlotDataItem], bool]]:
        """Each panel with its curves and whether its y axis is logarithmic."""
        return [
            (self.loss_panel, [self.loss_raw_curve, self.loss_smooth_curve],
             self.loss_log.isChecked()),
            (self.acc_panel, [self.train_acc_curve, self.test_acc_curve], False),
            (self.layer_panel, list(self.layer_curves.values()),
             LAYER_STATS[self._stat_index][3]),
        ]  # fmt: skip

    def _follow_values(self, only: _Panel | None = None) -> None:
        """Fit the y axes to the curves in view, in jumps like the x axes: the range changes
        only when a curve leaves it or fills less than half of it. An axis whose range
        changes is redrawn (its ticks, labels and grid), which is most of what a plot costs
        to draw, so an axis that moves with every step would take the GUI thread away from
        training several times a second."""
        for panel, curves, log in self._panel_curves():
            if only is not None and panel is not only:
                continue
            if not panel.follow or panel.x_range is None:
                continue
            vb = panel.plot.getPlotItem().getViewBox()
            if vb.autoRangeEnabled()[1]:
                panel.y_range = None  # "A" pressed, or a new statistic: fit again
            lo, hi = value_extent(curves, panel.x_range, log)
            if not math.isfinite(lo):
                continue
            old = panel.y_range
            if old is not None and old[0] <= lo and hi <= old[1]:
                if hi - lo > 0.5 * (old[1] - old[0]):
                    continue
            # a flat curve (one step, or values a rounding apart) gets a readable span, not
            # ticks 1e-15 apart
            flat = hi - lo <= 1e-6 * max(abs(hi), 1.0)
            pad = max(0.05 * abs(hi), 0.5 if log else 1e-3) if flat else 0.06 * (hi - lo)
            panel.y_range = (lo - pad, hi + pad)
            panel.setting_range = True
            vb.setYRange(*panel.y_range, padding=0)  # (switches y auto-range off)
            panel.setting_range = False

    def _draw_layers(self) -> None:
        key, _, _, log, scale, _ = LAYER_STATS[self._stat_index]
        plot = self.layer_panel.plot.getPlotItem()
        shown = []
        for name, stats in self.layers.items():
            curve = self.layer_curves.get(name)
            if curve is None:
                curve = _add_curve(plot, self._layer_colors[name], 2.5, antialias=False)
                self.layer_curves[name] = curve
            series = stats.get(key)
            if series is None or len(series.x) == 0:
                curve.setData([], [])
                curve.hide()
                continue
            y = series.y.data * scale if scale != 1.0 else series.y.data
            if log:  # log10(0) is drawn as a gap, not an error
                y = np.where(y > 0, y, np.nan)
            curve.setData(series.x.data, y)
            curve.show()
            shown.append(name)
        legend_key = (key, tuple(shown))
        if legend_key != self._layer_legend_key:
            self._layer_legend_key = legend_key
            if shown:
                self.layer_panel.legend.setText(
                    " &nbsp; ".join(_html_swatch(self._layer_colors[n], n) for n in shown)
                )
            elif self.layers:
                self.layer_panel.legend.setText(
                    "<i>" + translate("plots", "no layer records this statistic") + "</i>"
                )
            else:
                self.layer_panel.legend.setText("")

    def _on_stat_changed(self, index: int) -> None:
        self._stat_index = max(0, index)
        self._apply_stat_axis()
        self.layer_panel.y_range = None
        self._dirty.add("stats")
        self._flush_if_visible()

    def _on_loss_log(self, on: bool) -> None:
        self.loss_panel.plot.getPlotItem().setLogMode(y=on)
        self.loss_panel.y_range = None
        self._follow_values()

    def _apply_stat_axis(self) -> None:
        _, _, axis_label, log, _, tip = LAYER_STATS[self._stat_index]
        plot = self.layer_panel.plot.getPlotItem()
        plot.setLogMode(y=log)
        axis = translate("plots", axis_label)
        _label(plot, "left", axis + translate("plots", " (log)") if log else axis)
        self.stat_combo.setToolTip(translate("plots", tip))

    def _update_headers(self) -> None:
        beta = self._smoothing
        loss_now = ""
        if len(self.loss_smooth):
            loss_now = " &nbsp; " + translate("plots", "now {value}").format(
                value=f"<b>{self.loss_smooth.last():.3g}</b>"
            )
        smoothed = translate("plots", "smoothed (EMA β={beta})").format(beta=f"{beta:g}")
        self.loss_panel.legend.setText(
            _html_swatch(LOSS_COLOR, translate("plots", "batch"), thick=False) + " &nbsp; "
            + _html_swatch(LOSS_COLOR, smoothed) + loss_now
        )  # fmt: skip
        test_now = ""
        if len(self.test_acc):
            test_now = " &nbsp; " + translate("plots", "{accuracy} at step {step}").format(
                accuracy=f"<b>{100 * self.test_acc.last():.1f} %</b>",
                step=int(self.eval_steps.last()),
            )
        self.acc_panel.legend.setText(
            _html_swatch(TRAIN_COLOR, translate("plots", "train (smoothed)")) + " &nbsp; "
            + _html_swatch(TEST_COLOR, translate("plots", "test"), symbol=True) + test_now
        )  # fmt: skip
