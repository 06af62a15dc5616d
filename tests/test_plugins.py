"""CNNVIZ_PLUGINS: modules imported at start that register datasets, in every process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cnnviz import plugins
from cnnviz.datasets import registry

ROOT = Path(__file__).resolve().parents[1]


def test_a_plugin_registers_a_dataset(monkeypatch, tmp_path):
    (tmp_path / "my_plugin.py").write_text(
        "from cnnviz.datasets import registry\n"
        "registry.REGISTRY['my-digits'] = registry.REGISTRY['synthetic-digits']\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("CNNVIZ_PLUGINS", " my_plugin , ")
    monkeypatch.setattr(plugins, "_loaded", set())
    try:
        assert plugins.load_plugins() == ["my_plugin"]
        assert "my-digits" in registry.REGISTRY
    finally:
        registry.REGISTRY.pop("my-digits", None)
        sys.modules.pop("my_plugin", None)


def test_a_broken_plugin_is_one_line_naming_it(monkeypatch, tmp_path):
    (tmp_path / "broken_plugin.py").write_text("raise RuntimeError('no GPU here\\nat all')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(plugins, "_loaded", set())
    monkeypatch.setenv("CNNVIZ_PLUGINS", "broken_plugin")
    with pytest.raises(plugins.PluginError, match=r"^plugin broken_plugin .* no GPU here$"):
        plugins.load_plugins()
    monkeypatch.setenv("CNNVIZ_PLUGINS", "not_a_module_anywhere")
    with pytest.raises(plugins.PluginError, match="not_a_module_anywhere"):
        plugins.load_plugins()


def test_the_command_line_reports_a_missing_plugin_and_exits_non_zero(tmp_path):
    env = {"CNNVIZ_PLUGINS": "not_a_module_anywhere", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [sys.executable, "-m", "cnnviz.cli", "info", "tiny"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "not_a_module_anywhere" in proc.stderr
    assert "Traceback" not in proc.stderr
