"""The whole main window in Chinese under zh_CN: every tab, dock, toolbar control, menu, action
tooltip and the window's dialogs, with a real network trained a step, leave no English word
visible (beyond symbols, numbers, units and names: the presets' and datasets' own names, the
optimisers', the works' authors); View ▸ Language stores the choice for the next start."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("pytestqt")

from helpers import wait_for  # noqa: E402
from test_i18n import CJK, english_words, visible_texts, zh_app  # noqa: E402, F401

from cnnviz.datasets import list_datasets  # noqa: E402
from cnnviz.training.architectures import PRESETS  # noqa: E402

NAMES = {  # names, the same in every language
    *(w for name in PRESETS for w in name.replace("-", " ").split()),
    *(w for info in list_datasets() for w in info.name.replace("-", " ").split()),
    "Adam", "AdamW", "RMSprop", "Adagrad", "Nesterov", "Zalando", "Kuzushiji", "Fashion",
    "Cortes", "Burges", "keras", "io", "convnet", "Simple", "hiragana", "English",
    # file formats, the programs that read them and file names
    "onnx", "Netron", "onnxruntime", "safetensors", "py", "nn", "Module", "state_dict",
    "PyTorch", "docs", "interop", "md",
}  # fmt: skip


def english_left(texts: list[tuple[str, str]]) -> list[tuple[str, str, list[str]]]:
    out = []
    for where, t in texts:
        # layer names keep their words in every language: C1.relu, F7.dropout, C3.bn
        t = re.sub(r"\b[A-Z]+\d+(\.\w+)+", "", t)
        words = [w for w in english_words(t) if w not in NAMES]
        if words:
            out.append((where, t[:120], words))
    return out


def menu_texts(window) -> list[tuple[str, str]]:
    """Every menu title, action text and tooltip of the menu bar (submenus too)."""
    from PySide6.QtWidgets import QMenu

    out = []
    for menu in window.menuBar().findChildren(QMenu):
        out.append(("menu", menu.title()))
        for act in menu.actions():
            if act.isSeparator() or act.menu() is not None:
                continue
            if act.text() and "/" not in act.text():  # Open recent lists file paths
                out += [("action", act.text()), ("tooltip", act.toolTip())]
    return [(w, t) for w, t in out if t]


@pytest.mark.parametrize(
    ("arch", "dataset"),
    [("lenet5", "synthetic-digits"), ("every-layer", "synthetic-digits"), ("cifar-bn", "shapes")],
)
def test_every_tab_dock_and_menu_of_the_window_is_chinese(
    zh_app,  # noqa: F811
    make_window,
    qtbot,
    arch,
    dataset,
):
    """(cifar-bn on the shapes: batch norm and dropout, and class names to translate.)"""
    from PySide6.QtWidgets import QTabWidget

    w = make_window(arch=arch, dataset=dataset)
    w.step_batch()
    wait_for(qtbot, w, lambda s: s.step == 1)
    texts = menu_texts(w)
    for tabs in [w.lower, *w.findChildren(QTabWidget)]:
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            qtbot.wait(50)
            texts += visible_texts(w)
    for stage in (1, 2, len(w.snapshot.stages) - 1):  # a conv, a pool, the output layer
        w.select_stage(stage)
        qtbot.wait(100)
        texts += visible_texts(w)
    for _ in range(3):  # into the next step, phase by phase: the phase lines say which
        w.step_phase()
    wait_for(qtbot, w, lambda s: s.phase_position == 3)
    qtbot.waitUntil(lambda: "3/" in w.overview.phase_label.text())
    texts += visible_texts(w) + [("status", w.statusBar().currentMessage())]
    texts = list(dict.fromkeys(texts))
    assert len(texts) > 100
    left = english_left(texts)
    assert left == [], left
    assert sum(bool(CJK.search(t)) for _, t in texts) > len(texts) // 3


def test_the_window_dialogs_are_chinese(zh_app, qtbot):  # noqa: F811
    from cnnviz.app.export.model import ExportModelDialog
    from cnnviz.app.files import NewDialog
    from cnnviz.app.optimiser_dialog import OptimiserDialog

    new = NewDialog("lenet5", "synthetic-digits")
    qtbot.addWidget(new)
    choice = {"optimizer": "sgd", "lr": 0.01, "momentum": 0.9, "beta1": 0.9, "beta2": 0.999,
              "alpha": 0.99, "eps": 1e-8, "weight_decay": 0.0}  # fmt: skip
    opt = OptimiserDialog(None, choice)
    qtbot.addWidget(opt)
    export = ExportModelDialog("/tmp/lenet5")
    qtbot.addWidget(export)
    for dialog in (new, opt, export):
        dialog.show()
        texts = visible_texts(dialog)
        assert english_left(texts) == []
        assert any(CJK.search(t) for _, t in texts)


def test_view_language_stores_the_choice_for_the_next_start(make_window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from cnnviz.app import language

    w = make_window(arch="tiny")
    names = [a.text() for a in w.language_actions]
    assert names == ["English", "简体中文"]  # each in its own language
    assert [a.isChecked() for a in w.language_actions] == [True, False]
    said = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: said.append(a[2]))
    w.language_actions[1].trigger()
    assert language.saved_language() == "zh_CN"
    assert said and "简体中文" in said[0] and "cnnviz" in said[0]
    said.clear()
    w.language_actions[0].trigger()  # the language running now: nothing to restart
    assert language.saved_language() == "en" and said == []
