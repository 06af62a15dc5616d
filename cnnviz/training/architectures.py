"""Named architectures and the user's own architecture files.

An architecture is a plain dictionary (read from TOML or JSON), so it can be saved inside a
model file and rebuilt without running any code::

    name = "my-net"
    input_shape = [1, 28, 28]          # optional: taken from the dataset when absent
    loss = { type = "softmax_ce" }     # or { type = "squared_error", positive = 1, negative = -1 }

    init = "he"                        # optional: he, glorot, lecun, normal, zeros

    [[layers]]
    type = "conv"                      # conv, maxpool, avgpool, lppool, subsample,
    out_channels = 6                   # globalavgpool, flatten, dense, batchnorm, dropout,
    kernel_size = 5                    # relu, leaky_relu, sigmoid, tanh, scaled_tanh
    padding = 2

    [[layers]]
    type = "relu"
    …
    [[layers]]
    type = "dense"
    out_features = "classes"           # the dataset's number of classes

Input channels and input features are inferred from the shape flowing in (batch norm is 2-D
after maps, 1-D after a dense layer); names are given in LeNet's style (C1, S2, C3, …, F6;
``C1.relu``, ``C1.bn``, ``F5.dropout``) unless a layer has its own ``name``. A convolution or
dense layer directly before batch norm is built without a bias unless its ``bias`` is given.
The schema is described in full in docs/architectures.md; examples are in
resources/architectures/.
"""

from __future__ import annotations

import copy
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cnnviz.engine import (
    ACTIVATIONS,
    LOSSES,
    AvgPool2D,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    GlobalAvgPool,
    Layer,
    LpPool2D,
    MaxPool2D,
    Network,
    Subsampling,
    batch_norm,
)
from cnnviz.i18n import QT_TRANSLATE_NOOP
from cnnviz.safeio import MAX_TEXT_BYTES, loads_json, loads_toml, read_text

from .bounds import MAX_DEPTH, ArchitectureError, check_structure, plan

__all__ = ["ArchitectureError", "PRESETS", "build_network", "load_architecture", "validate_spec"]


# LeNet-5's C3 connection table (LeCun et al. 1998, Table I): output map -> input maps.
LENET5_C3_TABLE = [
    [0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 0], [5, 0, 1],
    [0, 1, 2, 3], [1, 2, 3, 4], [2, 3, 4, 5], [3, 4, 5, 0], [4, 5, 0, 1], [5, 0, 1, 2],
    [0, 1, 3, 4], [1, 2, 4, 5], [0, 2, 3, 5],
    [0, 1, 2, 3, 4, 5],
]  # fmt: skip


def _c3_connections() -> list[list[int]]:
    return [[1 if i in ins else 0 for i in range(6)] for ins in LENET5_C3_TABLE]


def partial_connections(out_maps: int, in_maps: int) -> list[list[int]]:
    """The ``"partial"`` table, for any number of input maps: the first half of the output
    maps each read one input map (output j reads input j mod ``in_maps``), the others read
    all of them, e.g. 4 from 2: ``[[1, 0], [0, 1], [1, 1], [1, 1]]``. With one input map every
    row is ``[1]``."""
    half = out_maps // 2
    return [
        [1 if (j >= half or i == j % in_maps) else 0 for i in range(in_maps)]
        for j in range(out_maps)
    ]


def _connections(name: Any, out_maps: int, in_maps: int) -> Any:
    """The table a conv layer's ``connections`` field names (a named table, or as given)."""
    if name == "lenet5-c3":
        return _c3_connections()
    if name == "partial":
        return partial_connections(out_maps, in_maps)
    return name


def _conv_block(
    out_channels: int, kernel_size: int, padding: int = 0, batchnorm: bool = False
) -> list[dict[str, Any]]:
    """conv → (batch norm) → ReLU → max-pool 2×2: the block most presets repeat."""
    conv: dict[str, Any] = {"type": "conv", "out_channels": out_channels}
    conv["kernel_size"] = kernel_size
    if padding:
        conv["padding"] = padding
    norm = [{"type": "batchnorm"}] if batchnorm else []
    return [conv, *norm, {"type": "relu"}, {"type": "maxpool", "kernel_size": 2}]


