"""Tensors of an untrusted ONNX file → NumPy arrays, every bound checked before allocating.

A ``TensorProto`` declares its shape (``dims``) and holds its data either as ``raw_data``
(little-endian bytes) or in a typed repeated field (``float_data``, ``int64_data``, …), or
points to another file (``data_location = EXTERNAL``). External data is refused and never
followed; a declared shape whose product is out of bounds, or whose size does not match the
data actually present, is refused before any array is made.
"""

from __future__ import annotations

import math

import numpy as np

from . import limits

# ONNX TensorProto.DataType -> (NumPy dtype, typed field holding the data when not raw)
_DTYPES: dict[int, tuple[str, str]] = {
    1: ("<f4", "float_data"),  # FLOAT
    11: ("<f8", "double_data"),  # DOUBLE
    10: ("<f2", "int32_data"),  # FLOAT16 (the typed field holds the bits, one per int32)
    6: ("<i4", "int32_data"),  # INT32
    7: ("<i8", "int64_data"),  # INT64
}
_NAMES = {1: "float32", 11: "float64", 10: "float16", 6: "int32", 7: "int64", 2: "uint8",
          3: "int8", 8: "string", 9: "bool", 16: "bfloat16"}  # fmt: skip

EXTERNAL = 1  # TensorProto.DataLocation.EXTERNAL


class TensorError(ValueError):
    """A tensor that cannot be read; the caller adds the file and the tensor's name."""


def declared_size(dims) -> int:
    """The element count of ``dims``, refusing negative or out-of-bounds dimensions."""
    dims = list(dims)
    if len(dims) > limits.MAX_RANK:
        raise TensorError(f"has {len(dims)} dimensions (at most {limits.MAX_RANK})")
    if any(d < 0 for d in dims):
        raise TensorError(f"declares a negative dimension {tuple(dims)}")
    size = math.prod(dims)
    if size > limits.MAX_TENSOR_ELEMENTS:
        raise TensorError(
            f"declares {tuple(dims)}, {size:,} elements (at most {limits.MAX_TENSOR_ELEMENTS:,})"
        )
    return size


def is_external(t) -> bool:
    return t.data_location == EXTERNAL or len(t.external_data) > 0


def to_array(t) -> np.ndarray:
    """A ``TensorProto`` as a NumPy array (float16 becomes float32).

    Raises
    ------
    TensorError : external data, an unsupported type, a declared shape out of bounds, or data
        whose size does not match the shape.
    """
    if is_external(t):
        raise TensorError("is stored in another file (external data), which cnnviz never reads")
    if t.data_type not in _DTYPES:
        name = _NAMES.get(t.data_type, f"type {t.data_type}")
        raise TensorError(f"has element type {name} (cnnviz reads float32, float64, int64)")
    dims = tuple(int(d) for d in t.dims)
    size = declared_size(dims)
    dtype, field = _DTYPES[t.data_type]
    itemsize = np.dtype(dtype).itemsize
    if t.HasField("raw_data"):
        raw = t.raw_data
        if len(raw) != size * itemsize:
            raise TensorError(
                f"declares shape {dims} ({size * itemsize:,} bytes) but holds {len(raw):,} bytes"
            )
        a = np.frombuffer(raw, dtype=dtype).reshape(dims)
    else:
        values = getattr(t, field)
        if len(values) != size:
            raise TensorError(f"declares shape {dims} ({size:,} values) but holds {len(values):,}")
        if t.data_type == 10:  # float16 bits in int32 fields
            a = np.array(values, dtype=np.uint16).view(np.float16).reshape(dims)
        else:
            a = np.array(values, dtype=dtype).reshape(dims)
    if a.dtype == np.float16:
        a = a.astype(np.float32)
    return a.astype(a.dtype.newbyteorder("="), copy=True)  # native order, writable, owned


def from_array(name: str, a: np.ndarray):
    """A NumPy array as an initialiser (raw little-endian data)."""
    from onnx import helper

    a = np.asarray(a, order="C")  # (ascontiguousarray would make a scalar 1-D)
    kinds = {np.dtype(np.float32): 1, np.dtype(np.float64): 11, np.dtype(np.int64): 7}
    dt = kinds[a.dtype]
    return helper.make_tensor(
        name, dt, list(a.shape), a.astype(a.dtype.newbyteorder("<")).tobytes(), raw=True
    )
