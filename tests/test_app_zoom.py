"""Zoom in the real main window: Ctrl+wheel and + / − / 0 enlarge the network overview (its row
of stages grows inside its scroll area, the maps with it) or the map grid under the mouse (the
tab's page scrolls), and 0 gives back exactly the size that fits; typing digits into a spin box
still types them."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from helpers import wait_for  # noqa: E402
from PySide6.QtCore import QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QWheelEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from cnnviz.app import zoom  # noqa: E402
from cnnviz.app.widgets.mapgrid import MapGrid  # noqa: E402


def ctrl_wheel(widget, notches: int) -> None:
    """A Ctrl+wheel event over the middle of ``widget``, as Qt delivers one."""
    pos = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(
        pos, widget.mapToGlobal(pos), QPoint(0, 0), QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(widget, event)


@pytest.fixture
def window(make_window, qtbot):
    w = make_window(arch="lenet5")
    w.step_batch()
    wait_for(qtbot, w, lambda s: s.step == 1)
    qtbot.waitUntil(lambda: len(w.overview.findChildren(MapGrid)) > 3)
    return w


def test_ctrl_wheel_on_an_overview_map_zooms_the_whole_overview(window, qtbot):
    ov = window.overview
    grid = ov.findChildren(MapGrid)[1]
    row_width, grid_size = ov.row.width(), grid.size()
    ctrl_wheel(grid, 2)
    assert zoom.zoom_of(ov) == pytest.approx(zoom.STEP**2)
    assert zoom.zoom_of(grid) == 1.0  # the overview zooms, not the one grid
    qtbot.waitUntil(lambda: ov.row.width() > 1.4 * row_width)
    assert ov.scroll.horizontalScrollBar().maximum() > 0  # the rest is a scroll away
    qtbot.waitUntil(lambda: grid.width() > grid_size.width())  # its maps grow with it
    ctrl_wheel(grid, -1)
    assert zoom.zoom_of(ov) == pytest.approx(zoom.STEP)
    for _ in range(10):  # never below the size that fits …
        ctrl_wheel(grid, -1)
    assert zoom.zoom_of(ov) == 1.0
    for _ in range(20):  # … nor above MAX_ZOOM
        ctrl_wheel(grid, 1)
    assert zoom.zoom_of(ov) == zoom.MAX_ZOOM


def test_keys_zoom_the_grid_under_the_mouse_and_0_restores_it(window, qtbot, monkeypatch):
    w = window
    w.show_tab(w.inspector)
    w.select_stage(1)
    wait_for(qtbot, w, lambda s: s.inspector is not None and s.inspector.stage.index == 1)
    grid = next(g for g in w.inspector.findChildren(MapGrid) if g.isVisible())
    qtbot.waitUntil(lambda: grid.width() > 50)
    own_min, size = grid.minimumSize(), grid.size()
    monkeypatch.setattr(zoom, "under_cursor", lambda fallback=None: grid)  # the mouse is there
    w.act_zoom_in.trigger()
    w.act_zoom_in.trigger()
    assert zoom.zoom_of(grid) == pytest.approx(zoom.STEP**2)
    assert zoom.zoom_of(w.overview) == 1.0
    qtbot.waitUntil(lambda: grid.height() >= round(size.height() * zoom.STEP**2) - 1)
    w.act_zoom_out.trigger()
    assert zoom.zoom_of(grid) == pytest.approx(zoom.STEP)
    w.act_zoom_reset.trigger()
    assert zoom.zoom_of(grid) == 1.0 and grid.minimumSize() == own_min
    # nothing zoomable under the mouse: + zooms the overview
    monkeypatch.setattr(zoom, "under_cursor", lambda fallback=None: fallback)
    w.act_zoom_in.trigger()
    assert zoom.zoom_of(w.overview) == pytest.approx(zoom.STEP)
    assert [k.toString() for k in w.act_zoom_in.shortcuts()] == ["+", "="]


def test_typing_into_a_spin_box_is_not_taken_for_zoom(window, qtbot):
    w = window
    zoom.set_zoom(w.overview, zoom.STEP)
    spin = w.controls.lr
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    spin.selectAll()
    qtbot.keyClicks(spin, "0.05")  # "0" is also Actual size: the spin box gets it first
    assert spin.text().strip() == "0.05"
    assert zoom.zoom_of(w.overview) == pytest.approx(zoom.STEP)


def test_the_overview_keeps_the_followed_stage_in_view_when_the_row_grows(window, qtbot):
    """After F11 (larger type) or a zoom the row is wider: the stage of the phase just done is
    scrolled into view again, not left where the old layout had it."""
    w = window
    w.resize(1024, 768)
    for _ in range(6):  # forward up to F5 (input, C1, S2, C3, S4, F5)
        w.step_phase()
    wait_for(qtbot, w, lambda s: s.phase_position == 6)
    ov = w.overview
    stage = w.snapshot.active_stage
    grids = [g for g in ov.findChildren(MapGrid) if g.parentWidget() is ov.row]
    grid = grids[stage]

    def in_view() -> bool:
        left = grid.mapTo(ov.scroll.viewport(), QPoint(0, 0)).x()
        return left >= 0 and left + grid.width() // 2 <= ov.scroll.viewport().width()

    qtbot.waitUntil(in_view)
    zoom.set_zoom(ov, zoom.MAX_ZOOM)
    qtbot.waitUntil(lambda: ov.row.width() > 3 * ov.scroll.viewport().width())
    qtbot.waitUntil(in_view)
    zoom.set_zoom(ov, 1.0)
    qtbot.waitUntil(in_view)
