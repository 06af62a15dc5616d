"""The main window: toolbar, menus and shortcuts that send commands to the session, and
views that render its latest snapshot at up to 30 frames a second.

Layout: the network overview across the top, the layer inspector below it; on the right the
sample panel, and the training plots and confusion matrix as tabs.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QColor, QFont, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QWidget,
)

from cnnviz.live.remote import RemoteError, RemoteSession
from cnnviz.live.session import SPEEDS
from cnnviz.live.snapshot import Snapshot, ViewRequest
from cnnviz.training.architectures import PRESETS
from cnnviz.training.stages import MAP_KIND_LABELS
from cnnviz.training.trainer import Hyperparameters

from .budget import DrawBudget
from .canvas import DrawCanvas
from .collector import gui_thread_collector
from .colors import SCALINGS, DisplaySettings
from .confusion import ConfusionView
from .convexplainer import ConvExplainer
from .export import ExportError, export_png, export_svg, gif_of_backward_sweep, gif_of_filters
from .gradcheck import GradCheckPanel
from .inspector import LayerInspector
from .main import APP_EPOCHS, DEFAULT_ARCH, DEFAULT_DATASET, start_spec
from .overview import NetworkOverview
from .plots import TrainingPlots
from .presets import Preset, PresetError, load_preset, save_preset
from .rules import RulePanel
from .sample import SamplePanel
from .timeline import TimelineView
from .worker import TrainingThread

MODEL_FILTER = "cnnviz models (*.cnnviz.npz *.npz);;All files (*)"
PRESET_FILTER = "Lecture presets (*.json);;All files (*)"
EXPLAIN_TABS = ("Backprop rule", "Convolution explainer")
FRAME_MS = 33  # ≈ 30 frames a second
SAVE_WAIT_S = 30.0  # how long Save before Quit/New/Open waits for the file to be written
# While training runs at full speed the window draws in pieces: a new snapshot at most every
# FAST_FRAME_S (the training process publishes about 15 a second), its views in separate frame
# ticks (the overview, then the sample panel, then the detailed panel below at most every
# LOWER_FAST_S), so that no single pass of the event loop paints the whole window; and only
# while the GUI thread stays within its DrawBudget, so that the window answers the user at
# once on a slow machine. Paused, stepping or at a lecture speed, every snapshot is drawn
# whole, at once. (benchmarks/app_throughput.py measures frame rates, stalls and training.)
FAST_FRAME_S = 1 / 15
LOWER_FAST_S = 1 / 4
PLOTS_FPS = 4
PLOTS_FAST_FPS = 2  # the curves change slowly; the maps are what there is to watch

SHORTCUTS = [
    ("Space", "Play / pause training"),
    ("→  or  N", "Step one batch (forward, loss, backward, update)"),
    ("Shift+→", "Step one phase: forward layer by layer → loss → backward → update"),
    ("Ctrl+R", "Reset: re-initialise the weights"),
    ("Ctrl+N", "New network (architecture and dataset)"),
    ("Ctrl+O / Ctrl+S / Ctrl+Shift+S", "Open / save / save a model as"),
    ("Ctrl+E", "Export the current view as PNG"),
    ("F11", "Presentation mode: full screen, large type, high contrast"),
    ("Ctrl+L / Ctrl+Shift+L", "Open / save a lecture preset"),
    ("Ctrl+Tab", "Next panel: inspector, backprop rule, convolution explainer, …"),
    ("1 – 4", "Show activations, net input u, δ, ∂E/∂input"),
    ("Ctrl+Q", "Quit"),
]


class NewDialog(QDialog):
    """Choose an architecture and a dataset for a new network."""

    def __init__(self, arch: str, dataset: str, parent=None) -> None:
        super().__init__(parent)
        from cnnviz.datasets import list_datasets

        self.setWindowTitle("New network")
        form = QFormLayout(self)
        self.arch = QComboBox()
        for name, spec in PRESETS.items():
            self.arch.addItem(f"{name} — {spec.get('description', '')}", name)
        self.arch.setCurrentIndex(max(self.arch.findData(arch), 0))
        self.dataset = QComboBox()
        for info in list_datasets():
            self.dataset.addItem(f"{info.name} — {info.description}", info.name)
        self.dataset.setCurrentIndex(max(self.dataset.findData(dataset), 0))
        form.addRow("Architecture", self.arch)
        form.addRow("Dataset", self.dataset)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class MainWindow(QMainWindow):
    """The cnnviz main window."""

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
        self.resize(1600, 1000)
        self.data_dir = data_dir
        self.arch_name, self.dataset_name = arch, dataset
        self.settings = DisplaySettings()
        self.view = ViewRequest(stage=1)
        self.session: RemoteSession | None = None
        self.snapshot: Snapshot | None = None
        self.last_error: str | None = None
        self._generation = -1
        self._last_draw: dict[str, float] = {}
        self._fast = False  # training at full speed: draw in pieces, within the budget
        self._playing = False  # what the Play/Pause button shows (the training process says)
        self._pending: list[str] = []  # views still to draw from self.snapshot, in order
        self.budget = DrawBudget()
        self.draw_counts: Counter[str] = Counter()  # views drawn, by part (for benchmarks)
        self._cancel = threading.Event()
        self._progress: QProgressDialog | None = None
        self.presenting = False
        self._normal_look = None
        self._pending_preset: Preset | None = None
        if preset_path:
            try:
                preset = load_preset(preset_path)
            except PresetError as exc:
                QTimer.singleShot(0, lambda m=str(exc): self.show_error(m))
            else:
                self._pending_preset = preset
                arch = preset.architecture or arch
                dataset = preset.dataset or dataset
                model_path = preset.model or model_path
                hyperparameters = Hyperparameters(
                    lr=preset.lr or Hyperparameters.lr,
                    momentum=0.9 if preset.momentum is None else preset.momentum,
                    batch_size=preset.batch_size or 64,
                    epochs=APP_EPOCHS,
                )
                self.arch_name, self.dataset_name = arch, dataset
        self._qsettings = QSettings(
            os.environ.get("CNNVIZ_SETTINGS", str(Path.home() / ".config/cnnviz/cnnviz.ini")),
            QSettings.IniFormat,
        )
        self._build_views()
        self._build_actions()
        self._build_toolbar()
        self._build_menus()
        self._build_statusbar()
        self._keep_keys_for_shortcuts()
        self._set_controls_enabled(False)

        if remote is None:  # else started already, on the defaults (main.start_training)
            remote = RemoteSession(start_spec(arch, dataset, data_dir, model_path, hyperparameters))
        self._collecting = False
        self._closing = False
        self.thread: TrainingThread | None = None
        self._start_thread(remote)

        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.status_phase.setText(f"Preparing {arch} on {dataset}…")

    @property
    def _ended(self) -> bool:
        """The training process has gone: New or Open starts another."""
        return self.thread.remote.ended.is_set()

    def _start_thread(self, remote: RemoteSession) -> None:
        """Start the training thread, which starts the training process of ``remote``."""
        self.thread = TrainingThread(remote, self)
        self.thread.ready.connect(self._on_ready)
        self.thread.failed.connect(self._on_failed)
        self.thread.error.connect(self.show_error)
        self.thread.running.connect(self._on_running)
        self.thread.saved.connect(self._on_saved)
        self.thread.loaded.connect(self._on_loaded)
        self.thread.progress.connect(self._on_progress)
        self.thread.metrics.connect(self.plots.append_metrics)  # every entry, in order
        self.thread.ended.connect(self._on_ended)
        self.thread.finished_training.connect(
            lambda: self.statusBar().showMessage("Training finished: all epochs done", 5000)
        )
        # Cycles are collected on this thread while the training thread (which reads the
        # process's messages, allocating all the while) lives (collector.py)
        if not self._collecting:
            self._collecting = True
            gui_thread_collector().acquire()
        self.thread.finished.connect(self._release_collector)
        self.thread.start()

    def _restart(self, spec: dict, what: str) -> None:
        """After the training process has gone: a new one, with a new network."""
        self.thread.wait(5000)
        self._generation = -1  # its first snapshot is a new network, whatever its number
        self._cancel.clear()
        self._start_thread(RemoteSession(spec))
        self.status_phase.setText(f"Preparing {what}…")

    # ------------------------------------------------------------------ building
    def _build_views(self) -> None:
        self.overview = NetworkOverview()
        self.inspector = LayerInspector()
        self.rules = RulePanel()
        self.explainer = ConvExplainer()
        self.lower = QTabWidget()
        self.lower.addTab(self.inspector, "Layer inspector")
        self.lower.addTab(self.rules, "Backprop rule")
        self._add_scrolled_tab(self.explainer, "Convolution explainer")
        self.timeline_view = TimelineView(settings=self.settings)
        self.timeline_view.set_requester(self._request_timeline_frame)
        self.timelineFrameReady.connect(self.timeline_view.show_frame)
        self.sweepReady.connect(self._write_sweep_gif)
        self._timeline_seen: tuple[int, int] = (0, -1)
        self.lower.addTab(self.timeline_view, "Timeline")
        self.canvas = DrawCanvas()
        self.canvas.imageReady.connect(self._probe_drawing)
        self._add_scrolled_tab(self.canvas, "Draw")
        self.grad_panel = GradCheckPanel()
        self.grad_panel.runRequested.connect(self._run_gradient_check)
        self.gradReportReady.connect(self.grad_panel.show_report)
        self.gradCheckFailed.connect(self.grad_panel.show_error)
        self._add_scrolled_tab(self.grad_panel, "Gradient check")
        self.lower.currentChanged.connect(self._tab_changed)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.overview)
        split.addWidget(self.lower)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)
        self.lower.setMinimumHeight(220)
        self.overview.setMinimumHeight(260)
        self.splitter = split
        self.setCentralWidget(split)

        self.sample_panel = SamplePanel()
        dock = QDockWidget("Sample", self)
        dock.setObjectName("sample-dock")
        dock.setWidget(self.sample_panel)
        self.addDockWidget(Qt.RightDockWidgetArea, dock)
        self.sample_dock = dock

        self.plots = TrainingPlots()
        self.plots.max_fps = PLOTS_FPS
        self.confusion = ConfusionView()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.plots, "Training")
        self.tabs.addTab(self.confusion, "Confusion")
        dock = QDockWidget("Progress", self)
        dock.setObjectName("progress-dock")
        dock.setWidget(self.tabs)
        self.addDockWidget(Qt.RightDockWidgetArea, dock)
        self.progress_dock = dock

        self.overview.stageSelected.connect(self._select_stage)
        self.overview.mapKindChanged.connect(self._select_map_kind)
        self.sample_panel.sampleChanged.connect(self._select_sample)
        self.sample_panel.testSampleRequested.connect(lambda i: self._probe("test", i))
        self.confusion.exampleRequested.connect(lambda i: self._probe("test", i))
        self.confusion.evaluateRequested.connect(lambda: self._send(lambda s: s.evaluate()))

    def _add_scrolled_tab(self, widget: QWidget, title: str) -> None:
        """A tab whose page scrolls when the window is too short for it (never overlaps)."""
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QScrollArea.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        area.setWidget(widget)
        self.lower.addTab(area, title)

    def current_tab(self) -> QWidget:
        """The panel shown in the lower tabs (inside its scroll area, if any)."""
        page = self.lower.currentWidget()
        return page.widget() if isinstance(page, QScrollArea) else page

    def show_tab(self, widget: QWidget) -> None:
        for i in range(self.lower.count()):
            page = self.lower.widget(i)
            if page is widget or (isinstance(page, QScrollArea) and page.widget() is widget):
                self.lower.setCurrentIndex(i)
                return

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not getattr(self, "_sized", False):  # the network gets two fifths of the height
            self._sized = True
            h = max(self.splitter.height(), 600)
            self.splitter.setSizes([int(h * 0.42), int(h * 0.58)])

    def _action(self, text: str, slot, shortcuts=(), tip: str = "") -> QAction:
        act = QAction(text, self)
        if shortcuts:
            act.setShortcuts([QKeySequence(s) for s in shortcuts])
            act.setShortcutContext(Qt.ApplicationShortcut)
        act.setToolTip(f"{tip or text} ({' / '.join(shortcuts)})" if shortcuts else tip or text)
        act.triggered.connect(slot)
        self.addAction(act)
        return act

    def _build_actions(self) -> None:
        self.act_play = self._action("▶ Play", self.toggle_play, ["Space"], "Play / pause")
        self.act_step = self._action(
            "Step batch", self.step_batch, ["Right", "N"], "Step one batch"
        )
        self.act_phase = self._action(
            "Step phase", self.step_phase, ["Shift+Right"], "Step one phase of backprop"
        )
        self.act_reset = self._action("Reset", self.reset, ["Ctrl+R"], "Re-initialise the weights")
        self.act_eval = self._action(
            "Evaluate now", lambda: self._send(lambda s: s.evaluate()), [], "Test-set accuracy"
        )
        self.act_new = self._action("New…", self.new_network, ["Ctrl+N"])
        self.act_open = self._action("Open model…", self.open_model, ["Ctrl+O"])
        self.act_save = self._action("Save", self.save, ["Ctrl+S"])
        self.act_save_as = self._action("Save as…", self.save_as, ["Ctrl+Shift+S"])
        self.act_export = self._action("Export view as PNG…", self.export_png, ["Ctrl+E"])
        self.act_export_panel = self._action(
            "Export panel for slides (PNG 2× or SVG)…", self.export_panel, ["Ctrl+Shift+E"]
        )
        self.act_gif_filters = self._action(
            "Export filters over the timeline as GIF…", self.export_filter_gif
        )
        self.act_gif_sweep = self._action(
            "Export one backward sweep as GIF…", self.export_sweep_gif
        )
        self.act_quit = self._action("Quit", self.close, ["Ctrl+Q"])
        self.act_shortcuts = self._action("Keyboard shortcuts", self.show_shortcuts, ["F1"])
        self.act_present = self._action(
            "Presentation mode", self.toggle_presentation, ["F11"],
            "Full screen, large type, high contrast",
        )  # fmt: skip
        self.act_present.setCheckable(True)
        self.act_open_preset = self._action("Open lecture preset…", self.open_preset, ["Ctrl+L"])
        self.act_save_preset = self._action(
            "Save lecture preset…", self.save_preset, ["Ctrl+Shift+L"]
        )
        self.act_next_tab = self._action(
            "Next panel", lambda: self.lower.setCurrentIndex(
                (self.lower.currentIndex() + 1) % self.lower.count()), ["Ctrl+Tab"]
        )  # fmt: skip
        self.map_actions = []
        for n, (kind, label) in enumerate(MAP_KIND_LABELS.items(), start=1):
            act = self._action(f"Show {label}", lambda _=False, k=kind: self._select_map_kind(k),
                               [str(n)])  # fmt: skip
            self.map_actions.append(act)

    def _build_toolbar(self) -> None:
        tb = self.addToolBar("Training")
        tb.setObjectName("training-toolbar")
        tb.setMovable(False)
        for act in (self.act_play, self.act_step, self.act_phase, self.act_reset):
            tb.addAction(act)
        tb.addSeparator()

        self._advanced: list[QAction] = []  # hidden in presentation mode

        def spin(widget, label: str, tip: str, advanced: bool = False):
            widget.setToolTip(tip)
            widget.setFocusPolicy(Qt.ClickFocus)
            acts = [tb.addWidget(QLabel(f" {label} ")), tb.addWidget(widget)]
            if advanced:
                self._advanced += acts
            return widget

        self.speed = spin(QComboBox(), "Speed", "From one phase a second (lectures) to full speed")
        for label, _, _ in SPEEDS:
            self.speed.addItem(label)
        self.speed.setCurrentIndex(len(SPEEDS) - 1)
        self.speed.currentIndexChanged.connect(lambda i: self._send(lambda s: s.set_speed(i)))

        self.lr = spin(QDoubleSpinBox(), "η", "Learning rate η")
        self.lr.setDecimals(4)
        self.lr.setRange(0.0001, 10.0)
        self.lr.setSingleStep(0.005)
        self.lr.setValue(Hyperparameters.lr)
        self.lr.editingFinished.connect(lambda: self._set_hp(lr=self.lr.value()))
        self.momentum = spin(QDoubleSpinBox(), "momentum", "Momentum μ", advanced=True)
        self.momentum.setRange(0.0, 0.99)
        self.momentum.setSingleStep(0.05)
        self.momentum.setValue(0.9)
        self.momentum.editingFinished.connect(lambda: self._set_hp(momentum=self.momentum.value()))
        self.batch = spin(QSpinBox(), "batch", "Batch size", advanced=True)
        self.batch.setRange(1, 1024)
        self.batch.setValue(64)
        self.batch.editingFinished.connect(lambda: self._set_hp(batch_size=self.batch.value()))
        tb.addSeparator()
        self.arch_combo = spin(QComboBox(), "Network", "Architecture (starts a new network)")
        for name in PRESETS:
            self.arch_combo.addItem(name)
        self.dataset_combo = spin(QComboBox(), "Data", "Dataset (starts a new network)")
        from cnnviz.datasets import list_datasets

        for info in list_datasets():
            self.dataset_combo.addItem(info.name)
        self._sync_combos(self.arch_name, self.dataset_name)
        self.arch_combo.activated.connect(lambda _: self._combo_new())
        self.dataset_combo.activated.connect(lambda _: self._combo_new())
        tb.addSeparator()
        self.scaling = spin(QComboBox(), "Colour", "Colour scaling of the maps", advanced=True)
        for key, label in SCALINGS.items():
            self.scaling.addItem(label, key)
        self.scaling.setCurrentIndex(self.scaling.findData(self.settings.scaling))
        self.scaling.currentIndexChanged.connect(self._set_scaling)

    def _build_menus(self) -> None:
        mb = self.menuBar()
        m = mb.addMenu("&File")
        m.addAction(self.act_new)
        m.addAction(self.act_open)
        self.recent_menu = m.addMenu("Open recent")
        self._fill_recent()
        m.addSeparator()
        m.addAction(self.act_save)
        m.addAction(self.act_save_as)
        m.addAction(self.act_export)
        m.addAction(self.act_export_panel)
        m.addAction(self.act_gif_filters)
        m.addAction(self.act_gif_sweep)
        m.addSeparator()
        m.addAction(self.act_open_preset)
        m.addAction(self.act_save_preset)
        m.addSeparator()
        m.addAction(self.act_quit)
        m = mb.addMenu("&Train")
        for act in (self.act_play, self.act_step, self.act_phase, self.act_reset, self.act_eval):
            m.addAction(act)
        m = mb.addMenu("&View")
        for act in self.map_actions:
            m.addAction(act)
        m.addSeparator()
        m.addAction(self.act_next_tab)
        m.addAction(self.sample_dock.toggleViewAction())
        m.addAction(self.progress_dock.toggleViewAction())
        m.addSeparator()
        m.addAction(self.act_present)
        m = mb.addMenu("&Help")
        m.addAction(self.act_shortcuts)
        about = QAction("About cnnviz", self)
        about.triggered.connect(self.show_about)
        m.addAction(about)

    def _build_statusbar(self) -> None:
        sb = self.statusBar()
        self.status_phase = QLabel()
        self.status_rate = QLabel()
        self.status_hover = QLabel()
        sb.addWidget(self.status_phase, 3)
        sb.addWidget(self.status_hover, 2)
        sb.addPermanentWidget(self.status_rate)
        for w in (self.overview, self.inspector):
            if hasattr(w, "hovered"):
                w.hovered.connect(self.status_hover.setText)

    def _keep_keys_for_shortcuts(self) -> None:
        """Space and the arrows must always reach the training shortcuts, so the views hold
        the keyboard focus; a number field keeps it only while it is being edited."""
        central = self.centralWidget()
        central.setFocusPolicy(Qt.StrongFocus)
        for box in self.findChildren(QAbstractSpinBox):
            box.setFocusPolicy(Qt.ClickFocus)
            box.editingFinished.connect(self.return_focus)
        for combo in self.findChildren(QComboBox):
            combo.setFocusPolicy(Qt.ClickFocus)
            combo.activated.connect(self.return_focus)

    def return_focus(self) -> None:
        self.centralWidget().setFocus(Qt.OtherFocusReason)

    # ------------------------------------------------------------------ commands
    def _send(self, fn: Callable[[RemoteSession], None]) -> None:
        if self.session is not None:
            fn(self.session)
            self._last_draw.clear()  # show the effect of a command at the next tick

    def toggle_play(self) -> None:
        # what the button shows decides, and flips at once (a second press before the
        # training process has answered undoes the first); a pause also takes effect during
        # a test evaluation instead of after it
        self._playing = not self._playing
        self._send(lambda s: s.play() if self._playing else s.pause())

    def step_batch(self) -> None:
        self._send(lambda s: s.step_batch())

    def step_phase(self) -> None:
        self._send(lambda s: s.step_phase())

    def reset(self) -> None:
        if self.session is None or not self.confirm_discard("Reset the weights"):
            return
        self.session.reset()

    def _set_hp(self, **changes) -> None:
        self._send(lambda s: s.set_hyperparameters(**changes))

    def _set_scaling(self) -> None:
        self.settings.scaling = self.scaling.currentData()
        self._render(self.snapshot)

    def _select_stage(self, index: int) -> None:
        self.view.stage = int(index)
        self._send(lambda s: s.set_view(self.view))

    def _select_map_kind(self, kind: str) -> None:
        self.view.map_kind = kind
        if hasattr(self.overview, "set_map_kind"):
            self.overview.set_map_kind(kind)
        self._send(lambda s: s.set_view(self.view))

    def _select_sample(self, index: int) -> None:
        self.view.sample = int(index)
        self._send(lambda s: s.set_view(self.view))

    def _probe(self, split: str, index: int) -> None:
        self._send(lambda s: s.probe(split, int(index)))

    # ------------------------------------------------------------------ files
    def confirm_discard(self, what: str) -> bool:
        """Ask before losing unsaved training; True to go ahead."""
        snap = self.snapshot
        if snap is None or not snap.dirty or os.environ.get("CNNVIZ_NO_PROMPT"):
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved training",
            f"{what}? The training since the last save will be lost.",
            QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel,
            QMessageBox.Cancel,
        )
        if answer == QMessageBox.Save:
            return self.save(wait=True)
        return answer == QMessageBox.Discard

    def new_network(self) -> None:
        dlg = NewDialog(self.arch_name, self.dataset_name, self)
        if dlg.exec() == QDialog.Accepted:
            self.start_new(dlg.arch.currentData(), dlg.dataset.currentData())

    def _combo_new(self) -> None:
        arch, ds = self.arch_combo.currentText(), self.dataset_combo.currentText()
        if (arch, ds) != (self.arch_name, self.dataset_name):
            if not self.start_new(arch, ds):
                self._sync_combos(self.arch_name, self.dataset_name)

    def _sync_combos(self, arch: str, dataset: str) -> None:
        for combo, value in ((self.arch_combo, arch), (self.dataset_combo, dataset)):
            i = combo.findText(value)
            if i < 0:
                combo.addItem(value)
                i = combo.findText(value)
            combo.blockSignals(True)
            combo.setCurrentIndex(i)
            combo.blockSignals(False)

    def start_new(self, arch: str, dataset: str) -> bool:
        """Replace the network with a fresh ``arch`` on ``dataset`` (after a prompt)."""
        hp = Hyperparameters(
            lr=self.lr.value(), momentum=self.momentum.value(), batch_size=self.batch.value(),
            epochs=APP_EPOCHS,
        )  # fmt: skip
        if self._ended:  # nothing left to save or lose
            self._restart(
                start_spec(arch, dataset, self.data_dir, None, hp), f"{arch} on {dataset}"
            )
            return True
        if self.session is None or not self.confirm_discard("Start a new network"):
            return False
        self._cancel.clear()
        self.session.new(arch, dataset, hp, self.data_dir)
        self.status_phase.setText(f"Preparing {arch} on {dataset}…")
        return True

    def open_model(self, path: str | None = None) -> None:
        if self.session is None and not self._ended:
            return  # the first network is still being built
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self, "Open model", self._last_dir(), MODEL_FILTER
            )
            if not path:
                return
        if self._ended:
            self._restart(start_spec(data_dir=self.data_dir, model_path=path), Path(path).name)
            return
        if not self.confirm_discard("Open another model"):
            return
        self._cancel.clear()
        self.session.open(path, self.data_dir)

    def save(self, wait: bool = False) -> bool:
        snap = self.snapshot
        if snap is not None and snap.model_path:
            return self.save_to(snap.model_path, wait)
        return self.save_as(wait)

    def save_as(self, wait: bool = False) -> bool:
        default = str(Path(self._last_dir()) / f"{self.arch_name}-{self.dataset_name}.cnnviz.npz")
        path, _ = QFileDialog.getSaveFileName(self, "Save model", default, MODEL_FILTER)
        if not path:
            return False
        return self.save_to(path, wait)

    def save_to(self, path: str, wait: bool = False) -> bool:
        """Save in the training process; with ``wait``, block until written (for close)."""
        if self.session is None:
            return False
        if not wait:
            return self.session.save(path)
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            return self.session.save(path, wait=SAVE_WAIT_S)
        finally:
            QApplication.restoreOverrideCursor()

    def export_png(self, path: str | None = None) -> bool:
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self, "Export view", str(Path(self._last_dir()) / "cnnviz.png"), "PNG (*.png)"
            )
            if not path:
                return False
        ok = self.grab().save(path, "PNG")
        if not ok:
            self.show_error(f"could not write {path}")
        else:
            self.statusBar().showMessage(f"Exported {path}", 4000)
        return ok

    def _last_dir(self) -> str:
        return str(self._qsettings.value("last_dir", str(Path.home())))

    def _remember(self, path: str) -> None:
        recent = [p for p in self._recent() if p != path]
        self._qsettings.setValue("recent", [path, *recent][:8])
        self._qsettings.setValue("last_dir", str(Path(path).parent))
        self._fill_recent()

    def _recent(self) -> list[str]:
        value = self._qsettings.value("recent", [])
        return [value] if isinstance(value, str) else list(value or [])

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self._recent():
            act = self.recent_menu.addAction(path)
            act.triggered.connect(lambda _=False, p=path: self.open_model(p))
        self.recent_menu.setEnabled(bool(self._recent()))

    # ------------------------------------------------------------------ thread events
    def _on_ready(self, session: RemoteSession) -> None:
        self.session = session
        session.set_view(self.view)
        self._set_controls_enabled(True)
        if self._pending_preset is not None:
            self.apply_preset(self._pending_preset)
            self._pending_preset = None
        self.return_focus()
        self.status_phase.setText("Ready: press Space to train, → to step a batch")

    def _on_failed(self, message: str) -> None:
        self.show_error(message)
        self.status_phase.setText(f"Could not start: {message}. File ▸ New or Open to go on")

    def _on_running(self, running: bool) -> None:
        self._playing = running
        self.act_play.setText("❚❚ Pause" if running else "▶ Play")

    def _on_saved(self, path: str) -> None:
        self._remember(path)
        self.statusBar().showMessage(f"Saved {path}", 4000)

    def _on_loaded(self, path: str) -> None:
        self._remember(path)
        self.statusBar().showMessage(f"Opened {path}", 4000)

    def _on_ended(self) -> None:
        """The training process has gone: closing, or it failed (an error says why). New and
        Open start another; the views keep showing the last snapshot."""
        if self.sender() is not self.thread:
            return  # a process replaced already
        self.session = None
        self._set_controls_enabled(False)
        self._playing = False
        self.act_play.setText("▶ Play")
        if not self._closing:
            self.act_new.setEnabled(True)
            self.act_open.setEnabled(True)
            if not self.status_phase.text().startswith("Could not start"):
                self.status_phase.setText("Training has stopped: File ▸ New or Open to go on")

    def _cancel_download(self) -> None:
        self._cancel.set()
        self.thread.remote.cancel_download()

    def _on_progress(self, info) -> None:
        done, total, label = info
        if self._cancel.is_set():
            return  # cancelled: reports still on their way must not show the dialog again
        if self._progress is None:
            self._progress = QProgressDialog("Downloading…", "Cancel", 0, 100, self)
            self._progress.setWindowTitle("Downloading a dataset")
            self._progress.setMinimumDuration(0)
            self._progress.canceled.connect(self._cancel_download)
        self._progress.setLabelText(f"Downloading {label}…")
        if total:
            self._progress.setMaximum(100)
            self._progress.setValue(int(100 * done / total))
        else:
            self._progress.setMaximum(0)
        if total and done >= total:
            self._progress.reset()

    def show_error(self, message: str) -> None:
        """One line in a dialog; the app and the current model carry on."""
        self.last_error = message
        if self._progress is not None:
            self._progress.reset()
        box = QMessageBox(QMessageBox.Warning, "cnnviz", message, QMessageBox.Ok, self)
        box.setAttribute(Qt.WA_DeleteOnClose)
        box.open()
        self.error_box = box

    def show_shortcuts(self) -> None:
        rows = "".join(
            f"<tr><td><b>{k}</b></td><td>&nbsp;&nbsp;{v}</td></tr>" for k, v in SHORTCUTS
        )
        QMessageBox.information(self, "Keyboard shortcuts", f"<table>{rows}</table>")

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About cnnviz",
            "<b>cnnviz</b> — watch a convolutional network learn: feature maps, sensitivity "
            "maps δ, pooling masks and weight updates, step by step.",
        )

    def _set_controls_enabled(self, enabled: bool) -> None:
        for act in (self.act_play, self.act_step, self.act_phase, self.act_reset, self.act_eval,
                    self.act_save, self.act_save_as, self.act_new, self.act_open):  # fmt: skip
            act.setEnabled(enabled)

    # ------------------------------------------------------------------ rendering
    def refresh(self) -> None:
        """Timer tick: draw the latest snapshot if there is a new one (in pieces while training
        runs at full speed, see FAST_FRAME_S)."""
        if self.session is None:
            return
        last = self.snapshot
        fast = (
            last is not None
            and last.running
            and self.session.newest_running()  # a pause is drawn whole, at once
            and SPEEDS[self.speed.currentIndex()][2] in (None, 20.0)
        )
        slowed = self._fast and not fast
        if fast != self._fast:
            self._fast = fast
            self._pending.clear()
            self.budget.reset()
            self.plots.max_fps = PLOTS_FAST_FPS if fast else PLOTS_FPS
            self.plots.piecewise = fast
        if not fast:
            snap = self.session.take_snapshot()
            if snap is None and slowed:
                snap = self.snapshot  # drawn in pieces so far: draw all of it now
            if snap is not None:
                self._render(snap)
            return
        if not self.budget.allows():
            return  # the GUI thread has drawn enough for now: it stays free for the user
        if self._pending:
            self._draw(self._pending.pop(0), self.snapshot)
            return
        if self.plots.piece_due():  # a plot panel in a tick of its own too
            self.plots.draw_piece()
            return
        now = time.perf_counter()
        if now - self._last_draw.get("window", -math.inf) < FAST_FRAME_S:
            return
        snap = self.session.take_snapshot()
        if snap is None:
            return
        self._last_draw["window"] = now
        self._accept(snap)
        # one view a frame tick, so that each is painted in a pass of its own and no pass
        # holds the event loop long: the overview now, the sample panel (from the same
        # snapshot) at the next tick, then the lower panel when it is due
        self._draw("overview", snap)
        self._pending = ["sample"]
        if now - self._last_draw.get("lower", -math.inf) >= LOWER_FAST_S:
            self._last_draw["lower"] = now
            self._pending.append("lower")
        self.snapshotRendered.emit(snap)

    def _render(self, snap: Snapshot | None) -> None:
        """Draw every view from ``snap`` now."""
        if snap is None:
            return
        self._accept(snap)
        for part in ("overview", "lower", "sample"):
            self._draw(part, snap)
        self._pending.clear()
        self.snapshotRendered.emit(snap)

    def _accept(self, snap: Snapshot) -> None:
        """Make ``snap`` current: a new network clears the views (the plots clear themselves,
        on the metrics that start its history) and the status is set."""
        new_generation = snap.generation != self._generation
        if new_generation:
            self._generation = snap.generation
            for w in (self.overview, self.confusion):
                w.clear()
            self.arch_name, self.dataset_name = snap.architecture, snap.dataset
            self._sync_combos(snap.architecture, snap.dataset)
            self._sync_hp()
            if self._progress is not None:
                self._progress.reset()
            info = self.session.trainer_info if self.session is not None else None
            if info is not None:
                self.confusion.set_image_source(info.raw)
                self.confusion.set_test_labels(info.test_labels)
        self.snapshot = snap
        if new_generation and self._pending_preset is not None and self.session is not None:
            preset, self._pending_preset = self._pending_preset, None
            self.apply_preset(preset)  # a preset that asked for this network
        self._sync_timeline()
        self.confusion.render(snap)
        self._update_status(snap)

    def _draw(self, part: str, snap: Snapshot) -> None:
        """Draw one view from ``snap``: "overview", "sample" or "lower" (the current tab)."""
        self.draw_counts[part] += 1
        if part == "overview":
            self.overview.render(snap, self.settings)
        elif part == "sample":
            self.sample_panel.render(snap)
        elif part == "lower":
            tab = self.current_tab()
            if tab is self.inspector:
                self.inspector.render(snap, self.settings)
            elif tab is self.rules:
                self.rules.render(snap)
            elif tab is self.explainer:
                self.explainer.render(snap)
            elif tab is self.canvas:
                self.canvas.render(snap)
            elif tab is self.grad_panel:
                self.grad_panel.render(snap)

    def _sync_hp(self) -> None:
        info = self.session.trainer_info if self.session else None
        if info is None:
            return
        hp = info.hp
        for w, v in ((self.lr, hp.lr), (self.momentum, hp.momentum), (self.batch, hp.batch_size)):
            w.blockSignals(True)
            w.setValue(v)
            w.blockSignals(False)

    def _update_status(self, snap: Snapshot) -> None:
        name = Path(snap.model_path).name if snap.model_path else "untitled"
        self.setWindowTitle(
            f"cnnviz — {name}{' *' if snap.dirty else ''} — {snap.architecture} on {snap.dataset}"
        )
        phase = (
            f"phase {snap.phase_position}/{len(snap.phases)}: {snap.last_phase}"
            if snap.phase_position
            else "between steps"
        )
        loss = f" · loss {snap.loss:.4f}" if snap.loss is not None else ""
        self.status_phase.setText(
            f"step {snap.step:,} · epoch {snap.epoch + 1}/{snap.epochs} "
            f"({snap.epoch_progress:.0%}) · {phase}{loss}"
        )
        self.status_rate.setText(
            f"{snap.images_per_s:,.0f} images/s · η = {snap.lr:g}" if snap.running
            else f"paused · η = {snap.lr:g}"
        )  # fmt: skip

    # ------------------------------------------------------------------ timeline and exports
    def _sync_timeline(self) -> None:
        tl = self.session.timeline if self.session else None
        if tl is None:
            return
        seen = (id(tl), tl.revision)
        if seen != self._timeline_seen:
            self._timeline_seen = seen
            self.timeline_view.set_frame_count(len(tl), tl.steps())

    def _sample_ref(self) -> tuple[str, int]:
        snap = self.snapshot
        if snap is not None and snap.sample_index >= 0:
            return ("test" if snap.sample_source == "test" else "train"), snap.sample_index
        return "test", 0

    def _request_timeline_frame(self, index: int) -> None:
        """The timeline view asks for entry ``index``: rendered in the training process."""
        split, i = self._sample_ref()

        def done(ok, result):  # on the training thread, which reads the process's answers
            if ok:
                self.timelineFrameReady.emit(result)
            else:
                self.thread.error.emit(f"could not show that timeline entry: {result}")

        self._send(lambda s: s.request("timeline_frame", done, entry=index, split=split, index=i))

    def _probe_drawing(self, image, label: int) -> None:
        """A drawing (uint8 (C, H, W)) goes through the network, forward and backward."""
        snap = self.snapshot
        if snap is not None and snap.phase_position:
            self.statusBar().showMessage(
                "Finish the step under way (→) to run the drawing through the network", 3000
            )
            return
        self._send(lambda s: s.probe_drawing(image, int(label)))

    def _run_gradient_check(self, options: dict) -> None:

        self.grad_panel.set_busy(True)

        def done(ok, result):  # on the training thread, which reads the process's answers
            if ok:
                self.gradReportReady.emit(result)
            else:
                self.gradCheckFailed.emit(result)

        self._send(lambda s: s.request("gradient_check", done, **options))

    def _panels(self) -> dict[str, QWidget]:
        return {
            "Network overview": self.overview,
            self.lower.tabText(self.lower.currentIndex()): self.current_tab(),
            "Sample": self.sample_panel,
            "Training plots": self.plots,
            "Confusion matrix": self.confusion,
            "Whole window": self,
        }

    def export_panel(self, name: str | None = None, path: str | None = None) -> bool:
        """Export one panel for slides: PNG at twice the screen resolution, or SVG."""
        panels = self._panels()
        if name is None:
            from PySide6.QtWidgets import QInputDialog

            name, ok = QInputDialog.getItem(self, "Export panel", "Panel", list(panels), 0, False)
            if not ok:
                return False
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self, f"Export {name}", str(Path(self._last_dir()) / "cnnviz-panel.png"),
                "PNG image (*.png);;SVG drawing (*.svg)",
            )  # fmt: skip
            if not path:
                return False
        try:
            if path.lower().endswith(".svg"):
                export_svg(panels[name], path, title=f"cnnviz — {name}")
            else:
                export_png(panels[name], path, scale=2.0)
        except (ExportError, OSError) as exc:
            self.show_error(f"could not export {name}: {exc}")
            return False
        self.statusBar().showMessage(f"Exported {name} to {path}", 4000)
        return True

    def export_filter_gif(self, path: str | None = None, layer: str | None = None) -> bool:
        """An animated GIF of a conv layer's filters over the timeline."""
        tl = self.session.timeline if self.session else None
        if tl is None or len(tl) < 2 or not tl.conv_layers():
            self.show_error("the timeline has fewer than two snapshots yet: train for a while")
            return False
        layer = layer or tl.conv_layers()[0]
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self, "Export filters as GIF",
                str(Path(self._last_dir()) / f"cnnviz-{layer}-filters.gif"), "GIF (*.gif)",
            )  # fmt: skip
            if not path:
                return False
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            steps, kernels = self.session.request_sync("kernel_series", layer=layer)
            gif_of_filters(path, steps, kernels, layer)
        except (ExportError, OSError, RemoteError) as exc:
            self.show_error(f"could not write {path}: {exc}")
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.statusBar().showMessage(f"Wrote {path} ({len(steps)} frames)", 4000)
        return True

    def export_sweep_gif(self, path: str | None = None) -> bool:
        """An animated GIF of one backward sweep through the layers for the current sample;
        the δ maps are computed in the training process, the pixels drawn here."""
        if self.session is None:
            return False
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self, "Export backward sweep as GIF",
                str(Path(self._last_dir()) / "cnnviz-backward.gif"), "GIF (*.gif)",
            )  # fmt: skip
            if not path:
                return False
        split, i = self._sample_ref()

        def done(ok, result):  # on the training thread, which reads the process's answers
            if ok:
                self.sweepReady.emit(result, path)
            else:
                self.thread.error.emit(f"could not compute the backward sweep: {result}")

        self.session.request("backward_sweep", done, split=split, index=i)
        return True

    def _write_sweep_gif(self, frames, path: str) -> None:
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            gif_of_backward_sweep(path, frames)
        except (ExportError, OSError) as exc:
            self.show_error(f"could not write {path}: {exc}")
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.statusBar().showMessage(f"Wrote {path} ({len(frames)} frames)", 4000)

    # ------------------------------------------------------------------ lecture mode
    def _tab_changed(self, _index: int) -> None:
        explain = self.lower.tabText(self.lower.currentIndex()) in EXPLAIN_TABS
        inspect = self.current_tab() is self.inspector  # the only panel that needs it
        if (explain, inspect) != (self.view.explain, self.view.inspect):
            self.view.explain, self.view.inspect = explain, inspect
            self._send(lambda s: s.set_view(self.view))
        self._render(self.snapshot)

    def toggle_presentation(self) -> None:
        """F11: full screen, large type and thick lines, high contrast, advanced controls
        hidden; F11 again restores the window as it was."""
        app = QApplication.instance()
        if not self.presenting:
            self._normal_look = (app.font(), app.palette(), self.saveGeometry(), self.isMaximized())
            font = QFont(app.font())
            font.setPointSizeF(max(font.pointSizeF(), 9.0) * 1.6)
            font.setWeight(QFont.DemiBold)
            app.setFont(font)
            app.setPalette(high_contrast_palette())
            for act in self._advanced:
                act.setVisible(False)
            self.rules.set_font_size(30)
            self.showFullScreen()
            self.presenting = True
        else:
            font, palette, geometry, maximized = self._normal_look
            app.setFont(font)
            app.setPalette(palette)
            for act in self._advanced:
                act.setVisible(True)
            self.rules.set_font_size(18)
            self.showNormal()
            self.restoreGeometry(geometry)
            if maximized:
                self.showMaximized()
            self.presenting = False
        self.act_present.setChecked(self.presenting)
        self.return_focus()

    def current_preset(self) -> Preset:
        snap = self.snapshot
        return Preset(
            architecture=self.arch_name,
            dataset=self.dataset_name,
            model=snap.model_path if snap and snap.model_path else None,
            speed=self.speed.currentText(),
            map_kind=self.view.map_kind,
            stage=self.view.stage,
            sample=self.view.sample,
            tab=self.lower.tabText(self.lower.currentIndex()),
            panels=[
                d.windowTitle() for d in (self.sample_dock, self.progress_dock) if d.isVisible()
            ],  # fmt: skip
            presentation=self.presenting,
            lr=self.lr.value(),
            momentum=self.momentum.value(),
            batch_size=self.batch.value(),
        )

    def apply_preset(self, preset: Preset) -> None:
        """Show what a preset asks for (the network itself is chosen when it is loaded)."""
        if preset.speed:
            self.speed.setCurrentIndex(max(self.speed.findText(preset.speed), 0))
        if preset.map_kind:
            self._select_map_kind(preset.map_kind)
        if preset.stage is not None:
            self._select_stage(preset.stage)
            if hasattr(self.overview, "set_selected_stage"):
                self.overview.set_selected_stage(preset.stage)
        if preset.sample is not None:
            self._select_sample(preset.sample)
        if preset.tab:
            for i in range(self.lower.count()):
                if self.lower.tabText(i) == preset.tab:
                    self.lower.setCurrentIndex(i)
        if preset.panels:
            for dock in (self.sample_dock, self.progress_dock):
                dock.setVisible(dock.windowTitle() in preset.panels)
        for widget, value in ((self.lr, preset.lr), (self.momentum, preset.momentum),
                              (self.batch, preset.batch_size)):  # fmt: skip
            if value is not None:
                widget.setValue(value)
        if any(v is not None for v in (preset.lr, preset.momentum, preset.batch_size)):
            self._set_hp(
                lr=self.lr.value(), momentum=self.momentum.value(),
                batch_size=self.batch.value(),
            )  # fmt: skip
        if preset.presentation != self.presenting:
            self.toggle_presentation()

    def open_preset(self, path: str | None = None) -> bool:
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self, "Open lecture preset", self._last_dir(), PRESET_FILTER
            )
            if not path:
                return False
        try:
            preset = load_preset(path)
        except PresetError as exc:
            self.show_error(str(exc))
            return False
        wants_network = (preset.architecture or self.arch_name,
                         preset.dataset or self.dataset_name) != (self.arch_name,
                                                                  self.dataset_name)  # fmt: skip
        if preset.model:
            self._pending_preset = preset
            self.open_model(preset.model)
        elif wants_network:
            self._pending_preset = preset
            self.start_new(preset.architecture or self.arch_name,
                           preset.dataset or self.dataset_name)  # fmt: skip
        else:
            self.apply_preset(preset)
        return True

    def save_preset(self, path: str | None = None) -> bool:
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self, "Save lecture preset", str(Path(self._last_dir()) / "lecture.json"),
                PRESET_FILTER,
            )  # fmt: skip
            if not path:
                return False
        try:
            save_preset(path, self.current_preset())
        except OSError as exc:
            self.show_error(f"could not write {path}: {exc.strerror or exc}")
            return False
        self.statusBar().showMessage(f"Saved lecture preset {path}", 4000)
        return True

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if not self.confirm_discard("Quit"):
            event.ignore()
            return
        self.timer.stop()
        self._cancel.set()
        self._closing = True
        if self.thread.stop():
            self._release_collector()
        event.accept()

    def _release_collector(self) -> None:
        if self._collecting and self.thread.isFinished():  # (not a thread replaced since)
            self._collecting = False
            gui_thread_collector().release()


def high_contrast_palette() -> QPalette:
    """Black on white with strong accents: what reads best on a washed-out projector."""
    pal = QPalette()
    white, black = QColor("#ffffff"), QColor("#000000")
    for role, colour in (
        (QPalette.Window, white), (QPalette.Base, white), (QPalette.AlternateBase, "#eeeeee"),
        (QPalette.WindowText, black), (QPalette.Text, black), (QPalette.ButtonText, black),
        (QPalette.Button, "#e6e6e6"), (QPalette.ToolTipBase, "#ffffcc"),
        (QPalette.ToolTipText, black), (QPalette.Highlight, "#0044cc"),
        (QPalette.HighlightedText, white), (QPalette.BrightText, "#cc0000"),
    ):  # fmt: skip
        pal.setColor(role, QColor(colour))
    return pal
