"""The training plots, the confusion view and the sample panel, fed real snapshots of a session."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dataclasses import replace  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PySide6 import QtCore, QtGui  # noqa: E402

from cnnviz.app.panels.confusion import MAX_THUMBNAILS, ConfusionView  # noqa: E402
from cnnviz.app.panels.plots import (  # noqa: E402
    LogFriendlyAxis,
    Smoother,
    TrainingPlots,
    ema,
)
from cnnviz.app.panels.sample import SamplePanel, to_qimage, to_uint8  # noqa: E402
from cnnviz.live.session import Session  # noqa: E402
from cnnviz.training.trainer import Hyperparameters, Trainer  # noqa: E402

STEPS, MORE, AFTER_RESET = 30, 10, 5


class TinyDataset:
    """Random 28×28 images with labels that depend on the mean brightness of a quadrant, so
    the network learns a little and the confusion matrix has both kinds of cells."""

    name = "tiny-random"
    input_shape = (1, 28, 28)
    num_classes = 10
    class_names = tuple(f"c{i}" for i in range(10))
    normalization = {"mean": 0.0, "std": 1.0}

    def __init__(self, n_train: int = 320, n_test: int = 60, seed: int = 3) -> None:
        r = np.random.default_rng(seed)
        self.train_images = r.integers(0, 256, (n_train, 1, 28, 28), dtype=np.uint8)
        self.test_images = r.integers(0, 256, (n_test, 1, 28, 28), dtype=np.uint8)
        self.train_labels = r.integers(0, 10, n_train).astype(np.int64)
        self.test_labels = r.integers(0, 10, n_test).astype(np.int64)

    def _images(self, split: str) -> np.ndarray:
        return self.train_images if split == "train" else self.test_images

    def batch(self, split: str, idx) -> np.ndarray:
        return self._images(split)[np.asarray(idx)].astype(np.float32) / 255.0 - 0.5

    def raw(self, split: str, i: int) -> np.ndarray:
        return self._images(split)[int(i)].copy()


@pytest.fixture(scope="module")
def run():
    """One session, snapshots taken along the way: after STEPS steps, after MORE more steps,
    and after a reset and AFTER_RESET steps (a new generation); with each, the metric batches
    the session emitted since the one before ("first_metrics", …)."""
    ds = TinyDataset()
    hp = Hyperparameters(eval_every=10, stats_every=5, batch_size=8, lr=0.02)
    s = Session(Trainer.create("tiny", ds, hp))
    batches: list = []
    s.subscribe("metrics", batches.append)

    def emitted() -> list:
        out = list(batches)
        batches.clear()
        return out

    for _ in range(STEPS):
        s.trainer.step_batch()
    first = s.snapshot_now()
    first_metrics = emitted()
    history_first = s.trainer.metrics.to_arrays()
    for _ in range(MORE):
        s.trainer.step_batch()
    second = s.snapshot_now()
    second_metrics = emitted()
    history_second = s.trainer.metrics.to_arrays()
    s.reset()
    s.snapshot_now()  # drains the reset
    for _ in range(AFTER_RESET):
        s.trainer.step_batch()
    third = s.snapshot_now()
    return {
        "dataset": ds,
        "session": s,
        "first": first,
        "second": second,
        "third": third,
        "first_metrics": first_metrics,
        "second_metrics": second_metrics,
        "third_metrics": emitted(),
        "history_first": history_first,
        "history_second": history_second,
        "history_third": s.trainer.metrics.to_arrays(),
        "weighted": [layer.name for layer in s.trainer.net.layers if "weight" in layer.params],
    }


def feed(plots: TrainingPlots, batches: list) -> None:
    """Append metric batches to the plots as the window does (in order, each once)."""
    for batch in batches:
        plots.append_metrics(batch)


def original(curve):
    x, y = curve.getOriginalDataset()
    return (np.zeros(0), np.zeros(0)) if x is None else (np.asarray(x), np.asarray(y))


@pytest.fixture
def plots(qtbot):
    w = TrainingPlots()
    qtbot.addWidget(w)
    w.resize(500, 700)
    w.show()
    return w


# ---------------------------------------------------------------------- training plots


def test_loss_curve_has_every_step_and_appends_each_batch(plots, run):
    feed(plots, run["first_metrics"])
    plots.flush()
    x, y = original(plots.loss_raw_curve)
    h = run["history_first"]
    assert x.size == STEPS
    np.testing.assert_array_equal(x, h["metrics/step"])
    np.testing.assert_array_equal(y, h["metrics/loss"])

    feed(plots, run["second_metrics"])
    plots.flush()
    x, y = original(plots.loss_raw_curve)
    h = run["history_second"]
    assert x.size == STEPS + MORE
    np.testing.assert_array_equal(x, h["metrics/step"])
    np.testing.assert_array_equal(y, h["metrics/loss"])
    np.testing.assert_array_equal(original(plots.test_acc_curve)[0], h["metrics/eval_step"])
    assert len(plots.stats_steps) == h["metrics/stats_step"].size


def test_new_generation_clears(plots, run):
    feed(plots, run["first_metrics"])
    feed(plots, run["third_metrics"])
    plots.flush()
    assert run["third"].generation != run["first"].generation
    x, y = original(plots.loss_raw_curve)
    h = run["history_third"]
    assert x.size == AFTER_RESET
    np.testing.assert_array_equal(y, h["metrics/loss"])
    assert original(plots.test_acc_curve)[0].size == 0  # no evaluation since the reset
    for name in run["weighted"]:
        xs, _ = original(plots.layer_curves[name])
        np.testing.assert_array_equal(xs, h["metrics/stats_step"])  # steps 1 and 5


def test_smoothed_curves_are_the_bias_corrected_ema(plots, run):
    feed(plots, run["first_metrics"])
    feed(plots, run["second_metrics"])  # smoothing continues across batches
    plots.flush()
    loss = run["history_second"]["metrics/loss"]
    beta = plots.smoothing
    m, expected = 0.0, []
    for t, v in enumerate(loss, start=1):
        m = beta * m + (1 - beta) * v
        expected.append(m / (1 - beta**t))
    _, smooth = original(plots.loss_smooth_curve)
    np.testing.assert_allclose(smooth, expected, rtol=1e-12)
    assert smooth[0] == pytest.approx(loss[0])
    # e.g. the third value by hand: (β²(1-β)x1 + β(1-β)x2 + (1-β)x3) / (1-β³)
    third = (1 - beta) * (beta**2 * loss[0] + beta * loss[1] + loss[2]) / (1 - beta**3)
    assert smooth[2] == pytest.approx(third)
    acc = run["history_second"]["metrics/train_accuracy"]
    _, acc_curve = original(plots.train_acc_curve)
    assert acc_curve.size == acc.size
    assert acc_curve[0] == pytest.approx(100 * acc[0])

    plots.set_smoothing(0.5)
    _, smooth = original(plots.loss_smooth_curve)
    assert smooth[1] == pytest.approx((0.25 * loss[0] + 0.5 * loss[1]) / 0.75)


def test_ema_matches_the_recursion_over_long_runs():
    x = np.random.default_rng(1).random(5000) * 4
    for beta in (0.3, 0.9, 0.99, 0.999):
        m, ref = 0.0, []
        for v in x:
            m = beta * m + (1 - beta) * v
            ref.append(m)
        np.testing.assert_allclose(ema(x, beta), ref, rtol=1e-10, atol=1e-12)
        s = Smoother(beta)
        parts = np.concatenate([s.extend(x[:7]), s.extend(x[7:2000]), s.extend(x[2000:])])
        t = np.arange(1, x.size + 1)
        np.testing.assert_allclose(parts, np.array(ref) / (1 - beta**t), rtol=1e-9)


def test_test_accuracy_points_sit_at_the_eval_steps(plots, run):
    feed(plots, run["first_metrics"])
    plots.flush()
    x, y = original(plots.test_acc_curve)
    h = run["history_first"]
    np.testing.assert_array_equal(x, [10, 20, 30])
    np.testing.assert_allclose(y, 100 * h["metrics/test_accuracy"])
    points = plots.test_acc_curve.scatter.points()  # drawn as points, one per evaluation
    assert [p.pos().x() for p in points] == [10, 20, 30]
    np.testing.assert_allclose([p.pos().y() for p in points], 100 * h["metrics/test_accuracy"])
    assert "at step 30" in plots.acc_panel.legend.text()


def test_one_gradient_curve_per_layer_with_weights(plots, run):
    feed(plots, run["first_metrics"])
    plots.flush()
    h = run["history_first"]
    assert plots.statistic == "grad_norm"
    shown = [n for n, c in plots.layer_curves.items() if c.isVisible()]
    assert shown == run["weighted"]
    colors = {plots.layer_curves[n].opts["pen"].color().name() for n in shown}
    assert len(colors) == len(shown)
    for name in shown:
        x, y = original(plots.layer_curves[name])
        np.testing.assert_array_equal(x, h["metrics/stats_step"])
        np.testing.assert_allclose(y, h[f"metrics/layer/{name}/grad_norm"])
        assert name in plots.layer_panel.legend.text()
    assert plots.layer_panel.plot.getPlotItem().getAxis("left").logMode

    # dead ReLU fraction: only layers followed by a ReLU have it, shown in % on a linear axis
    plots.set_statistic("dead_fraction")
    assert plots.stat_combo.currentData() == "dead_fraction"
    with_relu = [n for n in shown if f"metrics/layer/{n}/dead_fraction" in h]
    assert 0 < len(with_relu) < len(shown)
    assert [n for n, c in plots.layer_curves.items() if c.isVisible()] == with_relu
    _, y = original(plots.layer_curves[with_relu[0]])
    np.testing.assert_allclose(y, 100 * h[f"metrics/layer/{with_relu[0]}/dead_fraction"])
    assert not plots.layer_panel.plot.getPlotItem().getAxis("left").logMode


def test_hidden_plots_catch_up_when_shown(qtbot, run):
    w = TrainingPlots()
    qtbot.addWidget(w)
    feed(w, run["first_metrics"])  # hidden: data appended, curves untouched
    feed(w, run["second_metrics"])
    assert original(w.loss_raw_curve)[0].size == 0
    w.show()
    x, _ = original(w.loss_raw_curve)
    assert x.size == STEPS + MORE


def test_redraws_are_throttled_and_the_last_one_is_not_lost(plots, run, qtbot):
    feed(plots, run["first_metrics"])
    plots.flush()
    feed(plots, run["second_metrics"])  # right after a redraw: drawn a little later, by a timer
    assert original(plots.loss_raw_curve)[0].size == STEPS
    qtbot.waitUntil(lambda: original(plots.loss_raw_curve)[0].size == STEPS + MORE)


def test_x_axes_follow_the_steps_until_the_user_zooms(plots, run):
    feed(plots, run["first_metrics"])
    plots.flush()
    vb = plots.loss_panel.plot.getPlotItem().getViewBox()
    lo, hi = vb.viewRange()[0]
    assert lo <= 1 and STEPS <= hi <= 2 * STEPS
    assert plots.layer_panel.plot.getPlotItem().getViewBox().viewRange()[0] == [lo, hi]

    vb.setXRange(5, 10, padding=0)  # the user zooms in
    vb.sigRangeChangedManually.emit([True, False])
    feed(plots, run["second_metrics"])
    plots.flush()
    assert vb.viewRange()[0] == pytest.approx([5, 10])
    _, acc_hi = plots.acc_panel.plot.getPlotItem().getViewBox().viewRange()[0]
    assert acc_hi >= STEPS + MORE  # the other plots go on following

    vb.enableAutoRange(x=True)  # the "A" button: follow again
    plots.set_smoothing(plots.smoothing)  # (anything that redraws)
    lo, hi = vb.viewRange()[0]
    assert lo <= 1 and hi >= STEPS + MORE


def test_y_axes_fit_the_curves_and_move_only_in_jumps(plots, run):
    feed(plots, run["first_metrics"])
    plots.flush()
    vb = plots.loss_panel.plot.getPlotItem().getViewBox()
    y = original(plots.loss_raw_curve)[1]
    lo, hi = vb.viewRange()[1]
    assert lo <= y.min() and y.max() <= hi  # every loss in view
    assert hi - lo < 1.5 * (y.max() - y.min())  # and fitted, not loose
    assert not vb.autoRangeEnabled()[1]  # set by the plots, not by pyqtgraph each frame

    feed(plots, run["second_metrics"])
    plots.flush()
    y2 = original(plots.loss_raw_curve)[1]
    lo2, hi2 = vb.viewRange()[1]
    assert lo2 <= y2.min() and y2.max() <= hi2

    plots.loss_log.setChecked(True)  # log10 units on a log axis
    llo, lhi = vb.viewRange()[1]
    assert llo <= np.log10(y2.min()) and np.log10(y2.max()) <= lhi < np.log10(hi2) + 1


def test_y_range_moves_only_when_a_curve_leaves_it_or_fills_too_little_of_it(plots):
    panel, x = plots.loss_panel, np.arange(100.0)
    vb = panel.plot.getPlotItem().getViewBox()
    panel.x_range = (0.0, 100.0)
    for curve in (plots.loss_raw_curve, plots.loss_smooth_curve):
        curve.setData(x, np.linspace(2.0, 1.0, 100))
    plots._follow_values()
    first = vb.viewRange()[1]
    assert first[0] < 1.0 and 2.0 < first[1]
    plots.loss_raw_curve.setData(x, np.linspace(1.9, 1.1, 100))  # inside, fills > half
    plots._follow_values()
    assert vb.viewRange()[1] == first
    plots.loss_raw_curve.setData(x, np.linspace(2.5, 1.1, 100))  # leaves it
    plots._follow_values()
    assert vb.viewRange()[1][1] > 2.5
    for curve in (plots.loss_raw_curve, plots.loss_smooth_curve):  # fills too little
        curve.setData(x, np.linspace(1.2, 1.1, 100))
    plots._follow_values()
    lo, hi = vb.viewRange()[1]
    assert lo < 1.1 and 1.2 < hi < 1.3


def test_value_extent_reads_the_curves_in_view():
    import pyqtgraph as pg

    from cnnviz.app.panels.plots import value_extent

    c = pg.PlotDataItem(np.arange(10.0), np.array([5, 4, 3, 2, 1, 0.5, np.nan, 0.2, 0.1, 0.1]))
    assert value_extent([c], (0, 9.5), log=False) == (0.1, 5.0)
    assert value_extent([c], (4.5, 9.5), log=False) == (0.1, 0.5)  # only what is in view
    lo, hi = value_extent([c], (0, 9.5), log=True)
    assert (lo, hi) == pytest.approx((-1.0, np.log10(5)))
    assert value_extent([c], (20, 30), log=False) == (np.inf, -np.inf)


def test_wide_layout_puts_loss_and_accuracy_side_by_side(plots, qtbot):
    def top(panel):
        return panel.geometry().top()

    plots.resize(1400, 800)
    qtbot.waitUntil(lambda: plots._wide and top(plots.loss_panel) == top(plots.acc_panel))
    assert plots.acc_panel.geometry().left() > plots.loss_panel.geometry().right()
    assert top(plots.layer_panel) > top(plots.acc_panel)
    plots.resize(500, 700)
    qtbot.waitUntil(lambda: not plots._wide and top(plots.acc_panel) > top(plots.loss_panel))


def test_log_axis_labels_decades_only(plots):
    axis = plots.layer_panel.plot.getPlotItem().getAxis("left")
    assert isinstance(axis, LogFriendlyAxis) and axis.logMode  # ‖∂E/∂W‖ is shown in log
    levels = axis.tickValues(-3.2, 1.1, 300)
    majors = levels[0][1]
    assert majors == [-3.0, -2.0, -1.0, 0.0, 1.0]
    assert axis.tickStrings(majors, 1, 1) == ["0.001", "0.01", "0.1", "1", "10"]
    assert axis.tickStrings([-6.0, np.log10(2e5)], 1, 1) == ["10⁻⁶", "2·10⁵"]


# ---------------------------------------------------------------------- confusion view


@pytest.fixture
def confusion(qtbot, run):
    w = ConfusionView()
    qtbot.addWidget(w)
    ds = run["dataset"]
    w.set_test_labels(ds.test_labels)
    w.set_image_source(lambda i: ds.raw("test", i))
    w.resize(560, 700)
    w.show()
    return w


def test_confusion_cells_equal_the_counts(confusion, run):
    ev = run["first"].evaluation
    confusion.render(run["first"])
    np.testing.assert_array_equal(confusion.matrix.matrix, ev.confusion)
    assert confusion.matrix.names == list(run["first"].class_names)
    assert f"{100 * ev.accuracy:.1f} %" in confusion.title.text()
    assert f"step {ev.step}" in confusion.title.text()
    assert confusion.matrix.grab().width() > 0  # paints


def test_clicking_a_cell_lists_exactly_its_samples(confusion, run, qtbot):
    ev = run["first"].evaluation
    labels = run["dataset"].test_labels
    confusion.render(run["first"])
    off = ev.confusion.copy()
    np.fill_diagonal(off, 0)
    i, j = np.unravel_index(np.argmax(off), off.shape)
    assert off[i, j] > 0
    center = confusion.matrix.cell_rect(i, j).center().toPoint()
    qtbot.mouseClick(confusion.matrix, QtCore.Qt.MouseButton.LeftButton, pos=center)
    assert confusion.selected_cell == (i, j)
    expected = np.flatnonzero((labels == i) & (ev.predictions == j))
    np.testing.assert_array_equal(confusion.example_indices, expected)
    assert confusion.thumbnails.count() == min(expected.size, MAX_THUMBNAILS)
    items = [confusion.thumbnails.item(r) for r in range(confusion.thumbnails.count())]
    assert [it.data(QtCore.Qt.ItemDataRole.UserRole) for it in items] == expected.tolist()
    assert not items[0].icon().isNull()

    # a diagonal cell lists the correctly classified samples of that class
    confusion.select_cell(i, i)
    np.testing.assert_array_equal(
        confusion.example_indices, np.flatnonzero((labels == i) & (ev.predictions == i))
    )

    # a new evaluation refreshes the list of the selected cell
    confusion.select_cell(i, j)
    confusion.render(run["second"])
    ev2 = run["second"].evaluation
    np.testing.assert_array_equal(
        confusion.example_indices, np.flatnonzero((labels == i) & (ev2.predictions == j))
    )


def test_clicking_a_thumbnail_requests_that_example(confusion, run, qtbot):
    confusion.render(run["first"])
    ev = run["first"].evaluation
    i, j = np.unravel_index(np.argmax(ev.confusion), ev.confusion.shape)
    confusion.select_cell(i, j)
    assert confusion.thumbnails.count() >= 2
    item = confusion.thumbnails.item(1)
    rect = confusion.thumbnails.visualItemRect(item)
    with qtbot.waitSignal(confusion.exampleRequested, timeout=2000) as blocker:
        qtbot.mouseClick(
            confusion.thumbnails.viewport(), QtCore.Qt.MouseButton.LeftButton,
            pos=rect.center(),
        )  # fmt: skip
    assert blocker.args == [int(confusion.example_indices[1])]


def test_evaluate_button_and_empty_state(confusion, run, qtbot):
    confusion.render(replace(run["first"], evaluation=None, generation=99))
    assert "not evaluated" in confusion.title.text()
    assert confusion.matrix.matrix.size == 0
    with qtbot.waitSignal(confusion.evaluateRequested, timeout=2000):
        qtbot.mouseClick(confusion.evaluate_button, QtCore.Qt.MouseButton.LeftButton)


def test_confusion_renders_only_a_new_evaluation(confusion, run, monkeypatch):
    confusion.render(run["first"])
    calls = []
    monkeypatch.setattr(confusion.matrix, "set_data", lambda *a: calls.append(a))
    confusion.render(replace(run["first"], serial=12345))  # same evaluation object
    assert calls == []
    confusion.render(run["second"])  # a new evaluation
    assert len(calls) == 1
    monkeypatch.undo()
    confusion.select_cell(0, 1)
    confusion.clear()
    assert confusion.matrix.matrix.size == 0 and confusion.selected_cell is None
    confusion.render(run["second"])  # after clear() the same evaluation is drawn again
    np.testing.assert_array_equal(confusion.matrix.matrix, run["second"].evaluation.confusion)


# ---------------------------------------------------------------------- sample panel


@pytest.fixture
def panel(qtbot):
    w = SamplePanel()
    qtbot.addWidget(w)
    w.resize(400, 700)
    w.show()
    return w


def test_sample_panel_bars_equal_the_probabilities(panel, run):
    snap = run["second"]
    panel.render(snap)
    np.testing.assert_allclose(panel.bars.values, snap.probabilities)
    assert panel.bars.true_class == snap.sample_label
    assert panel.bars.predicted == int(np.argmax(snap.probabilities))
    assert panel.bars.names == list(snap.class_names)
    assert "training batch" in panel.source_label.text()
    assert f"train #{snap.sample_index}" in panel.source_label.text()
    assert f"step {snap.step}" in panel.status_label.text()
    assert snap.class_names[snap.sample_label] in panel.result_label.text()
    shown = panel.image.image()  # the traced sample, pixel for pixel
    grey = [[QtGui.qGray(shown.pixel(x, y)) for x in range(shown.width())] for y in range(28)]
    np.testing.assert_array_equal(grey, to_uint8(snap.sample_image)[0])
    assert panel.sample_spin.suffix() == f" of {snap.batch_size}"
    assert panel.grab().width() > 0


def test_sample_spin_box_emits_sample_changed(panel, run, qtbot):
    snap = run["second"]
    panel.render(snap)
    assert panel.sample_spin.value() == snap.view.sample + 1
    with qtbot.waitSignal(panel.sampleChanged, timeout=2000) as blocker:
        panel.sample_spin.setValue(4)
    assert blocker.args == [3]  # shown 1-based, emitted 0-based
    panel.render(snap)  # a snapshot older than the choice does not undo it
    assert panel.sample_spin.value() == 4
    with qtbot.assertNotEmitted(panel.sampleChanged):
        panel.render(replace(snap, view=replace(snap.view, sample=3)))


def test_test_sample_request_and_probe(panel, run, qtbot):
    panel.render(run["second"])
    panel.test_spin.setValue(17)
    with qtbot.waitSignal(panel.testSampleRequested, timeout=2000) as blocker:
        qtbot.mouseClick(panel.test_button, QtCore.Qt.MouseButton.LeftButton)
    assert blocker.args == [17]
    assert panel.random_button.isEnabled()  # the test-set size is known from the evaluation
    with qtbot.waitSignal(panel.testSampleRequested, timeout=2000) as blocker:
        qtbot.mouseClick(panel.random_button, QtCore.Qt.MouseButton.LeftButton)
    assert 0 <= blocker.args[0] < run["dataset"].test_labels.size


def test_sample_panel_shows_a_probed_test_sample(panel, run):
    s = run["session"]
    s.probe("test", 7)
    snap = s.snapshot_now()
    panel.render(snap)
    assert "test set" in panel.source_label.text() and "#7" in panel.source_label.text()
    assert panel.bars.true_class == int(run["dataset"].test_labels[7])
    assert not panel.sample_spin.isEnabled()
    assert panel.test_spin.value() == 7


def test_images_convert_crisply():
    grey = np.arange(6, dtype=np.uint8).reshape(1, 2, 3)
    img = to_qimage(grey)
    assert (img.width(), img.height()) == (3, 2)
    assert img.pixelColor(2, 1).red() == 5
    rgb = np.zeros((3, 4, 5), np.uint8)
    rgb[0] = 200
    img = to_qimage(rgb)
    assert img.pixelColor(4, 3).red() == 200 and img.pixelColor(4, 3).blue() == 0
    np.testing.assert_array_equal(to_uint8(np.array([0.0, 0.5, 1.0])), [0, 128, 255])
    np.testing.assert_array_equal(to_uint8(np.array([-1.0, 1.0])), [0, 255])


def test_piecewise_drawing_draws_one_panel_per_tick_and_loses_nothing(plots, run, qtbot):
    plots.piecewise = True
    plots.max_fps = 1e9
    feed(plots, run["first_metrics"])
    qtbot.wait(200)
    assert original(plots.loss_raw_curve)[0].size == 0  # only ever on the window's clock
    assert plots.piece_due()
    plots.draw_piece()  # one panel per call: the loss first
    assert original(plots.loss_raw_curve)[0].size == STEPS
    assert original(plots.train_acc_curve)[0].size == 0
    assert plots.piece_due()
    plots.draw_piece()  # then the accuracy
    assert original(plots.train_acc_curve)[0].size == STEPS
    assert not any(c.xData is not None and len(c.xData) for c in plots.layer_curves.values())
    plots.draw_piece()  # then the layer statistics, and the round is over
    assert any(c.xData is not None and len(c.xData) for c in plots.layer_curves.values())
    assert not plots.piece_due()
    plots.max_fps = 1.0  # new data: due only a second after the last round began
    feed(plots, run["second_metrics"])
    assert not plots.piece_due()
    plots._last_flush -= 1.0
    assert plots.piece_due()
    plots.draw_piece()
    assert original(plots.loss_raw_curve)[0].size == STEPS + MORE
    plots.piecewise = False
    plots.flush()  # whatever a round had pending is drawn too
    assert original(plots.loss_raw_curve)[0].size == STEPS + MORE
    assert original(plots.train_acc_curve)[0].size == STEPS + MORE


def test_a_flat_loss_curve_gets_a_readable_y_range(make_window, qtbot):
    """After one step the raw and smoothed losses are one value (a rounding apart): the axis
    spans a readable range around it, not ticks 1e-15 apart."""
    from helpers import wait_for

    w = make_window(arch="lenet5")
    w.step_batch()
    wait_for(qtbot, w, lambda s: s.step == 1)
    panel = w.plots.loss_panel
    qtbot.waitUntil(lambda: panel.y_range is not None, timeout=10_000)
    lo, hi = panel.plot.getPlotItem().getViewBox().viewRange()[1]
    loss = w.snapshot.loss
    assert lo < loss < hi and hi - lo > 0.05 * loss
