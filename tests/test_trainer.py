"""The trainer: determinism, resuming, divergence, phase stepping, events, hyperparameters."""

from __future__ import annotations

import json
import math
import re
import tomllib
from pathlib import Path

import numpy as np
import pytest
from helpers import FakeDataset, make_trainer

from cnnviz.training import trainer as trainer_module
from cnnviz.training.architectures import build_network, load_architecture
from cnnviz.training.modelfile import load_model, save_model
from cnnviz.training.trainer import DivergenceError, Hyperparameters, Trainer


def params_of(trainer):
    return {k: p.copy() for k, p in trainer.net.state_dict().items()}


def assert_same_run(a: Trainer, b: Trainer):
    for k, p in a.net.state_dict().items():
        np.testing.assert_array_equal(p, b.net.state_dict()[k], err_msg=k)
        np.testing.assert_array_equal(a.optimizer.velocity[k], b.optimizer.velocity[k], err_msg=k)
    assert (a.step, a.epoch, a.sample_in_epoch) == (b.step, b.epoch, b.sample_in_epoch)
    for key, arr in a.metrics.to_arrays().items():
        np.testing.assert_array_equal(arr, b.metrics.to_arrays()[key], err_msg=key)


def test_same_seed_same_run():
    a, b = make_trainer(), make_trainer()
    a.run(max_steps=4)
    b.run(max_steps=4)
    assert_same_run(a, b)


@pytest.mark.parametrize("stop_at", [3, 10, 13])  # mid-epoch, at an epoch boundary, mid-epoch
def test_resume_from_file_equals_uninterrupted(tmp_path, stop_at):
    total = 17  # 10 steps per epoch: crosses epoch boundaries with momentum and weight decay
    whole = make_trainer(weight_decay=1e-3, schedule="cosine")
    whole.run(max_steps=total)

    first = make_trainer(weight_decay=1e-3, schedule="cosine")
    first.run(max_steps=stop_at)
    path = tmp_path / "half.cnnviz.npz"
    save_model(path, first.state())
    del first
    state = load_model(path)
    resumed = Trainer.from_state(state, FakeDataset())
    resumed.run(max_steps=total - stop_at)
    assert resumed.step == total
    assert_same_run(whole, resumed)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_divergence_stops_cleanly_and_restores_the_model():
    trainer = make_trainer("lenet5", lr=1e6, momentum=0.0)
    messages = []
    trainer.subscribe("diverged", messages.append)
    last_good = params_of(trainer)
    with pytest.raises(DivergenceError, match="diverged at step"):
        for _ in range(20):
            last_good = params_of(trainer)
            trainer.step_batch()
    assert messages and "smaller learning rate" in messages[0]
    assert trainer.current is None
    for k, p in trainer.net.state_dict().items():
        np.testing.assert_array_equal(p, last_good[k], err_msg=k)
        assert np.isfinite(p).all()
    assert len(trainer.metrics.loss) == trainer.step  # the failed step was not recorded


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_divergence_in_the_update_restores_params_and_velocity():
    trainer = make_trainer("tiny", lr=1e39, momentum=0.5)  # η·v overflows float32
    params = params_of(trainer)
    velocity = {k: v.copy() for k, v in trainer.optimizer.velocity.items()}
    trainer.subscribe("step", lambda info: pytest.fail("no step may complete"))
    with pytest.raises(DivergenceError, match="update made .* overflow"):
        for _ in range(5):
            params = params_of(trainer)
            velocity = {k: v.copy() for k, v in trainer.optimizer.velocity.items()}
            trainer.step_batch()
    for k, p in trainer.net.state_dict().items():
        np.testing.assert_array_equal(p, params[k], err_msg=k)
        np.testing.assert_array_equal(trainer.optimizer.velocity[k], velocity[k], err_msg=k)


@pytest.mark.parametrize("arch", ["tiny", "lenet5-1998", "every-layer"])
def test_phase_stepping_equals_batch_stepping(arch):
    a, b = make_trainer(arch), make_trainer(arch)
    phases = []
    b.subscribe("phase", phases.append)
    for _ in range(3):
        a.step_batch()
        start = len(phases)
        b.step_phase()
        while b.current is not None:
            b.step_phase()
        assert phases[start:] == b.net.phases()
    assert_same_run(a, b)


def test_step_batch_completes_a_step_begun_phase_by_phase():
    a, b = make_trainer(), make_trainer()
    a.run(max_steps=2)
    b.step_phase()
    b.step_phase()
    b.step_batch()
    b.step_batch()
    assert_same_run(a, b)


