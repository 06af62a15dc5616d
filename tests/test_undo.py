"""Undo and resume in the session (no Qt): going back restores weights, optimiser state,
counters, metrics and the data order bit for bit, so stepping forward again repeats the run."""

from __future__ import annotations

import numpy as np
import pytest
from test_trainer import make_trainer

from cnnviz.live.metrics import append_batch
from cnnviz.live.session import UNDO_STEPS, Session
from cnnviz.live.snapshot import ViewRequest
from cnnviz.training.metrics import MetricsHistory


def state_of(session: Session) -> dict[str, np.ndarray]:
    tr = session.trainer
    out = {f"p/{k}": v.copy() for k, v in tr.net.state_dict(buffers=True).items()}
    out |= {f"o/{k}": np.array(v, copy=True) for k, v in tr.optimizer.state_dict().items()}
    out |= {f"m/{k}": v for k, v in tr.metrics.to_arrays().items()}
    out["counters"] = np.array([tr.step, tr.epoch, tr.sample_in_epoch, tr.images_seen])
    out["batch"] = np.array(tr.next_batch_indices())
    return out


def assert_same(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for k in a:
        np.testing.assert_array_equal(a[k], b[k], err_msg=k)


def run(session: Session, *commands: str) -> None:
    for name in commands:
        getattr(session, name)()
    session.snapshot_now()  # runs the queued commands on this thread


def test_undo_twenty_batches_then_step_again_is_bit_identical():
    session = Session(make_trainer(epochs=5))  # 10 steps an epoch: crosses two epoch ends
    states = [state_of(session)]
    for _ in range(25):
        run(session, "step_batch")
        states.append(state_of(session))
    assert session.trainer.epoch == 2
    for back in range(1, 21):
        run(session, "undo_batch")
        assert_same(state_of(session), states[25 - back])
    for forward in range(6, 26):
        run(session, "step_batch")
        assert_same(state_of(session), states[forward])


def test_undo_a_phase_returns_to_the_state_before_it():
    session = Session(make_trainer())
    run(session, "step_batch")
    phases = len(session.trainer.net.phases())
    seen = []
    for _ in range(phases + 2):  # through the update and into the next step
        run(session, "step_phase")
        snap = session.snapshot_now()
        seen.append((snap.phase_position, snap.step, snap.loss, state_of(session)))
    for i in range(phases + 1, 0, -1):
        run(session, "undo_phase")
        snap = session.snapshot_now()
        position, step, loss, state = seen[i - 1]
        assert (snap.phase_position, snap.step, snap.loss) == (position, step, loss)
        assert_same(state_of(session), state)


def test_undo_truncates_the_metrics_the_app_receives():
    session = Session(make_trainer(stats_every=1))
    received = MetricsHistory()
    session.subscribe("metrics", lambda b: received.__setattr__("batch", b))

    def take():
        nonlocal received
        session.snapshot_now()
        batch = getattr(received, "batch", None)
        if batch is not None:
            received = append_batch(received, batch)

    for _ in range(6):
        run(session, "step_batch")
        take()
    assert len(received.loss) == 6
    run(session, "undo_batch", "undo_batch")
    take()
    assert len(received.loss) == 4
    np.testing.assert_array_equal(received.loss.values(), session.trainer.metrics.loss.values())
    for name, stats in received.layer.items():
        for stat, series in stats.items():
            assert len(series) == len(session.trainer.metrics.layer[name][stat]) == 4


def test_undo_is_bounded_and_says_when_nothing_is_left():
    session = Session(make_trainer(epochs=20))
    errors = []
    session.subscribe("error", errors.append)
    for _ in range(UNDO_STEPS + 5):
        run(session, "step_batch")
    assert session.undo_depth == UNDO_STEPS
    for _ in range(UNDO_STEPS):
        run(session, "undo_batch")
    assert session.trainer.step == 5 and not errors
    run(session, "undo_batch")
    assert session.trainer.step == 5
    assert errors and "nothing to undo" in errors[-1]


def test_resume_from_a_recent_step_continues_as_from_there():
    session = Session(make_trainer())
    states = [state_of(session)]
    for _ in range(8):
        run(session, "step_batch")
        states.append(state_of(session))
    session.resume_from(3)
    session.snapshot_now()
    assert_same(state_of(session), states[3])
    run(session, "step_batch")
    assert_same(state_of(session), states[4])
    errors = []
    session.subscribe("error", errors.append)
    session.resume_from(7)  # dropped by the resume: not kept any more
    session.snapshot_now()
    assert errors and "too far back" in errors[-1]


def test_the_epoch_end_stays_until_more_epochs_are_asked_for():
    session = Session(make_trainer(epochs=1))  # 10 steps
    finished = []
    session.subscribe("finished", finished.append)
    for _ in range(10):
        run(session, "step_batch")
    snap = session.snapshot_now()
    assert snap.finished and (snap.epoch, snap.epochs) == (1, 1)
    run(session, "step_batch")  # refused: the count never exceeds its total
    run(session, "play")
    snap = session.snapshot_now()
    assert snap.finished and not snap.running and snap.step == 10 and snap.epoch == 1
    assert finished
    session.set_epochs(2)
    run(session, "step_batch")
    snap = session.snapshot_now()
    assert not snap.finished and (snap.step, snap.epochs) == (11, 2)
    run(session, "reset")
    assert session.snapshot_now().epochs == 1


@pytest.mark.parametrize("phase_steps", [1, 5])
def test_the_label_belongs_to_the_image_during_forward_phases(phase_steps):
    session = Session(make_trainer())
    run(session, "step_batch")
    for _ in range(phase_steps):  # the new batch's forward phases: no loss yet
        run(session, "step_phase")
    snap = session.snapshot_now()
    tr = session.trainer
    assert snap.sample_index == int(tr.current_indices[snap.view.sample])
    assert snap.sample_label == int(tr.dataset.train_labels[snap.sample_index])
    assert snap.probabilities is None and snap.loss is None  # the previous batch's: not shown
    # the last stage is not computed for this batch yet: the overview greys it (stale), the
    # inspector leaves it out
    assert snap.active_direction == "forward" and snap.active_stage < len(snap.stages) - 1
    session.set_view(ViewRequest(stage=len(snap.stages) - 1))
    last = session.snapshot_now().inspector
    assert last.maps["activation"] is None and last.maps["delta"] is None
