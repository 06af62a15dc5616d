"""An ONNX graph → a cnnviz architecture spec and its weights, read as protobuf only.

No model code runs and onnxruntime is not needed: the file is parsed with the ``onnx``
package after its size is checked, every initialiser's declared size is bounded before it is
read (see :mod:`cnnviz.interop.onnx_tensors`), and the graph is walked node by node along the
one chain cnnviz networks are:

=======================================  ===============================================
ONNX                                     cnnviz layer
=======================================  ===============================================
Conv (group 1, dilation 1, symmetric     conv
padding, square kernel)
Gemm; MatMul + Add                       dense
Flatten (axis 1); a Reshape to (N, −1)   flatten
MaxPool, AveragePool, LpPool (no pads)   maxpool, avgpool, lppool
GlobalAveragePool                        globalavgpool
Relu, LeakyRelu, Sigmoid, Tanh           relu, leaky_relu, sigmoid, tanh
Mul(2/3) → Tanh → Mul(1.7159)            scaled_tanh
AveragePool → Mul(k²) → Mul(β) → Add(b)  subsample (LeNet-5's β·down(x) + b)
Softmax / LogSoftmax at the end          folded into the loss (softmax cross-entropy)
BatchNormalization (inference stats)     batchnorm (γ, β, running mean and variance)
Dropout                                  dropout (its ratio)
Identity                                 left out
=======================================  ===============================================

Constant nodes and the small shape computations exporters write (Shape → Gather →
Unsqueeze → Concat → Reshape for a flatten) are folded, the batch axis kept symbolic.
Anything else — a branch (a value used twice, or a node combining two values), an operator
outside the list, an attribute value cnnviz does not support — is refused with one line
naming the node, its operator and why. On request, ``fold_batchnorm`` folds a
BatchNormalization into the conv or dense layer before it instead (the same scores at
inference; trained on, it is then no longer batch norm), and ``skip_dropout`` leaves Dropout
out (it passes everything at inference). ONNX's ``momentum`` is the share of the old running
statistics (0.9); cnnviz's, like PyTorch's, is the new one's (0.1).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

from . import InteropError, limits, require
from .onnx_export import OPSETS
from .onnx_fold import BATCH, FOLDABLE, NAME, Refused, attrs, constant, fold, merge, spec_layers
from .onnx_tensors import TensorError, declared_size, is_external, to_array

SUPPORTED = (
    "Conv, Gemm, MatMul+Add, Flatten, Reshape (flatten), MaxPool, AveragePool, LpPool, "
    "GlobalAveragePool, Relu, LeakyRelu, Sigmoid, Tanh, Softmax/LogSoftmax at the end, "
    "Identity, Dropout, BatchNormalization"
)


@dataclass
class Imported:
    """What an ONNX file holds, in cnnviz's terms."""

    spec: dict[str, Any]  # an architecture spec (architectures.py's format)
    params: dict[str, np.ndarray]  # float32 weights under cnnviz's names
    input_shape: tuple[int, ...]
    num_classes: int
    opset: int
    producer: str
    notes: list[str] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)  # metadata_props (text)


