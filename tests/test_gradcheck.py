"""Finite differences against backprop: every preset and every layer type, in float64; and the
``cnnviz gradcheck`` command."""

from __future__ import annotations

import numpy as np
import pytest

from cnnviz import cli
from cnnviz.engine import (
    AvgPool2D,
    Conv2D,
    Dense,
    Flatten,
    LeakyReLU,
    LpPool2D,
    MaxPool2D,
    Network,
    ReLU,
    ScaledTanh,
    Sigmoid,
    SoftmaxCrossEntropy,
    SquaredError,
    Subsampling,
    Tanh,
    gradient_check,
)
from cnnviz.training.architectures import build_network, preset_names

TOL = 1e-6


def checked(net, make_batch, n=2, entries=8, seed=0, **kw):
    """Run the gradient check and assert it left the network's parameters bit for bit."""
    x, labels = make_batch(net, n=n, seed=seed)
    before = {k: p.copy() for k, p, _ in net.named_params()}
    x_before = x.copy()
    errors = gradient_check(net, x, labels, max_entries=entries, **kw)
    for k, p, _ in net.named_params():
        np.testing.assert_array_equal(p, before[k], err_msg=k)
    np.testing.assert_array_equal(x, x_before)
    assert net.input_grad is False
    return errors


@pytest.mark.parametrize("arch", preset_names())
def test_every_preset_passes_in_float64(arch, make_batch):
    net = build_network(arch, dtype="float64", seed=0)
    errors = checked(net, make_batch)
    assert set(errors) == {k for k, _, _ in net.named_params()} | {"input"}
    bad = {k: e for k, e in errors.items() if not e < TOL}
    assert not bad, bad


def one_layer_net(layers, input_shape, loss=None):
    """``layers`` followed by flatten and a dense layer to 3 classes."""
    probe = input_shape
    for layer in layers:  # the feature count after the layers, for the dense layer
        probe = layer.build(probe, "float64")
    n = int(np.prod(probe))
    return Network(
        [*layers, Flatten(), Dense(n, 3, name="out")],
        input_shape,
        loss or SoftmaxCrossEntropy(),
        dtype="float64",
        seed=1,
    )


LAYER_NETS = {
    "conv-s2-p1": lambda: ([Conv2D(2, 3, 3, stride=2, padding=1)], (2, 7, 9)),
    "conv-k2-s3-p2": lambda: ([Conv2D(2, 2, (2, 3), stride=3, padding=2)], (2, 7, 8)),
    "conv-table": lambda: ([Conv2D(3, 4, 3, connections=[[1, 0, 0], [1, 1, 0], [0, 1, 1],
                                                          [1, 1, 1]])], (3, 6, 6)),
    "maxpool-k2": lambda: ([MaxPool2D(2)], (2, 6, 7)),
    "maxpool-k3-s2": lambda: ([MaxPool2D(3, 2)], (2, 7, 7)),
    "avgpool-k3-s2": lambda: ([AvgPool2D(3, 2)], (2, 7, 8)),
    "lppool-p2": lambda: ([LpPool2D(2.0, 2)], (2, 6, 6)),
    "lppool-p3-s1": lambda: ([LpPool2D(3.0, 2, 1)], (2, 5, 5)),
    "subsample": lambda: ([Subsampling(2, 2)], (2, 6, 4)),
    "relu": lambda: ([ReLU()], (2, 4, 4)),
    "leaky_relu": lambda: ([LeakyReLU(0.1)], (2, 4, 4)),
    "sigmoid": lambda: ([Sigmoid()], (2, 4, 4)),
    "tanh": lambda: ([Tanh()], (2, 4, 4)),
    "scaled_tanh": lambda: ([ScaledTanh()], (2, 4, 4)),
    "dense": lambda: ([Flatten(name="f0"), Dense(12, 5, name="hidden")], (3, 2, 2)),
}  # fmt: skip


