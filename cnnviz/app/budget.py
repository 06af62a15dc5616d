"""How much of its time the GUI thread may spend drawing while training runs at full speed.

Training runs in a process of its own, so drawing does not slow it down on a machine with a
core to spare; but a GUI thread that draws all the time answers clicks and keys late, and on a
machine with one free core it competes with the training for it. At full speed the window
therefore draws only while the GUI thread's CPU time over the last second stays under a share
of the wall time: on a fast machine that is every snapshot the training publishes, on a slow
one fewer, and the window stays responsive either way.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

DRAW_SHARE = 0.5  # of the wall time, while training runs at full speed
WINDOW_S = 1.0  # the GUI thread's CPU time is measured over this many seconds


class DrawBudget:
    """A sliding-window meter of the calling thread's CPU time.

    ``allows()`` (called on the GUI thread, e.g. on every frame tick) records the thread's CPU
    time and says whether drawing now keeps it under ``share`` of the wall time over the last
    ``window`` seconds. ``clock`` and ``cpu`` are injectable for tests.
    """

    def __init__(
        self,
        share: float = DRAW_SHARE,
        window: float = WINDOW_S,
        clock: Callable[[], float] = time.perf_counter,
        cpu: Callable[[], float] = time.thread_time,
    ) -> None:
        self.share = share
        self.window = window
        self._clock, self._cpu = clock, cpu
        self._samples: deque[tuple[float, float]] = deque()  # (wall, cpu) seconds
        self.denied = 0  # frames skipped to stay within the budget

    def used(self) -> float:
        """The share of wall time the thread used over the last window (0 without history)."""
        now, cpu = self._clock(), self._cpu()
        self._samples.append((now, cpu))
        while len(self._samples) > 2 and now - self._samples[1][0] >= self.window:
            self._samples.popleft()
        t0, c0 = self._samples[0]
        return (cpu - c0) / (now - t0) if now - t0 >= self.window / 4 else 0.0

    def allows(self) -> bool:
        """Whether to draw now (never with a share of 0)."""
        ok = self.used() <= self.share and self.share > 0
        self.denied += not ok
        return ok

    def reset(self) -> None:
        """Forget the history (e.g. when training starts again)."""
        self._samples.clear()
