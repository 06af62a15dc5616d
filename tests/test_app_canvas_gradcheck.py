"""The drawing canvas fed to a trained network, and the gradient-check panel checked against
``cnnviz gradcheck`` and a deliberately broken backward pass."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import time  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PySide6 import QtCore, QtGui, QtWidgets  # noqa: E402

from cnnviz import cli  # noqa: E402
from cnnviz.app.panels.draw import MAX_RATE, DrawCanvas  # noqa: E402
from cnnviz.app.panels.gradient_check import GradCheckPanel  # noqa: E402
from cnnviz.commands.gradcheck import THRESHOLDS  # noqa: E402
from cnnviz.datasets import load_dataset  # noqa: E402
from cnnviz.engine import Dense  # noqa: E402
from cnnviz.lessons.drawing import centre_of_mass, normalise  # noqa: E402
from cnnviz.lessons.gradient_table import THRESHOLD, run_gradient_check  # noqa: E402
from cnnviz.live.session import Session  # noqa: E402
from cnnviz.training.trainer import Hyperparameters, Trainer  # noqa: E402

LEFT = QtCore.Qt.MouseButton.LeftButton


@pytest.fixture(scope="module")
def digits():
    return load_dataset("synthetic-digits")


@pytest.fixture(scope="module")
def trained(digits):
    """``tiny`` trained for a couple of hundred steps (about 85 % on the test set)."""
    trainer = Trainer.create("tiny", digits, Hyperparameters(batch_size=32, seed=2))
    trainer.run(max_steps=200)
    return trainer


@pytest.fixture
def canvas(qtbot):
    c = DrawCanvas()
    qtbot.addWidget(c)
    c.resize(820, 520)
    c.show()
    qtbot.waitExposed(c)
    return c


def draw(qtbot, pad, points):
    """One stroke through ``points`` given as fractions of the pad's square, by mouse."""
    sq = pad.square()

    def at(p):
        return QtCore.QPoint(
            round(sq.left() + p[0] * sq.width()), round(sq.top() + p[1] * sq.height())
        )

    qtbot.mousePress(pad, LEFT, pos=at(points[0]))
    for p in points[1:]:
        qtbot.mouseMove(pad, at(p))
    qtbot.mouseRelease(pad, LEFT, pos=at(points[-1]))


def vertical_one(n=12):
    return [(0.52 - 0.04 * t, 0.12 + 0.76 * t) for t in np.linspace(0, 1, n)]


def circle_zero(n=40):
    t = np.linspace(0, 2 * np.pi, n)
    return list(zip(0.5 + 0.24 * np.cos(t), 0.5 + 0.36 * np.sin(t), strict=True))


def settled(qtbot, canvas, got):
    """Wait for the emission of the drawing as it is now; return (image, label)."""
    qtbot.waitUntil(lambda: bool(got) and np.array_equal(got[-1][0], canvas.image()), timeout=3000)
    return got[-1]


# ------------------------------------------------------------------------------- canvas
def test_mouse_strokes_change_the_emitted_image(qtbot, canvas):
    got = []
    canvas.imageReady.connect(lambda img, label: got.append((img, label)))
    assert canvas.is_live() and canvas.pad.empty
    canvas.set_label(3)
    draw(qtbot, canvas.pad, vertical_one())
    first, label = settled(qtbot, canvas, got)
    assert label == 3 and first.shape == (1, 28, 28) and first.dtype == np.uint8
    assert first.max() == 255
    cy, cx = centre_of_mass(first[0])
    assert abs(cy - 13.5) <= 1 and abs(cx - 13.5) <= 1
    shown = canvas.preview.image()  # the preview is what is sent, pixel for pixel
    grey = [[QtGui.qGray(shown.pixel(x, y)) for x in range(shown.width())] for y in range(28)]
    np.testing.assert_array_equal(grey, first[0])

    draw(qtbot, canvas.pad, [(0.2, 0.3), (0.8, 0.3)])  # a bar across: a "7"-ish shape
    second, _ = settled(qtbot, canvas, got)
    assert not np.array_equal(first, second)

    canvas.undo()
    undone, _ = settled(qtbot, canvas, got)
    np.testing.assert_array_equal(undone, first)
    canvas.clear()
    blank, _ = settled(qtbot, canvas, got)
    assert not blank.any() and canvas.pad.empty


