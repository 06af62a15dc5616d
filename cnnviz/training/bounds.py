"""The limits of an architecture, checked from its description alone, before anything is built.

Every entry that turns an architecture into a network (architecture files, presets, model
files, the app, the command line, the training process) goes through :func:`plan`, which reads
the spec field by field, follows the shapes through the layers with integer arithmetic and
refuses, with one line naming the layer and the limit:

====================  ======================  ============================================
limit                 value                   why
====================  ======================  ============================================
layers                ``MAX_LAYERS``          names, summaries and views are per layer
parameters            ``MAX_PARAMS``          weights, gradients and momentum: 3 copies
activations / image   ``MAX_ACTIVATIONS``     every layer's output and each convolution's
                                              im2col columns, summed: the trace of one
                                              image (a batch holds B of them)
one size field        ``MAX_SIZE``            channels, features, kernel, stride, padding
====================  ======================  ============================================

The layer types are a table (:data:`LAYER_TYPES`): each entry lists the fields the type
accepts (with their kind, range and default), the letter of LeNet-style names and a function
from the input shape to the output shape and the parameter shapes (and, for batch norm, the
shapes of its state buffers). Adding a layer type is one entry there (and its constructor in
``architectures.make_layers``).

Two rules are applied here, so the plan is the network: a convolution or dense layer directly
followed by batch norm gets no bias unless its ``bias`` is given (batch norm subtracts the
mean, so the bias would have no effect and its gradient would be pure round-off), and a file's
top-level ``init`` is the ``init`` of every convolution and dense layer that has none.

A :class:`Plan` (names, shapes, parameter shapes in :meth:`Network.state_dict` order, buffer
shapes in :meth:`Network.named_buffers` order) is what a model file's arrays are checked
against before the network is built.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cnnviz.engine.init import Init
from cnnviz.errors import CnnvizError

MAX_LAYERS = 1_000
MAX_PARAMS = 100_000_000
MAX_ACTIVATIONS = 64 << 20  # elements per image, summed over the layers
MAX_SIZE = 1 << 16  # any one channel count, kernel, stride or padding
MAX_FEATURES = 1 << 24  # a dense layer's out_features
MAX_INPUT = 1 << 26  # elements of one input image
MAX_NAME = 200  # characters of a layer's or the architecture's name
MAX_DESCRIPTION = 2_000
MAX_DEPTH = 6  # nesting of an architecture: {layers: [{connections: [[…]]}]}

Shape = tuple[int, ...]


class ArchitectureError(CnnvizError):
    """An architecture that cannot be built; the message names the layer and the mismatch."""


# ---------------------------------------------------------------------------------- fields
def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _kind_of(v: Any) -> str:
    if isinstance(v, bool):
        return "true/false"
    return {dict: "a table", list: "a list", str: "text", float: "a number", int: "a number"}.get(
        type(v), type(v).__name__
    )


def size(lo: int = 1, hi: int = MAX_SIZE, pair: bool = False) -> Callable[[Any, str], int]:
    """An integer in [lo, hi]; with ``pair`` also ``[k, k]`` (a square kernel)."""

    def check(v: Any, key: str) -> int:
        if pair and isinstance(v, list) and len(v) == 2 and v[0] == v[1] and _is_int(v[0]):
            v = v[0]
        if not _is_int(v):
            raise ValueError(f"{key} must be a whole number, got {_kind_of(v)}")
        if not lo <= v <= hi:
            raise ValueError(f"{key} must lie in [{lo}, {hi:,}], got {v:,}")
        return v

    return check


def number(lo: float, hi: float) -> Callable[[Any, str], float]:
    def check(v: Any, key: str) -> float:
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise ValueError(f"{key} must be a number, got {_kind_of(v)}")
        if not (math.isfinite(v) and lo <= v <= hi):
            raise ValueError(f"{key} must be a finite number in [{lo:g}, {hi:g}], got {v!r}")
        return float(v)

    return check


def boolean(v: Any, key: str) -> bool:
    if not isinstance(v, bool):
        raise ValueError(f"{key} must be true or false, got {_kind_of(v)}")
    return v


def out_features(v: Any, key: str) -> int | str:
    if v == "classes":
        return v
    try:
        return size(1, MAX_FEATURES)(v, key)
    except ValueError:
        raise ValueError(f"{key} must be \"classes\" or a whole number in [1, "
                         f"{MAX_FEATURES:,}], got {v!r:.40}") from None  # fmt: skip


def connections(v: Any, key: str) -> Any:
    if v in ("lenet5-c3", "partial") or v is None:
        return v
    if not (isinstance(v, list) and all(isinstance(r, list) for r in v)):
        raise ValueError(f'{key} must be "lenet5-c3", "partial" or a table of 0/1 rows (out × in)')
    for row in v:
        if not all(x in (0, 1) and not isinstance(x, float) for x in row):
            raise ValueError(f"{key}: each entry must be 0, 1, true or false")
    return v


def init_scheme(v: Any, key: str) -> Any:
    """An initialisation: a scheme name (``"he"``) or ``{scheme = "normal", std = 0.1}``;
    kept in the form it was given (it is saved in model files as is)."""
    if v is None:
        return None
    if (
        isinstance(v, dict)
        and "std" in v
        and (isinstance(v["std"], bool) or not isinstance(v["std"], int | float))
    ):
        raise ValueError(f"{key} std must be a number, got {_kind_of(v['std'])}")
    if not isinstance(v, str | dict):
        raise ValueError(f"{key} must be a scheme name or a table {{scheme, std}}")
    try:
        Init.parse(v)
    except (ValueError, TypeError) as exc:
        raise ValueError(str(exc)) from None
    return v


@dataclass(frozen=True)
class LayerType:
    """One layer type of the architecture format.

    ``fields``: key -> (check, default); a default of ``REQUIRED`` makes the key required.
    ``prefix``: letter of the generated name (C1, S2, F6); None names it after the layer
    before (``C1.relu``, or ``C1.<suffix>`` when ``suffix`` is given: ``C1.bn``),
    ``"flatten"`` gives that name itself.
    ``shape``: (layer's checked fields, input shape, number of classes) -> (output shape,
    {parameter: shape}); raises ValueError with the reason when the input does not fit.
    ``extra``: activation elements per image besides the output (a convolution's im2col).
    ``buffers``: (checked fields, input shape) -> {state buffer: shape}, the arrays besides
    the parameters that :meth:`Network.state_dict` gives with ``buffers=True`` (batch norm's
    running statistics).
    """

    fields: dict[str, tuple[Callable[[Any, str], Any], Any]]
    shape: Callable[[dict, Shape, int], tuple[Shape, dict[str, Shape]]]
    prefix: str | None = None
    extra: Callable[[dict, Shape, Shape], int] = field(default=lambda f, i, o: 0)
    suffix: str | None = None
    buffers: Callable[[dict, Shape], dict[str, Shape]] = field(default=lambda f, i: {})


REQUIRED = object()


def _maps(shape: Shape, kind: str) -> tuple[int, int, int]:
    if len(shape) != 3:
        raise ValueError(f"{kind} expects (C, H, W) maps, got a vector of {shape[0]:,}")
    return shape  # type: ignore[return-value]


def _conv(f: dict, shape: Shape, classes: int):
    c, h, w = _maps(shape, "a convolution")
    k, s, p, o = f["kernel_size"], f["stride"], f["padding"], f["out_channels"]
    if h + 2 * p < k or w + 2 * p < k:
        raise ValueError(f"kernel {k}×{k} is larger than the padded input {h + 2 * p}×{w + 2 * p}")
    conn = f["connections"]
    if isinstance(conn, list) and (len(conn) != o or any(len(r) != c for r in conn)):
        raise ValueError(f"connection table must be (out, in) = ({o}, {c})")
    if isinstance(conn, list) and not all(any(r) for r in conn):
        raise ValueError("connection table leaves an output map with no input")
    if conn == "lenet5-c3" and (o, c) != (16, 6):
        raise ValueError(f"the lenet5-c3 table connects 6 maps to 16, not {c} to {o}")
    params = {"weight": (o, c, k, k)} | ({"bias": (o,)} if f["bias"] else {})
    return (o, (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1), params


def _conv_cols(f: dict, shape: Shape, out: Shape) -> int:
    return shape[0] * f["kernel_size"] ** 2 * out[1] * out[2]


def _pool(exact: bool = False, trainable: bool = False):
    def shape_of(f: dict, shape: Shape, classes: int):
        c, h, w = _maps(shape, "pooling")
        k = f["kernel_size"]
        s = f.get("stride") or k
        if k > h or k > w:
            raise ValueError(f"window {k}×{k} is larger than the input {h}×{w}")
        if exact and ((h - k) % s or (w - k) % s):
            raise ValueError(
                f"input {h}×{w} does not divide into {k}×{k} windows at stride {s}: the output "
                "size would not be a whole number"
            )
        params = {"beta": (c,), "bias": (c,)} if trainable else {}
        return (c, (h - k) // s + 1, (w - k) // s + 1), params

    return shape_of


def _dense(f: dict, shape: Shape, classes: int):
    if len(shape) != 1:
        raise ValueError(f"gets {'×'.join(map(str, shape))} maps; put a flatten layer before it")
    out = classes if f["out_features"] == "classes" else f["out_features"]
    return (out,), {"weight": (out, shape[0])} | ({"bias": (out,)} if f["bias"] else {})


def _same(f: dict, shape: Shape, classes: int):
    return shape, {}


def _flatten(f: dict, shape: Shape, classes: int):
    return (math.prod(shape),), {}


def _batchnorm(f: dict, shape: Shape, classes: int):
    if len(shape) not in (1, 3):
        raise ValueError(f"expects (C, H, W) maps or (F,) vectors, got {shape}")
    return shape, {"weight": (shape[0],), "bias": (shape[0],)}


def _batchnorm_buffers(f: dict, shape: Shape) -> dict[str, Shape]:
    c = (shape[0],)
    return {"running_mean": c, "running_var": c, "num_batches_tracked": ()}


def _global_pool(f: dict, shape: Shape, classes: int):
    c, _, _ = _maps(shape, "global average pooling")
    return (c, 1, 1), {}


_POOL = {"kernel_size": (size(pair=True), REQUIRED), "stride": (size(), None)}
_ACTIVATION = LayerType({}, _same)

LAYER_TYPES: dict[str, LayerType] = {
    "conv": LayerType(
        {
            "out_channels": (size(), REQUIRED),
            "kernel_size": (size(pair=True), REQUIRED),
            "stride": (size(), 1),
            "padding": (size(lo=0), 0),
            "connections": (connections, None),
            "bias": (boolean, True),
            "init": (init_scheme, None),
        },
        _conv,
        "C",
        _conv_cols,
    ),
    "dense": LayerType(
        {
            "out_features": (out_features, REQUIRED),
            "bias": (boolean, True),
            "init": (init_scheme, None),
        },
        _dense,
        "F",
    ),
    "flatten": LayerType({}, _flatten, "flatten"),
    "maxpool": LayerType(_POOL, _pool(), "S"),
    "avgpool": LayerType(_POOL, _pool(), "S"),
    "lppool": LayerType(_POOL | {"p": (number(0.1, 64), 2.0)}, _pool(), "S"),
    "subsample": LayerType(
        {"kernel_size": (size(pair=True), REQUIRED)}, _pool(exact=True, trainable=True), "S"
    ),
    "globalavgpool": LayerType({}, _global_pool, "S"),
    "batchnorm": LayerType(
        {"momentum": (number(0, 1), 0.1), "eps": (number(1e-12, 1), 1e-5)},
        _batchnorm,
        suffix="bn",
        buffers=_batchnorm_buffers,
    ),
    "dropout": LayerType({"p": (number(0, 1), 0.5)}, _same, suffix="dropout"),
    "relu": _ACTIVATION,
    "leaky_relu": LayerType({"negative_slope": (number(-100, 100), 0.01)}, _same),
    "sigmoid": _ACTIVATION,
    "tanh": _ACTIVATION,
    "scaled_tanh": _ACTIVATION,
}

LOSS_FIELDS: dict[str, dict[str, tuple[Callable[[Any, str], Any], Any]]] = {
    "softmax_ce": {},
    "squared_error": {"positive": (number(-1e6, 1e6), 1.0), "negative": (number(-1e6, 1e6), 0.0)},
}

TOP_LEVEL = ("name", "description", "input_shape", "loss", "init", "layers")
# layer types whose ``bias`` is dropped when batch norm follows, and that take ``init``
WEIGHTED = ("conv", "dense")


def suggest(key: str, known) -> str:
    """``" (did you mean 'x'?)"`` for a near miss of one of ``known``, else ``""``."""
    close = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.7)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _unknown_keys(d: dict, known, where: str) -> None:
    for key in d:
        if key not in known:
            shown = str(key) if len(str(key)) <= 40 else str(key)[:39] + "…"
            raise ArchitectureError(f"{where}: unknown key {shown!r}{suggest(key, known)}")


def _fields(d: dict, spec: dict, where: str) -> dict[str, Any]:
    out = {}
    for key, (check, default) in spec.items():
        if key not in d:
            if default is REQUIRED:
                raise ArchitectureError(f"{where}: needs {key}")
            out[key] = default
            continue
        try:
            out[key] = check(d[key], key)
        except ValueError as exc:
            raise ArchitectureError(f"{where}: {exc}") from None
    return out


# ---------------------------------------------------------------------------------- the plan
@dataclass
class Plan:
    """What an architecture will be, from its description alone."""

    names: list[str]
    kinds: list[str]
    fields: list[dict[str, Any]]  # each layer's checked fields, defaults filled in
    shapes: list[Shape]  # output shape of each layer
    params: dict[str, Shape]  # "C1.weight" -> shape, in Network.state_dict() order
    num_params: int
    activations: int  # elements per image
    buffers: dict[str, Shape] = field(default_factory=dict)  # "C1.bn.running_mean" -> shape


def check_structure(spec: Any) -> None:
    """The keys and kinds of a spec that need no input shape: top-level keys, the loss, each
    layer's type, keys and field values, the number of layers."""
    if not isinstance(spec, dict):
        raise ArchitectureError("architecture: expected a table at the top")
    _unknown_keys(spec, TOP_LEVEL, "architecture")
    for key, limit in (("name", MAX_NAME), ("description", MAX_DESCRIPTION)):
        v = spec.get(key, "")
        if not isinstance(v, str) or len(v) > limit:
            raise ArchitectureError(f"architecture: {key} must be text of at most {limit} chars")
    layers = spec.get("layers")
    if not isinstance(layers, list) or not layers:
        raise ArchitectureError("architecture: 'layers' must be a non-empty list")
    if len(layers) > MAX_LAYERS:
        raise ArchitectureError(
            f"architecture has {len(layers):,} layers, more than the {MAX_LAYERS:,} allowed"
        )
    loss = spec.get("loss", {"type": "softmax_ce"})
    if not isinstance(loss, dict) or not isinstance(loss.get("type"), str):
        raise ArchitectureError(f"architecture: loss must be one of {', '.join(LOSS_FIELDS)}")
    if loss["type"] not in LOSS_FIELDS:
        raise ArchitectureError(
            f"architecture: loss must be one of {', '.join(LOSS_FIELDS)}"
            f"{suggest(loss['type'], LOSS_FIELDS)}"
        )
    _unknown_keys(loss, {"type", *LOSS_FIELDS[loss["type"]]}, "architecture loss")
    _fields(loss, LOSS_FIELDS[loss["type"]], "architecture loss")
    shape = spec.get("input_shape")
    if shape is not None:
        check_input_shape(shape, "architecture: input_shape")
    try:
        init_scheme(spec.get("init"), "init")
    except ValueError as exc:
        raise ArchitectureError(f"architecture: {exc}") from None
    for i, d in enumerate(layers):
        _layer_fields(d, i)


def check_input_shape(shape: Any, where: str) -> Shape:
    ok = (
        isinstance(shape, list | tuple)
        and len(shape) in (1, 3)
        and all(_is_int(s) and 0 < s <= MAX_SIZE for s in shape)
    )
    if not ok:
        raise ArchitectureError(f"{where} must be [C, H, W] of whole numbers in [1, {MAX_SIZE:,}]")
    if math.prod(shape) > MAX_INPUT:
        raise ArchitectureError(f"{where} {list(shape)} has more than {MAX_INPUT:,} elements")
    return tuple(shape)


def _layer_fields(d: Any, i: int) -> tuple[str, dict[str, Any]]:
    where = f"architecture layer {i + 1}"
    if not isinstance(d, dict) or "type" not in d:
        raise ArchitectureError(f"{where}: each layer needs a 'type'")
    kind = d["type"]
    if not isinstance(kind, str) or kind not in LAYER_TYPES:
        shown = repr(kind) if isinstance(kind, str) else _kind_of(kind)
        raise ArchitectureError(
            f"{where}: unknown type {shown[:40]}"
            f"{suggest(kind, LAYER_TYPES) if isinstance(kind, str) else ''} "
            f"(known: {', '.join(sorted(LAYER_TYPES))})"
        )
    lt = LAYER_TYPES[kind]
    where = f"{where} ({kind})"
    _unknown_keys(d, {"type", "name", *lt.fields}, where)
    name = d.get("name")
    if name is not None and (not isinstance(name, str) or not 0 < len(name) <= MAX_NAME):
        raise ArchitectureError(f"{where}: name must be text of 1 to {MAX_NAME} characters")
    return kind, _fields(d, lt.fields, where)


def layer_names(layers: list[dict]) -> list[str]:
    """LeNet-style names: C (conv), S (pooling, global average pooling too), F (dense)
    numbered in order; an activation, batch norm or dropout is named after the layer before it
    that is none of these (``C1.relu``, ``C1.bn``, ``F5.dropout``; a second one there
    ``C1.relu2``). Linear time; a repeated name is an error."""
    names: list[str] = []
    seen: set[str] = set()
    counter, base = 0, "input"
    for i, d in enumerate(layers):
        kind = d["type"]
        prefix = LAYER_TYPES[kind].prefix
        if "name" in d:
            name = d["name"]
        elif prefix == "flatten":
            name = "flatten"
        elif prefix:
            counter += 1
            name = f"{prefix}{counter}"
        else:
            tail = LAYER_TYPES[kind].suffix or kind
            name, n = f"{base}.{tail}", 1
            while name in seen:
                n += 1
                name = f"{base}.{tail}{n}"
        if name in seen:
            raise ArchitectureError(
                f"architecture layer {i + 1} ({kind}): the name {name!r:.60} is used twice"
            )
        seen.add(name)
        names.append(name)
        if prefix is not None or "name" in d:
            base = name
    return names


def plan(spec: Any, input_shape: Any, num_classes: int) -> Plan:
    """Check ``spec`` for ``input_shape`` (C, H, W) and ``num_classes`` against every limit,
    from the shapes alone (nothing is allocated); raises :class:`ArchitectureError`."""
    check_structure(spec)
    shape = check_input_shape(input_shape, "input_shape")
    if not _is_int(num_classes) or not 1 <= num_classes <= MAX_FEATURES:
        raise ArchitectureError(f"number of classes must lie in [1, {MAX_FEATURES:,}]")
    layers = spec["layers"]
    names = layer_names(layers)
    kinds, all_fields, shapes = [], [], []
    params: dict[str, Shape] = {}
    buffers: dict[str, Shape] = {}
    num_params, activations = 0, math.prod(shape)
    for i, (d, name) in enumerate(zip(layers, names, strict=True)):
        kind, f = _layer_fields(d, i)
        if kind in WEIGHTED:
            if f["init"] is None:
                f["init"] = spec.get("init")
            after = layers[i + 1].get("type") if i + 1 < len(layers) else None
            if after == "batchnorm" and "bias" not in d:
                f["bias"] = False  # batch norm cancels the bias: see the module's docstring
        where = f"layer {name[:60]} ({kind}, #{i + 1})"
        lt = LAYER_TYPES[kind]
        try:
            out, ps = lt.shape(f, shape, num_classes)
        except ValueError as exc:
            raise ArchitectureError(f"{where}: {exc}") from None
        if min(out) < 1:
            raise ArchitectureError(f"{where}: the output would be empty ({out})")
        for key, s in ps.items():
            params[f"{name}.{key}"] = s
            num_params += math.prod(s)
        for key, s in lt.buffers(f, shape).items():
            buffers[f"{name}.{key}"] = s
        if num_params > MAX_PARAMS:
            raise ArchitectureError(
                f"{where}: the network would have {num_params:,} parameters, more than the "
                f"{MAX_PARAMS:,} allowed"
            )
        activations += math.prod(out) + lt.extra(f, shape, out)
        if activations > MAX_ACTIVATIONS:
            raise ArchitectureError(
                f"{where}: the activations of one image would reach {activations:,} values, "
                f"more than the {MAX_ACTIVATIONS:,} allowed"
            )
        kinds.append(kind)
        all_fields.append(f)
        shapes.append(out)
        shape = out
    if len(shape) != 1:
        raise ArchitectureError(
            f"the last layer {names[-1][:60]} gives {'×'.join(map(str, shape))} maps; the loss "
            "needs a vector of class scores (end with a dense layer)"
        )
    return Plan(names, kinds, all_fields, shapes, params, num_params, activations, buffers)
