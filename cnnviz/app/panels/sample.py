"""The sample being traced: its image, label, prediction and the predicted probabilities.

:class:`SamplePanel` shows the input the views are tracing (``snapshot.sample_image``), where
it came from (training batch, test set or drawn by hand), its label and the network's
prediction, the probabilities as horizontal bars with the true and the predicted class marked,
and lets the user pick another sample of the batch or a test sample.
"""

from __future__ import annotations

import time

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication

from cnnviz.i18n import QT_TRANSLATE_NOOP
from cnnviz.live.snapshot import sample_wording

from ..style import CORRECT_COLOR, WRONG_COLOR
from .registry import SIDE, Panel

translate = QCoreApplication.translate  # extracted by pyside6-lupdate

BAR_COLOR = "#8fa9c8"
MAX_BARS = 20  # more classes than this: show the 10 most probable (and the true one)


def to_uint8(image: np.ndarray) -> np.ndarray:
    """An image as uint8: kept as is if uint8, floats in [0, 1] scaled by 255, anything
    else stretched from its minimum to its maximum."""
    a = np.asarray(image)
    if a.dtype == np.uint8:
        return a
    a = a.astype(np.float64)
    finite = np.isfinite(a)
    if not finite.any():
        return np.zeros(a.shape, dtype=np.uint8)
    lo, hi = float(a[finite].min()), float(a[finite].max())
    if lo >= 0.0 and hi <= 1.0:
        lo, hi = 0.0, 1.0
    elif hi <= lo:
        hi = lo + 1.0
    out = (np.nan_to_num(a, nan=lo) - lo) * (255.0 / (hi - lo))
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)


def to_qimage(image: np.ndarray) -> QtGui.QImage:
    """A QImage (owning its pixels) of a (C, H, W) or (H, W) image: one channel is grey,
    three are RGB, other channel counts are laid side by side in grey."""
    a = to_uint8(image)
    if a.ndim == 2:
        a = a[None]
    c, h, w = a.shape
    if c == 3:
        rgb = np.ascontiguousarray(a.transpose(1, 2, 0))
        img = QtGui.QImage(rgb.data, w, h, 3 * w, QtGui.QImage.Format.Format_RGB888)
        return img.copy()
    grey = np.ascontiguousarray(a[0] if c == 1 else np.concatenate(list(a), axis=1))
    gh, gw = grey.shape
    img = QtGui.QImage(grey.data, gw, gh, gw, QtGui.QImage.Format.Format_Grayscale8)
    return img.copy()


