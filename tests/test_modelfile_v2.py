"""Model files of version 2 (cnnviz/training/modelfile.py): the optimiser's kind, settings and
state, batch norm's running statistics and the dropout generators are saved, a run resumed from
a file continues bit for bit, and files of version 1 still open."""

from __future__ import annotations

import json

import numpy as np
import pytest
from test_trainer import FakeDataset

from cnnviz.engine import OPTIMIZER_NAMES
from cnnviz.training import modelfile
from cnnviz.training.modelfile import ModelFileError, load_model, save_model
from cnnviz.training.trainer import Hyperparameters, Trainer

SPEC = {
    "name": "bn-dropout",
    "input_shape": [1, 12, 12],
    "layers": [
        {"type": "conv", "out_channels": 4, "kernel_size": 3},
        {"type": "batchnorm"},
        {"type": "relu"},
        {"type": "maxpool", "kernel_size": 2},
        {"type": "flatten"},
        {"type": "dense", "out_features": 16},
        {"type": "batchnorm"},
        {"type": "relu"},
        {"type": "dropout", "p": 0.3},
        {"type": "dense", "out_features": "classes"},
    ],
}


def make(optimizer="adam", **hp) -> Trainer:
    ds = FakeDataset((1, 12, 12), n_train=96, n_test=24, classes=4)
    settings = dict(optimizer=optimizer, lr=1e-3 if "adam" in optimizer else 0.02,
                    batch_size=16, epochs=3, stats_every=2)  # fmt: skip
    return Trainer.create(SPEC, ds, Hyperparameters(**(settings | hp)))


def everything(tr: Trainer) -> dict[str, np.ndarray]:
    out = {f"net/{k}": np.array(v) for k, v in tr.net.state_dict(buffers=True).items()}
    for k, v in tr.optimizer.state_dict().items():
        out[f"opt/{k}"] = np.array(v)
    out["loss"] = tr.metrics.loss.values()
    out["test"] = tr.metrics.test_accuracy.values()
    return out


def assert_same(a: dict, b: dict) -> None:
    assert set(a) == set(b)
    for k in a:
        np.testing.assert_array_equal(a[k], b[k], err_msg=k)


@pytest.mark.parametrize("optimizer", OPTIMIZER_NAMES)
def test_resume_is_bit_identical(tmp_path, optimizer):
    """Train N steps, save, load, train M more == N + M straight (mid-epoch, across one)."""
    straight = make(optimizer)
    straight.run(max_steps=11)
    first = make(optimizer)
    first.run(max_steps=4)
    path = tmp_path / "run.cnnviz.npz"
    save_model(path, first.state())
    state = load_model(path)
    assert state.optimizer["kind"] == ("sgd" if optimizer == "nesterov" else optimizer)
    assert set(state.buffers) == {
        f"{n}.bn.{b}"
        for n in ("C1", "F3")
        for b in ("running_mean", "running_var", "num_batches_tracked")
    }
    assert int(state.buffers["C1.bn.num_batches_tracked"]) == 4
    assert set(state.noise) == {"F3.dropout"}
    resumed = Trainer.from_state(state, first.dataset)
    resumed.run(max_steps=7)
    assert_same(everything(straight), everything(resumed))


def test_adam_state_is_stored_under_optimizer(tmp_path):
    tr = make("adam", beta1=0.8, eps=1e-7)
    tr.run(max_steps=3)
    path = tmp_path / "adam.cnnviz.npz"
    save_model(path, tr.state())
    with np.load(path) as npz:
        names = set(npz.files)
        meta = json.loads(npz["meta"].tobytes())
    assert "optimizer/C1.weight.exp_avg" in names and "optimizer/F4.bias.exp_avg_sq" in names
    assert not any(n.startswith("velocity/") for n in names)
    assert "buffers/C1.bn.running_var" in names
    assert meta["version"] == 2 and meta["optimizer_step"] == 3
    assert meta["optimizer"] == {"kind": "adam", "lr": 1e-3, "betas": [0.8, 0.999], "eps": 1e-7,
                                 "weight_decay": 0.0, "amsgrad": False}  # fmt: skip
    state = load_model(path)
    assert state.velocity["step"] == 3


