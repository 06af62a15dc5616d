"""The real main window, driven as a user would: keys, toolbar actions, files.

Its training runs on a thread of the test process (conftest's ``in_process_training``: the same
session and messages as the training process); the tests marked ``training_process`` and the
ones that start the app in a subprocess drive the real process end to end.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import threading
import weakref
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from helpers import WINDOW_TIMEOUT, state, wait_for  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from cnnviz.app.window import MainWindow  # noqa: E402

TIMEOUT = WINDOW_TIMEOUT


@pytest.fixture(autouse=True)
def _no_prompt(monkeypatch):
    """These tests are not about the question before unsaved training is lost."""
    monkeypatch.setenv("CNNVIZ_NO_PROMPT", "1")


def test_default_window_is_lenet5_on_synthetic_digits(make_window):
    w = make_window()
    snap = w.snapshot
    assert (snap.architecture, snap.dataset) == ("lenet5", "synthetic-digits")
    assert [s.name for s in snap.stages][:3] == ["input", "C1", "S2"]
    assert w.act_play.isEnabled()


def test_play_advances_and_pause_stops(make_window, qtbot):
    w = make_window(arch="tiny")
    qtbot.keyClick(w, Qt.Key_Space)
    wait_for(qtbot, w, lambda s: s.running and s.step >= 5)
    qtbot.keyClick(w, Qt.Key_Space)
    wait_for(qtbot, w, lambda s: not s.running)
    stopped_at = state(w)["step"]
    qtbot.wait(400)
    assert state(w)["step"] == stopped_at
    assert w.act_play.text().endswith("Play")


def test_step_batch_advances_exactly_one_step_and_the_views_change(make_window, qtbot):
    w = make_window(arch="tiny")
    qtbot.keyClick(w, Qt.Key_Right)
    wait_for(qtbot, w, lambda s: s.step == 1)
    first = w.snapshot
    c1_before = first.inspector.params["weight"].copy()
    qtbot.keyClick(w, Qt.Key_N)
    wait_for(qtbot, w, lambda s: s.step == 2)
    qtbot.wait(300)
    assert state(w)["step"] == 2
    second = w.snapshot
    assert not np.array_equal(second.inspector.params["weight"], c1_before)


def test_step_phase_walks_the_phases_in_order_and_the_highlight_follows(make_window, qtbot):
    w = make_window(arch="tiny")
    expected = list(w.snapshot.phases)
    seen, stages, lit = [], [], []
    for n in range(1, len(expected) + 1):
        qtbot.keyClick(w, Qt.Key_Right, Qt.ShiftModifier)
        if n < len(expected):
            wait_for(qtbot, w, lambda s, n=n: s.phase_position == n)
            seen.append(w.snapshot.last_phase)
            stages.append(w.snapshot.active_stage)
            lit.append([i for i, g in enumerate(w.overview.grids) if g.highlighted])
        else:  # the update ends the step
            wait_for(qtbot, w, lambda s: s.step == 1 and s.phase_position == 0)
    assert seen == expected[:-1]
    forward_stages = [s for s, p in zip(stages, seen, strict=True) if p.startswith("forward")]
    assert forward_stages == sorted(forward_stages)  # left to right
    backward_stages = [s for s, p in zip(stages, seen, strict=True) if p.startswith("backward")]
    assert backward_stages == sorted(backward_stages, reverse=True)  # right to left
    for stage, highlighted in zip(stages, lit, strict=True):  # the highlight follows
        assert highlighted == ([] if stage is None else [stage])


def test_save_then_open_round_trips(make_window, qtbot, tmp_path):
    w = make_window(arch="tiny")
    for _ in range(3):
        w.step_batch()
    wait_for(qtbot, w, lambda s: s.step == 3)
    path = str(tmp_path / "model.cnnviz.npz")
    saved = state(w)["weights"]
    with qtbot.waitSignal(w.relay.saved, timeout=TIMEOUT):
        w.save_to(path)
    wait_for(qtbot, w, lambda s: not s.dirty)
    w.session.reset()
    wait_for(qtbot, w, lambda s: s.step == 0)
    with qtbot.waitSignal(w.relay.loaded, timeout=TIMEOUT):
        w.open_model(path)
    wait_for(qtbot, w, lambda s: s.step == 3 and s.model_path == path)
    loaded = state(w)["weights"]
    assert loaded.keys() == saved.keys()
    for k, v in saved.items():
        np.testing.assert_array_equal(loaded[k], v)
    assert path in w._recent()
    # Opened at step 3, nothing has been updated here yet: the update badge stays dark and the
    # phase line says so; the next step lights it.
    qtbot.waitUntil(lambda: "as opened" in w.overview.phase_label.text(), timeout=TIMEOUT)
    assert not w.overview.update_badge.active
    w.step_batch()
    wait_for(qtbot, w, lambda s: s.step == 4)
    qtbot.waitUntil(lambda: w.overview.update_badge.active, timeout=TIMEOUT)
    assert "step 4 done" in w.overview.phase_label.text()


def test_opening_a_corrupt_file_shows_an_error_and_keeps_the_model(make_window, qtbot, tmp_path):
    w = make_window(arch="tiny")
    w.step_batch()
    wait_for(qtbot, w, lambda s: s.step == 1)
    before = state(w)
    bad = tmp_path / "broken.cnnviz.npz"
    bad.write_bytes(b"PK\x03\x04 this is not a model")
    with qtbot.waitSignal(w.relay.error, timeout=TIMEOUT):
        w.open_model(str(bad))
    assert w.last_error and "broken.cnnviz.npz" in w.last_error
    assert "\n" not in w.last_error
    after = state(w)
    assert after["generation"] == before["generation"] and after["step"] == 1
    for k, v in after["weights"].items():
        np.testing.assert_array_equal(v, before["weights"][k])
    w.step_batch()  # the app carries on
    wait_for(qtbot, w, lambda s: s.step == 2)


def test_divergence_pauses_and_shows_a_message(make_window, qtbot):
    w = make_window(arch="tiny")
    w.session.set_hyperparameters(lr=1e9)
    with qtbot.waitSignal(w.relay.error, timeout=TIMEOUT):
        w.toggle_play()
    assert "diverged" in w.last_error
    wait_for(qtbot, w, lambda s: not s.running)
    params = state(w)["weights"]
    assert params and all(np.isfinite(p).all() for p in params.values())


def test_export_png(make_window, tmp_path):
    w = make_window(arch="tiny")
    out = tmp_path / "view.png"
    assert w.export_png(str(out))
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cycles_are_collected_on_the_gui_thread_while_training(make_window, qtbot):
    """Qt objects in reference cycles must not be destroyed on the training thread: while
    it runs, Python's automatic collection is off and a GUI-thread timer collects."""
    w = make_window(arch="tiny")
    assert not gc.isenabled()
    assert gc.get_freeze_count() > 1000  # what lived when training began is not scanned again
    collected_on = []

    class Cycle:
        pass

    def make_cycle():
        a = Cycle()
        a.self = a
        weakref.finalize(a, lambda: collected_on.append(threading.current_thread()))

    make_cycle()
    qtbot.keyClick(w, Qt.Key_Space)  # the training thread allocates all the while
    qtbot.waitUntil(lambda: len(collected_on) > 0, timeout=TIMEOUT)
    assert collected_on == [threading.main_thread()]
    qtbot.keyClick(w, Qt.Key_Space)
    w.close()
    assert w.relay.isFinished() and gc.isenabled() and gc.get_freeze_count() == 0


