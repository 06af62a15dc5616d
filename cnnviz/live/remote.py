"""The app's end of the training process: the commands of a Session, sent over a socket.

:class:`RemoteSession` starts ``python -m cnnviz.live.host`` (see
:mod:`cnnviz.live.host`) and offers what the app needs of a
:class:`~cnnviz.live.session.Session`: the same commands (generated from
:data:`cnnviz.live.commands.COMMANDS`; they only send a message and return), :meth:`request`
for the jobs of :data:`~cnnviz.live.commands.JOBS`, :meth:`take_snapshot` and
:meth:`newest_running` for the latest snapshot, and :meth:`subscribe` for events. One thread
of the app (the app's session relay) calls :meth:`serve`, which reads the process's messages
until it ends: snapshots replace each other in a one-place slot (nothing queues up however
fast training runs); metric entries, which come as ordered messages, are appended to
:attr:`RemoteSession.metrics` and go to the observers (``metrics``) like events, on that
thread, every one in order.

Training in a process of its own, rather than a thread of the app's, is what lets the window
draw without pausing the training and train without stalling the window: two threads of one
Python process take turns at one interpreter lock, whatever the number of cores.

Events (payload): ``ready`` (this session), ``failed`` (message: the first network could not
be built), ``error``, ``running``, ``saved``, ``loaded``, ``progress``, ``finished``,
``metrics`` (a :class:`~cnnviz.live.metrics.MetricsBatch`) as in
:class:`~cnnviz.live.session.Session`, ``trainer`` (:class:`TrainerInfo`, for a new
network), ``timeline`` (:class:`TimelineInfo`), and ``ended`` (None) once the process is gone.
"""

from __future__ import annotations

import itertools
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from cnnviz.training.events import Observable
from cnnviz.training.metrics import MetricsHistory
from cnnviz.training.trainer import Hyperparameters

from . import wire
from .commands import COMMANDS, BadMessage, remote_method
from .metrics import MetricsBatch, append_batch
from .snapshot import LatestSlot, Snapshot


class RemoteError(RuntimeError):
    """A request to the training process failed, timed out, or the process has gone."""


@dataclass
class TrainerInfo:
    """What the app keeps of the network being trained (sent once per new network)."""

    hp: Hyperparameters
    train_size: int
    test_labels: np.ndarray | None = None  # (M,) int64
    test_images: np.ndarray | None = None  # (M, C, H, W) uint8, for thumbnails

    def raw(self, index: int) -> np.ndarray:
        """A test image as stored, (C, H, W) uint8."""
        if self.test_images is None:
            raise LookupError("the test images are not known yet")
        return self.test_images[int(index)]


@dataclass
class TimelineInfo:
    """What the app knows of the training process's timeline of weights."""

    count: int = 0
    step_list: list[int] = field(default_factory=list)
    conv_layer_names: list[str] = field(default_factory=list)
    revision: int = 0  # grows with every update the app receives

    def __len__(self) -> int:
        return self.count

    def steps(self) -> list[int]:
        return list(self.step_list)

    def conv_layers(self) -> list[str]:
        return list(self.conv_layer_names)


def spec_new(arch: str, dataset: str, hp: Hyperparameters, data_dir: str | None) -> dict:
    """A start spec: a fresh ``arch`` on ``dataset``."""
    return {"kind": "new", "arch": arch, "dataset": dataset, "hp": hp, "data_dir": data_dir}


def spec_open(path: str, data_dir: str | None) -> dict:
    """A start spec: the model file at ``path`` and its dataset."""
    return {"kind": "open", "path": str(path), "data_dir": data_dir}