def test_live_emissions_are_throttled_and_the_button_always_sends(qtbot, canvas):
    got = []
    canvas.imageReady.connect(lambda img, label: got.append((time.monotonic(), img)))
    t0 = time.monotonic()
    for k in range(4):  # four strokes of many small moves, with the event loop running
        draw(qtbot, canvas.pad, circle_zero(30) if k % 2 == 0 else vertical_one(30))
        qtbot.wait(40)
    qtbot.waitUntil(lambda: bool(got) and np.array_equal(got[-1][1], canvas.image()))
    elapsed = time.monotonic() - t0
    assert 1 <= len(got) <= elapsed * MAX_RATE + 2
    gaps = np.diff([t for t, _ in got])
    assert (gaps >= 1 / MAX_RATE - 0.01).all()

    canvas.set_live(False)
    n = len(got)
    draw(qtbot, canvas.pad, [(0.1, 0.9), (0.9, 0.9)])
    qtbot.wait(150)
    assert len(got) == n  # not live: nothing sent while drawing
    with qtbot.waitSignal(canvas.imageReady, timeout=1000) as sent:
        qtbot.mouseClick(canvas.run_button, LEFT)
    image, label = sent.args
    np.testing.assert_array_equal(image, canvas.image())
    assert label == canvas.label()


def test_a_drawn_one_and_zero_get_different_predictions(qtbot, canvas, trained, digits):
    session = Session(trained)  # no thread: commands run in snapshot_now
    got = []
    canvas.imageReady.connect(lambda img, label: got.append((img, label)))

    def predict(points, label):
        canvas.clear()
        canvas.set_label(label)
        draw(qtbot, canvas.pad, points)
        image, lab = settled(qtbot, canvas, got)
        session.probe_image(normalise(image, digits.normalization), lab)
        snap = session.snapshot_now()
        assert snap.sample_source == "drawn" and snap.sample_label == label
        np.testing.assert_array_equal(snap.sample_image, normalise(image, digits.normalization))
        assert snap.inspector is not None and snap.inspector.grads  # δ and ∂E/∂W of the drawing
        canvas.render(snap)
        return int(np.argmax(snap.probabilities)), snap

    one, snap1 = predict(vertical_one(), 1)
    zero, snap0 = predict(circle_zero(), 0)
    assert one != zero
    assert "network says" in canvas.prediction_label.text()
    assert not np.array_equal(snap1.maps[1], snap0.maps[1])  # C1's maps follow the input


def test_pen_pressure_sets_the_width(qtbot, canvas):
    pad = canvas.pad
    pen = QtGui.QPointingDevice(
        "test pen", 7, QtGui.QInputDevice.DeviceType.Stylus,
        QtGui.QPointingDevice.PointerType.Pen,
        QtGui.QInputDevice.Capability.Position | QtGui.QInputDevice.Capability.Pressure, 1, 3,
    )  # fmt: skip
    sq = pad.square()

    def stroke(y, pressure):
        for kind, x in ((QtCore.QEvent.Type.TabletPress, 0.1), (QtCore.QEvent.Type.TabletMove,
                        0.9), (QtCore.QEvent.Type.TabletRelease, 0.9)):  # fmt: skip
            pos = QtCore.QPointF(sq.left() + x * sq.width(), sq.top() + y * sq.height())
            event = QtGui.QTabletEvent(
                kind, pen, pos, pad.mapToGlobal(pos), pressure, 0.0, 0.0, 0.0, 0.0, 0.0,
                QtCore.Qt.KeyboardModifier.NoModifier, LEFT, LEFT,
            )  # fmt: skip
            QtWidgets.QApplication.sendEvent(pad, event)
            assert event.isAccepted()

    stroke(0.25, 0.15)
    stroke(0.75, 1.0)
    column = pad.ink[:, pad.resolution // 2] > 0.5
    half = pad.resolution // 2
    light, firm = column[:half].sum(), column[half:].sum()
    assert 0 < light < 0.6 * firm  # radius × (0.35 + 0.65 · pressure)


def test_canvas_follows_the_network(qtbot, canvas):
    class Stage:
        out_shape = (3, 32, 32)

    class Snap:
        stages = [Stage()]
        class_names = ("circle", "square", "triangle")
        probabilities = None
        sample_source = "batch"
        sample_label = None
        serial = 1

    canvas.render(Snap())
    assert canvas.input_shape() == (3, 32, 32)
    assert [canvas.label_combo.itemText(i) for i in range(4)] == [
        "predicted class",
        "0: circle",
        "1: square",
        "2: triangle",
    ]
    draw(qtbot, canvas.pad, circle_zero())
    assert canvas.image().shape == (3, 32, 32)


# ------------------------------------------------------------------------------- gradcheck
def cli_rows(capsys, arch, seed):
    assert cli.main(["gradcheck", "--arch", arch, "--seed", str(seed)]) == 0
    lines = capsys.readouterr().out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:1] == ["parameter"]) + 1
    return [tuple(line.split()) for line in lines[start:] if not line.lstrip().startswith("max")]


