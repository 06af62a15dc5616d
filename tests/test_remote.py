"""The training process and its wire format, without Qt: a RemoteSession driven directly."""

from __future__ import annotations

import dataclasses
import enum
import os
import signal
import socket
import struct
import threading

import numpy as np
import pytest

from cnnviz.live import wire
from cnnviz.live.remote import RemoteError, RemoteSession, spec_new, spec_open
from cnnviz.live.snapshot import Snapshot, ViewRequest
from cnnviz.training.modelfile import load_model
from cnnviz.training.trainer import Hyperparameters

TIMEOUT = 30.0


# ---------------------------------------------------------------------------------- wire
def roundtrip(obj):
    a, b = socket.socketpair()
    with a, b:
        sender = threading.Thread(target=wire.send, args=(a, obj))
        sender.start()
        got = wire.recv(b)
        sender.join()
    return got


def test_plain_data_and_arrays_round_trip_exactly():
    obj = {
        "none": None, "flags": [True, False], "n": -3, "big": 2**62, "x": 0.1,
        "specials": (float("nan"), float("inf"), -float("inf")), "text": "δ = ∂E/∂u",
        7: "an int key", ("a", 1): "a tuple key", "empty": [],
        "f32": np.arange(12, dtype=np.float32).reshape(3, 4),
        "f64": np.linspace(-1, 1, 5), "u8": np.arange(256, dtype=np.uint8),
        "bool": np.array([[True, False]]), "i64": np.array([-(2**40), 5]),
        "zero-size": np.zeros((0, 3), dtype=np.float32),
        "strided": np.arange(20.0)[::3],
    }  # fmt: skip
    got = roundtrip(obj)
    assert got.keys() == obj.keys()
    for key, value in obj.items():
        if isinstance(value, np.ndarray):
            assert got[key].dtype == value.dtype and got[key].shape == value.shape
            np.testing.assert_array_equal(got[key], value)
            got[key][...] = 0  # received arrays are the app's own, writable
        elif key == "specials":
            assert np.isnan(got[key][0]) and got[key][1:] == value[1:]
            assert isinstance(got[key], tuple)
        else:
            assert got[key] == value and type(got[key]) is type(value)
    assert roundtrip([np.float32(2.5), np.int64(3)]) == [2.5, 3]  # NumPy scalars: plain numbers


def test_a_real_snapshot_round_trips(tmp_path):
    from cnnviz.datasets import load_dataset
    from cnnviz.live.session import Session
    from cnnviz.training.trainer import Trainer

    trainer = Trainer.create("tiny", load_dataset("synthetic-digits"), Hyperparameters())
    session = Session(trainer)
    session.set_view(ViewRequest(stage=2, explain=True))
    trainer.step_batch()
    trainer.evaluate()
    session.step_phase()
    snap = session.snapshot_now()
    got = roundtrip(snap)
    assert isinstance(got, Snapshot) and got.serial == snap.serial
    assert got.stages == snap.stages  # frozen dataclasses with tuples inside
    assert got.explanation is not None and type(got.explanation) is type(snap.explanation)
    assert got.evaluation.accuracy == snap.evaluation.accuracy
    for mine, theirs in zip(got.maps, snap.maps, strict=True):
        np.testing.assert_array_equal(mine, theirs)
    for key, value in snap.inspector.params.items():
        np.testing.assert_array_equal(got.inspector.params[key], value)
    assert (got.speed, got.full_speed) == (snap.speed, snap.full_speed) == (6, True)


@dataclasses.dataclass
class Foreign:
    x: int = 1


class Colour(enum.Enum):
    RED = 1


@pytest.mark.parametrize(
    "obj, message",
    [
        (np.array(["a"], dtype=object), "array of object"),
        (lambda: None, "cannot send a function"),
        (b"bytes", "cannot send a bytes"),
        ({1, 2}, "cannot send a set"),
    ],
)
def test_what_cannot_be_sent_is_refused(obj, message):
    with pytest.raises(wire.WireError, match=message):
        wire.pack(obj)


def frame(header: dict | list, arrays: tuple[bytes, ...] = ()) -> bytes:
    import json

    body = json.dumps(header).encode()
    lengths = b"".join(struct.pack("<Q", len(a)) for a in arrays)
    return struct.pack("<QI", len(body), len(arrays)) + lengths + body + b"".join(arrays)


def receive(data: bytes, limits: wire.Limits = wire.TO_APP):
    a, b = socket.socketpair()
    with a, b:
        a.sendall(data)
        a.shutdown(socket.SHUT_WR)
        return wire.recv(b, limits)


