"""The real main window shows one coherent picture and can step back: the label belongs to
the image shown, every panel names the same sample, Undo and Resume from here are exact, the
epoch end stays, Draw's target is the predicted class, Open checks the file before asking."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QInputDialog, QMessageBox  # noqa: E402

from cnnviz.app import actions  # noqa: E402
from cnnviz.app.main import start_spec  # noqa: E402
from cnnviz.app.window import MainWindow  # noqa: E402
from cnnviz.datasets import load_dataset  # noqa: E402
from cnnviz.live.remote import RemoteSession  # noqa: E402
from cnnviz.live.snapshot import sample_wording  # noqa: E402
from cnnviz.training.trainer import Hyperparameters  # noqa: E402

TIMEOUT = 30_000


@pytest.fixture
def make_window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("CNNVIZ_SETTINGS", str(tmp_path / "settings.ini"))
    monkeypatch.setenv("CNNVIZ_NO_PROMPT", "1")
    windows = []

    def make(hp: Hyperparameters | None = None) -> MainWindow:
        remote = RemoteSession(
            start_spec("tiny", "synthetic-digits", None, None, hp), in_process=True
        )
        w = MainWindow(arch="tiny", remote=remote)
        qtbot.addWidget(w)
        w.resize(1400, 900)
        w.show()
        qtbot.waitExposed(w)
        qtbot.waitUntil(lambda: w.session is not None, timeout=TIMEOUT)
        qtbot.waitUntil(lambda: w.snapshot is not None, timeout=TIMEOUT)
        w.activateWindow()
        qtbot.waitUntil(w.isActiveWindow, timeout=TIMEOUT)
        windows.append(w)
        return w

    yield make
    for w in windows:
        w.close()


@pytest.fixture(scope="module")
def digits():
    return load_dataset("synthetic-digits")


def wait_for(qtbot, w, cond):
    qtbot.waitUntil(lambda: w.snapshot is not None and cond(w.snapshot), timeout=TIMEOUT)


def state(w) -> dict:
    return w.session.request_sync("state")


def press(qtbot, w, key, modifier=Qt.NoModifier, until=None):
    serial = w.snapshot.serial
    qtbot.keyClick(w, key, modifier)
    wait_for(qtbot, w, until or (lambda s: s.serial > serial))


def test_the_label_belongs_to_the_image_through_a_batch_boundary(make_window, qtbot, digits):
    w = make_window()
    press(qtbot, w, Qt.Key_Right, until=lambda s: s.step == 1)
    phases = len(w.snapshot.phases)
    for i in range(phases + 3):  # through the update and the next batch's forward phases
        position = (i + 1) % phases
        press(qtbot, w, Qt.Key_Right, Qt.ShiftModifier,
              until=lambda s, p=position: s.phase_position == p)  # fmt: skip
        snap = w.snapshot
        assert snap.sample_label == int(digits.train_labels[snap.sample_index])
        text = w.sample_panel.result_label.text()
        names = snap.class_names
        assert f"label <b>{names[snap.sample_label]}</b>" in text
        if snap.phase_position and snap.probabilities is None:  # forward: no prediction yet
            assert "predicted" not in text


def test_every_panel_names_the_same_sample(make_window, qtbot):
    w = make_window()
    press(qtbot, w, Qt.Key_Right, until=lambda s: s.step == 1)
    w.select_sample(3)
    wait_for(qtbot, w, lambda s: s.view.sample == 3)
    snap = w.snapshot
    name = sample_wording(snap)
    assert name.startswith("sample 4 of ")
    w.draw_whole(snap)
    assert name in w.sample_panel.source_label.text()
    assert w.inspector.subtitle.text() == name
    w.show_tab(w.rules)
    wait_for(qtbot, w, lambda s: s.explanation is not None or s.view.explain)
    w.draw_whole(w.snapshot)
    assert name in w.rules._header


def test_undo_twenty_batches_then_step_again_is_bit_identical(make_window, qtbot):
    w = make_window()
    states = [state(w)]
    for k in range(1, 23):
        press(qtbot, w, Qt.Key_Right, until=lambda s, k=k: s.step == k)
        states.append(state(w))
    for k in range(21, 1, -1):
        press(qtbot, w, Qt.Key_Left, until=lambda s, k=k: s.step == k)
        assert_same(state(w), states[k])
    for k in range(3, 23):
        press(qtbot, w, Qt.Key_Right, until=lambda s, k=k: s.step == k)
    assert_same(state(w), states[22])
    qtbot.waitUntil(lambda: len(w.plots.loss.data) == 22, timeout=TIMEOUT)
    np.testing.assert_array_equal(w.plots.loss.data, states[22]["metrics"]["metrics/loss"])


def test_ctrl_z_undoes_phases_exactly(make_window, qtbot):
    w = make_window()
    press(qtbot, w, Qt.Key_Right, until=lambda s: s.step == 1)
    before = state(w)
    for p in range(1, 4):
        press(qtbot, w, Qt.Key_Right, Qt.ShiftModifier, until=lambda s, p=p: s.phase_position == p)
    for p in range(2, -1, -1):
        press(qtbot, w, Qt.Key_Z, Qt.ControlModifier, until=lambda s, p=p: s.phase_position == p)
    assert w.snapshot.step == 1
    assert_same(state(w), before)


def assert_same(a: dict, b: dict) -> None:
    assert (a["step"], a["epoch"], a["sample_in_epoch"]) == (b["step"], b["epoch"],
                                                             b["sample_in_epoch"])  # fmt: skip
    for group in ("weights", "optimizer", "metrics"):
        assert a[group].keys() == b[group].keys()
        for k in a[group]:
            np.testing.assert_array_equal(a[group][k], b[group][k], err_msg=f"{group} {k}")


def test_resume_from_a_timeline_entry(make_window, qtbot):
    w = make_window()
    states = {}
    for k in range(1, 13):
        press(qtbot, w, Qt.Key_Right, until=lambda s, k=k: s.step == k)
        states[k] = state(w)
    w.show_tab(w.timeline_view)
    tl = w.timeline_view
    qtbot.waitUntil(lambda: tl.shown_step() is not None, timeout=TIMEOUT)
    steps = list(tl._steps)
    target = max(s for s in steps if s < 12)
    tl.slider.setValue(steps.index(target))
    qtbot.waitUntil(tl.resume_button.isEnabled, timeout=TIMEOUT)
    tl.resume_button.click()
    wait_for(qtbot, w, lambda s: s.step == target)
    assert_same(state(w), states[target])
    press(qtbot, w, Qt.Key_Right, until=lambda s: s.step == target + 1)
    assert_same(state(w), states[target + 1])


def test_the_epoch_end_stays_and_more_epochs_are_asked_for(make_window, qtbot, monkeypatch):
    w = make_window(Hyperparameters(batch_size=1000, epochs=1))  # 16 steps
    qtbot.keyClick(w, Qt.Key_Space)
    wait_for(qtbot, w, lambda s: s.finished and not s.running)
    assert "training finished after epoch 1 ·" in w.status_phase.text()
    assert "paused · η = 0.01" in w.status.rate.text()  # constant: no schedule named
    asked = []
    monkeypatch.setattr(QInputDialog, "getInt", lambda *a, **k: (asked.append(a), (0, False))[1])
    qtbot.keyClick(w, Qt.Key_Right)  # cancelled: nothing happens, the count stays 1/1
    assert asked and w.snapshot.epochs == 1 and w.snapshot.step == 16
    monkeypatch.setattr(QInputDialog, "getInt", lambda *a, **k: (2, True))
    press(qtbot, w, Qt.Key_Right, until=lambda s: s.step == 17)
    assert w.snapshot.epochs == 3 and not w.snapshot.finished
    assert "epoch 2/3" in w.status_phase.text()
    w.reset()
    wait_for(qtbot, w, lambda s: s.step == 0)
    assert w.snapshot.epochs == 1


def test_draw_targets_the_predicted_class_until_one_is_picked(make_window, qtbot):
    w = make_window()
    canvas = w.canvas
    assert canvas.label() == -1 and canvas.label_combo.currentText() == actions_target()
    image = np.zeros(canvas.image().shape, dtype=np.uint8)
    image[0, 6:22, 12:16] = 255  # a stroke
    w.panels["canvas"].probe_drawing(image, canvas.label())
    wait_for(qtbot, w, lambda s: s.sample_source == "drawn" and s.probabilities is not None)
    snap = w.snapshot
    assert snap.sample_label == int(np.argmax(snap.probabilities))
    canvas.set_label(7)
    assert canvas.label() == 7


def actions_target() -> str:
    from cnnviz.app.panels.draw import AUTO_TARGET

    return AUTO_TARGET


def test_open_refuses_a_bad_file_without_asking(make_window, qtbot, tmp_path, monkeypatch):
    w = make_window()
    press(qtbot, w, Qt.Key_Right, until=lambda s: s.step == 1)
    bad = tmp_path / "broken.cnnviz.npz"
    bad.write_bytes(b"not a model")
    monkeypatch.delenv("CNNVIZ_NO_PROMPT")
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a))
    w.open_model(str(bad))
    assert not asked
    assert w.last_error and "broken.cnnviz.npz" in w.last_error
    assert w.error_box.isVisible()
    w.error_box.accept()
    qtbot.waitUntil(lambda: not w.error_box.isVisible(), timeout=TIMEOUT)
    assert w.snapshot.step == 1
    monkeypatch.setenv("CNNVIZ_NO_PROMPT", "1")  # closing at the end asks nothing


def test_the_undo_button_is_on_the_toolbar(make_window):
    w = make_window()
    assert w.act_undo in w.findChildren(type(w.act_undo))
    assert actions.keys_text(w.act_undo)


def test_the_enlarged_map_follows_the_focused_sample_and_closes(make_window, qtbot):
    w = make_window()
    press(qtbot, w, Qt.Key_Right, until=lambda s: s.step == 1)
    w.show_tab(w.inspector)
    wait_for(qtbot, w, lambda s: s.inspector is not None)
    w.draw_whole(w.snapshot)
    w.inspector.enlarge("activation", 0)
    zoom = w.inspector.zoom
    assert zoom.isVisible()
    first = np.array(zoom.grid.data, copy=True)
    w.select_sample(5)
    wait_for(qtbot, w, lambda s: s.view.sample == 5 and s.inspector is not None)
    w.draw_whole(w.snapshot)
    expected = w.snapshot.inspector.maps["activation"][0]
    np.testing.assert_array_equal(np.asarray(zoom.grid.data).reshape(expected.shape), expected)
    assert not np.array_equal(first, zoom.grid.data)
    zoom.close_button.click()
    assert not zoom.isVisible()


def test_each_layer_keeps_its_scroll_position(make_window, qtbot):
    w = make_window()
    w.resize(1000, 600)
    press(qtbot, w, Qt.Key_Right, until=lambda s: s.step == 1)
    w.show_tab(w.inspector)
    bar = w.inspector.scroll.verticalScrollBar()

    def show_stage(i):
        w.select_stage(i)
        wait_for(qtbot, w, lambda s: s.inspector is not None and s.inspector.stage.index == i)
        w.draw_whole(w.snapshot)
        qtbot.wait(20)

    show_stage(1)
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=TIMEOUT)
    bar.setValue(bar.maximum())
    down = bar.value()
    show_stage(2)
    bar.setValue(0)
    show_stage(1)
    qtbot.waitUntil(lambda: bar.value() == down, timeout=TIMEOUT)
    show_stage(2)
    qtbot.waitUntil(lambda: bar.value() == 0, timeout=TIMEOUT)


def test_after_open_the_model_is_drawn_at_once(make_window, qtbot, tmp_path):
    w = make_window()
    for k in range(1, 4):
        press(qtbot, w, Qt.Key_Right, until=lambda s, k=k: s.step == k)
    path = str(tmp_path / "m.cnnviz.npz")
    assert w.save_to(path, wait=True)
    w.open_model(path)
    wait_for(qtbot, w, lambda s: s.model_path == path and s.generation > 0)
    snap = w.snapshot
    assert snap.step == 3 and snap.batch_size == 1 and snap.sample_image is not None
    assert all(m is not None for m in snap.maps)  # every stage's map is there
    assert snap.evaluation is not None  # the confusion matrix too
    assert snap.sample_label is not None and snap.probabilities is not None


def test_ctrl_z_after_stepping_phases_goes_back_a_phase_across_the_batch_boundary(
    make_window, qtbot
):
    w = make_window()
    press(qtbot, w, Qt.Key_Right, until=lambda s: s.step == 1)
    phases = len(w.snapshot.phases)
    for p in range(1, phases):
        press(qtbot, w, Qt.Key_Right, Qt.ShiftModifier, until=lambda s, p=p: s.phase_position == p)
    before_update = state(w)
    press(qtbot, w, Qt.Key_Right, Qt.ShiftModifier, until=lambda s: s.step == 2)
    press(qtbot, w, Qt.Key_Z, Qt.ControlModifier, until=lambda s: s.phase_position == phases - 1)
    assert w.snapshot.step == 1
    assert_same(state(w), before_update)


def test_the_timeline_follows_a_sample_loaded_from_elsewhere(make_window, qtbot, digits):
    w = make_window()
    for k in range(1, 3):
        press(qtbot, w, Qt.Key_Right, until=lambda s, k=k: s.step == k)
    w.show_tab(w.timeline_view)
    tl = w.timeline_view
    qtbot.waitUntil(lambda: tl.frame is not None, timeout=TIMEOUT)
    w.probe("test", 7)  # as a confusion-matrix example loads one
    label = int(digits.test_labels[7])
    wait_for(qtbot, w, lambda s: s.sample_source == "test" and s.sample_index == 7)
    qtbot.waitUntil(lambda: tl.frame is not None and tl.frame.label == label, timeout=TIMEOUT)
