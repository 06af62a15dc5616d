"""The training process: a :class:`~cnnviz.live.session.Session` steered over a socket.

The app starts ``python -m cnnviz.live.host --fd N`` with one end of a socket pair
(:class:`~cnnviz.live.remote.RemoteSession` is the other end). Training then has an
interpreter, and a core, of its own: the window's drawing never waits for the training's
interpreter lock, nor the training for the window's.

Three threads here:

- the main thread (the training thread) builds the first trainer, then runs
  :meth:`Session.run` (the only thread that touches the network);
- the reader turns each message from the app into a session command (commands only
  enqueue);
- the sender writes to the app, in order: events, job results and metric entries (all new
  entries since the last send, as one message), then the session's latest snapshot whenever
  one is published. If the app reads slowly, only the sender waits: snapshots published
  meanwhile replace each other, metric entries queue up (a few numbers a step), and the
  training never waits.

Messages from the app are the commands of :data:`cnnviz.live.commands.COMMANDS`, each checked
against its declaration. A frame that is malformed, beyond :data:`cnnviz.live.wire.TO_TRAINING`
or not a declared command with arguments of the right kind ends the connection: the process
writes one line to stderr and exits (code 2). Messages to the app: ``ready``, ``failed``,
``event``, ``metrics``, ``trainer``, ``timeline``, ``snapshot``, ``result``, ``bye`` (see
:mod:`cnnviz.live.remote`).
"""

from __future__ import annotations

import argparse
import signal
import socket
import sys
import threading
from collections import deque
from typing import Any

from cnnviz.plugins import load_plugins
from cnnviz.training.trainer import Hyperparameters, Trainer

from . import commands, wire
from .commands import JOBS, BadMessage
from .session import Session, one_line

EXIT_MALFORMED = 2  # the app sent something that is not a message of cnnviz's

EVENTS = ("error", "running", "saved", "loaded", "progress", "finished")


def build_trainer(spec: dict, progress=None, cancel=None) -> Trainer:
    """A trainer from a start spec: ``{"kind": "new", "arch", "dataset", "hp", "data_dir"}``
    or ``{"kind": "open", "path", "data_dir"}`` (loads the model file and its dataset)."""
    from cnnviz.datasets import load_dataset

    data_dir = spec.get("data_dir")
    if spec["kind"] == "open":
        state = open_state(spec["path"], data_dir)
        ds = load_dataset(state.dataset, data_dir=data_dir, progress=progress, cancel=cancel)
        return Trainer.from_state(state, ds)
    hp = spec.get("hp") or Hyperparameters()
    ds = load_dataset(spec["dataset"], data_dir=data_dir, progress=progress, cancel=cancel)
    return Trainer.create(spec["arch"], ds, hp)


def open_state(path: str, data_dir: str | None = None):
    """A model file's state, or an ONNX model imported (:mod:`cnnviz.interop`: the dataset
    its metadata names, else the first that fits)."""
    from cnnviz.interop.files import import_model, is_imported
    from cnnviz.training.modelfile import load_model

    if is_imported(path):
        return import_model(path, data_dir=data_dir)[0]
    return load_model(path)


def saved_path(path: str | None) -> str | None:
    """Where Save writes after ``path`` was opened: the file itself, unless it was imported
    (then Save asks where, and never writes a model file over the ONNX file)."""
    from cnnviz.interop.files import is_imported

    return None if path is None or is_imported(path) else path