def test_closing_during_training_exits_cleanly(tmp_path):
    """The real app in a subprocess: train, close the window mid-run, exit 0, no Qt warning."""
    script = (
        "import os, sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from PySide6.QtCore import QTimer\n"
        "from cnnviz.app.window import MainWindow\n"
        "app = QApplication([])\n"
        "w = MainWindow(arch='tiny')\n"
        "w.show()\n"
        "def go():\n"
        "    if w.session is None:\n"
        "        QTimer.singleShot(50, go); return\n"
        "    w.toggle_play()\n"
        "    close_mid_run()\n"
        "def close_mid_run():\n"
        "    s = w.snapshot\n"
        "    if s is not None and s.running and s.step >= 5:\n"
        "        w.close()\n"
        "    else:\n"
        "        QTimer.singleShot(20, close_mid_run)\n"
        "go()\n"
        "sys.exit(app.exec())\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CNNVIZ_NO_PROMPT="1",
               CNNVIZ_SETTINGS=str(tmp_path / "s.ini"))  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120,
        cwd=Path(__file__).resolve().parents[1],
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Destroyed while thread" not in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_request_that_fails_after_the_window_closed_opens_no_box(tmp_path):
    """The real app in a subprocess: a timeline entry asked for just before the window closes
    fails ("the training process has ended"); no message box opens for it (one would keep the
    application from quitting), and one already open closes with the window. Exits 0."""
    script = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication, QMessageBox\n"
        "from PySide6.QtCore import QTimer\n"
        "from cnnviz.app.window import MainWindow\n"
        "app = QApplication([])\n"
        "w = MainWindow(arch='tiny')\n"
        "w.show()\n"
        "def go():\n"
        "    if w.session is None:\n"
        "        QTimer.singleShot(50, go); return\n"
        "    w.show_error('an error the user has not read yet')\n"
        "    w.panels['timeline_view'].request_frame(0)\n"
        "    w.close()\n"
        "    w.report_error('could not show that timeline entry: the training process has ended')\n"
        "    app.processEvents()\n"
        "    check()\n"
        "def check():\n"
        "    boxes = [b for b in app.topLevelWidgets()\n"
        "             if isinstance(b, QMessageBox) and b.isVisible()]\n"
        "    print('BOXES', len(boxes), flush=True)\n"
        "go()\n"
        "QTimer.singleShot(20000, lambda: (print('DID NOT QUIT', flush=True), app.exit(3)))\n"
        "sys.exit(app.exec())\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CNNVIZ_NO_PROMPT="1",
               CNNVIZ_SETTINGS=str(tmp_path / "s.ini"))  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120,
        cwd=Path(__file__).resolve().parents[1],
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "BOXES 0" in proc.stdout and "DID NOT QUIT" not in proc.stdout
    assert "Traceback" not in proc.stderr


