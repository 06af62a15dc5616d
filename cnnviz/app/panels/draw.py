"""Draw your own input: a digit drawn with the mouse or a pen, fed to the network live.

:class:`DrawCanvas` is the whole panel: a square black pad (:class:`DrawingPad`) the user
draws on in white with a soft round brush (a tablet pen's pressure widens it), a preview of
the image as the network sees it, the target label, and the buttons. The ink is kept at high
resolution and prepared like an MNIST digit by :func:`cnnviz.lessons.drawing.prepare_drawing`
(centre of mass centred, scaled into a 20×20 box of 28×28, antialiased).

While drawing in live mode, the panel emits ``imageReady(image, label)`` at most
:data:`MAX_RATE` times a second (and once more when the stroke ends), so the window can run
``session.probe_image(normalise(image, normalization), label)`` and every view shows the
forward pass and the δ and ∂E/∂W of this very input. "Run backward on this label" emits it at
once, live mode or not. The widget never touches the network.
"""

from __future__ import annotations

import time

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication

from cnnviz.i18n import QT_TRANSLATE_NOOP
from cnnviz.lessons.drawing import draw_segment, erase_segment, prepare_drawing

from ..style import scale_font
from ..widgets.mapgrid import muted_color
from .registry import LOWER, Panel
from .sample import CORRECT_COLOR, WRONG_COLOR, PixelImage

translate = QCoreApplication.translate  # extracted by pyside6-lupdate

MAX_RATE = 15.0  # imageReady per second, at most, while drawing
RESOLUTION = 280  # ink pixels per side (10× a 28×28 input)
DEFAULT_BRUSH = 13.0  # brush radius in ink pixels: MNIST-like strokes for a digit filling the pad
BRUSH_RANGE = (4, 36)
UNDO_DEPTH = 30
PAD_BACKGROUND = QtGui.QColor("#000000")
PAD_FRAME = QtGui.QColor("#5a6472")
HINT_COLOR = QtGui.QColor("#8c96a3")
CURSOR_COLOR = QtGui.QColor(255, 159, 28, 200)  # the brush outline under the pointer
DIGIT_NAMES = tuple(str(d) for d in range(10))


