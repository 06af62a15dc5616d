"""``cnnviz bench``: runs in-process and ends with one line of JSON (no timing assertions)."""

from __future__ import annotations

import json
import sys

from cnnviz.cli import main
from cnnviz.engine import parallel

KEYS = {"cnnviz_img_s", "torch_img_s", "ratio", "batch_size"}


def last_json(capsys) -> dict:
    out = capsys.readouterr().out.strip().splitlines()
    return json.loads(out[-1])


def test_bench_json_has_both_frameworks(capsys):
    threads = parallel.get_num_threads()
    assert main(["bench", "--seconds", "0.5", "--json"]) == 0
    data = last_json(capsys)
    assert KEYS <= data.keys()
    assert data["batch_size"] == 64
    assert data["cnnviz_img_s"] > 0
    if "torch" in sys.modules or data["torch_img_s"] is not None:
        assert data["torch_img_s"] > 0 and data["ratio"] > 0
    assert parallel.get_num_threads() == threads  # the command restores the thread count


def test_bench_without_torch_gives_nulls(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch raises ImportError
    args = ["bench", "--seconds", "0.2", "--batch-size", "4", "--threads", "1"]
    assert main([*args, "--no-trace", "--json"]) == 0
    data = last_json(capsys)
    assert KEYS <= data.keys()
    assert data["torch_img_s"] is None and data["ratio"] is None
    assert data["batch_size"] == 4 and data["cnnviz_img_s"] > 0


def test_bench_rejects_bad_arguments(capsys):
    assert main(["bench", "--batch-size", "0"]) == 1
    assert "batch-size" in capsys.readouterr().err
