"""Translation: the zh_CN catalogue is complete and compiled, the glossary is well formed and
its terms are the catalogue's, the app's language comes from --lang, the saved choice and the
system locale, and a lesson's text comes out in Chinese under zh_CN."""

from __future__ import annotations

import csv
import re

import numpy as np
import pytest

from cnnviz import i18n
from cnnviz.engine import OPTIMIZER_NAMES
from cnnviz.i18n_tools import check, messages, tool

GLOSSARY = i18n.CATALOGUE_DIR / "glossary.tsv"


def glossary() -> list[dict[str, str]]:
    lines = [
        ln for ln in GLOSSARY.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")
    ]
    return list(csv.DictReader(lines, delimiter="\t"))


@pytest.fixture
def zh():
    """The lessons speak Chinese for the test, English again after it."""
    i18n.set_language("zh_CN")
    yield
    i18n.set_language(None)


# ---------------------------------------------------------------------- the catalogue
@pytest.mark.skipif(tool("lrelease") is None or tool("lupdate") is None, reason="no Qt tools")
def test_catalogue_is_current_complete_and_compiled():
    assert check() == []


def test_catalogue_problems_are_found(tmp_path, monkeypatch):
    """check() is not blind: an unfinished message and a lost field are reported."""
    if tool("lrelease") is None:
        pytest.skip("no pyside6-lrelease")
    src = i18n.catalogue_path("zh_CN").read_text(encoding="utf-8")
    bad = src.replace(
        "<translation>其余 {k} 个样本</translation>", "<translation>其余样本</translation>"
    )
    bad = bad.replace(
        "<translation>池化层</translation>", '<translation type="unfinished"></translation>'
    )
    assert bad != src
    monkeypatch.setattr(
        "cnnviz.i18n_tools.catalogue_path", lambda c, s=".ts": tmp_path / f"x_{c}{s}"
    )
    (tmp_path / "x_zh_CN.ts").write_text(bad, encoding="utf-8")
    (tmp_path / "x_zh_CN.qm").write_bytes(i18n.catalogue_path("zh_CN", ".qm").read_bytes())
    problems = "\n".join(check())
    assert "fields" in problems and "unfinished" in problems and "not the compiled" in problems


def test_read_catalogue_skips_unfinished(tmp_path):
    ts = tmp_path / "t.ts"
    ts.write_text(
        '<TS version="2.1" language="zh_CN"><context><name>lessons</name>'
        "<message><source>a</source><translation>甲</translation></message>"
        '<message><source>b</source><translation type="unfinished">乙</translation></message>'
        "</context></TS>",
        encoding="utf-8",
    )
    assert i18n.read_catalogue(ts) == {("lessons", "a"): "甲"}


# ---------------------------------------------------------------------- the glossary
def test_glossary_format_and_unique_terms():
    rows = glossary()
    assert len(rows) >= 30
    for row in rows:
        assert row["english"].strip() and row["chinese"].strip(), row
        assert re.search(r"[\u4e00-\u9fff]", row["chinese"]), row  # Chinese, not a copy
        assert row["english"] == row["english"].strip() and row["chinese"] == row["chinese"].strip()
    english = [r["english"].lower() for r in rows]
    chinese = [r["chinese"] for r in rows]
    assert len(set(english)) == len(english)
    assert len(set(chinese)) == len(chinese)
    # the notes' words the issue names
    for term in ("卷积层", "卷积核", "特征图", "池化层", "最大池化", "平均池化", "下采样", "误差项",
                 "净输入", "激活值", "全卷积", "旋转180度", "反向传播", "学习率", "动量", "批大小",
                 "损失函数", "交叉熵", "权重梯度"):  # fmt: skip
        assert term in chinese, term
    sens = next(r for r in rows if r["english"] == "sensitivity")
    assert "误差项" in sens["note"] and "敏感度" in sens["note"]  # the choice is stated


# where a term may also be translated otherwise, and why (said in the glossary's note too)
ALSO = {"activation": {"激活函数"}}  # "back through an activation": the layer, not the value


