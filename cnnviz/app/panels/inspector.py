"""The selected stage in depth: its maps, its pooling rule, its parameters and what the last
update did to them, histograms and statistics.

Everything comes from ``snapshot.inspector`` (:class:`~cnnviz.live.snapshot.InspectorData`),
built by the training process for the stage and sample the app asked for. The widgets are built
once and only refilled; sections a stage does not have are hidden.
"""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QCoreApplication

from cnnviz.i18n import QT_TRANSLATE_NOOP
from cnnviz.live.snapshot import InspectorData, Snapshot, sample_wording
from cnnviz.training.stages import Stage

from ..colors import DisplaySettings, is_signed
from ..widgets.flow import FlowLayout
from ..widgets.histogram import Histogram
from ..widgets.mapgrid import MapGrid, muted_color
from ..widgets.section import MapZoom, Section, header_font
from .inspector_parts import (  # noqa: F401 (re-exported, as before)
    HIST_HEIGHT,
    HIST_TITLES,
    MAP_HEIGHT,
    MAP_TITLES,
    MAX_KERNEL_COLS,
    MAX_KERNEL_ROWS,
    PARAM_SYMBOLS,
    STAT_ORDER,
    STAT_TIPS,
    STRIP_HEIGHT,
    WEIGHT_HEIGHT,
    format_stat,
    mode_caption,
    pooling_caption,
    stage_titles,
    stat_name,
    stat_tip,
    tr_title,
)
from .registry import LOWER, Panel

translate = QCoreApplication.translate  # extracted by pyside6-lupdate