def test_report_agrees_with_cnnviz_gradcheck(qtbot, capsys, digits, trained):
    assert THRESHOLD == THRESHOLDS["float64"]
    seed = 3
    # the same float64 weights and the noise input of `cnnviz gradcheck --seed 3`: same numbers
    twin = Trainer.create("tiny", digits, Hyperparameters(seed=seed), dtype="float64")
    report = run_gradient_check(twin, source="noise", seed=seed, parameters=True)
    expected = cli_rows(capsys, "tiny", seed)
    panel = GradCheckPanel()
    qtbot.addWidget(panel)
    panel.show_report(report)
    assert panel.table_rows() == expected  # the CLI's table, cell by cell
    assert [f"{r.error:.2e}" for r in report.rows] == [e[3] for e in expected]

    # the trained float32 network on its current batch: the same order of magnitude
    live = run_gradient_check(trained, entries=12, seed=seed)
    assert live.source == "batch" and live.ok and live.recheck_eps is None
    assert [r.key for r in live.rows] == [e[0] for e in expected]
    assert all(r.error < 1e-6 for r in live.rows) and all(float(e[3]) < 1e-6 for e in expected)
    assert live.filter is not None and live.filter.failed_entries == 0


def test_a_broken_backward_fails(qtbot, monkeypatch, trained):
    original = Dense._backward

    def off_by_one_percent(self, dy, need_dx):
        dx = original(self, dy, need_dx)
        return None if dx is None else dx * 1.01

    monkeypatch.setattr(Dense, "_backward", off_by_one_percent)
    report = run_gradient_check(trained, batch_size=2, entries=8, layer="C1", filter=1)
    verdicts = {r.key: r.ok for r in report.rows}
    assert not report.ok
    # below the dense layer every gradient is 1 % off; the dense layer's own ones are right
    assert not verdicts["C1.weight"] and not verdicts["C3.weight"] and not verdicts["input"]
    assert verdicts["F5.weight"] and verdicts["F5.bias"]
    bad = [r for r in report.rows if not r.ok]
    assert all(4e-3 < r.error < 6e-3 for r in bad)  # |1.01 − 1| / 2.01
    assert all(r.recheck is not None and not r.round_off for r in bad)  # not round-off
    fc = report.filter
    assert (fc.layer, fc.index) == ("C1", 1) and fc.failed_entries > 0

    panel = GradCheckPanel()
    qtbot.addWidget(panel)
    panel.show_report(report)
    rows = {row[0]: row for row in panel.table_rows()}
    assert rows["C1.weight"][4] == "FAIL" and rows["F5.weight"][4] == "OK"
    assert "disagrees" in panel.verdict.text()


