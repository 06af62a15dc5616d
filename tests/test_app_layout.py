"""The window on the screens of lecture halls: it opens inside the screen, remembers where it
was, and at every size every control of every panel can be reached (inside the window, or in a
scroll area that can show it) with no text cut short — in presentation mode too."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from cnnviz.app.window import MainWindow  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from layout_checks import every_page_problems, settle  # noqa: E402

TIMEOUT = 30_000
SIZES = [(1024, 768), (1280, 720), (1366, 768), (1920, 1080), (3840, 2160)]
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def window(qapp, tmp_path_factory):
    """One real window for the module, after one batch (every panel has content)."""
    from pytestqt.qtbot import QtBot

    folder = tmp_path_factory.mktemp("layout")
    old = {k: os.environ.get(k) for k in ("CNNVIZ_SETTINGS", "CNNVIZ_NO_PROMPT")}
    os.environ["CNNVIZ_SETTINGS"] = str(folder / "settings.ini")
    os.environ["CNNVIZ_NO_PROMPT"] = "1"
    w = MainWindow()
    w.show()
    bot = QtBot(None)
    bot.waitExposed(w)
    bot.waitUntil(lambda: w.snapshot is not None, timeout=TIMEOUT)
    w.step_batch()
    bot.waitUntil(lambda: w.snapshot.step >= 1, timeout=TIMEOUT)
    yield w, bot
    w.close()
    for k, v in old.items():
        os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)


def settled_problems(w, bot) -> list[str]:
    """The layout problems once a snapshot drawn during the check has been laid out too (a
    label given a longer number is laid out on the next pass, not at once)."""
    problems = every_page_problems(w)
    for _ in range(3):
        if not problems:
            break
        settle()
        problems = every_page_problems(w)
    return problems


def _at(w, bot, size) -> None:
    w.setWindowState(Qt.WindowNoState)
    w.resize(*size)
    bot.waitUntil(lambda: w.size().toTuple() == size, timeout=5000)
    settle()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_control_can_be_reached_and_no_text_is_cut_short(window, size):
    w, bot = window
    _at(w, bot, size)
    problems = settled_problems(w, bot)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("size", SIZES[:3], ids=lambda s: f"{s[0]}x{s[1]}")
def test_in_presentation_mode_too(window, size):
    w, bot = window
    w.lecture.toggle_presentation()
    try:
        _at(w, bot, size)  # the screen's size, as if full screen on it
        problems = settled_problems(w, bot)
        assert not problems, "\n".join(problems)
    finally:
        w.lecture.toggle_presentation()


def test_side_docks_become_tabs_when_narrow(window):
    w, bot = window
    _at(w, bot, (1280, 720))
    assert w.tabifiedDockWidgets(w.docks[0]) == w.docks[1:]
    _at(w, bot, (1920, 1080))
    assert w.tabifiedDockWidgets(w.docks[0]) == []
    assert all(d.isVisible() for d in w.docks)


def test_the_overview_scrolls_to_the_layer_of_the_phase(window):
    w, bot = window
    start = w.snapshot.step
    w.lecture.toggle_presentation()
    try:
        _at(w, bot, (1024, 768))
        ov = w.overview
        bar = ov.scroll.horizontalScrollBar()
        assert bar.maximum() > 0  # the row is wider than the window: it scrolls
        start = w.snapshot.step
        while w.snapshot.active_direction != "loss":
            done = w.snapshot.phase_position
            w.step_phase()
            bot.waitUntil(lambda d=done: w.snapshot.phase_position != d, timeout=TIMEOUT)
            w.draw_whole(w.snapshot)
            QApplication.processEvents()
            stage = w.snapshot.active_stage
            if stage is not None and w.snapshot.active_direction == "forward":
                assert not ov.grids[stage].visibleRegion().isEmpty(), stage
        assert not ov.badges.visibleRegion().isEmpty()  # the loss badge is in view
        assert bar.value() > 0
    finally:
        while (
            w.snapshot.phase_position or w.snapshot.step == start
        ):  # finish the step (the other tests see a whole step)
            w.step_phase()
            done = w.snapshot.phase_position
            bot.waitUntil(lambda d=done: w.snapshot.phase_position != d, timeout=TIMEOUT)
        w.lecture.toggle_presentation()


OPEN = textwrap.dedent(
    """
    import json, sys
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv)
    from cnnviz.app.window import MainWindow
    w = MainWindow(arch="tiny")
    if len(sys.argv) > 1:
        w.setGeometry(*json.loads(sys.argv[1]))
    w.show()
    for _ in range(5):
        app.processEvents()
    screen = w.screen().availableGeometry()
    print(json.dumps({"window": w.frameGeometry().getRect(), "geometry": w.geometry().getRect(),
                      "screen": screen.getRect(), "dpr": w.screen().devicePixelRatio()}))
    w.close()
    """
)


def _open(tmp_path, width, height, dpr=1, move=None) -> dict:
    config = tmp_path / f"screen-{width}x{height}.json"
    config.write_text(
        json.dumps(
            {"screens": [{"name": "hall", "x": 0, "y": 0, "width": width, "height": height,
                          "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": dpr}]}
        )
    )  # fmt: skip
    env = dict(os.environ, PYTHONPATH=str(ROOT), CNNVIZ_SETTINGS=str(tmp_path / "s.ini"))
    env["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    args = [sys.executable, "-c", OPEN] + ([json.dumps(move)] if move else [])
    out = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "screen", [(1024, 768, 1), (1280, 720, 1), (3840, 2160, 2)], ids=["1024", "720p", "4k-dpr2"]
)
def test_the_window_opens_inside_the_screen(tmp_path, screen):
    got = _open(tmp_path, *screen)
    x, y, w, h = got["window"]
    sx, sy, sw, sh = got["screen"]
    assert got["dpr"] == screen[2]
    assert sx <= x and sy <= y and x + w <= sx + sw and y + h <= sy + sh
    gw, gh = got["geometry"][2:]  # the default size (1600×1000 inside the frame), shrunk to fit
    assert min(1600, sw) - 16 <= gw <= 1600 and min(1000, sh) - 40 <= gh <= 1000


def test_the_window_remembers_where_it_was(tmp_path):
    _open(tmp_path, 1920, 1080, move=[120, 90, 1100, 700])
    assert _open(tmp_path, 1920, 1080)["geometry"] == [120, 90, 1100, 700]
    # remembered on a larger screen, it still opens inside a smaller one
    x, y, w, h = _open(tmp_path, 1024, 768)["window"]
    assert x >= 0 and y >= 0 and x + w <= 1024 and y + h <= 768


def test_the_overviews_question_mark_stays_put_while_the_phase_line_changes(make_window, qtbot):
    """The "?" sits after the map-kind buttons, so the phase line's changing text never moves
    it nor leaves it on a line of its own."""
    from PySide6.QtWidgets import QToolButton

    w = make_window(arch="tiny", dataset="synthetic-digits")
    bar = w.overview.top_bar
    items = [bar.itemAt(i).widget() for i in range(bar.count())]
    mark = next(b for b in items if isinstance(b, QToolButton) and b.text() == "?")
    assert items.index(mark) == items.index(w.overview.follow_check) + 1
    assert items.index(mark) < items.index(w.overview.phase_label)
    auto = w.overview.follow_check

    def beside_auto() -> bool:  # on the auto button's line, just after it
        a, m = auto.geometry(), mark.geometry()
        return m.top() == a.top() and 0 <= m.left() - a.right() <= 12

    qtbot.waitUntil(beside_auto)
    w.step_phase()
    qtbot.waitUntil(lambda: "1/" in w.overview.phase_label.text())
    qtbot.wait(50)
    assert beside_auto(), (auto.geometry(), mark.geometry())


def _title_ink(dock) -> int:
    """How wide the dock's title text is drawn: the columns of its title bar (left of the
    float and close buttons) holding a pixel unlike the bar's background."""
    bar = dock.grab().toImage()
    height = dock.widget().geometry().top()  # the title bar: above the content
    background = bar.pixel(1, 1)
    columns = [
        x
        for x in range(bar.width() - 4 * height)
        if any(bar.pixel(x, y) != background for y in range(1, max(height - 1, 2)))
    ]
    return columns[-1] - columns[0] if columns else 0


