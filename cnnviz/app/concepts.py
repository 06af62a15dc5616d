"""Help ▸ Concepts: a page per idea of the lecture, the pages listed on the left.

The pages and their illustrations come from :mod:`cnnviz.lessons.concepts` (no Qt); this
module only draws them: the text as rich text (the equations in Unicode), each illustration
as small coloured grids with their numbers, in the colours the maps of the app use
(:mod:`cnnviz.app.colors`: blue–white–red about zero for signed quantities, viridis for
activations). Everything is sized from the font, so a ``scale`` (presentation mode) enlarges
text and grids alike; the page scrolls vertically and its grids wrap onto new lines, so
nothing is cut off on a 1024×768 projector.

>>> show_concept(window, "sensitivity")          # opens (or raises) the dialog at a page
>>> button = concept_button("argmax-mask", panel)  # a "?" that does the same
"""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from cnnviz.i18n import QT_TRANSLATE_NOOP
from cnnviz.lessons.conceptfigures import Grid, Illustration
from cnnviz.lessons.concepts import CONCEPTS, Concept, concept
from cnnviz.lessons.numbers import cell_text, num

from .colors import is_signed, lut
from .panels.rules import displayable
from .widgets.flow import FlowLayout

translate = QCoreApplication.translate  # extracted by pyside6-lupdate

TITLE = QT_TRANSLATE_NOOP("concepts", "Concepts")
MASK_ON, MASK_OFF = QColor("#ffb300"), QColor("#eceff1")
RING = QColor("#111111")
EQUATION_BG = "#f1f4f8"
MUTED = "#5d6873"


def _font(base: QFont, factor: float, bold: bool = False) -> QFont:
    f = QFont(base)
    f.setPointSizeF(max(base.pointSizeF(), 9.0) * factor)
    f.setBold(bold)
    return f


