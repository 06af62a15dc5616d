"""``cnnviz bench``: runs in-process and ends with one line of JSON (no timing assertions)."""

from __future__ import annotations

import json
import sys

import numpy as np

from cnnviz.cli import main
from cnnviz.engine import SGD, parallel
from cnnviz.training.architectures import build_network

KEYS = {"cnnviz_img_s", "torch_img_s", "ratio", "batch_size"}


def last_json(capsys) -> dict:
    out = capsys.readouterr().out.strip().splitlines()
    return json.loads(out[-1])


def test_bench_json_has_both_frameworks(capsys):
    threads = parallel.get_num_threads()
    assert main(["bench", "--seconds", "0.2", "--json"]) == 0
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


# ----------------------------------------------------------------------------- what it measures
def _train(keep_trace: bool, threads: int, steps: int = 3):
    """LeNet-5 trained a few steps with the trace kept or dropped, on ``threads`` threads."""
    before = parallel.get_num_threads()
    parallel.set_num_threads(threads)
    try:
        net = build_network("lenet5", dtype="float32", seed=0)
        net.keep_trace = keep_trace
        opt = SGD(net.named_params(), lr=0.01, momentum=0.9)
        rng = np.random.default_rng(0)
        results = []
        for _ in range(steps):
            x = rng.normal(size=(64, 1, 28, 28)).astype(np.float32)
            results.append(net.train_step(x, rng.integers(0, 10, 64), opt))
        return net, results
    finally:
        parallel.set_num_threads(before)


def test_dropping_the_trace_changes_no_result():
    kept, r1 = _train(True, threads=2)
    dropped, r2 = _train(False, threads=2)
    assert r1 == r2
    for (k, a, _), (_, b, _) in zip(kept.named_params(), dropped.named_params(), strict=True):
        np.testing.assert_array_equal(a, b, err_msg=k)
    assert all(layer.y is not None for layer in kept.layers)
    assert all(getattr(layer, a) is None for layer in dropped.layers for a in layer.trace_attrs)


def test_threaded_steps_are_the_same_from_run_to_run():
    a, ra = _train(True, threads=2)
    b, rb = _train(True, threads=2)
    assert ra == rb
    for (k, p, g), (_, q, h) in zip(a.named_params(), b.named_params(), strict=True):
        np.testing.assert_array_equal(p, q, err_msg=k)
        np.testing.assert_array_equal(g, h, err_msg=k)
