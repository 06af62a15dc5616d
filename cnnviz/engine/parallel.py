"""Threads for the engine: work split into disjoint slices, run on a small thread pool.

NumPy releases the GIL inside copies, ufuncs and BLAS calls, so two Python threads that each
handle part of an array keep two cores busy. The layers split their big operations with
:func:`split`: a copy, an elementwise pass or a matrix product over the batch is cut into
contiguous slices of one axis, every slice writes its own part of the output, and the threads
take slices until none is left.

Notes
-----
Determinism: the slices are fixed by the sizes and the thread count, and no slice adds into
another's result, so a step gives the same result bit for bit from run to run. Another
thread count may change the last bits of a few float32 sums (a BLAS kernel sums a block of
rows of a product in its own order); float64 results have come out identical.

BLAS: matrix products are split here too, so while the engine splits work it runs OpenBLAS
with one thread per call (two layers of threads on two cores only get in each other's way).
NumPy has no API for that; :func:`blas_threads` reaches the thread count of the OpenBLAS that
NumPy loaded through ``ctypes``, as threadpoolctl does, and does nothing where there is none.
"""

from __future__ import annotations

import contextlib
import contextvars
import ctypes
import glob
import itertools
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np

# Below this many elements an operation runs in one thread: a hand-off costs ~20 µs.
MIN_SPLIT = 32_768
# Slices per thread: more than one, so the threads balance when one of them runs late.
CHUNKS_PER_THREAD = 2


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


_threads = available_cores()
_pool: ThreadPoolExecutor | None = None
_lock = threading.Lock()


def get_num_threads() -> int:
    """How many threads the engine splits its work into."""
    return _threads


def set_num_threads(n: int | None) -> None:
    """Split the engine's work into ``n`` threads (None: one per core; 1: no threads)."""
    global _threads, _pool
    n = available_cores() if n is None else int(n)
    if n < 1:
        raise ValueError(f"thread count must be at least 1, got {n}")
    with _lock:
        if n != _threads and _pool is not None:
            _pool.shutdown(wait=True)
            _pool = None
        _threads = n


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(_threads - 1, thread_name_prefix="cnnviz-engine")
        return _pool


def slices(size: int, parts: int) -> list[slice]:
    """``parts`` contiguous slices covering ``range(size)``, as equal as can be."""
    bounds = [size * k // parts for k in range(parts + 1)]
    return [slice(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def split(fn: Callable[[slice], object], size: int, work: int) -> None:
    """Run ``fn(s)`` for contiguous slices ``s`` covering ``range(size)``, on the threads.

    ``work`` is the number of elements the whole operation touches; below
    :data:`MIN_SPLIT`, or with one thread, ``fn(slice(0, size))`` runs alone. Otherwise the
    range is cut into :data:`CHUNKS_PER_THREAD` slices per thread, fixed by the sizes, and the
    calling thread and the pool's threads take slices until none is left: a thread the system
    runs late (another program is busy) ends up with fewer, and the caller never waits for a
    thread that has not started. Every exception is re-raised here.
    """
    parts = min(_threads * CHUNKS_PER_THREAD, size) if _threads > 1 and work >= MIN_SPLIT else 1
    if parts <= 1:
        fn(slice(0, size))
        return
    chunks = slices(size, parts)
    claim = itertools.count()  # next() on it is atomic under the GIL
    finished = [threading.Event() for _ in chunks]
    errors: list[BaseException] = []

    def work_through() -> None:
        while (i := next(claim)) < len(chunks):
            try:
                fn(chunks[i])
            except BaseException as exc:  # re-raised by the caller
                errors.append(exc)
            finally:
                finished[i].set()

    pool = _executor()
    for _ in range(min(_threads - 1, len(chunks) - 1)):
        # each thread runs in a copy of the caller's context, so np.errstate reaches it
        pool.submit(contextvars.copy_context().run, work_through)
    work_through()
    for event in finished:
        event.wait()
    if errors:
        raise errors[0]


def outer_axis(a: np.ndarray, axes: tuple[int, ...] = (0, 1)) -> int:
    """Of ``axes``, the one outermost in memory: slices of it are the biggest blocks."""
    return max(axes, key=lambda i: (abs(a.strides[i]) * (a.shape[i] > 1), -i))


def along(axis: int, s: slice) -> tuple:
    """The index selecting ``s`` on ``axis``: ``a[along(1, s)]`` is ``a[:, s]``."""
    return (slice(None),) * axis + (s,)


def split_along(fn: Callable[[tuple], object], a: np.ndarray, axes=(0, 1)) -> None:
    """Run ``fn(index)`` on slices of ``a``'s outermost axis among ``axes``, one per thread.

    ``fn`` applies the index to every array of the operation (they have ``a``'s shape).
    """
    if a.size < MIN_SPLIT or _threads == 1:
        fn(())
        return
    axis = outer_axis(a, axes)
    split(lambda s: fn(along(axis, s)), a.shape[axis], a.size)


# --------------------------------------------------------------------------- BLAS threads
def _openblas_setter() -> Callable[[int], None] | None:
    """``set_num_threads`` and ``get_num_threads`` of the OpenBLAS NumPy uses, or None."""
    names = ("scipy_openblas_{}_num_threads64_", "openblas_{}_num_threads64_",
             "scipy_openblas_{}_num_threads", "openblas_{}_num_threads")  # fmt: skip
    paths = []
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = sorted({line.split()[-1] for line in maps if "openblas" in line.lower()})
    except OSError:
        pass
    libs_dir = os.path.join(os.path.dirname(os.path.dirname(np.__file__)), "numpy.libs")
    paths += glob.glob(os.path.join(libs_dir, "*openblas*"))
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for name in names:
            setter = getattr(lib, name.format("set"), None)
            getter = getattr(lib, name.format("get"), None)
            if setter is not None and getter is not None:
                setter.argtypes, setter.restype = [ctypes.c_int], None
                getter.argtypes, getter.restype = [], ctypes.c_int
                return setter, getter
    return None


_blas = None
_blas_searched = False


def _blas_functions():
    global _blas, _blas_searched
    if not _blas_searched:
        _blas_searched = True
        try:
            _blas = _openblas_setter()
        except Exception:  # pragma: no cover - an unusual NumPy build: leave BLAS alone
            _blas = None
    return _blas


_held: int | None = None  # OpenBLAS's thread count before hold_blas lowered it


def hold_blas() -> None:
    """Run OpenBLAS with one thread until :func:`release_blas` (the engine splits its work).

    Cheap to call again while held; a training step holds it from its first phase to its last.
    """
    global _held
    if _held is not None:
        return
    fns = _blas_functions()
    if fns is None:
        return
    setter, getter = fns
    with _lock:
        before = getter()
        if before != 1 and _held is None:
            setter(1)
            _held = before


def release_blas() -> None:
    """Give OpenBLAS back the thread count it had before :func:`hold_blas`."""
    global _held
    with _lock:
        if _held is not None:
            _blas_functions()[0](_held)
            _held = None


@contextlib.contextmanager
def blas_held() -> Iterator[None]:
    """The block runs with OpenBLAS at one thread (as it was, if a step already holds it)."""
    was_held = _held is not None
    hold_blas()
    try:
        yield
    finally:
        if not was_held:
            release_blas()
