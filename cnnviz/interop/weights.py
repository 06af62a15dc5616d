"""Weights as safetensors files, keyed by cnnviz's (PyTorch-style) names: ``C1.weight``,
``S2.beta``, ``F6.bias`` — exactly the keys of the generated PyTorch module's
``state_dict()`` (see :mod:`cnnviz.interop.torch_module`).

A file cnnviz writes also carries, in the safetensors metadata (text only), the architecture
as JSON (``cnnviz.architecture``), so ``cnnviz import W.safetensors`` needs no ``--arch``
for it. Reading checks the header (names, dtypes, shapes, total size) before any tensor is
read; safetensors itself holds no code.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

import numpy as np

from cnnviz.training.modelfile import write_atomic

from . import InteropError, limits, require

ARCH_KEY = "cnnviz.architecture"
_DTYPES = {"F32": np.float32, "F64": np.float64, "F16": np.float16, "I64": np.int64}


def save_safetensors(
    path: str | os.PathLike, tensors: dict[str, np.ndarray], architecture: dict | None = None
) -> None:
    """Write ``tensors`` to ``path`` atomically, with the architecture in the metadata."""
    st = require("safetensors.numpy")
    meta = {"format": "pt", "producer": "cnnviz"}
    if architecture is not None:
        meta[ARCH_KEY] = json.dumps(architecture, ensure_ascii=False, allow_nan=False)
    data = st.save({k: np.ascontiguousarray(v) for k, v in tensors.items()}, metadata=meta)
    write_atomic(path, lambda f: f.write(data))


def load_safetensors(path: str | os.PathLike) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """The tensors (float32/float64; float16 read as float32) and the metadata of ``path``.

    Raises
    ------
    InteropError : a file too large, damaged or truncated, with too many tensors, tensors of
        another type, or more parameters than cnnviz takes.
    """
    require("safetensors")
    from safetensors import SafetensorError, safe_open

    path = Path(path)

    def fail(message: str) -> InteropError:
        return InteropError(f"{path}: {message}")

    try:
        size = path.stat().st_size
    except OSError as exc:
        raise fail(f"cannot open: {exc.strerror or exc}") from None
    if size > limits.MAX_FILE_BYTES:
        raise fail(f"is {size / 2**20:.0f} MiB, more than the {limits.MAX_FILE_BYTES >> 20} MiB "
                   "cnnviz reads")  # fmt: skip
    try:
        with safe_open(str(path), framework="numpy") as f:
            keys = list(f.keys())
            if len(keys) > limits.MAX_INITIALIZERS:
                raise fail(f"holds {len(keys):,} tensors (at most {limits.MAX_INITIALIZERS:,})")
            total = 0
            for k in keys:
                sl = f.get_slice(k)
                dt = sl.get_dtype()
                if dt not in _DTYPES or (dt == "I64" and not k.endswith(".num_batches_tracked")):
                    raise fail(f"tensor {k} has dtype {dt} (cnnviz reads F32, F64, F16)")
                total += math.prod(sl.get_shape())
            if total > limits.MAX_PARAMS:
                raise fail(f"holds {total:,} parameters (at most {limits.MAX_PARAMS:,})")
            tensors = {k: np.array(f.get_tensor(k)) for k in keys}
            meta = dict(f.metadata() or {})
    except InteropError:
        raise
    except (SafetensorError, OSError, ValueError) as exc:
        text = str(exc).strip().split("\n", 1)[0][:200]
        raise fail(f"not a safetensors file, or damaged ({text})") from None
    for k, a in tensors.items():
        if a.dtype == np.float16:
            tensors[k] = a.astype(np.float32)
    return tensors, meta


def architecture_from_metadata(meta: dict[str, Any]) -> dict | None:
    """The architecture a cnnviz-written file carries, or None."""
    text = meta.get(ARCH_KEY)
    if not text:
        return None
    try:
        spec = json.loads(text)
    except ValueError:
        return None
    return spec if isinstance(spec, dict) else None
