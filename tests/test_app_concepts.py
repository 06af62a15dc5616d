"""Help ▸ Concepts in Qt: the dialog lists every page, show_concept opens the right one and
reuses the dialog, a "?" button opens its page, the grids use the app's colour maps, and at
1024×768 (normal and presentation scale) the dialog fits and every page's content can be
reached: nothing wider than the page, every label as tall as its text needs, the rest
within the vertical scroll."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QPoint, QRect, Qt  # noqa: E402
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget  # noqa: E402

from cnnviz.app.colors import lut  # noqa: E402
from cnnviz.app.concepts import (  # noqa: E402
    ConceptGrid,
    ConceptsDialog,
    concept_button,
    show_concept,
)
from cnnviz.lessons.conceptfigures import Grid  # noqa: E402
from cnnviz.lessons.concepts import CONCEPTS, concept  # noqa: E402

PROJECTOR = QRect(0, 0, 1024, 768)
WIDE_PROJECTOR = QRect(0, 0, 1280, 720)


@pytest.fixture
def window(qtbot):
    w = QWidget()
    w.resize(400, 300)
    qtbot.addWidget(w)
    yield w
    d = getattr(w, "_concepts_dialog", None)
    if d is not None:
        d.close()


def _title(dialog: ConceptsDialog) -> str:
    return dialog.content.findChildren(QLabel)[0].text()


def test_the_dialog_lists_every_page_in_order(qtbot):
    d = ConceptsDialog()
    qtbot.addWidget(d)
    names = [d.pages.item(i).text() for i in range(d.pages.count())]
    assert names == [p.short for p in CONCEPTS.values()]
    assert d.current_key() == "net-input" and _title(d) == concept("net-input").title
    d.pages.setCurrentRow(4)
    assert d.current_key() == "argmax-mask" and _title(d) == concept("argmax-mask").title
    assert "argmax" in d.page_text() and "Where to see it in cnnviz" in d.page_text()


def test_show_concept_opens_the_page_asked_for_and_reuses_one_dialog(qtbot, window):
    d = show_concept(window, "sensitivity")
    qtbot.waitUntil(d.isVisible)
    assert not d.isModal() and d.current_key() == "sensitivity"
    assert d.pages.currentRow() == list(CONCEPTS).index("sensitivity")
    assert _title(d) == "The sensitivity δ = ∂E/∂u"
    again = show_concept(window, "momentum")
    assert again is d and _title(d) == concept("momentum").title
    d.close()
    assert show_concept(window) is d and d.current_key() == "momentum" and d.isVisible()
    with pytest.raises(KeyError, match="no concept page"):
        show_concept(window, "no-such-idea")


def test_a_question_mark_button_opens_its_page(qtbot, window):
    lay = QVBoxLayout(window)
    button = concept_button("full-convolution", window)
    lay.addWidget(button)
    window.show()
    assert button.text() == "?" and "full convolution" in button.toolTip()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    d = window._concepts_dialog
    qtbot.waitUntil(d.isVisible)
    assert d.current_key() == "full-convolution"


def test_grids_use_the_apps_colour_maps(qtbot):
    values = np.array([[-2.0, 0.0, 2.0]])
    signed = ConceptGrid(Grid("δ", values, "delta"))
    qtbot.addWidget(signed)
    colours = signed.colours()[0]
    table = lut("delta")
    assert colours[0].getRgb()[:3] == tuple(int(c) for c in table[0][:3])  # −max: blue end
    assert colours[2].getRgb()[:3] == tuple(int(c) for c in table[255][:3])  # +max: red end
    assert colours[1].getRgb()[:3] == tuple(int(c) for c in table[128][:3])  # 0: the middle
    assert colours[2].red() > colours[2].blue() and colours[0].blue() > colours[0].red()
    assert signed.cell_at(QPoint(2 + 2 * signed.cell_w, signed.label_h + 2)) == (0, 2)
    assert signed.cell_at(QPoint(2, 1)) is None  # the label
    act = ConceptGrid(Grid("f(u)", np.array([[0.0, 1.0, 4.0]]), "activation"))
    qtbot.addWidget(act)
    viridis = lut("activation")
    got = [c.getRgb()[:3] for c in act.colours()[0]]
    assert got[0] == tuple(int(c) for c in viridis[0][:3])
    assert got[2] == tuple(int(c) for c in viridis[255][:3])


def test_the_text_scales_with_the_factor(qtbot):
    small, large = ConceptsDialog(scale=1.0), ConceptsDialog(scale=1.6)
    qtbot.addWidget(small)
    qtbot.addWidget(large)
    a = small.content.findChildren(QLabel)[0].font().pointSizeF()
    b = large.content.findChildren(QLabel)[0].font().pointSizeF()
    assert b == pytest.approx(1.6 * a)
    ga, gb = small.illustration.grids[0], large.illustration.grids[0]
    assert gb.cell_h > 1.4 * ga.cell_h
    large.set_scale(1.0)
    assert large.content.findChildren(QLabel)[0].font().pointSizeF() == pytest.approx(a)


def _inside(widget: QWidget, content: QWidget) -> QRect:
    top_left = widget.mapTo(content, QPoint(0, 0))
    return QRect(top_left, widget.size())


@pytest.mark.parametrize("screen", [PROJECTOR, WIDE_PROJECTOR], ids=["1024x768", "1280x720"])
@pytest.mark.parametrize("scale", [1.0, 1.6])
def test_on_a_projector_the_dialog_fits_and_every_page_can_be_read(qtbot, scale, screen):
    d = ConceptsDialog(scale=scale)
    qtbot.addWidget(d)
    d.fit_to_screen(screen)
    d.show()
    qtbot.waitExposed(d)
    assert screen.contains(d.frameGeometry())
    # the list of pages: every name whole, none needing a scroll
    view = d.pages.viewport().rect()
    fm = d.pages.fontMetrics()
    for i in range(d.pages.count()):
        rect = d.pages.visualItemRect(d.pages.item(i))
        assert view.contains(rect), d.pages.item(i).text()
        assert fm.horizontalAdvance(d.pages.item(i).text()) <= rect.width()
    for key in CONCEPTS:
        d.show_page(key)
        qtbot.waitUntil(lambda: d.content.isVisible())
        content = d.content
        viewport = d.scroll.viewport()
        assert content.width() <= viewport.width(), key  # no horizontal clipping
        bar = d.scroll.verticalScrollBar()
        assert bar.maximum() >= content.height() - viewport.height(), key
        area = content.rect()
        for label in content.findChildren(QLabel):
            if not label.text():
                continue
            r = _inside(label, content)
            assert area.contains(r), (key, label.text()[:40])
            if label.wordWrap():
                assert label.height() >= label.heightForWidth(label.width()), (key, label.text())
            else:
                assert label.width() >= label.sizeHint().width(), (key, label.text())
        grids = d.illustration.grids
        assert len(grids) == len(concept(key).illustration().grids())
        for g in grids:
            assert g.isVisible(), (key, g.grid.label)
            assert area.contains(_inside(g, content)), (key, g.grid.label)
            assert g.width() >= g.sizeHint().width() and g.height() >= g.sizeHint().height()
        # the bottom of the page can be scrolled to
        bar.setValue(bar.maximum())
        last = [w for w in content.findChildren(QLabel) if w.text()][-1]
        bottom = last.mapTo(viewport, QPoint(0, last.height()))
        assert bottom.y() <= viewport.height(), key


def test_the_dialog_follows_the_application_font(qtbot):
    from PySide6.QtWidgets import QApplication

    d = ConceptsDialog()
    qtbot.addWidget(d)
    before = d.content.findChildren(QLabel)[0].font().pointSizeF()
    app_font = QApplication.font()
    bigger = type(app_font)(app_font)
    bigger.setPointSizeF(app_font.pointSizeF() * 1.5)
    try:
        QApplication.setFont(bigger)
        qtbot.waitUntil(lambda: d.content.findChildren(QLabel)[0].font().pointSizeF() > before)
    finally:
        QApplication.setFont(app_font)
    qtbot.waitUntil(lambda: d.content.findChildren(QLabel)[0].font().pointSizeF() == before)
