"""``cnnviz train``, ``eval`` and ``info`` in-process: a quick run end to end, resuming, Ctrl-C,
and every error path as one line on stderr with a non-zero exit."""

from __future__ import annotations

import io
import json
import signal
import warnings
import zipfile
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from cnnviz import cli
from cnnviz.training.modelfile import load_model
from cnnviz.training.trainer import Trainer


@pytest.fixture(autouse=True)
def cached_datasets(monkeypatch):
    """Generate each built-in dataset once per session (the CLI loads it on every call)."""
    import cnnviz.datasets as datasets

    real = datasets.load_dataset
    cache = _CACHE

    def load(name, **kwargs):
        if kwargs.get("data_dir") is not None:
            return real(name, **kwargs)
        if name not in cache:
            cache[name] = real(name, **kwargs)
        return cache[name]

    monkeypatch.setattr(datasets, "load_dataset", load)


_CACHE: dict = {}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def last_json(out: str) -> dict:
    return json.loads(out.strip().splitlines()[-1])


QUICK = ("--arch", "tiny", "--dataset", "synthetic-digits", "--limit-train", "512")
# momentum and a cosine schedule over 2 epochs: resuming must restore all of it exactly
RUN = (*QUICK, "--epochs", "2", "--lr", "0.02", "--momentum", "0.9", "--schedule", "cosine")


@dataclass
class Trained:
    path: Path
    code: int
    out: str
    err: str


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Trained:
    """One quick run (2 epochs of 8 steps) shared by the tests that read its file."""
    path = tmp_path_factory.mktemp("cli") / "tiny.cnnviz.npz"
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(["train", *RUN, "--json", "--out", str(path)])
    return Trained(path, code, out.getvalue(), err.getvalue())


def test_train_eval_info(trained, capsys):
    assert trained.code == 0, trained.err
    summary = last_json(trained.out)
    assert 0.0 <= summary["test_accuracy"] <= 1.0
    assert summary["epochs"] == 2 and summary["steps"] == 16
    for key in ("train_loss", "seconds", "images_per_s"):
        assert summary[key] > 0, key
    assert "epoch 1/2" in trained.err and "epoch 2/2" in trained.err and "test acc" in trained.err
    state = load_model(trained.path)
    assert (state.step, state.epoch, state.dataset) == (16, 2, "synthetic-digits")
    assert state.hyperparameters.schedule == "cosine" and state.hyperparameters.lr == 0.02
    assert state.metrics.test_accuracy.last() == pytest.approx(summary["test_accuracy"])

    code, out, err = run(capsys, "eval", trained.path, "--json")
    assert code == 0, err
    assert last_json(out)["test_accuracy"] == pytest.approx(summary["test_accuracy"])

    code, out, err = run(capsys, "eval", trained.path)
    assert code == 0, err
    assert "test accuracy on synthetic-digits" in out and "recall" in out
    assert "after 2 epochs (16 steps)" in out
    assert len(out.splitlines()) >= 14  # the header and one row per class

    code, out, err = run(capsys, "info", trained.path)
    assert code == 0, err
    for text in ("C1", "conv 4@5×5", "2,410", "step 16", "epoch 2", "lr 0.02", "cosine",
                 "synthetic-digits", "mean 0.", "last test accuracy"):  # fmt: skip
        assert text in out, text
    # the optimiser's rate: the cosine schedule's last, to 4 figures, not 17 digits
    optimiser = next(line for line in out.splitlines() if line.strip().startswith("optimiser"))
    rate = optimiser.split("lr ")[1].split(",")[0]
    assert rate == f"{float(rate):.4g}", optimiser

    code, out, err = run(capsys, "info", trained.path, "--json")
    info = last_json(out)
    assert info["num_params"] == 2410 and info["step"] == 16


