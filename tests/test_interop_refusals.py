"""Refusals of cnnviz import: every file that is not a chain cnnviz can build, or that is
hostile or damaged, is refused with one line naming the file, the node and why, and nothing
is written. Graphs are made with onnx.helper; hostile tensors by hand."""

from __future__ import annotations

import sys

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
pytest.importorskip("safetensors")

from onnx import TensorProto, helper  # noqa: E402

from cnnviz.cli import main  # noqa: E402
from cnnviz.errors import CnnvizError  # noqa: E402
from cnnviz.interop import InteropError, limits, require  # noqa: E402
from cnnviz.interop.onnx_import import import_onnx  # noqa: E402
from cnnviz.interop.weights import save_safetensors  # noqa: E402
from cnnviz.training.architectures import build_network  # noqa: E402


def one_line_error(capsys, argv: list[str]) -> str:
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("cnnviz: error: ") and err.count("\n") == 1, err
    return err


def tiny_weights() -> dict[str, np.ndarray]:
    return build_network("tiny", None, 10).state_dict()


# ------------------------------------------------------------------------------------ refusals
def graph_model(nodes, inits=(), shape=("N", 1, 8, 8), out="y", opset=17, ir=8, extra=()):
    inputs = [
        helper.make_tensor_value_info(x, TensorProto.FLOAT, list(shape)) for x in ("x", *extra)
    ]
    g = helper.make_graph(
        nodes, "g", inputs,
        [helper.make_tensor_value_info(out, TensorProto.FLOAT, None)], initializer=list(inits),
    )  # fmt: skip
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)], ir_version=ir)


def const(name, a):
    a = np.asarray(a, np.float32)
    return helper.make_tensor(name, TensorProto.FLOAT, a.shape, a.tobytes(), raw=True)


def raw_tensor(name: str, dims: list[int], raw: bytes):
    """A float tensor as a hostile file may hold it (onnx.helper would check the size)."""
    t = TensorProto()
    t.name, t.data_type, t.raw_data = name, TensorProto.FLOAT, raw
    t.dims.extend(dims)
    return t


def conv_net(**conv_attrs):
    """x → Conv(2 maps 3×3) → Flatten → Gemm(10): the smallest chain that imports."""
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], name="conv", **conv_attrs),
        helper.make_node("Flatten", ["c"], ["f"], name="flat"),
        helper.make_node("Gemm", ["f", "fc"], ["y"], name="fc", transB=1),
    ]
    return nodes, [const("w", np.ones((2, 1, 3, 3))), const("fc", np.ones((10, 72)))]


def refused(tmp_path, capsys, model_or_bytes, *flags) -> str:
    path = tmp_path / "bad.onnx"
    if isinstance(model_or_bytes, bytes):
        path.write_bytes(model_or_bytes)
    else:
        path.write_bytes(model_or_bytes.SerializeToString())
    err = one_line_error(capsys, ["import", str(path), *flags])
    assert not (tmp_path / "bad.cnnviz.npz").exists()
    assert str(path) in err
    return err


def test_the_smallest_chain_imports(tmp_path):
    nodes, inits = conv_net()
    onnx.save(graph_model(nodes, inits), tmp_path / "ok.onnx")
    im = import_onnx(tmp_path / "ok.onnx")
    assert [d["type"] for d in im.spec["layers"]] == ["conv", "flatten", "dense"]
    assert im.input_shape == (1, 8, 8)


@pytest.mark.parametrize(
    "attrs, message",
    [
        ({"group": 2}, "group = 2"),
        ({"dilations": [2, 2]}, "dilation"),
        ({"pads": [1, 0, 1, 0]}, "not symmetric"),
        ({"strides": [1, 2]}, "strides [1, 2]"),
    ],
)
def test_conv_attributes_cnnviz_lacks_are_refused(tmp_path, capsys, attrs, message):
    nodes, inits = conv_net(**attrs)
    if attrs.get("group") == 2:
        inits[0] = const("w", np.ones((2, 1, 3, 3)))
        nodes[0] = helper.make_node("Conv", ["x", "w"], ["c"], name="conv", group=2)
    err = refused(tmp_path, capsys, graph_model(nodes, inits))
    assert "node conv (Conv)" in err and message in err