def _classifier(*hidden: int, dropout: float | None = None) -> list[dict[str, Any]]:
    """flatten → (dense → ReLU) per ``hidden`` width → (dropout) → dense to the classes."""
    layers: list[dict[str, Any]] = [{"type": "flatten"}]
    for width in hidden:
        layers += [{"type": "dense", "out_features": width}, {"type": "relu"}]
    if dropout is not None:
        layers.append({"type": "dropout", "p": dropout})
    return [*layers, {"type": "dense", "out_features": "classes"}]


PRESETS: dict[str, dict[str, Any]] = {
    "lenet5": {
        "description": QT_TRANSLATE_NOOP(
            "descriptions",
            "LeNet-5 with ReLU, max pooling and softmax cross-entropy",
        ),
        "input_shape": [1, 28, 28],
        "loss": {"type": "softmax_ce"},
        "layers": [
            *_conv_block(6, 5, padding=2),
            *_conv_block(16, 5),
            *_classifier(120, 84),
        ],
    },
    "lenet5-1998": {
        "description": QT_TRANSLATE_NOOP(
            "descriptions",
            "LeNet-5 as in the 1998 paper: trainable subsampling (β, b), scaled "
        "tanh, C3's connection table, squared error",
        ),
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
        "description": QT_TRANSLATE_NOOP(
            "descriptions",
            "one convolution, as in the MNIST walk-through: 8 filters 3×3, "
        "max-pool 2, softmax",
        ),
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
        "description": QT_TRANSLATE_NOOP(
            "descriptions",
            "a small network for single-stepping in a lecture",
        ),
        "input_shape": [1, 28, 28],
        "loss": {"type": "softmax_ce"},
        "layers": [
            *_conv_block(4, 5),
            *_conv_block(8, 3),
            *_classifier(),
        ],
    },
    "shapes-rgb": {
        "description": QT_TRANSLATE_NOOP(
            "descriptions",
            "a small network for 3-channel 32×32 input",
        ),
        "input_shape": [3, 32, 32],
        "loss": {"type": "softmax_ce"},
        "layers": [
            *_conv_block(8, 3, padding=1),
            *_conv_block(16, 3, padding=1),
            *_classifier(64),
        ],
    },
    "keras-mnist": {
        "description": QT_TRANSLATE_NOOP(
            "descriptions",
            "the keras.io Simple MNIST convnet: conv 32@3×3, max-pool, conv "
        "64@3×3, max-pool, dropout 0.5, softmax (train with Adam 1e-3, batch 128)",
        ),
        "input_shape": [1, 28, 28],
        "loss": {"type": "softmax_ce"},
        "layers": [
            *_conv_block(32, 3),
            *_conv_block(64, 3),
            *_classifier(dropout=0.5),
        ],
    },
    "cifar-small": {
        "description": QT_TRANSLATE_NOOP(
            "descriptions",
            "three conv 3×3 / ReLU / max-pool blocks (32, 32, 64) and two dense "
        "layers, for 3×32×32 images",
        ),
        "input_shape": [3, 32, 32],
        "loss": {"type": "softmax_ce"},
        "layers": [
            *_conv_block(32, 3, padding=1),
            *_conv_block(32, 3, padding=1),
            *_conv_block(64, 3, padding=1),
            *_classifier(64),
        ],
    },
    "cifar-bn": {
        "description": QT_TRANSLATE_NOOP(
            "descriptions",
            "cifar-small with batch norm after each convolution and dropout "
        "before the last dense layer",
        ),
        "input_shape": [3, 32, 32],
        "loss": {"type": "softmax_ce"},
        "layers": [
            *_conv_block(32, 3, padding=1, batchnorm=True),
            *_conv_block(32, 3, padding=1, batchnorm=True),
            *_conv_block(64, 3, padding=1, batchnorm=True),
            *_classifier(64, dropout=0.5),
        ],
    },
    "every-layer": {
        "description": QT_TRANSLATE_NOOP(
            "descriptions",
            "a small network using every layer type (for gradient checks)",
        ),
        "input_shape": [2, 12, 12],
        "loss": {"type": "softmax_ce"},
        "layers": [
            {"type": "conv", "out_channels": 4, "kernel_size": 3, "padding": 1,
             "connections": "partial"},
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
    what = f"architecture file {path}"
    text = read_text(path, "architecture file", MAX_TEXT_BYTES, ArchitectureError)
    if path.suffix.lower() == ".json":
        spec = loads_json(text, what, MAX_DEPTH, ArchitectureError)
    else:
        spec = loads_toml(text, what, MAX_DEPTH, ArchitectureError)
    if not isinstance(spec, dict):
        raise ArchitectureError(f"{what}: expected a table at the top")
    spec.setdefault("name", path.stem)
    try:
        validate_spec(spec)
    except ArchitectureError as exc:
        reason = str(exc).removeprefix("architecture: ").removeprefix("architecture ")
        raise ArchitectureError(f"{what}: {reason}") from None
    return spec


def validate_spec(spec: dict[str, Any]) -> None:
    """Check the structure of a spec (keys, kinds and ranges of every field; see
    :mod:`cnnviz.training.bounds`); shapes and sizes are checked by :func:`bounds.plan`."""
    check_structure(spec)


def make_layers(spec: dict[str, Any], input_shape, num_classes: int) -> list[Layer]:
    """Instantiate the layers of ``spec`` for ``input_shape`` (C, H, W), after
    :func:`bounds.plan` has checked every limit from the shapes alone."""
    p = plan(spec, input_shape, num_classes)
    layers: list[Layer] = []
    shape = tuple(input_shape)
    for i, (kind, f, name) in enumerate(zip(p.kinds, p.fields, p.names, strict=True)):
        try:
            if kind == "conv":
                conn = _connections(f["connections"], f["out_channels"], shape[0])
                layer: Layer = Conv2D(
                    shape[0], f["out_channels"], f["kernel_size"], stride=f["stride"],
                    padding=f["padding"], connections=conn, bias=f["bias"], name=name,
                    init=f["init"],
                )  # fmt: skip
            elif kind == "dense":
                out = num_classes if f["out_features"] == "classes" else f["out_features"]
                layer = Dense(shape[0], out, bias=f["bias"], name=name, init=f["init"])
            elif kind == "batchnorm":
                layer = batch_norm(shape, eps=f["eps"], momentum=f["momentum"], name=name)
            elif kind == "dropout":
                layer = Dropout(f["p"], name=name)
            elif kind == "globalavgpool":
                layer = GlobalAvgPool(name=name)
            elif kind == "flatten":
                layer = Flatten(name=name)
            elif kind in ("maxpool", "avgpool"):
                cls = MaxPool2D if kind == "maxpool" else AvgPool2D
                k = f["kernel_size"]
                layer = cls(k, f["stride"] or k, name=name)
            elif kind == "lppool":
                k = f["kernel_size"]
                layer = LpPool2D(f["p"], k, f["stride"] or k, name=name)
            elif kind == "subsample":
                layer = Subsampling(shape[0], f["kernel_size"], name=name)
            elif kind == "leaky_relu":
                layer = ACTIVATIONS[kind](f["negative_slope"], name=name)
            else:
                layer = ACTIVATIONS[kind](name=name)
        except (ValueError, TypeError) as exc:
            raise ArchitectureError(f"layer {name} ({kind}, #{i + 1}): {exc}") from None
        layers.append(layer)
        shape = p.shapes[i]
    return layers


@contextmanager
def named_file(name_or_path: str | Path):
    """Prefix an :class:`ArchitectureError` raised inside with the architecture file it came
    from (shapes are checked when the network is built, after the file was read)."""
    try:
        yield
    except ArchitectureError as exc:
        key = str(name_or_path)
        if key in PRESETS or str(exc).startswith(f"architecture file {key}"):
            raise
        reason = str(exc).removeprefix("architecture: ").removeprefix("architecture ")
        raise ArchitectureError(f"architecture file {key}: {reason}") from None


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
        source = spec
        spec = load_architecture(spec)
        with named_file(source):
            return build_network(spec, input_shape, num_classes, dtype, seed)
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
