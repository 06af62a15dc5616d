"""The rule panel: the backprop rule of the phase just run, with the real numbers.

Made for a projector: white and bright text on a dark ground, the formula and the numbers in
large type, the check against the engine in green (or red), and the works the rule comes from
(:mod:`cnnviz.lessons.references`). Between steps it says how to get a rule on screen.

>>> panel = RulePanel()
>>> panel.render(snapshot)          # snapshot.explanation comes with ViewRequest(explain=True)
"""

from __future__ import annotations

import html
import re
from functools import cache

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from cnnviz import i18n
from cnnviz.i18n import QT_TRANSLATE_NOOP
from cnnviz.lessons.explanation import Explanation, phase_text
from cnnviz.lessons.numbers import num
from cnnviz.live.snapshot import sample_wording

from .registry import LOWER, Panel

CONTEXT = "rules"
HINT = QT_TRANSLATE_NOOP("rules", "Step a phase (Shift+→) to see the rule applied")
INTRO = QT_TRANSLATE_NOOP(
    "rules",
    "Each phase of the training step applies one rule of backpropagation: forward "
    "layer by layer, the loss, δ backward layer by layer, then the update. "
    "The rule is shown here with the numbers of the selected sample.",
)
NO_FONT = QT_TRANSLATE_NOOP(
    "rules",
    "No Chinese font is installed: install the package fonts-noto-cjk "
    "(sudo apt install fonts-noto-cjk) and restart cnnviz.",
)
BACKGROUND = "#11151a"
TEXT = "#f4f6f8"
DIM = "#b9c3cf"
FORMULA = "#ffd866"
GOOD = "#5ee39a"
BAD = "#ff6b7f"
ACCENT = "#7cc4ff"
MAX_TERMS = 12
SERIF = "DejaVu Serif"
SANS = "DejaVu Sans"

_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"


@cache
def _has_cjk_font() -> bool:
    try:
        return bool(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))
    except Exception:  # noqa: BLE001 - no font database (no GUI application): assume none
        return False


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def displayable(text: str) -> str:
    """``text`` without Chinese section names when no installed font can draw them (they
    would show as empty boxes); the English around them says the same. Under Chinese, where
    nothing would be left, the one line naming the font package instead."""
    if _has_cjk_font() or not re.search(f"[{_CJK}]", text):
        return text
    if i18n.current_language() != i18n.SOURCE_LANGUAGE:
        return QCoreApplication.translate("rules", NO_FONT)
    text = re.sub(f"\\s*“[^”]*[{_CJK}][^”]*”", "", text)
    text = re.sub(f"\\s*\\([^)]*[{_CJK}][^)]*\\)", "", text)
    text = re.sub(f"[{_CJK}]+", "", text)
    return re.sub(r"\s+([,;:])", r"\1", text).strip()


def _esc(text: str) -> str:
    return html.escape(displayable(text))


RULE_POINTS = 18  # the rule's base size at scale 1


class RulesPanel(Panel):
    """The backprop rule tab: the rule of the phase just run, with its live numbers."""

    key, place = "rules", LOWER
    title = QT_TRANSLATE_NOOP("Panels", "Backprop rule")
    concept = "rules"
    needs = frozenset({"explain"})

    def build(self) -> RulePanel:
        return RulePanel()

    def set_scale(self, factor: float) -> None:
        self.widget.set_font_size(round(RULE_POINTS * factor))


