"""The session relay: a QThread of the app that starts the training process and relays what
it says.

Training runs in a process of its own (:mod:`cnnviz.live.host`), so that the window's
drawing and the training never wait for each other's interpreter lock. This relay thread
starts it and runs :meth:`RemoteSession.serve <cnnviz.live.remote.RemoteSession.serve>`,
which reads the process's messages: the latest snapshot goes into a one-place slot that the
window empties with ``session.take_snapshot()`` on its own timer; metric entries (in order,
every one) and events are re-emitted as Qt signals, which Qt delivers to the window on the GUI
thread. (The training itself runs on the main thread of the training process, never here.)
"""

from __future__ import annotations

from PySide6.QtCore import QThread, Signal

from cnnviz.live.remote import RemoteSession


class SessionRelay(QThread):
    """Runs the training process until :meth:`stop`; emits ``ready`` once its network exists."""

    ready = Signal(object)  # the RemoteSession
    failed = Signal(str)  # the first network could not be built
    error = Signal(str)
    running = Signal(bool)
    saved = Signal(str)
    loaded = Signal(str)
    progress = Signal(object)  # (done, total or None, label)
    metrics = Signal(object)  # a MetricsBatch: new entries, in order (see TrainingPlots.append)
    finished_training = Signal()
    ended = Signal()  # the training process has gone

    def __init__(self, remote: RemoteSession, parent=None) -> None:
        super().__init__(parent)
        self.remote = remote
        for event in ("failed", "error", "running", "saved", "loaded", "progress", "metrics"):
            self.remote.subscribe(event, getattr(self, event).emit)
        self.remote.subscribe("finished", lambda _: self.finished_training.emit())
        self.remote.subscribe("ready", self.ready.emit)
        self.remote.subscribe("ended", lambda _: self.ended.emit())

    def run(self) -> None:  # on the relay thread
        try:
            self.remote.start()  # (nothing if it has started already)
        except OSError as exc:
            self.failed.emit(f"could not start the training process: {exc}")
            return
        try:
            self.remote.serve()
        finally:
            self.remote.close()

    def stop(self, timeout_ms: int = 5000) -> bool:
        """Ask the process to end (a step under way finishes first) and wait for it."""
        if self.remote.started:
            self.remote.stop(timeout_ms / 1000)
        return self.wait(timeout_ms)