def _rewrite(path, out, change_meta=None, drop=(), add=None):
    with np.load(path) as npz:
        arrays = {k: npz[k] for k in npz.files}
    meta = json.loads(arrays.pop("meta").tobytes())
    if change_meta:
        change_meta(meta)
    for k in drop:
        arrays.pop(k)
    arrays.update(add or {})
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), np.uint8)
    with open(out, "wb") as f:
        modelfile._write_arrays(f, arrays)


def _as_version_1(meta):
    """The metadata of a version-1 file: no optimiser, step count or noise, and none of the
    hyperparameters added with them."""
    meta["version"] = 1
    for key in ("optimizer", "optimizer_step", "noise"):
        del meta[key]
    for key in ("optimizer", "beta1", "beta2", "eps", "alpha"):
        del meta["hyperparameters"][key]


def test_version_1_files_still_open_and_resume(tmp_path):
    """A version-1 file (SGD with momentum, written in that format) opens, and its run
    continues as the uninterrupted run does."""
    spec = {"name": "plain", "input_shape": [1, 12, 12], "layers": [
        {"type": "conv", "out_channels": 3, "kernel_size": 3}, {"type": "relu"},
        {"type": "maxpool", "kernel_size": 2}, {"type": "flatten"},
        {"type": "dense", "out_features": "classes"}]}  # fmt: skip
    ds = FakeDataset((1, 12, 12), n_train=96, n_test=24, classes=4)
    hp = Hyperparameters(lr=0.02, momentum=0.9, batch_size=16, epochs=2)
    straight = Trainer.create(spec, ds, hp)
    straight.run(max_steps=9)
    first = Trainer.create(spec, ds, hp)
    first.run(max_steps=5)
    v2, v1 = tmp_path / "v2.cnnviz.npz", tmp_path / "v1.cnnviz.npz"
    save_model(v2, first.state())
    _rewrite(v2, v1, _as_version_1)
    with np.load(v1) as npz:
        assert json.loads(npz["meta"].tobytes())["version"] == 1
        assert "velocity/C1.weight" in npz.files
    state = load_model(v1)
    assert state.optimizer is None and state.buffers == {} and state.noise == {}
    resumed = Trainer.from_state(state, ds)
    assert resumed.optimizer.kind == "sgd"
    resumed.run(max_steps=4)
    assert_same(everything(straight), everything(resumed))


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda m: m.update(noise={"F3.dropout": {"bit_generator": "nope"}}),
         "noise state of F3.dropout is not valid"),
        (lambda m: m.update(noise={"C1": {}}), "noise state for 'C1', which is not a dropout"),
        (lambda m: m["noise"]["F3.dropout"]["state"].update(state=10**400), "noise state: "),
        (lambda m: m["noise"]["F3.dropout"].update(state=[1]), "noise state: "),
        (lambda m: m["optimizer"].update(kind="lion"), "unknown optimizer 'lion'"),
        (lambda m: m["optimizer"].update(betas=[0.9, 2.0]), "optimizer: optimiser beta2"),
        (lambda m: m["optimizer"].update(momentum=0.9), "optimizer: optimiser adam"),
        (lambda m: m["optimizer"].update(amsgrad=True), "optimiser state .*max_exp_avg_sq is "
         "missing"),
        (lambda m: m.update(optimizer_step=-1), "optimizer_step must be an integer"),
        (lambda m: m.update(version=1), "'optimizer' is not part of format version 1"),
    ],
)  # fmt: skip
def test_bad_version_2_metadata_is_refused(tmp_path, edit, message):
    tr = make("adam")
    tr.run(max_steps=2)
    good, bad = tmp_path / "good.cnnviz.npz", tmp_path / "bad.cnnviz.npz"
    save_model(good, tr.state())
    _rewrite(good, bad, edit)
    with pytest.raises(ModelFileError, match=message):
        load_model(bad)


