"""The convolution explainer: an animated sliding window with the numbers in the cells.

Columns, left to right: the grid the window slides over (padding in grey, zeros inserted for
a stride in pale yellow), the patch under the window, the kernel, their products, and the
output filling in. One row per input channel. Below, the sum written out. Play, pause, step
and restart; a speed slider; optionally one product at a time.

The examples are the seeds' (see :mod:`cnnviz.lessons.convsteps`); with a snapshot that
carries ``conv_layers`` (``ViewRequest(explain=True)``) the conv layers of the live network
join the list, and a click on the output picks the position.
"""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cnnviz.lessons.convsteps import (
    INSERTED,
    PADDING,
    ConvExample,
    ConvLayerData,
    examples,
    live_example,
)
from cnnviz.lessons.explain import num

from .registry import LOWER, Panel
from .rules import displayable

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
SPEEDS = [0.5, 1, 2, 3, 5, 8, 12, 20, 30]  # steps per second on the slider
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


def cell_text(v: float) -> str:
    """A number for a cell, short enough to read from the back: integers as they are, others
    with two significant digits (one decimal from 1 on)."""
    v = float(v)
    if v == 0:
        return "0"
    if v.is_integer() and abs(v) < 1e5:
        return str(int(v)).replace("-", "−")
    if abs(v) >= 10:
        s = f"{v:.0f}"
    elif abs(v) >= 1:
        s = f"{v:.1f}"
    elif abs(v) >= 1e-4:
        s = f"{v:.2g}"
    else:
        return num(v, 1)
    return s.replace("-", "−")


class _Canvas(QWidget):
    """Draws the grids of one frame; a click on an output cell asks for that frame."""

    outputClicked = Signal(int)  # frame index

    def __init__(self, owner: ConvExplainer) -> None:
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
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Choose an example")
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
            self._label(p, px, ky - label, label, "patch", kw * b + gap * 0.8)
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
            self._label(p, qx, ky - label, label, f"products  Σ = {cell_text(psum)}", 3 * kw * b)
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
                f"showing input map {frame.channels[rows[0]]} of {len(frame.channels)}: "
                "the sum below adds every map",
            )
        # the output
        ox = x0 + tw - ex.output.shape[2] * geo["cout"]
        self._output(p, ex, t, frame, ox, y0, geo)
        self._legend(p, ex)
        p.end()

    def _legend(self, p: QPainter, ex: ConvExample) -> None:
        items = [(WINDOW, "window", True)]
        if (ex.cell_kind == PADDING).any():
            items.append((PAD_FILL, "zero padding", False))
        if (ex.cell_kind == INSERTED).any():
            items.append((INSERTED_FILL, "zeros inserted (stride)", False))
        items.append((EMPTY_FILL, "not computed yet", False))
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
            return f"δ[{c}] with zeros"
        if ex.kind == "weight_grad":
            return "input x"
        if ex.kind == "live":
            return f"x[{c}]: the input map {c}"
        return f"x[{c}]" if ex.grid.shape[0] > 1 else "input x"

    @staticmethod
    def _kernel_label(ex: ConvExample, frame, r: int) -> str:
        c = frame.channels[r]
        m = frame.out[0]
        if ex.kind == "input_grad":
            return f"rot180 W[{c}, {m}]"
        if ex.kind == "weight_grad":
            return "δ (window)"
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


class ConvExplainerPanel(Panel):
    """The convolution explainer tab: a convolution step by step, live numbers included."""

    key, title, place = "explainer", "Convolution explainer", LOWER
    needs = frozenset({"explain"})
    scrolled = True

    def build(self) -> ConvExplainer:
        return ConvExplainer()