# ------------------------------------------------------------------------------- reading
def read_model(path: str | os.PathLike):
    """Parse ``path`` as an ONNX ``ModelProto`` after checking its size; external data is
    not loaded (and is refused later)."""
    onnx = require("onnx")
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limits.MAX_FILE_BYTES:
            raise InteropError(
                f"{path}: is {size / 2**20:.0f} MiB, more than the "
                f"{limits.MAX_FILE_BYTES >> 20} MiB cnnviz reads"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InteropError(f"{path}: cannot open: {exc.strerror or exc}") from None
    model = onnx.ModelProto()
    try:
        model.ParseFromString(data)
    except Exception as exc:  # protobuf's DecodeError and its relatives
        text = str(exc).strip().split("\n", 1)[0][:150] or type(exc).__name__
        raise InteropError(f"{path}: not an ONNX model, or damaged ({text})") from None
    if not model.HasField("graph") or not model.graph.node:
        raise InteropError(f"{path}: not an ONNX model, or damaged (no graph)")
    return model


def import_onnx(
    path: str | os.PathLike, fold_batchnorm: bool = False, skip_dropout: bool = False
) -> Imported:
    """Read and convert ``path``; raises :class:`InteropError` (one line) on any refusal."""
    model = read_model(path)
    try:
        return convert(model, Path(path).stem.removesuffix(".onnx"), fold_batchnorm, skip_dropout)
    except Refused as exc:
        raise InteropError(f"{path}: {_printable(str(exc))}") from None


def _printable(text: str, limit: int = 400) -> str:
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ------------------------------------------------------------------------------- the walk
def _where(node, i: int) -> str:
    return f"node {node.name or f'#{i + 1}'} ({node.op_type})"


def _opset(model) -> int:
    versions = [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")]
    if not versions:
        raise Refused("declares no ONNX opset")
    v = int(versions[0])
    if v not in OPSETS:
        raise Refused(f"uses opset {v}; cnnviz reads opsets {OPSETS[0]}–{OPSETS[-1]}")
    return v


def _dims(value_info, what: str) -> list:
    t = value_info.type
    if not t.HasField("tensor_type"):
        raise Refused(f"{what} {value_info.name} is not a tensor")
    tt = t.tensor_type
    if tt.elem_type not in (1, 11):
        raise Refused(f"{what} {value_info.name} has element type {tt.elem_type}, not float")
    if not tt.HasField("shape"):
        raise Refused(f"{what} {value_info.name} has no declared shape")
    return [d.dim_value if d.HasField("dim_value") else (d.dim_param or "?") for d in tt.shape.dim]


def convert(
    model, name: str = "imported", fold_batchnorm: bool = False, skip_dropout: bool = False
) -> Imported:
    """Convert a parsed ``ModelProto`` (see :func:`import_onnx`)."""
    graph = model.graph
    opset = _opset(model)
    if len(graph.node) > limits.MAX_NODES:
        raise Refused(f"has {len(graph.node):,} nodes (at most {limits.MAX_NODES:,})")
    if len(graph.initializer) > limits.MAX_INITIALIZERS:
        raise Refused(
            f"has {len(graph.initializer):,} initialisers (at most {limits.MAX_INITIALIZERS:,})"
        )
    if len(graph.sparse_initializer):
        raise Refused("has sparse initialisers, which cnnviz does not read")
    # every declared size first, then the data
    total = 0
    for t in graph.initializer:
        if is_external(t):
            raise Refused(
                f"initialiser {t.name} is stored in another file (external data); cnnviz never "
                "follows such references (save the model with its weights inside)"
            )
        try:
            total += declared_size(t.dims)
        except TensorError as exc:
            raise Refused(f"initialiser {t.name} {exc}") from None
    if total > limits.MAX_PARAMS:
        raise Refused(f"declares {total:,} weights (at most {limits.MAX_PARAMS:,})")
    consts: dict[str, np.ndarray] = {}
    for t in graph.initializer:
        try:
            consts[t.name] = to_array(t)
        except TensorError as exc:
            raise Refused(f"initialiser {t.name} {exc}") from None

    inputs = [i for i in graph.input if i.name not in consts]
    if len(inputs) != 1:
        raise Refused(f"has {len(inputs)} inputs; cnnviz takes one image input")
    if len(graph.output) != 1:
        raise Refused(f"has {len(graph.output)} outputs; cnnviz needs one (the class scores)")
    dims = _dims(inputs[0], "input")
    if len(dims) not in (2, 4):
        raise Refused(
            f"input {inputs[0].name} has shape {dims}; cnnviz takes (N, C, H, W) or (N, F)"
        )
    if not all(isinstance(d, int) and d > 0 for d in dims[1:]):
        raise Refused(f"input {inputs[0].name} has shape {dims}: only the batch axis may vary")
    shape = tuple(int(d) for d in dims[1:])
    if math.prod(shape) > limits.MAX_INPUT_ELEMENTS:
        raise Refused(f"input {inputs[0].name} of {shape} is too large")
    fixed_batch = dims[0] if isinstance(dims[0], int) and dims[0] > 0 else None

    walk = _Walk(consts, shape, inputs[0].name, fixed_batch, opset, fold_batchnorm, skip_dropout)
    for i, node in enumerate(graph.node):
        walk.node(node, i)
    out_name = graph.output[0].name
    if walk.cur != out_name:
        raise Refused(
            f"the output {out_name} is not the end of the chain of layers (cnnviz takes one "
            "layer after another from the input to the output)"
        )
    records = merge(walk.records)
    notes = walk.notes
    loss = {"type": "softmax_ce"}
    if records and records[-1]["type"] in ("_softmax",):
        notes.append(f"{records[-1]['op']} at the end folded into the loss (softmax_ce)")
        records.pop()
    for r in records:
        if r["type"].startswith("_"):
            raise Refused(f"{r['where']}: {r['why']}; cnnviz imports a chain of {SUPPORTED}")
    if not records:
        raise Refused("has no layers")
    if len(records) > limits.MAX_LAYERS:
        raise Refused(f"has {len(records):,} layers (at most {limits.MAX_LAYERS:,})")
    out_shape = records[-1]["shape"]
    if len(out_shape) != 1:
        raise Refused(
            f"ends with maps {out_shape}, not one score per class (cnnviz needs (N, K) scores)"
        )
    producer = _printable(model.producer_name, 60) or "unknown"
    layers, params = spec_layers(records, producer == "cnnviz")
    spec = {
        "name": name,
        "description": f"imported from ONNX ({producer}, opset {opset})",
        "input_shape": list(shape),
        "loss": loss,
        "layers": layers,
    }
    metadata = {p.key: p.value for p in model.metadata_props[:100] if len(p.value) < 1 << 16}
    return Imported(spec, params, shape, int(out_shape[0]), opset, producer, notes, metadata)


class _Walk:
    """State of the walk along the chain: the constants folded so far, the value the chain
    has reached (``cur``) and its per-sample shape, and the layer records made."""

    def __init__(self, consts, shape, cur, fixed_batch, opset, fold_bn, skip_dropout):
        self.consts = consts
        self.shape = shape
        self.cur = cur
        self.fixed_batch = fixed_batch
        self.opset = opset
        self.fold_bn = fold_bn
        self.skip_dropout = skip_dropout
        self.records: list[dict] = []
        self.dead: set[str] = set()  # outputs of a node other than its first
        self.made: set[str] = {cur}  # values the graph has made so far (and its input)
        self.activations = 0
        self.notes: list[str] = []
        self.ended = False  # a Softmax was seen: nothing may follow

    def node(self, node, i: int) -> None:
        where = _where(node, i)
        if node.domain not in ("", "ai.onnx"):
            raise Refused(f"{where}: operator domain {node.domain!r} is not ONNX's own")
        op = node.op_type
        if not node.output or not node.output[0]:
            raise Refused(f"{where}: has no output")
        if op == "Constant":
            self.consts[node.output[0]] = constant(node, where)
            return
        used = [x for x in node.input if x]
        for x in used:
            if x in self.dead:
                raise Refused(f"{where}: uses {x}, a second output of another node")
        data = [x for x in used if x not in self.consts]
        for x in data:
            if x not in self.made:
                raise Refused(f"{where}: uses {x}, which no node makes and no initialiser holds")
        if op == "Shape" and data == [self.cur]:
            self._fold_shape(node, where)
            return
        if not data:
            if op not in FOLDABLE:
                raise Refused(
                    f"{where}: computing constants with {op} is not supported; cnnviz folds "
                    f"{', '.join(sorted(FOLDABLE))}"
                )
            self.consts[node.output[0]] = fold(op, node, [self.consts[x] for x in used], where)
            return
        if data != [self.cur] or node.input[0] != self.cur:
            other = next((x for x in data if x != self.cur), data[0])
            raise Refused(
                f"{where}: takes {other}, which is not the output of the layer before: the "
                "graph branches (cnnviz takes a chain: one layer after another, each used once)"
            )
        if self.ended:
            raise Refused(f"{where}: follows the Softmax; a Softmax may only end the network")
        self.dead.update(x for x in node.output[1:] if x)
        self.made.add(node.output[0])
        self._layer(node, where, attrs(node))
        self.cur = node.output[0]

    # ----------------------------------------------------------------------- folding
    def _fold_shape(self, node, where: str) -> None:
        full = np.array([BATCH, *self.shape], dtype=object)
        a = attrs(node)
        start, end = a.get("start", 0), a.get("end", None)
        self.consts[node.output[0]] = full[start:end]

    # ----------------------------------------------------------------------- layers
    def _const(self, node, k: int, where: str, what: str) -> np.ndarray | None:
        if len(node.input) <= k or not node.input[k]:
            return None
        a = self.consts[node.input[k]]
        if a.dtype == object or a.dtype.kind != "f":
            raise Refused(f"{where}: {what} must be float numbers")
        return a

    def _add(self, kind: str, where: str, out_shape: tuple, **rec) -> None:
        if any(s <= 0 for s in out_shape):
            raise Refused(f"{where}: gives an empty output {out_shape}")
        self.activations += math.prod(out_shape)
        if self.activations > limits.MAX_ACTIVATIONS:
            raise Refused(
                f"{where}: the layers' outputs exceed {limits.MAX_ACTIVATIONS:,} values per "
                "sample (more than cnnviz can keep for inspection)"
            )
        self.records.append({"type": kind, "where": where, "shape": out_shape, **rec})
        self.shape = out_shape

    def _layer(self, node, where: str, a: dict) -> None:
        op, shape = node.op_type, self.shape
        maps = len(shape) == 3
        if op in ("Conv", "MaxPool", "AveragePool", "LpPool", "GlobalAveragePool") and not maps:
            raise Refused(f"{where}: needs (N, C, H, W) maps, gets features {shape}")
        if op == "Conv":
            w = self._const(node, 1, where, "the kernel")
            if w is None or w.ndim != 4:
                raise Refused(f"{where}: the kernel must be a constant (O, C, kh, kw) tensor")
            b = self._const(node, 2, where, "the bias")
            o, c, kh, kw = w.shape
            if a.get("group", 1) != 1:
                raise Refused(
                    f"{where}: group = {a['group']} (grouped or depthwise convolution) is not "
                    "supported; cnnviz convolutions have group 1"
                )
            if any(d != 1 for d in a.get("dilations", [1, 1])):
                raise Refused(f"{where}: dilation {a['dilations']} is not supported (only 1)")
            if kh != kw:
                raise Refused(f"{where}: kernel {kh}×{kw} is not square (cnnviz kernels are)")
            if list(a.get("kernel_shape", [kh, kw])) != [kh, kw]:
                raise Refused(f"{where}: kernel_shape does not match the kernel {kh}×{kw}")
            if c != shape[0]:
                raise Refused(f"{where}: the kernel takes {c} maps, the input has {shape[0]}")
            if b is not None and b.shape != (o,):
                raise Refused(f"{where}: bias of shape {b.shape}, expected ({o},)")
            s = _one(a.get("strides", [1, 1]), where, "strides")
            p = _padding(a, kh, s, where)
            ho, wo = (shape[1] + 2 * p - kh) // s + 1, (shape[2] + 2 * p - kw) // s + 1
            params = {"weight": w} | ({"bias": b} if b is not None else {})
            self._add("conv", where, (o, ho, wo), name_hint=_hint(node, 1),
                      spec={"out_channels": o, "kernel_size": kh, "stride": s, "padding": p,
                            "bias": b is not None}, params=params)  # fmt: skip
        elif op in ("MaxPool", "AveragePool", "LpPool"):
            k = _one(a.get("kernel_shape", []), where, "kernel_shape")
            s = _one(a.get("strides", [1, 1]), where, "strides")
            if any(a.get("pads", [0, 0, 0, 0])) or a.get("auto_pad", b"NOTSET") not in (
                b"NOTSET",
                b"VALID",
                "NOTSET",
                "VALID",
            ):
                raise Refused(f"{where}: padding in pooling is not supported (cnnviz pools "
                               "without padding)")  # fmt: skip
            if any(d != 1 for d in a.get("dilations", [1, 1])):
                raise Refused(f"{where}: dilation {a['dilations']} is not supported (only 1)")
            if k > shape[1] or k > shape[2]:
                raise Refused(f"{where}: window {k}×{k} is larger than the maps {shape}")
            ho, wo = (shape[1] - k) // s + 1, (shape[2] - k) // s + 1
            if a.get("ceil_mode", 0):
                ceil = (-(-(shape[1] - k) // s) + 1, -(-(shape[2] - k) // s) + 1)
                if ceil != (ho, wo):
                    raise Refused(f"{where}: ceil_mode = 1 with maps that do not divide "
                                   "evenly is not supported (cnnviz rounds down)")  # fmt: skip
            kind = {"MaxPool": "maxpool", "AveragePool": "avgpool", "LpPool": "lppool"}[op]
            spec = {"kernel_size": k, "stride": s}
            if op == "LpPool":
                spec["p"] = float(a.get("p", 2))
            self._add(kind, where, (shape[0], ho, wo), spec=spec, node=node.name)
        elif op == "GlobalAveragePool":
            self._add("globalavgpool", where, (shape[0], 1, 1), node=node.name)
        elif op in ("Gemm", "MatMul"):
            if maps:
                raise Refused(f"{where}: gets maps {shape}; a Flatten must come first")
            if op == "Gemm":
                if a.get("transA", 0):
                    raise Refused(f"{where}: transA = 1 is not supported")
                bmat = self._const(node, 1, where, "the weight")
                if bmat is None or bmat.ndim != 2:
                    raise Refused(f"{where}: the weight must be a constant matrix")
                alpha, beta = float(a.get("alpha", 1.0)), float(a.get("beta", 1.0))
                w = bmat if a.get("transB", 0) else bmat.T
                if alpha != 1.0:  # (only then: the weights keep their bits otherwise)
                    w = w * alpha
                c = self._const(node, 2, where, "the bias")
                if c is not None:
                    n = w.shape[0]
                    if c.shape not in ((n,), (1, n)):
                        raise Refused(f"{where}: bias of shape {c.shape} for {n} outputs")
                    c = c.reshape(-1) * beta if beta != 1.0 else c.reshape(-1)
            else:
                m = self._const(node, 1, where, "the weight")
                if m is None or m.ndim != 2:
                    raise Refused(f"{where}: the weight must be a constant matrix")
                w, c = m.T, None
            if w.shape[1] != shape[0]:
                raise Refused(
                    f"{where}: the weight takes {w.shape[1]} features, the input has {shape[0]}"
                )
            params = {"weight": w} | ({"bias": c} if c is not None else {})
            self._add("dense", where, (w.shape[0],), name_hint=_hint(node, 1),
                      spec={"out_features": w.shape[0], "bias": c is not None},
                      params=params)  # fmt: skip
        elif op == "Flatten":
            axis = a.get("axis", 1)
            if axis not in (1, -len(shape)):
                raise Refused(f"{where}: axis = {axis} is not supported (only 1: per sample)")
            if maps:
                self._add("flatten", where, (math.prod(shape),), node=node.name)
        elif op == "Reshape":
            self._reshape(node, where, a)
        elif op in ("Relu", "Sigmoid", "Tanh"):
            self._add(op.lower(), where, shape, node=node.name)
        elif op == "LeakyRelu":
            self._add("leaky_relu", where, shape, node=node.name,
                      spec={"negative_slope": float(a.get("alpha", 0.01))})  # fmt: skip
        elif op in ("Softmax", "LogSoftmax"):
            axis = a.get("axis", 1 if self.opset < 13 else -1)
            if maps or axis not in (1, -1):
                raise Refused(f"{where}: only a softmax over the class scores is supported")
            self._add("_softmax", where, shape, op=op)
            self.ended = True
        elif op == "Identity":
            pass
        elif op == "Dropout":
            if self.skip_dropout:
                self.notes.append(f"{where} left out")
                return
            ratio = self._const(node, 1, where, "the ratio") if self.opset >= 12 else None
            if ratio is not None and ratio.size != 1:
                raise Refused(f"{where}: the ratio must be one number, not {ratio.shape}")
            p = float(_short(ratio.reshape(-1)[0] if ratio is not None else a.get("ratio", 0.5)))
            if not 0.0 <= p < 1.0:
                raise Refused(f"{where}: the ratio must be in [0, 1), not {p}")
            self._add("dropout", where, shape, node=node.name, spec={"p": p})
        elif op == "BatchNormalization":
            self._batchnorm(node, where, a)
        elif op in ("Mul", "Add"):
            k = 1 if node.input[0] == self.cur else 0
            c = self._const(node, k, where, "the constant")
            self._add(f"_{op.lower()}", where, shape, const=c, node=node.name,
                      why=f"{op} by a constant is supported only as a bias (after MatMul or "
                      "Conv), in LeNet's scaled tanh or in its trainable subsampling")  # fmt: skip
        else:
            raise Refused(
                f"{where}: the operator {op} is not supported; cnnviz imports a chain of "
                f"{SUPPORTED}"
            )

    def _reshape(self, node, where: str, a: dict) -> None:
        target = self.consts.get(node.input[1]) if len(node.input) > 1 else None
        if target is None:
            raise Refused(f"{where}: the target shape must be a constant")
        target = list(np.asarray(target).reshape(-1))
        shape, size = self.shape, math.prod(self.shape)
        ok = len(target) == 2
        if ok:
            first, second = target
            batch_ok = (
                first == BATCH
                or (first == 0 and not a.get("allowzero", 0))
                or (self.fixed_batch is not None and first == self.fixed_batch)
                or (first == -1 and second == size)
            )
            second_ok = second == size or (second == -1 and first != -1)
            ok = batch_ok and second_ok
        if not ok:
            raise Refused(
                f"{where}: a Reshape to {[str(t) for t in target]} is not a flatten (to "
                "(N, C·H·W)); cnnviz supports only that"
            )
        if len(shape) == 3:
            self._add("flatten", where, (size,), node=node.name)

    def _batchnorm(self, node, where: str, a: dict) -> None:
        if not self.fold_bn:
            stats = [self._const(node, k, where, "its statistics") for k in (1, 2, 3, 4)]
            c = self.shape[0]
            if any(x is None or x.shape != (c,) for x in stats):
                raise Refused(f"{where}: γ, β, the mean and the variance must be constant "
                               f"vectors of the {c} channels (or features)")  # fmt: skip
            if (stats[3] < 0).any() or not all(np.isfinite(x).all() for x in stats):
                raise Refused(f"{where}: the running variance must be finite and not negative")
            old = Decimal(_short(a.get("momentum", 0.9)))  # ONNX's: the old statistics' share
            spec = {"eps": float(_short(a.get("epsilon", 1e-5))), "momentum": float(1 - old)}
            keys = ("weight", "bias", "running_mean", "running_var")
            params = dict(zip(keys, stats, strict=True))
            self._add("batchnorm", where, self.shape, name_hint=_hint(node, 1), node=node.name,
                      spec=spec, params=params)  # fmt: skip
            return
        if a.get("training_mode", 0):
            raise Refused(f"{where}: training_mode = 1 cannot be folded")
        gamma, beta, mean, var = (
            self._const(node, k, where, "its statistics") for k in (1, 2, 3, 4)
        )
        prev = self.records[-1] if self.records else None
        if (
            prev is None
            or prev["type"] not in ("conv", "dense")
            or any(x is None or x.shape != (prev["shape"][0],) for x in (gamma, beta, mean, var))
        ):
            raise Refused(f"{where}: folds only directly after a Conv or Gemm, per channel")
        scale = gamma.astype(np.float64) / np.sqrt(var.astype(np.float64) + a.get("epsilon", 1e-5))
        p = prev["params"]
        w = p["weight"].astype(np.float64)
        p["weight"] = w * scale.reshape(-1, *([1] * (w.ndim - 1)))
        b = p.get("bias", np.zeros(len(scale))).astype(np.float64)
        p["bias"] = (b - mean) * scale + beta
        prev["spec"]["bias"] = True
        self.notes.append(f"{where} folded into {prev['where']}")


def _short(v) -> str:
    """A float32 attribute as the shortest decimal that is the same float32 (0.3, not
    0.30000001192092896): the number the exporter was given."""
    return np.format_float_positional(np.float32(v), unique=True, trim="-")


def _one(values, where: str, what: str) -> int:
    values = list(values)
    if len(values) != 2 or values[0] != values[1] or values[0] < 1:
        raise Refused(f"{where}: {what} {values} is not supported (cnnviz takes one size for "
                       "both axes)")  # fmt: skip
    return int(values[0])


def _padding(a: dict, k: int, s: int, where: str) -> int:
    auto = a.get("auto_pad", b"NOTSET")
    auto = auto.decode() if isinstance(auto, bytes) else auto
    if auto in ("SAME_UPPER", "SAME_LOWER"):
        if s != 1 or k % 2 == 0:
            raise Refused(f"{where}: auto_pad {auto} here pads unevenly (not supported)")
        return (k - 1) // 2
    if auto == "VALID":
        return 0
    pads = list(a.get("pads", [0, 0, 0, 0]))
    if len(pads) != 4 or len(set(pads)) != 1 or pads[0] < 0:
        raise Refused(f"{where}: padding {pads} is not symmetric (cnnviz pads every side alike)")
    return int(pads[0])


def _hint(node, k: int) -> str | None:
    """A layer name from the weight's initialiser name (``conv1.weight`` → ``conv1``)."""
    name = node.input[k] if len(node.input) > k else ""
    stem = name.removesuffix(".weight")
    return stem if stem != name and NAME.match(stem) else None
