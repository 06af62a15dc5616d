"""How the gradient-check panel draws a report: the ``cnnviz gradcheck`` table, the verdict
above it and the line that sums up the chosen filter's heatmaps (the texts in the
``gradcheck`` translation context, as the panel's own)."""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication

from cnnviz.i18n import QT_TRANSLATE_NOOP
from cnnviz.lessons.gradient_table import GradCheckReport
from cnnviz.lessons.numbers import fmt_threshold

from ..style import CORRECT_COLOR, WRONG_COLOR

translate = QCoreApplication.translate  # extracted by pyside6-lupdate

AMBER = "#c77c00"
OK_TINT = QtGui.QColor(44, 160, 44, 48)
FAIL_TINT = QtGui.QColor(214, 39, 40, 60)
HEADERS = [
    QT_TRANSLATE_NOOP("gradcheck", "parameter"),
    QT_TRANSLATE_NOOP("gradcheck", "shape"),
    QT_TRANSLATE_NOOP("gradcheck", "entries"),
    QT_TRANSLATE_NOOP("gradcheck", "rel. error"),
    QT_TRANSLATE_NOOP("gradcheck", "result"),
]


def fill_table(
    table: QtWidgets.QTableWidget, split: QtWidgets.QSplitter, report: GradCheckReport
) -> str:
    """Fill ``table`` with the ``cnnviz gradcheck`` rows of ``report`` (widening the left side
    of ``split`` to fit it); returns the note shown under it."""
    recheck = report.recheck_eps is not None
    headers = [translate("gradcheck", h) for h in HEADERS] + (
        [f"ε = {fmt_threshold(report.recheck_eps)}"] if recheck else []
    )
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setRowCount(len(report.rows))
    bold = QtGui.QFont(table.font())
    bold.setBold(True)
    mono = QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.SystemFont.FixedFont)
    mono.setPointSizeF(table.font().pointSizeF())
    right = QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter
    centre = QtCore.Qt.AlignmentFlag.AlignCenter
    for r, row in enumerate(report.rows):
        verdict = (
            "OK"
            if row.ok
            else (translate("gradcheck", "FAIL (round-off)") if row.round_off else "FAIL")
        )
        texts = [row.key, row.shape_text, str(row.entries), f"{row.error:.2e}", verdict]
        if recheck:
            texts.append("" if row.recheck is None else f"{row.recheck:.2e}")
        color = QtGui.QColor(CORRECT_COLOR if row.ok else (AMBER if row.round_off else WRONG_COLOR))
        for c, text in enumerate(texts):
            item = QtWidgets.QTableWidgetItem(text)
            if c in (2, 3, 5):
                item.setTextAlignment(right)
                item.setFont(mono)
            elif c == 4:
                item.setTextAlignment(centre)
                item.setFont(bold)
                item.setForeground(color)
                item.setBackground(OK_TINT if row.ok else FAIL_TINT)
            if c == 3:
                item.setForeground(color)
            if c == 5 and row.recheck is not None:
                again = row.recheck <= row.threshold
                item.setForeground(QtGui.QColor(CORRECT_COLOR if again else WRONG_COLOR))
            if c == 0:
                item.setFont(bold)
            table.setItem(r, c, item)
    header = table.horizontalHeader()
    for c in range(len(headers)):
        header.setSectionResizeMode(c, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
    table.resizeColumnsToContents()
    width = sum(table.columnWidth(c) for c in range(len(headers)))
    scroll = table.verticalScrollBar().sizeHint().width()
    need = width + 2 * table.frameWidth() + scroll + 16
    table.setMinimumWidth(need)
    sizes = split.sizes()
    if sizes and sizes[0] < need + 4 and sum(sizes) > need:
        split.setSizes([need + 4, sum(sizes) - need - 4])
    header.setSectionResizeMode(len(headers) - 1, QtWidgets.QHeaderView.ResizeMode.Stretch)
    notes = [
        translate(
            "gradcheck",
            "Step {step}, {input}; up to {entries} random entries per parameter "
            "(seed {seed}); “input” is ∂E/∂x.",
        ).format(
            step=report.step,
            input=report.input_text(),
            entries=report.entries,
            seed=report.seed,
        )
    ]
    if recheck:
        notes.append(
            translate(
                "gradcheck",
                "A FAIL that passes with a larger ε is round-off (a small gradient beside a "
                "large loss), not a wrong backward pass; one that stays is a bug.",
            )
        )
    return " ".join(notes)


def verdict_texts(
    rep: GradCheckReport | None, report: GradCheckReport | None
) -> tuple[str, str] | None:
    """The verdict (rich text) and the status line of the table's report ``rep``; ``report``
    is the last report (its time is shown). None when there is no table yet."""
    if rep is None or not rep.rows:
        return None
    n = len(rep.rows)
    bad = [r for r in rep.rows if not r.ok]
    if not bad:
        head = translate("gradcheck", "✓ Backprop agrees with finite differences")
        tail = translate("gradcheck", "all {n} OK, max rel. error {worst}")
        verdict = f'<span style="color:{CORRECT_COLOR}">{head}</span> — ' + tail.format(
            n=n, worst=f"{rep.worst:.1e}"
        )
    elif all(r.round_off for r in bad):
        head = translate("gradcheck", "✗ {k} of {n} above the threshold").format(k=len(bad), n=n)
        tail = (
            translate("gradcheck", "but it passes with ε = {eps}: round-off, not backprop")
            if len(bad) == 1
            else translate("gradcheck", "but they pass with ε = {eps}: round-off, not backprop")
        )
        verdict = f'<span style="color:{AMBER}">{head}</span> — ' + tail.format(
            eps=fmt_threshold(rep.recheck_eps)
        )
    else:
        head = translate("gradcheck", "✗ Backprop disagrees: {k} of {n} FAIL").format(
            k=len(bad), n=n
        )
        tail = translate("gradcheck", "max rel. error {worst}").format(worst=f"{rep.worst:.1e}")
        verdict = f'<span style="color:{WRONG_COLOR}">{head}</span> — {tail}'
    labels = " ".join(str(int(v)) for v in rep.labels[:12])
    parts = [
        translate("gradcheck", "{architecture} at step {step}").format(
            architecture=rep.architecture, step=rep.step
        ),
        translate("gradcheck", "{input}, labels {labels}").format(
            input=rep.input_text(), labels=labels
        ),
        translate("gradcheck", "{n} parameters").format(n=f"{rep.num_params:,}".replace(",", " ")),
        f"{report.seconds:.1f} s" if report is not None else "",
    ]
    notes = "".join(f"  ({note})" for note in rep.notes)
    status = " · ".join(p for p in parts if p) + notes
    return verdict, status


def filter_text(report: GradCheckReport, rows: GradCheckReport | None, muted: str) -> str:
    """The line above the heatmaps of ``report``'s filter (rich text): its shape and how
    backprop and finite differences agree on it; ``rows`` is the report the table shows,
    ``muted`` the colour of a trivial agreement."""
    fc = report.filter
    m = float(max(np.abs(fc.analytic).max(), np.abs(fc.numeric).max()))
    c, kh, kw = fc.analytic.shape
    entries = (
        translate("gradcheck", "{shape} = {n} entries").format(
            shape=f"{c}×{kh}×{kw}", n=c * kh * kw
        )
        if c > 1
        else translate("gradcheck", "{shape} entries").format(shape=f"{kh}×{kw}")
    )
    held = (
        translate("gradcheck", ", {n} held at zero by the connection table (hatched)").format(
            n=int(fc.held.sum())
        )
        if fc.held.any()
        else ""
    )
    if m == 0:
        verdict = translate(
            "gradcheck",
            "its gradient is exactly zero for these samples (the filter's outputs never "
            "pass the ReLU), so both sides agree trivially",
        )
        color = muted
    elif fc.failed_entries:
        n = fc.failed_entries
        what = (
            translate("gradcheck", "1 entry")
            if n == 1
            else translate("gradcheck", "{n} entries").format(n=n)
        )
        numbers = {
            "what": what,
            "threshold": fmt_threshold(fc.threshold),
            "max": f"{fc.max_error:.1e}",
            "overall": f"{fc.overall_error:.1e}",
        }
        if fc.max_error <= 10 * fc.threshold and fc.overall_error <= fc.threshold:
            verdict = translate(
                "gradcheck",
                "{what} just above {threshold} (max {max}): the precision limit of finite "
                "differences; the whole filter {overall}",
            ).format(**numbers)
            color = AMBER
        else:
            verdict = translate(
                "gradcheck", "{what} above {threshold}, max {max}; the whole filter {overall}"
            ).format(**numbers)
            color = WRONG_COLOR
    else:
        verdict = translate("gradcheck", "every entry agrees: max rel. error {max}").format(
            max=f"{fc.max_error:.1e}"
        )
        color = CORRECT_COLOR
    when = (
        translate("gradcheck", " (step {step})").format(step=report.step)
        if rows is not None and rows.step != report.step
        else ""
    )
    return (
        translate("gradcheck", "{layer}, filter {k} of {n}").format(
            layer=f"<b>{fc.layer}</b>", k=fc.index + 1, n=fc.filters
        )
        + f'{when}: {entries}{held} — <span style="color:{color}">{verdict}</span>'
    )
