"""``cnnviz train``'s optimiser and initialisation flags (cnnviz/commands/train.py), the
defaults of a new run, and the new presets trained on a built-in dataset."""

from __future__ import annotations

import json

import numpy as np
import pytest
from test_cli_train import cached_datasets, last_json, run  # noqa: F401

from cnnviz import cli
from cnnviz.training.modelfile import load_model

QUICK = ("--dataset", "synthetic-digits", "--limit-train", "128", "--epochs", "1", "--json")


def test_a_new_run_defaults_to_sgd_with_a_cosine_schedule(capsys):
    code, out, err = run(capsys, "train", "--arch", "tiny", *QUICK)
    assert code == 0, err
    hp = last_json(out)["hyperparameters"]
    got = (hp["optimizer"], hp["lr"], hp["momentum"], hp["weight_decay"], hp["schedule"])
    assert got == ("sgd", 0.02, 0.9, 5e-4, "cosine")


@pytest.mark.parametrize(
    ("flags", "expect"),
    [
        (("--optimizer", "adam"), {"optimizer": "adam", "lr": 1e-3, "weight_decay": 0.0}),
        (("--optimizer", "adamw"), {"optimizer": "adamw", "weight_decay": 0.01}),
        (("--optimizer", "adamw", "--weight-decay", "0.01", "--betas", "0.8,0.99"),
         {"optimizer": "adamw", "weight_decay": 0.01, "beta1": 0.8, "beta2": 0.99}),
        (("--optimizer", "rmsprop", "--alpha", "0.9", "--eps", "1e-6", "--lr", "0.001"),
         {"optimizer": "rmsprop", "alpha": 0.9, "eps": 1e-6, "lr": 0.001}),
        (("--optimizer", "adagrad"), {"optimizer": "adagrad", "lr": 0.01}),
        (("--optimizer", "nesterov", "--momentum", "0.8"), {"optimizer": "nesterov",
                                                             "momentum": 0.8}),
    ],
)  # fmt: skip
def test_optimiser_flags(capsys, tmp_path, flags, expect):
    out_file = tmp_path / "m.cnnviz.npz"
    code, out, err = run(capsys, "train", "--arch", "tiny", *QUICK, *flags, "--out", out_file)
    assert code == 0, err
    hp = last_json(out)["hyperparameters"]
    assert {k: hp[k] for k in expect} == expect
    state = load_model(out_file)
    kind = "sgd" if expect["optimizer"] == "nesterov" else expect["optimizer"]
    assert state.optimizer["kind"] == kind
    if kind == "rmsprop":
        assert state.optimizer["alpha"] == 0.9 and state.optimizer["eps"] == 1e-6
    code, out, err = run(capsys, "info", out_file, "--json")
    assert code == 0 and json.loads(out)["optimizer"]["kind"] == kind


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (("--optimizer", "lion"), "invalid choice: 'lion'"),
        (("--betas", "0.9"), "expected two numbers B1,B2"),
        (("--betas", "0.9,1.5"), "beta2 must lie in"),
        (("--eps", "0"), "eps must lie in"),
        (("--init", "uniform"), "unknown init 'uniform'"),
        (("--init", "he:0.1"), "only normal takes a std"),
        (("--init", "normal:-1"), "init std must be a positive number"),
        (("--optimizer", "nesterov", "--momentum", "0"), "Nesterov needs momentum"),
    ],
)
def test_bad_flags_are_one_line(capsys, flags, message):
    try:
        code = cli.main(["train", "--arch", "tiny", *QUICK, *flags])
    except SystemExit as exc:  # argparse refuses the flag itself
        code = exc.code
    err = capsys.readouterr().err
    assert code != 0
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) <= 3  # argparse's usage line, then the message


def test_init_sets_every_layer(capsys, tmp_path):
    out_file = tmp_path / "zeros.cnnviz.npz"
    code, out, err = run(capsys, "train", "--arch", "tiny", *QUICK, "--init", "zeros",
                         "--lr", "1e-9", "--out", out_file)  # fmt: skip
    assert code == 0, err
    state = load_model(out_file)
    assert state.architecture["init"] == "zeros"
    assert all(np.abs(state.params[k]).max() < 1e-6 for k in state.params if "weight" in k)
    code, out, err = run(capsys, "train", "--resume", out_file, "--init", "he", "--epochs", "2")
    assert code != 0 and "--init cannot be used with --resume" in err


@pytest.mark.parametrize("preset", ["cifar-small", "cifar-bn"])
def test_cifar_presets_train_on_a_colour_dataset(capsys, tmp_path, preset):
    out_file = tmp_path / f"{preset}.cnnviz.npz"
    code, out, err = run(capsys, "train", "--arch", preset, "--dataset", "shapes",
                         "--limit-train", "64", "--batch-size", "32", "--epochs", "1",
                         "--optimizer", "adam", "--json", "--out", out_file)  # fmt: skip
    assert code == 0, err
    assert last_json(out)["steps"] == 2
    state = load_model(out_file)
    assert state.input_shape == (3, 32, 32)
    assert bool(state.buffers) == (preset == "cifar-bn")


def test_keras_mnist_preset_trains(capsys):
    code, out, err = run(capsys, "train", "--arch", "keras-mnist", *QUICK, "--optimizer", "adam",
                         "--batch-size", "64")  # fmt: skip
    assert code == 0, err
    assert last_json(out)["steps"] == 2