def _interrupt_at(monkeypatch, step: int):
    """Ctrl-C right after training step ``step`` (as if the user pressed it then)."""
    real_step = Trainer.step_batch

    def step_then_interrupt(self):
        info = real_step(self)
        if self.step == step:
            signal.raise_signal(signal.SIGINT)
        return info

    monkeypatch.setattr(Trainer, "step_batch", step_then_interrupt)
    return real_step


def test_ctrl_c_then_resume_equals_an_uninterrupted_run(tmp_path, capsys, monkeypatch, trained):
    half, rest = tmp_path / "half.cnnviz.npz", tmp_path / "rest.cnnviz.npz"
    handler = signal.getsignal(signal.SIGINT)  # SIG_IGN in a job started in the background
    real_step = _interrupt_at(monkeypatch, 5)  # mid-epoch
    code, out, err = run(capsys, "train", *RUN, "--out", half, "--json")
    assert code == 130
    assert "interrupted at step 5" in err and f"--resume {half}" in err
    assert out == ""
    assert load_model(half).step == 5
    assert signal.getsignal(signal.SIGINT) is handler  # the handler it found is back
    monkeypatch.setattr(Trainer, "step_batch", real_step)

    code, out, err = run(capsys, "train", "--resume", half, "--limit-train", "512", "--out", rest,
                         "--json")  # fmt: skip
    assert code == 0, err
    assert "from epoch 1, step 5" in err
    assert last_json(out)["steps_this_run"] == 11
    a, b = load_model(trained.path), load_model(rest)
    assert b.hyperparameters == a.hyperparameters
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k], err_msg=k)
        np.testing.assert_array_equal(a.velocity[k], b.velocity[k], err_msg=k)
    np.testing.assert_array_equal(a.metrics.loss.values(), b.metrics.loss.values())


def test_resume_overrides_flags_given(tmp_path, capsys, trained):
    more = tmp_path / "more.cnnviz.npz"
    code, out, err = run(capsys, "train", "--resume", trained.path, "--limit-train", "512",
                         "--epochs", "3", "--lr", "0.01", "--out", more, "--json")  # fmt: skip
    assert code == 0, err
    state = load_model(more)
    assert (state.epoch, state.step) == (3, 24)
    assert state.hyperparameters.lr == 0.01 and state.hyperparameters.schedule == "cosine"
    code, out, err = run(capsys, "train", "--resume", trained.path, "--limit-train", "512")
    assert code == 0 and "already trained for 2 epochs" in err


def test_ctrl_c_without_out_saves_nothing(tmp_path, capsys, monkeypatch):
    real_step = Trainer.step_batch

    def step_then_interrupt(self):
        info = real_step(self)
        signal.raise_signal(signal.SIGINT)
        return info

    monkeypatch.setattr(Trainer, "step_batch", step_then_interrupt)
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "train", *QUICK, "--epochs", "1")
    assert code == 130 and "interrupted at step 1; nothing saved" in err and out == ""
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("found", [signal.default_int_handler, signal.SIG_IGN])
def test_ctrl_c_puts_back_the_handler_it_found(tmp_path, capsys, monkeypatch, found):
    """In a shell's background job SIGINT starts out ignored: training still stops on it, and
    what was there before is there again afterwards."""
    _interrupt_at(monkeypatch, 1)
    monkeypatch.chdir(tmp_path)
    previous = signal.signal(signal.SIGINT, found)
    try:
        code, _, err = run(capsys, "train", *QUICK, "--epochs", "1")
        assert signal.getsignal(signal.SIGINT) is found
    finally:
        signal.signal(signal.SIGINT, previous)
    assert code == 130 and "interrupted at step 1" in err