@pytest.mark.parametrize(
    "header, message",
    [
        ({"@": "dc", "c": "os:_wrap_close", "v": {}}, "not one of cnnviz's"),
        ({"@": "dc", "c": "subprocess:Popen", "v": {}}, "not one of cnnviz's"),
        ({"@": "dc", "c": "test_remote:Foreign", "v": {}}, "not one of cnnviz's"),
        ({"@": "enum", "c": "test_remote:Colour", "v": 1}, "not one of cnnviz's"),
        ({"@": "dc", "c": "cnnviz.live.remote:RemoteSession", "v": {}}, "not a dataclass"),
        ({"@": "dc", "c": "cnnviz.training.nothing:Here", "v": {}}, "unknown dataclass"),
        ({"@": "dc", "c": "cnnviz.live.snapshot:Stage", "v": {"evil": 1}}, "no field evil"),
        ({"@": "nd", "i": 0, "d": "|O", "s": [1]}, "refusing an array of object"),
        ({"@": "nd", "i": 3, "d": "<f4", "s": [1]}, "malformed message"),
        ({"@": "pickle", "v": "..."}, "unknown tag"),
    ],
)
def test_hostile_messages_are_refused_without_running_anything(header, message):
    with pytest.raises(wire.WireError, match=message):
        receive(frame(header, (b"\0" * 8,)))


def test_a_truncated_frame_is_a_closed_connection_and_a_huge_one_is_refused():
    whole = frame({"@": "t", "v": [1, 2]})
    with pytest.raises(wire.Closed):
        receive(whole[:-3])
    with pytest.raises(wire.WireError, match="malformed frame"):
        receive(struct.pack("<QI", 1 << 40, 0))
    with pytest.raises(wire.WireError, match="malformed message"):
        receive(
            frame({"@": "nd", "i": 0, "d": "<f4", "s": [3]}, (b"\0" * 8,))
        )  # 8 bytes ≠ 3 floats


