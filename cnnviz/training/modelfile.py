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

This module writes model files (:func:`save_model`, :func:`write_atomic`); reading is in
:mod:`cnnviz.training.modelread`, the metadata and array checks in
:mod:`cnnviz.training.modelchecks`, the format's names and limits in
:mod:`cnnviz.training.modelformat` (:func:`load_model` and those names are re-exported here).
"""

from __future__ import annotations

import json
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from cnnviz.safeio import remove_stale

from .checkpoints import TrainerState
from .modelformat import (
    EXTENSION,
    FORMAT,
    FORMAT_VERSION,
    MAX_FILE_BYTES,
    MAX_HEADER,
    MAX_MEMBERS,
    MAX_META_BYTES,
    MAX_META_DEPTH,
    MAX_NOISE_LAYERS,
    MAX_TOTAL_BYTES,
    TEMP_PATTERN,
    ModelFileError,
    _plain_dtype,
)
from .modelread import load_model

__all__ = [
    "EXTENSION", "FORMAT", "FORMAT_VERSION", "MAX_FILE_BYTES", "MAX_HEADER", "MAX_META_BYTES",
    "MAX_META_DEPTH", "MAX_MEMBERS", "MAX_NOISE_LAYERS", "MAX_TOTAL_BYTES", "TEMP_PATTERN",
    "ModelFileError", "load_model", "save_model", "write_atomic",
]  # fmt: skip


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
    for k, a in state.timeline.items():
        arrays[f"timeline/{k}"] = np.ascontiguousarray(a)
    for k, a in arrays.items():
        if not _plain_dtype(a.dtype):
            raise ModelFileError(f"cannot save {path}: {k} has dtype {a.dtype}, not plain numbers")
    return arrays


def _is_sgd(config: dict[str, Any] | None) -> bool:
    return config is None or config.get("kind") == "sgd"
