"""Help ▸ Concepts in Chinese under zh_CN: every page's title, paragraphs, equations, panels,
sources and illustration (its grid labels and caption), and the overview's layer tooltips,
leave no English word (beyond symbols, function names and the works' authors); the
illustration's numbers are the English page's; English is unchanged."""

from __future__ import annotations

import re

import pytest
from test_i18n import CJK, english_words

from cnnviz import i18n
from cnnviz.lessons.concepts import (
    CONCEPTS,
    concept,
    concept_keys,
    describe_layer,
    layer_tooltip,
)
from cnnviz.training.architectures import build_network

# beyond test_i18n's allow-list: a work's own section titles, which the translation quotes as
# the work wrote them (Han 2017: “Max Pooling误差项的传递”, “卷积层filter权重梯度的计算”),
# the engine's class names and the names of the colour scale, the one-hot code and the units
NAMES = {"Pooling", "Mean", "Max", "Conv2D", "viridis", "one", "hot", "RBF", "Victor", "PyTorch"}


def left(text: str) -> list[str]:
    return [w for w in english_words(text) if w not in NAMES]


@pytest.fixture
def zh():
    i18n.set_language("zh_CN")
    yield
    i18n.set_language(None)


@pytest.mark.parametrize("key", concept_keys())
def test_every_concept_page_is_chinese(zh, key):
    page = concept(key)
    ill = page.illustration()
    texts = [page.short, page.title, *page.paragraphs, *page.equations, ill.caption]
    texts += [f"{p}: {what}" for p, what in page.panels]
    texts += [page.citation.shown(), page.text()]
    texts += [g.label for row in ill.rows for g in row]
    assert {t: left(t) for t in texts if left(t)} == {}
    assert all(CJK.search(t) for t in (page.title, *page.paragraphs, ill.caption))


@pytest.mark.parametrize("key", concept_keys())
def test_a_chinese_page_has_the_english_pages_numbers_and_shape(zh, key):
    zh_page = concept(key)
    zh_ill = zh_page.illustration()
    i18n.set_language("en")
    en_page = concept(key)
    en_ill = en_page.illustration()
    assert en_page == CONCEPTS[key]  # English: the page as written
    assert len(zh_page.paragraphs) == len(en_page.paragraphs)
    assert [len(r) for r in zh_ill.rows] == [len(r) for r in en_ill.rows]
    for zr, er in zip(zh_ill.rows, en_ill.rows, strict=True):
        for zg, eg in zip(zr, er, strict=True):
            assert (zg.values == eg.values).all() and zg.kind == eg.kind and zg.op == eg.op
    numbers = set(re.findall(r"−?\d+(?:\.\d+)?", en_ill.caption))
    assert numbers <= set(re.findall(r"−?\d+(?:\.\d+)?", zh_ill.caption))


@pytest.mark.parametrize("arch", ["lenet5-1998", "every-layer"])
def test_layer_tooltips_are_chinese(zh, arch):
    net = build_network(arch, (1, 28, 28), 10, seed=0)
    names = {w for layer in net.layers for w in layer.name.replace(".", " ").split()}
    for i, layer in enumerate(net.layers):
        for rich in (True, False):
            tip = layer_tooltip(net, i, rich)
            assert [w for w in left(tip) if w not in names] == [], (layer.name, tip)
        assert CJK.search(layer_tooltip(net, i)) or not layer.describe().isalpha(), layer.name
    labels = {describe_layer(layer) for layer in net.layers}
    assert any("卷积" in t for t in labels) and any("池化" in t or "下采样" in t for t in labels)


def test_describe_layer_translates_words_only(zh):
    from cnnviz.engine import Conv2D, Dense

    conv = Conv2D(3, 6, (5, 5), stride=2, padding=1, name="C1")
    assert describe_layer(conv) == conv.describe().replace("conv", "卷积")
    assert describe_layer(Dense(400, 120)) == "全连接 400→120"
    i18n.set_language("en")
    assert describe_layer(conv) == conv.describe()


def test_the_concepts_dialog_shows_every_page_in_chinese(qapp, qtbot, monkeypatch):
    """The real dialog, page by page: the list, the page's labels and the grids' tooltips."""
    pytest.importorskip("pytestqt")
    from PySide6.QtWidgets import QLabel
    from test_i18n import visible_texts

    from cnnviz.app import language
    from cnnviz.app.concepts import ConceptGrid, ConceptsDialog

    monkeypatch.setenv(i18n.ENV, "en")
    language.install_language("zh_CN", qapp)
    try:
        dialog = ConceptsDialog()
        qtbot.addWidget(dialog)
        dialog.show()
        for key in concept_keys():
            dialog.show_page(key)
            texts = [t for _, t in visible_texts(dialog)]
            texts += [w.text() for w in dialog.content.findChildren(QLabel)]
            texts += [g.toolTip() for g in dialog.content.findChildren(ConceptGrid)]
            assert {t[:80]: left(t) for t in texts if left(t)} == {}, key
            assert CJK.search(dialog.page_text())
            assert dialog.pages.currentItem().text() == concept(key).short
    finally:
        language.install_language("en", qapp)
        i18n.set_language(None)
