"""Architecture files with batch norm, dropout, global average pooling and ``init``
(cnnviz/training/bounds.py and architectures.py): names, shapes, the bias rule and the
initialisation are what the plan says and what the network is."""

from __future__ import annotations

import numpy as np
import pytest

from cnnviz.engine import BatchNorm1D, BatchNorm2D, Dropout, GlobalAvgPool
from cnnviz.training.architectures import ArchitectureError, build_network, load_architecture
from cnnviz.training.bounds import plan

SPEC = {
    "layers": [
        {"type": "conv", "out_channels": 3, "kernel_size": 3, "padding": 1},
        {"type": "batchnorm", "momentum": 0.2, "eps": 1e-3},
        {"type": "relu"},
        {"type": "globalavgpool"},
        {"type": "flatten"},
        {"type": "dense", "out_features": 5},
        {"type": "batchnorm"},
        {"type": "relu"},
        {"type": "dropout", "p": 0.25},
        {"type": "dense", "out_features": "classes"},
    ]
}


def test_new_layer_types_build_with_pytorch_names():
    net = build_network(SPEC, (2, 6, 6), 4)
    names = [layer.name for layer in net.layers]
    assert names == ["C1", "C1.bn", "C1.relu", "S2", "flatten", "F3", "F3.bn", "F3.relu",
                     "F3.dropout", "F4"]  # fmt: skip
    bn2, bn1 = net.layers[1], net.layers[6]
    assert isinstance(bn2, BatchNorm2D) and isinstance(bn1, BatchNorm1D)
    assert (bn2.momentum, bn2.eps) == (0.2, 1e-3) and (bn1.momentum, bn1.eps) == (0.1, 1e-5)
    assert isinstance(net.layers[3], GlobalAvgPool) and net.layers[3].out_shape == (3, 1, 1)
    assert isinstance(net.layers[8], Dropout) and net.layers[8].p == 0.25
    state = net.state_dict(buffers=True)
    assert {"C1.bn.weight", "C1.bn.bias", "C1.bn.running_mean", "C1.bn.running_var",
            "C1.bn.num_batches_tracked"} <= set(state)  # fmt: skip
    p = plan(SPEC, [2, 6, 6], 4)
    assert p.names == names
    assert p.params == {k: a.shape for k, a in net.state_dict().items()}
    assert p.buffers == {k: b.shape for k, b in net.named_buffers()}


def test_a_layer_before_batch_norm_has_no_bias_unless_given():
    net = build_network(SPEC, (2, 6, 6), 4)
    assert "C1.bias" not in net.state_dict() and "F3.bias" not in net.state_dict()
    assert "F4.bias" in net.state_dict()  # not followed by batch norm
    layers = [dict(d) for d in SPEC["layers"]]
    layers[0]["bias"] = True
    net = build_network({"layers": layers}, (2, 6, 6), 4)
    assert "C1.bias" in net.state_dict() and "F3.bias" not in net.state_dict()


def test_init_per_layer_and_for_the_whole_file():
    layers = [dict(d) for d in SPEC["layers"]]
    layers[5]["init"] = {"scheme": "normal", "std": 0.5}
    net = build_network({"init": "zeros", "layers": layers}, (2, 6, 6), 4)
    assert not net.state_dict()["C1.weight"].any() and not net.state_dict()["F4.weight"].any()
    w = net.state_dict()["F3.weight"]
    assert w.any() and 0.2 < float(np.std(w)) < 1.0
    a = build_network({"init": "glorot", "layers": SPEC["layers"]}, (2, 6, 6), 4)
    b = build_network(SPEC, (2, 6, 6), 4)  # default: He before ReLU
    assert not np.array_equal(a.state_dict()["C1.weight"], b.state_dict()["C1.weight"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"init": "uniform"}, r"unknown init 'uniform'"),
        ({"init": {"scheme": "normal", "std": -1}}, r"init std must be a positive number"),
        ({"init": 3}, r"init must be a scheme name"),
    ],
)
def test_bad_init_is_one_line(change, message):
    with pytest.raises(ArchitectureError, match=message):
        build_network(change | {"layers": SPEC["layers"]}, (2, 6, 6), 4)
    layers = [dict(d) for d in SPEC["layers"]]
    layers[0] |= change
    with pytest.raises(ArchitectureError, match=r"layer 1 \(conv\): " + message):
        build_network({"layers": layers}, (2, 6, 6), 4)


@pytest.mark.parametrize(
    ("layer", "message"),
    [
        ({"type": "dropout", "p": 1.5}, r"layer 2 \(dropout\): p must be a finite number"),
        ({"type": "batchnorm", "eps": 0}, r"layer 2 \(batchnorm\): eps must be"),
        ({"type": "batchnorm", "momentum": "x"}, r"momentum must be a number"),
        ({"type": "batchnorm", "momentun": 0.1}, r"did you mean 'momentum'"),
    ],
)
def test_bad_fields_of_the_new_types(layer, message):
    spec = {"layers": [{"type": "flatten"}, layer, {"type": "dense", "out_features": 2}]}
    with pytest.raises(ArchitectureError, match=message):
        build_network(spec, (1, 4, 4), 2)


def test_global_pool_needs_maps():
    spec = {"layers": [{"type": "flatten"}, {"type": "globalavgpool"},
                       {"type": "dense", "out_features": 2}]}  # fmt: skip
    with pytest.raises(ArchitectureError, match=r"S1 \(globalavgpool, #2\): global average"):
        plan(spec, [1, 4, 4], 2)


def test_toml_file_with_the_new_types(tmp_path):
    f = tmp_path / "bn.toml"
    f.write_text(
        'init = "lecun"\n'
        '[[layers]]\ntype = "conv"\nout_channels = 2\nkernel_size = 3\n'
        'init = { scheme = "normal", std = 0.1 }\n'
        '[[layers]]\ntype = "batchnorm"\n[[layers]]\ntype = "globalavgpool"\n'
        '[[layers]]\ntype = "flatten"\n[[layers]]\ntype = "dropout"\np = 0.1\n'
        '[[layers]]\ntype = "dense"\nout_features = "classes"\n'
    )
    spec = load_architecture(f)
    net = build_network(spec, (1, 8, 8), 3)
    assert [layer.kind for layer in net.layers] == [
        "conv", "batchnorm2d", "globalavgpool", "flatten", "dropout", "dense"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("preset", "shape", "kinds"),
    [
        ("keras-mnist", (1, 28, 28), {"conv": 2, "maxpool": 2, "dropout": 1, "dense": 1}),
        ("cifar-small", (3, 32, 32), {"conv": 3, "maxpool": 3, "dense": 2}),
        ("cifar-bn", (3, 32, 32), {"conv": 3, "batchnorm2d": 3, "dropout": 1, "dense": 2}),
    ],
)
def test_the_new_presets(preset, shape, kinds):
    net = build_network(preset, shape, 10)
    for kind, n in kinds.items():
        assert sum(layer.kind == kind for layer in net.layers) == n, kind
    assert net.layers[-1].kind == "dense" and net.output_shape == (10,)
    if preset == "cifar-bn":
        assert not any(k.startswith("C") and k.endswith(".bias") and ".bn" not in k
                       for k in net.state_dict())  # fmt: skip
