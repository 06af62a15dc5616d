"""The pages of the window's tabs and docks: a panel in a scroll area, under its "?"."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from cnnviz.lessons.concepts import PANEL_CONCEPTS

from .concepts import concept_button


def scrolled(widget: QWidget) -> QScrollArea:
    """A page that scrolls when the window is too small for it (never overlaps, never cuts a
    control off)."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.NoFrame)
    area.setWidget(widget)
    return area


def with_concept(page: QWidget, concept: str | None) -> QWidget:
    """``page`` under a thin row with its "?" (Help ▸ Concepts), if it has a concept."""
    if not concept:
        return page
    box = QWidget()
    lay = QVBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(0)
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 2, 0)
    row.addStretch(1)
    row.addWidget(concept_button(PANEL_CONCEPTS[concept], box))
    lay.addLayout(row)
    lay.addWidget(page, 1)
    return box
