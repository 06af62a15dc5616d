"""Model files: a whole training run in one safe, self-describing ``.cnnviz.npz`` file.

A model file is a zip archive written by :func:`numpy.savez_compressed`. Every member is a
plain numeric ``.npy`` array; the metadata is UTF-8 JSON stored as a ``uint8`` array. Opening
one runs no code: the archive and every array header are checked before any array is read,
arrays are read with ``np.load(..., allow_pickle=False)``, and everything is validated before
:func:`load_model` returns. The format is described field by field in docs/model-format.md.

=========================  =========================================================
member                     contents
=========================  =========================================================
``meta``                   uint8: the JSON metadata (format, version, architecture,
                           dataset, normalisation, class names, hyperparameters, the
                           optimiser's kind and settings and step count, the dropout
                           generators' states, …)
``params/<key>``           the weights, PyTorch's layout and names (``C1.weight``)
``buffers/<key>``          state buffers: batch norm's ``running_mean``, ``running_var``
                           (the weights' dtype) and ``num_batches_tracked`` (int64)
``velocity/<key>``         SGD's momentum buffer for each parameter (SGD only)
``optimizer/<key>.<slot>`` the state of any other optimiser (``C1.weight.exp_avg``)
``metrics/<series>``       float64 series of :class:`MetricsHistory`
``metrics/layer/<L>/<s>``  per-layer statistics
``timeline/<name>``        optional: any plain numeric arrays (weight snapshots over
                           time); returned in ``TrainerState.timeline``. Those of a
                           :class:`~cnnviz.training.timeline.Timeline` (``step``,
                           ``params/<key>``, …) are validated against the network.
=========================  =========================================================

Version 2 added ``buffers/``, ``optimizer/`` and the metadata fields ``optimizer``,
``optimizer_step`` and ``noise``; a version-1 file (SGD, no batch norm or dropout) opens as
before.

Data order needs no RNG state: the batches of epoch *e* are
``default_rng([seed, e]).permutation(train_size)`` taken in order, so the seed (in the
hyperparameters), ``epoch`` and ``sample_in_epoch`` determine exactly where a resumed run
continues.
"""

from __future__ import annotations

import json
import math
import os
import re
import secrets
import stat
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from cnnviz.engine import OPTIMIZERS, make_optimizer
from cnnviz.errors import CnnvizError
from cnnviz.safeio import nesting_depth, open_regular, remove_stale

from .architectures import build_network
from .bounds import ArchitectureError, Plan, plan
from .metrics import LAYER_STATS, MetricsHistory, Series
from .timeline import TimelineError, is_timeline
from .timeline import check_arrays as check_timeline
from .trainer import Hyperparameters, TrainerState

FORMAT = "cnnviz-model"
FORMAT_VERSION = 2
EXTENSION = ".cnnviz.npz"

MAX_TOTAL_BYTES = 1 << 30  # uncompressed size of all members together
MAX_META_BYTES = 16 << 20
MAX_MEMBERS = 100_000
MAX_HEADER = 10_000  # bytes of a .npy header, as numpy's own default
MAX_FILE_BYTES = MAX_TOTAL_BYTES + (64 << 20)  # the file itself: members plus zip overhead
MAX_META_DEPTH = 12  # nesting of the metadata JSON (its architecture needs 7)
# names of our temporary files (".model.cnnviz.npz.1a2b3c4d.tmp"), removed when stale
TEMP_PATTERN = re.compile(r"\..+\.npz\.[0-9a-f]{8}(\.probe)?\.tmp")
# metrics series that may hold NaN: the test accuracy and loss of an empty test split
_MAY_BE_NAN = ("test_accuracy", "test_loss")

_METRIC_SERIES = ("step", "loss", "train_accuracy", "eval_step", "test_accuracy", "test_loss",
                  "stats_step")  # fmt: skip
_GROUPS = ("params/", "buffers/", "velocity/", "optimizer/", "metrics/", "timeline/")
MAX_NOISE_LAYERS = 1_000


class ModelFileError(CnnvizError):
    """A model file that cannot be written or that was refused on loading; one line that names
    the file and the problem."""


# ---------------------------------------------------------------------------------- saving
def save_model(path: str | os.PathLike, state: TrainerState) -> None:
    """Write ``state`` to ``path`` atomically (see :func:`write_atomic`).

    The file is read back through :func:`load_model` before it replaces ``path``, so a file
    that would be refused never replaces a good one.
    """
    path = Path(path)
    _refuse_special(path)
    arrays = _state_arrays(path, state)

    def check(tmp: Path) -> None:  # never replace a file with one that would not load back
        try:
            load_model(tmp)
        except ModelFileError as exc:
            reason = str(exc).removeprefix(f"{tmp}: ")
            raise ModelFileError(f"cannot save {path}: the state is not valid ({reason})") from None

    write_atomic(path, lambda f: _write_arrays(f, arrays), check)


