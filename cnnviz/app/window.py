"""The main window: the registered panels (:mod:`cnnviz.app.panels`) around the toolbar and
menus, commands to the training process, and the latest snapshot drawn at up to 30 frames a
second as the frame pacer (:mod:`cnnviz.app.pacer`) decides.

Layout: the network overview across the top, the lower tabs (layer inspector, backprop rule,
…) below it; on the right the sample panel, and the training plots and confusion matrix as
tabs. What the window does besides lives beside it: files (:mod:`.files`), exports
(:mod:`.export.controller`), presentation mode and presets (:mod:`.lecture`), the training
process's lifecycle (:mod:`.process`), the toolbar's controls (:mod:`.controls`) and the
actions with their shortcuts (:mod:`.actions`).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDockWidget,
    QFileDialog,  # noqa: F401 - the dialogs the window asks with (tests replace them here)
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QToolButton,
    QWidget,
)

from cnnviz.lessons.concepts import PANEL_CONCEPTS
from cnnviz.live.remote import RemoteSession
from cnnviz.live.snapshot import Snapshot, ViewRequest
from cnnviz.training.trainer import Hyperparameters

from .actions import build_actions, build_menus
from .colors import DisplaySettings
from .concepts import concept_button, show_concept
from .controls import TrainingControls
from .export.controller import ExportController
from .files import MODEL_FILTER, FileController  # noqa: F401 - MODEL_FILTER: tests use it
from .lecture import LectureController
from .main import DEFAULT_ARCH, DEFAULT_DATASET, start_spec
from .pacer import FramePacer, draws_in_pieces
from .pages import scrolled, with_concept
from .panels import LOWER, PANELS, PROGRESS, SIDE, TOP, Panel, view_flags
from .process import ProcessController
from .references import show_references
from .status import StatusLine
from .widgets.dock import Dock

FRAME_MS = 33  # ≈ 30 frames a second
DEFAULT_SIZE = (1600, 1000)  # at most; never more than the screen's available area
NARROW_WIDTH = 1400  # below it the side docks become tabs of one dock
GEOMETRY_KEY = "window/geometry"


translate = QCoreApplication.translate  # extracted by pyside6-lupdate


class MainWindow(QMainWindow):
    """The cnnviz main window; each registered panel's widget is ``window.<key>``."""

    snapshotRendered = Signal(object)  # the Snapshot just drawn (tests and exports use it)
    timelineFrameReady = Signal(object)  # a TimelineFrame computed in the training process
    sweepReady = Signal(object, str)  # backward-sweep frames and the GIF path to write
    gradReportReady = Signal(object)  # a GradCheckReport computed in the training process
    gradCheckFailed = Signal(str)

    def __init__(
        self,
        arch: str = DEFAULT_ARCH,
        dataset: str = DEFAULT_DATASET,
        data_dir: str | None = None,
        model_path: str | None = None,
        preset_path: str | None = None,
        hyperparameters: Hyperparameters | None = None,
        remote: RemoteSession | None = None,
    ) -> None:
        super().__init__()
        self.setWindowTitle("cnnviz")
        self.data_dir = data_dir
        self.settings = DisplaySettings()
        self.view = ViewRequest(stage=1)
        self.session: RemoteSession | None = None
        self.snapshot: Snapshot | None = None
        self.last_error: str | None = None
        self.error_box: QMessageBox | None = None
        self._generation = -1
        self._rescale_due = False
        self._playing = False  # what the Play/Pause button shows (the training process says)
        self.draw_counts: Counter[str] = Counter()  # parts drawn (for benchmarks)
        self.pacer = FramePacer(self)
        self.budget = self.pacer.budget
        qsettings = QSettings(
            os.environ.get("CNNVIZ_SETTINGS", str(Path.home() / ".config/cnnviz/cnnviz.ini")),
            QSettings.IniFormat,
        )
        self.qsettings = qsettings
        self.files = FileController(self, qsettings)
        self.process = ProcessController(self)
        self.lecture = LectureController(self)
        if preset_path:
            arch, dataset, model_path, hyperparameters = self.lecture.start_with(
                preset_path, arch, dataset, model_path, hyperparameters
            )
        self.arch_name, self.dataset_name = arch, dataset
        self._build_panels()
        self.exports = ExportController(self)
        build_actions(self)
        self._build_toolbar()
        build_menus(self)
        self.status = StatusLine(self)
        self.status_phase, self.status_hover = self.status.phase, self.status.hover
        for p in self.panels.values():
            p.connect()
        self._keep_keys_for_shortcuts()
        self.set_controls_enabled(False)
        self.place_on_screen()

        if remote is None:  # else started already, on the defaults (main.start_training)
            remote = RemoteSession(start_spec(arch, dataset, data_dir, model_path, hyperparameters))
        self.process.start(remote)

        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.status_phase.setText(
            self.tr("Preparing {arch} on {dataset}…").format(arch=arch, dataset=dataset)
        )

    @property
    def relay(self):
        """The thread reading the training process's messages (:mod:`cnnviz.app.worker`)."""
        return self.process.relay

    def new_process(self) -> None:
        """A new training process: its first snapshot is a new network, whatever its number."""
        self._generation = -1

    def take_metrics(self, batch) -> None:
        """New metric entries from the relay, once each and in order: every panel sees them."""
        for panel in self.panels.values():
            panel.metrics(batch)

    # ------------------------------------------------------------------ building
    def _build_panels(self) -> None:
        """Every registered panel, in its place: TOP above the LOWER tabs, SIDE docks, and the
        PROGRESS tabs in a dock of their own."""
        self.panels: dict[str, Panel] = {}
        for cls in PANELS:
            panel = cls(self)
            self.panels[panel.key] = panel
            setattr(self, panel.key, panel.widget)
        self.lower = QTabWidget()
        self.lower.setMinimumHeight(220)
        split = QSplitter(Qt.Vertical)
        for p in self.panels.values():
            if p.place == TOP:
                p.widget.setMinimumHeight(p.min_height)
                split.addWidget(p.widget)
            elif p.place == LOWER:
                self.lower.addTab(scrolled(p.widget), p.label)  # never cut off: it scrolls
        self.lower.setCornerWidget(self._concept_corner(self.lower, self.lower_panels()))
        split.addWidget(self.lower)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)
        self.splitter = split
        self.setCentralWidget(split)
        self.lower.currentChanged.connect(self._tab_changed)

        self.docks: list[QDockWidget] = []
        for p in self.panels.values():
            if p.place == SIDE:
                self._add_dock(p.title, p.label, with_concept(scrolled(p.widget), p.concept))
        self.progress_tabs = QTabWidget()
        progress = [p for p in self.panels.values() if p.place == PROGRESS]
        for p in progress:
            self.progress_tabs.addTab(scrolled(p.widget), p.label)
        self.progress_tabs.setCornerWidget(self._concept_corner(self.progress_tabs, progress))
        self._add_dock("Progress", self.tr("Progress"), self.progress_tabs)
        top = [p for p in self.panels.values() if p.place == TOP and p.concept]
        for p in top:
            if hasattr(p.widget, "add_corner"):
                p.widget.add_corner(concept_button(PANEL_CONCEPTS[p.concept], p.widget))
        self._narrow: bool | None = None
        self._set_view_flags()

    def _add_dock(self, key: str, title: str, widget: QWidget) -> None:
        """A dock titled ``title``; ``key`` (English) names it in lecture presets."""
        dock = Dock(title, self)
        dock.setObjectName(f"{key.lower()}-dock")
        dock.setProperty("panel", key)
        dock.setWidget(widget)
        self.addDockWidget(Qt.RightDockWidgetArea, dock)
        self.docks.append(dock)

    def _concept_corner(self, tabs: QTabWidget, panels: list[Panel]) -> QToolButton:
        """A "?" in the corner of ``tabs``: the concept of the tab shown (Help ▸ Concepts)."""
        button = QToolButton(tabs)
        button.setText("?")
        button.setAutoRaise(True)
        button.setToolTip(self.tr("Help ▸ Concepts: what this panel shows"))

        def page() -> str | None:
            shown = tabs.currentWidget()
            if isinstance(shown, QScrollArea):
                shown = shown.widget()
            for p in panels:
                if p.concept and shown is p.widget:
                    return PANEL_CONCEPTS[p.concept]
            return None

        button.clicked.connect(lambda: show_concept(self, page(), self.lecture.shown_scale()))
        return button

    def show_concepts(self) -> None:
        show_concept(self, None, self.lecture.shown_scale())

    def show_references(self) -> None:
        show_references(self)

    # ------------------------------------------------------------------ size and place
    def place_on_screen(self) -> None:
        """Open at the remembered geometry if it fits the screen, else at the default size
        (1600×1000) shrunk to the screen's available area and centred on it."""
        screen = self.screen() or QApplication.primaryScreen()
        avail = screen.availableGeometry()
        saved = self.qsettings.value(GEOMETRY_KEY)
        if saved is not None and self.restoreGeometry(saved):
            if avail.contains(self.frameGeometry()) or avail.contains(self.geometry()):
                return
        width, height = min(DEFAULT_SIZE[0], avail.width()), min(DEFAULT_SIZE[1], avail.height())
        frame = self.frameGeometry().size() - self.geometry().size()
        width, height = width - max(frame.width(), 0), height - max(frame.height(), 0)
        self.resize(width, height)
        self.move(
            avail.x() + (avail.width() - width) // 2, avail.y() + (avail.height() - height) // 2
        )
        self.arrange()

    def _inside_screen(self) -> None:
        screen = self.screen() or QApplication.primaryScreen()
        avail, frame = screen.availableGeometry(), self.frameGeometry()
        if self.isMaximized() or self.isFullScreen() or avail.contains(frame):
            return
        extra_w = max(frame.width() - avail.width(), 0)
        extra_h = max(frame.height() - avail.height(), 0)
        if extra_w or extra_h:
            self.resize(self.width() - extra_w, self.height() - extra_h)
        frame = self.frameGeometry()
        x = min(max(frame.x(), avail.x()), avail.right() + 1 - frame.width())
        y = min(max(frame.y(), avail.y()), avail.bottom() + 1 - frame.height())
        self.move(x, y)

    def arrange(self) -> None:
        """Lay the side docks out for the width: one above the other on a wide window, as tabs
        of one dock below :data:`NARROW_WIDTH` (more height for each)."""
        narrow = self.width() < NARROW_WIDTH or self.presenting
        if narrow == self._narrow or len(self.docks) < 2:
            return
        self._narrow = narrow
        shown = [d.isVisible() or not self.isVisible() for d in self.docks]
        first = self.docks[0]
        for d in self.docks[1:]:
            if narrow:
                self.tabifyDockWidget(first, d)
            else:  # out of the tabs: below the first
                self.removeDockWidget(d)
                self.addDockWidget(Qt.RightDockWidgetArea, d, Qt.Vertical)
        for d, on in zip(self.docks, shown, strict=True):
            d.setVisible(on)
        if narrow:
            first.raise_()
        self.resizeDocks([first], [self._dock_width()], Qt.Horizontal)

    def _dock_width(self) -> int:
        """The side docks' width for this window: 30 % of it, at least 260 px."""
        return max(260, int(self.width() * 0.3))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if getattr(self, "_narrow", None) is not None or hasattr(self, "docks"):
            self.arrange()
            self._keep_docks_in_proportion(event.oldSize().width())

    def _keep_docks_in_proportion(self, old_width: int) -> None:
        """A window made narrower (1920 px to a projector's 1024) keeps side docks sized for
        the wide one, squeezing the panels: past 40 % of the new width they go back to 30 %."""
        shown = [d for d in self.docks if d.isVisible() and not d.isFloating()]
        if not shown or old_width <= self.width():
            return
        if max(d.width() for d in shown) > 0.4 * self.width():
            self.resizeDocks([shown[0]], [self._dock_width()], Qt.Horizontal)

    def lower_panels(self) -> list[Panel]:
        return [p for p in self.panels.values() if p.place == LOWER]

    def current_tab(self) -> QWidget:
        """The panel shown in the lower tabs (inside its scroll area, if any)."""
        page = self.lower.currentWidget()
        return page.widget() if isinstance(page, QScrollArea) else page

    def is_current(self, panel: Panel) -> bool:
        """Whether ``panel`` is drawn: every panel but the lower tabs not shown."""
        return panel.place != LOWER or panel.widget is self.current_tab()

    def show_tab(self, widget: QWidget) -> None:
        for i in range(self.lower.count()):
            page = self.lower.widget(i)
            if page is widget or (isinstance(page, QScrollArea) and page.widget() is widget):
                self.lower.setCurrentIndex(i)
                return

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not getattr(self, "_framed", False) and not self.presenting:
            self._framed = True  # the frame is known once shown: keep it inside the screen
            QTimer.singleShot(0, self._inside_screen)
        if not getattr(self, "_sized", False):  # the network gets two fifths of the height
            self._sized = True
            h = max(self.splitter.height(), 600)
            self.splitter.setSizes([int(h * 0.42), int(h * 0.58)])

    def _build_toolbar(self) -> None:
        tb = self.addToolBar(self.tr("Training"))
        tb.setObjectName("training-toolbar")
        tb.setMovable(False)
        tb.addActions([self.act_play, self.act_step, self.act_phase, self.act_undo, self.act_reset])
        tb.addSeparator()
        self.controls = c = TrainingControls(self, tb)
        self.speed, self.lr, self.momentum, self.batch = c.speed, c.lr, c.momentum, c.batch
        self.arch_combo, self.dataset_combo, self.scaling = c.arch, c.dataset, c.scaling

    def _keep_keys_for_shortcuts(self) -> None:
        """Space and the arrows must always reach the training shortcuts, so the views hold
        the keyboard focus; a number field keeps it only while it is being edited."""
        self.centralWidget().setFocusPolicy(Qt.StrongFocus)
        for box in self.findChildren(QAbstractSpinBox):
            box.setFocusPolicy(Qt.ClickFocus)
            box.editingFinished.connect(self.return_focus)
        for combo in self.findChildren(QComboBox):
            combo.setFocusPolicy(Qt.ClickFocus)
            combo.activated.connect(self.return_focus)

    def return_focus(self) -> None:
        self.centralWidget().setFocus(Qt.OtherFocusReason)

    # ------------------------------------------------------------------ commands
    def send(self, fn: Callable[[RemoteSession], None]) -> None:
        """Call ``fn(session)`` if there is a session; its effect is drawn at the next tick."""
        if self.session is not None:
            fn(self.session)
            self.pacer.poke()

    def toggle_play(self) -> None:
        # what the button shows decides, and flips at once (a second press before the
        # training process has answered undoes the first); a pause also takes effect during
        # a test evaluation instead of after it
        self._playing = not self._playing
        self.send(lambda s: s.play() if self._playing else s.pause())

    def step_batch(self) -> None:
        self.send(lambda s: s.step_batch())

    def step_phase(self) -> None:
        self.send(lambda s: s.step_phase())

    def reset(self) -> None:
        if self.session is None or not self.files.confirm_discard(self.tr("Reset the weights")):
            return
        self.session.reset()

    def set_hp(self, **changes) -> None:
        self.send(lambda s: s.set_hyperparameters(**changes))

    def select_stage(self, index: int) -> None:
        self.view.stage = int(index)
        self.send(lambda s: s.set_view(self.view))

    def select_map_kind(self, kind: str) -> None:
        self.view.map_kind = kind
        self.overview.set_map_kind(kind)
        self.send(lambda s: s.set_view(self.view))

    def select_sample(self, index: int) -> None:
        self.view.sample = int(index)
        self.send(lambda s: s.set_view(self.view))

    def probe(self, split: str, index: int) -> None:
        self.send(lambda s: s.probe(split, int(index)))

    def sample_ref(self) -> tuple[str, int]:
        snap = self.snapshot
        if snap is not None and snap.sample_index >= 0:
            return ("test" if snap.sample_source == "test" else "train"), snap.sample_index
        return "test", 0

    def _set_view_flags(self) -> bool:
        """Ask for what the panels shown need (ViewRequest flags); True if that changed."""
        shown = [p for p in self.panels.values() if self.is_current(p)]
        wanted = {flag: any(flag in p.needs for p in shown) for flag in view_flags()}
        changed = any(getattr(self.view, f) != on for f, on in wanted.items())
        for flag, on in wanted.items():
            setattr(self.view, flag, on)
        return changed

    def _tab_changed(self, _index: int) -> None:
        if self._set_view_flags():
            self.send(lambda s: s.set_view(self.view))
        self.draw_whole(self.snapshot)

    # the window's own interface to what its controllers do (tests and benchmarks use it)
    _select_map_kind = select_map_kind

    def start_new(self, arch: str, dataset: str) -> bool:
        return self.files.start_new(arch, dataset)

    def open_model(self, path: str | None = None) -> None:
        self.files.open_model(path)

    def save_to(self, path: str, wait: bool = False) -> bool:
        return self.files.save_to(path, wait)

    def _recent(self) -> list[str]:
        return self.files.recent()

    def export_png(self, path: str | None = None) -> bool:
        return self.exports.export_png(path)

    def export_panel(self, name: str | None = None, path: str | None = None) -> bool:
        return self.exports.export_panel(name, path)

    def export_filter_gif(self, path: str | None = None, layer: str | None = None) -> bool:
        return self.exports.export_filter_gif(path, layer)

    def export_sweep_gif(self, path: str | None = None) -> bool:
        return self.exports.export_sweep_gif(path)

    def open_preset(self, path: str | None = None) -> bool:
        return self.lecture.open_preset(path)

    def save_preset(self, path: str | None = None) -> bool:
        return self.lecture.save_preset(path)

    @property
    def presenting(self) -> bool:
        return self.lecture.presenting

    # ------------------------------------------------------------------ what the process says
    def show_running(self, running: bool) -> None:
        self._playing = running
        self.act_play.setText(
            translate("actions", "❚❚ Pause") if running else translate("actions", "▶ Play")
        )

    def show_error(self, message: str) -> None:
        """One line in a dialog; the app and the current model carry on. Not once the window
        is closing: a request still under way then fails ("the training process has ended"),
        and a box opened after the window closed would keep the application from quitting."""
        self.last_error = message
        if self.process.closing:
            return
        self.process.close_progress()
        # a network that could not be made leaves the one shown: the Network box says so
        self.controls.sync_network(self.arch_name, self.dataset_name)
        box = QMessageBox(QMessageBox.Warning, "cnnviz", message, QMessageBox.Ok, self)
        box.setAttribute(Qt.WA_DeleteOnClose)
        box.open()
        self.error_box = box

    def report_error(self, message: str) -> None:
        """:meth:`show_error`, from the relay thread too."""
        self.relay.error.emit(message)

    def show_hover(self, text: str) -> None:
        self.status_hover.setText(text)

    def show_message(self, text: str, ms: int = 4000) -> None:
        self.statusBar().showMessage(text, ms)

    def set_controls_enabled(self, enabled: bool) -> None:
        for act in (self.act_play, self.act_step, self.act_phase, self.act_reset, self.act_eval,
                    self.act_undo, self.act_undo_phase, self.act_undo_batch,
                    self.act_save, self.act_save_as, self.act_new, self.act_open):  # fmt: skip
            act.setEnabled(enabled)

    # ------------------------------------------------------------------ drawing
    def refresh(self) -> None:
        """Timer tick: the pacer draws the latest snapshot, whole or in pieces."""
        if self.session is None:
            return
        last = self.snapshot
        self.pacer.tick(
            last is not None
            and last.running
            and self.session.newest_running()  # a pause is drawn whole, at once
            and draws_in_pieces(self.controls.speed_index)
        )

    def take_snapshot(self) -> Snapshot | None:
        return self.session.take_snapshot() if self.session is not None else None

    def draw_whole(self, snap: Snapshot | None) -> None:
        """Draw every part from ``snap`` now."""
        if snap is None:
            return
        self.accept_snapshot(snap)
        for part in (TOP, LOWER, SIDE):
            self.draw_part(part, snap)
        if self._rescale_due:  # the new network's widgets, at the scale of the rest
            self._rescale_due = False
            self.lecture.rescale()
        self.pacer.restart()
        self.snapshotRendered.emit(snap)

    def frame_started(self, snap: Snapshot) -> None:
        self.snapshotRendered.emit(snap)

    def accept_snapshot(self, snap: Snapshot) -> None:
        """Make ``snap`` current: a new network clears the views; every panel follows it (the
        plots append its metrics and draw them on their own clock) and the status is set."""
        new_network = snap.generation != self._generation
        if new_network:
            self._generation = snap.generation
            self._rescale_due = True
            for p in self.panels.values():
                p.new_network()
            self.arch_name, self.dataset_name = snap.architecture, snap.dataset
            self.controls.sync_network(snap.architecture, snap.dataset)
            info = self.session.trainer_info if self.session is not None else None
            if info is not None:
                self.controls.sync_hyperparameters(info.hp)
            self.process.close_progress()
        self.snapshot = snap
        if new_network and self.session is not None:
            self.lecture.apply_pending()  # a preset that asked for this network
        for p in self.panels.values():
            p.follow(snap)
        self.status.show(snap)

    def draw_part(self, part: str, snap: Snapshot) -> None:
        """Draw the panels in ``part`` (TOP, SIDE, or the current LOWER tab) from ``snap``."""
        self.draw_counts[part] += 1
        for p in self.panels.values():
            if p.place == part and self.is_current(p):
                p.draw(snap)

    def set_piecewise(self, on: bool) -> None:
        for p in self.panels.values():
            p.set_piecewise(on)

    def piece_due(self) -> bool:
        self._due = next((p for p in self.panels.values() if p.piece_due()), None)
        return self._due is not None

    def draw_piece(self) -> None:
        self._due.draw_piece()

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if not self.files.confirm_discard(self.tr("Quit")):
            event.ignore()
            return
        self.timer.stop()
        if self.presenting:  # the application's font and palette are shared: give them back
            self.lecture.toggle_presentation()
        if not self.isMaximized():
            self.qsettings.setValue(GEOMETRY_KEY, self.saveGeometry())
        box, self.error_box = self.error_box, None
        if box is not None and shiboken6.isValid(box):
            box.close()  # one still open would outlive the window
        self.process.stop()
        event.accept()
