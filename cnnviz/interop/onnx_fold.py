"""The small pieces of an ONNX import: folding the constant shape computations exporters
write, and merging the multi-node patterns of cnnviz's own layers into single layers.

Folded values are NumPy arrays; a shape computed from the chain's value (``Shape``) is an
object array whose batch entry is the string ``BATCH`` ("N"), so ``Shape → Gather →
Unsqueeze → Concat`` yields ``["N", 400]``, the target of a flattening Reshape.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from .onnx_tensors import TensorError, to_array

FOLDABLE = {"Identity", "Cast", "Gather", "Unsqueeze", "Squeeze", "Concat", "Reshape", "Shape"}
FOLD_LIMIT = 1 << 16  # elements of a tensor computed while folding
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$")
BATCH = "N"  # the symbolic batch axis inside folded shape tensors


class Refused(Exception):
    """Raised inside the walk; becomes one InteropError line with the file name."""


def attrs(node) -> dict[str, Any]:
    from onnx import helper

    out = {}
    for a in node.attribute:
        if a.type == 4:  # TENSOR
            out[a.name] = a.t
        else:
            out[a.name] = helper.get_attribute_value(a)
    return out


def constant(node, where: str) -> np.ndarray:
    a = attrs(node)
    if "value" in a:
        try:
            return to_array(a["value"])
        except TensorError as exc:
            raise Refused(f"{where}: its value {exc}") from None
    for key, dt in (("value_float", np.float32), ("value_int", np.int64)):
        if key in a:
            return np.array(a[key], dt)
    for key, dt in (("value_floats", np.float32), ("value_ints", np.int64)):
        if key in a:
            if len(a[key]) > FOLD_LIMIT:
                raise Refused(f"{where}: too many values")
            return np.array(a[key], dt)
    raise Refused(f"{where}: a Constant of this kind is not supported")


def fold(op: str, node, xs: list[np.ndarray], where: str) -> np.ndarray:
    """Evaluate a small shape computation on constants (object arrays may hold BATCH)."""
    a = attrs(node)
    try:
        if op == "Identity":
            return xs[0]
        if op == "Cast":
            x = xs[0]
            if x.dtype == object:
                return x
            to = {1: np.float32, 11: np.float64, 7: np.int64, 6: np.int32}.get(a.get("to"))
            if to is None:
                raise Refused(f"{where}: cast to type {a.get('to')} is not supported")
            return x.astype(to)
        if op == "Shape":
            return np.array(xs[0].shape, np.int64)[a.get("start", 0) : a.get("end", None)]
        if op == "Gather":
            data, idx = xs[0], xs[1].astype(np.int64)
            axis = a.get("axis", 0)
            size = data.size // max(data.shape[axis], 1) * idx.size
            if size > FOLD_LIMIT:
                raise Refused(f"{where}: gathers too many values")
            return np.array(np.take(data, idx, axis=axis), dtype=data.dtype)
        if op in ("Unsqueeze", "Squeeze"):
            axes = a.get("axes")
            if axes is None and len(xs) > 1:
                axes = [int(v) for v in xs[1].reshape(-1)]
            x = xs[0]
            if op == "Unsqueeze":
                for ax in sorted(int(v) % (x.ndim + len(axes)) for v in axes):
                    x = np.expand_dims(x, ax)
                return x
            return np.array(np.squeeze(x, axis=tuple(axes) if axes is not None else None), x.dtype)
        if op == "Concat":
            if sum(x.size for x in xs) > FOLD_LIMIT:
                raise Refused(f"{where}: concatenates too many values")
            kind = object if any(x.dtype == object for x in xs) else None
            return np.concatenate([x.astype(kind) if kind else x for x in xs], axis=a["axis"])
        if op == "Reshape":
            target = [int(v) for v in xs[1].reshape(-1)]
            return xs[0].reshape(target)
    except Refused:
        raise
    except (ValueError, IndexError, KeyError, TypeError) as exc:
        raise Refused(f"{where}: cannot be folded ({str(exc)[:100]})") from None
    raise Refused(f"{where}: cannot be folded")


# ------------------------------------------------------------------------------- patterns
def _is_scalar(c: np.ndarray | None, value: float) -> bool:
    return c is not None and c.size == 1 and np.float32(c.reshape(())) == np.float32(value)


def merge(records: list[dict]) -> list[dict]:
    """Fold the multi-node patterns into single layers (see the module docstring)."""
    out: list[dict] = []
    i = 0
    while i < len(records):
        r = records[i]
        nxt = records[i + 1 : i + 4]
        kinds = [x["type"] for x in nxt]
        prev = out[-1] if out else None
        if r["type"] == "_add" and prev and prev["type"] in ("dense", "conv"):
            c, n = r["const"], prev["shape"][0]
            shapes = ((n,), (1, n)) if prev["type"] == "dense" else ((n, 1, 1), (1, n, 1, 1))
            if not prev["spec"]["bias"] and c is not None and c.shape in shapes:
                prev["params"]["bias"] = c.reshape(-1)
                prev["spec"]["bias"] = True
                i += 1
                continue
        if (
            r["type"] == "_mul"
            and kinds[:2] == ["tanh", "_mul"]
            and _is_scalar(r["const"], 2.0 / 3.0)
            and _is_scalar(nxt[1]["const"], 1.7159)
        ):
            out.append({**nxt[0], "type": "scaled_tanh"})
            i += 3
            continue
        if r["type"] == "avgpool" and kinds == ["_mul", "_mul", "_add"]:
            k, c = r["spec"]["kernel_size"], r["shape"][0]
            beta, bias = nxt[1]["const"], nxt[2]["const"]
            if (
                r["spec"]["stride"] == k
                and _is_scalar(nxt[0]["const"], k * k)
                and beta is not None
                and bias is not None
                and beta.size == c
                and bias.size == c
            ):
                params = {"beta": beta.reshape(-1), "bias": bias.reshape(-1)}
                out.append({**r, "type": "subsample", "spec": {"kernel_size": k}, "params": params})
                i += 4
                continue
        out.append(r)
        i += 1
    return out


def spec_layers(records: list[dict], own: bool) -> tuple[list[dict], dict[str, np.ndarray]]:
    """Architecture layers with names, and the weights under those names.

    Layers with weights are named after their initialisers (``conv1.weight`` → ``conv1``,
    as PyTorch names them); in a file cnnviz wrote (``own``) every layer keeps its node's
    name. Other layers, and any name that would clash, get cnnviz's default names.
    """
    names: list[str | None] = []
    for r in records:
        n = r.get("name_hint")
        if own and n is None:
            n = r.get("node")  # (a scaled tanh's record is its Tanh node's, named so)
        names.append(n if n and NAME.match(n) else None)
    chosen = [n for n in names if n]
    if len(set(chosen)) != len(chosen):
        names = [None] * len(names)
    layers, params = [], {}
    from cnnviz.training.bounds import ArchitectureError, layer_names  # the default naming

    for r, n in zip(records, names, strict=True):
        layer = {"type": r["type"], **r.get("spec", {})}
        if n:
            layer["name"] = n
        layers.append(layer)
    try:
        final = layer_names(layers)
    except ArchitectureError:  # a chosen name clashes with a default one
        for layer in layers:
            layer.pop("name", None)
        final = layer_names(layers)
    for r, n in zip(records, final, strict=True):
        for k, v in r.get("params", {}).items():
            params[f"{n}.{k}"] = np.ascontiguousarray(v, dtype=np.float32)
    return layers, params
