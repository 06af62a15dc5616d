"""A cnnviz network → an ONNX graph, built with ``onnx.helper`` (protobuf only).

One input ``input`` (N, C, H, W) with a symbolic batch axis ``N``, one output ``scores``
(N, K): the last layer's output, before the loss (the logits of softmax cross-entropy).
Every weight is an initialiser under its cnnviz name (``C1.weight``), every node is named
after its layer, so Netron shows the network as cnnviz does.

=================  ======================================================================
cnnviz layer       ONNX
=================  ======================================================================
conv               Conv; a connection table as the full kernel whose absent kernels are 0
dense              Gemm (transB = 1), after Flatten
flatten            Flatten (axis 1)
maxpool, avgpool   MaxPool, AveragePool (no padding, floor)
lppool             LpPool (integer p only: ONNX's p is an integer)
subsample          AveragePool × k² × β + b  (Bouvrie's β·down(x) + b, down summing k×k)
relu, sigmoid, …   Relu, LeakyRelu, Sigmoid, Tanh
scaled_tanh        Mul(2/3) → Tanh → Mul(1.7159)   (LeCun's A·tanh(S·x))
batchnorm1d/2d     BatchNormalization with the running statistics (inference)
dropout            Dropout (passes everything at inference)
globalavgpool      GlobalAveragePool
=================  ======================================================================
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnviz.engine import Network

from . import InteropError, require
from .onnx_tensors import from_array

DEFAULT_OPSET = 17
OPSETS = range(11, 22)  # the opsets cnnviz writes and reads
# the lowest IR version that carries each opset (onnx.helper.VERSION_TABLE)
_IR_VERSION = {11: 6, 12: 7, 13: 7, 14: 7, 15: 8, 16: 8, 17: 8, 18: 8, 19: 9, 20: 9, 21: 10}


class _Graph:
    """Nodes and initialisers appended in order along the chain."""

    def __init__(self, helper, opset: int) -> None:
        self.helper = helper
        self.opset = opset
        self.nodes: list = []
        self.inits: list = []
        self.value = "input"

    def const(self, name: str, a: np.ndarray) -> str:
        self.inits.append(from_array(name, a))
        return name

    def op(self, op_type: str, name: str, extra: list[str] = (), **attrs: Any) -> str:
        out = f"{name}:{op_type}"
        self.nodes.append(
            self.helper.make_node(op_type, [self.value, *extra], [out], name=name, **attrs)
        )
        self.value = out
        return out


def to_onnx(
    net: Network,
    name: str = "cnnviz",
    opset: int = DEFAULT_OPSET,
    doc: str = "",
    metadata: dict[str, str] | None = None,
):
    """The ONNX ``ModelProto`` of ``net`` (its parameters as they are now).

    ``metadata`` goes into the model's ``metadata_props`` (text); cnnviz writes its dataset,
    class names and normalisation there (``cnnviz.dataset``, …) and reads them back on import.

    Raises
    ------
    InteropError : an opset outside 11–21, or a layer ONNX cannot express (Lp pooling with
        a fractional p).
    """
    onnx = require("onnx")
    helper = onnx.helper
    if opset not in OPSETS:
        raise InteropError(f"opset {opset} is not supported (choose {OPSETS[0]}–{OPSETS[-1]})")
    g = _Graph(helper, opset)
    dtype = net.dtype
    for layer in net.layers:
        _export_layer(g, layer, dtype)
    # the last node writes the graph output
    g.nodes[-1].output[0] = "scores"
    elem = 1 if dtype == np.float32 else 11
    inp = helper.make_tensor_value_info("input", elem, ["N", *net.input_shape])
    out = helper.make_tensor_value_info("scores", elem, ["N", *net.output_shape])
    graph = helper.make_graph(g.nodes, name, [inp], [out], initializer=g.inits, doc_string=doc)
    model = helper.make_model(
        graph,
        producer_name="cnnviz",
        opset_imports=[helper.make_opsetid("", opset)],
        ir_version=_IR_VERSION[opset],
    )
    for k, v in (metadata or {}).items():
        entry = model.metadata_props.add()
        entry.key, entry.value = k, v
    return model


def _export_layer(g: _Graph, layer, dtype: np.dtype) -> None:
    kind, name = layer.kind, layer.name
    t = dtype.type
    if kind == "conv":
        w = layer.params["weight"]
        if layer.mask is not None:  # absent kernels are zero (they already are after loading)
            w = w * layer.mask[:, :, None, None].astype(dtype)
        inputs = [g.const(f"{name}.weight", w)]
        if layer.use_bias:
            inputs.append(g.const(f"{name}.bias", layer.params["bias"]))
        p, s = layer.padding, layer.stride
        g.op("Conv", name, inputs, kernel_shape=[layer.kh, layer.kw], strides=[s, s],
             pads=[p, p, p, p], dilations=[1, 1], group=1)  # fmt: skip
    elif kind == "dense":
        inputs = [g.const(f"{name}.weight", layer.params["weight"])]
        if layer.use_bias:
            inputs.append(g.const(f"{name}.bias", layer.params["bias"]))
        g.op("Gemm", name, inputs, transB=1)
    elif kind == "flatten":
        g.op("Flatten", name, axis=1)
    elif kind in ("maxpool", "avgpool"):
        op = "MaxPool" if kind == "maxpool" else "AveragePool"
        g.op(op, name, kernel_shape=[layer.k, layer.k], strides=[layer.stride] * 2,
             pads=[0, 0, 0, 0])  # fmt: skip
    elif kind == "lppool":
        if layer.p != int(layer.p):
            raise InteropError(
                f"layer {name} (lppool): p = {layer.p:g} cannot be exported (ONNX's LpPool "
                "takes a whole p)"
            )
        g.op("LpPool", name, kernel_shape=[layer.k, layer.k], strides=[layer.stride] * 2,
             pads=[0, 0, 0, 0], p=int(layer.p))  # fmt: skip
    elif kind == "subsample":
        k2 = g.const(f"{name}.window", np.array(layer.k * layer.k, dtype))
        beta = g.const(f"{name}.beta", layer.params["beta"].reshape(-1, 1, 1))
        bias = g.const(f"{name}.bias", layer.params["bias"].reshape(-1, 1, 1))
        g.op("AveragePool", name, kernel_shape=[layer.k] * 2, strides=[layer.k] * 2)
        g.op("Mul", f"{name}.sum", [k2])  # mean × k² = the sum down(x)
        g.op("Mul", f"{name}.scale", [beta])
        g.op("Add", f"{name}.shift", [bias])
    elif kind in ("batchnorm2d", "batchnorm1d"):  # inference: the running statistics
        stats = [
            g.const(f"{name}.{k}", a)
            for k, a in (
                ("weight", layer.params["weight"]),
                ("bias", layer.params["bias"]),
                ("running_mean", layer.state_buffers["running_mean"]),
                ("running_var", layer.state_buffers["running_var"]),
            )
        ]
        extra = {} if layer.momentum is None else {"momentum": 1.0 - float(layer.momentum)}
        g.op("BatchNormalization", name, stats, epsilon=float(layer.eps), **extra)  # ONNX's
        # momentum is the old statistics' share, cnnviz's (PyTorch's) the new batch's
    elif kind == "dropout":  # passes everything at inference; kept so the graph shows it
        if g.opset >= 12:
            ratio = g.const(f"{name}.ratio", np.array(t(layer.p)))
            g.op("Dropout", name, [ratio])
        else:
            g.op("Dropout", name, ratio=float(layer.p))
    elif kind == "globalavgpool":
        g.op("GlobalAveragePool", name)
    elif kind == "relu":
        g.op("Relu", name)
    elif kind == "leaky_relu":
        g.op("LeakyRelu", name, alpha=float(layer.negative_slope))
    elif kind == "sigmoid":
        g.op("Sigmoid", name)
    elif kind == "tanh":
        g.op("Tanh", name)
    elif kind == "scaled_tanh":
        s = g.const(f"{name}.S", np.array(t(layer.S)))
        a = g.const(f"{name}.A", np.array(t(layer.A)))
        g.op("Mul", f"{name}.in", [s])
        g.op("Tanh", name)
        g.op("Mul", f"{name}.out", [a])
    else:
        raise InteropError(f"layer {name} ({kind}) cannot be exported to ONNX yet")
