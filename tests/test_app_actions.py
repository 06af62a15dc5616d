"""The window's actions: F1 lists every shortcut, and File ▸ Export panel (menu and
Ctrl+Shift+E) writes PNG at 2× and SVG."""

from __future__ import annotations

import html
import struct

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QAction  # noqa: E402
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLabel, QMessageBox  # noqa: E402

from cnnviz.app import window as window_module  # noqa: E402
from cnnviz.app.actions import keys_text, shortcut_rows  # noqa: E402
from cnnviz.app.panels import PANELS, Panel  # noqa: E402
from cnnviz.app.window import MainWindow  # noqa: E402

TIMEOUT = 30_000


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("CNNVIZ_SETTINGS", str(tmp_path / "settings.ini"))
    monkeypatch.setenv("CNNVIZ_NO_PROMPT", "1")
    w = MainWindow(arch="tiny")
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.snapshot is not None, timeout=TIMEOUT)
    w.activateWindow()  # keyboard shortcuts go to the active window
    qtbot.waitUntil(w.isActiveWindow, timeout=TIMEOUT)
    yield w
    w.close()


def test_f1_lists_every_action_that_has_a_shortcut(window, qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(
        QMessageBox, "information", staticmethod(lambda parent, title, text: shown.append(text))
    )
    qtbot.keyClick(window, Qt.Key_F1)
    qtbot.waitUntil(lambda: bool(shown), timeout=TIMEOUT)
    listed = shown[0]
    actions = [a for a in window.findChildren(QAction) if a.shortcuts()]
    assert len(actions) >= 20
    for act in actions:  # a row: its keys, then what it does
        keys, what = html.escape(keys_text(act)), html.escape(act.statusTip())
        row = f"<b>{keys}</b></td><td>&nbsp;&nbsp;{what}<"
        assert row in listed, act.text()
    keys = [k for k, _ in shortcut_rows(window)]
    assert {"→ / N", "Shift+→", "Ctrl+Shift+E", "F1", "F11", "Ctrl+Tab"} <= set(keys)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_export_panel_from_the_menu_and_ctrl_shift_e_writes_png_2x_and_svg(
    window, qtbot, tmp_path, monkeypatch
):
    asked = {}

    def choose(parent, title, label, items, current, editable):
        asked["items"] = list(items)
        return "Network overview", True

    target = {"path": str(tmp_path / "overview.png")}
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(choose))
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (target["path"], ""))
    )
    window.act_export_panel.trigger()  # as File ▸ Export panel does: triggered(False)
    png = tmp_path / "overview.png"
    assert png.exists(), window.last_error
    w, h = png_size(png.read_bytes())
    size = window.overview.size()
    assert (w, h) == (2 * size.width(), 2 * size.height())
    assert asked["items"][0] == "Network overview" and asked["items"][-1] == "Whole window"
    assert {"Layer inspector", "Sample", "Training plots", "Confusion matrix"} <= set(
        asked["items"]
    )  # the current lower tab, the docks' panels

    target["path"] = str(tmp_path / "overview.svg")
    qtbot.keyClick(window, Qt.Key_E, Qt.ControlModifier | Qt.ShiftModifier)
    svg = tmp_path / "overview.svg"
    qtbot.waitUntil(svg.exists, timeout=TIMEOUT)
    assert b"<svg" in svg.read_bytes()[:2000]
    assert window.last_error is None


def test_every_registered_panel_is_on_the_window_in_its_place(window):
    lower_titles = [window.lower.tabText(i) for i in range(window.lower.count())]
    for cls in PANELS:
        panel = window.panels[cls.key]
        assert getattr(window, cls.key) is panel.widget
        if cls.place == "lower":
            assert cls.title in lower_titles
    assert [d.windowTitle() for d in window.docks] == ["Sample", "Progress"]


class StepLabel(QLabel):
    """The worked example of docs/architecture.md: the step of the latest snapshot."""

    def render(self, snapshot) -> None:
        self.setText(f"step {snapshot.step}")


class StepPanel(Panel):
    key, title, place = "step_label", "Step", "lower"
    needs = frozenset({"explain"})

    def build(self) -> StepLabel:
        return StepLabel()


def test_a_panel_added_to_the_registry_is_built_asked_for_and_drawn(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(window_module, "PANELS", [*PANELS, StepPanel])
    monkeypatch.setenv("CNNVIZ_NO_PROMPT", "1")
    monkeypatch.setenv("CNNVIZ_SETTINGS", str(tmp_path / "settings.ini"))
    w = MainWindow(arch="tiny")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.session is not None and w.snapshot is not None, timeout=TIMEOUT)
    assert w.lower.tabText(w.lower.count() - 1) == "Step"
    assert not w.view.explain  # the inspector is shown: nothing asks for explanations
    w.show_tab(w.step_label)
    assert w.view.explain  # the panel shown needs them
    w.step_batch()
    qtbot.waitUntil(lambda: w.step_label.text() == "step 1", timeout=TIMEOUT)
    w.step_phase()  # a phase is explained (for the lecture panels), since one is shown
    qtbot.waitUntil(lambda: w.snapshot.explanation is not None, timeout=TIMEOUT)
    w.close()