def test_the_live_network_is_untouched(digits):
    def make():
        tr = Trainer.create("tiny", digits, Hyperparameters(batch_size=16, seed=5))
        tr.run(max_steps=3)
        for _ in range(5):  # a step under way: forward done, loss, backward begun
            tr.step_phase()
        return tr

    trainer, twin = make(), make()
    net = trainer.net
    params = {k: p.copy() for k, p, _ in net.named_params()}
    grads = {k: g.copy() for k, _, g in net.named_params()}
    traces = [layer.save_trace() for layer in net.layers]
    trace_values = [[None if a is None else np.array(a) for a in t] for t in traces]
    loss_state = dict(vars(net.loss))
    velocity = {k: v.copy() for k, v in trainer.optimizer.velocity.items()}
    position = (trainer.step, trainer.current.position, trainer.current.next_phase)

    report = run_gradient_check(trainer, batch_size=3, entries=8, layer="C3", filter=2)
    assert report.source == "batch" and report.batch_size == 3

    for k, p, g in net.named_params():
        np.testing.assert_array_equal(p, params[k], err_msg=k)
        np.testing.assert_array_equal(g, grads[k], err_msg=k)
    for layer, before, values in zip(net.layers, traces, trace_values, strict=True):
        now = layer.save_trace()
        assert all(a is b for a, b in zip(now, before, strict=True)), layer.name
        for a, v in zip(now, values, strict=True):
            if a is not None:
                np.testing.assert_array_equal(a, v, err_msg=layer.name)
    assert vars(net.loss).keys() == loss_state.keys()
    assert all(vars(net.loss)[k] is v for k, v in loss_state.items())
    for k, v in trainer.optimizer.velocity.items():
        np.testing.assert_array_equal(v, velocity[k])
    assert (trainer.step, trainer.current.position, trainer.current.next_phase) == position
    assert net.dtype == np.float32 and not net.input_grad

    # a given image (a drawing) instead of the batch: still nothing touched
    image = digits.batch("test", np.array([7]))[0]
    drawn = run_gradient_check(trainer, x=image, labels=[3], parameters=False)
    assert (drawn.source, drawn.batch_size, drawn.rows) == ("given", 1, [])
    assert drawn.input_text() == "1 sample given" and drawn.filter.layer == "C1"
    for k, p, _ in net.named_params():
        np.testing.assert_array_equal(p, params[k], err_msg=k)

    # and training goes on exactly as it would have without the check
    for tr in (trainer, twin):
        tr.run(max_steps=3)
    for (k, p, _), (_, q, _) in zip(
        trainer.net.named_params(), twin.net.named_params(), strict=True
    ):
        np.testing.assert_array_equal(p, q, err_msg=k)


def test_panel_requests_a_check_and_shows_the_report(qtbot, trained):
    session = Session(trained)  # no thread: snapshot_now runs the posted calls
    panel = GradCheckPanel()
    qtbot.addWidget(panel)
    panel.resize(1400, 700)
    panel.show()
    panel.render(session.snapshot_now())
    assert panel.filter_combo.count() == 4 + 8  # tiny: C1 has 4 filters, C3 8
    reports = []
    panel.runRequested.connect(
        lambda opts: session.call(lambda tr: reports.append(run_gradient_check(tr, **opts)))
    )
    panel.entries_spin.setValue(10)
    panel.filter_combo.setCurrentIndex(4 + 6)  # C3, filter 7
    with qtbot.waitSignal(panel.runRequested) as asked:
        qtbot.mouseClick(panel.run_button, LEFT)
    options = asked.args[0]
    assert options == {"source": "batch", "batch_size": 4, "entries": 10, "seed": 0,
                       "layer": "C3", "filter": 6, "parameters": True}  # fmt: skip
    assert not panel.run_button.isEnabled()  # busy until the report comes back
    session.snapshot_now()
    (report,) = reports
    panel.show_report(report)
    assert panel.run_button.isEnabled()
    assert panel.table.rowCount() == len(report.rows) == 7
    shown = panel.heatmap_data()
    fc = report.filter
    assert (fc.layer, fc.index) == ("C3", 6) and fc.analytic.shape == (4, 3, 3)
    np.testing.assert_array_equal(shown["analytic"], fc.analytic)
    np.testing.assert_array_equal(shown["numeric"], fc.numeric)
    np.testing.assert_array_equal(shown["error"], fc.error)
    assert "filter 7 of 8" in panel.filter_info.text()
    panel.grab()  # paints

    # another filter: only the heatmaps are checked again, the table stays
    table = panel.table_rows()
    panel.filter_combo.setCurrentIndex(1)
    with qtbot.waitSignal(panel.runRequested) as asked:
        panel.filter_combo.activated.emit(1)
    assert asked.args[0]["parameters"] is False and asked.args[0]["layer"] == "C1"
    session.snapshot_now()
    panel.show_report(reports[-1])
    assert reports[-1].rows == [] and panel.table_rows() == table
    np.testing.assert_array_equal(panel.heatmap_data()["analytic"], reports[-1].filter.analytic)


def test_the_paper_starts_at_the_top_of_a_tall_pad(canvas, qtbot):
    """In a tall tab (a projector's, in presentation mode) the paper is not centred down out of
    sight: it starts at the top, level with the column beside it."""
    canvas.resize(700, 1400)
    qtbot.waitUntil(lambda: canvas.pad.height() > canvas.pad.width() + 100)
    sq = canvas.pad.square()
    assert sq.top() <= 2 and sq.width() == sq.height() >= canvas.pad.width() - 4
    assert abs(sq.center().x() - canvas.pad.width() / 2) <= 1