@pytest.mark.parametrize("kind", list(LAYER_NETS))
def test_every_layer_type_passes_in_float64(kind, make_batch):
    net = one_layer_net(*LAYER_NETS[kind]())
    errors = checked(net, make_batch, n=3, entries=40)
    bad = {k: e for k, e in errors.items() if not e < TOL}
    assert not bad, bad


def test_squared_error_loss_passes(make_batch):
    net = one_layer_net([Conv2D(1, 2, 3), ScaledTanh()], (1, 5, 5), SquaredError(1.0, -1.0))
    errors = checked(net, make_batch)
    assert max(errors.values()) < TOL, errors


def test_the_trace_gradients_and_loss_of_the_last_step_are_left_as_they_were(make_batch):
    net = build_network("lenet5", dtype="float64", seed=0)
    x, labels = make_batch(net, n=3, seed=7)
    net.train_step(x, labels, None)
    trace = [layer.save_trace() for layer in net.layers]
    copies = [[None if a is None else a.copy() for a in t] for t in trace]
    grads = {k: g.copy() for k, _, g in net.named_params()}
    loss = (net.loss.value, net.loss.dy)
    checked(net, make_batch, n=2, seed=1)  # another batch, so every array would change
    for layer, refs, saved in zip(net.layers, trace, copies, strict=True):
        for a, b, c in zip(layer.save_trace(), refs, saved, strict=True):
            assert a is b
            if c is not None:
                np.testing.assert_array_equal(a, c)
    for k, _, g in net.named_params():
        np.testing.assert_array_equal(g, grads[k], err_msg=k)
    assert (net.loss.value, net.loss.dy) == loss


def test_float32_is_checked_with_a_looser_tolerance(make_batch):
    net = build_network("tiny", dtype="float32", seed=0)
    errors = checked(net, make_batch)
    assert max(errors.values()) < 1e-2, errors


# ----------------------------------------------------------------------------- it can fail
def test_a_gradient_off_by_one_percent_is_caught(make_batch, monkeypatch):
    original = Subsampling._backward

    def scaled(self, dy, need_dx):
        dx = original(self, dy, need_dx)
        return None if dx is None else dx * 1.01

    monkeypatch.setattr(Subsampling, "_backward", scaled)
    net = build_network("lenet5-1998", dtype="float64", seed=0)
    errors = checked(net, make_batch, entries=4)
    # the layers below S2 and S4 get a wrong δ; those above are still right
    assert errors["C1.weight"] > 1e-3 and errors["C3.weight"] > 1e-3
    assert errors["F6.weight"] < TOL and errors["S4.beta"] < TOL


def test_a_gradient_missing_some_entries_is_caught(make_batch, monkeypatch):
    """Entries whose backprop gradient is (wrongly) zero must still be compared: only the
    kernels a connection table holds at zero are left out."""
    original = Dense._backward

    def partial(self, dy, need_dx):
        dx = original(self, dy, need_dx)
        self.grads["weight"][:, ::2] = 0
        return dx

    monkeypatch.setattr(Dense, "_backward", partial)
    net = build_network("tiny", dtype="float64", seed=0)
    errors = checked(net, make_batch, entries=24)
    assert errors["F5.weight"] > 0.1


def test_connection_table_kernels_held_at_zero_are_not_compared(make_batch):
    """Perturbing an absent connection's kernel does change E (the forward pass reads it), but
    its gradient is zero by design; the check must leave those entries out, and only those."""
    net = one_layer_net([Conv2D(3, 2, 2, connections=[[1, 0, 0], [0, 1, 1]])], (3, 3, 3))
    errors = checked(net, make_batch, entries=1000)  # every entry of C1's weight
    assert errors["conv.weight"] < TOL


