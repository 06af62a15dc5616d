"""The gradient-check panel: backpropagation against central differences, in the app.

:class:`GradCheckPanel` asks for a check with ``runRequested(options)``; the window runs
:func:`cnnviz.lessons.gradient_table.run_gradient_check` in the training process
(``session.request("gradient_check", done, **options)``) and hands the result back
with :meth:`GradCheckPanel.show_report`. The panel shows

* the ``cnnviz gradcheck`` table for the live network: one row per parameter (and ∂E/∂x),
  its shape, the entries compared, the relative error and OK / FAIL against 1e-6;
* for one conv filter, chosen in a combo box, the gradient of every entry by backprop and by
  central differences side by side, and their relative error per entry on a log scale.

The panel runs no engine code: it only renders reports and sends options.
"""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QCoreApplication

from cnnviz.i18n import QT_TRANSLATE_NOOP
from cnnviz.lessons.gradient_table import THRESHOLD, GradCheckReport
from cnnviz.lessons.numbers import fmt_threshold

from ..style import WRONG_COLOR, scale_font
from ..widgets.error_map import ErrorMap
from ..widgets.flow import FlowLayout
from ..widgets.mapgrid import MapGrid, muted_color
from .gradient_report import HEADERS, fill_table, filter_text, verdict_texts
from .registry import LOWER, Panel

translate = QCoreApplication.translate  # extracted by pyside6-lupdate

SOURCE_ITEMS = [
    ("batch", QT_TRANSLATE_NOOP("gradcheck", "current batch")),
    ("test", QT_TRANSLATE_NOOP("gradcheck", "test set")),
    ("noise", QT_TRANSLATE_NOOP("gradcheck", "noise (as cnnviz gradcheck)")),
]


