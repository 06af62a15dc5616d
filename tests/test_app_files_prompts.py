"""The real main window: the prompt before unsaved training is lost, and the download dialog.

The prompt tests answer ``QMessageBox.question`` (as the window calls it) with a chosen button
and record that it was asked; they run without ``CNNVIZ_NO_PROMPT``. The download tests serve a
tiny IDX dataset from a loopback HTTP server (as in test_download.py); ``/slow/`` sends the
first file in small pieces, so the progress dialog is up long enough to be cancelled.
"""

from __future__ import annotations

import http.server
import os
import threading
import time
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("pytestqt")

import tiny_idx_plugin  # noqa: E402
from helpers import WINDOW_TIMEOUT, state, wait_for  # noqa: E402
from PySide6.QtCore import QEvent, QObject, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton  # noqa: E402
from tiny_idx_plugin import IDX_NAMES, tiny_idx_files  # noqa: E402 (the served files)

from cnnviz.app import window as window_module  # noqa: E402
from cnnviz.app.window import MainWindow  # noqa: E402
from cnnviz.datasets import download, paths, registry  # noqa: E402
from cnnviz.training.modelfile import load_model  # noqa: E402

QMessageBox = window_module.QMessageBox  # the class the window asks with
TIMEOUT = WINDOW_TIMEOUT
SLOW_PIECE, SLOW_PAUSE = 1024, 0.06  # the first file (94 KB) takes about 5.5 s from /slow/


# ---------------------------------------------------------------------------------- the window
@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNVIZ_SETTINGS", str(tmp_path / "settings.ini"))
    monkeypatch.setenv("CNNVIZ_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CNNVIZ_NO_PROMPT", raising=False)  # these tests are about the prompt
    monkeypatch.delenv("CNNVIZ_MIRROR", raising=False)
    monkeypatch.delenv("CNNVIZ_SYSTEM_DATA_DIRS", raising=False)
    monkeypatch.setattr(paths, "SYSTEM_DIRS", {})
    monkeypatch.setattr(download, "TIMEOUT", 10.0)


def step_once(qtbot, w) -> int:
    """Press → and wait until the step counter has advanced by one; the new step."""
    before = w.snapshot.step
    qtbot.keyClick(w, Qt.Key_Right)
    wait_for(qtbot, w, lambda s: s.step == before + 1)
    return before + 1


def save(qtbot, w, path: str) -> None:
    """Save to ``path`` and wait until the window shows the model saved there."""
    with qtbot.waitSignal(w.relay.saved, timeout=TIMEOUT):
        w.save_to(path)
    wait_for(qtbot, w, lambda s: not s.dirty and s.model_path == path)


class Asked:
    """Stands in for QMessageBox.question: records each question, answers ``answer``."""

    def __init__(self) -> None:
        self.answer = None
        self.calls: list[tuple[str, str, object]] = []

    def __call__(self, parent, title, text, buttons=None, default=None):
        self.calls.append((title, text, buttons))
        assert self.answer is not None, f"unexpected question: {text}"
        return self.answer


@pytest.fixture
def asked(monkeypatch) -> Asked:
    fake = Asked()
    monkeypatch.setattr(QMessageBox, "question", staticmethod(fake))
    return fake


@pytest.fixture
def save_dialog(monkeypatch, tmp_path):
    """QFileDialog.getSaveFileName answers ``state["path"]`` (an empty string: cancelled)."""
    state = {"path": str(tmp_path / "saved.cnnviz.npz"), "calls": 0}

    def fake(*args, **kwargs):
        state["calls"] += 1
        return state["path"], window_module.MODEL_FILTER

    monkeypatch.setattr(window_module.QFileDialog, "getSaveFileName", staticmethod(fake))
    return state


def assert_unchanged(qtbot, w, before, generation, arch="tiny"):
    """Nothing was replaced: one more step (queued after anything the window may have sent)
    advances the same network in the same generation."""
    step = before["step"]
    assert step_once(qtbot, w) == step + 1
    after = state(w)
    assert after["generation"] == before["generation"] and after["step"] == step + 1
    assert w.snapshot.generation == generation
    assert (w.snapshot.architecture, w.arch_name) == (arch, arch)