def test_dock_titles_grow_in_presentation_mode(window):
    """Qt draws a dock's title in a font of its own, read once; the docks here draw it in
    the application's, so "Sample" is as large as the rest on a projector."""
    w, bot = window
    _at(w, bot, (1920, 1080))
    dock = next(d for d in w.docks if d.property("panel") == "Sample")
    normal = _title_ink(dock)
    w.lecture.toggle_presentation()
    try:
        _at(w, bot, (1920, 1080))
        scaled = _title_ink(dock)
    finally:
        w.lecture.toggle_presentation()
    assert normal > 10 and scaled > 1.3 * normal, (normal, scaled, w.lecture.factor)


@pytest.mark.parametrize("present", [False, True], ids=["normal", "presenting"])
def test_the_gradient_checks_run_button_is_in_view_on_a_projector(window, present):
    """The tab is narrower than its table and maps at 1024×768, so its rows scroll sideways:
    the action comes first in its row, in view without scrolling."""
    w, bot = window
    if present:
        w.lecture.toggle_presentation()
    try:
        _at(w, bot, (1024, 768))
        panel = w.panels["grad_panel"].widget
        w.show_tab(panel)
        settle()
        scroll = panel.parentWidget().parentWidget()  # the tab's scroll area (viewport, area)
        button = panel.run_button
        top_left = button.mapTo(scroll.viewport(), button.rect().topLeft())
        assert top_left.x() >= 0
        assert top_left.x() + button.width() <= scroll.viewport().width()
    finally:
        if present:
            w.lecture.toggle_presentation()


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720)], ids=["1024x768", "1280x720"])
def test_the_inspector_needs_no_sideways_scrolling_on_a_projector(make_window, qtbot, size):
    """A window opened on a projector, F11: the statistics, the map titles, the weights bar and
    the section headings wrap, so the four maps of the sample (δ among them) are all in view."""
    w = make_window()
    w.step_batch()
    qtbot.waitUntil(lambda: w.snapshot.step >= 1, timeout=TIMEOUT)
    w.lecture.toggle_presentation()
    _at(w, qtbot, size)
    w.show_tab(w.inspector)
    settle()
    scroll = w.inspector.scroll
    assert scroll.widget().width() <= scroll.viewport().width()
    assert not scroll.horizontalScrollBar().isVisible()
    delta = w.inspector.grid("delta")
    right = delta.mapTo(scroll.viewport(), delta.rect().topRight()).x()
    assert right <= scroll.viewport().width()


