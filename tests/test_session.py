"""The session loop on a plain thread (no Qt): commands, snapshots, and pausing mid-evaluation."""

from __future__ import annotations

import inspect
import threading
import time

import numpy as np
import pytest
from test_trainer import FakeDataset, make_trainer

from cnnviz.live.commands import COMMANDS
from cnnviz.live.remote import RemoteSession
from cnnviz.live.session import Session
from cnnviz.training import trainer as trainer_module

TIMEOUT_S = 30.0


class SlowTestSet(FakeDataset):
    """Test images come slowly (a pause per chunk), so an evaluation lasts long enough to
    press Pause during it."""

    def batch(self, split, indices):
        if split == "test":
            time.sleep(0.05)
        return super().batch(split, indices)


def wait_until(cond, what: str) -> None:
    end = time.monotonic() + TIMEOUT_S
    while not cond():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.002)


@pytest.fixture
def running_session(monkeypatch):
    """A session over a trainer whose end-of-epoch evaluation takes 10 chunks of 50 ms,
    its loop running on a thread; stopped at the end."""
    monkeypatch.setattr(trainer_module, "EVAL_CHUNK", 4)  # 40 test images: 10 chunks
    trainer = make_trainer(epochs=100)  # 10 steps an epoch
    trainer.dataset = SlowTestSet(trainer.dataset.input_shape)
    session = Session(trainer)
    stop = threading.Event()
    thread = threading.Thread(target=session.run, args=(stop,))
    thread.start()
    yield session
    stop.set()
    thread.join(TIMEOUT_S)
    assert not thread.is_alive()


def test_pause_during_an_evaluation_takes_effect_before_it_ends(running_session):
    session = running_session
    trainer = session.trainer
    log: list[tuple] = []
    evaluating = threading.Event()

    def chunk(progress) -> None:
        log.append(("chunk", progress))
        if progress[0] == 8:  # the second of ten chunks: the evaluation is under way
            evaluating.set()

    trainer.subscribe("evaluating", chunk)
    trainer.subscribe("eval", lambda r: log.append(("eval", r.step, session.newest_running())))
    session.subscribe("running", lambda on: log.append(("running", on, trainer.step)))
    session.play()
    assert evaluating.wait(TIMEOUT_S)
    step_at_pause = trainer.step
    session.pause()
    wait_until(lambda: any(e[0] == "eval" for e in log), "the end of the evaluation")
    time.sleep(0.2)  # the pause command itself comes after the evaluation
    paused = [i for i, e in enumerate(log) if e[0] == "running" and e[1] is False]
    ended = next(i for i, e in enumerate(log) if e[0] == "eval")
    assert paused and paused[0] < ended  # paused between two chunks of the evaluation
    assert not [e for e in log[paused[0] :] if e[0] == "running" and e[1]]  # and stayed so
    assert log[ended] == ("eval", step_at_pause, False)  # the paused snapshot came out first
    chunks_after = [e for e in log[paused[0] :] if e[0] == "chunk"]
    assert 0 < len(chunks_after) < 10  # the evaluation went on to its end, after the pause
    assert trainer.step == step_at_pause  # and no step was taken after it
    assert not session.running


def test_pause_then_play_at_once_ends_up_playing(running_session):
    session = running_session
    trainer = session.trainer
    evaluating = threading.Event()
    trainer.subscribe("evaluating", lambda p: p[0] == 8 and evaluating.set())
    session.play()
    assert evaluating.wait(TIMEOUT_S)
    at = trainer.step
    session.pause()
    session.play()  # before the evaluation is over
    wait_until(lambda: trainer.step > at + 2, "training to go on")
    assert session.running


def test_pause_between_evaluations_takes_effect_after_the_step(running_session):
    session = running_session
    trainer = session.trainer
    session.play()
    wait_until(lambda: trainer.step >= 3, "some steps")
    session.pause()
    wait_until(lambda: not session.running, "the pause")
    stopped = trainer.step
    time.sleep(0.2)
    assert trainer.step == stopped
    assert not session.newest_running()


def test_every_metric_entry_is_emitted_once_in_order_beside_the_snapshots(running_session):
    session = running_session
    trainer = session.trainer
    batches = []
    session.subscribe("metrics", batches.append)
    session.play()
    wait_until(lambda: trainer.step >= 25, "some steps")  # (an evaluation every 10 steps)
    session.pause()
    wait_until(lambda: not session.newest_running(), "the pause")
    history = trainer.metrics
    steps = np.concatenate([b.step for b in batches])
    np.testing.assert_array_equal(steps, history.step.values())
    np.testing.assert_array_equal(np.concatenate([b.loss for b in batches]), history.loss.values())
    evals = np.concatenate([b.eval_step for b in batches])
    np.testing.assert_array_equal(evals, history.eval_step.values())
    assert len(evals) >= 2
    for name, stats in history.layer.items():
        for stat, series in stats.items():
            got = [
                b.layer[name][stat] for b in batches if name in b.layer and stat in b.layer[name]
            ]
            np.testing.assert_array_equal(np.concatenate(got), series.values())
    assert not any(b.start for b in batches)  # (the one that started it came before any step)


def test_the_commands_are_the_sessions_and_the_remote_sessions_alike():
    """One declaration: each session command is a Session method with the declared arguments,
    and RemoteSession has the same method, generated from it."""
    for command in COMMANDS.values():
        if command.to != "session":
            continue
        declared = [a.name for a in command.args]
        params = list(inspect.signature(getattr(Session, command.name)).parameters)[1:]
        assert params == declared, command.name
        remote = list(inspect.signature(getattr(RemoteSession, command.name)).parameters)[1:]
        assert remote == declared, command.name