# ----------------------------------------------------------------------------- the command
def table_rows(out: str, arch: str) -> dict[str, list[str]]:
    """``{key: [shape, entries, error, verdict]}`` from the table printed for ``arch``."""
    block = out.split(f"\n{arch}: ", 1)[1].split("\n\n", 1)[0].splitlines()
    assert block[1].split() == ["parameter", "shape", "entries", "rel.", "error"]
    return {line.split()[0]: line.split()[1:] for line in block[2:-1]}


def test_command_checks_lenet5_and_every_layer_by_default(capsys):
    assert cli.main(["gradcheck", "--batch-size", "3", "--entries", "6"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    for arch in ("lenet5", "every-layer"):
        rows = table_rows(out, arch)
        net = build_network(arch)
        assert list(rows) == [k for k, _, _ in net.named_params()] + ["input"]
        for key, (shape, entries, error, verdict) in rows.items():
            assert verdict == "OK" and float(error) < 1e-6, key
            assert int(entries) == min(6, int(np.prod([int(d) for d in shape.split("×")])))
        assert rows["C1.weight"][0] == {"lenet5": "6×1×5×5", "every-layer": "4×2×3×3"}[arch]
        assert rows["input"][0] == {"lenet5": "3×1×28×28", "every-layer": "3×2×12×12"}[arch]
    assert out.count("max rel. error") == 2 and "(threshold 1e-06): OK" in out


def test_command_float32_uses_a_looser_documented_threshold(capsys):
    args = ["gradcheck", "--arch", "tiny", "--dtype", "float32", "--batch-size", "2"]
    assert cli.main([*args, "--entries", "6", "--seed", "3"]) == 0
    out, _ = capsys.readouterr()
    assert "threshold 0.01 in float32" in out and "float64 for a strict check" in out
    rows = table_rows(out, "tiny")
    assert all(r[3] == "OK" for r in rows.values())
    assert "lenet5" not in out


def test_command_reads_an_architecture_file(tmp_path, capsys):
    path = tmp_path / "mine.toml"
    path.write_text(
        'input_shape = [1, 9, 9]\n[[layers]]\ntype = "conv"\nout_channels = 2\nkernel_size = 3\n'
        'stride = 2\n[[layers]]\ntype = "tanh"\n[[layers]]\ntype = "flatten"\n'
        '[[layers]]\ntype = "dense"\nout_features = "classes"\n',
        encoding="utf-8",
    )
    assert cli.main(["gradcheck", "--arch", str(path), "--entries", "5"]) == 0
    rows = table_rows(capsys.readouterr().out, str(path))
    assert list(rows) == ["C1.weight", "C1.bias", "F2.weight", "F2.bias", "input"]
    assert rows["C1.weight"][:2] == ["2×1×3×3", "5"]


@pytest.mark.parametrize("arch", ["lenet6", "missing.toml", "bad.json"])
def test_command_bad_architecture_is_one_line_on_stderr(arch, tmp_path, capsys):
    (tmp_path / "bad.json").write_text('{"layers": [', encoding="utf-8")
    assert cli.main(["gradcheck", "--arch", str(tmp_path / arch) if "." in arch else arch]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("cnnviz: error: ") and err.count("\n") == 1
    assert "Traceback" not in err


def test_command_rejects_a_non_positive_entry_count(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["gradcheck", "--entries", "0"])
    assert exc.value.code == 2
    assert "--entries" in capsys.readouterr().err


def test_command_fails_on_a_broken_backward(monkeypatch, capsys):
    original = Dense._backward

    def off_by_one_percent(self, dy, need_dx):
        return original(self, dy * 1.01, need_dx)

    monkeypatch.setattr(Dense, "_backward", off_by_one_percent)
    args = ["gradcheck", "--arch", "lenet5", "--batch-size", "2", "--entries", "6"]
    assert cli.main(args) == 1
    out, _ = capsys.readouterr()
    rows = table_rows(out, "lenet5")
    assert rows["C1.weight"][3] == "FAIL" and rows["F7.weight"][3] == "FAIL"
    assert "(threshold 1e-06): FAIL" in out