def test_events_fire_and_unsubscribed_observers_are_not_called():
    trainer = make_trainer(epochs=2)  # 10 steps per epoch
    seen: dict[str, list] = {"step": [], "epoch": [], "eval": [], "phase": []}
    for event, log in seen.items():
        trainer.subscribe(event, log.append)
    removed = []
    unsubscribe = trainer.subscribe("step", removed.append)
    trainer.step_batch()
    unsubscribe()
    trainer.run()
    assert len(removed) == 1
    assert [s.step for s in seen["step"]] == list(range(1, 21))
    assert seen["step"][0].epoch == 0 and seen["step"][-1].epoch == 1
    assert seen["step"][9].epoch_progress == 1.0
    assert seen["epoch"] == [0, 1]
    assert [r.step for r in seen["eval"]] == [10, 20]
    assert seen["eval"][-1].confusion.sum() == 40
    assert len(seen["phase"]) == 20 * len(trainer.net.phases())
    assert trainer.finished
    assert list(trainer.metrics.eval_step.values()) == [10, 20]


def test_evaluating_reports_every_chunk(monkeypatch):
    monkeypatch.setattr(trainer_module, "EVAL_CHUNK", 16)
    trainer = make_trainer(epochs=1)
    chunks, results = [], []
    trainer.subscribe("evaluating", chunks.append)
    trainer.subscribe("eval", lambda r: results.append(list(chunks)))
    trainer.evaluate()
    assert chunks == [(16, 40), (32, 40), (40, 40)]  # 40 test images in chunks of 16
    assert results == [chunks]  # all of them before the result


def test_eval_every_and_stats_every():
    trainer = make_trainer(epochs=1, eval_every=4, stats_every=5)
    evals = []
    trainer.subscribe("eval", lambda r: evals.append(r.step))
    trainer.run()
    assert evals == [4, 8]
    assert list(trainer.metrics.stats_step.values()) == [1, 5, 10]
    n = len(trainer.metrics.stats_step)
    for stats in trainer.metrics.layer.values():
        assert all(len(s) == n for s in stats.values())


def test_batches_are_a_seeded_permutation_per_epoch():
    trainer = make_trainer(batch_size=16)
    seen = []
    trainer.subscribe("step", lambda info: seen.append(info.batch_indices.copy()))
    trainer.run(max_steps=20)
    epoch0, epoch1 = np.concatenate(seen[:10]), np.concatenate(seen[10:])
    assert sorted(epoch0) == list(range(160)) and sorted(epoch1) == list(range(160))
    np.testing.assert_array_equal(epoch0, np.random.default_rng([0, 0]).permutation(160))
    assert not np.array_equal(epoch0, epoch1)


def test_a_smaller_last_batch_ends_the_epoch():
    trainer = make_trainer(batch_size=48)  # 160 = 3 × 48 + 16
    sizes = []
    trainer.subscribe("step", lambda info: sizes.append(len(info.batch_indices)))
    trainer.run(max_steps=4)
    assert sizes == [48, 48, 48, 16]
    assert trainer.epoch == 1 and trainer.sample_in_epoch == 0


def test_training_reduces_the_loss():
    trainer = make_trainer("simple", lr=0.05, epochs=4)
    trainer.run()
    loss = trainer.metrics.loss.values()
    assert loss[-10:].mean() < loss[:10].mean()


def test_reinitialize_gives_a_fresh_run():
    a = make_trainer()
    a.run(max_steps=3)
    a.reinitialize()
    b = make_trainer()
    assert_same_run(a, b)


def test_set_hyperparameters_takes_effect_next_step():
    trainer = make_trainer(schedule="step", gamma=0.5, step_epochs=1)
    lrs = []
    trainer.subscribe("step", lambda info: lrs.append(info.lr))
    trainer.run(max_steps=11)
    assert lrs[0] == pytest.approx(0.02) and lrs[10] == pytest.approx(0.01)
    trainer.set_hyperparameters(lr=0.1)
    trainer.step_batch()
    assert lrs[-1] == pytest.approx(0.05)
    with pytest.raises(ValueError):
        trainer.set_hyperparameters(lr=-1)
    assert trainer.hp.lr == 0.1


