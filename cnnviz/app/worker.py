"""The training thread: a QThread that builds the first trainer, then runs the session loop.

Session events (called on this thread) are re-emitted as Qt signals, which Qt delivers to the
window on the GUI thread. The thread never waits for the GUI: the window pulls the latest
snapshot with ``session.take_snapshot()`` on its own timer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QThread, Signal

from cnnviz.training.session import Session
from cnnviz.training.trainer import Trainer


class TrainingThread(QThread):
    """Runs ``Session.run`` until :meth:`stop`; emits ``ready`` once the session exists."""

    ready = Signal(object)  # the Session
    failed = Signal(str)  # the first trainer could not be built
    error = Signal(str)
    running = Signal(bool)
    saved = Signal(str)
    loaded = Signal(str)
    progress = Signal(object)  # (done, total or None, label)
    finished_training = Signal()

    def __init__(self, factory: Callable[[], Trainer], parent=None) -> None:
        super().__init__(parent)
        self._factory = factory
        self._stop = threading.Event()
        self.session: Session | None = None

    def run(self) -> None:  # on the training thread
        try:
            trainer = self._factory()
        except Exception as exc:  # noqa: BLE001 - shown to the user as one line
            self.failed.emit(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            return
        session = Session(trainer)
        session.subscribe("error", self.error.emit)
        session.subscribe("running", self.running.emit)
        session.subscribe("saved", self.saved.emit)
        session.subscribe("loaded", self.loaded.emit)
        session.subscribe("progress", self.progress.emit)
        session.subscribe("finished", lambda _: self.finished_training.emit())
        self.session = session
        self.ready.emit(session)
        session.run(self._stop)

    def stop(self, timeout_ms: int = 5000) -> bool:
        """Ask the loop to end and wait for it (a step in flight finishes first)."""
        self._stop.set()
        return self.wait(timeout_ms)