def test_the_gradient_check_stacks_its_table_over_the_maps_when_narrow(make_window, qtbot):
    """Side by side where the tab is wide; at 1024×768 in presentation mode the table goes
    above the maps and the options wrap, so nothing needs sideways scrolling."""
    from PySide6.QtCore import Qt as QtNS

    w = make_window()
    panel = w.panels["grad_panel"].widget
    w.show_tab(panel)
    _at(w, qtbot, (1920, 1080))
    assert panel._split.orientation() == QtNS.Orientation.Horizontal
    w.lecture.toggle_presentation()
    _at(w, qtbot, (1024, 768))
    w.show_tab(panel)
    settle()
    scroll = panel.parentWidget().parentWidget()
    assert panel._split.orientation() == QtNS.Orientation.Vertical
    assert panel.width() <= scroll.viewport().width()
    assert not scroll.horizontalScrollBar().isVisible()
    w.lecture.toggle_presentation()
    _at(w, qtbot, (1920, 1080))
    assert panel._split.orientation() == QtNS.Orientation.Horizontal


def test_side_docks_shrink_with_a_window_made_narrower(make_window, qtbot):
    """Docks sized for a 1920 px window would squeeze the panels of a 1024 px one (the docks
    are tabs at both sizes in presentation mode, so nothing else lays them out again)."""
    w = make_window()
    _at(w, qtbot, (1920, 1080))
    w.lecture.toggle_presentation()
    _at(w, qtbot, (1920, 1080))
    dock = w.docks[0]
    w.resizeDocks([dock], [700], Qt.Horizontal)
    settle()
    assert dock.width() > 600
    _at(w, qtbot, (1024, 768))
    assert dock.width() <= 0.4 * w.width()
    w.lecture.toggle_presentation()


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720)], ids=["1024x768", "1280x720"])
def test_the_timeline_needs_no_sideways_scrolling_on_a_projector(make_window, qtbot, size):
    """Its step, Resume and options wrap under the transport row and the grid titles wrap, so
    the kernels, the maps and the sample with its prediction are all in view."""
    w = make_window()
    w.step_batch()
    qtbot.waitUntil(lambda: w.snapshot.step >= 1, timeout=TIMEOUT)
    panel = w.panels["timeline_view"].widget
    w.lecture.toggle_presentation()
    _at(w, qtbot, size)
    w.show_tab(panel)
    settle()
    scroll = panel.parentWidget().parentWidget()
    assert panel.width() <= scroll.viewport().width()
    assert not scroll.horizontalScrollBar().isVisible()
    bars = panel.bars
    assert bars.mapTo(scroll.viewport(), bars.rect().topRight()).x() <= scroll.viewport().width()


def test_the_training_plots_fit_the_dock_on_a_projector(make_window, qtbot):
    """At 1024×768 in presentation mode each plot's title and controls wrap and its legend
    has a line of its own, so the Progress dock needs no sideways scrolling."""
    w = make_window()
    w.lecture.toggle_presentation()
    _at(w, qtbot, (1024, 768))
    dock = next(d for d in w.docks if d.property("panel") == "Progress")
    dock.raise_()
    w.progress_tabs.setCurrentIndex(0)
    settle()
    scroll = w.plots.parentWidget().parentWidget()
    assert w.plots.width() <= scroll.viewport().width()
    assert not scroll.horizontalScrollBar().isVisible()


def test_the_inspector_statistics_rewrap_after_presentation_mode(make_window, qtbot):
    """On one line at 1920 px; on more in presentation mode at 1024×768; on one again after
    F11 takes the window back, with no new data to draw in between (paused)."""
    w = make_window()
    w.step_batch()
    qtbot.waitUntil(lambda: w.snapshot.step >= 1, timeout=TIMEOUT)
    w.show_tab(w.inspector)
    _at(w, qtbot, (1920, 1080))
    cells = [c for c in w.inspector._stat_cells.values() if c.isVisible()]
    assert len(cells) >= 6

    def lines() -> int:
        settle()
        return len({c.y() for c in cells if c.isVisible()})

    assert lines() == 1
    w.lecture.toggle_presentation()
    _at(w, qtbot, (1024, 768))
    assert lines() > 1
    w.lecture.toggle_presentation()
    _at(w, qtbot, (1920, 1080))
    assert lines() == 1
