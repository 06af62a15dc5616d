"""The network overview and the layer inspector in Chinese under zh_CN: the real main window,
after a training step, every map kind in the overview and several layers (conv, pooling,
dense, and the other kinds of every-layer and cifar-bn) in the inspector, with no English word
left in what they show; the layer kind names in English unchanged."""

from __future__ import annotations

import pytest
from helpers import wait_for
from test_i18n import CJK, english_words, visible_texts, zh_app  # noqa: F401

from cnnviz.training.stages import MAP_KINDS

# "Dropout" is the technique's name, kept in Chinese texts as the catalogue already writes it
# ("Dropout 掩码开启"); Esc a key's name, as test_i18n allows Shift and Ctrl
NAMES = {"Dropout", "Esc"}


def _tooltips(root) -> list[tuple[str, str]]:
    """The tooltips shown by ``root`` and its children, but the window's "?" (a concept's
    title, from the lessons)."""
    from PySide6.QtWidgets import QToolButton, QWidget

    return [
        (type(w).__name__ + " tooltip", w.toolTip())
        for w in [root, *root.findChildren(QWidget)]
        if w.toolTip()
        and w.isVisibleTo(root)
        and not (isinstance(w, QToolButton) and w.text() == "?")
    ]


def _english_left(texts) -> list:
    left = []
    for where, t in texts:
        words = [w for w in english_words(t) if w not in NAMES]
        if words:
            left.append((where, t, words))
    return left


def _walk(w, qtbot, stages: list[int]) -> tuple[list, list]:
    """(overview texts, inspector texts) after a step: the overview with each map kind, the
    inspector on each stage of ``stages``."""
    w.step_batch()
    wait_for(qtbot, w, lambda s: s.step == 1)
    overview = []
    for kind in MAP_KINDS:
        w.select_map_kind(kind)
        wait_for(qtbot, w, lambda s, k=kind: s.view.map_kind == k and s.step == 1)
        qtbot.waitUntil(lambda k=kind: w.overview.map_kind() == k)
        overview += visible_texts(w.overview) + _tooltips(w.overview)
    w.select_map_kind("activation")
    w.show_tab(w.inspector)
    inspector = []
    for i in stages:
        w.select_stage(i)
        wait_for(qtbot, w, lambda s, i=i: s.inspector is not None and s.inspector.stage.index == i)
        label = w.snapshot.stages[i].label
        qtbot.waitUntil(lambda label=label: w.inspector.title.text() == label)
        inspector += visible_texts(w.inspector) + _tooltips(w.inspector)
    return overview, inspector


@pytest.mark.parametrize(
    ("arch", "dataset", "kinds"),
    [
        ("lenet5", "synthetic-digits", {"conv", "maxpool", "dense"}),
        ("every-layer", "synthetic-digits", {"conv", "subsample", "lppool", "avgpool", "dense"}),
        ("cifar-bn", "shapes", {"conv", "maxpool", "dense"}),
    ],
)
@pytest.mark.usefixtures("zh_app")
def test_overview_and_inspector_in_chinese(make_window, qtbot, arch, dataset, kinds):
    w = make_window(arch=arch, dataset=dataset)
    stages = w.snapshot.stages
    assert kinds <= {s.kind for s in stages}
    picked = [0] + [next(s.index for s in stages if s.kind == k) for k in sorted(kinds)]
    overview, inspector = _walk(w, qtbot, picked)
    for texts in (overview, inspector):
        assert len(texts) > 10
        left = sorted(set(map(repr, _english_left(texts))))
        assert left == [], "\n".join(left)
        assert any(CJK.search(t) for _, t in texts)
    shown = " ".join(t for _, t in overview)
    assert "第 1 步完成：权重已更新" in shown and "特征图显示：" in shown
    assert "卷积" in shown and "全连接" in shown and "误差项 δ" in shown
    shown = " ".join(t for _, t in inspector)
    assert "样本的特征图" in shown and "卷积" in shown
    if arch == "lenet5":
        assert "最大池化" in shown and "权重及其最近一次更新" in shown
        w.inspector.enlarge("weight", 0)  # the dialog of an enlarged map
        zoom = w.inspector.zoom
        texts = visible_texts(zoom) + _tooltips(zoom)
        assert zoom.windowTitle().startswith("放大：W（更新后）")
        assert zoom.close_button.text() == "关闭" and _english_left(texts) == []
    if arch == "every-layer":
        assert "下采样" in shown and "Lp 池化" in shown and "平均池化" in shown
    if arch == "cifar-bn":
        assert "批归一化" in shown  # C1 conv 32@32×32 + bn + relu


def test_stage_labels_unchanged_in_english(qapp):
    from cnnviz.training.architectures import build_network
    from cnnviz.training.stages import stages_of

    net = build_network("lenet5", (1, 28, 28), 10)
    labels = [s.label for s in stages_of(net)]
    assert labels[:3] == ["input 1@28×28", "C1 conv 6@28×28 + relu", "S2 max-pool 6@14×14"]
    assert labels[-1] == "F7 dense 10"


@pytest.mark.usefixtures("zh_app")
def test_stage_labels_in_chinese():
    from cnnviz.training.architectures import build_network
    from cnnviz.training.stages import stages_of

    net = build_network("lenet5", (1, 28, 28), 10)
    labels = [s.label for s in stages_of(net)]
    assert labels[:3] == ["输入 1@28×28", "C1 卷积 6@28×28 + ReLU", "S2 最大池化 6@14×14"]
    assert labels[5] == "F5 全连接 120 + ReLU"
    bn = build_network("cifar-bn", (3, 32, 32), 10)
    assert stages_of(bn)[1].label == "C1 卷积 32@32×32 + 批归一化 + ReLU"