def test_a_branch_is_refused_naming_the_node(tmp_path, capsys):
    nodes = [
        helper.make_node("Relu", ["x"], ["r"], name="relu"),
        helper.make_node("Add", ["x", "r"], ["s"], name="skip"),  # a residual connection
        helper.make_node("Flatten", ["s"], ["f"], name="flat"),
        helper.make_node("Gemm", ["f", "fc"], ["y"], name="fc", transB=1),
    ]
    err = refused(tmp_path, capsys, graph_model(nodes, [const("fc", np.ones((10, 64)))]))
    assert "node skip (Add)" in err and "branches" in err and "chain" in err


def test_an_unsupported_operator_is_refused_with_what_is_supported(tmp_path, capsys):
    nodes, inits = conv_net()
    nodes.insert(1, helper.make_node("Sin", ["c"], ["c2"], name="wave"))
    nodes[2].input[0] = "c2"
    err = refused(tmp_path, capsys, graph_model(nodes, inits))
    assert "node wave (Sin)" in err and "Conv, Gemm" in err


def test_pooling_with_padding_is_refused(tmp_path, capsys):
    nodes, inits = conv_net()
    nodes.insert(1, helper.make_node("MaxPool", ["c"], ["p"], name="pool", kernel_shape=[2, 2],
                                     strides=[2, 2], pads=[1, 1, 1, 1]))  # fmt: skip
    nodes[2].input[0] = "p"
    assert "padding in pooling" in refused(tmp_path, capsys, graph_model(nodes, inits))


@pytest.mark.parametrize("op", ["BatchNormalization", "Dropout"])
def test_batchnorm_and_dropout_import_as_layers_or_folded_and_left_out(tmp_path, op):
    nodes, inits = conv_net()
    if op == "Dropout":
        ratio = const("ratio", np.array(0.25))
        extra = helper.make_node("Dropout", ["c", "ratio"], ["c2"], name="drop")
        inits.append(ratio)
    else:
        extra = helper.make_node("BatchNormalization", ["c", "bn.weight", "b", "m", "v"],
                                 ["c2"], name="bn", epsilon=1e-3, momentum=0.8)  # fmt: skip
        inits += [const(k, np.full(2, 0.5 + i)) for i, k in enumerate(["bn.weight", *"bmv"])]
    nodes.insert(1, extra)
    nodes[2].input[0] = "c2"
    onnx.save(graph_model(nodes, inits), tmp_path / "ok.onnx")
    im = import_onnx(tmp_path / "ok.onnx")
    layers = im.spec["layers"]
    assert [d["type"] for d in layers] == ["conv", op.lower()[:9], "flatten", "dense"]
    if op == "Dropout":
        assert layers[1]["p"] == 0.25
    else:  # ONNX's momentum is the old statistics' share, cnnviz's (PyTorch's) the new one's
        assert layers[1]["eps"] == 1e-3 and abs(layers[1]["momentum"] - 0.2) < 1e-12
        assert layers[1]["name"] == "bn"  # PyTorch's name, from the initialiser's
        assert {"bn.weight", "bn.bias", "bn.running_mean", "bn.running_var"} <= set(im.params)
        assert np.all(im.params["bn.running_var"] == 3.5)
    im = import_onnx(tmp_path / "ok.onnx", fold_batchnorm=True, skip_dropout=True)
    assert [d["type"] for d in im.spec["layers"]] == ["conv", "flatten", "dense"]


