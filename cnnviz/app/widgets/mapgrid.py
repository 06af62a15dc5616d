"""A grid of small maps drawn as one image: feature maps, sensitivity maps, kernels, vectors.

:class:`MapGrid` shows one array of a layer:

* ``(C, H, W)`` maps as a grid of C small images (``(3, H, W)`` input as one colour image);
* ``(F,)`` vectors (and ``(C, 1, 1)`` maps) as a column of cells that wraps into more columns;
* ``(O, C, kh, kw)`` kernels as O rows (filters) × C columns (input channels);
* ``(rows, cols)`` matrices (dense weights) as one image.

Every cell is normalised to [0, 1] with its own levels (from :func:`colors.levels`) and the
cells are tiled, one transparent pixel apart, into a single mosaic, coloured through a lookup
table into one ARGB image and painted by :class:`MosaicCanvas` with one ``drawImage``. Drawing a
grid costs a handful of numpy operations on a few thousand values and a paint that is almost
all C++, so the grids avoid a graphics scene (and its Python) per grid. Hovering
reads the value under the cursor from the original array.

Over 600 lines, on purpose: :class:`MapGrid` is one widget (about 550 lines) whose parts, the
four array shapes, the levels, highlights and hover, share its cached state; the mosaic's
geometry (:mod:`.tiling`) and its canvas (:mod:`.mosaic`) are modules of their own.
"""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication

from cnnviz.i18n import QT_TRANSLATE_NOOP
from cnnviz.lessons.numbers import fmt_value

from .. import colors, zoom
from ..colors import DisplaySettings
from .mosaic import MosaicCanvas, qimage_argb
from .tiling import GAP, Geometry, best_bands, best_layout, mask_overlay, tile

translate = QCoreApplication.translate  # extracted by pyside6-lupdate

PLACEHOLDER = QT_TRANSLATE_NOOP("mapgrid", "not computed yet")
RING_MIN_PIXELS = 10  # screen pixels per map pixel from which rings are drawn
VECTOR_UNIT = 8  # image pixels per vector cell (so the 1-pixel gap is thin)
HIGHLIGHT_WIDTH = 4
BAR_HEIGHT = 9


def muted_color(widget: QtWidgets.QWidget, amount: float = 0.62) -> str:
    """A secondary text colour: the text colour mixed towards the background (readable on a
    projector, unlike the palette's "mid")."""
    pal = widget.palette()
    fg = pal.color(QtGui.QPalette.ColorRole.WindowText)
    bg = pal.color(QtGui.QPalette.ColorRole.Window)
    mix = [
        round(amount * a + (1 - amount) * b)
        for a, b in zip(fg.getRgb()[:3], bg.getRgb()[:3], strict=True)
    ]
    return "#{:02x}{:02x}{:02x}".format(*mix)


def _set_visible(w: QtWidgets.QWidget, on: bool) -> None:
    if w.isHidden() == on:  # setVisible is not free, even when nothing changes
        w.setVisible(on)


