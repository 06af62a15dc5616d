"""Checksummed, cancellable, atomic downloads.

A file is streamed in chunks into a hidden temporary file in the destination folder while its
digest is computed; only when the byte count and the published checksum match is it moved into
place with :func:`os.replace`. On any failure (HTTP error, timeout, a connection cut short, a
checksum mismatch, the user cancelling, Ctrl-C) the temporary file is removed, so a file under
its real name is always a complete, verified one. Mirrors are tried in turn.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import socket
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from cnnviz.datasets.base import DatasetError, DownloadCancelled

CHUNK = 1 << 16
TIMEOUT = 30.0  # seconds without progress on the socket before giving up on a mirror
USER_AGENT = "cnnviz-datasets/0.1 (+https://github.com/cnnviz)"

Progress = Callable[[int, "int | None", str], None]
Cancel = Callable[[], bool]


@dataclass(frozen=True)
class FileSpec:
    """A file of a downloadable dataset and how to recognise a good copy.

    Attributes
    ----------
    name : str
        File name, the same on every mirror.
    md5, sha256 : str, optional
        Published checksum of the file as distributed (at least one should be given).
    size : int, optional
        Size in bytes, when published.
    raw_sha256 : str, optional
        SHA-256 of the decompressed content, for repackaged copies whose gzip bytes differ
        (e.g. Debian's) but whose data is identical.
    """

    name: str
    md5: str | None = None
    sha256: str | None = None
    size: int | None = None
    raw_sha256: str | None = None

    @property
    def algorithm(self) -> str:
        return "sha256" if self.sha256 else "md5"

    @property
    def digest(self) -> str | None:
        return (self.sha256 or self.md5 or "").lower() or None


def file_digest(path: str | os.PathLike, algorithm: str) -> str:
    """Hex digest of a file, read in chunks."""
    h = hashlib.new(algorithm)
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


_VERIFIED: dict[tuple[str, int, int, str], bool] = {}


def verify_file(path: Path, spec: FileSpec) -> None:
    """Check a file against its published size and checksum; DatasetError if it differs.

    Results are remembered for the process, keyed by path, size and modification time.
    """
    try:
        st = path.stat()
    except OSError as exc:
        raise DatasetError(f"cannot read {path}: {exc.strerror or exc}") from exc
    key = (str(path), st.st_size, st.st_mtime_ns, spec.digest or "")
    if _VERIFIED.get(key):
        return
    if spec.size is not None and st.st_size != spec.size:
        raise DatasetError(
            f"{path} is {st.st_size} bytes, expected {spec.size}: it is incomplete or not the "
            f"published file; delete it and download again"
        )
    if spec.digest:
        got = file_digest(path, spec.algorithm)
        if got != spec.digest:
            raise DatasetError(
                f"{path} fails verification ({spec.algorithm} {got}, expected {spec.digest}): "
                f"it is damaged or not the published file; delete it and download again"
            )
    _VERIFIED[key] = True


class _Failure(Exception):
    """One mirror failed for this file; the message says why."""


class MirrorsFailed(DatasetError):
    """Every mirror failed for a file.

    Attributes
    ----------
    filename : str
    failures : list of str, "URL (reason)" per URL tried
    """

    def __init__(self, message: str, filename: str, failures: list[str]):
        super().__init__(message)
        self.filename = filename
        self.failures = failures


def _fetch_one(
    url: str,
    dest: Path,
    spec: FileSpec,
    progress: Progress | None,
    cancel: Cancel | None,
    timeout: float,
) -> None:
    """Download ``url`` to ``dest`` atomically; _Failure if this mirror did not deliver."""
    h = hashlib.new(spec.algorithm)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{spec.name}.", suffix=".part", dir=dest.parent)
    except OSError as exc:
        raise DatasetError(f"cannot write in {dest.parent}: {exc.strerror or exc}") from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
            try:
                response = urllib.request.urlopen(request, timeout=timeout)
            except urllib.error.HTTPError as exc:
                raise _Failure(f"HTTP {exc.code} {exc.reason}") from exc
            except urllib.error.URLError as exc:
                raise _Failure(str(exc.reason)) from exc
            except (OSError, http.client.HTTPException, ValueError) as exc:
                raise _Failure(str(exc) or type(exc).__name__) from exc
            with response:
                length = response.headers.get("Content-Length")
                total = int(length) if length and length.isdigit() else spec.size
                if spec.size is not None and total != spec.size:  # a wrong file: don't fetch it
                    raise _Failure(f"serves {total} bytes, the published file has {spec.size}")
                done = 0
                read = getattr(response, "read1", response.read)  # what has arrived, up to CHUNK
                if progress:
                    progress(0, total, spec.name)
                while True:
                    if cancel is not None and cancel():
                        raise DownloadCancelled(f"download of {spec.name} cancelled")
                    try:
                        chunk = read(CHUNK)
                    except (OSError, http.client.HTTPException) as exc:
                        if isinstance(exc, socket.timeout):
                            raise _Failure(
                                f"timed out after {done} bytes (nothing for {timeout:g} s)"
                            ) from exc
                        reason = str(exc) or type(exc).__name__
                        raise _Failure(f"connection lost after {done} bytes ({reason})") from exc
                    if not chunk:
                        break
                    try:
                        out.write(chunk)
                    except OSError as exc:  # disk full, ...: no other mirror will help
                        raise DatasetError(
                            f"cannot write {dest.name} in {dest.parent}: {exc.strerror or exc}"
                        ) from exc
                    h.update(chunk)
                    done += len(chunk)
                    if progress:
                        progress(done, total, spec.name)
        if length and length.isdigit() and done != int(length):
            raise _Failure(f"transfer cut short: {done} of {length} bytes")
        if spec.size is not None and done != spec.size:
            raise _Failure(f"got {done} bytes, the published file has {spec.size}")
        got = h.hexdigest()
        if spec.digest and got != spec.digest:
            raise _Failure(f"checksum mismatch ({spec.algorithm} {got}, expected {spec.digest})")
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a dataset file is ordinary data
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def mirror_urls(name: str, filename: str, mirrors: Iterable[str]) -> list[str]:
    """Candidate URLs for one file: ``$CNNVIZ_MIRROR`` first, then the dataset's mirrors.

    ``CNNVIZ_MIRROR`` may hold the files directly or in one subfolder per dataset name.
    """
    urls = []
    env = os.environ.get("CNNVIZ_MIRROR", "").strip()
    if env:
        base = env if env.endswith("/") else env + "/"
        urls += [base + filename, f"{base}{name}/{filename}"]
    for m in mirrors:
        urls.append((m if m.endswith("/") else m + "/") + filename)
    return urls


def fetch(
    name: str,
    spec: FileSpec,
    dest: Path,
    mirrors: Iterable[str],
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    timeout: float | None = None,
) -> Path:
    """Make sure the verified file ``dest`` exists, downloading it if needed.

    A file already at ``dest`` (downloaded earlier or put there by hand) is verified instead;
    if it fails, DatasetError names it (it is never silently replaced).

    Raises
    ------
    DownloadCancelled
        ``cancel()`` returned True; nothing partial is left.
    DatasetError
        Every mirror failed; the message lists each URL and why.
    """
    if dest.exists():
        verify_file(dest, spec)
        return dest
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatasetError(f"cannot create {dest.parent}: {exc.strerror or exc}") from exc
    failures = []
    for url in mirror_urls(name, spec.name, mirrors):
        try:
            _fetch_one(url, dest, spec, progress, cancel, TIMEOUT if timeout is None else timeout)
        except _Failure as exc:
            failures.append(f"{url} ({exc})")
            continue
        st = dest.stat()
        _VERIFIED[(str(dest), st.st_size, st.st_mtime_ns, spec.digest or "")] = True
        return dest
    tried = "; ".join(failures) if failures else "no mirrors are known"
    raise MirrorsFailed(
        f"could not download {spec.name} for {name}: {tried}. Without internet access, put "
        f"the file in {dest.parent} by hand (see docs/datasets.md)",
        spec.name,
        failures,
    )