def _hostile(path: Path, good: Path, marker: Path) -> Path:
    class Payload:
        def __reduce__(self):
            return (Path.touch, (marker,))

    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.array([Payload()], dtype=object), allow_pickle=True)
    with zipfile.ZipFile(good) as zf:
        entries = {i.filename: zf.read(i) for i in zf.infolist()}
    entries["params/C1.weight.npy"] = buf.getvalue()
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def _error_cases(tmp: Path, good: Path) -> list[tuple[tuple, str]]:
    corrupt = tmp / "corrupt.cnnviz.npz"
    corrupt.write_bytes(good.read_bytes()[:500])
    text = tmp / "notes.txt"
    text.write_text("not a model")
    bad_arch = tmp / "bad.toml"
    bad_arch.write_text('[[layers]]\ntype = "conv"\nout_channels = 4\nkernel_size = 50\n')
    return [
        (("train", "--dataset", "no-such-set"), "unknown dataset 'no-such-set'"),
        (("train", "--arch", "no-such-net"), "unknown architecture 'no-such-net'"),
        (("train", "--arch", tmp / "missing.toml"), "cannot read architecture file"),
        (("train", "--arch", bad_arch, *QUICK[2:]), "kernel 50×50 is larger"),
        (("train", *QUICK, "--momentum", "1.5"), "momentum must lie in"),
        (("train", "--resume", tmp / "missing.npz"), "missing.npz: cannot open"),
        (("train", "--resume", corrupt), "corrupt.cnnviz.npz: not a cnnviz model file"),
        (("train", "--resume", good, "--arch", "tiny"), "--arch cannot be used with --resume"),
        (("train", "--resume", good, "--dataset", "shapes"), "trained on synthetic-digits"),
        (("train", *QUICK, "--out", tmp / "nowhere" / "m.npz"), "does not exist"),
        (("eval", tmp / "missing.npz"), "missing.npz: cannot open"),
        (("eval", corrupt), "not a cnnviz model file"),
        (("eval", text), "notes.txt: not a cnnviz model file"),
        (("eval", good, "--dataset", "edges"), "4 classes"),
        (("info", tmp / "missing.npz"), "cannot open"),
        (("info", corrupt), "not a cnnviz model file"),
    ]


def test_errors_are_one_line_without_traceback(tmp_path, capsys, trained):
    import re

    for argv, pattern in _error_cases(tmp_path, trained.path):
        code, out, err = run(capsys, *argv)
        assert code != 0, argv
        assert "Traceback" not in err, (argv, err)
        lines = err.strip().splitlines()
        assert lines, argv
        assert lines[-1].startswith("cnnviz: error: "), (argv, err)
        assert re.search(pattern, lines[-1]), (argv, lines[-1])
        assert all(line.startswith(("cnnviz: error", "training ")) for line in lines), (argv, err)


def test_divergence_is_one_line_without_warnings(capsys):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code, out, err = run(capsys, "train", *QUICK, "--lr", "1e30", "--epochs", "1")
    assert code == 1
    assert err.strip().splitlines()[-1].startswith("cnnviz: error: training diverged at step")
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]


def test_a_hostile_file_runs_no_code(tmp_path, capsys, trained):
    marker = tmp_path / "pwned"
    evil = _hostile(tmp_path / "evil.cnnviz.npz", trained.path, marker)
    for command in ("eval", "info"):
        code, out, err = run(capsys, command, evil)
        assert code == 1 and "dtype object" in err and "Traceback" not in err
    code, out, err = run(capsys, "train", "--resume", evil)
    assert code == 1
    assert not marker.exists()


@pytest.mark.parametrize(
    "argv",
    [
        ("train", "--epochs", "0"),
        ("train", "--epochs", "many"),
        ("train", "--lr", "nan"),
        ("train", "--batch-size", "-3"),
        ("train", "--schedule", "linear"),
        ("train", "--seed", "-1"),
        ("train", "--frobnicate"),
        ("eval",),
        ("info",),
    ],
)
def test_bad_flags(capsys, argv):
    with pytest.raises(SystemExit) as info:
        cli.main(list(argv))
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith("cnnviz: error:")


def test_counts_are_singular_for_one():
    from cnnviz.commands import count

    assert count(1, "epoch") == "1 epoch"
    assert (count(0, "epoch"), count(2, "epoch")) == ("0 epochs", "2 epochs")
    assert count(1200, "step") == "1,200 steps"