def test_glossary_terms_are_the_catalogues():
    """Where a message's English has a glossary term, its Chinese has the glossary's Chinese."""
    rows = {r["english"]: r["chinese"] for r in glossary()}
    assert "激活函数" in next(r["note"] for r in glossary() if r["english"] == "activation")
    wrong, used = [], set()
    for _ctx, src, _, text in messages(i18n.catalogue_path("zh_CN")):
        # a work's own Chinese section title, “…”, is followed by an English gloss in
        # parentheses that the translation leaves out: it is not a use of the term; nor is a
        # {field} of a template
        src = re.sub(r"(”) \([^)]*\)", r"\1", src)
        src = re.sub(r"\{\w*\}", "", src)
        for term, zh in rows.items():
            if re.search(rf"\b{re.escape(term)}s?\b", src, re.IGNORECASE):
                used.add(term)
                if not any(t in text for t in {zh} | ALSO.get(term, set())):
                    wrong.append((term, src, text))
    assert wrong == []
    assert len(used) >= 20  # the lessons use most of the terms already


# ---------------------------------------------------------------------- the language
def test_normalise_and_command_line_language():
    assert i18n.normalise("zh_CN.UTF-8") == "zh_CN" and i18n.normalise("zh-cn") == "zh_CN"
    assert i18n.normalise("en_GB") == "en" and i18n.normalise("C") == "en"
    assert i18n.normalise("fr_FR") is None
    assert i18n.language_from(["--lang", "zh_CN"], {}) == "zh_CN"
    assert i18n.language_from(["--lang=en"], {"LANG": "zh_CN.UTF-8"}) == "en"
    assert i18n.language_from([], {"LANG": "zh_CN.UTF-8"}) == "zh_CN"
    assert i18n.language_from([], {"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}) == "en"
    assert i18n.language_from([], {"CNNVIZ_LANG": "zh_CN", "LANG": "en_US"}) == "zh_CN"
    assert i18n.language_from([], {}) == "en"


def test_translate_follows_the_language(zh):
    assert i18n.translate("lessons", "pooling layers") == "池化层"
    assert i18n.translate("lessons", "not in the catalogue") == "not in the catalogue"
    i18n.set_language("en")
    assert i18n.translate("lessons", "pooling layers") == "pooling layers"
    with pytest.raises(ValueError, match="unknown language"):
        i18n.set_language("fr")


def test_environment_sets_the_training_process_language(monkeypatch):
    i18n.set_language(None)
    monkeypatch.setenv(i18n.ENV, "zh_CN")
    assert i18n.current_language() == "zh_CN"
    monkeypatch.setenv(i18n.ENV, "en")
    assert i18n.current_language() == "en"


def _conv_explanation():
    from cnnviz.engine import Phase
    from cnnviz.lessons.explain import explain_phase
    from cnnviz.training.architectures import build_network

    net = build_network("lenet5", dtype="float64", seed=3)
    x = np.random.default_rng(0).standard_normal((2, *net.input_shape))
    net.forward(x)
    return explain_phase(net, Phase("forward", 0), 0, None, 0.1)


def test_lesson_text_in_chinese_under_zh_cn(zh):
    ex = _conv_explanation()
    assert ex.title == "卷积：卷积核与输入的一块逐项相乘再求和"
    assert ex.where.startswith("C1 的净输入 u")
    assert "样本 1" in ex.where  # the first sample, counted from 1 as every panel does
    assert "个乘积" in ex.note and "卷积核" in ex.note
    assert ex.cite.startswith("Han 2017, “卷积层输出值的计算”，式 4.4")
    assert "u[o, i, j] = Σ x[c, iS+p−P, jS+q−P] · W[o, c, p, q] + b[o]" in ex.formula  # as is
    assert ex.agrees


def test_lesson_text_in_english_by_default():
    i18n.set_language("en")
    try:
        ex = _conv_explanation()
    finally:
        i18n.set_language(None)
    assert ex.title == "Convolution: the kernel times a patch of the input, summed"
    assert ex.cite.startswith("Han 2017, “卷积层输出值的计算” (computing a conv layer's output)")


# ---------------------------------------------------------------------- the app (Qt)
@pytest.fixture
def store(tmp_path):
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "cnnviz.ini"), QSettings.Format.IniFormat)


def test_choose_language(qapp, store):
    from PySide6.QtCore import QLocale

    from cnnviz.app.language import choose_language, saved_language

    chinese = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    english = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    assert choose_language(None, store, chinese) == "zh_CN"
    assert choose_language(None, store, english) == "en"
    assert choose_language("en", store, chinese) == "en"
    assert saved_language(store) is None
    store.setValue("view/language", "zh_CN")
    assert choose_language(None, store, english) == "zh_CN"
    assert choose_language("en", store, english) == "en"  # --lang wins
    with pytest.raises(ValueError, match="--lang"):
        choose_language("klingon", store, english)