# ---------------------------------------------------------------------------------- the prompt
def test_cancel_keeps_the_network_when_starting_a_new_one(make_window, qtbot, asked):
    w = make_window(arch="tiny")
    step_once(qtbot, w)
    assert w.snapshot.dirty
    trainer, generation = state(w), w.snapshot.generation
    asked.answer = QMessageBox.Cancel
    assert w.start_new("simple", "synthetic-digits") is False
    assert len(asked.calls) == 1
    title, text, buttons = asked.calls[0]
    assert title == "Unsaved training" and "Start a new network" in text
    assert buttons == QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel
    assert_unchanged(qtbot, w, trainer, generation)
    assert w.snapshot.dirty


def test_discard_replaces_the_network(make_window, qtbot, asked, save_dialog):
    w = make_window(arch="tiny")
    step_once(qtbot, w)
    trainer = state(w)
    asked.answer = QMessageBox.Discard
    assert w.start_new("simple", "synthetic-digits") is True
    assert len(asked.calls) == 1
    wait_for(qtbot, w, lambda s: s.architecture == "simple")
    assert state(w)["generation"] != trainer["generation"]
    assert (w.snapshot.step, w.snapshot.dirty, w.snapshot.model_path) == (0, False, None)
    assert save_dialog["calls"] == 0  # discarded: nothing saved
    assert not Path(save_dialog["path"]).exists()


def test_save_writes_the_model_then_replaces_it(make_window, qtbot, asked, save_dialog):
    w = make_window(arch="tiny")
    step_once(qtbot, w)
    step_once(qtbot, w)
    weights = state(w)["weights"]
    asked.answer = QMessageBox.Save
    assert w.start_new("simple", "synthetic-digits") is True
    assert len(asked.calls) == 1 and save_dialog["calls"] == 1
    path = Path(save_dialog["path"])
    assert path.is_file()  # written before start_new returned
    saved = load_model(path)
    assert (saved.step, saved.dataset, saved.architecture["name"]) == (
        2,
        "synthetic-digits",
        "tiny",
    )
    for k, v in weights.items():
        np.testing.assert_array_equal(saved.params[k], v)
    wait_for(qtbot, w, lambda s: s.architecture == "simple")
    assert (w.snapshot.step, w.snapshot.dirty) == (0, False)
    assert str(path) in w._recent()


def test_save_cancelled_in_the_file_dialog_keeps_the_network(
    make_window, qtbot, asked, save_dialog
):
    w = make_window(arch="tiny")
    step_once(qtbot, w)
    trainer, generation = state(w), w.snapshot.generation
    asked.answer = QMessageBox.Save
    save_dialog["path"] = ""  # the user closes the file dialog
    assert w.start_new("simple", "synthetic-digits") is False
    assert len(asked.calls) == 1 and save_dialog["calls"] == 1
    assert_unchanged(qtbot, w, trainer, generation)
    assert w.snapshot.dirty


def test_no_question_without_training_since_the_last_save(make_window, qtbot, asked, tmp_path):
    w = make_window(arch="tiny")
    assert not w.snapshot.dirty  # a fresh network: nothing to lose
    assert w.start_new("simple", "synthetic-digits") is True
    wait_for(qtbot, w, lambda s: s.architecture == "simple")
    assert asked.calls == []

    step_once(qtbot, w)
    assert w.snapshot.dirty
    path = str(tmp_path / "kept.cnnviz.npz")
    save(qtbot, w, path)
    assert w.start_new("tiny", "synthetic-digits") is True  # saved: nothing to lose
    wait_for(qtbot, w, lambda s: s.architecture == "tiny")
    assert asked.calls == []


def test_opening_a_model_asks_first(make_window, qtbot, asked, save_dialog, tmp_path):
    w = make_window(arch="tiny")
    step_once(qtbot, w)
    path = str(tmp_path / "one-step.cnnviz.npz")
    save(qtbot, w, path)
    step_once(qtbot, w)
    assert w.snapshot.dirty

    # Cancel: the two-step model stays
    trainer, generation = state(w), w.snapshot.generation
    asked.answer = QMessageBox.Cancel
    w.open_model(path)
    assert len(asked.calls) == 1 and "Open another model" in asked.calls[0][1]
    assert_unchanged(qtbot, w, trainer, generation)  # now at step 3

    # Discard: the file (saved at step 1) replaces it
    asked.answer = QMessageBox.Discard
    with qtbot.waitSignal(w.relay.loaded, timeout=TIMEOUT):
        w.open_model(path)
    assert len(asked.calls) == 2
    wait_for(qtbot, w, lambda s: s.generation != generation)
    assert (w.snapshot.step, w.snapshot.model_path, w.snapshot.dirty) == (1, path, False)
    assert state(w)["generation"] != trainer["generation"]
    assert save_dialog["calls"] == 0

    # right after opening: nothing to lose, no question
    w.open_model(path)
    assert len(asked.calls) == 2