def write_atomic(
    path: str | os.PathLike,
    write: Callable[[BinaryIO], None],
    check: Callable[[Path], None] | None = None,
) -> None:
    """Write a file atomically: ``write(f)`` fills a temporary file in the same folder, which
    is flushed to disk, given to ``check(tmp_path)`` (which raises to refuse it) and then
    renamed over ``path``. A crash or an error mid-save leaves any previous file intact and no
    temporary file behind; an ``OSError`` becomes a :class:`ModelFileError` naming ``path``.
    Every file cnnviz writes (model files, exported models) goes through here. A device node,
    FIFO or folder at ``path`` is refused (never replaced), and temporary files of ours older
    than a day (left by a killed save) are removed from the folder.
    """
    path = Path(path)
    _refuse_special(path)
    folder = path.parent if str(path.parent) else Path(".")
    remove_stale(folder, TEMP_PATTERN)
    tmp = folder / f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:  # os.open rather than mkstemp: the file gets the permissions the umask allows
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as exc:
        raise ModelFileError(f"cannot save {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        if check is not None:
            check(tmp)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise ModelFileError(f"cannot save {path}: {exc.strerror or exc}") from None
        raise
    _fsync_dir(folder)


def _refuse_special(path: Path) -> None:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    if not stat.S_ISREG(mode):
        raise ModelFileError(f"will not save {path}: it exists and is not a regular file")


def _write_arrays(f, arrays: dict[str, np.ndarray]) -> None:
    np.savez_compressed(f, allow_pickle=False, **arrays)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _state_arrays(path: Path, state: TrainerState) -> dict[str, np.ndarray]:
    """Every member of the file, checked to be plain numeric arrays."""
    meta = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "architecture": state.architecture,
        "input_shape": [int(s) for s in state.input_shape],
        "num_classes": int(state.num_classes),
        "dtype": str(state.dtype),
        "dataset": str(state.dataset),
        "normalization": state.normalization,
        "class_names": [str(c) for c in state.class_names],
        "hyperparameters": state.hyperparameters.to_dict(),
        "step": int(state.step),
        "epoch": int(state.epoch),
        "sample_in_epoch": int(state.sample_in_epoch),
        "params": list(state.params),
        "optimizer": state.optimizer,
        "optimizer_step": int(state.velocity.get("step", 0)),
        "noise": state.noise,
    }
    try:
        text = json.dumps(meta, allow_nan=False, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise ModelFileError(f"cannot save {path}: metadata is not plain JSON ({exc})") from None
    arrays: dict[str, np.ndarray] = {"meta": np.frombuffer(text.encode("utf-8"), np.uint8)}
    for k, p in state.params.items():
        arrays[f"params/{k}"] = np.ascontiguousarray(p)
    group = "velocity/" if _is_sgd(state.optimizer) else "optimizer/"
    for k, v in state.velocity.items():
        if k != "step":
            arrays[f"{group}{k}"] = np.ascontiguousarray(v)
    for k, b in state.buffers.items():
        arrays[f"buffers/{k}"] = np.asarray(b, order="C")  # keeps a 0-d count 0-d
    arrays.update(state.metrics.to_arrays())
    for k, a in (getattr(state, "timeline", None) or {}).items():
        arrays[f"timeline/{k}"] = np.ascontiguousarray(a)
    for k, a in arrays.items():
        if not _plain_dtype(a.dtype):
            raise ModelFileError(f"cannot save {path}: {k} has dtype {a.dtype}, not plain numbers")
    return arrays


def _is_sgd(config: dict[str, Any] | None) -> bool:
    return config is None or config.get("kind") == "sgd"


def _plain_dtype(dt: np.dtype) -> bool:
    return dt.kind in "biuf" and not dt.hasobject and dt.fields is None and dt.subdtype is None


# ---------------------------------------------------------------------------------- loading
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


def _short(exc: BaseException, limit: int = 150) -> str:
    """The first line of an exception's message, without control characters (a hostile file
    chooses some of that text), at most ``limit`` characters."""
    return _printable(str(exc).strip().split("\n", 1)[0] or type(exc).__name__, limit)


def _printable(text: str, limit: int) -> str:
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------------------------- checks
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

    state = TrainerState(
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
    )
    if hasattr(state, "timeline"):
        state.timeline = timeline
    return state


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


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


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
        if key in _METRIC_SERIES:
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