def test_set_language_stores_and_says_restart(qapp, store, monkeypatch):
    from cnnviz.app import language

    monkeypatch.setattr(language, "_active", "en")
    assert language.set_language("zh_CN", store) is True
    assert language.saved_language(store) == "zh_CN"
    assert language.set_language("en", store) is False
    assert language.saved_language(store) == "en"
    with pytest.raises(ValueError):
        language.set_language("xx", store)


def test_startup_language_without_qt_reads_what_qt_wrote(qapp, store, tmp_path):
    """The app decides its language before importing Qt: the saved choice is read from the
    INI file View ▸ Language writes with QSettings."""
    from cnnviz.app.language import set_language

    path = tmp_path / "cnnviz.ini"
    assert i18n.startup_language(None, path, {"LANG": "zh_CN.UTF-8"}) == "zh_CN"
    assert i18n.startup_language(None, path, {"LANG": "en_US.UTF-8"}) == "en"
    set_language("zh_CN", store)
    assert i18n.startup_language(None, path, {"LANG": "en_US.UTF-8"}) == "zh_CN"
    assert i18n.startup_language("en", path, {"LANG": "zh_CN.UTF-8"}) == "en"
    assert i18n.startup_language(None, path, {i18n.ENV: "en"}) == "en"
    with pytest.raises(ValueError, match="--lang"):
        i18n.startup_language("xx", path, {})
    (tmp_path / "bad.ini").write_bytes(b"\xff\xfe[[[")
    assert i18n.saved_language(tmp_path / "bad.ini") is None


def test_install_zh_cn_translates_lessons_and_qt(qapp, monkeypatch):
    from PySide6.QtCore import QCoreApplication

    from cnnviz.app import language

    monkeypatch.setenv(i18n.ENV, "en")  # restored (unset) after the test
    try:
        loaded = language.install_language("zh_CN", qapp)
        names = [p.rsplit("/", 1)[-1] for p in loaded]
        assert "cnnviz_zh_CN.qm" in names
        assert "qtbase_zh_CN.qm" in names  # shipped by PySide6-Essentials
        assert language.tr_lesson("pooling layers") == "池化层"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
        assert i18n.current_language() == "zh_CN"
        import os

        assert os.environ[i18n.ENV] == "zh_CN"  # the training process started next
        assert language.current_language() == "zh_CN"
    finally:
        assert language.install_language("en", qapp) == []
        i18n.set_language(None)
    assert language.tr_lesson("pooling layers") == "pooling layers"


# ---------------------------------------------------------------------- the command line
def test_cli_help_in_chinese_under_zh_cn_locale(monkeypatch, capsys):
    from cnnviz.cli import main

    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    for var in ("LC_ALL", "LC_MESSAGES", i18n.ENV):
        monkeypatch.delenv(var, raising=False)
    try:
        with pytest.raises(SystemExit) as done:
            main(["--help"])
        assert done.value.code == 0
        out = capsys.readouterr().out
        assert out.startswith("用法：cnnviz")
        assert "观看卷积神经网络的学习过程" in out and "显示本帮助并退出" in out
        assert "--lang LANG" in out
        with pytest.raises(SystemExit) as done:
            main(["--no-such-option"])
        assert done.value.code == 2
        assert capsys.readouterr().err.startswith("cnnviz：错误：")
        with pytest.raises(SystemExit):
            main(["--lang", "en", "--help"])  # --lang wins over the locale
        assert capsys.readouterr().out.startswith("usage: cnnviz")
    finally:
        i18n.set_language(None)


def test_training_process_inherits_the_language(tmp_path):
    """The lessons run in the training process: CNNVIZ_LANG (which the app sets before starting
    it) is enough for them to speak Chinese there, without Qt."""
    import os
    import subprocess
    import sys

    code = (
        "import sys; from tests.test_i18n import _conv_explanation; "
        "ex = _conv_explanation(); print(ex.title); "
        "print('PySide6' in sys.modules)"
    )
    root = str(i18n.CATALOGUE_DIR.parents[2])
    env = {**os.environ, i18n.ENV: "zh_CN", "PYTHONPATH": root}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert out[0] == "卷积：卷积核与输入的一块逐项相乘再求和"
    assert out[1] == "False"  # no Qt below the app


