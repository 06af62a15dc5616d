"""Messages between the app and its training process: plain data and NumPy arrays, no code.

A message is any nesting of ``None``, ``bool``, ``int``, ``float``, ``str``, ``list``,
``tuple``, ``dict``, NumPy arrays of numbers or booleans, NumPy scalars, enums and dataclasses
defined in ``cnnviz`` (a :class:`~cnnviz.live.snapshot.Snapshot`, a
:class:`~cnnviz.training.timeline.TimelineFrame`, …). :func:`send` writes it to a socket as
one frame::

    [8 bytes: header length][4 bytes: array count][8 bytes per array: its length]
    [header: UTF-8 JSON describing the structure][array 0 bytes][array 1 bytes]…

and :func:`recv` rebuilds it, within :class:`Limits` checked before anything is allocated
(:data:`TO_TRAINING` for what the training process reads: no more than the largest message the
app sends). Each array is read straight into a fresh aligned NumPy buffer
(no copy after the socket), each dataclass rebuilt field by field without calling its
``__init__``. Unlike pickle, nothing in a message can name a function to call: a dataclass or
enum is looked up by name only among ``cnnviz``'s own classes, and anything else is refused
with :class:`WireError` — as is any frame beyond the limits, nested deeper than
:data:`MAX_DEPTH`, or otherwise malformed (never another exception).
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import json
import math
import socket
import struct
from dataclasses import dataclass
from typing import Any

import numpy as np

_PREFIX = struct.Struct("<QI")  # header length, array count
_LENGTH = struct.Struct("<Q")
_KINDS = set("biuf")  # bool, signed, unsigned, float arrays only
MAX_DEPTH = 64  # nesting of a message (a snapshot needs about ten)


@dataclass(frozen=True)
class Limits:
    """Bounds on one frame, checked from its prefix before anything is allocated."""

    header: int  # bytes of the JSON header
    arrays: int  # arrays in the frame
    total: int  # bytes of the header and the arrays together


# What the training process accepts from the app. The app's largest message is a probed image,
# (C, H, W) float32: 64 MiB holds 3 × 2048 × 2048 of them; every other command is a few
# hundred bytes of header. The app checks its own messages against these before sending.
TO_TRAINING = Limits(header=1 << 20, arrays=8, total=64 << 20)
# What the app accepts from its training process (snapshots, the test images of a dataset)
TO_APP = Limits(header=1 << 30, arrays=1 << 20, total=16 << 30)


class WireError(ValueError):
    """A message could not be written or read (unknown type, truncated or malformed frame)."""


class Closed(EOFError):
    """The other end closed the connection."""


# ---------------------------------------------------------------------------- encoding
def _encode(obj: Any, arrays: list[np.ndarray]) -> Any:
    """``obj`` as JSON-ready data; arrays are appended to ``arrays`` and referenced by index."""
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, enum.Enum):
        cls = type(obj)
        return {"@": "enum", "c": f"{cls.__module__}:{cls.__qualname__}", "v": obj.value}
    if isinstance(obj, int):
        return int(obj)
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else {"@": "f", "v": repr(obj)}
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind not in _KINDS:
            raise WireError(f"cannot send an array of {obj.dtype}")
        arrays.append(np.ascontiguousarray(obj))
        return {"@": "nd", "i": len(arrays) - 1, "d": obj.dtype.str, "s": list(obj.shape)}
    if isinstance(obj, np.generic):
        return _encode(obj.item(), arrays)
    if isinstance(obj, list):
        return [_encode(v, arrays) for v in obj]
    if isinstance(obj, tuple):
        return {"@": "t", "v": [_encode(v, arrays) for v in obj]}
    if isinstance(obj, dict):
        return {"@": "d", "v": [[_encode(k, arrays), _encode(v, arrays)] for k, v in obj.items()]}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        cls = type(obj)
        fields = {f.name: _encode(getattr(obj, f.name), arrays) for f in dataclasses.fields(obj)}
        return {"@": "dc", "c": f"{cls.__module__}:{cls.__qualname__}", "v": fields}
    raise WireError(f"cannot send a {type(obj).__name__}")


def pack(obj: Any, limits: Limits | None = None) -> list[bytes | memoryview]:
    """The buffers of one frame for ``obj``: prefix, header, then each array's bytes (refused
    with :class:`WireError` if it exceeds ``limits``)."""
    arrays: list[np.ndarray] = []
    header = json.dumps(_encode(obj, arrays), separators=(",", ":")).encode()
    if limits is not None:
        nbytes = sum(a.nbytes for a in arrays)
        _check(limits, len(header), len(arrays), nbytes, "a message too large to send")
    prefix = _PREFIX.pack(len(header), len(arrays))
    lengths = b"".join(_LENGTH.pack(a.nbytes) for a in arrays)
    return [prefix + lengths, header, *(memoryview(a).cast("B") for a in arrays if a.nbytes)]


def send(sock: socket.socket, obj: Any, limits: Limits | None = None) -> None:
    """Write ``obj`` to ``sock`` as one frame (blocks until the kernel has taken it all);
    with ``limits``, a frame beyond them is refused before anything is written."""
    for buf in pack(obj, limits):
        sock.sendall(buf)


# ---------------------------------------------------------------------------- decoding
def _class(name: Any, kind: str) -> type:
    if not isinstance(name, str) or ":" not in name:
        raise WireError(f"malformed {kind} name")
    module, qualname = name.split(":", 1)
    if module != "cnnviz" and not module.startswith("cnnviz."):
        raise WireError(f"refusing {kind} {name}: not one of cnnviz's")
    try:
        obj: Any = importlib.import_module(module)
        for part in qualname.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError):
        raise WireError(f"unknown {kind} {name}") from None
    ok = dataclasses.is_dataclass(obj) if kind == "dataclass" else issubclass(obj, enum.Enum)
    if not isinstance(obj, type) or not ok:
        raise WireError(f"{name} is not a {kind}")
    return obj


def _decode(data: Any, arrays: list[np.ndarray], depth: int = 0) -> Any:
    if depth > MAX_DEPTH:
        raise WireError(f"malformed message: nested deeper than {MAX_DEPTH}")
    inner = depth + 1
    if isinstance(data, list):
        return [_decode(v, arrays, inner) for v in data]
    if not isinstance(data, dict):
        return data
    tag = data.get("@")
    if tag == "t":
        return tuple(_decode(v, arrays, inner) for v in data["v"])
    if tag == "d":
        return {_decode(k, arrays, inner): _decode(v, arrays, inner) for k, v in data["v"]}
    if tag == "nd":
        flat = arrays[data["i"]]
        dtype = np.dtype(data["d"])
        if dtype.kind not in _KINDS:
            raise WireError(f"refusing an array of {dtype}")
        return flat.view(dtype).reshape(data["s"])
    if tag == "f":
        return float(data["v"])
    if tag == "enum":
        return _class(data["c"], "enum")(data["v"])
    if tag == "dc":
        cls = _class(data["c"], "dataclass")
        obj = cls.__new__(cls)
        names = {f.name for f in dataclasses.fields(cls)}
        for key, value in data["v"].items():
            if key not in names:
                raise WireError(f"{cls.__name__} has no field {key}")
            object.__setattr__(obj, key, _decode(value, arrays, inner))
        return obj
    raise WireError(f"unknown tag {tag!r}")


def _recv_exactly(sock: socket.socket, buf: memoryview) -> None:
    while len(buf):
        n = sock.recv_into(buf)
        if n == 0:
            raise Closed("the connection closed")
        buf = buf[n:]


def _check(limits: Limits, header: int, count: int, array_bytes: int, what: str) -> None:
    if header > limits.header:
        raise WireError(f"{what}: a header of {header} bytes (at most {limits.header})")
    if count > limits.arrays:
        raise WireError(f"{what}: {count} arrays (at most {limits.arrays})")
    if header + array_bytes > limits.total:
        raise WireError(f"{what}: {header + array_bytes} bytes (at most {limits.total})")


def recv(sock: socket.socket, limits: Limits = TO_APP) -> Any:
    """Read one frame from ``sock`` and rebuild its message (blocks until it has arrived).

    Raises :class:`Closed` if the connection closes (also mid-frame) and :class:`WireError`
    for a frame beyond ``limits`` (found from its prefix, before allocating) or malformed."""
    prefix = bytearray(_PREFIX.size)
    _recv_exactly(sock, memoryview(prefix))
    header_len, count = _PREFIX.unpack(prefix)
    _check(limits, header_len, count, 0, "malformed frame")
    lengths = bytearray(_LENGTH.size * count)
    _recv_exactly(sock, memoryview(lengths))
    sizes = [n for (n,) in _LENGTH.iter_unpack(lengths)]
    _check(limits, header_len, count, sum(sizes), "malformed frame")
    header = bytearray(header_len)
    _recv_exactly(sock, memoryview(header))
    arrays = []
    for n in sizes:
        a = np.empty(n, dtype=np.uint8)  # NumPy's buffers are aligned for any dtype
        _recv_exactly(sock, memoryview(a))
        arrays.append(a)
    try:
        return _decode(json.loads(header), arrays)
    except WireError:
        raise
    except RecursionError:
        raise WireError("malformed message: nested too deeply") from None
    except Exception as exc:  # noqa: BLE001 - whatever a hostile header makes of the decoder
        raise WireError(f"malformed message: {type(exc).__name__}: {exc}") from None