class ConvExplainer(QWidget):
    """Step through a convolution window by window.

    Public API
    ----------
    render(snapshot)        take the live conv layers of a snapshot (``snapshot.conv_layers``)
    example_keys()          the keys that can be chosen: the seeds' examples, then
                            ``"live:<layer>"`` for each conv layer of the live network
    set_example(key)        choose one (restarts at the first window)
    example()               the :class:`ConvExample` shown (None before any)
    play(), pause(), step(), restart(), set_frame(i), frame_index()
    set_speed(steps_per_second), set_cell_by_cell(bool), revealed()
    set_live_map(o)         the output map of a live layer
    equation_text()         the sum written out, as shown under the grids
    """

    exampleChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ConvExplainer")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(
            "#ConvExplainer { background: #11151a; } "
            "#ConvExplainer QLabel, #ConvExplainer QCheckBox { color: #f4f6f8; font-size: 12pt; }"
            "#ConvExplainer QPushButton { background: #2a313a; color: #f4f6f8; font-size: 12pt;"
            " border: 1px solid #4a5562; border-radius: 5px; padding: 4px 14px; }"
            "#ConvExplainer QPushButton:hover { background: #36404b; }"
            "#ConvExplainer QPushButton:pressed { background: #ff9f1c; color: #11151a; }"
            "#ConvExplainer QComboBox, #ConvExplainer QSpinBox { background: #2a313a;"
            " color: #f4f6f8; font-size: 12pt; border: 1px solid #4a5562; border-radius: 4px;"
            " padding: 3px 8px; }"
            "#ConvExplainer QComboBox QAbstractItemView { background: #2a313a; color: #f4f6f8;"
            " selection-background-color: #ff9f1c; selection-color: #11151a; }"
        )
        self._catalogue = {ex.key: ex for ex in examples()}
        self._live: dict[str, ConvLayerData] = {}
        self._key = ""
        self._example: ConvExample | None = None
        self._frame = 0
        self._sub: int | None = None  # products revealed in the current frame (None: all)
        self._cell_by_cell = False
        self._live_map = 0
        self._channel: int | None = None

        self.combo = QComboBox()
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(18)
        self.play_button = QPushButton("▶ Play")
        self.step_button = QPushButton("Step ▸")
        self.restart_button = QPushButton("⟲ Restart")
        self.speed = QSlider(Qt.Orientation.Horizontal)
        self.speed.setRange(0, len(SPEEDS) - 1)
        self.speed.setValue(2)
        self.speed.setFixedWidth(140)
        self.speed_label = QLabel()
        self.cell_check = QCheckBox("one product at a time")
        self.map_spin = QSpinBox()
        self.map_spin.setPrefix("output map ")
        self.channel_spin = QSpinBox()
        self.channel_spin.setPrefix("input map ")
        for w in (self.play_button, self.step_button, self.restart_button):
            w.setMinimumHeight(34)

        bar = QHBoxLayout()
        bar.addWidget(self.combo, 1)
        bar.addWidget(self.play_button)
        bar.addWidget(self.step_button)
        bar.addWidget(self.restart_button)
        bar.addWidget(QLabel("speed"))
        bar.addWidget(self.speed)
        bar.addWidget(self.speed_label)
        bar.addWidget(self.cell_check)
        live = QHBoxLayout()
        live.addWidget(self.map_spin)
        live.addWidget(self.channel_spin)
        live.addStretch(1)

        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setTextFormat(Qt.TextFormat.PlainText)
        self.canvas = _Canvas(self)
        self.canvas.setMinimumHeight(300)  # below this the grids would overlap the text
        self.equation = QLabel()
        self.equation.setWordWrap(True)
        self.equation.setTextFormat(Qt.TextFormat.RichText)
        self.equation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.seed = QLabel()
        self.seed.setWordWrap(True)
        self.seed.setTextFormat(Qt.TextFormat.PlainText)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 10, 12, 10)
        lay.setSpacing(6)
        lay.addLayout(bar)
        lay.addLayout(live)
        lay.addWidget(self.title)
        lay.addWidget(self.description)
        lay.addWidget(self.canvas, 1)
        lay.addWidget(self.equation)
        lay.addWidget(self.seed)
        self._font_size = 16
        self._style_text()

        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self.play_button.clicked.connect(self._toggle)
        self.step_button.clicked.connect(self.step)
        self.restart_button.clicked.connect(self.restart)
        self.speed.valueChanged.connect(self._speed_changed)
        self.cell_check.toggled.connect(self.set_cell_by_cell)
        self.combo.currentIndexChanged.connect(self._combo_changed)
        self.map_spin.valueChanged.connect(self.set_live_map)
        self.channel_spin.valueChanged.connect(self._channel_changed)
        self.canvas.outputClicked.connect(self.set_frame)
        self._fill_combo()
        self._speed_changed(self.speed.value())
        self.set_example(next(iter(self._catalogue)))

    # ------------------------------------------------------------------ public
    def example_keys(self) -> list[str]:
        return list(self._catalogue) + [f"live:{name}" for name in self._live]

    def example(self) -> ConvExample | None:
        return self._example

    def frame_index(self) -> int:
        return self._frame

    def revealed(self) -> int | None:
        """Products of the current frame shown so far (None: all, the sum is complete)."""
        return self._sub

    def set_example(self, key: str) -> None:
        if key.startswith("live:"):
            data = self._live.get(key[5:])
            if data is None:
                raise KeyError(f"no live conv layer {key[5:]!r}")
            self._live_map = min(self._live_map, data.weight.shape[0] - 1)
            ex = live_example(data, self._live_map)
            ex.source["out_channel"] = self._live_map
        else:
            ex = self._catalogue[key]
        changed = key != self._key
        self._key = key
        self._example = ex
        if changed:
            self._channel = None
            self.restart()
        else:
            self._frame = min(self._frame, len(ex.frames) - 1)
        idx = self.combo.findData(key)
        if idx >= 0 and idx != self.combo.currentIndex():
            self.combo.blockSignals(True)
            self.combo.setCurrentIndex(idx)
            self.combo.blockSignals(False)
        self._sync_live_controls()
        self._refresh()
        if changed:
            self.exampleChanged.emit(key)

    def render(self, snapshot) -> None:
        """Take the live network's conv layers from a snapshot (made with
        ``ViewRequest(explain=True)``); a live example shown is updated in place."""
        layers = list(getattr(snapshot, "conv_layers", None) or [])
        new = {d.name: d for d in layers}
        if list(new) != list(self._live):
            self._live = new
            self._fill_combo()
        else:
            self._live = new
        if self._key.startswith("live:"):
            if self._key[5:] in self._live:
                self.set_example(self._key)
            else:
                self.set_example(next(iter(self._catalogue)))

    def play(self) -> None:
        if self._example is None:
            return
        if self._at_end():
            self.restart()
        self._timer.start()
        self.play_button.setText("❚❚ Pause")

    def pause(self) -> None:
        self._timer.stop()
        self.play_button.setText("▶ Play")

    def is_playing(self) -> bool:
        return self._timer.isActive()

    def step(self) -> None:
        """One window further (or one product, in product-at-a-time mode)."""
        ex = self._example
        if ex is None:
            return
        n = ex.frames[self._frame].products.size
        if self._sub is not None and self._sub < n:
            self._sub += 1
            if self._sub == n:
                self._sub = None
        elif self._frame + 1 < len(ex.frames):
            self._frame += 1
            self._sub = 0 if self._cell_by_cell else None
        else:
            self.pause()
        self._refresh()

    def restart(self) -> None:
        self._frame = 0
        self._sub = 0 if self._cell_by_cell else None
        self._refresh()

    def set_frame(self, index: int) -> None:
        """Jump to frame ``index`` with its sum complete."""
        if self._example is None:
            return
        self._frame = min(max(int(index), 0), len(self._example.frames) - 1)
        self._sub = None
        self._refresh()

    def set_speed(self, steps_per_second: float) -> None:
        i = int(np.argmin([abs(s - steps_per_second) for s in SPEEDS]))
        self.speed.setValue(i)

    def set_cell_by_cell(self, on: bool) -> None:
        self._cell_by_cell = bool(on)
        if self.cell_check.isChecked() != self._cell_by_cell:
            self.cell_check.setChecked(self._cell_by_cell)
        if not on:
            self._sub = None
        self._refresh()

    def set_live_map(self, o: int) -> None:
        self._live_map = max(0, int(o))
        if self._key.startswith("live:"):
            frame = self._frame
            self.set_example(self._key)
            self.set_frame(frame)

    def set_font_size(self, points: int) -> None:
        """Point size of the text under the grids (the grids scale with the widget)."""
        self._font_size = max(8, int(points))
        self._style_text()
        self._refresh()

    def channel_shown(self, frame) -> int:
        """Row (index into frame.channels) drawn when there are too many input maps."""
        if self._channel is not None and self._channel < len(frame.channels):
            return self._channel
        sums = np.abs(frame.products.reshape(len(frame.channels), -1).sum(axis=1))
        return int(np.argmax(sums)) if sums.size else 0

    def equation_text(self) -> str:
        return html.unescape(_strip_tags(self.equation.text()))

    # ------------------------------------------------------------------ internals
    def _style_text(self) -> None:
        s = self._font_size
        self.title.setStyleSheet(f"font-size: {round(s * 1.25)}pt; font-weight: 700;")
        self.description.setStyleSheet(f"font-size: {round(s * 0.85)}pt; color: #b9c3cf;")
        self.equation.setStyleSheet(f"font-size: {round(s * 1.2)}pt; font-weight: 600;")
        self.seed.setStyleSheet(f"font-size: {round(s * 0.75)}pt; color: #7cc4ff;")

    def _fill_combo(self) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        for key, ex in self._catalogue.items():
            self.combo.addItem(ex.title, key)
        for name, d in self._live.items():
            o, c = d.weight.shape[:2]
            self.combo.addItem(
                f"Live network: {name} ({c}→{o} maps, {d.weight.shape[2]}×{d.weight.shape[3]})",
                f"live:{name}",
            )
        idx = self.combo.findData(self._key)
        self.combo.setCurrentIndex(max(idx, 0))
        self.combo.blockSignals(False)

    def _combo_changed(self, index: int) -> None:
        key = self.combo.itemData(index)
        if key:
            self.set_example(key)

    def _sync_live_controls(self) -> None:
        live = self._key.startswith("live:")
        self.map_spin.setVisible(live)
        ex = self._example
        many = ex is not None and ex.grid.shape[0] > MAX_ROWS
        self.channel_spin.setVisible(bool(many))
        if live:
            data = self._live[self._key[5:]]
            self.map_spin.blockSignals(True)
            self.map_spin.setRange(0, data.weight.shape[0] - 1)
            self.map_spin.setValue(self._live_map)
            self.map_spin.blockSignals(False)
        if many:
            self.channel_spin.blockSignals(True)
            self.channel_spin.setRange(0, ex.grid.shape[0] - 1)
            self.channel_spin.blockSignals(False)

    def _channel_changed(self, c: int) -> None:
        ex = self._example
        if ex is None:
            return
        frame = ex.frames[self._frame]
        self._channel = frame.channels.index(c) if c in frame.channels else None
        self._refresh()

    def _speed_changed(self, i: int) -> None:
        sps = SPEEDS[i]
        self.speed_label.setText(f"{sps:g}/s")
        self._timer.setInterval(round(1000 / sps))

    def _toggle(self) -> None:
        if self.is_playing():
            self.pause()
        else:
            self.play()

    def _tick(self) -> None:
        self.step()
        if self._at_end():
            self.pause()

    def _at_end(self) -> bool:
        ex = self._example
        return ex is None or (self._frame == len(ex.frames) - 1 and self._sub is None)

    def _refresh(self) -> None:
        ex = self._example
        if ex is None:
            return
        self.title.setText(ex.title)
        self.description.setText(ex.description)
        self.seed.setText("Source: " + displayable(ex.seed))
        self.equation.setText(self._equation(ex))
        self.canvas.update()

    def _equation(self, ex: ConvExample) -> str:
        f = ex.frames[self._frame]
        m, i, j = f.out
        if ex.kind == "weight_grad":
            lhs = f"∂E/∂W[{i}, {j}]"
        else:
            symbol = "∂E/∂x" if ex.kind == "input_grad" else "u"
            mm = int(ex.source.get("out_channel", m)) if ex.kind == "live" else m
            lhs = f"{symbol}[{mm}, {i}, {j}]"
        prods = f.products.ravel()
        pa, ka = f.patch.ravel(), f.kernel.ravel()
        n = prods.size if self._sub is None else self._sub
        bias = ""
        if ex.kind in ("forward", "live"):
            bias = f" + b {_par(f.bias)}"
        count = f"window {self._frame + 1} of {len(ex.frames)}: "
        if prods.size <= 9:
            terms = [f"{_par(pa[k])}·{_par(ka[k])}" for k in range(n)]
            body = " + ".join(terms) if terms else "…"
        elif len(f.channels) == 1:
            top = sorted(np.argsort(-np.abs(prods[:n]), kind="stable")[:3].tolist())
            body = " + ".join(f"{_par(pa[k])}·{_par(ka[k])}" for k in top)
            body += f" + … ({n} products, Σ = {cell_text(float(prods[:n].sum()))})"
        else:
            per = f.products.reshape(len(f.channels), -1)
            terms = []
            for r in range(len(f.channels)):
                shown = int(np.clip(n - r * per.shape[1], 0, per.shape[1]))
                if shown:
                    terms.append(_par(float(per[r, :shown].sum())))
            if len(terms) > 8:
                rest = float(per[8:].sum())
                terms = [*terms[:8], f"… {_par(rest)}"]
            what = "δ map" if ex.kind == "input_grad" else "input map"
            body = (" + ".join(terms) if terms else "…") + f" (one sum per {what})"
        if self._sub is not None:
            running = float(f.running[n - 1]) if n else 0.0
            text = (
                f"{count}{lhs} = {body}{' + …' if n < prods.size else ''}"
                f"   (running sum after {n} of {prods.size}: {cell_text(running)})"
            )
        else:
            text = f"{count}{lhs} = {body}{bias} = <b>{cell_text(f.value)}</b>"
            if ex.kind == "live":
                o = int(ex.source.get("out_channel", 0))
                data = self._live.get(self._key[5:])
                if data is not None:
                    engine = float(data.u[o, i, j])
                    ok = abs(engine - f.value) <= 1e-4 * max(1.0, abs(engine))
                    mark = "✓" if ok else "✗"
                    text += (
                        f'  <span style="color: {"#5ee39a" if ok else "#ff6b7f"}">engine '
                        f"{cell_text(engine)} {mark}</span>"
                    )
        return f"<span>{html.escape(displayable(ex.formula))}</span><br>{text}"


def _par(v: float) -> str:
    s = cell_text(v)
    return f"({s})" if s.startswith("−") else s


def _strip_tags(text: str) -> str:
    import re

    return re.sub(r"<br>", "\n", re.sub(r"<(?!br>)[^>]+>", "", text))