@pytest.mark.parametrize(
    "stats, why",
    [
        ({"v": np.full(2, -1.0)}, "variance"),
        ({"m": np.full(3, 0.0)}, "constant vectors of the 2 channels"),
    ],
)
def test_batchnorm_with_bad_statistics_is_refused(tmp_path, capsys, stats, why):
    nodes, inits = conv_net()
    given = {"g": np.ones(2), "b": np.zeros(2), "m": np.zeros(2), "v": np.ones(2)} | stats
    nodes.insert(1, helper.make_node("BatchNormalization", ["c", *"gbmv"], ["c2"], name="bn"))
    nodes[2].input[0] = "c2"
    err = refused(
        tmp_path, capsys, graph_model(nodes, inits + [const(k, v) for k, v in given.items()])
    )
    assert "bn" in err and why in err


def test_dropout_ratio_outside_0_1_is_refused(tmp_path, capsys):
    nodes, inits = conv_net()
    nodes.insert(1, helper.make_node("Dropout", ["c", "r"], ["c2"], name="drop"))
    nodes[2].input[0] = "c2"
    err = refused(tmp_path, capsys, graph_model(nodes, inits + [const("r", np.array(1.5))]))
    assert "drop" in err and "[0, 1)" in err


@pytest.mark.parametrize("opset", [10, 22])
def test_opsets_outside_11_to_21_are_refused(tmp_path, capsys, opset):
    nodes, inits = conv_net()
    err = refused(tmp_path, capsys, graph_model(nodes, inits, opset=opset))
    assert f"opset {opset}" in err and "11–21" in err


def test_external_data_is_refused_and_never_followed(tmp_path, capsys):
    nodes, inits = conv_net()
    inits[1] = raw_tensor("fc", [10, 72], b"")
    inits[1].data_location = TensorProto.EXTERNAL
    entry = inits[1].external_data.add()
    entry.key, entry.value = "location", "/etc/passwd"
    err = refused(tmp_path, capsys, graph_model(nodes, inits))
    assert "external data" in err and "fc" in err


