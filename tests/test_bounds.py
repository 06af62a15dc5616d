"""The plan of an architecture (cnnviz/training/bounds.py): it agrees with the network that is
built from it, and every limit is exact — one below is accepted, one above refused."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from cnnviz.training import bounds
from cnnviz.training.architectures import (
    PRESETS,
    ArchitectureError,
    build_network,
    load_architecture,
)
from cnnviz.training.bounds import plan

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "resources/architectures").iterdir())


def _input(spec):
    return spec.get("input_shape") or [1, 28, 28]


@pytest.mark.parametrize("arch", [*PRESETS, *map(str, EXAMPLES)])
def test_the_plan_is_the_network(arch):
    spec = load_architecture(arch)
    p = plan(spec, _input(spec), 10)
    net = build_network(spec, tuple(_input(spec)), 10)
    assert [layer.name for layer in net.layers] == p.names
    assert [layer.out_shape for layer in net.layers] == p.shapes
    assert {k: a.shape for k, a in net.state_dict().items()} == p.params
    assert list(net.state_dict()) == list(p.params)  # the order a model file lists them in
    assert p.num_params == net.num_params
    convs = [layer for layer in net.layers if layer.kind == "conv"]
    cols = sum(c.in_channels * c.kh * c.kw * math.prod(c.out_hw) for c in convs)
    outputs = sum(math.prod(layer.out_shape) for layer in net.layers)
    assert p.activations == math.prod(net.input_shape) + outputs + cols


def dense_net(n_relu: int) -> dict:
    return {"layers": [{"type": "flatten"}, {"type": "dense", "out_features": "classes"}]
            + [{"type": "relu"}] * n_relu}  # fmt: skip


def test_the_layer_limit_is_exact():
    assert len(plan(dense_net(bounds.MAX_LAYERS - 2), [4], 3).names) == bounds.MAX_LAYERS
    with pytest.raises(ArchitectureError, match="1,001 layers, more than the 1,000 allowed"):
        plan(dense_net(bounds.MAX_LAYERS - 1), [4], 3)


def test_the_parameter_limit_is_exact():
    # a dense layer from n inputs to 1,000 outputs with biases has 1,000·n + 1,000 parameters
    spec = {"layers": [{"type": "flatten"}, {"type": "dense", "out_features": 1000}]}
    assert plan(spec, [3, 1, 33_333], 1000).num_params == 99_999_000 + 1000
    message = r"F1 \(dense, #2\): .* 100,001,000 parameters, more than the 100,000,000 allowed"
    with pytest.raises(ArchitectureError, match=message):
        plan(spec, [2, 1, 50_000], 1000)
    with pytest.raises(ArchitectureError, match=r"input_shape must be \[C, H, W\] of whole "):
        plan(spec, [1, 1, bounds.MAX_SIZE + 1], 1000)


def test_the_activation_budget_counts_outputs_and_im2col_columns():
    spec = {"layers": [{"type": "conv", "out_channels": 1, "kernel_size": 1}, {"type": "flatten"},
                       {"type": "dense", "out_features": 1}]}  # fmt: skip
    # input h·w, conv output h·w, its columns h·w, flatten h·w, dense 1
    side = 2048
    assert plan(spec, [1, side, side], 1).activations == 4 * side * side + 1
    wide = [spec["layers"][0] | {"out_channels": 8}, *spec["layers"][1:]]
    # 4 Mi input + 32 Mi output + 4 Mi columns, then flatten's 32 Mi passes 64 Mi
    with pytest.raises(ArchitectureError, match=r"layer flatten \(flatten, #2\): the activations "
                       r"of one image would reach 75,497,472 values"):  # fmt: skip
        plan({"layers": wide}, [1, side, side], 1)


def test_a_new_layer_type_is_one_table_entry(monkeypatch):
    """What adding e.g. a dropout layer takes in the plan: one LayerType."""
    entry = bounds.LayerType({"p": (bounds.number(0, 0.99), 0.5)}, lambda f, s, c: (s, {}))
    monkeypatch.setitem(bounds.LAYER_TYPES, "dropout", entry)
    spec = {"layers": [{"type": "flatten"}, {"type": "dropout", "p": 0.2},
                       {"type": "dense", "out_features": "classes"}]}  # fmt: skip
    p = plan(spec, [1, 4, 4], 3)
    assert p.names == ["flatten", "flatten.dropout", "F1"]
    assert p.fields[1] == {"p": 0.2}
    with pytest.raises(ArchitectureError, match=r"layer 2 \(dropout\): p must be a finite number"):
        plan(spec | {"layers": [spec["layers"][0], {"type": "dropout", "p": 2}]}, [1, 4, 4], 3)
