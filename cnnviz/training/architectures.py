"""Named architectures and the user's own architecture files.

An architecture is a plain dictionary (read from TOML or JSON), so it can be saved inside a
model file and rebuilt without running any code::

    name = "my-net"
    input_shape = [1, 28, 28]          # optional: taken from the dataset when absent
    loss = { type = "softmax_ce" }     # or { type = "squared_error", positive = 1, negative = -1 }

    [[layers]]
    type = "conv"                      # conv, maxpool, avgpool, lppool, subsample, flatten,
    out_channels = 6                   # dense, relu, leaky_relu, sigmoid, tanh, scaled_tanh
    kernel_size = 5
    padding = 2

    [[layers]]
    type = "relu"
    …
    [[layers]]
    type = "dense"
    out_features = "classes"           # the dataset's number of classes

Input channels and input features are inferred from the shape flowing in; names are given in
LeNet's style (C1, S2, C3, …, F6) unless a layer has its own ``name``. The schema is described
in full in docs/architectures.md; examples are in resources/architectures/.
"""

from __future__ import annotations

import copy
import json
import tomllib
from pathlib import Path
from typing import Any

from cnnviz.engine import (
    ACTIVATIONS,
    LOSSES,
    AvgPool2D,
    Conv2D,
    Dense,
    Flatten,
    Layer,
    LpPool2D,
    MaxPool2D,
    Network,
    Subsampling,
    fmt_shape,
)
from cnnviz.errors import CnnvizError


class ArchitectureError(CnnvizError):
    """An architecture that cannot be built; the message names the layer and the mismatch."""


# LeNet-5's C3 connection table (LeCun et al. 1998, Table I): output map -> input maps.
LENET5_C3_TABLE = [
    [0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 0], [5, 0, 1],
    [0, 1, 2, 3], [1, 2, 3, 4], [2, 3, 4, 5], [3, 4, 5, 0], [4, 5, 0, 1], [5, 0, 1, 2],
    [0, 1, 3, 4], [1, 2, 4, 5], [0, 2, 3, 5],
    [0, 1, 2, 3, 4, 5],
]  # fmt: skip


def _c3_connections() -> list[list[int]]:
    return [[1 if i in ins else 0 for i in range(6)] for ins in LENET5_C3_TABLE]


PRESETS: dict[str, dict[str, Any]] = {
    "lenet5": {
        "description": "LeNet-5 with ReLU, max pooling and softmax cross-entropy",
        "input_shape": [1, 28, 28],
        "loss": {"type": "softmax_ce"},
        "layers": [
            {"type": "conv", "out_channels": 6, "kernel_size": 5, "padding": 2},
            {"type": "relu"},
            {"type": "maxpool", "kernel_size": 2},
            {"type": "conv", "out_channels": 16, "kernel_size": 5},
            {"type": "relu"},
            {"type": "maxpool", "kernel_size": 2},
            {"type": "flatten"},
            {"type": "dense", "out_features": 120},
            {"type": "relu"},
            {"type": "dense", "out_features": 84},
            {"type": "relu"},
            {"type": "dense", "out_features": "classes"},
        ],
    },
    "lenet5-1998": {
        "description": "LeNet-5 as in the 1998 paper: trainable subsampling (β, b), scaled "
        "tanh, C3's connection table, squared error",
        "input_shape": [1, 28, 28],
        "loss": {"type": "squared_error", "positive": 1.0, "negative": -1.0},
        "layers": [
            {"type": "conv", "out_channels": 6, "kernel_size": 5, "padding": 2},
            {"type": "scaled_tanh"},
            {"type": "subsample", "kernel_size": 2},
            {"type": "scaled_tanh"},
            {"type": "conv", "out_channels": 16, "kernel_size": 5, "connections": "lenet5-c3"},
            {"type": "scaled_tanh"},
            {"type": "subsample", "kernel_size": 2},
            {"type": "scaled_tanh"},
            {"type": "conv", "out_channels": 120, "kernel_size": 5},
            {"type": "scaled_tanh"},
            {"type": "flatten"},
            {"type": "dense", "out_features": 84},
            {"type": "scaled_tanh"},
            {"type": "dense", "out_features": "classes"},
            {"type": "scaled_tanh"},
        ],
    },
    "simple": {
        "description": "one convolution, as in the MNIST walk-through: 8 filters 3×3, "
        "max-pool 2, softmax",
        "input_shape": [1, 28, 28],
        "loss": {"type": "softmax_ce"},
        "layers": [
            {"type": "conv", "out_channels": 8, "kernel_size": 3},
            {"type": "maxpool", "kernel_size": 2},
            {"type": "flatten"},
            {"type": "dense", "out_features": "classes"},
        ],
    },
    "tiny": {
        "description": "a small network for single-stepping in a lecture",
        "input_shape": [1, 28, 28],
        "loss": {"type": "softmax_ce"},
        "layers": [
            {"type": "conv", "out_channels": 4, "kernel_size": 5},
            {"type": "relu"},
            {"type": "maxpool", "kernel_size": 2},
            {"type": "conv", "out_channels": 8, "kernel_size": 3},
            {"type": "relu"},
            {"type": "maxpool", "kernel_size": 2},
            {"type": "flatten"},
            {"type": "dense", "out_features": "classes"},
        ],
    },
    "shapes-rgb": {
        "description": "a small network for 3-channel 32×32 input",
        "input_shape": [3, 32, 32],
        "loss": {"type": "softmax_ce"},
        "layers": [
            {"type": "conv", "out_channels": 8, "kernel_size": 3, "padding": 1},
            {"type": "relu"},
            {"type": "maxpool", "kernel_size": 2},
            {"type": "conv", "out_channels": 16, "kernel_size": 3, "padding": 1},
            {"type": "relu"},
            {"type": "maxpool", "kernel_size": 2},
            {"type": "flatten"},
            {"type": "dense", "out_features": 64},
            {"type": "relu"},
            {"type": "dense", "out_features": "classes"},
        ],
    },
    "every-layer": {
        "description": "a small network using every layer type (for gradient checks)",
        "input_shape": [2, 12, 12],
        "loss": {"type": "softmax_ce"},
        "layers": [
            {"type": "conv", "out_channels": 4, "kernel_size": 3, "padding": 1,
             "connections": [[1, 0], [0, 1], [1, 1], [1, 1]]},
            {"type": "leaky_relu", "negative_slope": 0.1},
            {"type": "subsample", "kernel_size": 2},
            {"type": "sigmoid"},
            {"type": "conv", "out_channels": 5, "kernel_size": 3, "stride": 2, "padding": 1},
            {"type": "tanh"},
            {"type": "lppool", "p": 2, "kernel_size": 2, "stride": 1},
            {"type": "conv", "out_channels": 4, "kernel_size": 2},
            {"type": "scaled_tanh"},
            {"type": "avgpool", "kernel_size": 1},
            {"type": "maxpool", "kernel_size": 1},
            {"type": "relu"},
            {"type": "flatten"},
            {"type": "dense", "out_features": "classes"},
        ],
    },
}  # fmt: skip

