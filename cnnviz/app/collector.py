"""Python's cycle collector, run on the GUI thread only while a training thread is alive.

Python collects reference cycles on whichever thread happens to allocate when a generation's
count passes its threshold. With a training thread allocating all the time, that is usually
the training thread. Many Qt objects made from Python sit in cycles (a pyqtgraph ViewBox and
its menu, a widget and the lambdas connected to its signals); collecting such a cycle runs
their C++ destructors, and destroying a QWidget, QPixmap or QTimer off the GUI thread races
the event loop and can crash the process. So while a window trains, automatic collection is
off and a GUI-thread timer collects instead, generation by generation, with the thresholds
Python itself would use (pyqtgraph's ``GarbageCollector`` does the same).

One collector serves every window. The first ``acquire`` switches automatic collection off
and freezes the objects alive at that moment (modules, classes, the window's widgets) out of
later collections, so that a full collection scans only what was made since: about 70,000
objects take 45-70 ms to scan, a GUI-thread stall, and they last as long as the app. The
last ``release`` unfreezes them, collects everything once more, on the GUI thread, and
switches automatic collection back on as it was.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_MS = 500  # how often the GUI thread looks at the generation counts


class GuiThreadCollector(QObject):
    """Collects cycles on the thread that owns it (the GUI thread), on a timer."""

    def __init__(self, interval_ms: int = CHECK_MS) -> None:
        super().__init__()
        self._users = 0
        self._was_enabled = True
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)

    def acquire(self) -> None:
        if self._users == 0:
            self._was_enabled = gc.isenabled()
            gc.disable()
            gc.collect()
            gc.freeze()  # what lives now (modules, the window) is not scanned again
            self._timer.start()
        self._users += 1

    def release(self) -> None:
        if self._users == 0:
            return
        self._users -= 1
        if self._users == 0:
            self._timer.stop()
            gc.unfreeze()
            gc.collect()  # what the windows left behind goes here, on this thread
            if self._was_enabled:
                gc.enable()

    def check(self) -> None:
        """Collect when generation 0 has passed its threshold, as Python's automatic
        collection would: the oldest generation whose count has passed its threshold (a
        collection of a generation also collects the younger ones)."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        if counts[0] <= thresholds[0]:
            return
        generation = next(g for g in (2, 1, 0) if g == 0 or counts[g] > thresholds[g])
        gc.collect(generation)


_collector: GuiThreadCollector | None = None


def gui_thread_collector() -> GuiThreadCollector:
    """The one collector (made on first use, which must be on the GUI thread)."""
    global _collector
    if _collector is None:
        _collector = GuiThreadCollector()
    return _collector
