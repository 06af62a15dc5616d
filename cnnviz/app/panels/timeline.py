"""The timeline view: scrub back through training and see the filters, maps and prediction as
they were at an earlier step.

:class:`TimelineView` holds a slider over the timeline's entries, a Play button that walks
through them, and three panels for the frame on show: the kernels of the chosen conv layer,
that layer's maps for the traced sample, and the sample with the predicted probabilities.

The view never runs engine code. It asks for a frame by calling the requester the window
gives it (``set_requester(fn)``, ``fn(index)``); the window has it rendered in the training
process (``session.request("timeline_frame", done, entry=index, …)``) and hands the
:class:`~cnnviz.training.timeline.TimelineFrame` back with :meth:`TimelineView.show_frame`.
At most one request is in flight: while one is, scrubbing only remembers the latest position,
asked for as soon as the frame arrives (or after ``REQUEST_TIMEOUT`` if it never does).
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication

from cnnviz.i18n import QT_TRANSLATE_NOOP
from cnnviz.live.undo import UNDO_STEPS
from cnnviz.training.stages import map_kind_label
from cnnviz.training.timeline import TimelineFrame

from ..colors import DisplaySettings
from ..style import scale_font
from ..widgets.flow import FlowLayout
from ..widgets.mapgrid import MapGrid, fmt_value, muted_color
from .registry import LOWER, Panel
from .sample import CORRECT_COLOR, WRONG_COLOR, PixelImage, ProbabilityBars

translate = QCoreApplication.translate  # extracted by pyside6-lupdate

REQUEST_TIMEOUT = 2.0  # seconds after which an unanswered request no longer blocks new ones
PLAY_INTERVAL_MS = 350  # between frames while playing
MAX_FILTERS = 32  # kernel rows shown (filters) …
MAX_CHANNELS = 16  # … and columns (input channels)
MAP_CHOICES = ("activation", "net", "delta")
EMPTY_TEXT = QT_TRANSLATE_NOOP(
    "timeline", "no timeline yet:\nit records the weights every few steps"
)
NO_SAMPLE = QT_TRANSLATE_NOOP("timeline", "no sample yet")
FILTERS = QT_TRANSLATE_NOOP("timeline", "Filters")
MAPS_OF_SAMPLE = QT_TRANSLATE_NOOP("timeline", "Maps of the sample")
PLAY = QT_TRANSLATE_NOOP("timeline", "▶  Play")
PAUSE = QT_TRANSLATE_NOOP("timeline", "❚❚  Pause")
RESUME_TIP = QT_TRANSLATE_NOOP(
    "timeline", "Go back to this step: training continues from it (the later steps are dropped)"
)
RESUME_LIMIT = QT_TRANSLATE_NOOP("timeline", "Resume works for the last {n} steps only")


def fmt_step(step: int) -> str:
    """A step number with thin spaces between thousands (reads well on a projector)."""
    return f"{int(step):,}".replace(",", "\u2009")


class TimelineView(QtWidgets.QWidget):
    """A slider over the timeline, Play, and the filters, maps and prediction of one frame.

    Signals: ``frameRequested(int)`` — emitted with every request (besides the requester).
    """

    frameRequested = QtCore.Signal(int)

    def __init__(self, parent=None, settings: DisplaySettings | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or DisplaySettings()
        self._requester: Callable[[int], None] | None = None
        self._steps: list[int] = []
        self._frame: TimelineFrame | None = None
        self._wanted: int | None = None  # the position the slider asks for
        self._requested: int | None = None  # the last index sent
        self._in_flight_since: float | None = None
        self._layers: list[str] = []
        self.play_interval_ms = PLAY_INTERVAL_MS

        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 6)
        lay.setSpacing(6)

        # transport: play, previous, slider, next, the step
        top = QtWidgets.QHBoxLayout()
        top.setSpacing(8)
        self.play_button = QtWidgets.QPushButton(translate("timeline", PLAY))
        self.play_button.setCheckable(True)
        self.play_button.setToolTip(translate("timeline", "Walk through the recorded steps"))
        self.play_button.setMinimumWidth(max(self.play_button.fontMetrics().horizontalAdvance(
            translate("timeline", t)) for t in (PLAY, PAUSE)) + 36)  # fmt: skip
        self.play_button.toggled.connect(self._on_play_toggled)
        top.addWidget(self.play_button)
        self.prev_button = QtWidgets.QToolButton()
        self.prev_button.setText("◀")
        self.prev_button.setToolTip(translate("timeline", "Previous recorded step"))
        self.prev_button.clicked.connect(lambda: self.slider.setValue(self.slider.value() - 1))
        top.addWidget(self.prev_button)
        self.slider = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.slider.setRange(0, 0)
        self.slider.setPageStep(1)
        self.slider.setTickPosition(QtWidgets.QSlider.TickPosition.TicksBelow)
        self.slider.setMinimumHeight(30)
        self.slider.setToolTip(
            translate("timeline", "Drag to go back to an earlier step (← → step through)")
        )
        self.slider.valueChanged.connect(self._on_slider)
        top.addWidget(self.slider, 1)
        self.next_button = QtWidgets.QToolButton()
        self.next_button.setText("▶")
        self.next_button.setToolTip(translate("timeline", "Next recorded step"))
        self.next_button.clicked.connect(lambda: self.slider.setValue(self.slider.value() + 1))
        top.addWidget(self.next_button)
        lay.addLayout(top)

        # the step and Resume, then what to show and the frame's numbers: one line on a wide
        # tab, wrapping onto more where it is narrow (a projector's, in presentation mode)
        row_box = QtWidgets.QWidget()
        row = FlowLayout(row_box, spacing=12, line_spacing=4)
        self.step_label = QtWidgets.QLabel()
        self.step_label.setTextFormat(QtCore.Qt.TextFormat.RichText)
        scale_font(self.step_label, 1.5, bold=True)
        self.step_label.setMinimumWidth(
            QtGui.QFontMetrics(self.step_label.font()).horizontalAdvance(
                translate("timeline", "Step {step}").format(step="000 000")
            )
            + 12
        )
        row.addWidget(self.step_label)
        self.resume_button = QtWidgets.QPushButton(translate("timeline", "Resume from here"))
        self.resume_button.setToolTip(translate("timeline", RESUME_TIP))
        self.resume_button.setEnabled(False)
        row.addWidget(self.resume_button)
        # why Resume is disabled on an older step (the tooltip says more)
        self.resume_note = QtWidgets.QLabel(
            translate("timeline", RESUME_LIMIT).format(n=UNDO_STEPS)
        )
        self.resume_note.setWordWrap(True)
        self.resume_note.setStyleSheet(f"color: {muted_color(self)};")
        self.resume_note.setVisible(False)
        row.addWidget(self.resume_note)

        opts_box = QtWidgets.QWidget(row_box)  # a parent first: never a window
        opts = QtWidgets.QHBoxLayout(opts_box)
        opts.setContentsMargins(0, 0, 0, 0)
        opts.setSpacing(8)
        opts.addWidget(QtWidgets.QLabel(translate("timeline", "Filters of")))
        self.layer_combo = QtWidgets.QComboBox()
        self.layer_combo.setToolTip(
            translate("timeline", "The conv layer whose kernels and maps are shown")
        )
        self.layer_combo.setMinimumContentsLength(6)
        self.layer_combo.currentTextChanged.connect(lambda _: self._render())
        opts.addWidget(self.layer_combo)
        opts.addSpacing(12)
        opts.addWidget(QtWidgets.QLabel(translate("timeline", "Maps show")))
        self.kind_combo = QtWidgets.QComboBox()
        for kind in MAP_CHOICES:
            self.kind_combo.addItem(map_kind_label(kind), kind)
        self.kind_combo.currentIndexChanged.connect(lambda _: self._render())
        opts.addWidget(self.kind_combo)
        row.addWidget(opts_box)
        self.info_label = QtWidgets.QLabel()
        self.info_label.setTextFormat(QtCore.Qt.TextFormat.RichText)
        scale_font(self.info_label, 1.2)
        row.addWidget(self.info_label)
        lay.addWidget(row_box)

        # the frame: kernels | maps | sample and prediction
        body = QtWidgets.QHBoxLayout()
        body.setSpacing(10)
        self.kernel_grid = MapGrid(
            translate("timeline", FILTERS), name="W", tooltips=True, wrap_title=True
        )
        self.kernel_grid.show_placeholder(translate("timeline", EMPTY_TEXT))
        body.addWidget(self.kernel_grid, 5)
        self.map_grid = MapGrid(
            translate("timeline", MAPS_OF_SAMPLE),
            name=translate("timeline", "map"),
            wrap_title=True,
        )
        self.map_grid.show_placeholder(translate("timeline", NO_SAMPLE))
        body.addWidget(self.map_grid, 5)
        side = QtWidgets.QVBoxLayout()
        side.setSpacing(4)
        self.sample_title = QtWidgets.QLabel(translate("timeline", "Sample"))
        self.sample_title.setAlignment(QtCore.Qt.AlignmentFlag.AlignHCenter)
        scale_font(self.sample_title, 1.05, bold=True)
        side.addWidget(self.sample_title)
        self.image = PixelImage(placeholder=translate("timeline", NO_SAMPLE))
        self.image.setMinimumSize(96, 96)
        side.addWidget(self.image, 2)
        self.result_label = QtWidgets.QLabel()
        self.result_label.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.result_label.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.result_label.setWordWrap(True)
        scale_font(self.result_label, 1.25)
        side.addWidget(self.result_label)
        self.bars = ProbabilityBars()
        side.addWidget(self.bars, 3)
        body.addLayout(side, 3)
        lay.addLayout(body, 1)

        self.timer = QtCore.QTimer(self)
        self.timer.timeout.connect(self._tick)
        self._set_enabled(False)
        self._update_step_label()

    # ------------------------------------------------------------------ public API
    def set_requester(self, fn: Callable[[int], None] | None) -> None:
        """``fn(index)`` is called to ask for frame ``index``; the answer comes back through
        :meth:`show_frame`."""
        self._requester = fn

    def set_frame_count(self, n: int, steps: list[int] | tuple[int, ...]) -> None:
        """The timeline has ``n`` entries, at these steps. The view stays on the step it shows
        (the nearest entry before it after thinning), or on the newest if it was there."""
        steps = [int(s) for s in steps][:n]
        if steps == self._steps:
            return
        old_steps, old_index = self._steps, self.slider.value()
        was_last = not old_steps or old_index >= len(old_steps) - 1
        self._steps = steps
        blocker = QtCore.QSignalBlocker(self.slider)
        self.slider.setRange(0, max(len(steps) - 1, 0))
        if not steps:
            index = 0
        elif was_last and not self.playing:
            index = len(steps) - 1
        else:
            shown = old_steps[min(old_index, len(old_steps) - 1)]
            index = max(0, int(np.searchsorted(steps, shown, side="right")) - 1)
        self.slider.setValue(index)
        del blocker
        self.slider.setTickInterval(max(1, math.ceil(len(steps) / 20)))
        self._set_enabled(bool(steps))
        self._update_step_label()
        if not steps:
            self.clear()
            return
        shown_step = None if self._frame is None else self._frame.step
        if shown_step != steps[index] or self._requested != index:
            self._request(index)

    def show_frame(self, frame: TimelineFrame | None) -> None:
        """Draw a frame the window rendered (None: the timeline was empty)."""
        self._in_flight_since = None
        if frame is not None:
            self._frame = frame
            names = list(frame.kernels)
            if names != self._layers:
                self._layers = names
                current = self.layer_combo.currentText()
                blocker = QtCore.QSignalBlocker(self.layer_combo)
                self.layer_combo.clear()
                self.layer_combo.addItems(names)
                if current in names:
                    self.layer_combo.setCurrentText(current)
                del blocker
            self._render()
        if self._wanted is not None and self._wanted != self._requested:
            self._request(self._wanted)

    def clear(self) -> None:
        """Forget the frames (a new network): back to the empty state."""
        self.stop()
        self._frame = None
        self._steps = []
        self._wanted = self._requested = self._in_flight_since = None
        blocker = QtCore.QSignalBlocker(self.slider)
        self.slider.setRange(0, 0)
        del blocker
        self._set_enabled(False)
        self._update_step_label()
        self.kernel_grid.set_title(translate("timeline", FILTERS))
        self.kernel_grid.show_placeholder(translate("timeline", EMPTY_TEXT))
        self.map_grid.set_title(translate("timeline", MAPS_OF_SAMPLE))
        self.map_grid.show_placeholder(translate("timeline", NO_SAMPLE))
        self.image.set_image(None)
        self.bars.set_data(None, (), None)
        self.result_label.setText("")
        self.info_label.setText("")

    @property
    def frame(self) -> TimelineFrame | None:
        return self._frame

    @property
    def current_index(self) -> int:
        return self.slider.value()

    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    def play(self) -> None:
        if len(self._steps) < 2:
            return
        if self.slider.value() >= len(self._steps) - 1:
            self.slider.setValue(0)
        self.timer.start(self.play_interval_ms)
        self._sync_play_button()

    def stop(self) -> None:
        self.timer.stop()
        self._sync_play_button()

    # ------------------------------------------------------------------ requests
    def _request(self, index: int) -> None:
        self._wanted = index
        if self._requester is None:
            return
        busy = self._in_flight_since is not None
        if busy and time.monotonic() - self._in_flight_since < REQUEST_TIMEOUT:
            return  # asked for when the frame in flight arrives
        self._requested = index
        self._in_flight_since = time.monotonic()
        self.frameRequested.emit(index)
        self._requester(index)  # may answer at once (show_frame inside)

    def shown_step(self) -> int | None:
        """The step of the entry the slider is on (None: no entries)."""
        if not self._steps:
            return None
        return self._steps[min(self.slider.value(), len(self._steps) - 1)]

    def set_resumable(self, steps: set[int] | frozenset[int], current: int | None = None) -> None:
        """The steps "Resume from here" can go back to exactly (the last steps undo keeps:
        at most :data:`~cnnviz.live.undo.UNDO_STEPS`), and the step training is at."""
        self._resumable = frozenset(int(s) for s in steps)
        self._current = None if current is None else int(current)
        self._sync_resume()

    def _sync_resume(self) -> None:
        """Resume is enabled on a step undo keeps; on an older one it is disabled, and a note
        beside it (and its tooltip) says why."""
        step = self.shown_step()
        kept = getattr(self, "_resumable", frozenset())
        current = getattr(self, "_current", None)
        ok = step is not None and step in kept
        too_old = step is not None and not ok and step != current
        if ok:
            tip = translate("timeline", RESUME_TIP)
        elif step is not None and step == current:
            tip = translate("timeline", "This is the step training is at: it goes on from here")
        elif too_old and kept:
            tip = translate(
                "timeline",
                "Resume works for the last {n} steps only: step {step} is older (the oldest "
                "that can be resumed from now is step {oldest})",
            ).format(n=UNDO_STEPS, step=fmt_step(step), oldest=fmt_step(min(kept)))
        elif too_old:
            tip = translate(
                "timeline",
                "Resume works for the last {n} steps only: step {step} is older",
            ).format(n=UNDO_STEPS, step=fmt_step(step))
        else:
            tip = translate("timeline", RESUME_TIP)
        self.resume_button.setEnabled(ok)
        self.resume_button.setToolTip(tip)
        self.resume_note.setToolTip(tip)
        self.resume_note.setVisible(too_old)

    def _on_slider(self, index: int) -> None:
        self._update_step_label()
        self._sync_resume()
        if self._steps:
            self._request(index)

    def _tick(self) -> None:
        if self._in_flight_since is not None:
            if time.monotonic() - self._in_flight_since < REQUEST_TIMEOUT:
                return  # wait for the frame before moving on
        if self.slider.value() >= len(self._steps) - 1:
            self.stop()
            return
        self.slider.setValue(self.slider.value() + 1)
        if self.slider.value() >= len(self._steps) - 1 and self._in_flight_since is None:
            self.stop()

    def _on_play_toggled(self, on: bool) -> None:
        if on != self.playing:
            self.play() if on else self.stop()
        self._sync_play_button()

    def _sync_play_button(self) -> None:
        on = self.playing
        blocker = QtCore.QSignalBlocker(self.play_button)
        self.play_button.setChecked(on)
        del blocker
        self.play_button.setText(translate("timeline", PAUSE if on else PLAY))

    def _set_enabled(self, on: bool) -> None:
        for w in (self.slider, self.play_button, self.prev_button, self.next_button):
            w.setEnabled(on)

    # ------------------------------------------------------------------ drawing
    def _update_step_label(self) -> None:
        if not self._steps:
            self.step_label.setText(translate("timeline", "Step {step}").format(step="–"))
            self.step_label.setToolTip("")
            return
        i = min(self.slider.value(), len(self._steps) - 1)
        muted = muted_color(self)
        self.step_label.setText(  # the step, then the entry's number (no words) in small
            translate("timeline", "Step {step}").format(step=fmt_step(self._steps[i]))
            + f"<span style='font-weight: normal; color: {muted}; font-size: small'>"
            f"&nbsp; {i + 1}/{len(self._steps)}</span>"
        )
        self.step_label.setToolTip(
            translate("timeline", "recorded entry {i} of {n}").format(i=i + 1, n=len(self._steps))
        )

    def _render(self) -> None:
        f = self._frame
        if f is None:
            return
        acc = "–" if not math.isfinite(f.test_accuracy) else f"{100 * f.test_accuracy:.1f} %"
        self.info_label.setText(
            translate(
                "timeline", "epoch {epoch} · loss <b>{loss}</b> · test accuracy <b>{accuracy}</b>"
            ).format(epoch=f.epoch + 1, loss=fmt_value(f.loss, 3), accuracy=acc)
        )
        layer = self.layer_combo.currentText()
        kernels = f.kernels.get(layer)
        if kernels is None:
            self.kernel_grid.set_title(translate("timeline", FILTERS))
            self.kernel_grid.show_placeholder(translate("timeline", "no conv layer"))
        else:
            o, c, kh, kw = kernels.shape
            self.kernel_grid.set_title(
                translate(
                    "timeline", "Filters of {layer} — {o} × {c} kernels {h}×{w}, step {step}"
                ).format(layer=layer, o=o, c=c, h=kh, w=kw, step=fmt_step(f.step))
            )
            self.kernel_grid.set_data(
                kernels, "weight", self.settings, max_rows=MAX_FILTERS, max_cols=MAX_CHANNELS
            )
        self._render_maps(f, layer)
        self._render_sample(f)

    def _render_maps(self, f: TimelineFrame, layer: str) -> None:
        kind = self.kind_combo.currentData() or "activation"
        stage = next((s for s in f.stages if s.name == layer), None)
        if stage is None:
            self.map_grid.set_title(
                translate("timeline", "Maps of {layer}").format(layer=layer)
                if layer
                else translate("timeline", MAPS_OF_SAMPLE)
            )
            self.map_grid.show_placeholder(translate("timeline", NO_SAMPLE))
            return
        data = f.maps[stage.index].get(kind)
        self.map_grid.set_title(
            translate("timeline", "{layer} maps of the sample: {kind}").format(
                layer=layer, kind=map_kind_label(kind)
            )
        )
        if data is None:
            why = (
                translate("timeline", "no δ without a label")
                if f.label is None
                else translate("timeline", "not computed")
            )
            self.map_grid.show_placeholder(why)
        else:
            self.map_grid.set_data(data, kind, self.settings)

    def _render_sample(self, f: TimelineFrame) -> None:
        if not f.maps:
            self.image.set_image(None)
            self.bars.set_data(None, (), None)
            self.result_label.setText("")
            return
        self.image.set_image(f.maps[0].get("activation"))
        self.bars.set_data(f.probabilities, f.class_names, f.label)
        pred = f.prediction
        names = f.class_names

        def name(i: int | None) -> str:
            return "–" if i is None else (names[i] if 0 <= i < len(names) else str(i))

        if f.label is None:
            self.result_label.setText(
                translate("timeline", "predicted <b>{predicted}</b>").format(predicted=name(pred))
            )
        else:
            color = CORRECT_COLOR if pred == f.label else WRONG_COLOR
            verdict = "✓" if pred == f.label else "✗"
            self.result_label.setText(
                translate("timeline", "label <b>{label}</b> · predicted {predicted}").format(
                    label=name(f.label),
                    predicted=f"<b style='color:{color}'>{name(pred)} {verdict}</b>",
                )
            )


class TimelinePanel(Panel):
    """The timeline tab: past snapshots, rendered in the training process on request."""

    key, title, place = "timeline_view", QT_TRANSLATE_NOOP("Panels", "Timeline"), LOWER
    concept = "timeline"

    def build(self) -> TimelineView:
        self._seen: tuple[int, int] = (0, -1)
        return TimelineView(settings=self.host.settings)

    def connect(self) -> None:
        self.widget.set_requester(self.request_frame)
        self.host.timelineFrameReady.connect(self.widget.show_frame)
        self.widget.resume_button.clicked.connect(self.resume_here)

    def resume_here(self) -> None:
        """Go back to the entry shown and train on from it (asking if later steps go)."""
        step = self.widget.shown_step()
        snap = self.host.snapshot
        if step is None or snap is None:
            return
        later = snap.step - step
        if later > 0 and not os.environ.get("CNNVIZ_NO_PROMPT"):
            answer = QtWidgets.QMessageBox.question(
                self.host, translate("timeline", "Resume from here"),
                translate("timeline", "Resume from step {step}? The {later} later steps are "
                          "dropped.").format(step=f"{step:,}", later=f"{later:,}"),
            )  # fmt: skip
            if answer != QtWidgets.QMessageBox.StandardButton.Yes:
                return
        self.host.send(lambda s: s.resume_from(int(step)))

    def draw(self, snapshot) -> None:
        pass  # it shows the timeline's entries, not the latest snapshot

    def follow(self, snapshot) -> None:
        tl = self.host.session.timeline if self.host.session else None
        if tl is None:
            return
        seen = (id(tl), tl.revision)
        if seen != self._seen:
            self._seen = seen
            self.widget.set_frame_count(len(tl), tl.steps())
        self.widget.set_resumable(frozenset(snapshot.resumable), snapshot.step)
        focus = self.host.sample_ref()
        if focus != getattr(self, "_focus", focus) and self.widget.shown_step() is not None:
            self.request_frame(self.widget.current_index)  # the focused sample changed
        self._focus = focus

    def request_frame(self, index: int) -> None:
        """The view asks for entry ``index``: rendered in the training process."""
        split, i = self.host.sample_ref()

        def done(ok, result):  # on the thread that reads the process's answers
            if ok:
                self.host.timelineFrameReady.emit(result)
            else:
                self.host.report_error(
                    translate("timeline", "could not show that timeline entry: {error}").format(
                        error=result
                    )
                )

        self.host.send(
            lambda s: s.request("timeline_frame", done, entry=index, split=split, index=i)
        )
