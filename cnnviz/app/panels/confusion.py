"""The test-set confusion matrix, and the test samples behind any of its cells.

:class:`ConfusionView` draws ``snapshot.evaluation.confusion`` (rows: true class, columns:
predicted class) as a heat map with the counts in the cells: the diagonal in green, shaded by
the fraction of the class recognised; errors in red, shaded by their count relative to the
largest error, so that the confusions stand out however good the network is.

Clicking a cell lists the test samples with that true and predicted class as a strip of
thumbnails; clicking a thumbnail emits ``exampleRequested(index)``. The widget never touches a
dataset: the main window gives it the test labels (``set_test_labels``; the true class of a
sample cannot be recovered from the confusion matrix and the predictions) and a callback that
returns the image of a test sample (``set_image_source``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication

from cnnviz.i18n import QT_TRANSLATE_NOOP

from .registry import PROGRESS, Panel
from .sample import to_qimage

translate = QCoreApplication.translate  # extracted by pyside6-lupdate

CORRECT_RGB = (44, 160, 44)
ERROR_RGB = (214, 39, 40)
MAX_THUMBNAILS = 200
THUMB_TARGET = 56  # pixels: thumbnails are the sample at an integer zoom close to this


def _blend(base: QtGui.QColor, rgb: tuple[int, int, int], t: float) -> QtGui.QColor:
    t = float(np.clip(t, 0.0, 1.0))
    return QtGui.QColor(
        round(base.red() + (rgb[0] - base.red()) * t),
        round(base.green() + (rgb[1] - base.green()) * t),
        round(base.blue() + (rgb[2] - base.blue()) * t),
    )


def _is_dark(c: QtGui.QColor) -> bool:
    return 0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue() < 140


@dataclass(frozen=True)
class _Geometry:
    left: float  # x of the grid
    top: float  # y of the grid
    cell: float  # side of a cell
    name_w: float  # width of the row-name column
    slanted: bool  # column names at 45°


class ConfusionMatrix(QtWidgets.QWidget):
    """The heat map itself. Emits ``cellClicked(true, predicted)``."""

    cellClicked = QtCore.Signal(int, int)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.matrix = np.zeros((0, 0), dtype=np.int64)
        self.names: list[str] = []
        self.selected: tuple[int, int] | None = None
        self._hover: tuple[int, int] | None = None
        self.setMouseTracking(True)
        self.setMinimumSize(220, 220)
        self.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Expanding
        )

    def set_data(self, matrix: np.ndarray | None, names: list[str] | tuple[str, ...]) -> None:
        self.matrix = np.zeros((0, 0), np.int64) if matrix is None else np.asarray(matrix)
        k = self.matrix.shape[0]
        self.names = [names[i] if i < len(names) else str(i) for i in range(k)]
        if self.selected is not None and max(self.selected) >= k:
            self.selected = None
        self.update()

    def set_selected(self, cell: tuple[int, int] | None) -> None:
        self.selected = cell
        self.update()

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(460, 460)

    # ------------------------------------------------------------------ geometry
    def _fonts(self, cell: float) -> tuple[QtGui.QFont, QtGui.QFont]:
        label = QtGui.QFont(self.font())
        label.setPixelSize(int(np.clip(cell * 0.36, 10, 18)))
        axis = QtGui.QFont(self.font())
        axis.setPixelSize(14)
        axis.setBold(True)
        return label, axis

    def _name_font(self, cell: float) -> QtGui.QFont:
        font = QtGui.QFont(self.font())
        font.setPixelSize(int(np.clip(cell * 0.4, 10, 16)))
        return font

    def _layout(self) -> _Geometry:
        """Where the grid, the class names and the captions go for the current size.

        The name font follows the cell size and the margins follow the names, so the fit is
        repeated a few times from the largest font down (it settles at once in practice)."""
        k = max(self.matrix.shape[0], 1)
        caption = 20  # the "predicted" / "true" captions
        cell = 40.0
        for _ in range(3):
            fm = QtGui.QFontMetrics(self._name_font(cell))
            name_w = min(max((fm.horizontalAdvance(n) for n in self.names), default=10), 140)
            right = fm.horizontalAdvance("correct") + 10  # per-class accuracy column
            left = caption + name_w + 12

            def fit(top: float, right: float, left: float = left) -> float:
                w = (self.width() - left - right) / k
                return max(min(w, (self.height() - top - 4) / k), 4.0)

            top = caption + fm.height() + 6
            new_cell = fit(top, right)
            slanted = name_w > 0.9 * new_cell  # names wider than a cell: written at 45°
            if slanted:  # the last names reach out over the accuracy column
                top = caption + 0.71 * (name_w + fm.height()) + 8
                right = max(right, 0.71 * name_w + 4)
                new_cell = fit(top, right)
            settled = self._name_font(new_cell).pixelSize() == self._name_font(cell).pixelSize()
            cell = new_cell
            if settled:
                break
        left += max(0.0, (self.width() - left - cell * k - right) / 2)  # centre horizontally
        return _Geometry(left, top, cell, name_w, slanted)

    def cell_rect(self, i: int, j: int) -> QtCore.QRectF:
        g = self._layout()
        left, top, cell = g.left, g.top, g.cell
        return QtCore.QRectF(left + j * cell, top + i * cell, cell, cell)

    def cell_at(self, pos: QtCore.QPointF | QtCore.QPoint) -> tuple[int, int] | None:
        k = self.matrix.shape[0]
        if k == 0:
            return None
        g = self._layout()
        left, top, cell = g.left, g.top, g.cell
        j = int((pos.x() - left) // cell)
        i = int((pos.y() - top) // cell)
        if 0 <= i < k and 0 <= j < k and pos.x() >= left and pos.y() >= top:
            return i, j
        return None

    # ------------------------------------------------------------------ events
    def mousePressEvent(self, event: QtGui.QMouseEvent) -> None:
        if event.button() == QtCore.Qt.MouseButton.LeftButton:
            cell = self.cell_at(event.position())
            if cell is not None:
                self.cellClicked.emit(*cell)
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QtGui.QMouseEvent) -> None:
        cell = self.cell_at(event.position())
        if cell != self._hover:
            self._hover = cell
            self.setCursor(
                QtCore.Qt.CursorShape.PointingHandCursor
                if cell is not None
                else QtCore.Qt.CursorShape.ArrowCursor
            )
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QtCore.QEvent) -> None:
        self._hover = None
        self.update()
        super().leaveEvent(event)

    def event(self, event: QtCore.QEvent) -> bool:
        if event.type() == QtCore.QEvent.Type.ToolTip:
            cell = self.cell_at(QtCore.QPointF(event.pos()))
            if cell is None:
                QtWidgets.QToolTip.hideText()
            else:
                QtWidgets.QToolTip.showText(event.globalPos(), self.describe(*cell), self)
            return True
        return super().event(event)

    def describe(self, i: int, j: int) -> str:
        count = int(self.matrix[i, j])
        total = int(self.matrix[i].sum())
        share = f" ({100 * count / total:.1f} % of the {self.names[i]}s)" if total else ""
        if i == j:
            return f"{self.names[i]} recognised correctly: {count}{share}"
        return f"true {self.names[i]}, predicted {self.names[j]}: {count}{share}"

    # ------------------------------------------------------------------ painting
    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        p = QtGui.QPainter(self)
        pal = self.palette()
        base = pal.color(QtGui.QPalette.ColorRole.Base)
        text = pal.color(QtGui.QPalette.ColorRole.Text)
        k = self.matrix.shape[0]
        if k == 0:
            p.setPen(pal.color(QtGui.QPalette.ColorRole.PlaceholderText))
            p.drawText(
                self.rect(),
                QtCore.Qt.AlignmentFlag.AlignCenter | QtCore.Qt.TextFlag.TextWordWrap,
                translate("confusion", "No evaluation yet.\nPress “Evaluate now”."),
            )
            p.end()
            return
        g = self._layout()
        left, top, cell = g.left, g.top, g.cell
        label_font, axis_font = self._fonts(cell)
        m = self.matrix
        rows = m.sum(axis=1)
        off = m.copy()
        np.fill_diagonal(off, 0)
        max_err = max(int(off.max()), 1)
        show_text = cell >= 16
        count_font = QtGui.QFont(label_font)
        if show_text:  # the widest count must fit in the cell
            widest = str(int(m.max()))
            fm = QtGui.QFontMetrics(count_font)
            while count_font.pixelSize() > 7 and fm.horizontalAdvance(widest) > cell * 0.86:
                count_font.setPixelSize(count_font.pixelSize() - 1)
                fm = QtGui.QFontMetrics(count_font)
        align_c = QtCore.Qt.AlignmentFlag.AlignCenter
        grid_pen = QtGui.QPen(_blend(base, (text.red(), text.green(), text.blue()), 0.15), 1)
        for i in range(k):
            for j in range(k):
                c = int(m[i, j])
                rect = QtCore.QRectF(left + j * cell, top + i * cell, cell, cell)
                if i == j:
                    t = 0.12 + 0.88 * (c / rows[i]) if rows[i] else 0.0
                    fill = _blend(base, CORRECT_RGB, t)
                elif c:
                    fill = _blend(base, ERROR_RGB, 0.18 + 0.82 * np.sqrt(c / max_err))
                else:
                    fill = base
                p.fillRect(rect, fill)
                p.setPen(grid_pen)
                p.drawRect(rect)
                if show_text:
                    p.setFont(count_font)
                    if c == 0:
                        faint = QtGui.QColor(text)
                        faint.setAlpha(70)
                        p.setPen(faint)
                    else:
                        p.setPen(QtGui.QColor("white") if _is_dark(fill) else text)
                    p.drawText(rect, align_c, str(c))
        # hover and selection outlines
        if self._hover is not None:
            i, j = self._hover
            p.setPen(QtGui.QPen(text, 1.5, QtCore.Qt.PenStyle.DashLine))
            p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
            p.drawRect(QtCore.QRectF(left + j * cell, top + i * cell, cell, cell))
        if self.selected is not None:
            i, j = self.selected
            p.setPen(QtGui.QPen(QtGui.QColor("#1f77b4"), max(3.0, cell * 0.08)))
            p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
            p.drawRect(QtCore.QRectF(left + j * cell, top + i * cell, cell, cell).adjusted(
                1.5, 1.5, -1.5, -1.5))  # fmt: skip
        # class names: rows on the left, columns on top (slanted when wider than a cell)
        name_font = self._name_font(cell)
        p.setFont(name_font)
        p.setPen(text)
        fm = QtGui.QFontMetrics(name_font)
        every = 1 if cell >= fm.height() * 0.8 else int(fm.height() / cell) + 1
        right_v = QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter
        for idx, name in enumerate(self.names):
            if idx % every:
                continue
            label = fm.elidedText(name, QtCore.Qt.TextElideMode.ElideRight, int(g.name_w) + 2)
            p.drawText(
                QtCore.QRectF(left - g.name_w - 10, top + idx * cell, g.name_w + 4, cell),
                right_v, label,
            )  # fmt: skip
            if g.slanted:
                p.save()
                p.translate(left + (idx + 0.5) * cell, top - 4)
                p.rotate(-45)
                h = fm.height()
                p.drawText(QtCore.QRectF(0, -h / 2, g.name_w + 4, h),
                           QtCore.Qt.AlignmentFlag.AlignLeft
                           | QtCore.Qt.AlignmentFlag.AlignVCenter, label)  # fmt: skip
                p.restore()
            else:
                p.drawText(
                    QtCore.QRectF(left + idx * cell - 20, top - fm.height() - 4, cell + 40,
                                  fm.height() + 2),
                    QtCore.Qt.AlignmentFlag.AlignHCenter | QtCore.Qt.AlignmentFlag.AlignBottom,
                    label,
                )  # fmt: skip
        # per-class accuracy (recall) on the right
        small = QtGui.QFont(name_font)
        small.setPixelSize(int(np.clip(cell * 0.32, 9, 14)))
        p.setFont(small)
        x_right = left + k * cell + 6
        p.setPen(text)
        if g.slanted:
            p.save()
            p.translate(x_right + 8, top - 4)
            p.rotate(-45)
            p.drawText(QtCore.QPointF(0, fm.ascent() / 2 - 1), translate("confusion", "correct"))
            p.restore()
        else:
            p.drawText(
                QtCore.QRectF(x_right, top - fm.height() - 4, self.width() - x_right,
                              fm.height() + 2),
                QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignBottom,
                translate("confusion", "correct"),
            )  # fmt: skip
        for i in range(k):
            if rows[i] and (cell >= 12 or i % 2 == 0):
                pct = 100.0 * m[i, i] / rows[i]
                p.setPen(_blend(text, CORRECT_RGB if pct >= 90 else ERROR_RGB, 0.75))
                p.drawText(
                    QtCore.QRectF(x_right, top + i * cell, self.width() - x_right, cell),
                    QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter,
                    f"{pct:.0f} %",
                )
        # axis captions
        p.setFont(axis_font)
        p.setPen(text)
        mid_x, mid_y, span = left + k * cell / 2, top + k * cell / 2, max(k * cell, 240)
        p.drawText(
            QtCore.QRectF(mid_x - span / 2, 0, span, 20),
            align_c,
            translate("confusion", "predicted class →"),
        )
        p.save()
        p.translate(left - g.name_w - 12 - 20, mid_y)
        p.rotate(-90)
        p.drawText(
            QtCore.QRectF(-span / 2, 0, span, 20),
            align_c,
            translate("confusion", "← true class"),
        )
        p.restore()
        p.end()


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

    def clear_selection(self) -> None:
        self.matrix.set_selected(None)
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