def test_convolution_examples_in_chinese_under_zh_cn(zh):
    from cnnviz.lessons.convcatalogue import example

    ex = example("han-s2-dx")
    assert ex.title == "步幅 2 时的 ∂E/∂x：在 δ 中插入零"
    assert ex.kernel_label == "rot180(W)：旋转180度的卷积核"
    assert "在 δ 的各项之间插入 1 个零（步幅 2）" in ex.grid_label
    assert ex.cite.startswith("Han 2017, “卷积层误差项的传递”，式 5.2")
    i18n.set_language("en")
    assert example("han-s2-dx").title == "∂E/∂x at stride 2: zeros inserted into δ"


CJK = re.compile(r"[\u4e00-\u9fff]")
ALLOWED = (  # function names, symbols, the works' authors and names
    "ReLU Relu Leaky softmax Softmax sigmoid logistic tanh max full rot180 up down filter out net "
    "Sobel Bouvrie Han Zhou LeCun LeNet CNNs Part CNN et al SGD Lp ln log sign argmax "
    # the optimisers' and the modern layers' works, and the distribution a mask is drawn from
    "Adam AdamW RMSProp AdaGrad Nesterov Ioffe Szegedy Srivastava Lin Kingma Loshchilov "
    "Hutter Tieleman Hinton Duchi Sutskever Bernoulli"
).split()
ENGLISH_WORD = re.compile(rf"\b(?!(?:{'|'.join(ALLOWED)})\b)[A-Za-z]{{3,}}\b")


def chinese_problems(net, phase, ex) -> list[tuple]:
    """The fields of a phase's rules left in English (outside the allow-list) or with no
    Chinese where they should have some: (phase, field, text) each."""
    names = sorted((layer.name for layer in net.layers), key=len, reverse=True)
    problems = []
    for e in ex.all():
        for field in ("title", "where", "note", "cite", "instance"):
            text = getattr(e, field)
            # layer names (C1, F6.relu, flatten), the textbook's citation keep their words
            for name in names:
                text = text.replace(name, "")
            text = re.sub(r"Goodfellow.*|“[^”]*”", "", text)  # the works' own words
            text = re.sub(r"\.(weight|bias|beta)\b", "", text)  # parameter keys (C1.weight)
            # buffer and optimiser-state names, as PyTorch's state_dict() has them
            text = re.sub(r"\b(running_mean|running_var|exp_avg|square_avg|sum)\b", "", text)
            if ENGLISH_WORD.search(text):
                problems.append((net.phase_label(phase), field, text))
            elif (field in ("title", "where") or (field == "note" and text)) and not CJK.search(
                text
            ):
                problems.append((net.phase_label(phase), field, text))
    return problems


@pytest.mark.parametrize("arch", ["lenet5", "lenet5-1998", "every-layer"])
def test_every_rule_of_a_step_is_in_chinese(zh, arch):
    """Title, note, where and citation of every rule of every phase, the update's too, have
    Chinese and no English word outside the allow-list (the names of functions and of the
    works' authors)."""
    from tests.test_explain import _explained_step

    net, out = _explained_step(arch, "float64")
    problems, checked, updates = [], 0, 0
    for phase, ex in out:
        updates += phase.kind == "update"
        problems += chinese_problems(net, phase, ex)
        checked += len(ex.all())
    assert problems == []
    assert checked > 10 and updates >= 1


