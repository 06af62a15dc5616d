"""Reading a model file: the zip directory and every array header checked before any data is
read, then the metadata (:mod:`cnnviz.training.modelchecks`), the architecture's plan against
the headers, and only then the arrays, without pickle."""

from __future__ import annotations

import math
import os
import zipfile
import zlib
from typing import Any

import numpy as np

from cnnviz.safeio import open_regular

from .architectures import build_network
from .bounds import ArchitectureError, Plan, plan
from .checkpoints import TrainerState
from .modelchecks import _check_group, _check_metrics, _parse_meta
from .modelformat import (
    _GROUPS,
    MAX_FILE_BYTES,
    MAX_HEADER,
    MAX_MEMBERS,
    MAX_META_BYTES,
    MAX_TOTAL_BYTES,
    ModelFileError,
    _plain_dtype,
    _printable,
    _short,
)
from .timeline import TimelineError, is_timeline
from .timeline import check_arrays as check_timeline


def load_model(path: str | os.PathLike) -> TrainerState:
    """Read and validate a model file; raises :class:`ModelFileError` naming the problem.

    Nothing is returned unless every check passed, in an order that spends nothing on a
    hostile file: that it is a regular file under the size cap, the zip directory, each array's
    header (dtype and shape, without reading data), the metadata, the architecture against the
    limits of :mod:`cnnviz.training.bounds` and the weights' and optimiser state's headers
    against the architecture's plan; only then are the arrays read, checked (finite weights,
    metrics, timeline) and the network built.
    """
    name = str(path)

    def fail(message: str) -> ModelFileError:
        # the file chooses part of the message (names, values): one printable line, not too long
        return ModelFileError(f"{name}: {_printable(message, 300)}")

    f = open_regular(path, "", MAX_FILE_BYTES, ModelFileError)
    with f:
        return _read(f, fail)


def _read(f, fail) -> TrainerState:
    """Check the zip directory and every .npy header, then the metadata and the plan of its
    architecture against the headers, and only then read the arrays (without pickle)."""
    if not zipfile.is_zipfile(f):
        raise fail("not a cnnviz model file, or damaged (not a complete zip archive)")
    f.seek(0)
    try:
        with zipfile.ZipFile(f) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                raise fail(f"too many members ({len(infos)})")
            total = sum(i.file_size for i in infos)
            if total > MAX_TOTAL_BYTES:
                raise fail(
                    f"unpacks to {total / 2**20:.0f} MiB, more than the "
                    f"{MAX_TOTAL_BYTES / 2**20:.0f} MiB a model file may hold"
                )
            seen: set[str] = set()
            headers: dict[str, tuple[tuple[int, ...], np.dtype]] = {}
            for info in infos:
                member = info.filename
                if not member.endswith(".npy"):
                    raise fail(f"unexpected member {member!r} (not a .npy array)")
                if member in seen:
                    raise fail(f"member {member!r} appears twice")
                seen.add(member)
                if info.flag_bits & 0x1:
                    raise fail(f"member {member!r} is encrypted")
                if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                    raise fail(f"member {member!r} uses an unsupported compression")
                with zf.open(info) as m:
                    headers[member[:-4]] = _check_npy_header(m, info, fail)
        if "meta" not in headers:
            raise fail("not a cnnviz model file (no metadata)")
        meta_shape, meta_dtype = headers["meta"]
        if meta_dtype != np.uint8 or len(meta_shape) != 1:
            raise fail("metadata must be a 1-D uint8 array")
        if meta_shape[0] > MAX_META_BYTES:
            raise fail("metadata is too large")
        f.seek(0)
        with np.load(f, allow_pickle=False, max_header_size=MAX_HEADER) as npz:
            meta = _parse_meta(npz["meta"], fail)
            the_plan = _plan(meta, fail)
            _check_headers(headers, the_plan, meta, fail)
            arrays = {key: npz[key] for key in npz.files if key != "meta"}
    except ModelFileError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError) as exc:
        raise fail(f"damaged file ({_short(exc)})") from None
    return _validate(meta, the_plan, arrays, fail)


def _plan(meta: dict[str, Any], fail) -> Plan:
    try:
        return plan(meta["architecture"], meta["input_shape"], meta["num_classes"])
    except ArchitectureError as exc:
        message = str(exc) if str(exc).startswith("architecture") else f"architecture: {exc}"
        raise fail(message) from None


def _group_of(key: str, fail) -> tuple[str, str]:
    group = next((g for g in _GROUPS if key.startswith(g) and len(key) > len(g)), None)
    if group is None:
        raise fail(f"unexpected array {key!r}")
    return group, key[len(group) :]


def _expected_state(the_plan: Plan, meta: dict[str, Any]) -> dict[str, dict[str, tuple]]:
    """``{group: {key: (shape, dtype)}}`` of the weights, buffers and optimiser state."""
    dtype = np.dtype(meta["dtype"])
    params = {k: (s, dtype) for k, s in the_plan.params.items()}
    buffers = {
        k: (s, np.dtype(np.int64) if k.endswith(".num_batches_tracked") else dtype)
        for k, s in the_plan.buffers.items()
    }
    out = {"params/": params, "buffers/": buffers, "velocity/": {}, "optimizer/": {}}
    if meta["optimizer_slots"] is None:
        out["velocity/"] = params
    else:
        out["optimizer/"] = {
            f"{k}.{slot}": (s, dtype)
            for k, s in the_plan.params.items()
            for slot in meta["optimizer_slots"]
        }
    return out