def test_presentation_mode_toggles_and_restores(make_window, qtbot):
    w = make_window(arch="tiny")
    app = QApplication.instance()
    font_before = app.font().pointSizeF()
    qtbot.keyClick(w, Qt.Key_F11)
    qtbot.waitUntil(lambda: w.presenting)
    assert w.isFullScreen() or w.windowState() & Qt.WindowFullScreen
    assert app.font().pointSizeF() > font_before * 1.4
    assert not any(act.isVisible() for act in w.controls.advanced)
    qtbot.keyClick(w, Qt.Key_Space)  # still driven from the keyboard
    wait_for(qtbot, w, lambda s: s.running)
    qtbot.keyClick(w, Qt.Key_Space)
    wait_for(qtbot, w, lambda s: not s.running)
    qtbot.keyClick(w, Qt.Key_F11)
    qtbot.waitUntil(lambda: not w.presenting)
    assert not w.isFullScreen()
    assert app.font().pointSizeF() == font_before
    assert all(act.isVisible() for act in w.controls.advanced)


def test_lecture_preset_round_trip_and_command_line(make_window, qtbot, tmp_path):
    w = make_window(arch="tiny")
    w._select_map_kind("delta")
    w.lower.setCurrentIndex(1)  # the backprop rule
    w.speed.setCurrentIndex(0)
    path = tmp_path / "lecture.json"
    assert w.save_preset(str(path))
    data = json.loads(path.read_text())
    assert data["architecture"] == "tiny" and data["map_kind"] == "delta"
    assert data["tab"] == "Backprop rule" and data["speed"] == "1 phase/s"
    # a new window opened with the preset shows the same
    w2 = make_window(preset_path=str(path))
    assert w2.snapshot.architecture == "tiny"
    assert w2.view.map_kind == "delta" and w2.view.explain
    assert w2.lower.tabText(w2.lower.currentIndex()) == "Backprop rule"
    assert w2.speed.currentText() == "1 phase/s"


def test_a_bad_preset_shows_an_error_and_changes_nothing(make_window, qtbot, tmp_path):
    w = make_window(arch="tiny")
    bad = tmp_path / "bad.json"
    bad.write_text('{"speed": "warp 9"}')
    assert not w.open_preset(str(bad))
    assert "speed" in w.last_error and "\n" not in w.last_error
    assert w.speed.currentIndex() == w.speed.count() - 1


def test_backprop_rule_panel_follows_the_phases(make_window, qtbot):
    w = make_window(arch="tiny")
    w.lower.setCurrentIndex(1)
    for n in range(1, 4):
        w.step_phase()
        wait_for(qtbot, w, lambda s, n=n: s.phase_position == n and s.explanation is not None)
    ex = w.snapshot.explanation
    assert ex.value == pytest.approx(ex.engine_value, rel=1e-5, abs=1e-7)
    qtbot.waitUntil(lambda: w.rules.explanation() is ex)


