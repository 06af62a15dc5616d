"""The network at a glance: every stage's maps for the selected sample, input to output.

One :class:`~cnnviz.app.widgets.mapgrid.MapGrid` per stage, left to right, then the loss and update
phases as badges. The stage of the phase just done wears a frame whose colour says the
direction (blue forward, orange backward); the stage shown in the inspector is tinted.
"""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication

from cnnviz.i18n import QT_TRANSLATE_NOOP
from cnnviz.lessons.explanation import phase_text
from cnnviz.live.snapshot import Snapshot
from cnnviz.training.stages import MAP_KINDS, Stage

from .. import zoom
from ..colors import DisplaySettings
from ..style import scale
from ..widgets.flow import FlowLayout
from ..widgets.mapgrid import MapGrid, fmt_value, muted_color
from .inspector_parts import network_mode
from .registry import TOP, Panel

translate = QCoreApplication.translate  # extracted by pyside6-lupdate

FORWARD_COLOR = "#1e88e5"
BACKWARD_COLOR = "#f4511e"
LOSS_COLOR = "#8e24aa"
UPDATE_COLOR = "#2e7d32"
DIRECTION_COLORS = {
    "forward": FORWARD_COLOR,
    "backward": BACKWARD_COLOR,
    "loss": LOSS_COLOR,
    "update": UPDATE_COLOR,
}
BUTTON_LABELS = {  # translated where shown
    "activation": QT_TRANSLATE_NOOP("overview", "activation f(u)"),
    "net": QT_TRANSLATE_NOOP("overview", "net input u"),
    "delta": QT_TRANSLATE_NOOP("overview", "sensitivity δ"),
    "grad_input": QT_TRANSLATE_NOOP("overview", "∂E/∂input"),
}
BUTTON_TIPS = {  # as MAP_KIND_LABELS of cnnviz.training.stages
    "activation": QT_TRANSLATE_NOOP("overview", "activation f(u)"),
    "net": QT_TRANSLATE_NOOP("overview", "net input u"),
    "delta": QT_TRANSLATE_NOOP("overview", "δ = ∂E/∂u"),
    "grad_input": QT_TRANSLATE_NOOP("overview", "∂E/∂input"),
}
MIN_COLUMN_WIDTH = 96
KIND_BUTTON_CSS = (
    "QToolButton { padding: 3px 12px; border: 1px solid palette(mid); border-radius: 5px;"
    " background: palette(button); }"
    f"QToolButton:checked {{ background: {FORWARD_COLOR}; color: white;"
    f" border-color: {FORWARD_COLOR}; font-weight: bold; }}"
)


def stage_title(stage: Stage) -> str:
    """The stage label as rich text: name and kind in bold, then shape and activation (the
    kind names in the app's language)."""
    main, _, act = stage.label.partition(" + ")
    head, _, shape = main.rpartition(" ")
    act = f"+ {act}" if act else "&nbsp;"
    return f"<b>{head}</b><br><span style='font-weight: normal'>{shape}<br>{act}</span>"


def shaped_like_input(data, stages: list[Stage], index: int, kind: str):
    """∂E/∂input of a stage after a flatten, shown in the shape of the maps it came from."""
    if kind != "grad_input" or index < 1 or data is None or np.ndim(data) != 1:
        return data
    prev = tuple(stages[index - 1].out_shape)
    if len(prev) == 3 and int(np.prod(prev)) == data.size and prev[1:] != (1, 1):
        return data.reshape(prev)
    return data


def placeholder_text(stage: Stage, kind: str) -> str:
    """Why a stage has no map of this kind."""
    if stage.index == 0 and kind in ("delta", "grad_input"):
        return translate("overview", "the input has no δ")
    if stage.index == 1 and kind == "grad_input":
        return translate("overview", "not needed\n(first layer)")
    return translate("overview", "not computed yet")


