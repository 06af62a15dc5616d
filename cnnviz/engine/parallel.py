"""Threads for the engine: big operations split into disjoint parts, run on a small pool.

NumPy releases the GIL inside copies, ufuncs and BLAS calls, so two Python threads that each
run part of an operation can keep two cores busy — as long as each part is one long NumPy
call or a few: every hand-off (waking a thread, taking the GIL back after a call) costs tens
to hundreds of µs on a virtual machine. So only operations of at least :data:`MIN_SPLIT`
element operations are split (in practice the convolutions' matrix products of a batch),
into one part per thread: :func:`split` cuts a range into contiguous slices,
:func:`run_tasks` runs different pieces of work side by side. The threads take parts until
none is left, so a thread the system runs late (another program keeps the cores busy) ends
up with fewer and the caller never waits for one that has not started.

The engine uses one thread unless :func:`set_num_threads` asks for more: on the 2-core
machine it was tuned on, a second thread gained nothing (LeNet-5's convolutions move more
memory than they compute, and one core already saturates the memory bandwidth there, while
hand-offs cost 0.05–0.4 ms), and lost up to a third when another program was busy.

Notes
-----
Determinism: the parts are fixed by the sizes and the thread count and write disjoint
outputs (no part adds into another's result), so a step gives the same result bit for bit
from run to run, whichever thread runs which part. The convolutions go further: their parts
are blocks fixed by the sizes alone (see :mod:`cnnviz.engine.conv`), so their results are
the same bits on any number of threads.

BLAS: matrix products are split here, so while the engine runs it holds OpenBLAS at one
thread per call (two layers of threads on two cores only get in each other's way, and
OpenBLAS's own threads spin badly when another program keeps a core busy). NumPy has no API
for that; :func:`hold_blas` reaches the thread count of the OpenBLAS that NumPy loaded through
``ctypes``, as threadpoolctl does, and does nothing where there is none.
"""

from __future__ import annotations

import contextlib
import contextvars
import ctypes
import functools
import glob
import itertools
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np

# Below this many element operations (~0.3 ms of work) an operation runs in one thread.
MIN_SPLIT = 1 << 20


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


_threads = 1
_pool: ThreadPoolExecutor | None = None
_lock = threading.Lock()


def get_num_threads() -> int:
    """How many threads the engine splits its work into."""
    return _threads


def set_num_threads(n: int | None) -> None:
    """Split the engine's big operations over ``n`` threads (None: one per core; 1, the
    default: no threads)."""
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


def run_tasks(tasks: list[Callable[[], object]], work: int) -> None:
    """Run ``tasks`` on the engine's threads and return when all are done.

    The calling thread takes the first task and then, like the pool's threads, the next one
    nobody has taken. Every exception is re-raised here, after all tasks have finished.
    Unless the ``work`` of them all (element operations) is :func:`worth_splitting`, the
    caller runs them in order.
    """
    if len(tasks) == 1 or not worth_splitting(work):
        for task in tasks:
            task()
        return
    claim = itertools.count()  # next() on it is atomic under the GIL
    finished = [threading.Event() for _ in tasks]
    errors: list[BaseException] = []

    def work_through() -> None:
        while (i := next(claim)) < len(tasks):
            try:
                tasks[i]()
            except BaseException as exc:  # re-raised by the caller
                errors.append(exc)
            finally:
                finished[i].set()

    pool = _executor()
    for _ in range(min(_threads, len(tasks)) - 1):
        # each thread runs in a copy of the caller's context, so np.errstate reaches it
        pool.submit(contextvars.copy_context().run, work_through)
    work_through()
    for event in finished:
        event.wait()
    if errors:
        raise errors[0]


def worth_splitting(work: int) -> bool:
    """Whether an operation of ``work`` element operations is split over the threads."""
    return _threads > 1 and work >= MIN_SPLIT


def split(fn: Callable[[slice], object], size: int, work: int) -> None:
    """Run ``fn(s)`` for contiguous slices ``s`` covering ``range(size)``, one per thread.

    ``work`` is the number of element operations of the whole call; unless
    :func:`worth_splitting`, ``fn(slice(0, size))`` runs alone.
    """
    parts = min(_threads, size) if worth_splitting(work) else 1
    if parts <= 1:
        fn(slice(0, size))
        return
    run_tasks([functools.partial(fn, s) for s in slices(size, parts)], work)


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
    if not worth_splitting(a.size):
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
