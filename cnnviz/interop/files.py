"""Model files ↔ the formats of :mod:`cnnviz.interop`: what ``cnnviz export`` and
``cnnviz import`` do, without the command line around it (so the app can offer the same)."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

from cnnviz.training.architectures import build_network, load_architecture
from cnnviz.training.modelfile import load_model, write_atomic

from . import InteropError, require
from .onnx_export import DEFAULT_OPSET, to_onnx
from .onnx_import import import_onnx
from .state import make_state
from .torch_module import torch_source
from .weights import architecture_from_metadata, load_safetensors, save_safetensors

META_DATASET = "cnnviz.dataset"
META_NORMALIZATION = "cnnviz.normalization"
META_CLASSES = "cnnviz.class_names"
META_ARCH = "cnnviz.architecture"  # the spec itself: connection tables and the loss


def load_network(path: str | os.PathLike):
    """The model file's state and its network with the weights loaded."""
    state = load_model(path)
    net = build_network(state.architecture, state.input_shape, state.num_classes, state.dtype)
    net.load_state_dict(state.params)
    return state, net


def export_onnx(state, net, out: str | os.PathLike, opset: int = DEFAULT_OPSET, source=""):
    onnx = require("onnx")
    meta = {
        META_DATASET: state.dataset,
        META_NORMALIZATION: json.dumps(state.normalization),
        META_CLASSES: json.dumps(list(state.class_names), ensure_ascii=False),
        META_ARCH: json.dumps(state.architecture, ensure_ascii=False),
    }
    model = to_onnx(
        net,
        name=str(state.architecture.get("name", "cnnviz")),
        opset=opset,
        doc=f"exported by cnnviz from {source}" if source else "exported by cnnviz",
        metadata=meta,
    )

    def check(tmp: Path) -> None:
        try:
            onnx.checker.check_model(str(tmp), full_check=True)
        except Exception as exc:  # the checker's ValidationError and relatives
            raise InteropError(f"cannot export {out}: the graph is not valid ({exc})") from None

    write_atomic(out, lambda f: f.write(model.SerializeToString()), check)


def export_safetensors(state, net, out: str | os.PathLike) -> None:
    save_safetensors(out, net.state_dict(buffers=True), state.architecture)


def export_torch(state, net, out: str | os.PathLike, source: str = "") -> None:
    text = torch_source(
        net,
        title=str(state.architecture.get("name", "network")),
        source=source,
        normalization=state.normalization,
        class_names=tuple(state.class_names),
    )
    write_atomic(out, lambda f: f.write(text.encode("utf-8")))


IMPORTED = (".onnx",)  # files File ▸ Open and the app's command line import (not model files)


