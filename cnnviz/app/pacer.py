"""What the window draws at each frame tick: the frame pacer (pure Python, no Qt).

Paused, stepping or at a lecture speed, every new snapshot is drawn whole, at once. While
training runs at full speed the window draws in pieces instead: a new snapshot at most every
``FAST_FRAME_S`` (the training process publishes about 15 a second), its parts in separate
frame ticks (the top of the window, then the side panel and the current lower panel at the
next tick), so that no single pass of the event loop paints the whole window, and every part
of a frame comes from the same snapshot: the overview, the sample panel and the inspector never
show different samples or steps at once; and only while the GUI thread stays within its
:class:`DrawBudget`, so that the window answers the user at once on a slow machine. A plot
panel due for a redraw gets a tick of its own too. (``benchmarks/app_throughput.py``
measures frame rates, stalls and training.)

The pacer decides; a :class:`Painter` (the window) draws. Tests drive it with a fake painter
and a fake clock.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Protocol

from cnnviz.live.session import SPEEDS

from .budget import DrawBudget

FAST_FRAME_S = 1 / 15
PIECEWISE_RATE = 20.0  # batches a second from which the window draws in pieces
TOP, SIDE, LOWER = "overview", "sample", "lower"  # the parts drawn in ticks of their own


def draws_in_pieces(speed: int) -> bool:
    """Whether the window draws in pieces at entry ``speed`` of the session's ``SPEEDS``:
    at full speed and at the fastest batch rates (a lecture speed is drawn whole)."""
    _label, mode, rate = SPEEDS[speed]
    return mode == "batch" and (rate is None or rate >= PIECEWISE_RATE)


class Painter(Protocol):
    """What the pacer asks of the window."""

    def take_snapshot(self) -> object | None:
        """The newest snapshot not taken yet, or None."""

    def draw_whole(self, snapshot) -> None:
        """Draw every part from ``snapshot`` now (and make it current)."""

    def accept_snapshot(self, snapshot) -> None:
        """Make ``snapshot`` current (status, metrics) without drawing its parts."""

    def draw_part(self, part: str, snapshot) -> None:
        """Draw one part (``TOP``, ``SIDE`` or ``LOWER``) from ``snapshot``."""

    def frame_started(self, snapshot) -> None:
        """A frame of ``snapshot`` has begun (its first part is drawn)."""

    def set_piecewise(self, on: bool) -> None:
        """Drawing in pieces starts (True) or stops (False): e.g. the plots' frame rate."""

    def piece_due(self) -> bool:
        """Whether a panel drawing on its own clock (the plots) is due for a tick of its own."""

    def draw_piece(self) -> None:
        """Draw that panel's piece."""


class FramePacer:
    """Decides, at each frame tick, what ``painter`` draws.

    Parameters
    ----------
    painter : Painter
        The window.
    budget : DrawBudget, optional
        The GUI thread's drawing budget at full speed.
    clock : callable, optional
        Seconds, monotonic (injectable for tests).
    """

    def __init__(
        self,
        painter: Painter,
        budget: DrawBudget | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.painter = painter
        self.budget = budget or DrawBudget()
        self.clock = clock
        self.piecewise = False  # drawing in pieces, within the budget
        self.pending: list[tuple[str, ...]] = []  # parts still to draw from ``current``, by tick
        self.current = None  # the snapshot drawn last (whole or in part)
        self._last: dict[str, float] = {}

    def poke(self) -> None:
        """A command was sent: show its effect at the next tick."""
        self._last.clear()

    def restart(self) -> None:
        """Nothing still to draw (a new network, a whole redraw)."""
        self.pending.clear()

    def tick(self, fast: bool) -> None:
        """One frame tick; ``fast``: training runs (the newest snapshot says so) at a speed
        that :func:`draws_in_pieces`."""
        p = self.painter
        slowed = self.piecewise and not fast
        if fast != self.piecewise:
            self.piecewise = fast
            self.pending.clear()
            self.budget.reset()
            p.set_piecewise(fast)
        if not fast:
            snap = p.take_snapshot()
            if snap is None and slowed:
                snap = self.current  # drawn in pieces so far: draw all of it now
            if snap is not None:
                self.current = snap
                p.draw_whole(snap)
            return
        if not self.budget.allows():
            return  # the GUI thread has drawn enough for now: it stays free for the user
        if self.pending:
            for part in self.pending.pop(0):
                p.draw_part(part, self.current)
            return
        if p.piece_due():
            p.draw_piece()
            return
        now = self.clock()
        if now - self._last.get("frame", -math.inf) < FAST_FRAME_S:
            return
        snap = p.take_snapshot()
        if snap is None:
            return
        self._last["frame"] = now
        self.current = snap
        p.accept_snapshot(snap)
        # the top now, the side and lower panels (from the same snapshot: one coherent
        # picture) at the next tick, so that no pass of the event loop paints everything
        p.draw_part(TOP, snap)
        self.pending = [(SIDE, LOWER)]
        p.frame_started(snap)