class RulePanel(QWidget):
    """Shows :class:`~cnnviz.lessons.explanation.Explanation` of the phase just run.

    Public API: :meth:`render` (a snapshot), :meth:`show_explanation` (an explanation
    directly), :meth:`set_font_size` (base point size; everything scales from it),
    :meth:`text` (all text shown, for tests and copying).
    """

    def __init__(self, parent: QWidget | None = None, font_size: int = 18) -> None:
        super().__init__(parent)
        self.setObjectName("rules")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"#RulePanel {{ background: {BACKGROUND}; }}")
        self._size = font_size
        self._explanation: Explanation | None = None
        self._header = ""

        inner = QWidget()
        inner.setObjectName("RuleInner")
        inner.setStyleSheet(f"#RuleInner {{ background: {BACKGROUND}; }}")
        lay = QVBoxLayout(inner)
        lay.setContentsMargins(22, 16, 22, 16)
        lay.setSpacing(10)
        self.header = self._label(lay)
        self.title = self._label(lay)
        self.formula = self._label(lay)
        self.instance = self._label(lay)
        self.check = self._label(lay)
        self.where = self._label(lay)
        self.terms = self._label(lay)
        self.note = self._label(lay)
        self.others = self._label(lay)
        self.source = self._label(lay)
        lay.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setStyleSheet(
            f"QScrollArea {{ background: {BACKGROUND}; border: none; }}"
            f"QScrollBar:vertical {{ background: {BACKGROUND}; width: 10px; }}"
            "QScrollBar::handle:vertical { background: #3a434d; border-radius: 4px; }"
            "QScrollBar::add-line, QScrollBar::sub-line { height: 0; }"
        )
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.setMinimumSize(360, 240)
        self._show()

    @staticmethod
    def _label(lay: QVBoxLayout) -> QLabel:
        w = QLabel()
        w.setWordWrap(True)
        w.setTextFormat(Qt.TextFormat.RichText)
        w.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        w.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        lay.addWidget(w)
        return w

    # ------------------------------------------------------------------ public
    def set_font_size(self, points: int) -> None:
        """Base size in points (18 by default; 24 or more for a large hall)."""
        self._size = max(8, int(points))
        self._show()

    def render(self, snapshot) -> None:
        """Show the explanation a snapshot carries, or the hint between steps."""
        if snapshot is None:
            self.show_explanation(None)
            return
        ex = snapshot.explanation
        total = len(snapshot.phases)
        done = snapshot.phase_position or (total if ex is not None else 0)
        label = (
            ex.phase if ex is not None else snapshot.last_phase and phase_text(snapshot.last_phase)
        )
        if done:
            header = QCoreApplication.translate("rules", "Phase {done} of {total}").format(
                done=done, total=total
            )
        else:
            header = QCoreApplication.translate("rules", "Between steps")
        if label:
            header += f"  ·  {label}"
        if snapshot.batch_size:
            header += f"  ·  {sample_wording(snapshot)}"
        self.show_explanation(ex, header)

    def show_explanation(self, ex: Explanation | None, header: str = "") -> None:
        self._explanation = ex
        self._header = header
        self._show()

    def explanation(self) -> Explanation | None:
        return self._explanation

    def text(self) -> str:
        """The plain text of everything shown."""
        parts = [self.header, self.title, self.formula, self.instance, self.check, self.where]
        parts += [self.terms, self.note, self.others, self.source]
        out = []
        for w in parts:
            if w.isVisible() or not self.isVisible():
                t = re.sub(r"<[^>]+>", " ", w.text())
                t = html.unescape(re.sub(r"\s+", " ", t)).strip()
                if t:
                    out.append(t)
        return "\n".join(out)

    # ------------------------------------------------------------------ drawing
    def _css(self, scale: float, color: str = TEXT, weight: int = 400, family: str = "") -> str:
        fam = f"font-family: '{family}';" if family else ""
        size = round(self._size * scale)
        return f"color: {color}; font-size: {size}pt; font-weight: {weight}; {fam}"

    def _set(self, label: QLabel, content: str, css: str) -> None:
        label.setVisible(bool(content))
        label.setText(f'<div style="{css}">{content}</div>' if content else "")

    def _show(self) -> None:
        ex = self._explanation
        self._set(self.header, _esc(self._header), self._css(0.75, DIM, 600))
        if ex is None:
            for w in (self.formula, self.check, self.where, self.terms, self.note, self.others):
                self._set(w, "", "")
            self._set(self.title, _esc(_tr(HINT)), self._css(1.35, TEXT, 700))
            self._set(self.instance, _esc(_tr(INTRO)), self._css(0.85, DIM))
            self._set(self.source, "", "")
            return
        self._set(self.title, _esc(ex.title), self._css(1.3, TEXT, 700))
        self._set(self.formula, self._formula(ex.formula), self._css(1.45, FORMULA, 500, SERIF))
        self._set(self.instance, _esc(ex.instance), self._css(1.35, TEXT, 600))
        ok = ex.agrees
        mark = "✓" if ok else "✗"
        verdict = (
            QCoreApplication.translate("rules", "agrees")
            if ok
            else QCoreApplication.translate("rules", "differs")
        )
        self._set(
            self.check,
            QCoreApplication.translate(
                "rules", "result {value} &nbsp;·&nbsp; engine {engine} &nbsp;{verdict}"
            ).format(
                value=f"<b>{_esc(num(ex.value, 6))}</b>",
                engine=f"<b>{_esc(num(ex.engine_value, 6))}</b>",
                verdict=f'<span style="color:{GOOD if ok else BAD}">{mark} {verdict}</span>',
            ),
            self._css(1.1, ACCENT, 500),
        )
        self._set(
            self.where,
            _esc(
                QCoreApplication.translate("rules", "at {position}: {where}").format(
                    position=_pos(ex.position), where=ex.where
                )
            ),
            self._css(0.8, DIM),
        )
        self._set(self.terms, self._terms_table(ex), self._css(0.85, TEXT))
        self._set(self.note, _esc(ex.note), self._css(0.85, DIM))
        self._set(self.others, self._others(ex), self._css(0.85, TEXT))
        self._set(
            self.source,
            QCoreApplication.translate("rules", "Source: ") + _esc(ex.cite),
            self._css(0.75, ACCENT),
        )

    def _formula(self, formula: str) -> str:
        """One equation per line; a trailing ``   (comment)`` in smaller, dimmer type."""
        lines = []
        for part in re.split(r"[;,]\s{3}", formula):
            main, sep, comment = part.partition("   (")
            line = _esc(main.strip())
            if sep:
                line += (
                    f'<br><span style="{self._css(0.8, DIM, 400, SANS)}">'
                    f"({_esc(comment.strip())}</span>"
                )
            lines.append(line)
        return "<br>".join(lines)

    def _terms_table(self, ex: Explanation) -> str:
        rows = ex.terms[:MAX_TERMS]
        if not rows:
            return ""
        cells = "".join(
            f'<tr><td style="padding: 1px 18px 1px 0; color: {DIM}">{_esc(name)}</td>'
            f'<td align="right"><b>{_esc(num(v))}</b></td></tr>'
            for name, v in rows
        )
        more = (
            f'<tr><td style="color: {DIM}">'
            + QCoreApplication.translate("rules", "… {n} more").format(n=len(ex.terms) - MAX_TERMS)
            + "</td></tr>"
            if len(ex.terms) > MAX_TERMS
            else ""
        )
        return f'<table cellspacing="0">{cells}{more}</table>'

    def _others(self, ex: Explanation) -> str:
        if not ex.also:
            return ""
        items = []
        for o in ex.also:
            mark = f'<span style="color: {GOOD if o.agrees else BAD}">{"✓" if o.agrees else "✗"}'
            items.append(
                f'<p style="margin: 6px 0"><b>{_esc(o.title)}</b><br>'
                f'<span style="color: {FORMULA}">{_esc(o.formula)}</span><br>'
                f"{_esc(o.instance)} &nbsp;{mark}</span></p>"
            )
        also = QCoreApplication.translate("rules", "Also in this phase:")
        return f'<div style="color: {DIM}">{also}</div>' + "".join(items)


def _pos(position: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(p) for p in position) + "]"
