"""The convolution explainer's drawing: the grids of one frame (the grid the window slides
over, the patch, the kernel, the products and the output filling in), one row per input
channel, and a click on an output cell to pick that window. :class:`ConvCanvas` reads what to
draw from its :class:`~cnnviz.app.panels.convexplainer.ConvExplainer`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from cnnviz.lessons.convsteps import INSERTED, PADDING, ConvExample
from cnnviz.lessons.numbers import cell_text

translate = QCoreApplication.translate  # extracted by pyside6-lupdate

if TYPE_CHECKING:
    from .convexplainer import ConvExplainer

BACKGROUND = QColor("#11151a")
TEXT = QColor("#f4f6f8")
DIM = QColor("#b9c3cf")
WINDOW = QColor("#ff9f1c")
CURRENT = QColor("#ffd866")
PAD_FILL = QColor("#5b626c")
PAD_TEXT = QColor("#c9ced6")
INSERTED_FILL = QColor("#efe3a6")
EMPTY_FILL = QColor("#2a313a")
CELL_TEXT = QColor("#0b0d10")
MAX_ROWS = 3  # input channels drawn at once; more: one at a time (the channel spin box)
NUMBERS_UP_TO = 12  # grids wider or taller than this are drawn as colour maps


def _tint(v: float, scale: float) -> QColor:
    """White for 0, light red for positive, light blue for negative (text stays black)."""
    if not np.isfinite(v) or scale <= 0:
        return QColor("#ffffff")
    a = min(abs(v) / scale, 1.0) * 0.55
    if v > 0:
        return QColor.fromRgbF(1.0, 1.0 - 0.75 * a, 1.0 - 0.85 * a)
    return QColor.fromRgbF(1.0 - 0.85 * a, 1.0 - 0.55 * a, 1.0)


class ConvCanvas(QWidget):
    """Draws the grids of one frame; a click on an output cell asks for that frame."""

    outputClicked = Signal(int)  # frame index

    def __init__(self, owner: ConvExplainer) -> None:  # the explainer it draws for
        super().__init__(owner)
        self.owner = owner
        self.setMinimumSize(560, 300)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._out_rects: list[tuple[QRectF, int]] = []

    # ---------------------------------------------------------------- layout
    def _rows(self, ex: ConvExample, frame) -> list[int]:
        """Indices into frame.channels of the channel rows to draw."""
        chans = list(range(len(frame.channels)))
        if len(chans) <= MAX_ROWS:
            return chans
        want = self.owner.channel_shown(frame)
        return [want]

    def _layout(self, ex: ConvExample, rows: int, b: float) -> tuple[float, float, dict]:
        _, gh, gw = ex.grid.shape
        kh, kw = ex.kernel_size
        m, ho, wo = ex.output.shape
        label = max(0.5 * b, 22.0)
        gap = 0.6 * b
        big_in = max(gh, gw) > NUMBERS_UP_TO
        # a tall input grid is drawn smaller than the patch, kernel and products beside it
        cin = b * max(0.55, min(1.0, 1.5 * kh / gh)) if not big_in else b * 5.5 / max(gh, gw)
        big_out = max(ho, wo) > NUMBERS_UP_TO
        cout = b if not big_out else b * 5.5 / max(ho, wo)
        row_h = max(gh * cin, kh * b) + label
        left_h = rows * row_h + (rows - 1) * gap
        maps = min(m, 4)
        right_h = maps * (ho * cout + label) + (maps - 1) * gap * 0.6
        width = gw * cin + 3 * kw * b + wo * cout + 4 * gap + 2 * gap
        height = max(left_h, right_h)
        geo = {
            "cin": cin,
            "cout": cout,
            "label": label,
            "gap": gap,
            "row_h": row_h,
            "numbers_in": not big_in,
            "numbers_out": not big_out,
            "maps": maps,
        }
        return width, height, geo

    def _fit(self, ex: ConvExample, rows: int) -> tuple[float, dict]:
        w, h = self.width() - 24, self.height() - 16
        b = 96.0
        while b > 12:
            tw, th, geo = self._layout(ex, rows, b)
            if tw <= w and th <= h:
                return b, geo
            b *= 0.94
        return b, self._layout(ex, rows, b)[2]

    # ---------------------------------------------------------------- painting
    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), BACKGROUND)
        ex = self.owner.example()
        self._out_rects = []
        if ex is None:
            p.setPen(DIM)
            p.drawText(
                self.rect(),
                Qt.AlignmentFlag.AlignCenter,
                translate("convcanvas", "Choose an example"),
            )
            p.end()
            return
        t, sub = self.owner.frame_index(), self.owner.revealed()
        frame = ex.frames[t]
        rows = self._rows(ex, frame)
        b, geo = self._fit(ex, len(rows))
        tw, th, _ = self._layout(ex, len(rows), b)
        x0 = max(12.0, (self.width() - tw) / 2)
        y0 = max(8.0, (self.height() - th) / 2)
        kh, kw = ex.kernel_size
        scale_grid = float(np.abs(ex.grid).max()) or 1.0
        scale_k = float(np.abs(ex.kernels).max()) or 1.0
        scale_p = float(np.abs(frame.products).max()) or 1.0
        _, gh, gw = ex.grid.shape
        cin, gap, label = geo["cin"], geo["gap"], geo["label"]
        n_cells = kh * kw
        shown = frame.products.size if sub is None else sub

        y = y0
        for r in rows:
            c = frame.channels[r]
            gx = x0
            # the grid, with the window
            self._label(p, gx, y, label, self._grid_label(ex, c))
            top = y + label
            self._grid(p, gx, top, cin, ex.grid[c], ex.cell_kind[c], scale_grid, geo["numbers_in"])
            r0, c0 = frame.origin
            win = QRectF(gx + c0 * cin, top + r0 * cin, kw * cin, kh * cin)
            p.setPen(QPen(WINDOW, max(3.0, b * 0.07)))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(win)
            last = None  # the product added last, in product-at-a-time mode
            if sub is not None and 0 < sub <= frame.products.size:
                k = r * n_cells
                if k <= sub - 1 < k + n_cells:
                    last = divmod(sub - 1 - k, kw)
                    pi, pj = last
                    p.setPen(QPen(CURRENT, max(3.0, b * 0.08)))
                    p.drawRect(QRectF(gx + (c0 + pj) * cin, top + (r0 + pi) * cin, cin, cin))
            # patch ⊙ kernel = products
            px = gx + gw * cin + gap
            ky = top + max(0.0, (gh * cin - kh * b) / 2) if geo["numbers_in"] else top
            kind_patch = ex.cell_kind[c, r0 : r0 + kh, c0 : c0 + kw]
            self._label(
                p, px, ky - label, label, translate("convcanvas", "patch"), kw * b + gap * 0.8
            )
            self._grid(p, px, ky, b, frame.patch[r], kind_patch, scale_grid, True)
            self._op(p, px + kw * b, ky, gap, kh * b, "⊙")
            kx = px + kw * b + gap
            self._label(
                p, kx, ky - label, label, self._kernel_label(ex, frame, r), kw * b + gap * 0.8
            )
            self._grid(p, kx, ky, b, frame.kernel[r], None, scale_k, True)
            self._op(p, kx + kw * b, ky, gap, kh * b, "=")
            qx = kx + kw * b + gap
            first = r * n_cells
            reveal = np.clip(shown - first, 0, n_cells)
            prods = frame.products[r].copy().ravel()
            mask = np.zeros(n_cells, dtype=np.int8)
            mask[reveal:] = 3  # not yet computed: empty
            psum = float(prods[:reveal].sum())
            products = translate("convcanvas", "products  Σ = {sum}").format(sum=cell_text(psum))
            self._label(p, qx, ky - label, label, products, 3 * kw * b)
            self._grid(p, qx, ky, b, prods.reshape(kh, kw), mask.reshape(kh, kw), scale_p, True)
            if last is not None:
                p.setPen(QPen(CURRENT, max(3.0, b * 0.08)))
                p.setBrush(Qt.BrushStyle.NoBrush)
                for gx2 in (px, kx, qx):
                    p.drawRect(QRectF(gx2 + last[1] * b, ky + last[0] * b, b, b))
            y += geo["row_h"] + gap
        if len(rows) < len(frame.channels):
            p.setPen(DIM)
            p.setFont(self._font(label * 0.8))
            p.drawText(
                QPointF(x0, y - gap * 0.4),
                translate(
                    "convcanvas", "showing input map {c} of {n}: the sum below adds every map"
                ).format(c=frame.channels[rows[0]], n=len(frame.channels)),
            )
        # the output
        ox = x0 + tw - ex.output.shape[2] * geo["cout"]
        self._output(p, ex, t, frame, ox, y0, geo)
        self._legend(p, ex)
        p.end()

    def _legend(self, p: QPainter, ex: ConvExample) -> None:
        items = [(WINDOW, translate("convcanvas", "window"), True)]
        if (ex.cell_kind == PADDING).any():
            items.append((PAD_FILL, translate("convcanvas", "zero padding"), False))
        if (ex.cell_kind == INSERTED).any():
            items.append((INSERTED_FILL, translate("convcanvas", "zeros inserted (stride)"), False))
        items.append((EMPTY_FILL, translate("convcanvas", "not computed yet"), False))
        size = 16.0
        font = self._font(15)
        p.setFont(font)
        fm = QFontMetricsF(font)
        x, y = 12.0, self.height() - size - 6
        for colour, text, outline in items:
            if outline:
                p.setPen(QPen(colour, 3.0))
                p.setBrush(Qt.BrushStyle.NoBrush)
            else:
                p.setPen(QPen(QColor("#0b0d10"), 1.0))
                p.setBrush(colour)
            p.drawRect(QRectF(x, y, size, size))
            p.setPen(DIM)
            p.drawText(QPointF(x + size + 6, y + size - 3), text)
            x += size + 12 + fm.horizontalAdvance(text) + 18

    def _output(self, p: QPainter, ex: ConvExample, t: int, frame, ox, y0, geo) -> None:
        m_count, ho, wo = ex.output.shape
        cout, label, gap = geo["cout"], geo["label"], geo["gap"]
        complete = self.owner.revealed() is None
        done_upto = t if not complete else t + 1
        scale = float(np.abs(ex.output).max()) or 1.0
        m0 = frame.out[0]
        first_map = max(0, min(m0 - geo["maps"] + 1, m_count - geo["maps"]))
        first_map = min(first_map, m0)
        y = y0
        for m in range(first_map, min(m_count, first_map + geo["maps"])):
            name = ex.out_names[m] if m < len(ex.out_names) else f"out[{m}]"
            self._label(p, ox, y, label, name)
            top = y + label
            vals = ex.output[m]
            kinds = np.full((ho, wo), 3, dtype=np.int8)
            base = m * ho * wo
            flat = np.arange(ho * wo) + base
            kinds.ravel()[flat < done_upto] = 0
            self._grid(p, ox, top, cout, vals, kinds, scale, geo["numbers_out"])
            for i in range(ho):
                for j in range(wo):
                    rect = QRectF(ox + j * cout, top + i * cout, cout, cout)
                    self._out_rects.append((rect, base + i * wo + j))
            if m == m0:
                _, i, j = frame.out
                p.setPen(QPen(WINDOW, max(3.0, cout * 0.09 if geo["numbers_out"] else 3.0)))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(QRectF(ox + j * cout, top + i * cout, cout, cout))
            y = top + ho * cout + gap * 0.6

    def _heat(self, p, x, y, cell, values, kinds, scale) -> None:
        """A grid too fine for numbers: one image, one cell per pixel, scaled up."""
        values = np.asarray(values, dtype=np.float64)
        h, w = values.shape
        a = np.clip(np.abs(values) / (scale or 1.0), 0, 1) * 0.55
        pos = values > 0
        rgb = np.empty((h, w, 3))
        rgb[..., 0] = np.where(pos, 1.0, 1.0 - 0.85 * a)
        rgb[..., 1] = np.where(pos, 1.0 - 0.75 * a, 1.0 - 0.55 * a)
        rgb[..., 2] = np.where(pos, 1.0 - 0.85 * a, 1.0)
        if kinds is not None:
            for kind, colour in ((PADDING, PAD_FILL), (INSERTED, INSERTED_FILL), (3, EMPTY_FILL)):
                rgb[kinds == kind] = (colour.redF(), colour.greenF(), colour.blueF())
        buf = np.full((h, w, 4), 255, dtype=np.uint8)
        buf[..., :3] = np.round(rgb * 255)
        image = QImage(buf.data, w, h, 4 * w, QImage.Format.Format_RGBA8888)
        p.drawImage(QRectF(x, y, w * cell, h * cell), image)
        del image, buf

    def _grid(self, p, x, y, cell, values, kinds, scale, numbers) -> None:
        values = np.asarray(values)
        h, w = values.shape
        if not numbers:
            self._heat(p, x, y, cell, values, kinds, scale)
            return
        # one font for the whole grid, small enough for its widest number
        texts = [[cell_text(v) for v in row] for row in values.tolist()]
        font = self._font(cell * 0.38)
        fm = QFontMetricsF(font)
        widest = max((fm.horizontalAdvance(t) for row in texts for t in row), default=1.0)
        if widest > cell * 0.88:
            font = self._font(cell * 0.38 * cell * 0.88 / widest)
        p.setFont(font)
        # one pen object for every cell (passing Qt.PenStyle.NoPen per call trips a
        # reference-count bug of PySide6 6.12 after a few hundred calls)
        grid_pen = QPen(QColor("#0b0d10"), 1.0) if cell > 8 else QPen(Qt.PenStyle.NoPen)
        for i in range(h):
            for j in range(w):
                v = float(values[i, j])
                kind = 0 if kinds is None else int(kinds[i, j])
                rect = QRectF(x + j * cell, y + i * cell, cell, cell)
                if kind == PADDING:
                    fill, color = PAD_FILL, PAD_TEXT
                elif kind == INSERTED:
                    fill, color = INSERTED_FILL, QColor("#7a6a2a")
                elif kind == 3:
                    fill, color = EMPTY_FILL, None
                else:
                    fill, color = _tint(v, scale), CELL_TEXT
                p.setPen(grid_pen)
                p.setBrush(fill)
                p.drawRect(rect)
                if color is not None:
                    p.setPen(color)
                    p.drawText(rect, Qt.AlignmentFlag.AlignCenter, texts[i][j])

    def _label(self, p: QPainter, x: float, y: float, h: float, text: str, width=2000.0) -> None:
        """A label above a grid, shrunk to ``width`` if need be."""
        size = min(h * 0.62, 24)
        font = self._font(size, bold=True)
        adv = QFontMetricsF(font).horizontalAdvance(text)
        if adv > width:
            font = self._font(size * width / adv, bold=True)
        p.setPen(TEXT)
        p.setFont(font)
        p.drawText(QRectF(x, y, width, h), Qt.AlignmentFlag.AlignVCenter, text)

    def _op(self, p: QPainter, x, y, w, h, text: str) -> None:
        p.setPen(TEXT)
        p.setFont(self._font(max(min(h / 3.5, w * 0.8), 14), bold=True))
        p.drawText(QRectF(x, y, w, h), Qt.AlignmentFlag.AlignCenter, text)

    @staticmethod
    def _font(pixels: float, bold: bool = False) -> QFont:
        f = QFont("DejaVu Sans")
        f.setPixelSize(max(6, round(pixels)))
        f.setBold(bold)
        return f

    @staticmethod
    def _grid_label(ex: ConvExample, c: int) -> str:
        if ex.kind == "input_grad":
            return translate("convcanvas", "δ[{c}] with zeros").format(c=c)
        if ex.kind == "weight_grad":
            return translate("convcanvas", "input x")
        if ex.kind == "live":
            return translate("convcanvas", "x[{c}]: the input map {c}").format(c=c)
        return f"x[{c}]" if ex.grid.shape[0] > 1 else translate("convcanvas", "input x")

    @staticmethod
    def _kernel_label(ex: ConvExample, frame, r: int) -> str:
        c = frame.channels[r]
        m = frame.out[0]
        if ex.kind == "input_grad":
            return f"rot180 W[{c}, {m}]"
        if ex.kind == "weight_grad":
            return translate("convcanvas", "δ (window)")
        o = m
        if ex.kind == "live":
            o = int(ex.source.get("out_channel", 0))
        return f"W[{o}, {c}]" if ex.grid.shape[0] > 1 or ex.output.shape[0] > 1 else "W"

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        pos = event.position()
        for rect, index in self._out_rects:
            if rect.contains(pos):
                self.outputClicked.emit(index)
                return
        super().mousePressEvent(event)