class Host:
    """Serves one app over ``sock`` until it says stop or closes the connection."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.session: Session | None = None
        self.stop = threading.Event()
        self.cancel = threading.Event()  # a download under way should give up
        self._ready = threading.Event()
        self._cond = threading.Condition()
        self._outbox: deque[Any] = deque()
        self._published = False
        self._sent_trainer: tuple[int, int] | None = None
        self._sent_dataset: int | None = None
        self._sent_timeline: tuple[int, int] | None = None
        self.malformed = False  # the connection ended on a malformed message

    # ------------------------------------------------------------------ sending
    def post(self, message: Any) -> None:
        """Queue a message for the sender (any thread; never blocks on the app)."""
        with self._cond:
            self._outbox.append(message)
            self._cond.notify()

    def _on_published(self, _payload: Any = None) -> None:
        with self._cond:
            self._published = True
            self._cond.notify()

    def _send_loop(self) -> None:
        try:
            while True:
                with self._cond:
                    while not (self._outbox or self._published):
                        self._cond.wait()
                    messages = list(self._outbox)
                    self._outbox.clear()
                    publish, self._published = self._published, False
                for message in _batched(messages):
                    self._send(message)
                    if message[0] in ("failed", "bye"):
                        return
                if publish and self.session is not None:
                    self._send_snapshot(self.session)
        except OSError:  # the app has gone: nothing to tell it
            self.stop.set()
        except Exception as exc:  # noqa: BLE001 - a message of ours that cannot be sent
            print(f"cnnviz training process: cannot send to the app, ending: {one_line(exc)}",
                  file=sys.stderr, flush=True)  # fmt: skip
            self.stop.set()

    def _send(self, message: tuple) -> None:
        try:
            wire.send(self.sock, message)  # (packed whole before any byte is written)
        except wire.WireError as exc:
            if message[0] != "result":
                raise
            wire.send(self.sock, ("result", message[1], False, one_line(exc)))

    def _send_snapshot(self, session: Session) -> None:
        trainer, tl = session.trainer, session.timeline
        snap = session.take_snapshot()
        if snap is None:
            return
        if self._sent_trainer != (id(trainer), snap.generation):
            self._sent_trainer = (id(trainer), snap.generation)
            ds = trainer.dataset
            new_data = id(ds) != self._sent_dataset
            self._sent_dataset = id(ds)
            info = {
                "hp": trainer.hp,
                "train_size": trainer.train_size,
                "test_labels": ds.test_labels if new_data else None,
                "test_images": ds.test_images if new_data else None,
            }
            wire.send(self.sock, ("trainer", info))
        if self._sent_timeline != (id(tl), tl.revision):
            self._sent_timeline = (id(tl), tl.revision)
            info = {"count": len(tl), "steps": tl.steps(), "conv_layers": tl.conv_layers()}
            wire.send(self.sock, ("timeline", info))
        wire.send(self.sock, ("snapshot", snap))

    # ------------------------------------------------------------------ receiving
    def _read_loop(self) -> None:
        try:
            while not self.stop.is_set():
                command, args = commands.parse(wire.recv(self.sock, wire.TO_TRAINING))
                if command.name == "stop":
                    break
                if command.name == "cancel":
                    self.cancel.set()
                    continue
                self._ready.wait()
                if self.session is None:
                    break
                try:
                    if command.to == "session":
                        command.apply(self.session, args)
                    else:
                        getattr(self, f"_on_{command.name}")(self.session, *args)
                except Exception as exc:  # noqa: BLE001 - a bad command is reported, not fatal
                    self.post(("event", "error", one_line(exc)))
        except (OSError, EOFError):
            pass  # the app closed the connection: stop
        except Exception as exc:  # noqa: BLE001 - whatever the frame, it ends the connection
            self._refuse(exc)
        self.stop.set()
        self.cancel.set()  # a download under way gives up too
        self._ready.set()

    def _refuse(self, exc: BaseException) -> None:
        """A malformed message: one line on stderr; the caller ends the connection."""
        self.malformed = True
        what = "malformed message" if isinstance(exc, wire.WireError) else type(exc).__name__
        print(f"cnnviz training process: {what} from the app, ending: {one_line(exc)}",
              file=sys.stderr, flush=True)  # fmt: skip

    def _on_new(self, s: Session, spec: dict) -> None:
        self.cancel.clear()
        s.replace_trainer(lambda: build_trainer(spec, self._progress, self.cancel.is_set))

    def _on_open(self, s: Session, spec: dict) -> None:
        self.cancel.clear()
        factory = lambda: build_trainer(spec, self._progress, self.cancel.is_set)  # noqa: E731
        s.replace_trainer(factory, spec["path"], saved_path(spec["path"]))

    def _on_save(self, s: Session, path: str, job: int | None) -> None:
        s.save(path, lambda p, state: self._save(p, state, job))

    def _on_job(self, s: Session, job: int, request: tuple[str, dict]) -> None:
        kind, kwargs = request
        s.call(lambda trainer: self._run_job(s, trainer, job, kind, kwargs))

    def _save(self, path: str, state: Any, job: int | None) -> None:
        from cnnviz.training.modelfile import save_model

        try:
            save_model(path, state)
        except Exception as exc:
            if job is not None:
                self.post(("result", job, False, one_line(exc)))
            raise  # the session reports it as an error and keeps the model
        if job is not None:
            self.post(("result", job, True, path))

    def _run_job(self, s: Session, trainer: Trainer, job: int, kind: str, kw: dict) -> None:
        """A look-up or computation on the training thread; its result goes back to the app."""
        try:
            result = JOBS[kind].run(s, trainer, **kw)
        except Exception as exc:  # noqa: BLE001 - the app shows it as one line
            self.post(("result", job, False, one_line(exc)))
        else:
            self.post(("result", job, True, result))

    def _progress(self, done: int, total: int | None, label: str) -> None:
        self.post(("event", "progress", (done, total, label)))

    # ------------------------------------------------------------------ main
    def serve(self) -> int:
        reader = threading.Thread(target=self._read_loop, name="cnnviz-reader", daemon=True)
        sender = threading.Thread(target=self._send_loop, name="cnnviz-sender", daemon=True)
        try:
            message = wire.recv(self.sock, wire.TO_TRAINING)
            if not (isinstance(message, tuple) and len(message) == 2 and message[0] == "start"):
                raise BadMessage("the first message is not a start spec")
            spec = commands.spec(message[1])
        except (OSError, EOFError):
            return EXIT_MALFORMED
        except Exception as exc:  # noqa: BLE001 - whatever the frame, it ends the connection
            self._refuse(exc)
            return EXIT_MALFORMED
        sender.start()
        reader.start()
        try:
            load_plugins()  # datasets a plugin registers can be loaded here too
            trainer = build_trainer(spec, self._progress, self.cancel.is_set)
        except Exception as exc:  # noqa: BLE001 - shown to the user as one line
            self.post(("failed", one_line(exc)))
            sender.join(5)
            return 1
        session = Session(trainer, model_path=saved_path(spec.get("path")))
        for event in EVENTS:
            session.subscribe(event, lambda payload, e=event: self.post(("event", e, payload)))
        session.subscribe("metrics", lambda batch: self.post(("metrics", [batch])))
        session.subscribe("published", self._on_published)
        self.session = session
        self.post(("ready",))
        self._ready.set()
        session.run(self.stop)
        self.post(("bye",))
        sender.join(5)
        return EXIT_MALFORMED if self.malformed else 0


def _batched(messages: list) -> list:
    """``messages`` with each run of ``metrics`` messages joined into one (in order)."""
    out: list = []
    for message in messages:
        if message[0] == "metrics" and out and out[-1][0] == "metrics":
            out[-1] = ("metrics", out[-1][1] + message[1])
        else:
            out.append(message)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="cnnviz's training process (started by the app)")
    p.add_argument("--fd", type=int, required=True, help="the app's end of a socket pair")
    args = p.parse_args(argv)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C goes to the app, which stops us
    sock = socket.socket(fileno=args.fd)
    try:
        return Host(sock).serve()
    finally:
        sock.close()


if __name__ == "__main__":
    sys.exit(main())