def _read_gif_frame_count(data: bytes) -> int:
    assert data[:6] == b"GIF89a"
    return sum(1 for _ in _gif_images(data))


def _gif_images(data: bytes):
    """Walk the GIF blocks and yield once per image descriptor."""
    pos = 13
    flags = data[10]
    if flags & 0x80:
        pos += 3 * (2 ** ((flags & 7) + 1))
    while pos < len(data):
        block = data[pos]
        if block == 0x3B:  # trailer
            return
        if block == 0x21:  # extension: label, then sub-blocks
            pos += 2
        else:  # 0x2C image descriptor
            assert block == 0x2C
            yield pos
            lflags = data[pos + 9]
            pos += 10
            if lflags & 0x80:
                pos += 3 * (2 ** ((lflags & 7) + 1))
            pos += 1  # LZW minimum code size
        while data[pos]:
            pos += data[pos] + 1
        pos += 1


def test_timeline_scrubbing_shows_the_stored_weights_and_exports(make_window, qtbot, tmp_path):
    w = make_window(arch="tiny")
    w.session.request_sync("timeline_configure", every=2)
    for _ in range(6):
        w.step_batch()
    wait_for(qtbot, w, lambda s: s.step == 6)
    qtbot.waitUntil(lambda: len(w.session.timeline) >= 3)
    tl = w.session.timeline
    w.show_tab(w.timeline_view)
    qtbot.waitUntil(lambda: w.timeline_view.slider.maximum() == len(tl) - 1, timeout=TIMEOUT)
    with qtbot.waitSignal(w.timelineFrameReady, timeout=TIMEOUT):
        w.timeline_view.slider.setValue(0)
    qtbot.waitUntil(lambda: w.timeline_view.frame is not None and w.timeline_view.frame.index == 0)
    frame = w.timeline_view.frame
    now = state(w, timeline=True)
    np.testing.assert_array_equal(frame.kernels["C1"], now["timeline_params"][0]["C1.weight"])
    assert not np.array_equal(frame.kernels["C1"], now["weights"]["C1.weight"])

    gif = tmp_path / "filters.gif"
    assert w.export_filter_gif(str(gif), "C1")
    assert _read_gif_frame_count(gif.read_bytes()) >= len(tl)
    sweep = tmp_path / "sweep.gif"
    with qtbot.waitSignal(w.sweepReady, timeout=TIMEOUT):
        assert w.export_sweep_gif(str(sweep))
    qtbot.waitUntil(sweep.exists, timeout=TIMEOUT)
    assert _read_gif_frame_count(sweep.read_bytes()) >= 2
    png = tmp_path / "overview.png"
    assert w.export_panel("Network overview", str(png))
    assert png.read_bytes()[:4] == b"\x89PNG"
    svg = tmp_path / "sample.svg"
    assert w.export_panel("Sample", str(svg))
    assert b"<svg" in svg.read_bytes()[:2000]


def test_the_timeline_is_saved_with_the_model(make_window, qtbot, tmp_path):
    w = make_window(arch="tiny")
    w.session.request_sync("timeline_configure", every=1)
    for _ in range(3):
        w.step_batch()
    wait_for(qtbot, w, lambda s: s.step == 3)
    steps = w.session.timeline.steps()
    path = str(tmp_path / "m.cnnviz.npz")
    with qtbot.waitSignal(w.relay.saved, timeout=TIMEOUT):
        w.save_to(path)
    w.session.reset()
    wait_for(qtbot, w, lambda s: s.step == 0)
    qtbot.waitUntil(lambda: len(w.session.timeline) == 0, timeout=TIMEOUT)
    with qtbot.waitSignal(w.relay.loaded, timeout=TIMEOUT):
        w.open_model(path)
    wait_for(qtbot, w, lambda s: s.step == 3)
    qtbot.waitUntil(lambda: w.session.timeline.steps() == steps, timeout=TIMEOUT)


def test_drawing_runs_through_the_network(make_window, qtbot):
    w = make_window(arch="tiny")
    w.show_tab(w.canvas)
    image = np.zeros((1, 28, 28), dtype=np.uint8)
    image[0, 4:24, 13:16] = 255  # a vertical stroke
    w.canvas.imageReady.emit(image, 1)
    wait_for(qtbot, w, lambda s: s.sample_source == "drawn")
    snap = w.snapshot
    assert snap.batch_size == 1 and snap.sample_label == 1
    assert snap.probabilities.shape == (10,)
    assert snap.maps[1].shape == (4, 24, 24)  # C1 of tiny, for the drawing
    assert snap.inspector is None  # only built while the inspector is on screen


