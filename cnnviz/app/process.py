"""The training process's lifecycle as the window sees it: starting it (through the relay
thread that reads its messages), its events, a dataset download's progress dialog, and a new
process after one has gone."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QProgressDialog

from cnnviz.datasets import FOLDER_PREFIX
from cnnviz.live.remote import RemoteSession

from .collector import gui_thread_collector
from .worker import SessionRelay

translate = QCoreApplication.translate  # extracted by pyside6-lupdate


def FAILED() -> str:  # noqa: N802 - reads as the constant it stands for
    """The status line when the training process could not start (a template: {message})."""
    return translate("process", "Could not start: {message}. File ▸ New or Open to go on")


if TYPE_CHECKING:
    from .window import MainWindow


class ProcessController:
    """Starts the training process of a :class:`RemoteSession` and follows it."""

    def __init__(self, window: MainWindow) -> None:
        self.w = window
        self.relay: SessionRelay | None = None  # reads the process's messages
        self.cancel = threading.Event()  # a download is cancelled
        self.progress: QProgressDialog | None = None
        self.closing = False
        self._collecting = False

    @property
    def ended(self) -> bool:
        """The training process has gone: New or Open starts another."""
        return self.relay.remote.ended.is_set()

    def start(self, remote: RemoteSession) -> None:
        """Start the relay thread, which starts the training process of ``remote``."""
        w = self.w
        self.relay = relay = SessionRelay(remote, w)
        relay.ready.connect(self._on_ready)
        relay.failed.connect(self._on_failed)
        relay.error.connect(w.show_error)
        relay.running.connect(w.show_running)
        relay.saved.connect(self._on_saved)
        relay.loaded.connect(self._on_loaded)
        relay.progress.connect(self._on_progress)
        relay.metrics.connect(w.take_metrics)  # every entry, in order
        relay.ended.connect(lambda: self._on_ended(relay))
        relay.finished_training.connect(
            lambda: w.statusBar().showMessage(
                translate("process", "Training finished: all epochs done"), 8000
            )
        )
        # Cycles are collected on this thread while the relay thread (which reads the
        # process's messages, allocating all the while) lives (collector.py)
        if not self._collecting:
            self._collecting = True
            gui_thread_collector().acquire()
        relay.finished.connect(self.release_collector)
        relay.start()

    def restart(self, spec: dict, what: str) -> None:
        """After the training process has gone: a new one, with a new network."""
        self.relay.wait(5000)
        self.w.new_process()
        self.cancel.clear()
        self.start(RemoteSession(spec))
        self.w.status_phase.setText(translate("process", "Preparing {what}…").format(what=what))

    def stop(self) -> None:
        """The window closes: the process ends (a step under way finishes first)."""
        self.cancel.set()
        self.closing = True
        if self.relay.stop():
            self.release_collector()

    def release_collector(self) -> None:
        if self._collecting and self.relay.isFinished():  # (not a thread replaced since)
            self._collecting = False
            gui_thread_collector().release()

    # ------------------------------------------------------------------ events
    def _on_ready(self, session: RemoteSession) -> None:
        w = self.w
        w.session = session
        session.set_view(w.view)
        w.set_controls_enabled(True)
        w.lecture.apply_pending()
        w.return_focus()
        w.status_phase.setText(
            translate("process", "Ready: press Space to train, → to step a batch")
        )

    def _on_failed(self, message: str) -> None:
        self.w.show_error(message)
        self.w.status_phase.setText(FAILED().format(message=message))

    def _on_saved(self, path: str) -> None:
        self.w.files.remember(path)
        self.w.statusBar().showMessage(translate("process", "Saved {path}").format(path=path), 4000)

    def _on_loaded(self, path: str) -> None:
        self.w.files.remember(path)
        self.w.statusBar().showMessage(
            translate("process", "Opened {path}").format(path=path), 4000
        )

    def _on_ended(self, relay: SessionRelay) -> None:
        """The training process has gone: closing, or it failed (an error says why). New and
        Open start another; the views keep showing the last snapshot."""
        w = self.w
        if relay is not self.relay:
            return  # a process replaced already
        w.session = None
        w.set_controls_enabled(False)
        w.show_running(False)
        if not self.closing:
            w.act_new.setEnabled(True)
            w.act_open.setEnabled(True)
            if not w.status_phase.text().startswith(FAILED().split("{")[0]):
                w.status_phase.setText(
                    translate("process", "Training has stopped: File ▸ New or Open to go on")
                )

    # ------------------------------------------------------------------ downloads
    def _cancel_download(self) -> None:
        self.cancel.set()
        self.relay.remote.cancel_download()

    def _on_progress(self, info) -> None:
        done, total, label = info
        if self.cancel.is_set():
            return  # cancelled: reports still on their way must not show the dialog again
        if self.progress is None:
            self.progress = QProgressDialog(
                translate("process", "Downloading…"), translate("process", "Cancel"), 0, 100, self.w
            )
            self.progress.setMinimumDuration(0)
            self.progress.canceled.connect(self._cancel_download)
        if label.startswith(FOLDER_PREFIX):  # a folder's images being decoded, not bytes
            self.progress.setWindowTitle(translate("process", "Reading an image folder"))
            text = translate("process", "Reading the images of {folder}: {done} of {total}…")
            folder = label[len(FOLDER_PREFIX) :]
            text = text.format(folder=folder, done=done, total=total if total else "?")
        else:
            self.progress.setWindowTitle(translate("process", "Downloading a dataset"))
            text = translate("process", "Downloading {what}…").format(what=label)
        self.progress.setLabelText(text)
        if total:
            self.progress.setMaximum(100)
            self.progress.setValue(int(100 * done / total))
        else:
            self.progress.setMaximum(0)
        if total and done >= total:
            self.progress.reset()

    def close_progress(self) -> None:
        if self.progress is not None:
            self.progress.reset()