class DrawingPad(QtWidgets.QWidget):
    """A square of black paper with white ink, kept at ``resolution``² pixels in [0, 1].

    Left button (or pen) draws, right button erases; a tablet pen's pressure sets the width.
    Signals: ``strokeChanged()`` while the ink changes, ``strokeFinished()`` when the button
    or pen is lifted.
    """

    strokeChanged = QtCore.Signal()
    strokeFinished = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None, resolution: int = RESOLUTION):
        super().__init__(parent)
        self.resolution = int(resolution)
        self.ink = np.zeros((self.resolution, self.resolution), dtype=np.float32)
        self.brush_radius = DEFAULT_BRUSH
        self._undo: list[np.ndarray] = []
        self._last: tuple[float, float, float] | None = None  # (x, y, radius) in ink pixels
        self._erasing = False
        self._hover: QtCore.QPointF | None = None
        self._qimage: QtGui.QImage | None = None
        self._grey: np.ndarray | None = None
        self.setMouseTracking(True)
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_TabletTracking, True)
        self.setCursor(QtCore.Qt.CursorShape.CrossCursor)
        self.setMinimumSize(220, 220)
        self.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Expanding
        )
        self.setToolTip(
            translate("draw", "Draw with the left button or a pen; the right button erases")
        )

    # ------------------------------------------------------------------ geometry
    def sizeHint(self) -> QtCore.QSize:  # noqa: N802 - Qt API
        return QtCore.QSize(420, 420)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        return width

    def square(self) -> QtCore.QRectF:
        """Where the paper is drawn: the largest square, centred across and at the top (so it
        starts level with the column beside it, however tall the tab is)."""
        side = max(min(self.width(), self.height()) - 4, 1)
        return QtCore.QRectF((self.width() - side) / 2, 2, side, side)

    def to_ink(self, pos: QtCore.QPointF) -> tuple[float, float]:
        """Widget coordinates to ink pixel coordinates (x, y)."""
        sq = self.square()
        k = self.resolution / sq.width()
        return (pos.x() - sq.left()) * k, (pos.y() - sq.top()) * k

    # ------------------------------------------------------------------ ink
    @property
    def empty(self) -> bool:
        return not bool(self.ink.any())

    def clear(self) -> None:
        if not self.empty:
            self._push_undo()
            self.ink[...] = 0
            self._changed()

    def undo(self) -> bool:
        """Back to the ink before the last stroke (or clear); False when there is none."""
        if not self._undo:
            return False
        self.ink[...] = self._undo.pop()
        self._changed()
        return True

    def _push_undo(self) -> None:
        self._undo.append(self.ink.copy())
        del self._undo[:-UNDO_DEPTH]

    def _changed(self) -> None:
        self._qimage = None
        self.update()
        self.strokeChanged.emit()

    # ------------------------------------------------------------------ strokes
    def begin_stroke(self, pos: QtCore.QPointF, pressure: float = 1.0, erase: bool = False):
        self._push_undo()
        self._erasing = erase
        x, y = self.to_ink(pos)
        r = self._radius(pressure)
        self._last = (x, y, r)
        self._segment(x, y, r)

    def extend_stroke(self, pos: QtCore.QPointF, pressure: float = 1.0) -> None:
        if self._last is None:
            return
        x, y = self.to_ink(pos)
        self._segment(x, y, self._radius(pressure))

    def end_stroke(self) -> None:
        if self._last is not None:
            self._last = None
            self.strokeFinished.emit()

    def _radius(self, pressure: float) -> float:
        p = float(np.clip(pressure, 0.0, 1.0))
        return self.brush_radius * (0.35 + 0.65 * p) * (2.0 if self._erasing else 1.0)

    def _segment(self, x: float, y: float, r: float) -> None:
        x0, y0, r0 = self._last
        if self._erasing:
            touched = erase_segment(self.ink, (x0, y0), (x, y), r0, r)
        else:
            touched = draw_segment(self.ink, (x0, y0), (x, y), r0, r)
        self._last = (x, y, r)
        if touched is not None:
            self._changed()

    # ------------------------------------------------------------------ Qt events
    def mousePressEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt API
        button = event.button()
        if button in (QtCore.Qt.MouseButton.LeftButton, QtCore.Qt.MouseButton.RightButton):
            self.begin_stroke(event.position(), erase=button == QtCore.Qt.MouseButton.RightButton)
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt API
        self._hover = event.position()
        if self._last is not None:  # a stroke is under way (whatever the event's buttons say)
            self.extend_stroke(event.position())
        else:
            self.update()

    def mouseReleaseEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt API
        if self._last is not None:
            self.extend_stroke(event.position())
            self.end_stroke()
        event.accept()

    def leaveEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802 - Qt API
        self._hover = None
        self.update()
        super().leaveEvent(event)

    def tabletEvent(self, event: QtGui.QTabletEvent) -> None:  # noqa: N802 - Qt API
        kind = event.type()
        pressure = float(event.pressure())
        self._hover = event.position()
        eraser = event.pointerType() == QtGui.QPointingDevice.PointerType.Eraser
        if kind == QtCore.QEvent.Type.TabletPress:
            self.begin_stroke(event.position(), pressure, erase=eraser)
        elif kind == QtCore.QEvent.Type.TabletMove:
            if self._last is not None:
                self.extend_stroke(event.position(), pressure)
            else:
                self.update()
        elif kind == QtCore.QEvent.Type.TabletRelease:
            self.end_stroke()
        event.accept()  # no synthesized mouse events: the pen's pressure counts

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:  # noqa: N802 - Qt API
        p = QtGui.QPainter(self)
        sq = self.square()
        p.fillRect(sq, PAD_BACKGROUND)
        if self._qimage is None:
            self._grey = np.ascontiguousarray(
                np.clip(self.ink * 255.0 + 0.5, 0, 255).astype(np.uint8)
            )
            n = self.resolution
            self._qimage = QtGui.QImage(
                self._grey.data, n, n, n, QtGui.QImage.Format.Format_Grayscale8
            )
        p.setRenderHint(QtGui.QPainter.RenderHint.SmoothPixmapTransform, True)
        p.drawImage(sq, self._qimage)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        if self.empty:
            font = QtGui.QFont(self.font())
            font.setPixelSize(max(14, int(sq.width() / 16)))
            p.setFont(font)
            p.setPen(HINT_COLOR)
            p.drawText(
                sq,
                QtCore.Qt.AlignmentFlag.AlignCenter | QtCore.Qt.TextFlag.TextWordWrap,
                translate("draw", "draw a digit here\n(right button erases)"),
            )
        if self._hover is not None and sq.contains(self._hover):
            r = self.brush_radius * sq.width() / self.resolution
            p.setPen(QtGui.QPen(CURSOR_COLOR, 1.5))
            p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
            p.drawEllipse(self._hover, r, r)
        p.setPen(QtGui.QPen(PAD_FRAME, 2))
        p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        p.drawRect(sq.adjusted(-1, -1, 1, 1))
        p.end()