def test_bad_buffers_are_refused(tmp_path):
    tr = make("sgd")
    tr.run(max_steps=2)
    good, bad = tmp_path / "good.cnnviz.npz", tmp_path / "bad.cnnviz.npz"
    save_model(good, tr.state())
    _rewrite(good, bad, drop=["buffers/C1.bn.running_mean"])
    with pytest.raises(ModelFileError, match="buffer C1.bn.running_mean is missing"):
        load_model(bad)
    var = np.full(4, -1.0, np.float32)
    _rewrite(good, bad, add={"buffers/C1.bn.running_var": var})
    with pytest.raises(ModelFileError, match="negative variance"):
        load_model(bad)
    count = np.zeros((), np.float32)
    _rewrite(good, bad, add={"buffers/C1.bn.num_batches_tracked": count})
    with pytest.raises(ModelFileError, match="num_batches_tracked has dtype float32, expected"):
        load_model(bad)


def test_resuming_with_another_optimiser_starts_it_afresh(tmp_path):
    tr = make("adam")
    tr.run(max_steps=3)
    path = tmp_path / "adam.cnnviz.npz"
    save_model(path, tr.state())
    state = load_model(path)
    state.hyperparameters = Hyperparameters.from_dict(
        state.hyperparameters.to_dict() | {"optimizer": "rmsprop", "lr": 1e-3}
    )
    resumed = Trainer.from_state(state, tr.dataset)
    assert resumed.optimizer.kind == "rmsprop" and resumed.optimizer.t == 0
    for k, p in tr.net.state_dict(buffers=True).items():  # the weights went on from the file
        np.testing.assert_array_equal(resumed.net.state_dict(buffers=True)[k], p, err_msg=k)
    resumed.run(max_steps=1)
    assert resumed.optimizer.t == 1 and resumed.step == 4


def test_changing_the_optimiser_mid_run_starts_it_afresh():
    tr = make("sgd")
    tr.run(max_steps=2)
    tr.set_hyperparameters(optimizer="rmsprop", lr=1e-3)
    assert tr.optimizer.kind == "rmsprop" and tr.optimizer.t == 0
    tr.run(max_steps=2)
    assert tr.optimizer.t == 2
    tr.reinitialize()
    assert tr.optimizer.t == 0
    assert not any(np.any(a) for a in tr.optimizer.state_dict().values() if np.ndim(a))


def test_evaluation_runs_in_evaluation_mode_and_keeps_the_mode():
    tr = make("adam")
    tr.run(max_steps=3)
    stats = {k: b.copy() for k, b in tr.net.named_buffers()}
    r1 = tr.evaluate()
    r2 = tr.evaluate()
    assert tr.net.training
    assert r1.accuracy == r2.accuracy and r1.loss == r2.loss  # no dropout, running statistics
    for k, b in tr.net.named_buffers():
        np.testing.assert_array_equal(b, stats[k], err_msg=k)


def test_the_steppable_step_works_with_the_new_layers():
    tr = make("adamw", weight_decay=0.01)
    kinds = []
    while True:
        phase = tr.step_phase()
        kinds.append(phase.kind)
        if phase.kind == "update":
            break
    assert kinds[0] == "forward" and kinds[-1] == "update" and "backward" in kinds
    assert tr.step == 1
    assert tr.net.layers[8].keep_mask is not None  # dropout drew a mask in training mode
    ratio = tr.metrics.layer["C1"]["update_ratio"].values()
    assert ratio.shape == (1,) and 0 < ratio[0] < 1


def test_the_training_process_commands_accept_the_new_hyperparameters():
    from cnnviz.live import commands

    hp = Hyperparameters(optimizer="adamw", beta1=0.8, beta2=0.99, eps=1e-6, alpha=0.9)
    assert commands.hyperparameters(hp) is hp
    change = {"optimizer": "rmsprop", "alpha": 0.95, "eps": 1e-7, "beta1": 0.85}
    assert commands.changes(change) == change
    tr = make("sgd")
    tr.set_hyperparameters(**change)
    assert (tr.optimizer.kind, tr.hp.alpha) == ("rmsprop", 0.95)
    tr.run(max_steps=1)
    assert (tr.optimizer.alpha, tr.optimizer.eps) == (0.95, 1e-7)  # applied from the next step