class ConceptGrid(QWidget):
    """One :class:`~cnnviz.lessons.conceptfigures.Grid`: its label, then its cells coloured
    as the app colours that kind of map, each with its number; ringed cells outlined."""

    def __init__(self, grid: Grid, scale: float = 1.0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = grid
        self.label_font = _font(self.font(), 0.95 * scale, bold=True)
        self.number_font = _font(self.font(), 0.85 * scale)
        fm = QFontMetrics(self.number_font)
        texts = [cell_text(v) for v in grid.values.ravel()]
        self.cell_h = round(fm.height() * 1.9)
        self.cell_w = max(self.cell_h, max(fm.horizontalAdvance(t) for t in texts) + fm.height())
        self.label_h = QFontMetrics(self.label_font).height() + 4
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setToolTip(self._tooltip())  # over the label; a cell shows its own value

    def _tooltip(self) -> str:
        v = self.grid.values
        signed = translate("concepts", " (signed: white is 0)") if is_signed(self.grid.kind) else ""
        size = f"{v.shape[0]}×{v.shape[1]}"
        span = translate("concepts", "from {lo} to {hi}").format(lo=num(v.min()), hi=num(v.max()))
        return f"{self.grid.label}: {size}, {span}{signed}"

    def cell_at(self, pos: QPoint) -> tuple[int, int] | None:
        """The (row, column) of the cell under ``pos`` (widget coordinates), or None."""
        r, c = (pos.y() - self.label_h) // self.cell_h, (pos.x() - 1) // self.cell_w
        rows, cols = self.grid.values.shape
        return (r, c) if pos.y() >= self.label_h and 0 <= r < rows and 0 <= c < cols else None

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            cell = self.cell_at(event.pos())
            if cell is not None:
                value = num(self.grid.values[cell], 6)
                QToolTip.showText(event.globalPos(), f"{self.grid.label} [{cell[0]}, {cell[1]}] "
                                  f"= {value}", self)  # fmt: skip
                return True
        return super().event(event)

    def grid_size(self) -> QSize:
        rows, cols = self.grid.values.shape
        return QSize(cols * self.cell_w, rows * self.cell_h)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        g = self.grid_size()
        label_w = QFontMetrics(self.label_font).horizontalAdvance(self.grid.label) + 2
        return QSize(max(g.width(), label_w) + 2, g.height() + self.label_h + 2)

    minimumSizeHint = sizeHint  # noqa: N815 - Qt API

    def colours(self) -> list[list[QColor]]:
        """The colour of every cell, as the app's maps would colour these values."""
        v = np.asarray(self.grid.values, dtype=np.float64)
        if self.grid.kind == "mask":
            return [[MASK_ON if x else MASK_OFF for x in row] for row in v]
        if is_signed(self.grid.kind):
            m = float(np.abs(v).max()) or 1.0
            norm = 0.5 + 0.5 * v / m
        else:
            lo = min(0.0, float(v.min()))
            span = (float(v.max()) - lo) or 1.0
            norm = (v - lo) / span
        table = lut(self.grid.kind)
        idx = np.clip(np.rint(norm * 255), 0, 255).astype(int)
        return [[QColor(*map(int, table[i][:3])) for i in row] for row in idx]

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        p.setFont(self.label_font)
        p.setPen(self.palette().windowText().color())
        p.drawText(QRect(0, 0, self.width(), self.label_h), Qt.AlignmentFlag.AlignLeft,
                   self.grid.label)  # fmt: skip
        p.setFont(self.number_font)
        y0 = self.label_h
        cw, ch = self.cell_w, self.cell_h
        ring = self.grid.ring
        for r, row in enumerate(self.colours()):
            for c, colour in enumerate(row):
                cell = QRect(1 + c * cw, y0 + r * ch, cw, ch)
                p.fillRect(cell, colour)
                light = 0.299 * colour.red() + 0.587 * colour.green() + 0.114 * colour.blue()
                p.setPen(QColor("#000000") if light > 140 else QColor("#ffffff"))
                p.drawText(cell, Qt.AlignmentFlag.AlignCenter, cell_text(self.grid.values[r, c]))
        p.setPen(QPen(QColor("#b0b8c0"), 1))
        p.drawRect(QRect(1, y0, len(row) * cw - 1, (r + 1) * ch - 1))
        if ring is not None:
            p.setPen(QPen(RING, max(2, ch // 12)))
            for r, c in zip(*np.nonzero(ring), strict=True):
                p.drawRect(QRect(1 + int(c) * cw + 1, y0 + int(r) * ch + 1, cw - 3, ch - 3))
        p.end()


class IllustrationView(QWidget):
    """An illustration: its rows of grids (each wrapping when narrow) and its caption."""

    def __init__(self, ill: Illustration, scale: float = 1.0, parent=None) -> None:
        super().__init__(parent)
        self.grids: list[ConceptGrid] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(round(10 * scale))
        op_font = _font(self.font(), 1.6 * scale, bold=True)
        for row in ill.rows:
            holder = QWidget()
            flow = FlowLayout(holder, spacing=round(10 * scale))
            for g in row:
                piece = QWidget()
                h = QHBoxLayout(piece)
                h.setContentsMargins(0, 0, 0, 0)
                h.setSpacing(round(6 * scale))
                if g.op:
                    op = QLabel(g.op)
                    op.setFont(op_font)
                    h.addWidget(op, 0, Qt.AlignmentFlag.AlignVCenter)
                view = ConceptGrid(g, scale)
                self.grids.append(view)
                h.addWidget(view)
                piece.setFixedSize(piece.sizeHint())
                flow.add(piece)
            sp = holder.sizePolicy()
            sp.setHeightForWidth(True)
            holder.setSizePolicy(sp)
            lay.addWidget(holder)
        self.caption = QLabel(ill.caption)
        self.caption.setWordWrap(True)
        self.caption.setFont(_font(self.font(), 0.95 * scale))
        self.caption.setStyleSheet(f"color: {MUTED};")
        lay.addWidget(self.caption)


def page_html(page: Concept) -> tuple[str, str, str]:
    """The page's text as three rich-text blocks: the paragraphs, the equations, and the
    panels and sources (shown below the illustration)."""
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in page.paragraphs)
    eqs = "<br>".join(html.escape(e) for e in page.equations)
    equations = (
        f"<table width='100%' cellpadding='8' bgcolor='{EQUATION_BG}'><tr><td>"
        f"<span style='font-family: \"DejaVu Serif\", serif'>{eqs}</span></td></tr></table>"
    )
    where = "".join(
        f"<li><b>{html.escape(p)}</b>: {html.escape(what)}</li>" for p, what in page.panels
    )
    cites = html.escape(displayable(page.citation.shown()))
    see = translate("concepts", "Where to see it in cnnviz")
    sources = translate("concepts", "Sources:")
    full = translate("concepts", "(Help ▸ References has the full citations)")
    tail = (
        f"<p><b>{see}</b></p><ul style='margin-left: -20px'>{where}</ul>"
        f"<p style='color: {MUTED}'><b>{sources}</b> {cites} {full}</p>"
    )
    return paras, equations, tail


class ConceptsDialog(QDialog):
    """The list of pages on the left, the chosen page (scrolling) on the right."""

    def __init__(self, parent: QWidget | None = None, scale: float = 1.0) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("concepts", TITLE))
        self.setModal(False)
        self.scale = float(scale)
        self._key = next(iter(CONCEPTS))
        self.pages = QListWidget()
        for key in CONCEPTS:
            self.pages.addItem(concept(key).short)
        self.pages.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.pages.setStyleSheet("QListWidget::item { padding: 0.25em 0.3em; }")
        self.pages.currentRowChanged.connect(self._row_changed)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # always there: the page's width (and so its wrapped height) does not change with it
        self.scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.references_button = QPushButton(translate("concepts", "References…"))
        self.references_button.clicked.connect(self._show_references)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons = buttons
        buttons.addButton(self.references_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        body = QHBoxLayout()
        body.addWidget(self.pages)
        body.addWidget(self.scroll, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(body, 1)
        lay.addWidget(buttons)
        self.content: QWidget | None = None
        self.set_scale(self.scale)

    # ---------------------------------------------------------------- pages
    def show_page(self, key: str) -> None:
        """Show page ``key`` (``KeyError`` for an unknown key) and select it in the list."""
        concept(key)
        self._key = key
        row = list(CONCEPTS).index(key)
        if self.pages.currentRow() != row:
            self.pages.setCurrentRow(row)  # builds the page through _row_changed
        else:
            self._build_page()

    def current_key(self) -> str:
        return self._key

    def page_text(self) -> str:
        """The plain text of the page shown (title, paragraphs, …, caption)."""
        if self.content is None:
            return ""
        return "\n".join(w.text() for w in self.content.findChildren(QLabel) if w.text())

    def _row_changed(self, row: int) -> None:
        if 0 <= row < len(CONCEPTS):
            self._key = list(CONCEPTS)[row]
            self._build_page()

    def _build_page(self) -> None:
        page = concept(self._key)
        s = self.scale
        content = QWidget()
        lay = QVBoxLayout(content)
        m = round(10 * s)
        lay.setContentsMargins(m, m // 2, m, m)
        lay.setSpacing(round(8 * s))
        title = QLabel(page.title)
        title.setWordWrap(True)
        title.setFont(_font(self.font(), 1.45 * s, bold=True))
        lay.addWidget(title)
        paras, equations, tail = page_html(page)
        for text in (paras, equations):
            lay.addWidget(self._rich(text))
        self.illustration = IllustrationView(page.illustration(), s)
        lay.addWidget(self.illustration)
        lay.addWidget(self._rich(tail))
        lay.addStretch(1)
        self.content = content
        self.scroll.setWidget(content)
        self.scroll.verticalScrollBar().setValue(0)
        self.setWindowTitle(translate("concepts", TITLE) + f": {page.short}")

    def _rich(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        label.setFont(_font(self.font(), 1.05 * self.scale))
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    # ---------------------------------------------------------------- size
    def set_scale(self, scale: float) -> None:
        """Scale every text and grid by ``scale`` (1 normal, e.g. 1.6 in presentation mode),
        then fit the dialog to the screen."""
        self.scale = float(scale)
        font = _font(self.font(), self.scale)
        self.pages.setFont(font)
        fm = QFontMetrics(font)
        widest = max(fm.horizontalAdvance(concept(k).short) for k in CONCEPTS)
        self.pages.setFixedWidth(widest + fm.height() * 2)
        for b in self.buttons.buttons():
            b.setFont(font)
        self._build_page()
        self.fit_to_screen()

    def fit_to_screen(self, available: QRect | None = None) -> None:
        """A size that suits the text (about 60 characters a line on the right), never larger
        than ``available`` (the screen's available area by default), centred on it."""
        if available is None:
            screen = self.screen() or QApplication.primaryScreen()
            available = screen.availableGeometry()
        fm = QFontMetrics(_font(self.font(), 1.05 * self.scale))
        want = QSize(self.pages.width() + fm.averageCharWidth() * 84 + 60, fm.height() * 44)
        frame = self.frameGeometry().size() - self.geometry().size()
        room = available.size() - frame - QSize(16, 16)
        size = want.boundedTo(room)
        self.setMinimumSize(QSize(min(320, room.width()), min(240, room.height())))
        self.resize(size)
        self.move(available.center() - QPoint(size.width() // 2, size.height() // 2))

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        """Follow the application's font (presentation mode may enlarge it)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and self.content is not None:
            self.set_scale(self.scale)

    def _show_references(self) -> None:
        from .references import show_references

        show_references(self)


def show_concept(
    parent: QWidget | None = None, key: str | None = None, scale: float | None = None
) -> ConceptsDialog:
    """Open Help ▸ Concepts at page ``key`` (the page shown last when None): one dialog per
    parent, non-modal, reused (raised if already open). ``scale`` changes its text size."""
    dialog = getattr(parent, "_concepts_dialog", None) if parent is not None else _shared[0]
    if dialog is None:
        dialog = ConceptsDialog(parent, scale if scale is not None else 1.0)
        if parent is not None:
            parent._concepts_dialog = dialog
        else:
            _shared[0] = dialog
    elif scale is not None and scale != dialog.scale:
        dialog.set_scale(scale)
    if key is not None:
        dialog.show_page(key)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


_shared: list[ConceptsDialog | None] = [None]


def concept_button(key: str, parent: QWidget | None = None) -> QToolButton:
    """A small "?" button that opens page ``key`` of Help ▸ Concepts (for a panel's header)."""
    page = concept(key)
    button = QToolButton(parent)
    button.setText("?")
    button.setAutoRaise(True)
    button.setToolTip(translate("concepts", "Help ▸ Concepts: {page}").format(page=page.title))
    button.setAccessibleName(translate("concepts", "Concepts: {page}").format(page=page.short))
    button.clicked.connect(lambda: show_concept(button.window(), key))
    return button
