"""Every subcommand's --help in Chinese under a zh_CN locale: "用法" once (a subcommand's prog is
computed with an empty usage prefix), Chinese in the descriptions and option texts, no English
words beyond option names, metavars, choices and names; English unchanged without it."""

from __future__ import annotations

import re

import pytest

from cnnviz import i18n

SUBCOMMANDS = ["train", "eval", "info", "bench", "data", "gradcheck", "export", "import"]
NAMES = set(  # names and file formats, the same in every language
    "SGD Nesterov Adam AdamW RMSProp PyTorch NumPy LeNet MNIST JSON ONNX TOML stdout stderr "
    "Ctrl torch lenet5 adam adamw rmsprop adagrad sgd nesterov normal STD init he glorot "
    "lecun zeros cnnviz npz json toml beta PNG SVG GIF Keras cosine onnx onnxruntime Netron "
    "safetensors Conv Gemm BatchNormalization Dropout opset".split()
) | {"pip", "install"}  # a command to type: "pip install onnx"


def english_left(text: str) -> list[str]:
    text = re.sub(r"(?<![\w-])--?[\w-]+", " ", text)  # options (not the hyphen of every-layer)
    text = re.sub(r"\{[^}]*\}", " ", text)  # {choices}
    text = re.sub(r"\b[A-Z][A-Z0-9_|,]+\b", " ", text)  # METAVARS
    text = re.sub(r"\S+\.\w+|\(\*?\.[\w.]+\)|(?<![\w.])\.\w+", " ", text)  # file names, (.npz), .py
    text = re.sub(r"'[^']*'", " ", text)  # a command to type: 'cnnviz[interop]'
    tokens = re.findall(r"[A-Za-z][\w.-]*", text)  # lenet5, every-layer, state_dict: names
    return [t for t in tokens if t.isalpha() and len(t) > 1 and t not in NAMES]


def help_of(argv, monkeypatch, capsys, lang="zh_CN.UTF-8") -> str:
    from cnnviz.cli import main

    monkeypatch.setenv("LANG", lang)
    for var in ("LC_ALL", "LC_MESSAGES", i18n.ENV):
        monkeypatch.delenv(var, raising=False)
    try:
        with pytest.raises(SystemExit) as done:
            main(argv)
        assert done.value.code == 0
        return capsys.readouterr().out
    finally:
        i18n.set_language(None)


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_subcommand_help_in_chinese(command, monkeypatch, capsys):
    out = help_of([command, "--help"], monkeypatch, capsys)
    assert out.startswith(f"用法：cnnviz {command}") and out.count("用法") == 1
    assert len(re.findall(r"[\u4e00-\u9fff]", out)) > 20
    body = out.split("\n\n", 1)[1]  # after the usage lines (the command's own syntax)
    body = re.sub(r"^    \w+ ", " ", body, flags=re.M)  # the actions of `data` (list, info)
    assert english_left(body) == []


def test_subcommand_help_in_english_without_a_chinese_locale(monkeypatch, capsys):
    out = help_of(["train", "--help"], monkeypatch, capsys, lang="C.UTF-8")
    assert out.startswith("usage: cnnviz train")
    assert "batch size (64)" in out and "SGD's momentum (0.9)" in out
    assert "learning rate (0.02 for SGD and Nesterov; 0.001 for adam" in " ".join(out.split())
