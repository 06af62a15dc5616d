"""Reading and writing the user's files without harm: the few rules every entry shares.

* Only regular files are read. A device node (``/dev/zero``), a FIFO or a socket is refused
  at once: the file is opened with ``O_NONBLOCK`` (so opening a FIFO cannot hang) and checked
  with ``fstat`` before a byte is read, and no more than the cap of its kind is read.
* Text formats (JSON, TOML) are checked for nesting depth *before* they are parsed, by a scan
  of the brackets outside strings, so no parser recursion can fail on a hostile file.
* A file is only ever written where nothing but a regular file exists, into a folder shown to
  be writable (a temporary file created and removed there) before any long work starts.
* Text chosen by a file (class names, architecture names) is shown with its control
  characters escaped: :func:`printable`.

Everything raises :class:`cnnviz.errors.CnnvizError` (or the subclass given) with one line that
names the file.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import stat
import time
from pathlib import Path
from typing import Any

import numpy as np

from cnnviz.errors import CnnvizError

MAX_TEXT_BYTES = 4 << 20  # architecture and preset files
STALE_SECONDS = 24 * 3600  # temporary files of a killed save older than this are removed


# ---------------------------------------------------------------------------------- reading
def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def open_regular(path: str | os.PathLike, what: str, limit: int, error=CnnvizError):
    """A binary file object for ``path`` if it is a regular file of at most ``limit`` bytes.

    Raises ``error`` otherwise, with a message ``"cannot read <what> <path>: …"`` (or
    ``"<path>: …"`` when ``what`` is empty); nothing is read before the check.
    """

    def refuse(reason: str):
        return error(f"cannot read {what} {path}: {reason}" if what else f"{path}: {reason}")

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        reason = getattr(exc, "strerror", None) or str(exc)
        raise refuse(f"cannot open: {reason}" if not what else reason) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise refuse(f"it is {_kind(st.st_mode)}, not a regular file")
        if st.st_size > limit:
            raise refuse(f"it is {_size(st.st_size)}, more than the {_size(limit)} allowed")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | os.PathLike, what: str, limit: int, error=CnnvizError) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (see :func:`open_regular`)."""
    with open_regular(path, what, limit, error) as f:
        try:
            data = f.read(limit + 1)
        except OSError as exc:
            raise error(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    if len(data) > limit:  # grew while we read it
        raise error(f"cannot read {what} {path}: it is more than the {_size(limit)} allowed")
    return data


def read_text(path: str | os.PathLike, what: str, limit: int = MAX_TEXT_BYTES, error=CnnvizError):
    """A regular file's text, decoded as UTF-8 (an error naming the file otherwise)."""
    data = read_regular(path, what, limit, error)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"{what} {path} is not UTF-8 text (byte {exc.start})") from None


def _size(n: int) -> str:
    if n >= 1 << 20:
        return f"{n / 2**20:.0f} MiB"
    return f"{n / 1024:.0f} KiB" if n >= 1024 else f"{n} bytes"


# ---------------------------------------------------------------------------------- nesting
_JSON_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"', re.S)  # possessive: no backtracking
_TOML_SKIP = re.compile(
    rb"'''(?:[^']++|'(?!''))*+'''|\"\"\"(?:[^\"\\]++|\\.|\"(?!\"\"))*+\"\"\"|\"(?:[^\"\\\n]++|\\.)*+\"|'[^'\n]*+'|#[^\n]*+",
    re.S,
)


def nesting_depth(text: str, toml: bool = False) -> int:
    """The deepest nesting of ``[`` and ``{`` outside strings (and comments, for TOML).

    A linear scan without recursion, so it is safe on any input. For TOML a table header
    ``[[layers]]`` counts as 2 while it is open, which over-counts by at most that.
    """
    raw = text.encode("utf-8", "surrogatepass")
    raw = (_TOML_SKIP if toml else _JSON_STRING).sub(b"", raw)
    a = np.frombuffer(raw, np.uint8)
    steps = np.zeros(a.shape, np.int32)
    steps[(a == ord("[")) | (a == ord("{"))] = 1
    steps[(a == ord("]")) | (a == ord("}"))] = -1
    return int(np.cumsum(steps).max(initial=0))


def value_depth(value: Any) -> int:
    """The nesting depth of parsed JSON/TOML (lists and dicts), iteratively."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, dict):
            stack.extend((x, d + 1) for x in v.values())
        elif isinstance(v, list):
            stack.extend((x, d + 1) for x in v)
        else:
            continue
        deepest = max(deepest, d + 1)
    return deepest


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def loads_json(text: str, what: str, max_depth: int, error=CnnvizError) -> Any:
    """``json.loads`` refusing NaN/Infinity and nesting deeper than ``max_depth``."""
    depth = nesting_depth(text)
    if depth > max_depth:
        raise error(f"{what} is nested {depth} levels deep; the format needs at most {max_depth}")
    try:
        return json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise error(f"{what} is not valid JSON: {printable(str(exc), 200)}") from None


def loads_toml(text: str, what: str, max_depth: int, error=CnnvizError) -> Any:
    """``tomllib.loads`` refusing nesting deeper than ``max_depth`` (before parsing it, and
    after, for nesting made by dotted keys and table headers)."""
    import tomllib

    depth = nesting_depth(text, toml=True)
    if depth > max_depth + 1:  # +1: a [[table]] header's own brackets
        raise error(f"{what} is nested {depth} levels deep; the format needs at most {max_depth}")
    try:
        value = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError, RecursionError) as exc:
        raise error(f"{what} is not valid TOML: {printable(str(exc), 200)}") from None
    if value_depth(value) > max_depth:
        raise error(f"{what} is nested deeper than the {max_depth} levels the format needs")
    return value


# ---------------------------------------------------------------------------------- writing
def check_output(path: str | os.PathLike, what: str = "output", error=CnnvizError) -> None:
    """Refuse to write ``path`` unless it is absent or a regular file, in an existing folder
    where a file can be created (shown by creating and removing one)."""
    path = Path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise error(f"cannot write {what} {path}: {exc.strerror or exc}") from None
    else:
        if not stat.S_ISREG(st.st_mode):
            raise error(f"will not write {what} {path}: it is {_kind(st.st_mode)}, not a file")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise error(f"cannot write {what} {path}: the folder {folder} does not exist")
    probe = folder / f".{path.name}.{secrets.token_hex(4)}.probe.tmp"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise error(
            f"cannot write {what} {path}: the folder {folder} is not writable "
            f"({exc.strerror or exc})"
        ) from None
    os.close(fd)
    try:
        os.unlink(probe)
    except OSError:  # pragma: no cover - removed by someone else
        pass


def remove_stale(folder: str | os.PathLike, pattern: re.Pattern, max_age: float = STALE_SECONDS):
    """Remove regular files in ``folder`` whose names match ``pattern`` (our own temporary
    files) and that were last changed more than ``max_age`` seconds ago. Errors are ignored:
    this is cleaning up, never a reason for a save to fail."""
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(st.st_mode) and now - st.st_mtime > max_age:
                os.unlink(entry.path)
        except OSError:
            pass


# ---------------------------------------------------------------------------------- showing
def printable(text: Any, limit: int | None = None) -> str:
    """``text`` with every control or otherwise unprintable character escaped (``\\x1b``,
    ``\\u200b``), so a name chosen by a file cannot move the cursor, clear or retitle the
    terminal; cut to ``limit`` characters (with an ellipsis) when given."""
    text = str(text)
    if not text.isprintable():
        text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text
