"""The training process: a :class:`~cnnviz.live.session.Session` steered over a socket.

The app starts ``python -m cnnviz.live.host --fd N`` with one end of a socket pair
(:class:`~cnnviz.live.remote.RemoteSession` is the other end). Training then has an
interpreter, and a core, of its own: the window's drawing never waits for the training's
interpreter lock, nor the training for the window's.

Three threads here:

- the main thread builds the first trainer, then runs :meth:`Session.run` (the only thread
  that touches the network);
- the reader turns each message from the app into a session command (commands only
  enqueue);
- the sender writes to the app: events and job results in order, and the session's latest
  snapshot whenever one is published. If the app reads slowly, only the sender waits:
  snapshots published meanwhile replace each other, and the training never waits.

Messages from the app (tuples, first item the command): ``play``, ``pause``, ``step_batch``,
``step_phase``, ``set_speed``, ``set_hyperparameters``, ``set_view``, ``reset``,
``evaluate``, ``probe``, ``probe_drawing``, ``probe_image``, ``new``, ``open``, ``save``,
``job``, ``ack`` (the metrics of a snapshot the app has taken), ``cancel`` (a download),
``stop``. Messages to the app: ``ready``, ``failed``,
``event``, ``trainer``, ``timeline``, ``snapshot``, ``result``
(see :mod:`cnnviz.live.remote`).
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

from . import wire
from .session import Session

EVENTS = ("error", "running", "saved", "loaded", "progress", "finished")


def build_trainer(spec: dict, progress=None, cancel=None) -> Trainer:
    """A trainer from a start spec: ``{"kind": "new", "arch", "dataset", "hp", "data_dir"}``
    or ``{"kind": "open", "path", "data_dir"}`` (loads the model file and its dataset)."""
    from cnnviz.datasets import load_dataset

    data_dir = spec.get("data_dir")
    if spec["kind"] == "open":
        from cnnviz.training.modelfile import load_model

        state = load_model(spec["path"])
        ds = load_dataset(state.dataset, data_dir=data_dir, progress=progress, cancel=cancel)
        return Trainer.from_state(state, ds)
    hp = spec.get("hp") or Hyperparameters()
    ds = load_dataset(spec["dataset"], data_dir=data_dir, progress=progress, cancel=cancel)
    return Trainer.create(spec["arch"], ds, hp)


def one_line(exc: BaseException) -> str:
    text = str(exc)
    return text.splitlines()[0] if text else type(exc).__name__


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
                for message in messages:
                    wire.send(self.sock, message)
                    if message[0] in ("failed", "bye"):
                        return
                if publish and self.session is not None:
                    self._send_snapshot(self.session)
        except OSError:  # the app has gone: nothing to tell it
            self.stop.set()

    def _send_snapshot(self, session: Session) -> None:
        trainer, tl = session.trainer, session.timeline
        snap = session.take_snapshot(acknowledge=False)  # the app acknowledges what it takes
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
                message = wire.recv(self.sock)
                if message[0] == "stop":
                    break
                if message[0] == "cancel":
                    self.cancel.set()
                    continue
                self._ready.wait()
                if self.session is None:
                    break
                try:
                    self._dispatch(self.session, message)
                except Exception as exc:  # noqa: BLE001 - a bad command is reported, not fatal
                    self.post(("event", "error", one_line(exc)))
        except (OSError, EOFError, wire.WireError):
            pass  # the app closed the connection (or sent garbage): stop
        self.stop.set()
        self.cancel.set()  # a download under way gives up too
        self._ready.set()

    def _dispatch(self, s: Session, message: tuple) -> None:
        name, *args = message
        if name == "ack":
            s.acknowledge(*args)
        elif name in ("play", "pause", "step_batch", "step_phase", "evaluate"):
            getattr(s, name)()
        elif name in ("set_speed", "set_view", "reset", "probe", "probe_drawing", "probe_image"):
            getattr(s, name)(*args)
        elif name == "set_hyperparameters":
            s.set_hyperparameters(**args[0])
        elif name in ("new", "open"):
            spec = args[0]
            self.cancel.clear()
            path = spec.get("path") if name == "open" else None
            s.replace_trainer(lambda: build_trainer(spec, self._progress, self.cancel.is_set), path)
        elif name == "save":
            path, job = args
            s.save(path, lambda p, state: self._save(p, state, job))
        elif name == "job":
            job, kind, kwargs = args
            s.call(lambda trainer: self._run_job(s, trainer, job, kind, kwargs))
        else:
            raise wire.WireError(f"unknown command {name!r}")

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
            result = run_job(s, trainer, kind, kw)
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
            kind, spec = wire.recv(self.sock)
        except (OSError, EOFError, wire.WireError, ValueError):
            return 2
        sender.start()
        reader.start()
        try:
            load_plugins()  # datasets a plugin registers can be loaded here too
            trainer = build_trainer(spec, self._progress, self.cancel.is_set)
        except Exception as exc:  # noqa: BLE001 - shown to the user as one line
            self.post(("failed", one_line(exc)))
            sender.join(5)
            return 1
        session = Session(trainer, model_path=spec.get("path"))
        for event in EVENTS:
            session.subscribe(event, lambda payload, e=event: self.post(("event", e, payload)))
        session.subscribe("published", self._on_published)
        self.session = session
        self.post(("ready",))
        self._ready.set()
        session.run(self.stop)
        self.post(("bye",))
        sender.join(5)
        return 0


def run_job(s: Session, trainer: Trainer, kind: str, kw: dict) -> Any:
    """The computations the app asks for by name (on the training thread)."""
    if kind == "timeline_frame":
        image, label = s.sample_input(kw["split"], kw["index"])
        return s.timeline.render_at(trainer, kw["entry"], image, label)
    if kind == "backward_sweep":
        from cnnviz.training.timeline import backward_sweep

        image, label = s.sample_input(kw["split"], kw["index"])
        return backward_sweep(None, trainer, image, label)
    if kind == "kernel_series":
        return s.timeline.kernel_series(kw["layer"])
    if kind == "gradient_check":
        from cnnviz.lessons.gradient_table import run_gradient_check

        return run_gradient_check(trainer, **kw)
    if kind == "timeline_configure":
        s.timeline.configure(**kw)
        return None
    if kind == "state":  # what the network holds now (tests, scripts)
        return {
            "step": trainer.step,
            "images_seen": trainer.images_seen,
            "metric_entries": len(trainer.metrics.step),
            "train_size": trainer.train_size,
            "weights": {k: v.copy() for k, v in trainer.net.state_dict().items()},
            "timeline_params": [f.params for f in s.timeline.frames()]
            if kw.get("timeline")
            else None,
            "generation": s.generation,
        }
    raise ValueError(f"unknown job {kind!r}")


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