def test_learning_rate_schedules():
    hp = Hyperparameters(lr=0.1, epochs=4, schedule="cosine")
    assert hp.lr_at(0) == pytest.approx(0.1)
    assert hp.lr_at(2) == pytest.approx(0.05)
    assert hp.lr_at(4) == pytest.approx(0.0, abs=1e-12)
    hp = Hyperparameters(lr=0.1, schedule="step", gamma=0.1, step_epochs=2)
    assert [hp.lr_at(e) for e in (0, 1.9, 2, 4.5)] == pytest.approx([0.1, 0.1, 0.01, 0.001])
    assert Hyperparameters(lr=0.1).lr_at(7.5) == 0.1


@pytest.mark.parametrize(
    "bad",
    [
        {"lr": 0},
        {"lr": -0.1},
        {"lr": math.inf},
        {"lr": math.nan},
        {"momentum": 1.0},
        {"momentum": -0.1},
        {"weight_decay": -1e-4},
        {"batch_size": 0},
        {"epochs": 0},
        {"schedule": "exponential"},
        {"gamma": 0},
        {"gamma": 1.5},
        {"step_epochs": 0},
        {"eval_every": -1},
        {"stats_every": 0},
    ],
)
def test_hyperparameters_are_validated(bad):
    with pytest.raises(ValueError):
        Hyperparameters(**bad).validate()
    with pytest.raises(ValueError):
        Hyperparameters.from_dict(bad)


def test_hyperparameters_from_dict():
    hp = Hyperparameters(lr=0.01, batch_size=32, schedule="cosine")
    assert Hyperparameters.from_dict(hp.to_dict()) == hp
    assert Hyperparameters.from_dict({"batch_size": 8}).batch_size == 8
    with pytest.raises(ValueError, match="unknown"):
        Hyperparameters.from_dict({"learning_rate": 0.1})
    with pytest.raises(ValueError, match="number"):
        Hyperparameters.from_dict({"lr": "fast"})
    with pytest.raises(ValueError, match="number"):
        Hyperparameters.from_dict({"epochs": True})
    with pytest.raises(ValueError, match="text"):
        Hyperparameters.from_dict({"schedule": 3})


def test_trainer_refuses_a_dataset_that_does_not_fit():
    spec = load_architecture("tiny")
    net_trainer = make_trainer()
    with pytest.raises(ValueError, match="expects input"):
        Trainer(net_trainer.net, FakeDataset((3, 32, 32)), architecture=spec)
    with pytest.raises(ValueError, match="classes"):
        Trainer(net_trainer.net, FakeDataset(classes=4), architecture=spec)


def test_evaluate_confusion_matrix():
    trainer = make_trainer()
    result = trainer.evaluate()
    assert result.confusion.shape == (10, 10) and result.confusion.sum() == 40
    labels = trainer.dataset.test_labels
    np.testing.assert_array_equal(result.confusion.sum(axis=1), np.bincount(labels, minlength=10))
    assert result.accuracy == pytest.approx(np.trace(result.confusion) / 40)
    part = trainer.evaluate(max_samples=7)
    assert part.confusion.sum() == 7
    assert len(trainer.metrics.test_accuracy) == 1  # partial evaluations are not recorded


# ------------------------------------------------------------------------ architecture files
ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "resources" / "architectures").glob("*.*"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_architecture_files_train(path):
    spec = load_architecture(path)
    shape = tuple(spec.get("input_shape", (1, 28, 28)))
    trainer = Trainer.create(spec, FakeDataset(shape, n_train=32), Hyperparameters(batch_size=16))
    trainer.run(max_steps=2)
    assert trainer.step == 2 and np.isfinite(trainer.metrics.loss.values()).all()


def test_there_are_toml_and_json_examples():
    assert {p.suffix for p in EXAMPLES} == {".toml", ".json"}


def test_the_1998_example_file_is_the_preset():
    spec = load_architecture(ROOT / "resources" / "architectures" / "lenet5-1998.json")
    preset = load_architecture("lenet5-1998")
    for key in ("input_shape", "loss", "layers"):
        assert spec[key] == preset[key], key


def test_the_docs_examples_agree():
    text = (ROOT / "docs" / "architectures.md").read_text(encoding="utf-8")
    toml_text = re.search(r"```toml\n(.*?)```", text, re.S).group(1)
    json_text = re.search(r"```json\n(.*?)```", text, re.S).group(1)
    assert tomllib.loads(toml_text) == json.loads(json_text)
    spec = json.loads(json_text)
    net = build_network(spec, num_classes=10)
    assert net.output_shape == (10,)