# Keys each layer type accepts (beyond "type" and "name").
_KEYS: dict[str, set[str]] = {
    "conv": {"out_channels", "kernel_size", "stride", "padding", "connections", "bias"},
    "dense": {"out_features", "bias"},
    "flatten": set(),
    "maxpool": {"kernel_size", "stride"},
    "avgpool": {"kernel_size", "stride"},
    "lppool": {"kernel_size", "stride", "p"},
    "subsample": {"kernel_size"},
    "leaky_relu": {"negative_slope"},
} | {k: set() for k in ACTIVATIONS if k != "leaky_relu"}


def preset_names() -> list[str]:
    return list(PRESETS)


def load_architecture(name_or_path: str | Path) -> dict[str, Any]:
    """A preset by name, or an architecture file (``.toml`` or ``.json``) by path."""
    key = str(name_or_path)
    if key in PRESETS:
        spec = copy.deepcopy(PRESETS[key])
        spec["name"] = key
        return spec
    path = Path(key)
    if path.suffix.lower() not in (".toml", ".json") and not path.exists():
        raise ArchitectureError(
            f"unknown architecture {key!r}: choose one of {', '.join(PRESETS)} "
            "or give a .toml or .json file"
        )
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ArchitectureError(f"cannot read architecture file {path}: {exc.strerror}") from None
    try:
        spec = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ArchitectureError(f"architecture file {path} is not valid: {exc}") from None
    if not isinstance(spec, dict):
        raise ArchitectureError(f"architecture file {path}: expected a table at the top")
    spec.setdefault("name", path.stem)
    validate_spec(spec)
    return spec


def validate_spec(spec: dict[str, Any]) -> None:
    """Check the structure of a spec (types and keys); shapes are checked by building it."""
    if not isinstance(spec.get("layers"), list) or not spec["layers"]:
        raise ArchitectureError("architecture: 'layers' must be a non-empty list")
    for i, layer in enumerate(spec["layers"]):
        where = f"architecture layer {i + 1}"
        if not isinstance(layer, dict) or "type" not in layer:
            raise ArchitectureError(f"{where}: each layer needs a 'type'")
        kind = layer["type"]
        if kind not in _KEYS:
            raise ArchitectureError(
                f"{where}: unknown type {kind!r} (known: {', '.join(sorted(_KEYS))})"
            )
        extra = set(layer) - _KEYS[kind] - {"type", "name"}
        if extra:
            raise ArchitectureError(f"{where} ({kind}): unknown keys {', '.join(sorted(extra))}")
    loss = spec.get("loss", {"type": "softmax_ce"})
    if not isinstance(loss, dict) or loss.get("type") not in LOSSES:
        raise ArchitectureError(f"architecture: loss must be one of {', '.join(LOSSES)}")
    shape = spec.get("input_shape")
    if shape is not None and (
        not isinstance(shape, list | tuple)
        or len(shape) not in (1, 3)
        or not all(isinstance(s, int) and s > 0 for s in shape)
    ):
        raise ArchitectureError("architecture: input_shape must be [C, H, W] of positive ints")


