"""Presentation mode (F11) scales every text of the window by one factor — the application
font, the fonts panels set themselves, style-sheet sizes, plot axes — and F11 again gives back
exactly the geometry, fonts and docks the window had; a preset that starts in presentation mode
looks the same as pressing F11."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QRect, Qt  # noqa: E402
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel  # noqa: E402

from cnnviz.app.lecture import PRESENTATION_SCALE  # noqa: E402
from cnnviz.app.style import scale  # noqa: E402
from cnnviz.app.widgets.mapgrid import BAR_HEIGHT, ColorBar  # noqa: E402
from cnnviz.app.window import MainWindow  # noqa: E402

TIMEOUT = 30_000


@pytest.fixture
def make_window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("CNNVIZ_SETTINGS", str(tmp_path / "settings.ini"))
    monkeypatch.setenv("CNNVIZ_NO_PROMPT", "1")
    windows = []

    def make(**kwargs) -> MainWindow:
        w = MainWindow(arch="tiny", **kwargs)
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        qtbot.waitUntil(lambda: w.snapshot is not None, timeout=TIMEOUT)
        w.activateWindow()
        qtbot.waitUntil(w.isActiveWindow, timeout=TIMEOUT)
        windows.append(w)
        return w

    yield make
    for w in windows:
        w.close()


def text_sizes(w: MainWindow) -> dict[str, list[float]]:
    """Per panel: the point (or pixel) size of every label's and button's font (once the font
    changes have reached every widget)."""
    for _ in range(4):
        QApplication.processEvents()
    out = {}
    for key, p in w.panels.items():
        sizes = []
        for child in [p.widget, *p.widget.findChildren(QLabel), *p.widget.findChildren(
            QAbstractButton
        )]:  # fmt: skip
            f = child.font()
            sizes.append(f.pointSizeF() if f.pointSizeF() > 0 else float(f.pixelSize()))
        out[key] = sizes
    return out


def hooks(w: MainWindow) -> dict[str, object]:
    """What the panels scale themselves: the rule's and the explainer's size, plot axes."""
    plot = w.plots.loss_panel.plot.getPlotItem()
    return {
        "rule": w.rules._size,
        "explainer": w.explainer._font_size,
        "explainer_css": w.explainer.styleSheet(),
        "ticks": plot.getAxis("bottom").style["tickFont"].pointSizeF(),
        "axis": plot.getAxis("left").labelStyle.get("font-size"),
        "app": QApplication.font().pointSizeF(),
    }


def test_f11_scales_every_panel_by_one_factor_and_f11_gives_it_all_back(make_window, qtbot):
    w = make_window()
    rect = QRect(60, 50, 1150, 700)
    w.setGeometry(rect)
    qtbot.waitUntil(lambda: w.geometry() == rect, timeout=5000)
    docks = w.saveState()
    before, hooks_before = text_sizes(w), hooks(w)

    qtbot.keyClick(w, Qt.Key_F11)
    assert w.presenting and scale() == PRESENTATION_SCALE
    during = text_sizes(w)
    for key in before:
        for a, b in zip(before[key], during[key], strict=True):
            assert b == pytest.approx(a * PRESENTATION_SCALE, abs=0.6), key  # pixels round
    h = hooks(w)
    assert h["rule"] == round(hooks_before["rule"] * PRESENTATION_SCALE)
    assert h["explainer"] == pytest.approx(hooks_before["explainer"] * PRESENTATION_SCALE)
    assert "19.2pt" in h["explainer_css"]
    assert h["ticks"] == pytest.approx(hooks_before["ticks"] * PRESENTATION_SCALE)
    assert h["axis"] == "19.2pt"

    qtbot.keyClick(w, Qt.Key_F11)
    assert not w.presenting and scale() == 1.0
    assert text_sizes(w) == before  # exactly
    assert hooks(w) == hooks_before
    qtbot.waitUntil(lambda: w.geometry() == rect, timeout=5000)
    assert w.saveState() == docks


def test_colour_bar_labels_are_not_cut_off_at_any_scale(make_window, qtbot):
    """A colour bar's height holds the bar and a whole line of its value labels at the font
    it has now: F11 and Ctrl+= make the labels larger, and the bar grows with them."""
    w = make_window()
    wait = lambda: [QApplication.processEvents() for _ in range(4)]  # noqa: E731

    def bars():
        found = [b for b in w.findChildren(ColorBar) if b.isVisible()]
        assert found  # the overview shows the maps with their colour bars
        return found

    def fits(bar) -> bool:
        return bar.height() >= BAR_HEIGHT + bar.fontMetrics().height()

    w.step_batch()  # maps, and their colour bars, to show
    qtbot.waitUntil(lambda: any(b.isVisible() for b in w.findChildren(ColorBar)), timeout=TIMEOUT)
    normal = max(b.fontMetrics().height() for b in bars())
    assert all(fits(b) for b in bars())
    qtbot.keyClick(w, Qt.Key_F11)
    qtbot.keyClick(w, Qt.Key_Equal, Qt.ControlModifier)
    wait()
    assert min(b.fontMetrics().height() for b in bars()) > normal  # the labels grew
    assert all(fits(b) for b in bars())
    qtbot.keyClick(w, Qt.Key_F11)
    wait()
    assert all(fits(b) for b in bars())


def test_ctrl_plus_and_minus_change_the_scale_and_it_is_remembered(make_window, qtbot):
    w = make_window()
    qtbot.keyClick(w, Qt.Key_F11)
    base = hooks(w)["app"] / PRESENTATION_SCALE
    qtbot.keyClick(w, Qt.Key_Equal, Qt.ControlModifier)
    assert scale() == pytest.approx(1.7)
    assert hooks(w)["app"] == pytest.approx(base * 1.7)
    qtbot.keyClick(w, Qt.Key_Minus, Qt.ControlModifier)
    qtbot.keyClick(w, Qt.Key_Minus, Qt.ControlModifier)
    assert scale() == pytest.approx(1.5)
    qtbot.keyClick(w, Qt.Key_F11)
    assert w.qsettings.value("presentation/scale", type=float) == pytest.approx(1.5)
    assert w.lecture.factor == pytest.approx(1.5)  # the next F11 uses it


def test_a_preset_in_presentation_mode_looks_like_pressing_f11(make_window, qtbot, tmp_path):
    w = make_window()
    qtbot.keyClick(w, Qt.Key_F11)
    pressed, pressed_hooks = text_sizes(w), hooks(w)
    qtbot.keyClick(w, Qt.Key_F11)
    w.close()

    preset = tmp_path / "lecture.json"
    preset.write_text(json.dumps({"architecture": "tiny", "presentation": True}))
    w2 = make_window(preset_path=str(preset))
    qtbot.waitUntil(lambda: w2.presenting, timeout=TIMEOUT)
    got = text_sizes(w2)
    assert got == pressed
    assert hooks(w2) == pressed_hooks


@pytest.mark.parametrize(
    ("kind", "lo", "hi", "one"),
    [("delta", -1.8e-4, 1.8e-4, "±"), ("activation", -0.568, 2.83, "2")],
)
def test_colour_bar_labels_never_overlap_however_narrow(qtbot, kind, lo, hi, one):
    """At any width and presentation-sized font the labels drawn fit side by side; where the
    two ends cannot, one label is left (±max for a symmetric signed range, else the top)."""
    bar = ColorBar()
    qtbot.addWidget(bar)
    font = bar.font()
    font.setPointSizeF(font.pointSizeF() * 1.6)
    bar.setFont(font)
    bar.set_range(kind, lo, hi)
    fm = bar.fontMetrics()
    narrowest = None
    for width in range(30, 260, 5):
        bar.resize(width, bar.height())
        left, mid, right = bar._fitting_labels()
        shown = [t for t in (left, mid, right) if t]
        assert shown
        assert sum(fm.horizontalAdvance(t) for t in shown) + 4 * (len(shown) - 1) <= max(
            width, fm.horizontalAdvance(shown[0])
        ), (width, shown)
        if len(shown) == 1 and narrowest is None:
            narrowest = shown[0]
    assert narrowest is not None and narrowest.startswith(one)
    bar.resize(400, bar.height())
    assert all(bar._fitting_labels()[i] for i in (0, 2))  # both ends when there is room
