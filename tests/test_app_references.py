"""Help ▸ References lists every work the rules cite, with its full citation and address."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from cnnviz.app.references import show_references  # noqa: E402
from cnnviz.lessons.references import bibliography  # noqa: E402


def test_the_dialog_lists_every_reference(qtbot):
    dialog = show_references(None)
    qtbot.addWidget(dialog)
    assert dialog.isVisible() and dialog.windowTitle() == "References"
    text = dialog.text()
    for ref in bibliography():
        assert ref.short in text and ref.full in text, ref.key
        if ref.url:
            assert ref.url in text
    assert "Notes on Convolutional Neural Networks" in text and "1998" in text
    assert "seed" not in text.lower()
    dialog.close()