def _check_headers(headers: dict, the_plan: Plan, meta: dict[str, Any], fail) -> None:
    """Every array's group, and the weights', buffers' and optimiser state's shapes and
    dtypes against the architecture's plan: all from the headers, before any data is read."""
    groups: dict[str, dict[str, tuple]] = {g: {} for g in _GROUPS}
    for key, header in headers.items():
        if key != "meta":
            group, rest = _group_of(key, fail)
            groups[group][rest] = header
    expected_groups = _expected_state(the_plan, meta)
    what_of = {"params/": "weight", "buffers/": "buffer", "velocity/": "optimiser state",
               "optimizer/": "optimiser state"}  # fmt: skip
    for group, expected in expected_groups.items():
        what = what_of[group]
        have = groups[group]
        missing = [k for k in expected if k not in have]
        if missing:
            raise fail(f"{what} {missing[0]} is missing")
        extra = sorted(set(have) - set(expected))
        if extra:
            raise fail(f"unexpected {what} {extra[0]} (not in the architecture)")
        for k, (shape, dtype) in expected.items():
            a_shape, a_dtype = have[k]
            if tuple(a_shape) != shape:
                raise fail(f"{what} {k} has shape {tuple(a_shape)}, expected {shape}")
            if a_dtype != dtype:
                raise fail(f"{what} {k} has dtype {a_dtype}, expected {dtype}")


def _check_npy_header(m, info: zipfile.ZipInfo, fail) -> None:
    key = info.filename[:-4]
    fmt = np.lib.format
    try:
        major, _ = fmt.read_magic(m)
        if major == 1:
            shape, fortran, dtype = fmt.read_array_header_1_0(m, max_header_size=MAX_HEADER)
        elif major in (2, 3):
            shape, fortran, dtype = fmt.read_array_header_2_0(m, max_header_size=MAX_HEADER)
        else:
            raise ValueError(f"unknown .npy version {major}")
    except (ValueError, EOFError, SyntaxError, TypeError) as exc:
        raise fail(f"array {key} has a malformed header ({_short(exc)})") from None
    if not _plain_dtype(dtype):
        raise fail(f"array {key} has dtype {dtype}; only plain numeric arrays are allowed")
    header_len = m.tell()
    expected = math.prod(shape) * dtype.itemsize
    if info.file_size - header_len != expected:
        raise fail(
            f"array {key} is truncated or malformed: {info.file_size - header_len} bytes of "
            f"data for shape {tuple(shape)} {dtype}"
        )
    return tuple(shape), dtype


def _validate(
    meta: dict[str, Any], the_plan: Plan, arrays: dict[str, np.ndarray], fail
) -> TrainerState:
    groups: dict[str, dict[str, np.ndarray]] = {g: {} for g in _GROUPS}
    for key, a in arrays.items():
        group, rest = _group_of(key, fail)
        groups[group][rest] = a
    expected = the_plan.params
    if meta["params"] != list(expected):
        raise fail(
            f"the parameter list does not match the architecture (expected {', '.join(expected)})"
        )
    dtype = meta["dtype"]
    params = _check_group(groups["params/"], expected, dtype, "weight", fail)
    if meta["optimizer_slots"] is None:
        velocity = _check_group(groups["velocity/"], expected, dtype, "optimiser state", fail)
    else:
        state_keys = _expected_state(the_plan, meta)["optimizer/"]
        velocity = _check_group(groups["optimizer/"], state_keys, dtype, "optimiser state", fail)
        velocity["step"] = meta["optimizer_step"]
    buffers = _check_group(groups["buffers/"], the_plan.buffers, dtype, "buffer", fail)
    for k, b in buffers.items():
        if b.dtype.kind in "iu" and (b < 0).any():
            raise fail(f"buffer {k} is negative")
        if k.endswith(".running_var") and (b < 0).any():
            raise fail(f"buffer {k} holds a negative variance")
    metrics = _check_metrics(groups["metrics/"], set(the_plan.names), fail)
    timeline = groups["timeline/"]
    if is_timeline(timeline):  # a Timeline's arrays: checked against the network like the weights
        try:
            check_timeline(timeline, expected, dtype)
        except TimelineError as exc:
            raise fail(f"timeline: {exc}") from None
    try:  # the plan passed every limit: building is cheap now, and checks the rest
        net = build_network(
            meta["architecture"],
            tuple(meta["input_shape"]),
            meta["num_classes"],
            dtype=dtype,
            seed=meta["hyperparameters"].seed,
        )
    except ArchitectureError as exc:
        raise fail(f"architecture: {exc}") from None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError) as exc:
        raise fail(f"architecture cannot be built ({_short(exc)})") from None
    except MemoryError:
        raise fail("architecture is too large to build") from None
    if {k: p.shape for k, p in net.state_dict().items()} != expected:  # pragma: no cover
        raise fail("the network built does not match its plan")
    noise = meta["noise"]
    stochastic = {layer.name for layer in net.layers if layer.stochastic}
    unknown = sorted(set(noise) - stochastic)
    if unknown:
        raise fail(f"noise state for {unknown[0]!r}, which is not a dropout layer")
    try:
        net.load_noise_state(noise)  # checks each generator state
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        raise fail(f"noise state: {_short(exc)}") from None

    return TrainerState(
        architecture=meta["architecture"],
        input_shape=tuple(meta["input_shape"]),
        num_classes=meta["num_classes"],
        dtype=dtype,
        dataset=meta["dataset"],
        normalization=meta["normalization"],
        class_names=tuple(meta["class_names"]),
        hyperparameters=meta["hyperparameters"],
        params=params,
        velocity=velocity,
        step=meta["step"],
        epoch=meta["epoch"],
        sample_in_epoch=meta["sample_in_epoch"],
        metrics=metrics,
        optimizer=meta["optimizer"],
        buffers=buffers,
        noise=noise,
        timeline=timeline,
    )