class GradCheckPanel(QtWidgets.QWidget):
    """Backprop against finite differences for the live network: a table per parameter and
    the heatmaps of one conv filter.

    Signals
    -------
    runRequested(dict)
        Options for :func:`cnnviz.lessons.gradient_table.run_gradient_check` (its keyword
        arguments): ``source``, ``batch_size``, ``entries``, ``seed``, ``layer``, ``filter``
        and ``parameters`` (False when only the filter changed: the table is kept). Run it on
        the training thread and pass the report to :meth:`show_report` (or an error message
        to :meth:`show_error`).
    """

    runRequested = QtCore.Signal(dict)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self._report: GradCheckReport | None = None
        self._rows_report: GradCheckReport | None = None  # the report the table shows
        self._busy = False
        self._convs: list[tuple[str, int]] = []

        title = QtWidgets.QLabel(
            translate("gradcheck", "Gradient check: backprop against finite differences")
        )
        scale_font(title, 1.35, bold=True)
        title.setWordWrap(True)
        formula = QtWidgets.QLabel(
            translate(
                "gradcheck",
                "rel. error = ‖g<sub>backprop</sub> − g<sub>numeric</sub>‖ / "
                "(‖g<sub>backprop</sub>‖ + ‖g<sub>numeric</sub>‖), with g<sub>numeric</sub> = "
                "(E(θ+ε) − E(θ−ε)) / 2ε on a float64 copy of the network; "
                "OK up to {threshold}",
            ).format(threshold=fmt_threshold(THRESHOLD))
        )
        formula.setTextFormat(QtCore.Qt.TextFormat.RichText)
        formula.setWordWrap(True)
        scale_font(formula, 1.05)
        formula.setStyleSheet(f"color: {muted_color(self)};")

        self.run_button = QtWidgets.QPushButton(translate("gradcheck", "Run check"))
        scale_font(self.run_button, 1.2, bold=True)
        self.run_button.setMinimumWidth(160)
        self.fit_button()
        self.run_button.setToolTip(
            translate("gradcheck", "Compare backprop with central differences on the live weights")
        )
        self.run_button.clicked.connect(lambda: self.request(parameters=True))

        self.source_combo = QtWidgets.QComboBox()
        for key, text in SOURCE_ITEMS:
            self.source_combo.addItem(translate("gradcheck", text), key)
        self.source_combo.setToolTip(
            translate(
                "gradcheck",
                "Input of the check: the first samples of the current training batch, of the "
                "test set, or the standard normal noise cnnviz gradcheck uses",
            )
        )
        self.batch_spin = _spin(1, 64, 4, translate("gradcheck", "samples checked at once"))
        self.entries_spin = _spin(
            1, 1000, 24, translate("gradcheck", "entries sampled per parameter")
        )
        self.seed_spin = _spin(
            0, 2**31 - 1, 0, translate("gradcheck", "seed of the sampling (and of the noise)")
        )
        self.filter_combo = QtWidgets.QComboBox()
        self.filter_combo.setToolTip(
            translate("gradcheck", "The conv filter whose every entry is compared below")
        )
        self.filter_combo.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.filter_combo.activated.connect(self._on_filter_chosen)

        # the action first, then each option with its label; they wrap onto a second line
        # where the tab is narrow (1024×768 in presentation mode) instead of widening it
        controls_box = QtWidgets.QWidget()
        controls = FlowLayout(controls_box, spacing=14, line_spacing=6)
        controls.addWidget(self.run_button)
        for text, w in (
            (translate("gradcheck", "Input"), self.source_combo),
            (translate("gradcheck", "Samples"), self.batch_spin),
            (translate("gradcheck", "Entries"), self.entries_spin),
            (translate("gradcheck", "Seed"), self.seed_spin),
        ):
            cell = QtWidgets.QWidget(controls_box)  # a parent first: never a window
            pair = QtWidgets.QHBoxLayout(cell)
            pair.setContentsMargins(0, 0, 0, 0)
            pair.setSpacing(6)
            lab = QtWidgets.QLabel(text)
            scale_font(lab, 1.1)
            scale_font(w, 1.1)
            pair.addWidget(lab)
            pair.addWidget(w)
            controls.addWidget(cell)

        self.verdict = QtWidgets.QLabel(
            translate("gradcheck", "Press “Run check” to compare backprop with finite differences.")
        )
        self.verdict.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.verdict.setWordWrap(True)
        scale_font(self.verdict, 1.3, bold=True)
        self.status = QtWidgets.QLabel("")
        self.status.setWordWrap(True)
        scale_font(self.status, 1.05)
        self.status.setStyleSheet(f"color: {muted_color(self)};")

        self.table = QtWidgets.QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels([translate("gradcheck", h) for h in HEADERS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        self.table.setAlternatingRowColors(False)
        self.table.setShowGrid(False)
        scale_font(self.table, 1.2)
        scale_font(self.table.horizontalHeader(), 1.1, bold=True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(
            int(self.table.fontMetrics().height() * 1.6)
        )
        self.table_note = QtWidgets.QLabel("")
        self.table_note.setWordWrap(True)
        self.table_note.setStyleSheet(f"color: {muted_color(self)};")

        left = QtWidgets.QVBoxLayout()
        left.setSpacing(6)
        left.addWidget(self.table, 1)
        left.addWidget(self.table_note)
        left_box = QtWidgets.QWidget()
        left_box.setLayout(left)
        left_box.setMinimumWidth(470)

        filt_row = QtWidgets.QHBoxLayout()
        flab = QtWidgets.QLabel(translate("gradcheck", "Filter"))
        scale_font(flab, 1.1, bold=True)
        scale_font(self.filter_combo, 1.1)
        filt_row.addWidget(flab)
        filt_row.addWidget(self.filter_combo)
        filt_row.addStretch(1)
        self.filter_info = QtWidgets.QLabel("")
        self.filter_info.setWordWrap(True)
        self.filter_info.setTextFormat(QtCore.Qt.TextFormat.RichText)
        scale_font(self.filter_info, 1.1)

        self.analytic_grid = MapGrid(
            translate("gradcheck", "∂E/∂W by backprop"),
            name="backprop",
            annotate=True,
            wrap_title=True,
        )
        self.numeric_grid = MapGrid(
            translate("gradcheck", "∂E/∂W by finite differences"),
            name="numeric",
            annotate=True,
            wrap_title=True,
        )
        for g in (self.analytic_grid, self.numeric_grid):
            g.show_placeholder(translate("gradcheck", "run a check"))
            scale_font(g.title_label, 1.15, bold=True)
        self.error_title = QtWidgets.QLabel(
            translate("gradcheck", "relative error per entry (log scale)")
        )
        self.error_title.setAlignment(QtCore.Qt.AlignmentFlag.AlignHCenter)
        self.error_title.setWordWrap(True)
        scale_font(self.error_title, 1.15 * 1.05, bold=True)
        self.error_title.setToolTip(
            translate(
                "gradcheck",
                "|g_backprop − g_numeric| / (|g_backprop| + |g_numeric|) for every entry; an "
                "entry a thousand times smaller than the filter's largest is measured against "
                "that (a finite difference has no relative precision left there)",
            )
        )
        self.error_map = ErrorMap()
        err_box = QtWidgets.QWidget()
        err_lay = QtWidgets.QVBoxLayout(err_box)
        err_lay.setContentsMargins(6, 6, 6, 6)
        err_lay.setSpacing(3)
        err_lay.addWidget(self.error_title)
        err_lay.addWidget(self.error_map, 1)

        maps = QtWidgets.QHBoxLayout()
        maps.setSpacing(6)
        maps.addWidget(self.analytic_grid, 1)
        maps.addWidget(self.numeric_grid, 1)
        maps.addWidget(err_box, 1)

        right = QtWidgets.QVBoxLayout()
        right.setSpacing(6)
        right.addLayout(filt_row)
        right.addWidget(self.filter_info)
        right.addLayout(maps, 1)
        right_box = QtWidgets.QWidget()
        right_box.setLayout(right)

        split = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
        split.addWidget(left_box)
        split.addWidget(right_box)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)
        self._split = split
        self._watched: QtWidgets.QWidget | None = None  # the viewport of the tab's scroll area

        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(10, 10, 10, 10)
        lay.setSpacing(8)
        lay.addWidget(title)
        lay.addWidget(formula)
        lay.addWidget(controls_box)
        lay.addWidget(self.verdict)
        lay.addWidget(self.status)
        lay.addWidget(split, 1)

    # ------------------------------------------------------------------ fitting the tab
    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        view = self.parentWidget()  # the scroll area's viewport, which says how wide the tab is
        if view is not None and view is not self._watched:
            view.installEventFilter(self)
            self._watched = view
            self._fit_split(view.width())

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if obj is self._watched and event.type() == QtCore.QEvent.Type.Resize:
            self._fit_split(obj.width())
        return False

    def _fit_split(self, width: int) -> None:
        """The table beside the maps where the tab is wide enough for both, else above them
        (so a projector's narrow tab never scrolls sideways to show the maps)."""
        split = self._split
        need = sum(
            max(split.widget(i).minimumWidth(), split.widget(i).minimumSizeHint().width())
            for i in range(2)
        )
        margins = self.layout().contentsMargins()
        wide = width >= need + split.handleWidth() + margins.left() + margins.right()
        orientation = QtCore.Qt.Orientation.Horizontal if wide else QtCore.Qt.Orientation.Vertical
        if split.orientation() != orientation:
            split.setOrientation(orientation)

    # ------------------------------------------------------------------ public API
    def options(self, parameters: bool = True) -> dict:
        """The options of a check as chosen in the panel (``run_gradient_check``'s keyword
        arguments)."""
        layer, index = _parse_filter_key(self.filter_combo.currentData())
        return {
            "source": self.source_combo.currentData(),
            "batch_size": int(self.batch_spin.value()),
            "entries": int(self.entries_spin.value()),
            "seed": int(self.seed_spin.value()),
            "layer": layer,
            "filter": int(index),
            "parameters": bool(parameters),
        }

    def request(self, parameters: bool = True) -> None:
        """Emit ``runRequested`` with the chosen options (what "Run check" does)."""
        self.set_busy(True)
        self.runRequested.emit(self.options(parameters))

    def fit_button(self) -> None:
        """Run check a little taller than its text needs, at the text's current size (again
        when presentation mode scales it)."""
        self.run_button.setMinimumHeight(self.run_button.sizeHint().height() + 8)

    def set_busy(self, busy: bool) -> None:
        """Show that a check is under way (the button is disabled until the report)."""
        self._busy = bool(busy)
        self.run_button.setEnabled(not busy)
        self.run_button.setText(
            translate("gradcheck", "Checking…") if busy else translate("gradcheck", "Run check")
        )

    def set_conv_layers(self, layers: list[tuple[str, int]]) -> None:
        """The conv layers ``[(name, filters), …]`` offered for the heatmaps."""
        layers = [(str(n), int(f)) for n, f in layers]
        if layers == self._convs:
            return
        current = self.filter_combo.currentData()
        self._convs = layers
        blocker = QtCore.QSignalBlocker(self.filter_combo)
        self.filter_combo.clear()
        for name, filters in layers:
            for o in range(filters):
                self.filter_combo.addItem(
                    translate("gradcheck", "{layer} · filter {k} of {n}").format(
                        layer=name, k=o + 1, n=filters
                    ),
                    _filter_key(name, o),
                )
        if current is not None:
            i = self.filter_combo.findData(current)  # the same filter if it is still there
            self.filter_combo.setCurrentIndex(max(i, 0))
        del blocker
        self._mark_dead_filters()

    def render(self, snapshot) -> None:
        """Follow the network's conv layers (from the snapshot's stages); cheap."""
        if snapshot is None or not snapshot.stages:
            return
        convs = [(s.name, int(s.out_shape[0])) for s in snapshot.stages if s.kind == "conv"]
        if convs != self._convs:
            self.set_conv_layers(convs)

    def show_report(self, report: GradCheckReport) -> None:
        """Show a report of :func:`run_gradient_check` (called on the GUI thread)."""
        self.set_busy(False)
        self._report = report
        self.set_conv_layers([(n, f) for n, f, _ in report.conv_layers])
        if report.filter is not None:
            i = self.filter_combo.findData(_filter_key(report.filter.layer, report.filter.index))
            if i >= 0:
                blocker = QtCore.QSignalBlocker(self.filter_combo)
                self.filter_combo.setCurrentIndex(i)
                del blocker
        if report.rows or self._rows_report is None:
            self._rows_report = report
            self._fill_table(report)
        self._show_verdict()
        self._show_filter(report)
        self._mark_dead_filters()

    def show_error(self, message: str) -> None:
        """The check could not run: say why."""
        self.set_busy(False)
        failed = translate("gradcheck", "The check failed to run")
        self.verdict.setText(f'<span style="color:{WRONG_COLOR}">{failed}</span>')
        self.status.setText(message)

    def report(self) -> GradCheckReport | None:
        return self._report

    def heatmap_data(self) -> dict[str, np.ndarray | None]:
        """What the three heatmaps show: ``analytic``, ``numeric`` (C, kh, kw) and ``error``."""
        return {
            "analytic": self.analytic_grid.data,
            "numeric": self.numeric_grid.data,
            "error": self.error_map.data(),
        }

    def table_rows(self) -> list[tuple[str, ...]]:
        """The table's texts, row by row (as ``cnnviz gradcheck`` prints them)."""
        return [
            tuple(self.table.item(r, c).text() for c in range(self.table.columnCount()))
            for r in range(self.table.rowCount())
        ]

    # ------------------------------------------------------------------ rendering
    def _fill_table(self, report: GradCheckReport) -> None:
        self.table_note.setText(fill_table(self.table, self._split, report))

    def _show_verdict(self) -> None:
        texts = verdict_texts(self._rows_report, self._report)
        if texts is not None:
            self.verdict.setText(texts[0])
            self.status.setText(texts[1])

    def _show_filter(self, report: GradCheckReport) -> None:
        fc = report.filter
        if fc is None:
            for g in (self.analytic_grid, self.numeric_grid):
                g.show_placeholder(translate("gradcheck", "this network has no conv layer"))
            self.error_map.set_data(None)
            self.filter_info.setText("")
            return
        m = float(max(np.abs(fc.analytic).max(), np.abs(fc.numeric).max()))
        lv = (-m, m) if m > 0 else (-1.0, 1.0)
        self.analytic_grid.set_data(fc.analytic, "dweight", levels=lv)
        self.numeric_grid.set_data(fc.numeric, "dweight", levels=lv)
        self.error_map.set_data(fc.error, fc.analytic, fc.numeric, fc.threshold)
        self.filter_info.setText(filter_text(report, self._rows_report, muted_color(self)))

    def _mark_dead_filters(self) -> None:
        """Note the filters whose gradient was zero in the last report."""
        rep = self._report
        norms = rep.filter_norms if rep is not None else {}
        for i in range(self.filter_combo.count()):
            name, o = _parse_filter_key(self.filter_combo.itemData(i))
            text = self.filter_combo.itemText(i).split("  —")[0]
            g = norms.get(name)
            if g is not None and o < len(g) and g[o] == 0:
                text += "  — " + translate("gradcheck", "zero gradient")
            self.filter_combo.setItemText(i, text)

    def _on_filter_chosen(self, index: int) -> None:
        if self._report is not None and not self._busy:
            self.request(parameters=False)  # only the heatmaps: the table stays


def _filter_key(layer: str, index: int) -> str:
    return f"{layer}\t{int(index)}"


def _parse_filter_key(key: str | None) -> tuple[str | None, int]:
    if not key:
        return None, 0
    layer, _, index = key.rpartition("\t")
    return layer, int(index)


def _spin(lo: int, hi: int, value: int, tip: str) -> QtWidgets.QSpinBox:
    s = QtWidgets.QSpinBox()
    s.setRange(lo, hi)
    s.setValue(value)
    s.setToolTip(tip)
    return s


class GradientCheckPanel(Panel):
    """The Gradient check tab: backprop against finite differences, in the training process."""

    key, place = "grad_panel", LOWER
    title = QT_TRANSLATE_NOOP("Panels", "Gradient check")
    concept = "gradcheck"
    scrolled = True

    def build(self) -> GradCheckPanel:
        return GradCheckPanel()

    def set_scale(self, factor: float) -> None:
        self.widget.fit_button()

    def connect(self) -> None:
        self.widget.runRequested.connect(self.run)
        self.host.gradReportReady.connect(self.widget.show_report)
        self.host.gradCheckFailed.connect(self.widget.show_error)

    def run(self, options: dict) -> None:
        self.widget.set_busy(True)

        def done(ok, result):  # on the thread that reads the process's answers
            if ok:
                self.host.gradReportReady.emit(result)
            else:
                self.host.gradCheckFailed.emit(result)

        self.host.send(lambda s: s.request("gradient_check", done, **options))