def test_truncated_and_corrupt_files_are_refused(tmp_path, capsys):
    nodes, inits = conv_net()
    data = graph_model(nodes, inits).SerializeToString()
    for bad in (data[: len(data) // 2], b"\x08\x07\x12\xff\xff\xff\xff\x0f garbage", b""):
        err = refused(tmp_path, capsys, bad)
        assert "not an ONNX model, or damaged" in err


def test_huge_declared_dims_are_refused_before_allocating(tmp_path, capsys):
    nodes, inits = conv_net()
    inits[1] = raw_tensor("fc", [1 << 20, 1 << 20], b"\0" * 8)
    err = refused(tmp_path, capsys, graph_model(nodes, inits))
    assert "initialiser fc declares (1048576, 1048576)" in err


def test_an_initialiser_whose_size_does_not_match_its_shape_is_refused(tmp_path, capsys):
    nodes, inits = conv_net()
    inits[1] = raw_tensor("fc", [10, 72], b"\0" * 40)
    err = refused(tmp_path, capsys, graph_model(nodes, inits))
    assert "initialiser fc declares shape (10, 72)" in err and "holds 40 bytes" in err


def test_the_node_and_file_size_bounds_hold(tmp_path, capsys, monkeypatch):
    nodes, inits = conv_net()
    monkeypatch.setattr(limits, "MAX_NODES", 2)
    assert "3 nodes (at most 2)" in refused(tmp_path, capsys, graph_model(nodes, inits))
    monkeypatch.setattr(limits, "MAX_NODES", 100)
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 100)
    assert "more than the" in refused(tmp_path, capsys, graph_model(nodes, inits))


def test_a_symbolic_image_size_and_two_inputs_are_refused(tmp_path, capsys):
    nodes, inits = conv_net()
    err = refused(tmp_path, capsys, graph_model(nodes, inits, shape=("N", 1, "H", 8)))
    assert "only the batch axis may vary" in err
    inits.pop()  # the dense weight becomes a second input
    assert "2 inputs" in refused(tmp_path, capsys, graph_model(nodes, inits, extra=["fc"]))
    assert "no node makes" in refused(tmp_path, capsys, graph_model(nodes, inits))


def test_a_truncated_safetensors_file_is_refused(tmp_path, capsys):
    save_safetensors(tmp_path / "w.safetensors", tiny_weights(), {"x": 1})
    data = (tmp_path / "w.safetensors").read_bytes()
    (tmp_path / "w.safetensors").write_bytes(data[: len(data) - 7])
    err = one_line_error(capsys, ["import", str(tmp_path / "w.safetensors"), "--arch", "tiny"])
    assert "damaged" in err and not (tmp_path / "w.cnnviz.npz").exists()


def test_without_the_packages_the_message_says_what_to_install(monkeypatch, tmp_path, capsys):
    nodes, inits = conv_net()
    onnx.save(graph_model(nodes, inits), tmp_path / "m.onnx")
    save_safetensors(tmp_path / "w.safetensors", tiny_weights())
    monkeypatch.setitem(sys.modules, "onnx", None)
    monkeypatch.setitem(sys.modules, "safetensors", None)
    with pytest.raises(InteropError, match=r"pip install 'cnnviz\[interop\]'"):
        require("onnx")
    assert issubclass(InteropError, CnnvizError)
    for argv in (["import", str(tmp_path / "m.onnx")],
                 ["import", str(tmp_path / "w.safetensors"), "--arch", "tiny"]):  # fmt: skip
        assert "pip install 'cnnviz[interop]'" in one_line_error(capsys, argv)
    assert not (tmp_path / "m.cnnviz.npz").exists()


def with_node(node, at: int = 1, inits=()):
    """conv_net with ``node`` spliced in after the conv (it reads ``c`` and writes ``c2``)."""
    nodes, base = conv_net()
    nodes.insert(at, node)
    nodes[at + 1].input[0] = "c2"
    return graph_model(nodes, [*base, *inits])


@pytest.mark.parametrize(
    "model, message",
    [
        (lambda: with_node(helper.make_node("Reshape", ["c", "s"], ["c2"], name="r"),
                           inits=[helper.make_tensor("s", TensorProto.INT64, [3], [0, 2, 36])]),
         "node r (Reshape): a Reshape to ['0', '2', '36'] is not a flatten"),
        (lambda: with_node(helper.make_node("Softmax", ["c"], ["c2"], name="sm", axis=1)),
         "only a softmax over the class scores"),
        (lambda: with_node(helper.make_node("Relu", ["c"], ["c2"], name="mine",
                                            domain="com.example")),
         "node mine (Relu): operator domain 'com.example'"),
        (lambda: with_node(helper.make_node("MaxPool", ["c"], ["c2"], name="p",
                                            kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1)),
         "ceil_mode = 1"),
        (lambda: with_node(helper.make_node("Mul", ["c", "k"], ["c2"], name="scale"),
                           inits=[const("k", np.full((2, 1, 1), 3.0))]),
         "node scale (Mul): Mul by a constant is supported only as"),
    ],
)  # fmt: skip
def test_more_refusals_each_naming_the_node(tmp_path, capsys, model, message):
    assert message in refused(tmp_path, capsys, model())


def test_a_softmax_must_end_the_network(tmp_path, capsys):
    nodes, inits = conv_net()
    nodes[-1].output[0] = "g"
    nodes += [helper.make_node("Softmax", ["g"], ["s"], name="sm"),
              helper.make_node("Relu", ["s"], ["y"], name="after")]  # fmt: skip
    err = refused(tmp_path, capsys, graph_model(nodes, inits))
    assert "node after (Relu): follows the Softmax" in err


def test_the_parameter_and_activation_budgets_hold(tmp_path, capsys, monkeypatch):
    nodes, inits = conv_net()
    monkeypatch.setattr(limits, "MAX_PARAMS", 500)
    assert "declares 738 weights (at most 500)" in refused(tmp_path, capsys,
                                                           graph_model(nodes, inits))  # fmt: skip
    monkeypatch.setattr(limits, "MAX_PARAMS", 10**8)
    monkeypatch.setattr(limits, "MAX_ACTIVATIONS", 50)
    err = refused(tmp_path, capsys, graph_model(nodes, inits))
    assert "node conv (Conv): the layers' outputs exceed 50 values per sample" in err
