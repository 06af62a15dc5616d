"""The test-set confusion matrix, and the test samples behind any of its cells.

:class:`ConfusionView` draws ``snapshot.evaluation.confusion`` (rows: true class, columns:
predicted class) as a heat map with the counts in the cells: the diagonal in green, shaded by
the fraction of the class recognised; errors in red, shaded by their count relative to the
largest error, so that the confusions stand out however good the network is (the heat map is
:class:`cnnviz.app.widgets.confusion_matrix.ConfusionMatrix`).

Clicking a cell lists the test samples with that true and predicted class as a strip of
thumbnails; clicking a thumbnail emits ``exampleRequested(index)``. The widget never touches a
dataset: the main window gives it the test labels (``set_test_labels``; the true class of a
sample cannot be recovered from the confusion matrix and the predictions) and a callback that
returns the image of a test sample (``set_image_source``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication

from cnnviz.i18n import QT_TRANSLATE_NOOP

from ..widgets.confusion_matrix import ConfusionMatrix
from .registry import PROGRESS, Panel
from .sample import to_qimage

translate = QCoreApplication.translate  # extracted by pyside6-lupdate

MAX_THUMBNAILS = 200
THUMB_TARGET = 56  # pixels: thumbnails are the sample at an integer zoom close to this


class ConfusionView(QtWidgets.QWidget):
    """Confusion matrix of the latest test evaluation, with the samples behind each cell.

    Signals: ``exampleRequested(int)`` (a test index, from a thumbnail click) and
    ``evaluateRequested()`` (the "Evaluate now" button).
    """

    exampleRequested = QtCore.Signal(int)
    evaluateRequested = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self._labels: np.ndarray | None = None
        self._image_source: Callable[[int], np.ndarray] | None = None
        self._evaluation = None
        self._names: tuple[str, ...] = ()
        self._generation: int | None = None
        self.example_indices = np.zeros(0, dtype=np.int64)  # listed for the selected cell

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        # never narrower than the header needs (the button beside the wrapping title): the
        # dock's scroll area scrolls instead of squeezing "Evaluate now"
        layout.setSizeConstraint(QtWidgets.QLayout.SizeConstraint.SetMinimumSize)
        header = QtWidgets.QHBoxLayout()
        titles = QtWidgets.QVBoxLayout()
        titles.setSpacing(0)
        self.title = QtWidgets.QLabel(translate("confusion", "Test set: not evaluated yet"))
        self.title.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.title.setWordWrap(True)  # a narrow dock in presentation mode: two lines, not cut
        font = self.title.font()
        font.setPointSizeF(max(font.pointSizeF(), 9.0) * 1.4)
        self.title.setFont(font)
        self.subtitle = QtWidgets.QLabel("")
        self.subtitle.setForegroundRole(QtGui.QPalette.ColorRole.PlaceholderText)
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        header.addLayout(titles, 1)
        self.evaluate_button = QtWidgets.QPushButton(translate("confusion", "Evaluate now"))
        self.evaluate_button.setToolTip(
            translate("confusion", "Classify the whole test set with the current weights")
        )
        self.evaluate_button.clicked.connect(self.evaluateRequested)
        header.addWidget(self.evaluate_button)
        layout.addLayout(header)

        self.matrix = ConfusionMatrix()
        self.matrix.cellClicked.connect(self.select_cell)
        layout.addWidget(self.matrix, 1)

        self.examples_label = QtWidgets.QLabel(
            translate("confusion", "Click a cell to see its test samples.")
        )
        self.examples_label.setWordWrap(True)
        self.examples_label.setTextFormat(QtCore.Qt.TextFormat.RichText)
        f2 = self.examples_label.font()
        f2.setPointSizeF(max(f2.pointSizeF(), 9.0) * 1.1)
        self.examples_label.setFont(f2)
        layout.addWidget(self.examples_label)

        self.thumbnails = QtWidgets.QListWidget()
        self.thumbnails.setViewMode(QtWidgets.QListView.ViewMode.IconMode)
        self.thumbnails.setFlow(QtWidgets.QListView.Flow.LeftToRight)
        self.thumbnails.setWrapping(False)
        self.thumbnails.setMovement(QtWidgets.QListView.Movement.Static)
        self.thumbnails.setResizeMode(QtWidgets.QListView.ResizeMode.Adjust)
        self.thumbnails.setSpacing(4)
        self.thumbnails.setUniformItemSizes(True)
        self.thumbnails.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.thumbnails.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.thumbnails.itemClicked.connect(self._on_thumbnail)
        self.thumbnails.itemActivated.connect(self._on_thumbnail)
        self._set_thumb_size(28)
        layout.addWidget(self.thumbnails)

    # ------------------------------------------------------------------ public API
    def set_test_labels(self, labels: np.ndarray | None) -> None:
        """The test set's labels (M,), in test-set order; call whenever the dataset changes."""
        self._labels = None if labels is None else np.asarray(labels).astype(np.int64).ravel()
        self._refresh_examples()

    def set_image_source(self, fn: Callable[[int], np.ndarray] | None) -> None:
        """``fn(test_index) -> (C, H, W) uint8``: where the thumbnails come from."""
        self._image_source = fn
        self._refresh_examples()

    def render(self, snapshot) -> None:
        generation_changed = snapshot.generation != self._generation
        self._generation = snapshot.generation
        ev = snapshot.evaluation
        names = tuple(snapshot.class_names)
        if ev is self._evaluation and names == self._names and not generation_changed:
            return
        if generation_changed:
            self.matrix.set_selected(None)
        self._evaluation, self._names = ev, names
        if ev is None:
            self.title.setText(translate("confusion", "Test set: not evaluated yet"))
            self.subtitle.setText("")
            self.matrix.set_data(None, names)
        else:
            n = int(np.asarray(ev.confusion).sum())
            self.title.setText(
                translate("confusion", "Test accuracy {accuracy} at step {step}").format(
                    accuracy=f"<b>{100 * ev.accuracy:.1f} %</b>", step=ev.step
                )
            )
            self.subtitle.setText(
                translate("confusion", "{n} test samples · test loss {loss}").format(
                    n=n, loss=f"{ev.loss:.3g}"
                )
            )
            self.matrix.set_data(ev.confusion, names)
        self._refresh_examples()

    def clear(self) -> None:
        """Forget the evaluation and the selected cell (the test labels and image source stay)."""
        self._evaluation, self._names = None, ()
        self.title.setText(translate("confusion", "Test set: not evaluated yet"))
        self.subtitle.setText("")
        self.matrix.set_selected(None)
        self.matrix.set_data(None, ())
        self._refresh_examples()

    def select_cell(self, true_class: int, predicted: int) -> None:
        """List the test samples with this true and predicted class (what a click does)."""
        self.matrix.set_selected((int(true_class), int(predicted)))
        self._refresh_examples()

    @property
    def selected_cell(self) -> tuple[int, int] | None:
        return self.matrix.selected

    # ------------------------------------------------------------------ examples
    def _name(self, i: int) -> str:
        return self._names[i] if 0 <= i < len(self._names) else str(i)

    def _refresh_examples(self) -> None:
        self.thumbnails.clear()
        self.example_indices = np.zeros(0, dtype=np.int64)
        cell, ev = self.matrix.selected, self._evaluation
        if cell is None or ev is None:
            self.examples_label.setText(
                translate("confusion", "Click a cell to see its test samples.")
                if ev is not None
                else ""
            )
            return
        i, j = cell
        what = translate("confusion", "True {true}, predicted {predicted}").format(
            true=f"<b>{self._name(i)}</b>", predicted=f"<b>{self._name(j)}</b>"
        ) + (translate("confusion", " (correct)") if i == j else "")
        preds = np.asarray(ev.predictions).astype(np.int64).ravel()
        if self._labels is None:
            self.examples_label.setText(
                translate("confusion", "{what}: the test labels are not known.").format(what=what)
            )
            return
        if preds.size > self._labels.size:
            self.examples_label.setText(
                translate(
                    "confusion",
                    "{what}: the evaluation has {n} predictions but the test set {m} labels.",
                ).format(what=what, n=preds.size, m=self._labels.size)
            )
            return
        labels = self._labels[: preds.size]  # an evaluation may cover the first M samples only
        self.example_indices = np.flatnonzero((labels == i) & (preds == j))
        n = self.example_indices.size
        shown = self.example_indices[:MAX_THUMBNAILS]
        more = (
            translate("confusion", ", showing the first {k}").format(k=shown.size)
            if n > shown.size
            else ""
        )
        hint = translate("confusion", " (click one to trace it)") if n else ""
        line = (
            translate("confusion", "{what}: {n} sample")
            if n == 1
            else translate("confusion", "{what}: {n} samples")
        )
        self.examples_label.setText(line.format(what=what, n=n) + more + hint)
        self._fill_thumbnails(shown, i, j)

    def _fill_thumbnails(self, indices: np.ndarray, i: int, j: int) -> None:
        source = self._image_source
        size_set = False
        self.thumbnails.setUpdatesEnabled(False)
        for index in indices:
            index = int(index)
            item = QtWidgets.QListWidgetItem(f"#{index}")
            item.setData(QtCore.Qt.ItemDataRole.UserRole, index)
            item.setToolTip(
                translate("confusion", "test #{index}: true {true}, predicted {predicted}").format(
                    index=index, true=self._name(i), predicted=self._name(j)
                )
            )
            item.setTextAlignment(QtCore.Qt.AlignmentFlag.AlignHCenter)
            if source is not None:
                try:
                    image = to_qimage(source(index))
                except Exception:  # noqa: BLE001 - a missing thumbnail must not break the list
                    image = None
                if image is not None:
                    if not size_set:
                        self._set_thumb_size(max(image.width(), image.height()))
                        size_set = True
                    side = self.thumbnails.iconSize()
                    scaled = image.scaled(
                        side,
                        QtCore.Qt.AspectRatioMode.KeepAspectRatio,
                        QtCore.Qt.TransformationMode.FastTransformation,
                    )
                    item.setIcon(QtGui.QIcon(QtGui.QPixmap.fromImage(scaled)))
            self.thumbnails.addItem(item)
        self.thumbnails.setUpdatesEnabled(True)

    def _set_thumb_size(self, side: int) -> None:
        zoom = max(1, round(THUMB_TARGET / max(side, 1)))
        px = side * zoom
        self.thumbnails.setIconSize(QtCore.QSize(px, px))
        fm = self.thumbnails.fontMetrics()
        self.thumbnails.setGridSize(
            QtCore.QSize(max(px, fm.horizontalAdvance("#00000")) + 10, px + fm.height() + 10)
        )
        scroll = self.thumbnails.horizontalScrollBar().sizeHint().height()
        self.thumbnails.setFixedHeight(px + fm.height() + 22 + scroll)

    def _on_thumbnail(self, item: QtWidgets.QListWidgetItem) -> None:
        index = item.data(QtCore.Qt.ItemDataRole.UserRole)
        if index is not None:
            self.exampleRequested.emit(int(index))


class ConfusionPanel(Panel):
    """The Confusion tab of the Progress dock: the test set's confusion matrix."""

    key, place = "confusion", PROGRESS
    title = QT_TRANSLATE_NOOP("Panels", "Confusion")
    export_title = QT_TRANSLATE_NOOP("Panels", "Confusion matrix")
    concept = "confusion"

    def build(self) -> ConfusionView:
        return ConfusionView()

    def connect(self) -> None:
        self.widget.exampleRequested.connect(lambda i: self.host.probe("test", i))
        self.widget.evaluateRequested.connect(lambda: self.host.send(lambda s: s.evaluate()))

    def draw(self, snapshot) -> None:
        pass  # a new evaluation is drawn as it arrives (follow)

    def follow(self, snapshot) -> None:
        self.widget.render(snapshot)

    def new_network(self) -> None:
        self.widget.clear()
        info = self.host.session.trainer_info if self.host.session is not None else None
        if info is not None:
            self.widget.set_image_source(info.raw)
            self.widget.set_test_labels(info.test_labels)