class LayerInspector(QtWidgets.QWidget):
    """The stage selected in the overview, in depth, for the selected sample.

    Signals: ``hovered(str)`` with the value under the cursor, ``mapClicked(str, int)``
    (grid key, cell) after a map was clicked and enlarged.
    """

    hovered = QtCore.Signal(str)
    mapClicked = QtCore.Signal(str, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._grids: dict[str, MapGrid] = {}
        self._stage_key: tuple | None = None
        self._last: tuple | None = None
        self._data: InspectorData | None = None
        self._settings = DisplaySettings()
        self._show_before = False
        self._zoom: MapZoom | None = None
        self._scroll_at: dict[tuple, int] = {}  # stage key -> the scroll position it was left at
        self._hist_plots: dict[str, Histogram] = {}
        self._stat_labels: dict[str, tuple[QtWidgets.QLabel, QtWidgets.QLabel]] = {}
        self._stat_cells: dict[str, QtWidgets.QWidget] = {}  # a name over its value

        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(6, 4, 6, 4)
        outer.setSpacing(4)
        head = QtWidgets.QHBoxLayout()
        self.title = QtWidgets.QLabel(translate("inspector", "Layer inspector"))
        self.title.setFont(header_font(self, 1.4))
        head.addWidget(self.title)
        self.subtitle = QtWidgets.QLabel("")
        self.subtitle.setStyleSheet(f"color: {muted_color(self)};")
        head.addWidget(self.subtitle)
        head.addStretch(1)
        outer.addLayout(head)
        self.mode = QtWidgets.QLabel("")  # training or evaluation mode, where it matters
        self.mode.setStyleSheet(f"color: {muted_color(self)};")
        self.mode.setWordWrap(True)
        self.mode.setVisible(False)
        outer.addWidget(self.mode)

        self.stats_box = QtWidgets.QFrame()
        self.stats_box.setObjectName("stats")
        self.stats_box.setStyleSheet(
            "#stats { border: 1px solid palette(midlight); border-radius: 6px; }"
        )
        box = QtWidgets.QVBoxLayout(self.stats_box)
        box.setContentsMargins(10, 4, 10, 4)
        self._stats_cells = cells = QtWidgets.QWidget()
        # the statistics wrap onto a second line where the tab is narrow (a projector's, in
        # presentation mode) instead of widening it past the screen
        self.stats_layout = FlowLayout(cells, spacing=22, line_spacing=4, fill_lines=True)
        box.addWidget(cells)
        outer.addWidget(self.stats_box)

        self.empty = QtWidgets.QLabel(
            translate("inspector", "No data yet: take a training step to see a layer in depth.")
        )
        self.empty.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet(f"color: {muted_color(self)}; font-style: italic;")
        outer.addWidget(self.empty, 1)

        self.scroll = QtWidgets.QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        content = QtWidgets.QWidget()
        self.content_layout = QtWidgets.QVBoxLayout(content)
        self.content_layout.setContentsMargins(0, 0, 4, 0)
        self.content_layout.setSpacing(6)
        self.scroll.setWidget(content)
        self.scroll.viewport().installEventFilter(self)
        self._rows: list[tuple[QtWidgets.QWidget, tuple[int, int]]] = []
        outer.addWidget(self.scroll, 1)

        # maps of the sample
        self.sec_maps = Section(translate("inspector", "Maps of the sample"))
        row = self._row(self.sec_maps, MAP_HEIGHT)
        for key in ("activation", "net", "delta", "grad_input"):
            row.addWidget(self._grid(key, tr_title(MAP_TITLES[key])))

        # pooling
        self.sec_pool = Section(translate("inspector", "Pooling: how δ goes back"))
        self.pool_caption = QtWidgets.QLabel()
        self.pool_caption.setFont(header_font(self, 1.05, bold=False))
        self.sec_pool.body.addWidget(self.pool_caption)
        row = self._row(self.sec_pool, MAP_HEIGHT)
        row.addWidget(self._grid("pool_input", translate("inspector", "pool input x")))
        row.addWidget(self._grid("pool_delta", translate("inspector", "δ of the pooled maps")))
        row.addWidget(self._grid("routed_delta", translate("inspector", "δ routed back: ∂E/∂x")))

        # weights
        self.sec_weights = Section(translate("inspector", "Weights and their last update"))
        # the label and the two buttons wrap onto lines of their own where the tab is narrow
        bar_box = QtWidgets.QWidget()
        bar = FlowLayout(bar_box, spacing=6)
        bar.addWidget(QtWidgets.QLabel(translate("inspector", "W shows:")))
        self.after_button = QtWidgets.QToolButton()
        self.after_button.setText(translate("inspector", "after the update: W"))
        self.before_button = QtWidgets.QToolButton()
        self.before_button.setText(translate("inspector", "before it: W − ΔW"))
        group = QtWidgets.QButtonGroup(self)
        for b in (self.after_button, self.before_button):
            b.setCheckable(True)
            b.setStyleSheet(
                "QToolButton { padding: 3px 10px; border: 1px solid palette(mid);"
                " border-radius: 5px; }"
                "QToolButton:checked { background: #1e88e5; color: white; border-color: #1e88e5; }"
            )
            group.addButton(b)
            bar.addWidget(b)
        self.after_button.setChecked(True)
        self.before_button.toggled.connect(self._on_before_toggled)
        self.weights_note = QtWidgets.QLabel()
        self.weights_note.setStyleSheet(f"color: {muted_color(self)};")
        self.weights_note.setWordWrap(True)  # under the buttons, as wide as the tab allows
        self.sec_weights.body.addWidget(bar_box)
        self.sec_weights.body.addWidget(self.weights_note)
        row = self._row(self.sec_weights, WEIGHT_HEIGHT)
        row.addWidget(self._grid("weight", translate("inspector", "W (after the update)")))
        row.addWidget(self._grid("dweight", translate("inspector", "gradient ∂E/∂W")))
        row.addWidget(self._grid("update", translate("inspector", "update ΔW = −η·v")))

        # biases and β
        self.sec_params = Section(translate("inspector", "Biases"))
        self.params_grid = QtWidgets.QGridLayout()
        self.params_grid.setHorizontalSpacing(6)
        self.sec_params.body.addLayout(self.params_grid)
        self._param_rows: dict[str, QtWidgets.QLabel] = {}
        for r, key in enumerate(("beta", "bias")):
            sym = PARAM_SYMBOLS[key]
            label = QtWidgets.QLabel(sym)
            label.setFont(header_font(self, 1.3))
            label.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
            label.setMinimumWidth(28)
            self._param_rows[key] = label
            self.params_grid.addWidget(label, r, 0)
            for c, (prefix, title) in enumerate(
                (
                    ("", sym),
                    ("d", f"∂E/∂{sym}"),
                    ("u", translate("inspector", "update Δ{symbol}").format(symbol=sym)),
                ),
                start=1,
            ):
                g = self._grid(prefix + key, title, orientation="row", annotate=True)
                g.setFixedHeight(STRIP_HEIGHT)
                self.params_grid.addWidget(g, r, c)
                self.params_grid.setColumnStretch(c, 1)

        # histograms
        self.sec_hist = Section(
            translate("inspector", "Histograms: the layer's parameters, the sample's maps")
        )
        self.hist_row = QtWidgets.QHBoxLayout()
        self.sec_hist.body.addLayout(self.hist_row)

        for sec in (self.sec_maps, self.sec_pool, self.sec_weights, self.sec_params, self.sec_hist):
            self.content_layout.addWidget(sec)
        self.content_layout.addStretch(1)
        self._show_empty(True)

    # ------------------------------------------------------------------ building helpers
    def _row(self, section: Section, height: tuple[int, int]) -> QtWidgets.QHBoxLayout:
        w = QtWidgets.QWidget()
        w.setFixedHeight(height[1])
        self._rows.append((w, height))
        row = QtWidgets.QHBoxLayout(w)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        section.body.addWidget(w)
        return row

    def _grid(self, key: str, title: str, **options) -> MapGrid:
        # a long title ("sensitivity δ = ∂E/∂u") wraps rather than widening the row past a
        # projector's tab (which then needed a horizontal scroll bar to show δ)
        g = MapGrid(title, name=title.split(" = ")[0], wrap_title=True, **options)
        g.hovered.connect(self.hovered)
        g.mapClicked.connect(lambda i, k=key: self.enlarge(k, i))
        self._grids[key] = g
        return g

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if event.type() == QtCore.QEvent.Type.Resize and obj is self.scroll.viewport():
            self._fit_rows(event.size().height())
        return False

    def _fit_rows(self, visible: int) -> None:
        """Rows of maps as tall as the visible area allows (a section fits on screen)."""
        for w, (lo, hi) in self._rows:
            h = int(min(max(visible - 70, lo), hi))
            if h != w.height():
                w.setFixedHeight(h)

    # ------------------------------------------------------------------ public API
    def grid(self, key: str) -> MapGrid:
        """The grid of ``key``: a map kind ("activation", "net", "delta", "grad_input"),
        "pool_input", "pool_delta", "routed_delta", "weight", "dweight", "update", or a
        parameter strip ("bias", "dbias", "ubias", "beta", "dbeta", "ubeta")."""
        return self._grids[key]

    @property
    def grids(self) -> dict[str, MapGrid]:
        return dict(self._grids)

    def visible_sections(self) -> list[str]:
        names = {
            "maps": self.sec_maps,
            "pooling": self.sec_pool,
            "weights": self.sec_weights,
            "params": self.sec_params,
            "histograms": self.sec_hist,
        }
        return [k for k, s in names.items() if not s.isHidden()]

    def set_show_before(self, before: bool) -> None:
        """W grid: the weights before the last update (W − ΔW) or after it (W)."""
        (self.before_button if before else self.after_button).setChecked(True)

    def clear(self) -> None:
        """Forget the stage shown (the network changed)."""
        self._stage_key = None
        self._last = None
        self._data = None
        if self._zoom is not None:
            self._zoom.close()
        self._show_empty(True)

    def enlarge(self, key: str, index: int = 0) -> None:
        """Show cell ``index`` of grid ``key`` large in a dialog that follows the data."""
        g = self._grids.get(key)
        if g is None or g.data is None:
            return
        if self._zoom is None:
            self._zoom = MapZoom(self)
            self._zoom.grid.hovered.connect(self.hovered)
            close = QtWidgets.QPushButton(translate("inspector", "Close"))
            close.setToolTip(translate("inspector", "Close the enlarged map (Esc)"))
            close.clicked.connect(self._zoom.close)
            self._zoom.layout().addWidget(close, 0, QtCore.Qt.AlignmentFlag.AlignRight)
            self._zoom.close_button = close
        self._zoom.key = (key, int(index))
        self._update_zoom(force=True)
        self._zoom.show()
        self._zoom.raise_()
        self.mapClicked.emit(key, int(index))

    @property
    def zoom(self) -> MapZoom | None:
        return self._zoom

    def render(self, snapshot: Snapshot | None, settings: DisplaySettings) -> None:
        """Show ``snapshot.inspector``; cheap when nothing changed."""
        if snapshot is None:
            return
        state = (settings.scaling, settings.fixed_range, self._show_before)
        if self._last is not None and self._last[0] is snapshot and self._last[1] == state:
            return
        self._last = (snapshot, state)
        data = snapshot.inspector
        self._settings = settings
        if data is None:
            self._data = None
            self._show_empty(True)
            return
        self._show_empty(False)
        self._data = data
        stage = data.stage
        key = (stage.index, stage.label, stage.kind)
        if key != self._stage_key:
            bar = self.scroll.verticalScrollBar()
            if self._stage_key is not None:  # each layer keeps its own scroll position
                self._scroll_at[self._stage_key] = bar.value()
            self._configure(stage, data)
            self._stage_key = key
            at = self._scroll_at.get(key, 0)
            bar.setValue(at)
            QtCore.QTimer.singleShot(0, lambda: bar.setValue(at))  # once laid out
        self.subtitle.setText(sample_wording(snapshot))
        mode = mode_caption(stage, snapshot.sample_source)
        self.mode.setText(mode)
        self.mode.setVisible(bool(mode))
        self._fill_maps(stage, data, settings, snapshot)
        self._fill_pool(stage, data, settings)
        self._fill_weights(data, settings)
        self._fill_params(data, settings)
        self._fill_histograms(data)
        self._fill_stats(data)
        self._update_zoom()

    # ------------------------------------------------------------------ layout per stage
    def _show_empty(self, empty: bool) -> None:
        self.empty.setVisible(empty)
        self.scroll.setVisible(not empty)
        self.stats_box.setVisible(not empty)
        if empty:
            self.title.setText(translate("inspector", "Layer inspector"))
            self.subtitle.setText("")

    def _configure(self, stage: Stage, data: InspectorData) -> None:
        """Titles and visible sections for a newly selected stage."""
        self.title.setText(stage.label)
        if self._zoom is not None:
            self._zoom.close()
        is_input = stage.index == 0
        g = self._grids
        titles = stage_titles(stage, data)
        for key in ("activation", "delta", "net", "pool_input"):
            g[key].set_title(titles[key])
        channels = is_input and len(stage.out_shape) == 3 and stage.out_shape[0] == 3
        g["net"].setVisible((bool(stage.activations) and not is_input) or channels)
        pooling = stage.kind in ("maxpool", "avgpool", "lppool", "subsample")
        g["grad_input"].setVisible(not is_input and not pooling)
        self.sec_maps.set_title(titles["maps"])
        self.sec_pool.setVisible(pooling)
        self.pool_caption.setText(pooling_caption(stage, data))
        self.sec_weights.setVisible("weight" in data.params)
        self.weights_note.setText(titles["weights_note"])
        params = [k for k in ("beta", "bias") if k in data.params]
        self.sec_params.setVisible(bool(params))
        self.sec_params.set_title(titles["params"])
        for key in ("beta", "bias"):
            on = key in params
            self._param_rows[key].setVisible(on)
            for prefix in ("", "d", "u"):
                g[prefix + key].setVisible(on)
        self.sec_hist.setVisible(True)

    # ------------------------------------------------------------------ filling
    def _fill_maps(self, stage: Stage, data: InspectorData, settings, snapshot) -> None:
        maps = data.maps
        is_input = stage.index == 0
        g = self._grids
        if is_input:
            g["activation"].set_data(maps.get("activation"), "input", settings)
            if not g["net"].isHidden():  # a colour input: its channels one by one too
                g["net"].set_data(maps.get("activation"), "input", settings, rgb=False)
            g["delta"].set_data(
                maps.get("delta"), "grad_input", settings,
                placeholder=translate(
                    "inspector", "not computed:\nthe first layer does not need ∂E/∂input"
                ),
            )  # fmt: skip
            return
        labels = None
        if stage.index == len(snapshot.stages) - 1 and np.shape(maps.get("net")) == (
            len(snapshot.class_names),
        ):
            labels = list(snapshot.class_names)
        g["activation"].set_data(maps.get("activation"), "activation", settings, labels=labels)
        if not g["net"].isHidden():
            g["net"].set_data(maps.get("net"), "net", settings, labels=labels)
        # in a step's forward pass, stages after the active one still show the previous step
        stale = (
            snapshot.active_direction == "forward"
            and snapshot.active_stage is not None
            and stage.index > snapshot.active_stage
        )
        g["activation"].set_stale(stale)
        g["net"].set_stale(stale)
        g["pool_input"].set_stale(stale and stage.index - 1 > snapshot.active_stage)
        g["delta"].set_data(maps.get("delta"), "delta", settings, labels=labels)
        if not g["grad_input"].isHidden():
            gi = maps.get("grad_input")
            if gi is not None and gi.ndim == 1 and stage.index >= 2:
                prev = tuple(snapshot.stages[stage.index - 1].out_shape)
                if len(prev) == 3 and int(np.prod(prev)) == gi.size and prev[1:] != (1, 1):
                    gi = gi.reshape(prev)
            text = (
                translate("inspector", "not needed:\nnothing before the first layer")
                if stage.index == 1
                else translate("inspector", "not computed yet")
            )
            g["grad_input"].set_data(gi, "grad_input", settings, placeholder=text)

    def _fill_pool(self, stage: Stage, data: InspectorData, settings) -> None:
        if self.sec_pool.isHidden():
            return
        g = self._grids
        g["pool_input"].set_data(data.pool_input, "activation", settings, mask=data.argmax_mask)
        g["pool_delta"].set_data(data.maps.get("delta"), "delta", settings)
        g["routed_delta"].set_data(data.routed_delta, "routed_delta", settings)

    def _fill_weights(self, data: InspectorData, settings) -> None:
        if self.sec_weights.isHidden() or "weight" not in data.params:
            return
        w = data.params["weight"]
        dw = data.grads.get("weight")
        uw = data.updates.get("weight")
        caps = {"max_rows": MAX_KERNEL_ROWS, "max_cols": MAX_KERNEL_COLS}
        g = self._grids
        if self._show_before and uw is not None:
            g["weight"].set_title(translate("inspector", "W − ΔW (before the update)"))
            g["weight"].set_data(w - uw, "weight", settings, levels_from=w, **caps)
        else:
            g["weight"].set_title(translate("inspector", "W (after the update)"))
            g["weight"].set_data(w, "weight", settings, **caps)
        g["dweight"].set_data(dw, "dweight", settings, **caps)
        g["update"].set_data(
            uw, "update", settings, placeholder=translate("inspector", "no update yet"), **caps
        )  # fmt: skip

    def _fill_params(self, data: InspectorData, settings) -> None:
        if self.sec_params.isHidden():
            return
        g = self._grids
        for key in ("beta", "bias"):
            if key not in data.params:
                continue
            g[key].set_data(data.params[key], key, settings)
            g["d" + key].set_data(data.grads.get(key), "signed", settings)
            g["u" + key].set_data(data.updates.get(key), "update", settings)

    def _fill_histograms(self, data: InspectorData) -> None:
        hists = data.histograms
        self.sec_hist.setVisible(bool(hists))
        for key, (counts, edges) in hists.items():
            if key not in self._hist_plots:
                self._hist_plots[key] = self._make_hist(key)
            self._hist_plots[key].set_data(counts, edges)
        for key, plot in self._hist_plots.items():
            plot.setVisible(key in hists)  # (new ones too: added to a shown parent, hidden)

    def histogram(self, key: str) -> Histogram | None:
        """The histogram of ``key`` ("weight", "dweight", "activation", "delta", ...)."""
        return self._hist_plots.get(key)

    def _make_hist(self, key: str) -> Histogram:
        signed = is_signed({"activation": "activation", "delta": "delta"}.get(key, "weight"))
        plot = Histogram(
            tr_title(HIST_TITLES[key]) if key in HIST_TITLES else key,
            "#5c6bc0" if signed else "#26a69a",
        )
        plot.setFixedHeight(HIST_HEIGHT)
        order = list(HIST_TITLES)
        pos = sum(1 for k in self._hist_plots if order.index(k) < order.index(key))
        self.hist_row.insertWidget(pos, plot)
        return plot

    def _fill_stats(self, data: InspectorData) -> None:
        stats = data.stats
        names = [k for k in STAT_ORDER if k in stats] + [k for k in stats if k not in STAT_ORDER]
        for name in names:
            if name not in self._stat_labels:
                cell = QtWidgets.QWidget(self._stats_cells)  # a parent first: never a window
                cell.hide()
                column = QtWidgets.QVBoxLayout(cell)
                column.setContentsMargins(0, 0, 0, 0)
                column.setSpacing(0)
                head = QtWidgets.QLabel(stat_name(name))
                head.setStyleSheet(f"color: {muted_color(self)};")
                head.setToolTip(stat_tip(name))
                value = QtWidgets.QLabel()
                value.setFont(header_font(self, 1.15))
                value.setToolTip(stat_tip(name))
                column.addWidget(head)
                column.addStretch(1)  # the values of a line level, whatever the names' fonts
                column.addWidget(value)
                self._stat_labels[name] = (head, value)
                self._stat_cells[name] = cell
            self._stat_labels[name][1].setText(format_stat(name, stats[name]))
        order = [self._stat_cells[n] for n in names]
        lay = self.stats_layout
        if [lay.itemAt(i).widget() for i in range(lay.count())] != order:
            while lay.count():
                lay.takeAt(0)
            for name, cell in self._stat_cells.items():
                cell.setVisible(name in names)
            for cell in order:
                lay.add(cell)
            lay.invalidate()
        self.stats_box.setVisible(bool(names))

    def stat_text(self, name: str) -> str | None:
        """The value shown for statistic ``name`` (None when it is not shown)."""
        pair = self._stat_labels.get(name)
        return None if pair is None or self._stat_cells[name].isHidden() else pair[1].text()

    # ------------------------------------------------------------------ enlarging
    def _update_zoom(self, force: bool = False) -> None:
        z = self._zoom
        if z is None or z.key is None or not (force or z.isVisible()):
            return
        key, index = z.key
        g = self._grids.get(key)
        if g is None:
            z.grid.show_placeholder(translate("inspector", "not available for this stage"))
            return
        if g.data is None:
            z.grid.show_placeholder(
                translate(
                    "inspector", "not computed for this batch yet: it fills in as the step runs"
                )
            )
            return
        arr = g.cell_array(index)
        name = g.cell_name(index)
        stage = self._data.stage.label if self._data is not None else ""
        title = g.title_label.text() + (f", {name}" if name else "")
        z.grid.set_title(f"{stage}: {title}" if stage else title)
        z.grid.name = g.name
        if arr is not None and arr.ndim == 2 and g.cell_count() > 1:
            mask = g.cell_mask(index)
            z.grid.set_data(
                arr[None], g.kind, self._settings, levels=g.cell_levels(index),
                mask=None if mask is None else mask[None],
            )  # fmt: skip
        else:
            z.grid.set_data(g.data, g.kind, self._settings)
        z.setWindowTitle(translate("inspector", "Enlarged: {title}").format(title=title))

    def _on_before_toggled(self, before: bool) -> None:
        self._show_before = before
        if self._data is not None:
            self._fill_weights(self._data, self._settings)


class InspectorPanel(Panel):
    """The layer inspector tab: the only panel that needs the inspector's data."""

    key, place = "inspector", LOWER
    title = QT_TRANSLATE_NOOP("Panels", "Layer inspector")
    concept = "inspector"
    needs = frozenset({"inspect"})

    def build(self) -> LayerInspector:
        return LayerInspector()

    def connect(self) -> None:
        self.widget.hovered.connect(self.host.show_hover)

    def draw(self, snapshot: Snapshot) -> None:
        self.widget.render(snapshot, self.host.settings)