@pytest.mark.parametrize(
    ("arch", "optimizer"),
    [("cifar-bn", "sgd"), ("keras-mnist", "adam"),
     *(("gap", name) for name in OPTIMIZER_NAMES)],
)  # fmt: skip
def test_batch_norm_dropout_global_pooling_and_every_optimiser_in_chinese(zh, arch, optimizer):
    """The layers and optimisers of today's CNNs, every phase of a step, in training mode and
    (batch norm, dropout) in evaluation mode too."""
    from helpers import GAP_NET, every_phase

    from cnnviz.engine import SGD
    from cnnviz.lessons.explain import explain_phase
    from cnnviz.training.architectures import build_network

    spec, shape = (GAP_NET, (2, 6, 6)) if arch == "gap" else (arch, None)
    net = build_network(spec, shape, 4, dtype="float64", seed=2)
    problems, kinds = [], set()
    for phase, ex in every_phase(net, n=3, optimizer=optimizer):
        problems += chinese_problems(net, phase, ex)
        kinds.add(phase.kind)
    x = np.random.default_rng(5).standard_normal((3, *net.input_shape))
    net.train_step(x, np.array([0, 1, 2]), SGD(net.named_params(), lr=0.01))
    with net.evaluating():
        step = net.begin_step(x[:1], np.array([1]), None)
        while not step.done:
            phase = step.advance()
            problems += chinese_problems(net, phase, explain_phase(net, phase, 0, None, 0.01))
    assert problems == []
    assert "update" in kinds


def test_cli_refuses_an_unknown_language(capsys):
    from cnnviz.cli import main

    try:
        with pytest.raises(SystemExit) as done:
            main(["--lang", "fr", "info", "x"])
    finally:
        i18n.set_language(None)
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown language 'fr'" in err and "Traceback" not in err


def test_phase_labels_in_chinese(zh):
    from cnnviz.lessons.explanation import phase_text

    assert phase_text("forward C1") == "前向 C1"
    assert phase_text("backward F6.relu") == "反向 F6.relu"
    assert phase_text("loss") == "损失"
    assert phase_text("update W ← W − η·∂E/∂W") == "更新 W ← W − η·∂E/∂W"
    assert _conv_explanation().phase == "前向 C1"
    i18n.set_language("en")
    assert phase_text("backward C3") == "backward C3"


# ---------------------------------------------------------------------- the panels in Chinese
# beyond ALLOWED: names (of programs, formats, keys, the lessons' datasets) and the check's
# verdicts, which stay as the command line prints them
PANEL_ALLOWED = set(ALLOWED) | set(
    "cnnviz MNIST CIFAR OK FAIL Shift Space Ctrl Tab EMA PNG SVG GIF ONNX float64 float32 "
    "lenet5 synthetic digits gradcheck".split()
)


def english_words(text: str) -> list[str]:
    """The English words of a text shown: HTML tags and entities, subscripts (g_backprop),
    tokens with digits or underscores (C1, F6, rot180, g_numeric), single letters (symbols:
    u, x, W, E), a formula's letters (iS+p) and quoted parameter keys (“input”) are not words
    here."""
    import html as _html

    text = re.sub(r"<sub>.*?</sub>", "", text)
    text = _html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = re.sub(r"“[\x20-\x7e]*”", "", text)
    text = re.sub(r"[A-Za-z]+(?=[+−·*/^=])|(?<=[+−·*/^=\[])[A-Za-z]+", "", text)  # iS+p, ·W
    words = re.findall(r"[A-Za-z][A-Za-z0-9_]*", text)
    return [
        w for w in words
        if len(w) >= 2 and w.isalpha() and w not in PANEL_ALLOWED and w.lower() not in PANEL_ALLOWED
    ]  # fmt: skip


def test_english_word_detector():
    assert english_words("第 3 步 · 轮次 1/2") == []
    assert english_words("C1 的净输入 u，rot180(W)，g<sub>backprop</sub> = ∂E/∂W") == []
    assert english_words("<b>ReLU</b> 与 softmax；“input” 即 ∂E/∂x") == []
    assert english_words("u[o, i, j] = Σ x[c, iS+p−P, jS+q−P]") == []
    assert english_words("Test set: not evaluated yet") == "Test set not evaluated yet".split()