class PixelImage(QtWidgets.QWidget):
    """An image drawn with big square pixels (integer zoom when it fits, no smoothing)."""

    def __init__(self, parent: QtWidgets.QWidget | None = None, placeholder: str = "") -> None:
        super().__init__(parent)
        self._image: QtGui.QImage | None = None
        self._array: np.ndarray | None = None
        self.placeholder = placeholder
        self.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Expanding
        )
        self.setMinimumSize(112, 112)

    def set_image(self, image: np.ndarray | None) -> None:
        if image is None:
            if self._image is not None:
                self._image, self._array = None, None
                self.update()
            return
        a = np.asarray(image)
        if self._array is not None and a.shape == self._array.shape:
            if a.dtype == self._array.dtype and np.array_equal(a, self._array):
                return
        self._array = a.copy()
        self._image = to_qimage(a)
        self.update()

    def image(self) -> QtGui.QImage | None:
        return self._image

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(224, 224)

    def target_rect(self) -> QtCore.QRect:
        """Where the image is drawn: centred, an integer multiple of its size if possible."""
        if self._image is None:
            return QtCore.QRect()
        iw, ih = self._image.width(), self._image.height()
        avail_w, avail_h = self.width() - 4, self.height() - 4
        zoom = min(avail_w / iw, avail_h / ih)
        if zoom >= 1:
            zoom = int(zoom)
        w, h = max(1, int(iw * zoom)), max(1, int(ih * zoom))
        return QtCore.QRect((self.width() - w) // 2, (self.height() - h) // 2, w, h)

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        p = QtGui.QPainter(self)
        p.setRenderHint(QtGui.QPainter.RenderHint.SmoothPixmapTransform, False)
        if self._image is None:
            if self.placeholder:
                p.setPen(self.palette().color(QtGui.QPalette.ColorRole.PlaceholderText))
                p.drawText(
                    self.rect(),
                    QtCore.Qt.AlignmentFlag.AlignCenter | QtCore.Qt.TextFlag.TextWordWrap,
                    self.placeholder,
                )
            p.end()
            return
        rect = self.target_rect()
        p.drawImage(rect, self._image)
        p.setPen(QtGui.QPen(self.palette().color(QtGui.QPalette.ColorRole.Mid), 1))
        p.drawRect(rect.adjusted(-1, -1, 0, 0))
        p.end()


class ProbabilityBars(QtWidgets.QWidget):
    """Horizontal bars of class probabilities, the true and the predicted class marked."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.values = np.zeros(0)
        self.names: list[str] = []
        self.rows: list[int] = []  # class index drawn in each row
        self.true_class: int | None = None
        self.predicted: int | None = None
        self.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Expanding
        )

    def set_data(
        self,
        values: np.ndarray | None,
        names: list[str] | tuple[str, ...],
        true_class: int | None,
    ) -> None:
        values = np.zeros(0) if values is None else np.asarray(values, dtype=np.float64).ravel()
        self.values = values
        k = values.size
        self.names = [names[i] if i < len(names) else str(i) for i in range(k)]
        self.true_class = true_class
        self.predicted = int(np.argmax(values)) if k else None
        rows = len(self.rows)
        if k <= MAX_BARS:
            self.rows = list(range(k))
        else:
            top = list(np.argsort(-values, kind="stable")[:10])
            if true_class is not None and 0 <= true_class < k and true_class not in top:
                top.append(true_class)
            self.rows = [int(i) for i in top]
        if len(self.rows) != rows:  # the size hints follow the row count, and nothing else
            self.updateGeometry()
        self.update()

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(260, 22 * max(len(self.rows), 4))

    def minimumSizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(160, 14 * max(len(self.rows), 2))

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        p = QtGui.QPainter(self)  # rectangles and text only: no antialiasing needed
        pal = self.palette()
        text_color = pal.color(QtGui.QPalette.ColorRole.Text)
        n = len(self.rows)
        if n == 0:
            p.setPen(pal.color(QtGui.QPalette.ColorRole.PlaceholderText))
            p.drawText(
                self.rect(),
                QtCore.Qt.AlignmentFlag.AlignCenter,
                translate("sample", "no prediction yet"),
            )
            p.end()
            return
        row_h = min(30.0, self.height() / n)
        font = QtGui.QFont(self.font())
        font.setPixelSize(max(9, min(18, int(row_h * 0.62))))
        bold = QtGui.QFont(font)
        bold.setBold(True)
        fm = QtGui.QFontMetrics(bold)
        name_w = max(fm.horizontalAdvance(self.names[i]) for i in self.rows) + 10
        pct_w = fm.horizontalAdvance("100.0 %") + 8
        bar_x = name_w
        bar_w = max(10.0, self.width() - name_w - pct_w)
        for r, cls in enumerate(self.rows):
            y = r * row_h
            v = float(np.clip(self.values[cls], 0.0, 1.0)) if np.isfinite(self.values[cls]) else 0
            is_true = cls == self.true_class
            is_pred = cls == self.predicted
            if is_true:
                color = QtGui.QColor(CORRECT_COLOR)
            elif is_pred:
                color = QtGui.QColor(WRONG_COLOR)
            else:
                color = QtGui.QColor(BAR_COLOR)
            name_rect = QtCore.QRectF(0, y, name_w - 8, row_h)
            p.setFont(bold if (is_true or is_pred) else font)
            p.setPen(color if (is_true or is_pred) else text_color)
            p.drawText(
                name_rect,
                QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter,
                self.names[cls],
            )
            pad = max(1.0, row_h * 0.14)
            track = QtCore.QRectF(bar_x, y + pad, bar_w, row_h - 2 * pad)
            track_color = QtGui.QColor(text_color)
            track_color.setAlpha(22)
            p.setPen(QtCore.Qt.PenStyle.NoPen)
            p.setBrush(track_color)
            p.drawRect(track)
            if v > 0:
                p.setBrush(color)
                p.drawRect(QtCore.QRectF(bar_x, y + pad, max(1.0, bar_w * v), row_h - 2 * pad))
            if is_true and not is_pred:  # outline the true class's track: its bar may be tiny
                p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
                p.setPen(QtGui.QPen(QtGui.QColor(CORRECT_COLOR), 2))
                p.drawRect(track)
            p.setFont(bold if (is_true or is_pred) else font)
            p.setPen(text_color)
            p.drawText(
                QtCore.QRectF(bar_x + bar_w + 4, y, pct_w, row_h),
                QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter,
                f"{100 * self.values[cls]:.1f} %",
            )
        p.end()


NO_SAMPLE = QT_TRANSLATE_NOOP("sample", "No sample yet: take a training step.")
IN_BATCH_TIP = QT_TRANSLATE_NOOP("sample", "Which sample of the training batch the views trace")


class SamplePanel(QtWidgets.QWidget):
    """The traced sample: image, label, prediction, probabilities and how to pick another.

    Signals: ``sampleChanged(int)`` — the 0-based index within the batch picked in the spin box
    (it shows it 1-based: "sample k of N"); ``testSampleRequested(int)`` — a test-set index.
    """

    sampleChanged = QtCore.Signal(int)
    testSampleRequested = QtCore.Signal(int)

    PENDING_SECONDS = 1.0  # how long a picked sample wins over snapshots that predate it

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self._test_count: int | None = None
        self._explicit_test_count = False
        self._pending: tuple[int, float] | None = None
        self._synced_test: int | None = None
        self._rng = np.random.default_rng()

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)

        self.source_label = QtWidgets.QLabel(translate("sample", NO_SAMPLE))
        self.source_label.setWordWrap(True)
        _scale_font(self.source_label, 1.05)
        layout.addWidget(self.source_label)

        self.image = PixelImage(
            placeholder=translate("sample", "no sample yet:\ntake a training step")
        )
        layout.addWidget(self.image, 3)

        self.result_label = QtWidgets.QLabel("")
        self.result_label.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.result_label.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.result_label.setWordWrap(True)
        _scale_font(self.result_label, 1.45)
        layout.addWidget(self.result_label)

        self.bars = ProbabilityBars()
        layout.addWidget(self.bars, 2)

        key = QtWidgets.QLabel(
            translate("sample", "{correct} true class &nbsp; {wrong} predicted, wrong").format(
                correct=f'<span style="color:{CORRECT_COLOR}">■</span>',
                wrong=f'<span style="color:{WRONG_COLOR}">■</span>',
            )
        )
        key.setTextFormat(QtCore.Qt.TextFormat.RichText)
        key.setAlignment(QtCore.Qt.AlignmentFlag.AlignRight)
        key.setWordWrap(True)
        _scale_font(key, 0.9)
        layout.addWidget(key)

        self.status_label = QtWidgets.QLabel("")
        self.status_label.setWordWrap(True)
        _scale_font(self.status_label, 0.9)
        self.status_label.setForegroundRole(QtGui.QPalette.ColorRole.PlaceholderText)
        layout.addWidget(self.status_label)

        form = QtWidgets.QGridLayout()
        form.setHorizontalSpacing(6)
        form.addWidget(QtWidgets.QLabel(translate("sample", "Batch sample")), 0, 0)
        self.sample_spin = QtWidgets.QSpinBox()
        self.sample_spin.setRange(1, 1)
        self.sample_spin.setSuffix(translate("sample", " of {n}").format(n=0))
        self.sample_spin.setToolTip(translate("sample", IN_BATCH_TIP))
        self.sample_spin.setKeyboardTracking(False)
        self.sample_spin.valueChanged.connect(self._on_sample_spin)
        form.addWidget(self.sample_spin, 0, 1)

        form.addWidget(QtWidgets.QLabel(translate("sample", "Test sample #")), 1, 0)
        self.test_spin = QtWidgets.QSpinBox()
        self.test_spin.setRange(0, 999_999)
        self.test_spin.setKeyboardTracking(False)
        self.test_spin.setToolTip(
            translate("sample", "Index in the test set; press Show (or Enter) to trace it")
        )
        self.test_spin.lineEdit().returnPressed.connect(self._request_test)
        form.addWidget(self.test_spin, 1, 1)
        # the buttons on a row of their own: the dock stays narrow enough for a projector
        buttons = QtWidgets.QHBoxLayout()
        self.test_button = QtWidgets.QPushButton(translate("sample", "Show"))
        self.test_button.clicked.connect(self._request_test)
        buttons.addWidget(self.test_button)
        self.random_button = QtWidgets.QPushButton(translate("sample", "Random"))
        self.random_button.setToolTip(translate("sample", "Trace a random test sample"))
        self.random_button.clicked.connect(self._request_random)
        self.random_button.setEnabled(False)
        buttons.addWidget(self.random_button)
        form.addLayout(buttons, 2, 0, 1, 2)
        form.setColumnStretch(1, 1)
        layout.addLayout(form)

    # ------------------------------------------------------------------ public API
    def set_test_count(self, n: int | None) -> None:
        """The size of the test set (bounds the test spin box, enables Random)."""
        self._explicit_test_count = n is not None
        self._set_test_count(n)

    def clear(self) -> None:
        """Back to the empty state (no sample, no prediction)."""
        self.image.set_image(None)
        self.bars.set_data(None, (), None)
        self.source_label.setText(translate("sample", NO_SAMPLE))
        self.result_label.setText("")
        self.status_label.setText("")
        self._pending, self._synced_test = None, None

    def render(self, snapshot) -> None:
        names = tuple(snapshot.class_names)
        self.image.set_image(snapshot.sample_image)
        self._render_source(snapshot)
        self._render_result(snapshot, names)
        self._render_status(snapshot)
        self._sync_sample_spin(snapshot)
        if snapshot.sample_source == "test" and snapshot.sample_index != self._synced_test:
            # only when another test sample arrives, so typing in the box is never undone
            self._synced_test = snapshot.sample_index
            blocker = QtCore.QSignalBlocker(self.test_spin)
            self.test_spin.setValue(max(snapshot.sample_index, 0))
            del blocker
        elif snapshot.sample_source != "test":
            self._synced_test = None
        ev = snapshot.evaluation
        if not self._explicit_test_count and ev is not None:
            self._set_test_count(int(np.asarray(ev.predictions).shape[0]))

    # ------------------------------------------------------------------ rendering
    def _render_source(self, s) -> None:
        src = s.sample_source
        if s.sample_image is None and s.batch_size == 0:
            text = translate("sample", NO_SAMPLE)
        elif src == "batch":
            text = translate("sample", "From the <b>training batch</b>: {sample}").format(
                sample=sample_wording(s)
            )
        elif src == "test":
            text = translate("sample", "From the <b>test set</b>: test #{i}").format(
                i=s.sample_index
            )
        elif src == "drawn":
            text = translate("sample", "<b>Drawn by hand</b>")
        else:
            text = translate("sample", "From {source} #{i}").format(source=src, i=s.sample_index)
        self.source_label.setText(text)

    def _render_result(self, s, names: tuple[str, ...]) -> None:
        probs = s.probabilities
        label = s.sample_label
        self.bars.set_data(probs, names, label)

        def name(i: int | None) -> str:
            if i is None:
                return "?"
            return names[i] if 0 <= i < len(names) else str(i)

        if probs is None or np.asarray(probs).size == 0:
            self.result_label.setText(
                translate("sample", "label <b>{label}</b>").format(label=name(label))
                if label is not None
                else ""
            )
            return
        pred = self.bars.predicted
        conf = f"{100 * float(np.asarray(probs).ravel()[pred]):.1f}"
        if label is None:
            text = translate("sample", "predicted <b>{predicted}</b>&nbsp;({confidence}&nbsp;%)")
            self.result_label.setText(text.format(predicted=name(pred), confidence=conf))
            return
        ok = pred == label
        color = CORRECT_COLOR if ok else WRONG_COLOR
        verdict = "✓" if ok else "✗"
        self.result_label.setText(  # &nbsp;: never "%)" alone on a line
            translate(
                "sample",
                "label <b>{label}</b> &nbsp;→&nbsp; predicted {predicted}&nbsp;({confidence}&nbsp;%)",  # noqa: E501
            ).format(
                label=name(label),
                predicted=f'<b style="color:{color}">{name(pred)}&nbsp;{verdict}</b>',
                confidence=conf,
            )
        )

    def _render_status(self, s) -> None:
        fields = {
            "step": s.step,
            "epoch": min(s.epoch + 1, max(s.epochs, 1)),
            "epochs": s.epochs,
            "percent": f"{100 * s.epoch_progress:.0f}",
        }
        if s.loss is None:
            text = translate("sample", "step {step} · epoch {epoch} of {epochs} ({percent} %)")
        elif s.sample_source == "batch":
            text = translate(
                "sample",
                "batch loss {loss} · step {step} · epoch {epoch} of {epochs} ({percent} %)",
            )
        else:
            text = translate(
                "sample",
                "sample loss {loss} · step {step} · epoch {epoch} of {epochs} ({percent} %)",
            )
        loss = "" if s.loss is None else f"{s.loss:.4g}"
        self.status_label.setText(text.format(loss=loss, **fields))

    def _sync_sample_spin(self, s) -> None:
        n = max(int(s.batch_size), 0)
        in_batch = s.sample_source == "batch" and n > 0
        self.sample_spin.setEnabled(in_batch and n > 1)
        self.sample_spin.setToolTip(
            translate("sample", IN_BATCH_TIP)
            if in_batch
            else translate(
                "sample", "Tracing a single sample: the next training step brings the batch back"
            )
        )
        value = min(max(s.view.sample, 0), max(n - 1, 0)) + 1
        if self._pending is not None:
            wanted, since = self._pending
            if value == wanted + 1 or time.monotonic() - since > self.PENDING_SECONDS:
                self._pending = None
            else:
                value = wanted + 1  # the snapshot predates the user's choice
        # only what changed: a new suffix or range re-lays the whole window out
        spin = self.sample_spin
        blocker = QtCore.QSignalBlocker(spin)
        if spin.maximum() != max(n, 1):
            spin.setRange(1, max(n, 1))
        suffix = translate("sample", " of {n}").format(n=n)
        if spin.suffix() != suffix:
            spin.setSuffix(suffix)
        if spin.value() != value:
            spin.setValue(value)
        del blocker

    # ------------------------------------------------------------------ controls
    def _on_sample_spin(self, value: int) -> None:
        index = value - 1
        self._pending = (index, time.monotonic())
        self.sampleChanged.emit(index)

    def _request_test(self) -> None:
        self.test_spin.interpretText()
        self.testSampleRequested.emit(int(self.test_spin.value()))

    def _request_random(self) -> None:
        if self._test_count:
            index = int(self._rng.integers(self._test_count))
            blocker = QtCore.QSignalBlocker(self.test_spin)
            self.test_spin.setValue(index)
            del blocker
            self.testSampleRequested.emit(index)

    def _set_test_count(self, n: int | None) -> None:
        if n == self._test_count:
            return
        self._test_count = n
        self.test_spin.setRange(0, max((n or 1_000_000) - 1, 0))
        self.random_button.setEnabled(bool(n))


def _scale_font(widget: QtWidgets.QWidget, factor: float) -> None:
    font = widget.font()
    font.setPointSizeF(max(font.pointSizeF(), 9.0) * factor)
    widget.setFont(font)


class SampleDock(Panel):
    """The Sample dock: the sample going through the network and the scores it gets."""

    key, title, place = "sample_panel", QT_TRANSLATE_NOOP("Panels", "Sample"), SIDE
    concept = "sample"

    def build(self) -> SamplePanel:
        return SamplePanel()

    def connect(self) -> None:
        self.widget.sampleChanged.connect(self.host.select_sample)
        self.widget.testSampleRequested.connect(lambda i: self.host.probe("test", i))