class RemoteSession(Observable):
    """A training session in a process of its own, steered from the app.

    With ``in_process`` the host runs on a thread of this process instead, over a socket pair
    all the same: exactly the same messages, but no interpreter of its own (tests, where the
    process is not what is tested, and where starting one per test would cost seconds).
    """

    def __init__(self, spec: dict, in_process: bool = False) -> None:
        self.spec = spec
        self.in_process = in_process
        self.process: subprocess.Popen | None = None
        self._host_thread: threading.Thread | None = None
        self._host_code: int | None = None
        self._sock: socket.socket | None = None
        self._send_lock = threading.Lock()
        self._start_lock = threading.Lock()
        self._lock = threading.Lock()
        self._slot = LatestSlot()
        self._jobs: dict[int, Callable[[bool, Any], None]] = {}
        self._job_ids = itertools.count(1)
        self._stopping = False
        self.ended = threading.Event()
        self.trainer_info: TrainerInfo | None = None
        self.timeline = TimelineInfo()
        self.metrics = MetricsHistory()  # every entry received (on the thread of serve)

    # ------------------------------------------------------------------ the process
    def start(self) -> None:
        """Start the training process and send it the start spec (any thread; nothing if it
        has started already or :meth:`stop` has been called)."""
        with self._start_lock:
            if self._stopping or self._sock is not None:
                return
            if self.in_process:
                self._start_thread()
            else:
                self._start_process()
            self._send(("start", self.spec))

    @property
    def started(self) -> bool:
        """Whether :meth:`start` has started the host (a process or, in process, a thread)."""
        return self._sock is not None

    @property
    def exit_code(self) -> int | None:
        """The host's exit code once it has ended (None while it runs or if never started)."""
        if self.process is not None:
            return self.process.returncode
        return self._host_code

    def _start_thread(self) -> None:
        from .host import Host  # (the app needs none of the host unless it runs it)

        mine, theirs = socket.socketpair()

        def serve() -> None:
            try:
                self._host_code = Host(theirs).serve()
            finally:
                theirs.close()

        self._host_thread = threading.Thread(target=serve, name="cnnviz-host", daemon=True)
        self._host_thread.start()
        self._sock = mine

    def _start_process(self) -> None:
        mine, theirs = socket.socketpair()
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parents[2])  # cnnviz importable from a checkout
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cnnviz.live.host", "--fd", str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
            env=env,
        )
        theirs.close()
        self._sock = mine

    def serve(self) -> None:
        """Read the process's messages until it ends (on the app's session relay thread)."""
        reason = None
        if self._sock is None:  # stopped before it started
            self._finish(None)
            return
        try:
            while True:
                message = wire.recv(self._sock)
                if message[0] == "bye":
                    break
                self._handle(message)
                if message[0] == "failed":
                    break
        except (wire.WireError, MemoryError) as exc:
            reason = f"bad message from the training process: {exc}"
        except (OSError, EOFError):
            if not self._stopping:
                reason = f"the training process ended unexpectedly (exit code {self._wait(5)})"
        finally:
            self._finish(reason)

    def _finish(self, reason: str | None) -> None:
        self.ended.set()
        with self._lock:
            jobs, self._jobs = self._jobs, {}
        for callback in jobs.values():
            callback(False, reason or "the training process has ended")
        if reason:
            self._emit("error", reason)
        self._emit("ended")

    def _handle(self, message: tuple) -> None:
        kind = message[0]
        if kind == "snapshot":
            self._slot.put(message[1])
        elif kind == "metrics":
            for batch in message[1]:
                self._on_metrics(batch)
        elif kind == "event":
            self._emit(message[1], message[2])
        elif kind == "result":
            _, job, ok, payload = message
            with self._lock:
                callback = self._jobs.pop(job, None)
            if callback is not None:
                callback(ok, payload)
        elif kind == "trainer":
            info = message[1]
            if info["test_labels"] is None and self.trainer_info is not None:
                info["test_labels"] = self.trainer_info.test_labels
                info["test_images"] = self.trainer_info.test_images
            self.trainer_info = TrainerInfo(**info)
            self._emit("trainer", self.trainer_info)
        elif kind == "timeline":
            info = message[1]
            self.timeline = TimelineInfo(
                info["count"], list(info["steps"]), list(info["conv_layers"]),
                self.timeline.revision + 1,
            )  # fmt: skip
            self._emit("timeline", self.timeline)
        elif kind == "ready":
            self._emit("ready", self)
        elif kind == "failed":
            self._emit("failed", message[1])

    def _on_metrics(self, batch: MetricsBatch) -> None:
        self.metrics = append_batch(self.metrics, batch)
        self._emit("metrics", batch)

    def stop(self, timeout: float = 5.0) -> bool:
        """Ask the process to end after the step under way and wait for it; kill it if it
        has not ended within ``timeout`` seconds. True if it ended by itself."""
        with self._start_lock:
            self._stopping = True
        try:
            self._send(("stop",))
        except RemoteError:
            pass
        clean = True
        if self.process is not None:
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                clean = False
        elif self._host_thread is not None:
            self._host_thread.join(timeout)  # a thread cannot be killed: report it
            clean = not self._host_thread.is_alive()
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)  # wakes serve() if it still waits
            except OSError:
                pass
        return clean

    def _wait(self, timeout: float) -> int | None:
        """The host's exit code, waiting up to ``timeout`` seconds for it to end."""
        try:
            if self.process is not None:
                return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        if self._host_thread is not None:
            self._host_thread.join(timeout)
        return self._host_code

    def close(self) -> None:
        """Release the socket (after :meth:`serve` has returned)."""
        if self._sock is not None:
            self._sock.close()

    def _send(self, message: Any) -> None:
        if self._sock is None or self.ended.is_set():
            raise RemoteError("the training process is not running")
        try:
            with self._send_lock:
                wire.send(self._sock, message, wire.TO_TRAINING)
        except OSError as exc:
            raise RemoteError(f"the training process is not running ({exc})") from None
        except wire.WireError as exc:  # (nothing was sent)
            raise RemoteError(str(exc)) from None

    def _command(self, *message: Any) -> None:
        try:
            self._send(message)
        except RemoteError as exc:
            self._emit("error", str(exc))

    # ------------------------------------------------------------------ commands (any thread)
    # play, pause, step_batch, step_phase, evaluate, set_speed, set_hyperparameters, set_view,
    # reset, probe, probe_drawing, probe_image: generated from COMMANDS after the class

    def new(self, arch: str, dataset: str, hp: Hyperparameters, data_dir: str | None) -> None:
        """Replace the network with a fresh ``arch`` on ``dataset`` (built in the process)."""
        self._command(*COMMANDS["new"].pack(spec_new(arch, dataset, hp, data_dir)))

    def open(self, path: str, data_dir: str | None) -> None:
        """Replace the network with the model file at ``path``."""
        self._command(*COMMANDS["open"].pack(spec_open(path, data_dir)))

    def cancel_download(self) -> None:
        """A dataset download under way gives up (the network stays as it was)."""
        self._command(*COMMANDS["cancel"].pack())

    def save(self, path: str, wait: float | None = None) -> bool:
        """Write the model file at ``path`` (in the process). With ``wait``, block up to that
        many seconds for it to be written and return whether it was."""
        if wait is None:
            self._command(*COMMANDS["save"].pack(str(path)))
            return True
        done = threading.Event()
        ok: list[bool] = []
        job = self._register(lambda success, _payload: (ok.append(success), done.set()))
        try:
            self._send(COMMANDS["save"].pack(str(path), job))
        except RemoteError as exc:
            self._emit("error", str(exc))
            return False
        done.wait(wait)
        return bool(ok and ok[0])

    def request(self, kind: str, callback: Callable[[bool, Any], None], **kwargs: Any) -> None:
        """Run job ``kind`` (of :data:`~cnnviz.live.commands.JOBS`) on the training thread;
        ``callback(ok, result or message)`` is called on the thread that runs :meth:`serve`
        (at once, with the message, if ``kind`` or its arguments are not a job's)."""
        try:
            message = COMMANDS["job"].pack(0, (kind, kwargs))  # checked before it is sent
        except BadMessage as exc:
            callback(False, str(exc))
            return
        job = self._register(callback)
        try:
            self._send(("job", job, *message[2:]))
        except RemoteError as exc:
            with self._lock:
                self._jobs.pop(job, None)
            callback(False, str(exc))

    def request_sync(self, kind: str, timeout: float = 30.0, **kwargs: Any) -> Any:
        """:meth:`request`, waiting for the result (raises :class:`RemoteError`)."""
        done = threading.Event()
        box: list[tuple[bool, Any]] = []
        self.request(kind, lambda ok, payload: (box.append((ok, payload)), done.set()), **kwargs)
        if not done.wait(timeout):
            raise RemoteError(f"the training process did not answer {kind} in {timeout:g} s")
        ok, payload = box[0]
        if not ok:
            raise RemoteError(payload)
        return payload

    def _register(self, callback: Callable[[bool, Any], None]) -> int:
        job = next(self._job_ids)
        with self._lock:
            self._jobs[job] = callback
        return job

    # ------------------------------------------------------------------ reading (app thread)
    def take_snapshot(self) -> Snapshot | None:
        """The latest snapshot if it is newer than the one taken last, else None."""
        return self._slot.take()

    def newest_running(self) -> bool:
        """Whether the newest snapshot (taken or not) shows training running."""
        return self._slot.newest_running()


for _command in COMMANDS.values():
    if _command.to == "session":
        setattr(RemoteSession, _command.name, remote_method(_command))
del _command
