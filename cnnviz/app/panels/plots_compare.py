"""Another saved run's curves over the plots (File ▸ Compare with…): its smoothed loss, train
accuracy and test accuracy, dashed, labelled with the file's name, until cleared."""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore
from PySide6.QtCore import QCoreApplication

from cnnviz.training.metrics import MetricsHistory

from .plot_parts import LOSS_COLOR, TEST_COLOR, TRAIN_COLOR, Smoother

translate = QCoreApplication.translate  # extracted by pyside6-lupdate


def _dashed(plot: pg.PlotItem, color: str) -> pg.PlotDataItem:
    pen = pg.mkPen(color, width=2.0, style=QtCore.Qt.PenStyle.DashLine)
    curve = pg.PlotDataItem(pen=pen)
    plot.addItem(curve)
    curve.setDownsampling(auto=True, method="peak")
    curve.setClipToView(True)
    return curve


def show_comparison(plots, name: str, history: MetricsHistory) -> None:
    """Overlay ``history`` (another run's metrics) on ``plots``, replacing any before."""
    clear_comparison(plots)
    steps = history.step.values()
    loss = Smoother(plots.smoothing).extend(history.loss.values())
    train = Smoother(plots.smoothing).extend(history.train_accuracy.values())
    lp = plots.loss_panel.plot.getPlotItem()
    ap = plots.acc_panel.plot.getPlotItem()
    curves = [_dashed(lp, LOSS_COLOR), _dashed(ap, TRAIN_COLOR), _dashed(ap, TEST_COLOR)]
    curves[0].setData(steps, loss)
    curves[1].setData(steps, 100.0 * np.asarray(train))
    curves[2].setData(history.eval_step.values(), 100.0 * history.test_accuracy.values())
    for curve in curves:
        curve.setToolTip(name)
    plots.comparison = (name, list(zip((lp, ap, ap), curves, strict=True)))
    text = translate("plots", "dashed: {name}").format(name=f"<b>{html.escape(name)}</b>")
    plots.compare_label.setText(text)
    plots.compare_label.setVisible(True)


def clear_comparison(plots) -> None:
    """Remove the other run's curves, if any."""
    shown = getattr(plots, "comparison", None)
    if shown is not None:
        for plot, curve in shown[1]:
            plot.removeItem(curve)
    plots.comparison = None
    plots.compare_label.setText("")
    plots.compare_label.setVisible(False)