def _int(layer: dict, key: str, where: str, default: Any = None) -> int:
    v = layer.get(key, default)
    if isinstance(v, list) and len(v) == 2 and all(isinstance(a, int) for a in v) and v[0] == v[1]:
        v = v[0]
    if not isinstance(v, int) or isinstance(v, bool) or v < 0:
        raise ArchitectureError(f"{where}: {key} must be a non-negative integer, got {v!r}")
    return v


def _layer_names(layers: list[dict]) -> list[str]:
    """LeNet-style names: C (conv), S (pooling), F (dense) numbered in order."""
    names, counter, last = [], 0, "input"
    prefix = {"conv": "C", "dense": "F", "maxpool": "S", "avgpool": "S", "lppool": "S",
              "subsample": "S"}  # fmt: skip
    for layer in layers:
        kind = layer["type"]
        if "name" in layer:
            name = str(layer["name"])
        elif kind in prefix:
            counter += 1
            name = f"{prefix[kind]}{counter}"
        elif kind == "flatten":
            name = "flatten"
        else:
            name = f"{last}.{kind}"
        names.append(name)
        last = name
    return names


def make_layers(spec: dict[str, Any], input_shape, num_classes: int) -> list[Layer]:
    """Instantiate the layers of ``spec`` for ``input_shape`` (C, H, W)."""
    layers: list[Layer] = []
    shape = tuple(input_shape)
    names = _layer_names(spec["layers"])
    for i, (d, name) in enumerate(zip(spec["layers"], names, strict=True)):
        kind = d["type"]
        where = f"layer {name} ({kind}, #{i + 1})"
        try:
            if kind == "conv":
                conn = d.get("connections")
                if conn == "lenet5-c3":
                    conn = _c3_connections()
                layer: Layer = Conv2D(
                    shape[0], _int(d, "out_channels", where), _int(d, "kernel_size", where),
                    stride=_int(d, "stride", where, 1), padding=_int(d, "padding", where, 0),
                    connections=conn, bias=bool(d.get("bias", True)), name=name,
                )  # fmt: skip
            elif kind == "dense":
                out = d.get("out_features")
                out = num_classes if out == "classes" else _int(d, "out_features", where)
                if len(shape) != 1:
                    raise ArchitectureError(
                        f"{where}: gets {fmt_shape(shape)} maps; put a flatten layer before it"
                    )
                layer = Dense(shape[0], out, bias=bool(d.get("bias", True)), name=name)
            elif kind == "flatten":
                layer = Flatten(name=name)
            elif kind in ("maxpool", "avgpool"):
                cls = MaxPool2D if kind == "maxpool" else AvgPool2D
                k = _int(d, "kernel_size", where)
                layer = cls(k, _int(d, "stride", where, k), name=name)
            elif kind == "lppool":
                k = _int(d, "kernel_size", where)
                layer = LpPool2D(float(d.get("p", 2)), k, _int(d, "stride", where, k), name=name)
            elif kind == "subsample":
                layer = Subsampling(shape[0], _int(d, "kernel_size", where), name=name)
            elif kind == "leaky_relu":
                layer = ACTIVATIONS[kind](float(d.get("negative_slope", 0.01)), name=name)
            else:
                layer = ACTIVATIONS[kind](name=name)
            shape = layer.build(shape, "float32")  # shape check only; the network rebuilds
        except ValueError as exc:
            raise ArchitectureError(str(exc)) from None
        layers.append(layer)
    return layers


def build_network(
    spec: dict[str, Any] | str,
    input_shape: tuple[int, ...] | None = None,
    num_classes: int = 10,
    dtype: str = "float32",
    seed: int = 0,
) -> Network:
    """Build a :class:`Network` from a spec (or a preset name / file path).

    ``input_shape`` (C, H, W) overrides the spec's, e.g. to fit the dataset chosen.
    """
    if not isinstance(spec, dict):
        spec = load_architecture(spec)
    validate_spec(spec)
    shape = tuple(input_shape or spec.get("input_shape") or ())
    if not shape:
        raise ArchitectureError("architecture: no input_shape and no dataset to take it from")
    layers = make_layers(spec, shape, num_classes)
    loss_cfg = dict(spec.get("loss", {"type": "softmax_ce"}))
    loss_cls = LOSSES[loss_cfg.pop("type")]
    try:
        loss = loss_cls(**loss_cfg)
        return Network(layers, shape, loss, dtype=dtype, seed=seed)
    except (TypeError, ValueError) as exc:
        raise ArchitectureError(f"architecture {spec.get('name', '')}: {exc}") from None
