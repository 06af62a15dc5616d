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

from cnnviz.i18n import QT_TRANSLATE_NOOP
from cnnviz.training.stages import MAP_KIND_LABELS
from cnnviz.training.timeline import TimelineFrame

from ..colors import DisplaySettings
from ..style import scale_font
from ..widgets.mapgrid import MapGrid, fmt_value, muted_color
from .registry import LOWER, Panel
from .sample import CORRECT_COLOR, WRONG_COLOR, PixelImage, ProbabilityBars

REQUEST_TIMEOUT = 2.0  # seconds after which an unanswered request no longer blocks new ones
PLAY_INTERVAL_MS = 350  # between frames while playing
MAX_FILTERS = 32  # kernel rows shown (filters) …
MAX_CHANNELS = 16  # … and columns (input channels)
MAP_CHOICES = ("activation", "net", "delta")
EMPTY_TEXT = "no timeline yet:\nit records the weights every few steps"


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
        self.play_button = QtWidgets.QPushButton("▶  Play")
        self.play_button.setCheckable(True)
        self.play_button.setToolTip("Walk through the recorded steps")
        self.play_button.setMinimumWidth(self.play_button.fontMetrics().horizontalAdvance(
            "❚❚  Pause") + 36)  # fmt: skip
        self.play_button.toggled.connect(self._on_play_toggled)
        top.addWidget(self.play_button)
        self.prev_button = QtWidgets.QToolButton()
        self.prev_button.setText("◀")
        self.prev_button.setToolTip("Previous recorded step")
        self.prev_button.clicked.connect(lambda: self.slider.setValue(self.slider.value() - 1))
        top.addWidget(self.prev_button)
        self.slider = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.slider.setRange(0, 0)
        self.slider.setPageStep(1)
        self.slider.setTickPosition(QtWidgets.QSlider.TickPosition.TicksBelow)
        self.slider.setMinimumHeight(30)
        self.slider.setToolTip("Drag to go back to an earlier step (← → step through)")
        self.slider.valueChanged.connect(self._on_slider)
        top.addWidget(self.slider, 1)
        self.next_button = QtWidgets.QToolButton()
        self.next_button.setText("▶")
        self.next_button.setToolTip("Next recorded step")
        self.next_button.clicked.connect(lambda: self.slider.setValue(self.slider.value() + 1))
        top.addWidget(self.next_button)
        self.step_label = QtWidgets.QLabel()
        self.step_label.setTextFormat(QtCore.Qt.TextFormat.RichText)
        scale_font(self.step_label, 1.5, bold=True)
        self.step_label.setMinimumWidth(
            QtGui.QFontMetrics(self.step_label.font()).horizontalAdvance("Step 000 000") + 12
        )
        top.addWidget(self.step_label)
        self.resume_button = QtWidgets.QPushButton("Resume from here")
        self.resume_button.setToolTip(
            "Go back to this step: training continues from it (the later steps are dropped)"
        )
        self.resume_button.setEnabled(False)
        top.addWidget(self.resume_button)
        lay.addLayout(top)

        # what to show, and the frame's numbers
        opts = QtWidgets.QHBoxLayout()
        opts.setSpacing(8)
        opts.addWidget(QtWidgets.QLabel("Filters of"))
        self.layer_combo = QtWidgets.QComboBox()
        self.layer_combo.setToolTip("The conv layer whose kernels and maps are shown")
        self.layer_combo.setMinimumContentsLength(6)
        self.layer_combo.currentTextChanged.connect(lambda _: self._render())
        opts.addWidget(self.layer_combo)
        opts.addSpacing(12)
        opts.addWidget(QtWidgets.QLabel("Maps show"))
        self.kind_combo = QtWidgets.QComboBox()
        for kind in MAP_CHOICES:
            self.kind_combo.addItem(MAP_KIND_LABELS[kind], kind)
        self.kind_combo.currentIndexChanged.connect(lambda _: self._render())
        opts.addWidget(self.kind_combo)
        opts.addStretch(1)
        self.info_label = QtWidgets.QLabel()
        self.info_label.setTextFormat(QtCore.Qt.TextFormat.RichText)
        scale_font(self.info_label, 1.2)
        opts.addWidget(self.info_label)
        lay.addLayout(opts)

        # the frame: kernels | maps | sample and prediction
        body = QtWidgets.QHBoxLayout()
        body.setSpacing(10)
        self.kernel_grid = MapGrid("Filters", name="W", tooltips=True)
        self.kernel_grid.show_placeholder(EMPTY_TEXT)
        body.addWidget(self.kernel_grid, 5)
        self.map_grid = MapGrid("Maps of the sample", name="map")
        self.map_grid.show_placeholder("no sample yet")
        body.addWidget(self.map_grid, 5)
        side = QtWidgets.QVBoxLayout()
        side.setSpacing(4)
        self.sample_title = QtWidgets.QLabel("Sample")
        self.sample_title.setAlignment(QtCore.Qt.AlignmentFlag.AlignHCenter)
        scale_font(self.sample_title, 1.05, bold=True)
        side.addWidget(self.sample_title)
        self.image = PixelImage(placeholder="no sample yet")
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
        self.kernel_grid.set_title("Filters")
        self.kernel_grid.show_placeholder(EMPTY_TEXT)
        self.map_grid.set_title("Maps of the sample")
        self.map_grid.show_placeholder("no sample yet")
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

    def set_resumable(self, steps: set[int] | frozenset[int]) -> None:
        """The steps "Resume from here" can go back to exactly (the last steps undo keeps)."""
        self._resumable = frozenset(steps)
        self._sync_resume()

    def _sync_resume(self) -> None:
        step = self.shown_step()
        ok = step is not None and step in getattr(self, "_resumable", frozenset())
        self.resume_button.setEnabled(ok)
        self.resume_button.setToolTip(
            "Go back to this step: training continues from it (the later steps are dropped)"
            if ok
            else "Only the most recent steps (those Undo keeps) can be resumed from exactly"
        )

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
        self.play_button.setText("❚❚  Pause" if on else "▶  Play")

    def _set_enabled(self, on: bool) -> None:
        for w in (self.slider, self.play_button, self.prev_button, self.next_button):
            w.setEnabled(on)

    # ------------------------------------------------------------------ drawing
    def _update_step_label(self) -> None:
        if not self._steps:
            self.step_label.setText("Step –")
            self.step_label.setToolTip("")
            return
        i = min(self.slider.value(), len(self._steps) - 1)
        muted = muted_color(self)
        self.step_label.setText(
            f"Step {fmt_step(self._steps[i])}"
            f"<span style='font-weight: normal; color: {muted}; font-size: small'>"
            f"&nbsp; {i + 1}/{len(self._steps)}</span>"
        )
        self.step_label.setToolTip(f"recorded entry {i + 1} of {len(self._steps)}")

    def _render(self) -> None:
        f = self._frame
        if f is None:
            return
        acc = "–" if not math.isfinite(f.test_accuracy) else f"{100 * f.test_accuracy:.1f} %"
        self.info_label.setText(
            f"epoch {f.epoch + 1} · loss <b>{fmt_value(f.loss, 3)}</b> · test accuracy <b>{acc}</b>"
        )
        layer = self.layer_combo.currentText()
        kernels = f.kernels.get(layer)
        if kernels is None:
            self.kernel_grid.set_title("Filters")
            self.kernel_grid.show_placeholder("no conv layer")
        else:
            o, c, kh, kw = kernels.shape
            self.kernel_grid.set_title(
                f"Filters of {layer} — {o} × {c} kernels {kh}×{kw}, step {fmt_step(f.step)}"
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
            self.map_grid.set_title(f"Maps of {layer}" if layer else "Maps of the sample")
            self.map_grid.show_placeholder("no sample yet")
            return
        data = f.maps[stage.index].get(kind)
        self.map_grid.set_title(f"{layer} maps of the sample: {MAP_KIND_LABELS[kind]}")
        if data is None:
            why = "no δ without a label" if f.label is None else "not computed"
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
            self.result_label.setText(f"predicted <b>{name(pred)}</b>")
        else:
            color = CORRECT_COLOR if pred == f.label else WRONG_COLOR
            verdict = "✓" if pred == f.label else "✗"
            self.result_label.setText(
                f"label <b>{name(f.label)}</b> · predicted "
                f"<b style='color:{color}'>{name(pred)} {verdict}</b>"
            )


class TimelinePanel(Panel):
    """The timeline tab: past snapshots, rendered in the training process on request."""

    key, place = "timeline_view", LOWER
    title = QT_TRANSLATE_NOOP("Panels", "Timeline")
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
                self.host, "Resume from here",
                f"Resume from step {step:,}? The {later:,} later steps are dropped.",
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
        self.widget.set_resumable(frozenset(snapshot.resumable))
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
                self.host.report_error(f"could not show that timeline entry: {result}")

        self.host.send(
            lambda s: s.request("timeline_frame", done, entry=index, split=split, index=i)
        )