def test_gradient_check_panel_runs_on_the_training_thread(make_window, qtbot):
    w = make_window(arch="tiny")
    w.step_batch()
    wait_for(qtbot, w, lambda s: s.step == 1)
    before = state(w)["weights"]
    w.show_tab(w.grad_panel)
    with qtbot.waitSignal(w.gradReportReady, timeout=60_000) as blocker:
        w.grad_panel.runRequested.emit({"batch_size": 2, "entries": 8})
    report = blocker.args[0]
    assert report.ok and report.worst < 1e-6
    for k, v in state(w)["weights"].items():
        np.testing.assert_array_equal(v, before[k])


class Gate:
    """Stands in for the window's drawing budget (``w.budget``): allows drawing while open,
    and counts how often it is asked."""

    def __init__(self) -> None:
        self.open, self.asked = True, 0

    def allows(self) -> bool:
        self.asked += 1
        return self.open

    def reset(self) -> None:
        pass


def test_at_full_speed_the_window_draws_in_pieces_within_its_budget(make_window, qtbot):
    w = make_window(arch="tiny")
    w.pacer.budget = gate = Gate()
    qtbot.keyClick(w, Qt.Key_Space)
    wait_for(qtbot, w, lambda s: s.running and s.step >= 3)
    qtbot.waitUntil(lambda: gate.asked > 0, timeout=TIMEOUT)  # full speed: it asks its budget
    gate.open = False  # nothing may be drawn now
    before, asked = dict(w.draw_counts), gate.asked
    qtbot.waitUntil(lambda: gate.asked >= asked + 10, timeout=TIMEOUT)  # ten frames refused
    assert dict(w.draw_counts) == before
    step_shown = w.snapshot.step
    gate.open = True  # anything may
    qtbot.waitUntil(lambda: w.draw_counts["overview"] > before.get("overview", 0), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: w.draw_counts["sample"] > before.get("sample", 0), timeout=TIMEOUT)
    assert w.snapshot.step > step_shown  # training went on all the while
    qtbot.keyClick(w, Qt.Key_Space)  # paused: each snapshot is drawn whole, at once
    wait_for(qtbot, w, lambda s: not s.running)
    for _ in range(2):  # (the first step also lets a frame drawn in pieces finish)
        drawn, asked, step = dict(w.draw_counts), gate.asked, w.snapshot.step
        with qtbot.waitSignal(
            w.snapshotRendered, timeout=TIMEOUT, check_params_cb=lambda s, n=step: s.step == n + 1
        ):
            w.step_batch()
    # every part drawn for this step (a piece left over from full speed may add one more)
    assert all(w.draw_counts[part] > drawn[part] for part in ("overview", "sample", "lower"))
    assert gate.asked == asked  # paused, the budget is not asked
    assert w.sample_panel.isVisible() and w.snapshot.step == state(w)["step"] == step + 1


@pytest.mark.training_process
def test_the_training_process_can_start_before_the_window(make_window, qtbot):
    """``cnnviz`` starts training before Qt is imported; the window takes that process on."""
    from cnnviz.app.main import start_training

    remote = start_training()
    pid = remote.process.pid
    w = make_window(remote=remote)
    assert w.session is remote and remote.process.pid == pid
    assert (w.snapshot.architecture, w.snapshot.dataset) == ("lenet5", "synthetic-digits")
    w.step_batch()
    wait_for(qtbot, w, lambda s: s.step == 1)
    w.close()
    assert remote.process.returncode == 0


def test_main_py_opens_the_app_and_leaves_no_process_behind(tmp_path):
    """``python main.py`` as a user runs it: the window, its training process, a clean exit."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CNNVIZ_NO_PROMPT="1",
               CNNVIZ_SETTINGS=str(tmp_path / "s.ini"), CNNVIZ_EXIT_AFTER_MS="2000")  # fmt: skip
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.Popen(
        [sys.executable, "main.py"], env=env, cwd=root, stderr=subprocess.PIPE, text=True
    )
    children = set()
    while proc.poll() is None:  # the training process is a child of the app while it runs
        children |= set(_training_children(proc.pid))
        threading.Event().wait(0.05)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "Destroyed while thread" not in err
    assert len(children) == 1
    assert not Path(f"/proc/{children.pop()}").exists()  # and it has ended with the app


def _training_children(pid: int) -> list[str]:
    """Process ids of the training processes whose parent is ``pid`` (read from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            args = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError, IndexError):
            continue  # it ended meanwhile
        if ppid == pid and b"cnnviz.live.host" in args:
            found.append(stat.parent.name)
    return found


