"""Your own images in the app: File ▸ New ▸ Image folder… makes a folder the dataset; while its
images are decoded a progress dialog counts them (and Cancel keeps the network there was);
the second time the folder comes from the cache, without the dialog."""

from __future__ import annotations

import time

import pytest

pytest.importorskip("pytestqt")

from helpers import WINDOW_TIMEOUT, state, wait_for  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QPushButton  # noqa: E402
from test_folder_images import make_folder  # noqa: E402

from cnnviz.app.files import NewDialog  # noqa: E402
from cnnviz.datasets import folder as folder_module  # noqa: E402


@pytest.fixture
def images(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNVIZ_DATA_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CNNVIZ_NO_PROMPT", "1")
    make_folder(tmp_path / "photos", per_class=12)
    return tmp_path / "photos"


def _record(w) -> list[tuple]:
    """Each progress report, with the dialog's title and text after the window handled it."""
    seen = []

    def record(info):
        d = w.process.progress
        seen.append((*info, d.windowTitle() if d else "", d.labelText() if d else ""))

    w.relay.progress.connect(record)
    return seen


def test_new_image_folder_reads_it_with_progress_then_from_the_cache(
    make_window, qtbot, images, monkeypatch
):
    w = make_window(arch="tiny")
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(images))
    dialog = NewDialog(w.arch_name, w.dataset_name, w)
    qtbot.addWidget(dialog)
    dialog.folder_button.click()
    name = f"folder:{images}"
    assert dialog.dataset.currentData() == name
    assert NewDialog("tiny", name).dataset.currentData() == name  # a folder in use is listed

    seen = _record(w)
    assert w.start_new("tiny", dialog.dataset.currentData()) is True
    wait_for(qtbot, w, lambda s: s.dataset == name)
    qtbot.waitUntil(lambda: len(seen) == 24, timeout=WINDOW_TIMEOUT)
    assert [(d, t, label) for d, t, label, *_ in seen] == [(i, 24, name) for i in range(1, 25)]
    title, text = seen[0][3], seen[0][4]
    assert title == "Reading an image folder" and str(images) in text and "1 of 24" in text
    assert not w.process.progress.isVisible()  # reset at the last image
    assert 12 <= state(w)["train_size"] < 24  # the rest is the test set
    assert w.dataset_combo.currentText() == name

    seen.clear()  # again: the arrays come from the cache, nothing is decoded
    w.start_new("tiny", "synthetic-digits")
    wait_for(qtbot, w, lambda s: s.dataset == "synthetic-digits")
    w.start_new("tiny", name)
    wait_for(qtbot, w, lambda s: s.dataset == name)
    assert seen == []


def test_cancelling_the_folder_keeps_the_network(make_window, qtbot, images, monkeypatch):
    w = make_window(arch="tiny")
    generation = w.snapshot.generation
    real = folder_module._decode

    def slow(path, sizes):  # a large folder: slow enough to press Cancel during it
        time.sleep(0.05)
        return real(path, sizes)

    monkeypatch.setattr(folder_module, "_decode", slow)
    seen = _record(w)
    w.start_new("tiny", f"folder:{images}")
    qtbot.waitUntil(lambda: len(seen) >= 2, timeout=WINDOW_TIMEOUT)
    dialog = w.process.progress
    assert isinstance(dialog, QProgressDialog) and dialog.isVisible()
    cancel = next(b for b in dialog.findChildren(QPushButton) if "Cancel" in b.text())
    with qtbot.waitSignal(w.relay.error, timeout=WINDOW_TIMEOUT):
        qtbot.mouseClick(cancel, Qt.LeftButton)
    assert w.last_error and "cancelled" in w.last_error and str(images) in w.last_error
    w.error_box.accept()
    assert w.snapshot.generation == generation and w.snapshot.dataset == "synthetic-digits"
    assert max(d for d, *_ in seen) < 24