def test_what_the_training_process_reads_is_bounded_before_it_is_allocated():
    import tracemalloc

    prefix = struct.pack("<QI", 2, 1) + struct.pack("<Q", 2**62)  # an array of 2**62 bytes
    tracemalloc.start()
    try:
        for data in (prefix + b"[]", struct.pack("<QI", 2**30 - 1, 0), struct.pack("<QI", 2, 9)):
            with pytest.raises(wire.WireError, match="malformed frame"):
                receive(data, wire.TO_TRAINING)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20
    deep = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(wire.WireError, match="nested too deeply"):
        receive(struct.pack("<QI", len(deep), 0) + deep, wire.TO_TRAINING)
    shallow = frame({"@": "t", "v": [[[[[1]]]]]})
    assert receive(shallow, wire.TO_TRAINING) == ([[[[1]]]],)
    nested = {"@": "t", "v": [1]}
    for _ in range(wire.MAX_DEPTH + 1):
        nested = {"@": "t", "v": [nested]}
    with pytest.raises(wire.WireError, match="nested deeper than"):
        receive(frame(nested), wire.TO_TRAINING)
    big = np.zeros(wire.TO_TRAINING.total // 4, dtype=np.float32)
    with pytest.raises(wire.WireError, match="too large to send"):
        wire.pack(("probe_image", big, 0), wire.TO_TRAINING)


# ---------------------------------------------------------------------------------- the process
class Driver:
    """A RemoteSession served on a thread, with its events recorded."""

    def __init__(self, spec: dict, in_process: bool = False) -> None:
        self.remote = RemoteSession(spec, in_process=in_process)
        self.events: list[tuple[str, object]] = []
        self.ready = threading.Event()
        for name in ("error", "running", "saved", "loaded", "failed", "ended", "trainer"):
            self.remote.subscribe(name, lambda p, n=name: self.events.append((n, p)))
        self.remote.subscribe("ready", lambda _: self.ready.set())
        self.remote.start()
        self.thread = threading.Thread(target=self.remote.serve, daemon=True)
        self.thread.start()

    def names(self) -> list[str]:
        return [n for n, _ in self.events]

    def wait_snapshot(self, cond, timeout: float = TIMEOUT) -> Snapshot:
        done = threading.Event()
        found: list[Snapshot] = []
        end = threading.Timer(timeout, done.set)
        end.start()
        try:
            while not done.is_set():
                snap = self.remote.take_snapshot()
                if snap is not None and cond(snap):
                    found.append(snap)
                    break
                done.wait(0.01)
        finally:
            end.cancel()
        assert found, "no such snapshot arrived"
        return found[0]

    def close(self) -> None:
        assert self.remote.stop(10), "the process had to be killed"
        self.thread.join(10)
        self.remote.close()


@pytest.fixture
def driver():
    made: list[Driver] = []

    def make(spec: dict | None = None, in_process: bool = False) -> Driver:
        spec = spec or spec_new("tiny", "synthetic-digits", Hyperparameters(), None)
        d = Driver(spec, in_process)
        made.append(d)
        return d

    yield make
    for d in made:
        if not d.remote.ended.is_set():
            d.close()


@pytest.mark.parametrize("in_process", [False, True], ids=["process", "in-process"])
def test_commands_train_in_the_process_and_snapshots_come_back(driver, tmp_path, in_process):
    """The same, whether the host is a process of its own or a thread of this one."""
    d = driver(in_process=in_process)
    assert d.ready.wait(TIMEOUT)
    d.wait_snapshot(lambda s: s.step == 0)  # the network's data comes first, then snapshots
    info = d.remote.trainer_info
    assert info is not None and info.train_size > 0 and info.test_images.dtype == np.uint8
    assert info.test_images.shape[0] == info.test_labels.shape[0]
    d.remote.step_batch()
    snap = d.wait_snapshot(lambda s: s.step == 1)
    assert snap.architecture == "tiny" and snap.batch_size == 64
    state = d.remote.request_sync("state")
    assert state["step"] == 1 and state["generation"] == snap.generation
    d.remote.play()
    d.wait_snapshot(lambda s: s.running and s.step >= 5)
    d.remote.pause()
    paused = d.wait_snapshot(lambda s: not s.running)
    assert ("running", True) in d.events and ("running", False) in d.events
    assert d.remote.request_sync("state")["step"] == paused.step
    path = tmp_path / "m.cnnviz.npz"
    assert d.remote.save(str(path), wait=TIMEOUT)
    saved = load_model(path)
    assert saved.step == paused.step
    for key, value in d.remote.request_sync("state")["weights"].items():
        np.testing.assert_array_equal(saved.params[key], value)
    d.close()
    assert d.remote.exit_code == 0
    assert (d.remote.process is None) == in_process
    assert d.names()[-1] == "ended" and "error" not in d.names()


def test_a_failed_job_or_save_is_reported_and_the_session_carries_on(driver, tmp_path):
    d = driver()
    assert d.ready.wait(TIMEOUT)
    with pytest.raises(RemoteError, match="no kernels of a conv layer"):
        d.remote.request_sync("kernel_series", layer="C1")  # the timeline is empty
    with pytest.raises(RemoteError, match="unknown job"):
        d.remote.request_sync("format_disk")
    assert not d.remote.save(str(tmp_path / "no-such-dir" / "m.cnnviz.npz"), wait=TIMEOUT)
    d.remote.step_batch()
    d.wait_snapshot(lambda s: s.step == 1)
    errors = [p for n, p in d.events if n == "error"]
    assert len(errors) == 1 and "no-such-dir" in errors[0] and "\n" not in errors[0]


def test_opening_a_model_in_the_process(driver, tmp_path):
    d = driver()
    assert d.ready.wait(TIMEOUT)
    d.remote.step_batch()
    d.remote.step_batch()
    d.wait_snapshot(lambda s: s.step == 2)
    path = tmp_path / "two.cnnviz.npz"
    assert d.remote.save(str(path), wait=TIMEOUT)
    d2 = driver(spec_open(str(path), None))
    assert d2.ready.wait(TIMEOUT)
    snap = d2.wait_snapshot(lambda s: True)
    assert (snap.step, snap.model_path, snap.dirty) == (2, str(path), False)
    bad = tmp_path / "bad.cnnviz.npz"
    bad.write_bytes(b"not a model")
    d2.remote.open(str(bad), None)
    d2.remote.step_batch()  # queued after the open that fails: the same network steps on
    d2.wait_snapshot(lambda s: s.step == 3 and s.model_path == str(path))
    assert [n for n in d2.names() if n == "error"] == ["error"]


def test_a_network_that_cannot_be_built_fails_in_one_line(driver):
    d = driver(spec_new("tiny", "no-such-dataset", Hyperparameters(), None))
    d.thread.join(TIMEOUT)
    assert d.remote.ended.is_set() and not d.ready.is_set()
    failed = [p for n, p in d.events if n == "failed"]
    assert len(failed) == 1 and "no-such-dataset" in failed[0] and "\n" not in failed[0]
    assert "error" not in d.names()


def test_a_training_process_that_dies_is_reported_and_requests_fail(driver):
    d = driver()
    assert d.ready.wait(TIMEOUT)
    os.kill(d.remote.process.pid, signal.SIGKILL)
    d.thread.join(TIMEOUT)
    errors = [p for n, p in d.events if n == "error"]
    assert len(errors) == 1 and "ended unexpectedly" in errors[0]
    with pytest.raises(RemoteError):
        d.remote.request_sync("state", timeout=5)
    d.remote.play()  # a command now is an error event, not an exception
    assert d.names().count("error") == 2


def test_the_process_ends_when_the_app_goes_away():
    remote = RemoteSession(spec_new("tiny", "synthetic-digits", Hyperparameters(), None))
    ready = threading.Event()
    remote.subscribe("ready", lambda _: ready.set())
    remote.start()
    serving = threading.Thread(target=remote.serve, daemon=True)
    serving.start()
    assert ready.wait(TIMEOUT)
    remote._sock.shutdown(socket.SHUT_RDWR)  # as if the app had crashed
    assert remote.process.wait(TIMEOUT) == 0
    serving.join(TIMEOUT)
    remote.close()


def test_a_slow_app_still_receives_every_metric_entry_once_in_order(driver):
    """Snapshots replace each other while the app reads slowly; the metric entries, ordered
    messages beside them, must all arrive: every step once, in order, with its loss."""
    d = driver()
    batches = []
    slow = threading.Event()

    def read_slowly(batch) -> None:  # holds up the thread that reads the socket
        batches.append(batch)
        slow.wait(0.1)

    d.remote.subscribe("metrics", read_slowly)
    assert d.ready.wait(TIMEOUT)
    d.wait_snapshot(lambda s: True)
    d.remote.play()
    d.wait_snapshot(lambda s: s.step >= 100)  # meanwhile 10 batches a second at most are read
    d.remote.pause()
    paused = d.wait_snapshot(lambda s: not s.running)
    state = d.remote.request_sync("state")  # answered after every batch sent before it
    assert state["step"] == paused.step
    steps = np.concatenate([b.step for b in batches])
    np.testing.assert_array_equal(steps, np.arange(1, paused.step + 1))
    assert batches[0].start and not any(b.start for b in batches[1:])
    assert sum(len(b.loss) for b in batches) == paused.step
    received = d.remote.metrics  # the history as received, the same entries
    np.testing.assert_array_equal(received.step.values(), steps)
    assert len(received.stats_step) == len(received.layer_series("C1", "grad_norm"))
    d.remote.reset()
    d.wait_snapshot(lambda s: s.generation == paused.generation + 1)
    assert batches[-1].start and len(batches[-1].step) == 0  # a reset starts a new history
    assert len(d.remote.metrics.step) == 0


# ---------------------------------------------------------------------------------- hostile
def _start_host():
    """A training process started by hand, ready, its messages drained on a thread."""
    import subprocess
    import sys

    mine, theirs = socket.socketpair()
    process = subprocess.Popen(
        [sys.executable, "-m", "cnnviz.live.host", "--fd", str(theirs.fileno())],
        pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    theirs.close()
    wire.send(mine, ("start", spec_new("tiny", "synthetic-digits", Hyperparameters(), None)))
    ready = threading.Event()

    def drain() -> None:
        try:
            while True:
                if wire.recv(mine)[0] == "ready":
                    ready.set()
        except (OSError, EOFError, wire.WireError):
            pass

    threading.Thread(target=drain, daemon=True).start()
    assert ready.wait(TIMEOUT)
    return process, mine


def _frame_prefix(header_len: int, lengths: tuple[int, ...]) -> bytes:
    return struct.pack("<QI", header_len, len(lengths)) + b"".join(
        struct.pack("<Q", n) for n in lengths
    )


def _pack(message) -> bytes:
    return b"".join(bytes(b) for b in wire.pack(message))


def _view(**fields):
    view = ViewRequest()
    for key, value in fields.items():
        object.__setattr__(view, key, value)
    return view


NESTED = b"[" * 100_000 + b"]" * 100_000

HOSTILE = {
    "an array of 2**62 bytes": _frame_prefix(2, (2**62,)) + b"[]",
    "a header of a GiB (12 bytes)": _frame_prefix(2**30 - 1, ()),
    "JSON nested 100,000 deep": _frame_prefix(len(NESTED), ()) + NESTED,
    "a header that is not UTF-8 JSON": _frame_prefix(4, ()) + b"\xff\xfe{[",
    "a view request of the wrong kinds": _pack(("set_view", _view(map_kind=5, inspect="yes"))),
    "a view request without a field": frame(
        {
            "@": "t",
            "v": [
                "set_view",
                {
                    "@": "dc",
                    "c": "cnnviz.live.snapshot:ViewRequest",
                    "v": {"sample": 0, "map_kind": "net"},
                },
            ],
        }
    ),  # fmt: skip
    "a view request with a sample of 2**62": _pack(("set_view", _view(sample=2**62))),
    "an unknown command": _pack(("format_disk",)),
    "a command that is not a tuple": _pack(["play"]),
    "a command with too many arguments": _pack(("play", 1)),
    "a job of an unknown kind": _pack(("job", 1, ("format_disk", {}))),
    "a job with an argument of the wrong kind": _pack(("job", 1, ("state", {"timeline": 1}))),
}


def _one_line_refusal(stderr: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    assert lines[0].startswith("cnnviz training process: ") and "from the app, ending" in lines[0]


@pytest.mark.parametrize("data", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_malformed_message_ends_the_connection_in_one_line(data, capfd):
    """The host (here on a thread, over a socket pair) treats anything that is not a declared
    command with arguments of the right kind as the end: one line on stderr, exit code 2."""
    from cnnviz.live.host import EXIT_MALFORMED, Host

    mine, theirs = socket.socketpair()
    host = Host(theirs)
    code: list[int] = []
    serving = threading.Thread(target=lambda: code.append(host.serve()), daemon=True)
    serving.start()
    wire.send(mine, ("start", spec_new("tiny", "synthetic-digits", Hyperparameters(), None)))
    ready = threading.Event()

    def drain() -> None:
        try:
            while True:
                if wire.recv(mine)[0] == "ready":
                    ready.set()
        except (OSError, EOFError, wire.WireError):
            pass

    threading.Thread(target=drain, daemon=True).start()
    assert ready.wait(TIMEOUT)
    mine.sendall(data)
    serving.join(TIMEOUT)
    assert code == [EXIT_MALFORMED]
    _one_line_refusal(capfd.readouterr().err)
    mine.close()
    theirs.close()


@pytest.mark.parametrize(
    "name",
    ["an array of 2**62 bytes", "JSON nested 100,000 deep", "a view request of the wrong kinds"],
)
def test_the_training_process_exits_on_a_malformed_message(name):
    process, sock = _start_host()
    with sock:
        sock.sendall(HOSTILE[name])
        assert process.wait(TIMEOUT) == 2
        _one_line_refusal(process.stderr.read().decode())


def test_what_the_app_sends_is_checked_before_it_goes(driver):
    """Both ends check against the same declarations: a value the host would refuse is an
    error of the caller's, and is never sent."""
    d = driver(in_process=True)
    assert d.ready.wait(TIMEOUT)
    d.remote.probe("validation", 3)
    d.remote.set_view(ViewRequest(map_kind="colour"))
    with pytest.raises(RemoteError, match="state: no argument 'everything'"):
        d.remote.request_sync("state", everything=True)
    with pytest.raises(RemoteError, match="unknown job 'format_disk'"):
        d.remote.request_sync("format_disk")
    with pytest.raises(TypeError):
        d.remote.step_batch(2)  # not a command's signature: a programming error
    d.remote.step_batch()
    d.wait_snapshot(lambda s: s.step == 1)  # the host carried on: nothing bad was sent
    errors = [p for n, p in d.events if n == "error"]
    assert len(errors) == 2 and "split" in errors[0] and "map_kind" in errors[1]
    huge = np.zeros((3, 4096, 4096), dtype=np.float32)  # 192 MiB: beyond what the host reads
    d.remote.probe_image(huge, 0)
    assert "too large to send" in [p for n, p in d.events if n == "error"][-1]
    d.remote.step_batch()
    d.wait_snapshot(lambda s: s.step == 2)


def test_a_job_result_that_cannot_be_sent_is_a_failed_job(driver, monkeypatch):
    from cnnviz.live import commands

    odd = commands.Job("odd", "A result the wire refuses.", lambda s, trainer: {1, 2})
    monkeypatch.setitem(commands.JOBS, "odd", odd)
    d = driver(in_process=True)
    assert d.ready.wait(TIMEOUT)
    with pytest.raises(RemoteError, match="cannot send a set"):
        d.remote.request_sync("odd")
    d.remote.step_batch()
    d.wait_snapshot(lambda s: s.step == 1)  # and the process carries on
