"""``cnnviz bench``: runs in-process and ends with one line of JSON (no timing assertions)."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest

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


# ----------------------------------------------------------------------------- --arch
TINY_ARCH = """
name = "tiny-bench"
input_shape = [2, 8, 8]
[[layers]]
type = "conv"
out_channels = 3
kernel_size = 3
padding = 1
connections = [[1, 0], [0, 1], [1, 1]]
[[layers]]
type = "relu"
[[layers]]
type = "subsample"
kernel_size = 2
[[layers]]
type = "conv"
out_channels = 4
kernel_size = 3
[[layers]]
type = "tanh"
[[layers]]
type = "maxpool"
kernel_size = 2
[[layers]]
type = "flatten"
[[layers]]
type = "dense"
out_features = "classes"
"""


@pytest.fixture
def tiny_arch(tmp_path):
    path = tmp_path / "tiny-bench.toml"
    path.write_text(TINY_ARCH, encoding="utf-8")
    return str(path)


def test_bench_arch_file_reports_the_network(capsys, monkeypatch, tiny_arch):
    args = ["bench", "--arch", tiny_arch, "--seconds", "0.2", "--batch-size", "8"]
    assert main([*args, "--threads", "1", "--json"]) == 0
    data = last_json(capsys)
    assert KEYS <= data.keys()
    assert data["arch"] == "tiny-bench" and data["batch_size"] == 8 and data["threads"] == 1
    assert data["params"] == build_network(tiny_arch).num_params
    assert data["cnnviz_img_s"] > 0
    if data["torch_img_s"] is not None:
        assert data["ratio"] == pytest.approx(data["cnnviz_img_s"] / data["torch_img_s"], 1e-2)


def test_bench_cifar_small_preset_builds():
    net = build_network("cifar-small")
    assert net.input_shape == (3, 32, 32)
    assert [layer.out_shape for layer in net.layers if layer.kind == "conv"] == [
        (32, 32, 32), (32, 16, 16), (64, 8, 8)
    ]  # fmt: skip
    assert net.output_shape == (10,)


def test_bench_rejects_an_unknown_architecture(capsys):
    assert main(["bench", "--arch", "no-such-net", "--seconds", "0.2"]) == 1
    assert "no-such-net" in capsys.readouterr().err


def _modern_net():
    """Every layer kind the bench maps to PyTorch, batch norm and dropout included."""
    from cnnviz import engine as E

    layers = [
        E.Conv2D(2, 4, 3, padding=1, name="C1"),
        E.BatchNorm2D(4, name="C1.bn"),
        E.LeakyReLU(0.1, name="C1.act"),
        E.AvgPool2D(2, name="S2"),
        E.Conv2D(4, 6, 3, stride=1, padding=1, name="C3"),
        E.ScaledTanh(name="C3.act"),
        E.LpPool2D(2.0, 2, name="S4"),
        E.Conv2D(6, 6, 1, name="C5"),
        E.Sigmoid(name="C5.act"),
        E.GlobalAvgPool(name="S6"),
        E.Flatten(name="flat"),
        E.Dense(6, 8, name="F7"),
        E.BatchNorm1D(8, name="F7.bn"),
        E.ReLU(name="F7.act"),
        E.Dropout(0.5, name="F7.dropout"),
        E.Dense(8, 10, name="F8"),
    ]
    return E.Network(layers, (2, 8, 8), E.SoftmaxCrossEntropy(), dtype="float32", seed=3)


@pytest.mark.parametrize("which", ["lenet5", "lenet5-1998", "tiny", "modern"])
def test_torch_copy_has_the_engine_parameters_and_scores(torch, which, tiny_arch):
    from cnnviz.commands.bench import engine_network, torch_model

    if which == "modern":
        net = _modern_net()
    else:
        net = engine_network(tiny_arch if which == "tiny" else which, seed=1)
    model, loss_fn = torch_model(net)
    assert sum(p.numel() for p in model.parameters()) == net.num_params
    x = np.random.default_rng(0).normal(size=(5, *net.input_shape)).astype(np.float32)
    labels = np.arange(5) % 10
    model.eval()
    with torch.no_grad():
        scores = model(torch.from_numpy(x))
        loss = loss_fn(scores, torch.from_numpy(labels))
    expected = net.infer(x)
    np.testing.assert_allclose(scores.numpy(), expected, rtol=1e-4, atol=1e-5)
    assert float(loss) == pytest.approx(net.loss.forward(expected, labels), rel=1e-4)


def test_two_threads_give_the_bits_of_one():
    # the convolutions cut their work into blocks fixed by the sizes, not by the thread count
    one, r1 = _train(True, threads=1)
    two, r2 = _train(True, threads=2)
    assert r1 == r2
    for (k, p, g), (_, q, h) in zip(one.named_params(), two.named_params(), strict=True):
        np.testing.assert_array_equal(p, q, err_msg=k)
        np.testing.assert_array_equal(g, h, err_msg=k)
    for a, b in zip(one.layers, two.layers, strict=True):
        np.testing.assert_array_equal(
            a.dx if a.dx is not None else 0, b.dx if b.dx is not None else 0
        )