def is_imported(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a file cnnviz imports (an ONNX model) rather than a model file."""
    return Path(path).suffix.lower() in IMPORTED


def export_model(
    state,
    net,
    onnx: str | None = None,
    safetensors: str | None = None,
    torch: str | None = None,
    source: str = "",
) -> list[str]:
    """Export the model in every format given a path (what File ▸ Export model writes); the
    paths written, in that order. Each write is atomic; the first that fails raises."""
    written = []
    for out, export in ((onnx, export_onnx), (safetensors, export_safetensors)):
        if out:
            export(state, net, out)
            written.append(str(out))
    if torch:
        export_torch(state, net, torch, source=source)
        written.append(str(torch))
    return written


def import_model(
    path: str | os.PathLike,
    arch: str | None = None,
    dataset: str | None = None,
    data_dir: str | None = None,
    mean: list[float] | None = None,
    std: list[float] | None = None,
    fold_batchnorm: bool = False,
    skip_dropout: bool = False,
):
    """An ONNX or safetensors file as a model file's state; returns ``(state, notes)``."""
    path = Path(path)
    suffix = path.suffix.lower()
    notes: list[str] = []
    if suffix == ".onnx":
        if arch is not None:
            raise InteropError("--arch is for safetensors weights; an ONNX file has its own")
        im = import_onnx(path, fold_batchnorm=fold_batchnorm, skip_dropout=skip_dropout)
        notes += im.notes
        spec, params, shape, classes = im.spec, im.params, im.input_shape, im.num_classes
        meta = _cnnviz_metadata(im.metadata) if im.producer == "cnnviz" else {}
        spec = _own_architecture(im, meta, notes)
        if dataset is None and META_DATASET in meta:
            dataset = meta[META_DATASET]
            if mean is None and std is None and META_NORMALIZATION in meta:
                norm = meta[META_NORMALIZATION]
                mean, std = norm.get("mean"), norm.get("std")
    elif suffix == ".safetensors":
        tensors, meta = load_safetensors(path)
        if arch is not None:
            spec = load_architecture(arch)
        else:
            spec = architecture_from_metadata(meta)
            if spec is None:
                raise InteropError(
                    f"{path}: give --arch FILE.toml (the weights carry no architecture)"
                )
        shape = spec.get("input_shape")
        classes = _classes(spec, tensors)
        if dataset is not None and shape is None:
            from cnnviz.datasets import dataset_info

            shape = list(dataset_info(dataset).input_shape)
        if shape is None:
            raise InteropError("the architecture has no input_shape; give --dataset NAME")
        shape = tuple(shape)
        params = tensors
    else:
        raise InteropError(f"{path}: cnnviz imports .onnx models and .safetensors weights")
    try:
        state = make_state(spec, params, shape, classes, dataset, data_dir, mean, std)
    except InteropError as exc:
        raise InteropError(f"{path}: {exc}") from None
    return state, notes


def _cnnviz_metadata(props: dict[str, str]) -> dict:
    """The dataset and normalisation a cnnviz-written ONNX file carries, when well formed.

    Only a registered dataset name is taken (never ``folder:PATH``: a file does not choose
    which of the user's folders is read).
    """
    from cnnviz.datasets.registry import REGISTRY

    out: dict = {}
    if props.get(META_DATASET) in REGISTRY:
        out[META_DATASET] = props[META_DATASET]
    try:
        arch = json.loads(props.get(META_ARCH, "null"))
        if isinstance(arch, dict):
            out[META_ARCH] = arch
    except (ValueError, RecursionError):
        pass
    try:
        norm = json.loads(props.get(META_NORMALIZATION, "null"))
    except ValueError:
        return out
    if (
        isinstance(norm, dict)
        and set(norm) == {"mean", "std"}
        and all(
            isinstance(v, list)
            and 1 <= len(v) <= 4
            and all(
                isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)
                for x in v
            )  # fmt: skip
            for v in norm.values()
        )
    ):
        out[META_NORMALIZATION] = norm
    return out


def _own_architecture(im, meta: dict, notes: list[str]) -> dict:
    """The architecture a cnnviz-written file carries (with its connection tables and its
    loss, which the graph cannot show), when it describes exactly the graph read: the same
    layers, names, kinds and weight shapes. Otherwise the graph's own."""
    from cnnviz.training.architectures import ArchitectureError, validate_spec

    spec = meta.get(META_ARCH)
    if not isinstance(spec, dict):
        return im.spec
    try:
        validate_spec(spec)
        theirs = build_network(spec, im.input_shape, im.num_classes)
        ours = build_network(im.spec, im.input_shape, im.num_classes)
    except (ArchitectureError, ValueError, TypeError, KeyError):
        return im.spec

    def outline(net):
        return [(x.name, x.kind, x.out_shape) for x in net.layers], {
            k: p.shape for k, p in net.state_dict().items()
        }

    if outline(theirs) != outline(ours):
        notes.append("the architecture in the file's metadata does not match its graph: ignored")
        return im.spec
    spec = dict(spec)
    spec["input_shape"] = list(im.input_shape)
    return spec


def _classes(spec: dict, tensors: dict) -> int:
    """The number of classes: the last dense layer's outputs, from the spec or its weights."""
    from cnnviz.training.architectures import validate_spec
    from cnnviz.training.bounds import layer_names

    validate_spec(spec)
    names = layer_names(spec["layers"])
    for d, name in zip(reversed(spec["layers"]), reversed(names), strict=True):
        if d["type"] == "dense":
            if isinstance(d.get("out_features"), int) and not isinstance(d["out_features"], bool):
                return d["out_features"]
            w = tensors.get(f"{name}.weight")
            if w is None or w.ndim != 2:
                raise InteropError(f"the weights have no {name}.weight for the last dense layer")
            return int(w.shape[0])
    raise InteropError("the architecture has no dense layer to give the class scores")