class ColorBar(QtWidgets.QWidget):
    """A thin horizontal gradient with the values at its ends (and 0 for signed maps)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._kind = "activation"
        self._lo, self._hi = 0.0, 1.0
        self._relative = False
        self._strip: tuple[tuple[str, int], QtGui.QImage] | None = None  # (kind, width), image
        font = QtGui.QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() * 0.9, 7.0))
        self.setFont(font)
        self.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Preferred, QtWidgets.QSizePolicy.Policy.Fixed
        )
        self._fit_height()

    def _fit_height(self) -> None:
        """The bar and one line of its labels, at the font it has now."""
        self.setFixedHeight(BAR_HEIGHT + self.fontMetrics().height() + 4)

    def changeEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.Type.FontChange:  # presentation mode scales it
            self._fit_height()

    def set_range(self, kind: str, lo: float, hi: float, relative: bool = False) -> None:
        """Show ``kind``'s colormap from lo to hi; relative: every map has its own range."""
        if (kind, lo, hi, relative) == (self._kind, self._lo, self._hi, self._relative):
            return
        self._kind, self._lo, self._hi, self._relative = kind, lo, hi, relative
        self.update()

    def labels(self, digits: int = 3) -> tuple[str, str, str]:
        """(left, middle, right) texts."""
        signed = colors.is_signed(self._kind)
        if self._relative:
            if signed:
                return ("−max", "0", "+max")
            return (
                translate("mapgrid", "min"),
                translate("mapgrid", "per map"),
                translate("mapgrid", "max"),
            )
        return (fmt_value(self._lo, digits), "0" if signed else "", fmt_value(self._hi, digits))

    def _fitting_labels(self) -> tuple[str, str, str]:
        """The labels, shortened (fewer digits, no middle) until they fit the width; where
        even the ends do not fit side by side (a narrow map on a projector), one label: ±max
        in the middle for a signed range symmetric about 0, else the top value at the right."""
        fm = self.fontMetrics()
        for digits in (3, 2, 1):
            left, mid, right = self.labels(digits)
            widths = [fm.horizontalAdvance(t) for t in (left, mid, right)]
            if widths[0] + widths[2] + 8 <= self.width():
                if mid and (self.width() - widths[1]) / 2 < max(widths[0], widths[2]) + 6:
                    mid = ""  # no room for the middle label between the ends
                return left, mid, right
        if self._relative:
            return "", "", right
        if colors.is_signed(self._kind) and abs(self._lo + self._hi) <= 1e-9 * abs(self._hi):
            return "", "±" + fmt_value(self._hi, 2), ""
        return "", "", fmt_value(self._hi, 2)

    def _strip_image(self, width: int) -> QtGui.QImage:
        """The colormap as a (BAR_HEIGHT, width) image, made again only when the kind or the
        width changes (painting it is then one call, not a gradient of many stops)."""
        key = (self._kind, width)
        if self._strip is None or self._strip[0] != key:
            idx = np.linspace(0, 255, max(width, 1)).round().astype(np.intp)
            row = colors.argb_lut(self._kind)[idx]
            self._strip = key, qimage_argb(np.broadcast_to(row, (BAR_HEIGHT, row.size)))
        return self._strip[1]

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        p = QtGui.QPainter(self)
        fm = self.fontMetrics()
        left, mid, right = self._fitting_labels()
        width = self.width()
        p.drawImage(1, 1, self._strip_image(width - 2))
        p.setPen(self.palette().color(QtGui.QPalette.ColorRole.WindowText))
        y = BAR_HEIGHT + 3 + fm.ascent()
        p.drawText(0, y, left)
        p.drawText(width - fm.horizontalAdvance(right), y, right)
        if mid:
            p.drawText((width - fm.horizontalAdvance(mid)) // 2, y, mid)
        p.end()


class MapGrid(QtWidgets.QFrame):
    """A titled grid of small maps of one array, coloured for its ``kind``.

    Signals: ``hovered(str)`` with the value under the cursor ("" when it leaves),
    ``mapClicked(int)`` with the cell clicked (map, vector element or kernel index
    ``o * C + c``), ``clicked()`` on any click inside the widget.
    """

    hovered = QtCore.Signal(str)
    mapClicked = QtCore.Signal(int)
    clicked = QtCore.Signal()

    def __init__(
        self,
        title: str = "",
        parent=None,
        *,
        name: str = "",
        colorbar: bool = True,
        orientation: str = "auto",
        annotate: bool = False,
        tooltips: bool = True,
        wrap_title: bool = False,
    ):
        """``name`` prefixes the hover text (e.g. "C1 δ"); ``orientation``: "auto" picks
        the grid that shows the cells largest, "row" / "column" put them in one line;
        ``annotate`` writes the values into the cells when they are large enough;
        ``wrap_title``: a long title wraps instead of setting the grid's least width (for
        grids side by side in a tab a projector makes narrow)."""
        super().__init__(parent)
        self.name = name
        self.orientation = orientation
        self.annotate = annotate
        self.tooltips = tooltips
        self._highlight: QtGui.QColor | None = None
        self._selected = False
        self._stale = False
        self._mask_rings = False
        self._geo_key: tuple | None = None
        self._geo_cached: Geometry | None = None
        self._data: np.ndarray | None = None
        self._cells: np.ndarray | None = None  # (n, h, w) the values of every cell
        self._mask: np.ndarray | None = None  # (n, h, w) bool
        self._levels = np.zeros((0, 2))
        self._kind = "activation"
        self._geo: Geometry | None = None
        self._labels: list[str] | None = None
        self._rgb = False
        self._fixed_grid: tuple[int, int] | None = None

        lay = QtWidgets.QVBoxLayout(self)
        m = HIGHLIGHT_WIDTH + 2
        lay.setContentsMargins(m, m, m, m)
        lay.setSpacing(3)
        self.title_label = QtWidgets.QLabel(title, self)  # a parent first: never a window
        font = QtGui.QFont(self.title_label.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.05)
        self.title_label.setFont(font)
        self.title_label.setTextFormat(QtCore.Qt.TextFormat.AutoText)
        self.title_label.setAlignment(QtCore.Qt.AlignmentFlag.AlignHCenter)
        self.title_label.setWordWrap(wrap_title)
        self.title_label.setVisible(bool(title))
        lay.addWidget(self.title_label)

        self.canvas = MosaicCanvas()
        self.mosaic: np.ndarray | None = None  # (H, W) normalised values, NaN in the gaps
        self.placeholder = QtWidgets.QLabel(translate("mapgrid", PLACEHOLDER))
        self.placeholder.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setSizePolicy(  # after setWordWrap: drops height-for-width, which
            # would make scroll areas size the whole row by its wrapped text
            QtWidgets.QSizePolicy.Policy.Ignored,
            QtWidgets.QSizePolicy.Policy.Ignored,
        )
        self.placeholder.setStyleSheet(
            f"QLabel {{ color: {muted_color(self)}; font-style: italic; padding: 6px;"
            " border: 1px solid palette(midlight); border-radius: 6px; }"
        )
        self.stack = QtWidgets.QStackedWidget()
        self.stack.addWidget(self.canvas)
        self.stack.addWidget(self.placeholder)
        self.stack.setCurrentIndex(1)
        lay.addWidget(self.stack, 1)

        self.note_label = QtWidgets.QLabel()
        self.note_label.setAlignment(QtCore.Qt.AlignmentFlag.AlignHCenter)
        self.note_label.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred
        )
        self.note_label.setStyleSheet(f"color: {muted_color(self)};")
        self.note_label.setVisible(False)
        lay.addWidget(self.note_label)
        self.colorbar = ColorBar()
        self.colorbar.setVisible(False)  # shown with the first data
        self._want_colorbar = colorbar
        lay.addWidget(self.colorbar)

        self.canvas.moved.connect(self._on_mouse_moved)
        self.canvas.pressed.connect(self._on_mouse_pressed)
        self.canvas.left.connect(self._on_mouse_left)
        self.canvas.resized.connect(self._on_view_resized)

    def sizeHint(self) -> QtCore.QSize:  # noqa: N802 - Qt API
        return QtCore.QSize(160, 200)

    # ------------------------------------------------------------------ public API
    def set_title(self, text: str) -> None:
        if text != self.title_label.text():
            self.title_label.setText(text)
            self.title_label.setVisible(bool(text))

    def set_note(self, text: str) -> None:
        """A small line under the maps (e.g. "showing 32 of 120 filters")."""
        if text != self.note_label.text():
            self.note_label.setText(text)
            self.note_label.setVisible(bool(text))

    def set_data(
        self,
        data: np.ndarray | None,
        kind: str,
        settings: DisplaySettings | None = None,
        *,
        mask: np.ndarray | None = None,
        levels=None,
        levels_from: np.ndarray | None = None,
        labels: list[str] | None = None,
        rgb: bool = True,
        max_rows: int | None = None,
        max_cols: int | None = None,
        placeholder: str = PLACEHOLDER,
    ) -> None:
        """Show ``data`` (see the module docstring for the shapes) coloured for ``kind``.

        ``mask``: boolean array of data's shape, drawn as rings on the true pixels;
        ``levels``: one (lo, hi) for every cell, or one pair per cell, instead of
        :func:`colors.levels`; ``levels_from``: take the levels from this array of the same
        shape (e.g. W before the update coloured like W after it); ``labels``: a name per
        vector cell (class names);
        ``rgb``: show (3, H, W) ``input`` as a colour image; ``max_rows``/``max_cols``: cap
        the filters/input channels of kernels; None shows the placeholder text.
        """
        if data is None:
            if self._data is not None or self.placeholder.text() != placeholder:
                self.show_placeholder(placeholder)
            return
        settings = settings or DisplaySettings()
        a = np.asarray(data)
        ref = a if levels_from is None else np.asarray(levels_from).reshape(a.shape)
        self._data, self._kind, self._labels = data, kind, labels
        self._rgb = False
        self._fixed_grid = None
        note = ""
        if a.ndim == 3 and a.shape[1:] == (1, 1):
            a, ref = a.reshape(-1), ref.reshape(-1)
        if a.ndim == 1:
            mode, cells = "vector", a.reshape(-1, 1, 1)
            groups = [ref]
        elif a.ndim == 2:
            mode, cells = "matrix", a[None]
            groups = [ref]
        elif a.ndim == 3:
            self._rgb = rgb and kind == "input" and a.shape[0] == 3
            mode, cells = ("rgb", a) if self._rgb else ("maps", a)
            groups = [ref] if self._rgb else ref
        elif a.ndim == 4:
            o, c = a.shape[:2]
            ro, rc = min(o, max_rows or o), min(c, max_cols or c)
            if (ro, rc) != (o, c):
                parts = []
                if ro < o:
                    parts.append(translate("mapgrid", "filters 1–{k} of {n}").format(k=ro, n=o))
                if rc < c:
                    parts.append(
                        translate("mapgrid", "input channels 1–{k} of {n}").format(k=rc, n=c)
                    )
                note = translate("mapgrid", "showing {what}").format(what=", ".join(parts))
            shown = a[:ro, :rc]
            mode, cells = "kernels", shown.reshape(ro * rc, *a.shape[2:])
            self._fixed_grid = (ro, rc)
            groups = ref[:ro, :rc].reshape(ro, -1)  # per-map scaling: per filter
        else:
            raise ValueError(f"cannot show an array of shape {a.shape}")
        self._cells = cells
        if levels is None:
            lv = colors.levels(groups, kind, settings)
        elif np.ndim(levels) == 1:
            lv = [tuple(levels)] * len(groups)
        else:
            lv = list(levels)
        lv = np.asarray(lv, dtype=np.float64).reshape(-1, 2)
        if mode == "kernels":
            lv = np.repeat(lv[: self._fixed_grid[0]], self._fixed_grid[1], axis=0)
        elif mode in ("vector", "rgb"):
            lv = np.repeat(lv[:1], len(cells), axis=0)
        self._levels = lv
        self._mask = None
        if mask is not None:
            mk = np.asarray(mask, dtype=bool)
            self._mask = mk.reshape(cells.shape) if mk.size == cells.size else None
        self.set_note(note)
        self._geo = self._geometry(mode)
        self.stack.setCurrentIndex(0)
        self._redraw()
        relative = len(lv) > 1 and not bool((lv == lv[:1]).all())
        lo, hi = (float(lv[:, 0].min()), float(lv[:, 1].max())) if len(lv) else (0.0, 1.0)
        self.colorbar.set_range("input" if self._rgb else kind, lo, hi, relative)
        _set_visible(self.colorbar, self._want_colorbar and not self._rgb)

    def show_placeholder(self, text: str = PLACEHOLDER) -> None:
        """Show ``text`` instead of the maps (e.g. δ before the first backward pass)."""
        self._data = self._cells = self._mask = None
        self._geo = None
        self.placeholder.setText(translate("mapgrid", text) if text == PLACEHOLDER else text)
        self.stack.setCurrentIndex(1)
        _set_visible(self.colorbar, False)
        self.set_note("")
        self.canvas.set_texts([])

    def set_stale(self, on: bool, note: str | None = None) -> None:
        """Fade the maps (and say why: ``note``, by default "previous step"): values a step
        under way has not recomputed yet."""
        if note is None:
            note = translate("mapgrid", "previous step")
        if on != self._stale:
            self._stale = on
            self.canvas.set_opacity(0.3 if on else 1.0)
        self.set_note(note if on else "")

    @property
    def stale(self) -> bool:
        return self._stale

    def set_highlight(self, on: bool, color: str | QtGui.QColor | None = None) -> None:
        """Draw (or remove) a coloured frame, e.g. for the stage of the phase just done."""
        new = QtGui.QColor(color or "#1e88e5") if on else None
        if new != self._highlight:
            self._highlight = new
            self.update()

    def set_selected(self, on: bool) -> None:
        """Tint the background, e.g. for the stage shown in the inspector."""
        if on != self._selected:
            self._selected = on
            self.update()

    @property
    def highlighted(self) -> bool:
        return self._highlight is not None

    @property
    def highlight_color(self) -> QtGui.QColor | None:
        return self._highlight

    @property
    def selected(self) -> bool:
        return self._selected

    @property
    def data(self) -> np.ndarray | None:
        """The array shown (as passed to :meth:`set_data`), or None."""
        return self._data

    @property
    def kind(self) -> str:
        return self._kind

    @property
    def is_rgb(self) -> bool:
        return self._rgb and self._data is not None

    def cell_count(self) -> int:
        """Cells shown: maps, vector elements or kernels (1 for a colour image or matrix)."""
        return 0 if self._geo is None else self._geo.n

    def grid_shape(self) -> tuple[int, int] | None:
        """(rows, cols) of the current layout."""
        return None if self._geo is None else (self._geo.rows, self._geo.cols)

    def cell_array(self, i: int) -> np.ndarray | None:
        """The 2-D values of cell i (a map, a kernel; the whole vector for vectors)."""
        if self._cells is None:
            return None
        if self._geo.mode == "vector":
            return np.asarray(self._data).reshape(-1)
        if self._geo.mode == "rgb":
            return np.asarray(self._data)
        return self._cells[i]

    def cell_levels(self, i: int) -> tuple[float, float]:
        return tuple(self._levels[min(i, len(self._levels) - 1)])

    def cell_mask(self, i: int) -> np.ndarray | None:
        return None if self._mask is None else self._mask[i]

    def cell_name(self, i: int) -> str:
        """How hover texts and the enlarged view call cell i."""
        geo = self._geo
        if geo is None:
            return ""
        if geo.mode == "kernels":
            o, c = divmod(i, self._fixed_grid[1])
            return translate("mapgrid", "filter {o}, input channel {c}").format(o=o, c=c)
        if geo.mode == "vector":
            label = f" ({self._labels[i]})" if self._labels and i < len(self._labels) else ""
            if np.ndim(self._data) == 3:
                return translate("mapgrid", "map {i}").format(i=i) + label
            return translate("mapgrid", "unit {i}").format(i=i) + label
        if geo.mode in ("matrix", "rgb"):
            return ""
        return translate("mapgrid", "map {i}").format(i=i)

    def value_text(self, cell: int, row: int, col: int) -> str:
        """The hover text for element (row, col) of a cell."""
        geo = self._geo
        prefix = f"{self.name} " if self.name else ""
        if geo.mode == "rgb":
            r, g, b = (fmt_value(v, 4) for v in np.asarray(self._data)[:, row, col])
            at = translate("mapgrid", "row {row}, col {col}").format(row=row, col=col)
            return f"{prefix}{at}: R {r}, G {g}, B {b}"
        if geo.mode == "vector":
            v = np.asarray(self._data).reshape(-1)[cell]
            return f"{prefix}{self.cell_name(cell)} = {fmt_value(v, 4)}"
        v = self._cells[cell, row, col]
        if geo.mode == "matrix":
            at = translate("mapgrid", "row {row}, col {col}").format(row=row, col=col)
            return f"{prefix}[{at}] = {fmt_value(v, 4)}"
        at = translate("mapgrid", "row {row}, col {col}").format(row=row, col=col)
        where = f"{self.cell_name(cell)}, {at}"
        mark = ""
        if self._mask is not None and self._mask[cell, row, col]:
            mark = " (argmax)"
        return f"{prefix}{where} = {fmt_value(v, 4)}{mark}"

    def text_at(self, x: float, y: float) -> str:
        """Hover text for the point (x, y) in mosaic pixel coordinates ("" outside the cells)."""
        if self._geo is None:
            return ""
        if self._geo.mode == "matrix":
            h, w = self._geo.size
            if not (0 <= x < w and 0 <= y < h):
                return ""
            return self.value_text(0, int(y), int(x))
        hit = self._geo.locate(x, y)
        return "" if hit is None else self.value_text(*hit)

    def cell_center(self, i: int, row: int = 0, col: int = 0) -> QtCore.QPointF:
        """Mosaic coordinates of the centre of element (row, col) of cell i."""
        geo = self._geo
        y0, x0 = geo.cell_origin(i)
        sy, sx = geo.ch / geo.h, geo.cw / geo.w
        return QtCore.QPointF(x0 + (col + 0.5) * sx, y0 + (row + 0.5) * sy)

    def canvas_pos_of(self, i: int, row: int = 0, col: int = 0) -> QtCore.QPoint:
        """Where element (row, col) of cell i is on :attr:`canvas` (widget pixels)."""
        return self.canvas.map_from_mosaic(self.cell_center(i, row, col)).toPoint()

    @property
    def mask_shown(self) -> bool:
        """Whether an argmax mask is drawn over the maps."""
        return self.canvas.has_overlay

    # ------------------------------------------------------------------ drawing
    def _geometry(self, mode: str) -> Geometry:
        """The layout for the current cells and view size (cached: it rarely changes)."""
        size = self.canvas.size()
        key = (
            mode, self._cells.shape, self.orientation, self._fixed_grid, bool(self._labels),
            size.width(), size.height(),
        )  # fmt: skip
        if key != self._geo_key or self._geo_cached is None:
            self._geo_key, self._geo_cached = key, self._layout(mode)
        return self._geo_cached

    def _layout(self, mode: str) -> Geometry:
        cells = self._cells
        n = len(cells)
        if mode == "vector":
            aspect = 3 if (self._labels or self.annotate) and n <= 16 else 1
            ch, cw, h, w, order = VECTOR_UNIT, VECTOR_UNIT * aspect, 1, 1, "F"
            if self.orientation == "row":
                order = "C"
        else:
            h, w = cells.shape[1:]
            ch, cw, order = h, w, "C"
        if mode in ("matrix", "rgb"):
            return Geometry(mode, 1, 1, 1, ch, cw, h, w, "C", gap=0)
        gap = 2 if min(ch, cw) >= 20 else GAP
        if mode == "vector" and n > 256:
            gap = 0  # a long vector: one smooth strip, grid lines would be all one sees
        if self._fixed_grid is not None:
            rows, cols = self._fixed_grid
            geo = Geometry(mode, n, rows, cols, ch, cw, h, w, order, gap)
            if self.orientation == "auto" and rows > 1:
                size = self.canvas.size()
                geo.bands = best_bands(geo, size.width(), size.height())
            return geo
        elif self.orientation == "row":
            rows, cols = 1, n
        elif self.orientation == "column" or (mode == "vector" and n <= 16):
            rows, cols = n, 1
        else:
            size = self.canvas.size()
            rows, cols = best_layout(n, ch, cw, size.width(), size.height(), gap)
        return Geometry(mode, n, rows, cols, ch, cw, h, w, order, gap)

    def _redraw(self) -> None:
        geo = self._geo
        if geo is None:
            return
        if geo.mode == "rgb":
            lo, hi = self._levels[0]
            span = (hi - lo) or 1.0
            rgb = (np.moveaxis(np.asarray(self._cells, dtype=np.float32), 0, -1) - lo) / span
            self.mosaic = rgb
            self.canvas.set_pixels(colors.rgb_to_argb(rgb))
        else:
            lo = self._levels[:, 0, None, None]
            span = (self._levels[:, 1] - self._levels[:, 0])[:, None, None]
            span = np.where(span > 0, span, 1.0)
            norm = ((self._cells - lo) / span).astype(np.float32, copy=False)
            if geo.mode == "vector":
                norm = np.broadcast_to(norm, (geo.n, geo.ch, geo.cw))
            self.mosaic = norm[0] if geo.mode == "matrix" else tile(norm, geo)
            self.canvas.set_pixels(colors.to_argb(self.mosaic, self._kind))
        shape = geo.size
        if geo.mode == "matrix":  # stretched to the box: pad each axis for itself
            py, px = 0.02 * shape[0], 0.02 * shape[1]
        else:
            py = px = (geo.gap if geo.n > 1 else 0) + 0.015 * max(shape)
        rect = QtCore.QRectF(-px, -py, shape[1] + 2 * px, shape[0] + 2 * py)
        self.canvas.set_bounds(rect, keep_aspect=geo.mode != "matrix")  # (no-op if unchanged)
        self._draw_mask()
        self._draw_texts()

    def _draw_mask(self) -> None:
        geo = self._geo
        if self._mask is None or geo is None or geo.mode not in ("maps", "kernels"):
            self.canvas.set_overlay(None)
            return
        m = tile(self._mask.astype(np.float32), geo)
        rings = self.canvas.scale()[0] >= RING_MIN_PIXELS  # big enough on screen for rings
        self._mask_rings = rings
        self.canvas.set_overlay(mask_overlay(m, rings), QtCore.QRectF(0, 0, m.shape[1], m.shape[0]))

    def _text_candidates(self):
        """None if this grid writes no texts, else a function returning the cell centres
        (x, y, normalised value) and the candidate texts, longest first."""
        geo = self._geo
        if geo is None or not (self.annotate or self._labels):
            return None
        if geo.mode == "vector" and geo.n <= 16:

            def vector():
                vals = np.asarray(self._data).reshape(-1)
                labels = [str(x) for x in self._labels[: geo.n]] if self._labels else []
                values = [fmt_value(v, 2) for v in vals] if self.annotate else []
                options = []
                if labels and values:
                    options.append([f"{a} {b}" for a, b in zip(labels, values, strict=False)])
                options.extend(o for o in (labels, values) if len(o) == geo.n)
                points = []
                for i in range(geo.n):
                    lo, hi = self._levels[i]
                    c = self.cell_center(i)
                    points.append((c.x(), c.y(), (vals[i] - lo) / ((hi - lo) or 1)))
                return points, options

            return vector
        if geo.mode == "maps" and geo.n == 1 and geo.h * geo.w <= 144 and self.annotate:

            def single_map():
                lo, hi = self._levels[0]
                texts, points = [], []
                for r in range(geo.h):
                    for col in range(geo.w):
                        v = self._cells[0, r, col]
                        c = self.cell_center(0, r, col)
                        texts.append(fmt_value(v, 2))
                        points.append((c.x(), c.y(), (v - lo) / ((hi - lo) or 1)))
                return points, [texts]

            return single_map
        return None

    def _draw_texts(self) -> None:
        """Values (and labels) inside the cells of small vectors and tiny maps, if they fit:
        "label value", else just the label, else nothing."""
        want: list[tuple[float, float, str, bool]] = []  # x, y, text, dark
        texts_for = self._text_candidates()
        if texts_for is not None:
            geo = self._geo
            sx, sy = self.canvas.scale()
            per = (geo.h, geo.w) if geo.mode == "maps" else (1, 1)  # maps: a text per pixel
            cell_w, cell_h = geo.cw * sx / per[1], geo.ch * sy / per[0]
            fm = self.fontMetrics()
            if cell_h >= fm.height() and cell_w >= fm.horizontalAdvance("00") + 4:
                points, options = texts_for()
                table = colors.lut(self._kind)
                for texts in options:
                    if cell_w >= max(map(fm.horizontalAdvance, texts)) + 4:
                        for (x, y, nv), t in zip(points, texts, strict=True):
                            rgb = table[int(np.clip(nv if np.isfinite(nv) else 0, 0, 1) * 255)]
                            dark = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] > 150
                            want.append((x, y, t, bool(dark)))
                        break
        self.canvas.set_texts(want)

    # ------------------------------------------------------------------ events
    def _on_view_resized(self) -> None:
        if self._geo is None:
            return
        if self.orientation == "auto" and self._geo.mode in ("maps", "vector", "kernels"):
            geo = self._geometry(self._geo.mode)
            if (geo.rows, geo.cols, geo.bands) != (self._geo.rows, self._geo.cols, self._geo.bands):
                self._geo = geo
                self._redraw()
                return
        if self._mask is not None:
            if (self.canvas.scale()[0] >= RING_MIN_PIXELS) != self._mask_rings:
                self._draw_mask()
        self._draw_texts()

    def _on_mouse_moved(self, x: float, y: float) -> None:
        if self._geo is None:
            return
        text = self.text_at(x, y)
        self.hovered.emit(text)
        if self.tooltips:
            if text:
                QtWidgets.QToolTip.showText(QtGui.QCursor.pos(), text, self.canvas)
            else:
                QtWidgets.QToolTip.hideText()

    def _on_mouse_left(self) -> None:
        self.hovered.emit("")
        if self.tooltips:
            QtWidgets.QToolTip.hideText()

    def _on_mouse_pressed(self, x: float, y: float) -> None:
        self.clicked.emit()
        if self._geo is None:
            return
        if self._geo.mode in ("matrix", "rgb"):
            h, w = self._geo.size
            if 0 <= x < w and 0 <= y < h:
                self.mapClicked.emit(0)
            return
        hit = self._geo.locate(x, y)
        if hit is not None:
            self.mapClicked.emit(hit[0])

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.button() == QtCore.Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mousePressEvent(event)

    # zoom (cnnviz.app.zoom): Ctrl+wheel enlarges the grid in its page, or the overview it is in
    zoom_children = False

    def apply_zoom(self, factor: float) -> None:
        zoom.grow(self, factor)

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt API
        if not zoom.wheel(self, event):
            super().wheelEvent(event)  # not ours: the page scrolls

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        if not (self._selected or self._highlight is not None):
            return
        p = QtGui.QPainter(self)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        r = QtCore.QRectF(self.rect()).adjusted(2, 2, -2, -2)
        if self._selected:
            fill = QtGui.QColor(self.palette().color(QtGui.QPalette.ColorRole.Highlight))
            fill.setAlpha(45)
            p.setPen(QtCore.Qt.PenStyle.NoPen)
            p.setBrush(fill)
            p.drawRoundedRect(r, 6, 6)
        if self._highlight is not None:
            p.setPen(QtGui.QPen(self._highlight, HIGHLIGHT_WIDTH))
            p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(r, 6, 6)
        p.end()