@pytest.mark.training_process
def test_after_the_training_process_dies_new_starts_another(make_window, qtbot):
    w = make_window(arch="tiny")
    w.step_batch()
    wait_for(qtbot, w, lambda s: s.step == 1)
    old = w.relay
    with qtbot.waitSignal(old.ended, timeout=TIMEOUT):
        os.kill(old.remote.process.pid, 9)
    assert "ended unexpectedly" in w.last_error and "\n" not in w.last_error
    qtbot.waitUntil(lambda: w.session is None, timeout=TIMEOUT)
    assert not w.act_play.isEnabled() and w.act_new.isEnabled() and w.act_open.isEnabled()
    assert "File ▸ New or Open" in w.status_phase.text()
    assert w.snapshot.step == 1  # the views keep the last snapshot
    w.error_box.accept()
    assert w.start_new("tiny", "synthetic-digits")  # no prompt: nothing left to save
    qtbot.waitUntil(lambda: w.session is not None, timeout=TIMEOUT)
    wait_for(qtbot, w, lambda s: s.step == 0)
    assert w.relay is not old and old.isFinished()
    w.step_batch()
    wait_for(qtbot, w, lambda s: s.step == 1)
    assert w.act_play.isEnabled()


def test_a_model_that_cannot_be_opened_at_start_leaves_open_to_try_another(
    make_window, qtbot, tmp_path
):
    w = make_window(arch="tiny")
    for _ in range(2):
        w.step_batch()
    wait_for(qtbot, w, lambda s: s.step == 2)
    good = tmp_path / "good.cnnviz.npz"
    assert w.save_to(str(good), wait=True)
    bad = tmp_path / "bad.cnnviz.npz"
    bad.write_bytes(b"not a model at all")
    w2 = MainWindow(model_path=str(bad))
    qtbot.addWidget(w2)
    w2.show()
    qtbot.waitUntil(lambda: w2.relay.isFinished(), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: w2.last_error is not None, timeout=TIMEOUT)
    assert "bad.cnnviz.npz" in w2.last_error and "\n" not in w2.last_error
    assert w2.session is None and w2.act_open.isEnabled() and not w2.act_play.isEnabled()
    assert w2.status_phase.text().startswith("Could not start")
    w2.error_box.accept()
    w2.open_model(str(good))
    qtbot.waitUntil(lambda: w2.snapshot is not None and w2.snapshot.step == 2, timeout=TIMEOUT)
    assert w2.snapshot.model_path == str(good) and w2.act_play.isEnabled()
    w2.close()
    assert w2.relay.isFinished()


def test_every_preset_in_the_network_box_builds_and_a_failed_network_leaves_the_box_true(
    make_window, qtbot, tmp_path
):
    w = make_window(arch="tiny")
    box = w.controls.arch
    box.setCurrentIndex(box.findText("every-layer"))
    w.controls._network_chosen()
    wait_for(qtbot, w, lambda s: s.architecture == "every-layer" and s.step == 0)
    assert w.last_error is None and box.currentText() == "every-layer"
    wide = tmp_path / "wide.json"  # a 40×40 kernel on 28×28 digits: cannot be built
    wide.write_text(
        json.dumps(
            {
                "layers": [
                    {"type": "conv", "out_channels": 2, "kernel_size": 40},
                    {"type": "flatten"},
                    {"type": "dense", "out_features": "classes"},
                ]
            }
        )
    )
    w.controls.sync_network(str(wide), "synthetic-digits")
    w.controls._network_chosen()  # as if chosen in the box: the training process refuses it
    qtbot.waitUntil(lambda: w.last_error is not None, timeout=TIMEOUT)
    assert "kernel 40×40 is larger" in w.last_error and "\n" not in w.last_error
    assert box.currentText() == "every-layer" == w.snapshot.architecture  # box = network shown
    assert "every-layer" in w.windowTitle()