class PhaseBadge(QtWidgets.QLabel):
    """A rounded label that fills with its colour while its phase is the one just done."""

    def __init__(self, title: str, color: str, parent=None):
        super().__init__(parent)
        self.title = title
        self.color = color
        self.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.setMinimumWidth(96)
        self._active: bool | None = None
        self._detail = ""
        self.setText(title)
        self.set_active(False)

    def set_detail(self, text: str) -> None:
        if text != self._detail:
            self._detail = text
            self.setText(f"<b>{self.title}</b><br>{text}" if text else f"<b>{self.title}</b>")

    def set_active(self, on: bool) -> None:
        if on == self._active:
            return
        self._active = on
        if on:
            css = f"background: {self.color}; color: white; border: 2px solid {self.color};"
        else:
            css = f"background: transparent; color: palette(text); border: 2px solid {self.color};"
        self.setStyleSheet(f"QLabel {{ {css} border-radius: 8px; padding: 6px; }}")

    @property
    def active(self) -> bool:
        return bool(self._active)


class NetworkOverview(QtWidgets.QWidget):
    """Every stage of the network as a column of maps for the selected sample.

    Signals: ``stageSelected(int)`` when a stage is clicked, ``mapKindChanged(str)`` when
    the user picks what the maps show (a key of ``MAP_KINDS``), ``mapClicked(int, int)``
    (stage, map) when a map is clicked, ``hovered(str)`` with the value under the cursor.
    """

    stageSelected = QtCore.Signal(int)
    mapKindChanged = QtCore.Signal(str)
    mapClicked = QtCore.Signal(int, int)
    hovered = QtCore.Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._grids: list[MapGrid] = []
        self._stages: list[Stage] = []
        self._key: tuple | None = None
        self._kind = "activation"
        self._selected = 1
        self._seen_view: tuple[str, int] | None = None
        self._last: tuple | None = None
        self._first_step: int | None = None
        self._zoom, self._zoom_base = 1.0, None  # (cnnviz.app.zoom)
        self._in_view: tuple[int | None, str | None] | None = None  # what was scrolled to
        self._phase_color = ""

        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.setSpacing(4)
        bar = QtWidgets.QWidget()  # wraps onto a second line when the window is narrow
        top = FlowLayout(bar, spacing=6)
        caption = QtWidgets.QLabel(translate("overview", "Maps show:"))
        top.addWidget(caption)
        self.kind_group = QtWidgets.QButtonGroup(self)
        self.kind_group.setExclusive(True)
        self.kind_buttons: dict[str, QtWidgets.QToolButton] = {}
        for kind in MAP_KINDS:
            b = QtWidgets.QToolButton()
            b.setText(translate("overview", BUTTON_LABELS[kind]) if kind in BUTTON_LABELS else kind)
            b.setToolTip(translate("overview", BUTTON_TIPS[kind]) if kind in BUTTON_TIPS else kind)
            b.setCheckable(True)
            b.setAutoRaise(False)
            b.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextOnly)
            b.setMinimumHeight(28)
            self.kind_group.addButton(b)
            self.kind_buttons[kind] = b
            b.clicked.connect(lambda _=False, k=kind: self._on_kind_clicked(k))
            top.addWidget(b)
        self.kind_buttons[self._kind].setChecked(True)
        for b in self.kind_buttons.values():
            b.setStyleSheet(KIND_BUTTON_CSS)
        self.follow_check = QtWidgets.QToolButton()  # compact: the bar wraps on a projector
        self.follow_check.setText(translate("overview", "auto"))
        self.follow_check.setCheckable(True)
        self.follow_check.setToolTip(
            translate(
                "overview",
                "δ follows the phase: stepping phases, show δ = ∂E/∂u during the backward pass "
                "and f(u) going forward",
            )
        )
        self.follow_check.setChecked(True)
        self.follow_check.setMinimumHeight(28)
        top.addWidget(self.follow_check)
        self.phase_label = QtWidgets.QLabel()
        font = QtGui.QFont(self.phase_label.font())
        font.setBold(True)
        self.phase_label.setFont(font)
        top.addWidget(self.phase_label)
        self.mode_label = QtWidgets.QLabel()  # training or evaluation mode, where it matters
        top.addWidget(self.mode_label)
        self.top_bar = top
        lay.addWidget(bar)

        self.scroll = QtWidgets.QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self.scroll.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.row = QtWidgets.QWidget()
        self.row_layout = QtWidgets.QHBoxLayout(self.row)
        self.row_layout.setContentsMargins(0, 0, 0, 0)
        self.row_layout.setSpacing(2)
        self.scroll.setWidget(self.row)
        self.scroll.viewport().installEventFilter(self)  # Ctrl+wheel zooms (cnnviz.app.zoom)
        lay.addWidget(self.scroll, 1)

        self.badges = QtWidgets.QWidget()
        bl = QtWidgets.QVBoxLayout(self.badges)
        bl.setContentsMargins(6, 4, 2, 4)
        bl.addStretch(1)
        self.loss_badge = PhaseBadge(translate("overview", "loss E"), LOSS_COLOR)
        self.update_badge = PhaseBadge(translate("overview", "update"), UPDATE_COLOR)
        self.update_badge.set_detail("W ← W + ΔW")
        bl.addWidget(self.loss_badge)
        bl.addSpacing(10)
        bl.addWidget(self.update_badge)
        bl.addStretch(1)
        self.placeholder = QtWidgets.QLabel(translate("overview", "no network yet"))
        self.placeholder.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet(f"color: {muted_color(self)}; font-style: italic;")
        self.row_layout.addWidget(self.placeholder, 1)
        self.row_layout.addWidget(self.badges)

    # ------------------------------------------------------------------ public API
    @property
    def grids(self) -> list[MapGrid]:
        """The stage grids, input first."""
        return list(self._grids)

    def map_kind(self) -> str:
        return self._kind

    def selected_stage(self) -> int:
        return self._selected

    # zoom (cnnviz.app.zoom): the row of stages grows inside the scroll area, its maps with it
    zoom_children = True

    def apply_zoom(self, factor: float) -> None:
        if factor == 1.0:
            self._zoom_base = None
        elif self._zoom_base is None:
            self._zoom_base = self.row.size()  # as laid out to fit (or to scroll, when narrow)
        self._zoom = factor
        self.fit_columns()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        """Ctrl+wheel between the maps (on the scroll area's viewport) zooms too."""
        if event.type() == QtCore.QEvent.Type.Wheel and watched is self.scroll.viewport():
            return zoom.wheel(self, event)
        return False

    def add_corner(self, widget: QtWidgets.QWidget) -> None:
        """Put ``widget`` (the panel's "?") after the map-kind buttons, before the phase and
        mode lines: it stays put while their text changes, and never wraps onto a line alone."""
        self.top_bar.insert(self.top_bar.indexOf(self.follow_check) + 1, widget)

    def set_map_kind(self, kind: str) -> None:
        """Check ``kind``'s button without emitting ``mapKindChanged``."""
        if kind in self.kind_buttons:
            self._kind = kind
            self.kind_buttons[kind].setChecked(True)

    def set_selected_stage(self, index: int) -> None:
        """Mark stage ``index`` as the one in the inspector (no signal)."""
        self._selected = int(index)
        for i, g in enumerate(self._grids):
            g.set_selected(i == self._selected)

    def clear(self) -> None:
        """Forget the network (it changed): the next render builds the columns anew."""
        for g in self._grids:
            self.row_layout.removeWidget(g)
            g.deleteLater()
        self._grids, self._stages, self._key = [], [], None
        self._seen_view = None
        self._last = None
        self._first_step = None  # the step the network came at (an opened file's)
        self.placeholder.setVisible(True)
        self.loss_badge.set_active(False)
        self.update_badge.set_active(False)
        self.loss_badge.set_detail("")
        self.phase_label.setText("")

    def render(self, snapshot: Snapshot | None, settings: DisplaySettings) -> None:
        """Show ``snapshot``'s maps; cheap when the structure is unchanged."""
        if snapshot is None:
            return
        state = (settings.scaling, settings.fixed_range)
        if self._last is not None and self._last[0] is snapshot and self._last[1] == state:
            return  # nothing new to draw
        self._last = (snapshot, state)
        key = tuple((s.index, s.label, s.kind, tuple(s.out_shape)) for s in snapshot.stages)
        if key != self._key:
            self._build(snapshot.stages)
            self._key = key
        view = (snapshot.view.map_kind, snapshot.view.stage)
        if view != self._seen_view:  # the app changed it: follow (a click may be in flight)
            if self._seen_view is None or view[0] != self._seen_view[0]:
                self.set_map_kind(view[0])
            if self._seen_view is None or view[1] != self._seen_view[1]:
                self.set_selected_stage(view[1])
            self._seen_view = view
        mode = network_mode(snapshot.stages, snapshot.sample_source)
        self.mode_label.setText(mode)
        self.mode_label.setVisible(bool(mode))
        kind = snapshot.view.map_kind
        n_classes = len(snapshot.class_names)
        for i, (grid, stage) in enumerate(zip(self._grids, self._stages, strict=True)):
            data = snapshot.maps[i] if i < len(snapshot.maps) else None
            data = shaped_like_input(data, self._stages, i, kind)
            if data is None:
                grid.show_placeholder(placeholder_text(stage, kind))
                continue
            k = "input" if i == 0 and kind in ("activation", "net") else kind
            labels = None
            if i == len(self._stages) - 1 and data.shape == (n_classes,):
                labels = list(snapshot.class_names)
            grid.set_data(data, k, settings, labels=labels)
            grid.set_stale(self._is_stale(snapshot, i, kind))
        self._show_phase(snapshot)

    @staticmethod
    def _is_stale(snap: Snapshot, index: int, kind: str) -> bool:
        """During a step's forward pass, the maps after the active stage still hold the
        previous step's values (δ is cleared when a step begins, so it is never stale)."""
        if snap.active_direction != "forward" or snap.active_stage is None:
            return False
        return kind in ("activation", "net") and index > snap.active_stage

    # ------------------------------------------------------------------ building
    def _build(self, stages: list[Stage]) -> None:
        for g in self._grids:
            self.row_layout.removeWidget(g)
            g.deleteLater()
        self._grids = []
        self._stages = list(stages)
        self.placeholder.setVisible(not stages)
        for stage in stages:
            g = MapGrid(stage_title(stage), name=stage.name, annotate=True)
            g.setToolTip("")
            g.clicked.connect(lambda i=stage.index: self._on_stage_clicked(i))
            g.mapClicked.connect(lambda m, i=stage.index: self.mapClicked.emit(i, m))
            g.hovered.connect(self.hovered)
            g.set_selected(stage.index == self._selected)
            self._grids.append(g)
            self.row_layout.insertWidget(self.row_layout.count() - 1, g, self._stretch(stage))
        self.fit_columns()

    def fit_columns(self) -> None:
        """Columns as wide as their titles (at the current text size); the row scrolls
        horizontally when they do not fit."""
        factor = scale()
        for g in self._grids:
            g.setMinimumWidth(
                max(round(MIN_COLUMN_WIDTH * factor), g.title_label.sizeHint().width() + 16)
            )
        for badge in (self.loss_badge, self.update_badge):
            badge.setMinimumWidth(round(96 * factor))
        width = sum(g.minimumWidth() + 2 for g in self._grids) + self.badges.sizeHint().width()
        base = self._zoom_base  # zoomed (cnnviz.app.zoom): the fitting size times the zoom
        self.row.setMinimumWidth(max(width, round(base.width() * self._zoom)) if base else width)
        self.row.setMinimumHeight(round(base.height() * self._zoom) if base else 0)
        self._refollow()

    @staticmethod
    def _stretch(stage: Stage) -> int:
        shape = stage.out_shape
        if len(shape) == 1 or shape[1:] == (1, 1):
            return 3  # vectors: narrow columns of cells
        return 4

    def _show_phase(self, snap: Snapshot) -> None:
        direction = snap.active_direction
        color = DIRECTION_COLORS.get(direction or "", FORWARD_COLOR)
        for i, g in enumerate(self._grids):
            g.set_highlight(i == snap.active_stage, color)
        shown = direction or ""
        if (snap.active_stage, shown) != getattr(self, "_followed", None):
            self._followed = (snap.active_stage, shown)
            self._keep_in_view(snap.active_stage, direction)
        if self._first_step is None:
            self._first_step = snap.step
        stepped = snap.step > self._first_step  # an opened model comes with no update done here
        step_done = snap.phase_position == 0 and snap.last_phase is None and stepped
        self.loss_badge.set_active(direction == "loss")
        self.update_badge.set_active(direction == "update" or step_done)
        self.loss_badge.set_detail("" if snap.loss is None else f"E = {fmt_value(snap.loss)}")
        if snap.phase_position > 0 and snap.last_phase:
            arrow = {"forward": "→", "backward": "←"}.get(direction or "", "•")
            text = translate("overview", "{arrow} phase {k}/{n}: {phase}").format(
                arrow=arrow,
                k=snap.phase_position,
                n=len(snap.phases),
                phase=phase_text(snap.last_phase),
            )
        elif stepped:
            text = translate("overview", "step {step} done: weights updated").format(step=snap.step)
            color = UPDATE_COLOR
        elif snap.step > 0:
            text = translate("overview", "at step {step}, as opened: take a step").format(
                step=snap.step
            )
        else:
            text = translate("overview", "not started")
        if text != self.phase_label.text():
            self.phase_label.setText(text)
        if color != self._phase_color:
            self._phase_color = color
            self.phase_label.setStyleSheet(f"color: {color};")

    def _keep_in_view(self, stage: int | None, direction: str | None) -> None:
        """Scroll the row (when it is wider than the window) to the stage of the phase just
        done, or to the loss and update badges."""
        self._in_view = (stage, direction)
        if direction in ("loss", "update"):
            self.scroll.ensureWidgetVisible(self.badges, 0, 0)
        elif stage is not None and 0 <= stage < len(self._grids):
            self.scroll.ensureWidgetVisible(self._grids[stage], 8, 0)

    def _refollow(self) -> None:
        """After the row's size changed (presentation scale, zoom, a resize): scroll to the
        stage followed again, once the new layout is done."""
        if self._in_view is not None:
            QtCore.QTimer.singleShot(50, lambda: self._keep_in_view(*self._in_view))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._refollow()

    # ------------------------------------------------------------------ events
    def _on_kind_clicked(self, kind: str) -> None:
        if kind != self._kind:
            self._kind = kind
            self.mapKindChanged.emit(kind)

    def _on_stage_clicked(self, index: int) -> None:
        self.set_selected_stage(index)
        self.stageSelected.emit(index)


class OverviewPanel(Panel):
    """The network overview across the top of the window."""

    key, place = "overview", TOP
    title = QT_TRANSLATE_NOOP("Panels", "Network overview")
    concept = "overview"
    min_height = 260

    def build(self) -> NetworkOverview:
        return NetworkOverview()

    def connect(self) -> None:
        self.widget.stageSelected.connect(self.host.select_stage)
        self.widget.mapKindChanged.connect(self.host.select_map_kind)
        self.widget.hovered.connect(self.host.show_hover)
        self.widget.follow_check.toggled.connect(self.follow_phase)
        self.host.view.follow_phase = self.widget.follow_check.isChecked()

    def follow_phase(self, on: bool) -> None:
        """Inside a step, show δ going backward and f(u) going forward (or not)."""
        self.host.view.follow_phase = bool(on)
        self.host.send(lambda s: s.set_view(self.host.view))

    def draw(self, snapshot: Snapshot) -> None:
        self.widget.render(snapshot, self.host.settings)

    def new_network(self) -> None:
        self.widget.clear()

    def set_scale(self, factor: float) -> None:
        self.widget.fit_columns()
