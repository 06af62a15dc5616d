"""The checks of a model file's metadata (its fields, hyperparameters, normalisation,
optimiser and dropout states) and of its weights and metrics, each failure one message."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

from cnnviz.engine import OPTIMIZERS, make_optimizer
from cnnviz.safeio import nesting_depth

from .hyperparameters import Hyperparameters
from .metrics import LAYER_STATS, SERIES_NAMES, MetricsHistory, Series
from .modelformat import (
    _MAY_BE_NAN,
    FORMAT,
    FORMAT_VERSION,
    MAX_META_BYTES,
    MAX_META_DEPTH,
    MAX_NOISE_LAYERS,
    _is_int,
    _short,
)


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed")


def _parse_meta(meta_arr: np.ndarray, fail) -> dict[str, Any]:
    if meta_arr.dtype != np.uint8 or meta_arr.ndim != 1:
        raise fail("metadata must be a 1-D uint8 array")
    if meta_arr.size > MAX_META_BYTES:
        raise fail("metadata is too large")
    try:
        text = meta_arr.tobytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise fail(f"metadata is not valid JSON ({_short(exc)})") from None
    depth = nesting_depth(text)
    if depth > MAX_META_DEPTH:
        raise fail(
            f"metadata is nested {depth} levels deep, more than the {MAX_META_DEPTH} allowed"
        )
    try:
        meta = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        raise fail(f"metadata is not valid JSON ({_short(exc)})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise fail("not a cnnviz model file (metadata has no 'format': 'cnnviz-model')")
    version = meta.get("version")
    if not _is_int(version) or version < 1:
        raise fail(f"unknown format version {version!r}")
    if version > FORMAT_VERSION:
        raise fail(
            f"written by a newer cnnviz (format version {version}; this one reads up to "
            f"{FORMAT_VERSION}): please update cnnviz"
        )

    types: dict[str, tuple[type, ...]] = {
        "architecture": (dict,),
        "input_shape": (list,),
        "num_classes": (int,),
        "dtype": (str,),
        "dataset": (str,),
        "normalization": (dict,),
        "class_names": (list,),
        "hyperparameters": (dict,),
        "step": (int,),
        "epoch": (int,),
        "sample_in_epoch": (int,),
        "params": (list,),
    }
    for key, allowed in types.items():
        if key not in meta:
            raise fail(f"metadata lacks {key!r}")
        v = meta[key]
        if isinstance(v, bool) or not isinstance(v, allowed):
            raise fail(f"metadata field {key!r} must be {_type_name(allowed[0])}")
    for key in ("step", "epoch", "sample_in_epoch"):
        if meta[key] < 0:
            raise fail(f"{key} must be ≥ 0, got {meta[key]}")
    shape = meta["input_shape"]
    if len(shape) not in (1, 3) or not all(_is_int(s) and 0 < s <= 1 << 16 for s in shape):
        raise fail(f"input_shape must be [C, H, W] of positive integers, got {shape!r}")
    if math.prod(shape) > 1 << 26:
        raise fail(f"input_shape {shape} is too large")
    if not 1 <= meta["num_classes"] <= 1 << 20:
        raise fail(f"num_classes must be a positive integer, got {meta['num_classes']}")
    if meta["dtype"] not in ("float32", "float64"):
        raise fail(f"dtype must be float32 or float64, got {meta['dtype']!r}")
    if not meta["dataset"]:
        raise fail("dataset name is empty")
    names = meta["class_names"]
    if not all(isinstance(c, str) for c in names):
        raise fail("class_names must be a list of strings")
    if len(names) != meta["num_classes"]:
        raise fail(f"{len(names)} class names for {meta['num_classes']} classes")
    if not all(isinstance(k, str) for k in meta["params"]):
        raise fail("the parameter list must hold strings")
    _check_normalization(meta["normalization"], len(shape) == 3 and shape[0], fail)
    meta["hyperparameters"] = _check_hyperparameters(meta["hyperparameters"], fail)
    _check_v2_fields(meta, fail)
    return meta


def _check_v2_fields(meta: dict[str, Any], fail) -> None:
    """The optimiser (kind, settings, step count) and the dropout generators' states; a
    version-1 file has none of them: SGD, no dropout. Sets ``meta["optimizer_slots"]``:
    the optimiser's state slots, or None for SGD's velocity layout."""
    if meta["version"] == 1:
        for key in ("optimizer", "optimizer_step", "noise"):
            if key in meta:
                raise fail(f"metadata field {key!r} is not part of format version 1")
    config = meta.setdefault("optimizer", None)
    step = meta.setdefault("optimizer_step", 0)
    noise = meta.setdefault("noise", {})
    if not _is_int(step) or step < 0:
        raise fail("optimizer_step must be an integer ≥ 0")
    if not isinstance(noise, dict) or len(noise) > MAX_NOISE_LAYERS:
        raise fail("noise must be an object of generator states by layer")
    if not all(isinstance(v, dict) for v in noise.values()):
        raise fail("noise must be an object of generator states by layer")
    meta["optimizer_slots"] = None
    if config is None:
        return
    if not isinstance(config, dict) or not isinstance(config.get("kind"), str):
        raise fail("optimizer must be an object with a kind")
    for k, v in config.items():
        scalar = isinstance(v, bool | int | float | str)
        pair = isinstance(v, list) and len(v) == 2 and all(_is_int(x) or isinstance(x, float)
                                                           for x in v)  # fmt: skip
        if not (scalar or pair):
            raise fail(f"optimizer setting {k!r:.40} must be a number, true/false or a pair")
    cfg = dict(config)
    kind = cfg.pop("kind")
    if kind not in OPTIMIZERS:
        raise fail(f"unknown optimizer {kind!r:.40}; known: {', '.join(OPTIMIZERS)}")
    probe = [("p", np.zeros(1), np.zeros(1))]
    try:  # every setting checked by the optimiser itself, on a one-value parameter
        opt = make_optimizer(kind, probe, **cfg)
    except (ValueError, TypeError, OverflowError) as exc:
        raise fail(f"optimizer: {_short(exc)}") from None
    if kind != "sgd":
        meta["optimizer_slots"] = tuple(opt.slots)
    elif step:
        raise fail("optimizer_step is not kept for sgd")


def _type_name(t: type) -> str:
    return {dict: "an object", list: "a list", int: "an integer", str: "text"}[t]


def _check_hyperparameters(d: dict[str, Any], fail) -> Hyperparameters:
    defaults = Hyperparameters().to_dict()
    for k, v in d.items():
        if k not in defaults:
            raise fail(f"unknown hyperparameter {k!r}")
        want = type(defaults[k])
        ok = (
            isinstance(v, str)
            if want is str
            else _is_int(v)
            if want is int
            else (_is_int(v) or isinstance(v, float))
        )
        if not ok:
            raise fail(f"hyperparameter {k} has the wrong type ({type(v).__name__})")
    try:
        return Hyperparameters.from_dict(d)
    except (ValueError, TypeError, OverflowError) as exc:
        raise fail(f"hyperparameters: {_short(exc)}") from None


def _check_normalization(d: dict[str, Any], channels: int, fail) -> None:
    """Per-channel ``{"mean": [...], "std": [...]}`` as :class:`cnnviz.datasets.Normalization`
    has it: finite numbers, positive std, one of each per input channel."""
    mean, std = d.get("mean"), d.get("std")
    ok = (
        set(d) == {"mean", "std"}
        and isinstance(mean, list)
        and isinstance(std, list)
        and len(mean) == len(std) >= 1
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in mean + std)
        and all(v > 0 for v in std)
    )
    if not ok:
        raise fail("normalization must be {'mean': [...], 'std': [...]} with positive std")
    if channels and len(mean) != channels:
        raise fail(f"normalization has {len(mean)} channels, the input has {channels}")


def _check_group(
    group: dict[str, np.ndarray], expected: dict[str, tuple], dtype: str, what: str, fail
) -> dict[str, np.ndarray]:
    """The arrays of a group whose headers :func:`_check_headers` passed, checked finite."""
    out = {}
    for k in expected:
        a = group[k]
        if not np.isfinite(a).all():
            raise fail(f"{what} {k} contains NaN or infinite values")
        out[k] = a
    return out


def _check_metrics(group: dict[str, np.ndarray], layer_names: set[str], fail) -> MetricsHistory:
    m = MetricsHistory()
    for key, a in group.items():
        if a.dtype != np.float64 or a.ndim != 1:
            raise fail(f"metrics {key} must be a 1-D float64 array, got {a.dtype} {a.shape}")
        finite = np.isfinite(a) | (np.isnan(a) if key in _MAY_BE_NAN else False)
        if not finite.all():
            raise fail(f"metrics {key} holds NaN or infinite values")
        if key in SERIES_NAMES:
            setattr(m, key, Series(a))
            continue
        layer, _, stat = key.removeprefix("layer/").rpartition("/")
        if not key.startswith("layer/") or stat not in LAYER_STATS or layer not in layer_names:
            raise fail(f"unknown metrics series {key!r}")
        m.layer.setdefault(layer, {})[stat] = Series(a)
    for series in (("step", "loss", "train_accuracy"), ("eval_step", "test_accuracy", "test_loss")):
        lengths = {len(getattr(m, s)) for s in series}
        if len(lengths) > 1:
            raise fail(f"metrics {', '.join(series)} have different lengths")
    n_stats = len(m.stats_step)
    for layer, stats in m.layer.items():
        for stat, s in stats.items():
            if len(s) != n_stats:
                raise fail(
                    f"metrics layer/{layer}/{stat} has {len(s)} entries for {n_stats} samples"
                )
    return m