PREDICTED = -1  # the target label "the predicted class": the default until one is picked
AUTO_TARGET = QT_TRANSLATE_NOOP("draw", "predicted class")


class DrawCanvas(QtWidgets.QWidget):
    """The drawing panel: pad, preview as the network sees it, target label, live mode.

    Signals
    -------
    imageReady(object, int)
        ``(image, label)``: the drawing prepared for the network, a (C, h, w) uint8 array
        (call :func:`cnnviz.lessons.drawing.normalise` with the dataset's normalisation
        before ``session.probe_image``), and the chosen target label. Emitted in live mode
        while drawing (at most :data:`MAX_RATE` per second, and once when a stroke ends), on
        Clear, Undo and a change of label in live mode, and by "Run backward on this label".
    cleared()
        The drawing was cleared.
    """

    imageReady = QtCore.Signal(object, int)
    cleared = QtCore.Signal()

    def __init__(
        self,
        parent: QtWidgets.QWidget | None = None,
        *,
        input_shape: tuple[int, int, int] = (1, 28, 28),
        class_names: tuple[str, ...] | list[str] = DIGIT_NAMES,
        resolution: int = RESOLUTION,
    ) -> None:
        super().__init__(parent)
        self._input_shape = (1, 28, 28)
        self._class_names: tuple[str, ...] = ()
        self._image: np.ndarray | None = None  # the prepared image of the current ink
        self._last_emit = -1e9
        self._prediction_key = None

        self.pad = DrawingPad(self, resolution)
        self.pad.strokeChanged.connect(self._on_ink_changed)
        self.pad.strokeFinished.connect(self._on_stroke_finished)

        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)  # never early: the rate holds
        self._timer.timeout.connect(self._flush)

        title = QtWidgets.QLabel(translate("draw", "Draw your own input"))
        scale_font(title, 1.35, bold=True)
        self.preview_title = QtWidgets.QLabel()
        scale_font(self.preview_title, 1.05, bold=True)
        self.preview = PixelImage(placeholder=translate("draw", "nothing drawn yet"))
        self.preview.setMinimumSize(176, 176)
        self.preview.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Expanding
        )
        self.prediction_label = QtWidgets.QLabel("")
        self.prediction_label.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.prediction_label.setWordWrap(True)
        self.prediction_label.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        scale_font(self.prediction_label, 1.6)

        self.label_combo = QtWidgets.QComboBox()
        self.label_combo.setToolTip(
            translate(
                "draw",
                "The target of the loss: backpropagation starts from δ = ∂E/∂u for this label",
            )
        )
        self.label_combo.currentIndexChanged.connect(self._on_label_changed)
        self.live_check = QtWidgets.QCheckBox(
            translate("draw", "Live: run the network while drawing")
        )
        self.live_check.setChecked(True)
        self.live_check.toggled.connect(self._on_live_toggled)
        self.brush_slider = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.brush_slider.setRange(*BRUSH_RANGE)
        self.brush_slider.setValue(int(DEFAULT_BRUSH))
        self.brush_slider.setToolTip(translate("draw", "Brush radius"))
        self.brush_slider.valueChanged.connect(self._on_brush)
        self.clear_button = QtWidgets.QPushButton(translate("draw", "Clear"))
        self.clear_button.setToolTip(translate("draw", "Clear the drawing (Del)"))
        self.clear_button.clicked.connect(self.clear)
        self.undo_button = QtWidgets.QPushButton(translate("draw", "Undo"))
        self.undo_button.setToolTip(translate("draw", "Undo the last stroke (Ctrl+Z on this tab)"))
        self.undo_button.clicked.connect(self.undo)
        self.run_button = QtWidgets.QPushButton(translate("draw", "Run backward on this label"))
        self.run_button.setToolTip(
            translate(
                "draw",
                "Forward and backward on the drawing with the chosen target label (no update)",
            )
        )
        self.run_button.clicked.connect(self.send)
        for w in (self.clear_button, self.undo_button, self.run_button, self.label_combo,
                  self.live_check):  # fmt: skip
            scale_font(w, 1.15)
        scale_font(self.run_button, 1.0, bold=True)
        self.run_button.setMinimumHeight(self.run_button.sizeHint().height() + 10)

        side = QtWidgets.QVBoxLayout()
        side.setSpacing(8)
        side.addWidget(self.preview_title)
        side.addWidget(self.preview, 1)
        side.addWidget(self.prediction_label)
        side.addSpacing(6)
        form = QtWidgets.QFormLayout()
        form.setLabelAlignment(QtCore.Qt.AlignmentFlag.AlignRight)
        target = QtWidgets.QLabel(translate("draw", "Target label"))
        brush = QtWidgets.QLabel(translate("draw", "Brush"))
        for w in (target, brush):
            scale_font(w, 1.15)
        form.addRow(target, self.label_combo)
        form.addRow(brush, self.brush_slider)
        side.addLayout(form)
        side.addWidget(self.live_check)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.undo_button)
        side.addLayout(buttons)
        side.addWidget(self.run_button)
        side.addSpacing(4)
        self.rate_note = QtWidgets.QLabel(
            translate(
                "draw", "Prepared like MNIST: centre of mass centred, scaled into a 20×20 box."
            )
        )
        self.rate_note.setWordWrap(True)
        self.rate_note.setStyleSheet(f"color: {muted_color(self)};")
        side.addWidget(self.rate_note)

        body = QtWidgets.QHBoxLayout()
        body.setSpacing(14)
        body.addWidget(self.pad, 3)
        self.side_box = side_box = QtWidgets.QWidget()
        side_box.setLayout(side)
        self.fit_side()
        body.addWidget(side_box, 2)

        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(10, 10, 10, 10)
        lay.setSpacing(8)
        lay.addWidget(title)
        lay.addLayout(body, 1)

        for keys, slot in (
            (QtGui.QKeySequence(QtCore.Qt.Key.Key_Delete), self.clear),
            (QtGui.QKeySequence(QtCore.Qt.Key.Key_Backspace), self.clear),
        ):
            sc = QtGui.QShortcut(keys, self)
            sc.setContext(QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)

        self.set_input(input_shape, class_names)

    # ------------------------------------------------------------------ public API
    def set_input(
        self, input_shape: tuple[int, ...], class_names: tuple[str, ...] | list[str]
    ) -> None:
        """The network's input shape (C, h, w) and the dataset's class names."""
        shape = tuple(int(s) for s in input_shape)
        if len(shape) != 3:
            raise ValueError(
                translate("draw", "the drawing canvas needs a (C, H, W) input, got {shape}").format(
                    shape=shape
                )
            )
        names = tuple(str(c) for c in class_names)
        if shape == self._input_shape and names == self._class_names:
            return
        self._input_shape = shape
        if names != self._class_names:
            self._class_names = names
            current = self.label()
            blocker = QtCore.QSignalBlocker(self.label_combo)
            self.label_combo.clear()
            self.label_combo.addItem(translate("draw", AUTO_TARGET), PREDICTED)
            for k, name in enumerate(names):
                self.label_combo.addItem(name if name == str(k) else f"{k}: {name}", k)
            self.label_combo.setCurrentIndex(current + 1 if current < len(names) else 0)
            del blocker
        c, h, w = shape
        self.preview_title.setText(
            translate("draw", "As the network sees it ({h}×{w})").format(h=h, w=w)
        )
        self._image = None
        self._refresh_preview()

    def input_shape(self) -> tuple[int, int, int]:
        return self._input_shape

    def render(self, snapshot) -> None:
        """Follow the network (input shape, class names) and, when the snapshot traces the
        drawing, show the prediction. Cheap: call it with every snapshot."""
        if snapshot is None:
            return
        if snapshot.stages:
            shape = tuple(snapshot.stages[0].out_shape)
            if len(shape) == 3:
                self.set_input(shape, snapshot.class_names)
        probs = snapshot.probabilities
        drawn = snapshot.sample_source == "drawn" and probs is not None
        key = (snapshot.serial, drawn)
        if key == self._prediction_key:
            return
        self._prediction_key = key
        if not drawn:
            self.prediction_label.setText("")
            return
        probs = np.asarray(probs).ravel()
        pred = int(np.argmax(probs))
        names = self._class_names
        name = names[pred] if pred < len(names) else str(pred)
        label = snapshot.sample_label
        color = CORRECT_COLOR if label is None or pred == label else WRONG_COLOR
        self.prediction_label.setText(
            translate("draw", "network says {predicted} ({confidence} %)").format(
                predicted=f'<b style="color:{color}">{name}</b>',
                confidence=f"{100 * probs[pred]:.0f}",
            )
        )

    def image(self) -> np.ndarray:
        """The drawing as the network's input image: (C, h, w) uint8."""
        if self._image is None:
            c, h, w = self._input_shape
            self._image = prepare_drawing(self.pad.ink, (h, w), c)
        return self._image

    def label(self) -> int:
        """The target label picked, or :data:`PREDICTED` (-1): the predicted class."""
        data = self.label_combo.currentData()
        return PREDICTED if data is None else int(data)

    def set_label(self, label: int) -> None:
        """Pick target ``label`` (:data:`PREDICTED`: the predicted class)."""
        self.label_combo.setCurrentIndex(max(int(label), PREDICTED) + 1)

    def is_live(self) -> bool:
        return self.live_check.isChecked()

    def set_live(self, on: bool) -> None:
        self.live_check.setChecked(bool(on))

    def clear(self) -> None:
        had_ink = not self.pad.empty
        self.pad.clear()
        if had_ink:
            self.cleared.emit()

    def undo(self) -> None:
        self.pad.undo()

    def send(self) -> None:
        """Emit the drawing and the target label now ("Run backward on this label")."""
        self._timer.stop()
        self._refresh_preview()
        self._emit()

    # ------------------------------------------------------------------ internals
    def _on_ink_changed(self) -> None:
        self._image = None
        self._schedule()

    def _on_stroke_finished(self) -> None:
        self._schedule()  # the last piece of the stroke goes out too (within the rate)

    def _on_label_changed(self, index: int) -> None:
        if self.is_live() and not self.pad.empty:
            self._schedule()

    def _on_live_toggled(self, on: bool) -> None:
        if on and not self.pad.empty:
            self._schedule()

    def _on_brush(self, value: int) -> None:
        self.pad.brush_radius = float(value)
        self.pad.update()

    def _schedule(self) -> None:
        """Emit soon, at most MAX_RATE times a second; a burst of changes gives one emission
        at its start and one at its end."""
        if self._timer.isActive():
            return
        interval = 1.0 / MAX_RATE
        wait = interval - (time.monotonic() - self._last_emit)
        self._timer.start(max(0, int(np.ceil(wait * 1000))))

    def _flush(self) -> None:
        self._refresh_preview()
        if self.is_live():
            self._emit()
        else:
            self._last_emit = time.monotonic()

    def _refresh_preview(self) -> None:
        self.preview.set_image(self.image() if not self.pad.empty else None)

    def _emit(self) -> None:
        self._last_emit = time.monotonic()
        self.imageReady.emit(self.image().copy(), self.label())

    def fit_side(self) -> None:
        """The column beside the pad: at most 380 px, unless its controls need more (never
        narrower than they need: the tab scrolls instead)."""
        need = self.side_box.layout().minimumSize().width()
        self.side_box.setMinimumWidth(need)
        self.side_box.setMaximumWidth(max(380, need))


class DrawPanel(Panel):
    """The Draw tab: a digit drawn by hand goes through the network, forward and backward."""

    key, title, place = "canvas", QT_TRANSLATE_NOOP("Panels", "Draw"), LOWER
    concept = "draw"
    scrolled = True

    def build(self) -> DrawCanvas:
        return DrawCanvas()

    def set_scale(self, factor: float) -> None:
        self.widget.fit_side()

    def connect(self) -> None:
        self.widget.imageReady.connect(self.probe_drawing)

    def probe_drawing(self, image, label: int) -> None:
        """A drawing (uint8 (C, H, W)) goes through the network, forward and backward."""
        snap = self.host.snapshot
        if snap is not None and snap.phase_position:
            self.host.show_message(
                translate(
                    "draw", "Finish the step under way (→) to run the drawing through the network"
                ),
                3000,
            )
            return
        self.host.send(lambda s: s.probe_drawing(image, int(label)))