def test_save_before_opening_a_model(make_window, qtbot, asked, save_dialog, tmp_path):
    w = make_window(arch="tiny")
    step_once(qtbot, w)
    first = str(tmp_path / "first.cnnviz.npz")
    save(qtbot, w, first)
    step_once(qtbot, w)
    step_once(qtbot, w)
    asked.answer = QMessageBox.Save
    with qtbot.waitSignal(w.relay.loaded, timeout=TIMEOUT):
        w.open_model(first)
    # the model had a file: saved there, without a file dialog
    assert len(asked.calls) == 1 and save_dialog["calls"] == 0
    assert load_model(first).step == 3
    wait_for(qtbot, w, lambda s: s.model_path == first and s.step == 3 and not s.dirty)


def test_no_window_flashes_up_and_the_keys_keep_working_when_the_network_changes(
    make_window, qtbot
):
    w = make_window(arch="tiny")
    shown = []

    class Watch(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 (Qt's naming)
            if event.type() == QEvent.Show and obj.isWidgetType() and obj.isWindow():
                shown.append(f"{type(obj).__name__} {getattr(obj, 'text', str)()!r}")
            return False

    watch = Watch()
    QApplication.instance().installEventFilter(watch)
    try:
        assert w.start_new("simple", "synthetic-digits") is True
        wait_for(qtbot, w, lambda s: s.architecture == "simple")  # its columns are built
        qtbot.keyClick(w, Qt.Key_R, Qt.ControlModifier)  # reset: the columns are built anew
        wait_for(qtbot, w, lambda s: s.step == 0 and s.generation > 1)
    finally:
        QApplication.instance().removeEventFilter(watch)
    assert shown == []  # a column title shown before it had a parent was a window of its own
    assert w.isActiveWindow()
    step_once(qtbot, w)  # → still reaches the window, with no click first


# ---------------------------------------------------------------------------------- downloads
class _Handler(http.server.BaseHTTPRequestHandler):
    """``/ok/NAME`` serves the file at once; ``/slow/NAME`` sends the first IDX file in
    SLOW_PIECE pieces SLOW_PAUSE apart (the others at once)."""

    files: dict[str, bytes] = {}
    requests: list[str] = []

    def log_message(self, *args):  # keep pytest output clean
        pass

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self.requests.append(self.path)
        parts = self.path.strip("/").split("/")
        mode, name = (parts[0], parts[-1]) if len(parts) >= 2 else ("", "")
        body = self.files.get(name)
        if body is None or mode not in ("ok", "slow"):
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.close_connection = True
        try:
            if mode == "slow" and name == IDX_NAMES[0]:
                for i in range(0, len(body), SLOW_PIECE):
                    self.wfile.write(body[i : i + SLOW_PIECE])
                    self.wfile.flush()
                    time.sleep(SLOW_PAUSE)
            else:
                self.wfile.write(body)
        except OSError:  # the client went away (cancelled)
            pass


@pytest.fixture
def server():
    """A loopback HTTP server in a thread; yields its base URL ``http://127.0.0.1:PORT/``."""
    _Handler.files = tiny_idx_files()
    _Handler.requests = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def _register(monkeypatch, mirror: str) -> None:
    """``tiny-idx`` served by the loopback server, in this process and in the app's training
    process (which imports the test plugin, as it would any plugin named in CNNVIZ_PLUGINS)."""
    monkeypatch.setenv("CNNVIZ_TINY_IDX_MIRROR", mirror)
    monkeypatch.setenv("CNNVIZ_PLUGINS", "tiny_idx_plugin")
    tests = str(Path(__file__).resolve().parent)
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(p for p in (tests, os.environ.get("PYTHONPATH")) if p)
    )
    monkeypatch.setitem(registry.REGISTRY, tiny_idx_plugin.NAME, tiny_idx_plugin.spec([mirror]))


def _files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def _record_progress(w: MainWindow) -> list[tuple]:
    """Every progress report the window receives, with whether its dialog is visible after
    handling it (connected after the window's own slot, so called after it)."""
    seen = []

    def record(info):
        dialog = w.process.progress
        seen.append((*info, dialog is not None and dialog.isVisible()))

    w.relay.progress.connect(record)
    return seen


def test_cancelling_a_download_keeps_the_previous_network(
    make_window, qtbot, server, monkeypatch, tmp_path
):
    _register(monkeypatch, server + "slow/")
    w = make_window(arch="tiny")
    step_once(qtbot, w)
    trainer, generation = state(w), w.snapshot.generation
    monkeypatch.setenv("CNNVIZ_NO_PROMPT", "1")  # this test is not about the prompt
    seen = _record_progress(w)
    assert w.start_new(w.arch_name, "tiny-idx") is True

    def downloading():
        dlg = w.process.progress
        return dlg is not None and dlg.isVisible() and 0 < dlg.value() < 100

    qtbot.waitUntil(downloading, timeout=TIMEOUT)
    dialog = w.process.progress
    assert isinstance(dialog, QProgressDialog)
    assert IDX_NAMES[0] in dialog.labelText()
    cancel = next(b for b in dialog.findChildren(QPushButton) if "Cancel" in b.text())
    with qtbot.waitSignal(w.relay.error, timeout=TIMEOUT):
        qtbot.mouseClick(cancel, Qt.LeftButton)
        after_click = len(seen)
    # (the reports sent before the error have all been handled: queued signals keep order)

    # the message: the download was cancelled, naming the file
    assert w.last_error and "cancelled" in w.last_error and IDX_NAMES[0] in w.last_error
    assert w.error_box.isVisible() and w.error_box.text() == w.last_error
    # the dialog is gone and stays gone (reports already on their way do not bring it back)
    assert not dialog.isVisible()
    assert [r for r in seen[after_click:] if r[-1]] == []
    # the first file was cut off half-way: only a fraction was transferred
    firsts = [done for done, total, name, _ in seen if name == IDX_NAMES[0]]
    assert 0 < max(firsts) < len(_Handler.files[IDX_NAMES[0]])
    assert not any(name != IDX_NAMES[0] for _, _, name, _ in seen)  # and nothing after it
    # nothing partial left: the temporary file is removed, no file under a real name
    assert _files_under(tmp_path / "data") == []

    # the previous network is still there and trains on
    assert (w.snapshot.architecture, w.snapshot.dataset) == ("tiny", "synthetic-digits")
    assert (w.arch_name, w.dataset_name) == ("tiny", "synthetic-digits")
    assert w.dataset_combo.currentText() == "synthetic-digits"
    w.error_box.accept()  # the user reads the message and closes it
    qtbot.waitUntil(lambda: not w.error_box.isVisible(), timeout=TIMEOUT)
    w.activateWindow()  # the dialogs had the keyboard: the user clicks the window
    qtbot.waitUntil(w.isActiveWindow, timeout=TIMEOUT)
    assert_unchanged(qtbot, w, trainer, generation)
    assert w.snapshot.dataset == "synthetic-digits"


@pytest.mark.training_process  # the plugin's dataset is downloaded in the training process
def test_a_completed_download_switches_to_the_new_dataset(
    make_window, qtbot, server, monkeypatch, tmp_path
):
    _register(monkeypatch, server + "ok/")
    w = make_window(arch="tiny")
    generation = w.snapshot.generation
    seen = _record_progress(w)
    assert w.start_new(w.arch_name, "tiny-idx") is True
    wait_for(qtbot, w, lambda s: s.dataset == "tiny-idx")
    sizes = {n: len(b) for n, b in _Handler.files.items()}

    def reported_in_full():  # every file, each up to its full size
        last = {name: (done, total) for done, total, name, _ in seen}
        return last == {n: (sizes[n], sizes[n]) for n in IDX_NAMES}

    qtbot.waitUntil(reported_in_full, timeout=TIMEOUT)

    assert w.snapshot.generation != generation
    assert (w.snapshot.architecture, w.snapshot.step) == ("tiny", 0)
    assert (w.arch_name, w.dataset_name) == ("tiny", "tiny-idx")
    assert w.dataset_combo.currentText() == "tiny-idx"
    assert w.last_error is None
    # the dialog was used and is reset and closed now
    dialog = w.process.progress
    assert isinstance(dialog, QProgressDialog)
    assert not dialog.isVisible() and dialog.value() == dialog.minimum() - 1
    assert not dialog.wasCanceled()
    # the verified files, and nothing else
    assert _files_under(tmp_path / "data") == sorted(f"tiny-idx/{n}" for n in IDX_NAMES)
    assert state(w)["train_size"] == 120
    step_once(qtbot, w)
    assert w.snapshot.dataset == "tiny-idx"