def visible_texts(root) -> list[tuple[str, str]]:
    """(where, text) of every visible text of ``root`` and its children: labels, buttons,
    group box titles, combo box items, tab texts, spin box prefixes, table headers."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QComboBox,
        QGroupBox,
        QLabel,
        QSpinBox,
        QTableWidget,
        QTabWidget,
        QWidget,
    )

    out = [("window title", root.windowTitle())]
    for w in [root, *root.findChildren(QWidget)]:
        if not w.isVisibleTo(root) and w is not root:
            continue
        name = type(w).__name__
        if isinstance(w, QLabel):
            out.append((name, w.text()))
        elif isinstance(w, QAbstractButton):
            out.append((name, w.text()))
        elif isinstance(w, QGroupBox):
            out.append((name, w.title()))
        elif isinstance(w, QComboBox):
            out += [(name, w.itemText(i)) for i in range(w.count())]
        elif isinstance(w, QTabWidget):
            out += [(name, w.tabText(i)) for i in range(w.count())]
        elif isinstance(w, QSpinBox):
            out.append((name, w.prefix() + w.suffix()))
        if isinstance(w, QTableWidget):
            for c in range(w.columnCount()):
                item = w.horizontalHeaderItem(c)
                out.append((name, item.text() if item is not None else ""))
    return [(where, t) for where, t in out if t]


@pytest.fixture
def zh_app(qapp, monkeypatch):
    """The app's translators in Chinese for the test, English again after it."""
    from cnnviz.app import language

    monkeypatch.setenv(i18n.ENV, "en")
    language.install_language("zh_CN", qapp)
    yield qapp
    language.install_language("en", qapp)
    i18n.set_language(None)


def _panel(name):
    from cnnviz.app.concepts import ConceptsDialog
    from cnnviz.app.panels.confusion import ConfusionView
    from cnnviz.app.panels.convexplainer import ConvExplainer
    from cnnviz.app.panels.gradient_check import GradCheckPanel
    from cnnviz.app.panels.plots import TrainingPlots
    from cnnviz.app.panels.rules import RulePanel
    from cnnviz.app.references import ReferencesDialog

    return {
        "confusion": ConfusionView, "gradient_check": GradCheckPanel, "explainer": ConvExplainer,
        "rules": RulePanel, "plots": TrainingPlots, "references": ReferencesDialog,
        "concepts": ConceptsDialog,
    }[name]()  # fmt: skip


@pytest.mark.parametrize(
    "name", ["confusion", "gradient_check", "explainer", "rules", "plots", "references"]
)
def test_panel_has_no_english_left_under_zh_cn(zh_app, qtbot, name):
    widget = _panel(name)
    qtbot.addWidget(widget)
    widget.resize(1024, 700)
    widget.show()
    texts = visible_texts(widget)
    assert len(texts) >= 2
    left = [(where, t, english_words(t)) for where, t in texts if english_words(t)]
    assert left == []
    assert any(CJK.search(t) for _, t in texts)


def test_rule_panel_shows_a_rule_in_chinese(zh_app, qtbot):
    from cnnviz.app.panels.rules import RulePanel

    panel = RulePanel()
    qtbot.addWidget(panel)
    panel.show_explanation(_conv_explanation(), "阶段 1 / 20")
    text = panel.text()
    assert "结果" in text and "引擎" in text and "一致" in text and "出处：" in text
    assert english_words(text) == [], text


def test_gradient_check_report_in_chinese(zh_app, qtbot):
    from cnnviz.app.panels.gradient_check import GradCheckPanel

    panel = GradCheckPanel()
    qtbot.addWidget(panel)
    panel.set_conv_layers([("C1", 2)])
    panel.set_busy(True)
    assert panel.run_button.text() == "检验中…"
    assert panel.filter_combo.itemText(1) == "C1 · 卷积核 2 / 2"


def test_concepts_dialog_chrome_in_chinese(zh_app, qtbot):
    """The dialog's own words (its title, the References button, the headings under a page)
    are Chinese; the pages themselves come from cnnviz.lessons.concepts."""
    from PySide6.QtWidgets import QLabel

    dialog = _panel("concepts")
    qtbot.addWidget(dialog)
    assert dialog.windowTitle().startswith("概念")
    assert dialog.references_button.text() == "参考文献…"
    labels = " ".join(w.text() for w in dialog.findChildren(QLabel))
    assert "在 cnnviz 中哪里能看到" in labels and "出处：" in labels


def test_rule_panel_without_a_cjk_font_names_the_package(zh_app, monkeypatch):
    from cnnviz.app.panels import rules

    monkeypatch.setattr(rules, "_has_cjk_font", lambda: False)
    assert "fonts-noto-cjk" in rules.displayable("卷积：卷积核与输入的一块逐项相乘再求和")
    assert rules.displayable("no Chinese here") == "no Chinese here"
    i18n.set_language("en")  # English: the Chinese names go, the English gloss stays
    shown = rules.displayable("Han 2017, “卷积层” (a conv layer)")
    assert shown.startswith("Han 2017") and not CJK.search(shown) and "fonts" not in shown
