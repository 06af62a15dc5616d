"""Hostile input: every file an attacker (or an accident) can hand cnnviz is refused with one
line, before it costs memory or time, and nothing outside the test's folder is changed.

The files are generated here (none is stored). The cases that used to exhaust memory or hang
run in one child process (``python -c`` calling :func:`cnnviz.cli.main` per case) under an
address-space cap of 2 GiB (``resource.setrlimit(RLIMIT_AS)``) and a time-out, so a defence
that regresses fails the test instead of taking the machine down; each case reports its exit
code, stderr and seconds. The rest run in-process.

(Over 600 lines on purpose: one file holds the whole catalogue of hostile inputs, class by
class, so a new defence and its attack are found in one place.)
"""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from test_trainer import FakeDataset

from cnnviz import cli
from cnnviz.app.presets import PresetError, load_preset
from cnnviz.training import modelfile
from cnnviz.training.architectures import ArchitectureError, build_network, load_architecture
from cnnviz.training.bounds import MAX_LAYERS, layer_names
from cnnviz.training.modelfile import ModelFileError, load_model, save_model
from cnnviz.training.trainer import Hyperparameters, Trainer

ROOT = Path(__file__).resolve().parent.parent
AS_LIMIT = 2 << 30  # bytes of address space for the child process
CASE_SECONDS = 5.0  # a refusal takes milliseconds; the old behaviour took 16 s to forever


# ---------------------------------------------------------------------------------- files
def npy(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, array, allow_pickle=False)
    return buf.getvalue()


def model_file(path: Path, architecture: dict, num_classes: int = 10, **changes) -> Path:
    """A model file holding only metadata (no weights): whatever it declares must be refused
    before the weights are even looked for."""
    meta = {
        "format": "cnnviz-model",
        "version": 1,
        "architecture": architecture,
        "input_shape": [1, 28, 28],
        "num_classes": num_classes,
        "dtype": "float32",
        "dataset": "synthetic-digits",
        "normalization": {"mean": [0.1], "std": [0.3]},
        "class_names": [str(i) for i in range(num_classes)],
        "hyperparameters": {},
        "step": 0,
        "epoch": 0,
        "sample_in_epoch": 0,
        "params": [],
    } | changes
    data = np.frombuffer(json.dumps(meta).encode(), np.uint8)
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("meta.npy", npy(data))
    return path


def relus(n: int) -> dict:
    return {"layers": [{"type": "flatten"}, {"type": "dense", "out_features": "classes"}]
            + [{"type": "relu"}] * n}  # fmt: skip


def conv_net(**conv) -> dict:
    return {
        "input_shape": [1, 28, 28],
        "layers": [
            {"type": "conv", "out_channels": 6, "kernel_size": 5} | conv,
            {"type": "flatten"},
            {"type": "dense", "out_features": "classes"},
        ],
    }


def write_json(path: Path, value) -> Path:
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, tuple]:
    """Every entry under ``folder`` with its kind, size and modification time."""
    out = {}
    for p in sorted(folder.rglob("*")):
        st = p.lstat()
        out[str(p.relative_to(folder))] = (stat.S_IFMT(st.st_mode), st.st_size, st.st_mtime_ns)
    return out


def dev_null_is_intact() -> bool:
    return stat.S_ISCHR(os.stat("/dev/null").st_mode)


# ---------------------------------------------------------------------------------- the child
RUNNER = textwrap.dedent(
    """
    import contextlib, io, json, resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
    from cnnviz import cli
    results = {{}}
    for name, argv in json.loads(sys.stdin.read()).items():
        err = io.StringIO()
        t0 = time.perf_counter()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            try:
                code = cli.main(argv)
            except BaseException as exc:  # the test reports it
                code = repr(exc)
        results[name] = [code, err.getvalue(), time.perf_counter() - t0]
    print(json.dumps(results))
    """
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hostile")


@pytest.fixture(scope="module")
def risky(folder) -> dict[str, list]:
    """Run every risky case in one capped child process; ``{case: [code, stderr, seconds]}``."""
    d = folder
    os.mkfifo(d / "fifo.toml")
    os.mkfifo(d / "fifo.cnnviz.npz")
    cases = {
        "20k relus in a model file": ["info", model_file(d / "relu.cnnviz.npz", relus(20_000))],
        "342k classes": [
            "info",
            model_file(
                d / "classes.cnnviz.npz",
                {"layers": [{"type": "flatten"}, {"type": "dense", "out_features": "classes"}]},
                num_classes=342_000,
            ),
        ],
        "padding 3000 in a model file": [
            "info",
            model_file(d / "pad.cnnviz.npz", conv_net(padding=3000)),
        ],
        "info /dev/zero": ["info", "/dev/zero"],
        "info of a FIFO": ["info", d / "fifo.cnnviz.npz"],
        "--arch /dev/zero": ["gradcheck", "--arch", "/dev/zero"],
        "--arch a FIFO": ["gradcheck", "--arch", d / "fifo.toml"],
        "--arch 20k layers": ["gradcheck", "--arch", write_json(d / "l.json", relus(20_000))],
        "--arch out_channels 1e6": [
            "gradcheck",
            "--arch",
            write_json(d / "c6.json", conv_net(out_channels=10**6)),
        ],
        "--arch out_channels 1e9": [
            "gradcheck",
            "--arch",
            write_json(d / "c9.json", conv_net(out_channels=10**9)),
        ],
        "--arch padding 1e5": [
            "gradcheck",
            "--arch",
            write_json(d / "p5.json", conv_net(padding=10**5)),
        ],
        "--arch padding 3000": [
            "gradcheck",
            "--arch",
            write_json(d / "p3.json", conv_net(padding=3000)),
        ],
        "--arch dense 1e9": [
            "gradcheck",
            "--arch",
            write_json(
                d / "d9.json",
                {
                    "input_shape": [1, 28, 28],
                    "layers": [{"type": "flatten"}, {"type": "dense", "out_features": 10**9}],
                },
            ),  # fmt: skip
        ],
        "--arch 10^5-deep JSON": ["gradcheck", "--arch", _deep_json(d / "deep.json")],
        "--arch 10^5-deep TOML": ["gradcheck", "--arch", _deep_toml(d / "deep.toml")],
    }
    argv = {k: [str(a) for a in v] for k, v in cases.items()}
    env = os.environ | {"PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1", "HOME": str(d),
                        "OMP_NUM_THREADS": "1", "CNNVIZ_DATA_DIR": str(d)}  # fmt: skip
    before = snapshot(d)
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER.format(limit=AS_LIMIT)],
        input=json.dumps(argv),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=d,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert snapshot(d) == before  # nothing written, no FIFO replaced
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _deep_json(path: Path) -> Path:
    path.write_text('{"layers": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    return path


def _deep_toml(path: Path) -> Path:
    path.write_text("layers = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    return path


RISKY = {
    "20k relus in a model file": r"20,002 layers, more than the 1,000 allowed",
    "342k classes": r"layer F1 \(dense, #2\): the network would have 268,470,000 parameters, "
    r"more than the 100,000,000 allowed",
    "padding 3000 in a model file": r"layer C1 \(conv, #1\): the activations of one image would "
    r"reach [\d,]+ values, more than the 67,108,864 allowed",
    "info /dev/zero": r"/dev/zero: it is a device, not a regular file",
    "info of a FIFO": r"fifo.cnnviz.npz: it is a FIFO \(named pipe\), not a regular file",
    "--arch /dev/zero": r"cannot read architecture file /dev/zero: it is a device",
    "--arch a FIFO": r"fifo.toml: it is a FIFO",
    "--arch 20k layers": r"l.json: has 20,002 layers, more than the 1,000 allowed",
    "--arch out_channels 1e6": r"c6.json: layer 1 \(conv\): out_channels must lie "
    r"in \[1, 65,536\], got 1,000,000",
    "--arch out_channels 1e9": r"c9.json: .*out_channels must lie in \[1, 65,536\]",
    "--arch padding 1e5": r"p5.json: .*padding must lie in \[0, 65,536\], got 100,000",
    "--arch padding 3000": r"architecture file \S+p3.json: layer C1 \(conv, #1\): the "
    r"activations of one image would reach 1,124,946,640 values",
    "--arch dense 1e9": r"d9.json: .*out_features must be \"classes\" or a whole number",
    "--arch 10^5-deep JSON": r"deep.json is nested 100,?001 levels deep; the format needs at "
    r"most 6",
    "--arch 10^5-deep TOML": r"deep.toml is nested 100,?000 levels deep",
}


@pytest.mark.parametrize("case", list(RISKY))
def test_risky_input_is_refused_in_one_line_within_bounds(risky, case):
    import re

    code, err, seconds = risky[case]
    assert code == 1, (code, err)
    assert err.count("\n") == 1 and err.startswith("cnnviz: error: "), err
    assert re.search(RISKY[case], err), err
    assert seconds < CASE_SECONDS, seconds
    assert dev_null_is_intact()


def test_the_console_script_refuses_dev_zero_under_a_memory_cap(tmp_path):
    """The real entry point, as a user runs it, in a process of its own."""
    proc = subprocess.run(
        [sys.executable, "-m", "cnnviz.cli", "info", "/dev/zero"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=os.environ | {"PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1"},
        preexec_fn=lambda: __import__("resource").setrlimit(
            __import__("resource").RLIMIT_AS, (AS_LIMIT, AS_LIMIT)
        ),
    )
    assert proc.returncode == 1
    assert proc.stderr == "cnnviz: error: /dev/zero: it is a device, not a regular file\n"
    assert dev_null_is_intact() and not list(tmp_path.iterdir())


# ---------------------------------------------------------------------------------- in-process
def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("cnnviz: error: "), err
    return err


def test_names_are_built_in_linear_time_and_checked_with_a_set():
    layers = [{"type": "conv"}] + [{"type": "relu"}] * (MAX_LAYERS - 1)
    names = layer_names(layers)
    assert names[:4] == ["C1", "C1.relu", "C1.relu2", "C1.relu3"]
    assert max(map(len, names)) < 20  # no name grows with the ones before it
    with pytest.raises(ArchitectureError, match=r"layer 3 \(relu\): the name 'C1' is used twice"):
        layer_names([{"type": "conv"}, {"type": "relu"}, {"type": "relu", "name": "C1"}])


@pytest.mark.parametrize(
    "layer, pattern",
    [
        ({"type": ["conv"]}, r"layer 1: unknown type a list"),
        ({"type": "lppool", "kernel_size": 2, "p": [1]}, r"p must be a number, got a list"),
        ({"type": "leaky_relu", "negative_slope": {}}, r"negative_slope must be a number, got a"),
        ({"type": "lppool", "kernel_size": 2, "p": float("nan")}, r"p must be a finite number"),
        ({"type": "leaky_relu", "negative_slope": float("nan")}, r"negative_slope must be a fin"),
        ({"type": "conv", "out_channels": 0, "kernel_size": 3}, r"out_channels must lie in \[1,"),
        ({"type": "conv", "out_channels": True, "kernel_size": 3}, r"whole number, got true/fal"),
        ({"type": "conv", "out_channels": 4, "kernel_size": 3, "bias": "false"},
         r"bias must be true or false, got text"),
        ({"type": "conv", "out_channels": 4, "kernel_size": 3.0}, r"kernel_size must be a whole"),
        ({"type": "dense", "out_features": 0}, r"out_features must be \"classes\" or a whole"),
        ({"type": "relu", "slope": 1}, r"unknown key 'slope'"),
        ({"type": "maxpol", "kernel_size": 2}, r"unknown type 'maxpol' \(did you mean 'maxpool'"),
    ],
)  # fmt: skip
def test_values_of_the_wrong_kind_or_range_are_refused(layer, pattern):
    top = [{"type": "flatten"}, {"type": "dense", "out_features": "classes"}]
    spec = {"input_shape": [1, 8, 8], "layers": [layer, *top]}
    with pytest.raises(ArchitectureError, match=pattern):
        build_network(spec)


def test_shape_errors_found_when_training_name_the_file(tmp_path, capsys, fake_data):
    big = write_json(tmp_path / "big.json", conv_net(out_channels=20_000))
    code, _, err = run(capsys, "train", "--arch", big)
    assert code == 1
    expected = f"architecture file {big}: layer F2 (dense, #3): the network would have 115,720,010"
    assert expected in one_line(err)


def test_architecture_files_name_the_file_and_the_key(tmp_path, capsys):
    typo = tmp_path / "typo.toml"
    typo.write_text('layer = []\n[[layers]]\ntype = "relu"\n', encoding="utf-8")
    code, _, err = run(capsys, "gradcheck", "--arch", typo)
    assert code == 1 and "typo.toml: unknown key 'layer' (did you mean 'layers'?)" in one_line(err)
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b'name = "caf\xe9"\n')
    code, _, err = run(capsys, "gradcheck", "--arch", latin)
    assert code == 1 and f"architecture file {latin} is not UTF-8 text" in one_line(err)
    nan = write_json(tmp_path / "nan.json", {"layers": []})
    nan.write_text('{"layers": [{"type": "leaky_relu", "negative_slope": NaN}]}')
    code, _, err = run(capsys, "gradcheck", "--arch", nan)
    assert code == 1 and "nan.json is not valid JSON: NaN is not a number" in one_line(err)


def test_model_files_are_checked_against_their_headers_before_reading(tmp_path):
    """A file declaring a big network but holding no weights: refused by the headers, in
    the time it takes to read the metadata."""
    arch = {"layers": [{"type": "flatten"}, {"type": "dense", "out_features": 20_000},
                       {"type": "dense", "out_features": "classes"}]}  # fmt: skip
    path = model_file(tmp_path / "m.cnnviz.npz", arch)
    with pytest.raises(ModelFileError, match=r"weight F1\.weight is missing"):
        load_model(path)


def test_the_metadata_nesting_is_checked_before_parsing(tmp_path):
    path = model_file(tmp_path / "deep.cnnviz.npz", {"layers": []})
    import zipfile

    text = '{"format": "cnnviz-model", "x": ' + "[" * 50_000 + "]" * 50_000 + "}"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("meta.npy", npy(np.frombuffer(text.encode(), np.uint8)))
    with pytest.raises(ModelFileError, match=r"metadata is nested 50,?001 levels deep"):
        load_model(path)


# ---------------------------------------------------------------------------------- presets
@pytest.mark.parametrize(
    "content, pattern",
    [
        (b'{"batch_size": 1000000000000000000000000000000}', r"batch_size must lie in \[1, 1024\]"),
        (b'{"lr": 1e400}', r"not valid JSON|lr must lie"),
        (b'{"lr": NaN}', r"not valid JSON: NaN is not a number"),
        (b'{"stage": true}', r"stage must be a whole number, got True"),
        (b'{"architecure": "lenet5"}', r"unknown field 'architecure' \(did you mean 'architect"),
        (b'{"panels": [[[["Sample"]]]]}', r"nested 5 levels deep; the format needs at most 2"),
        (b'{"model": "a\\u0000b"}', r"model must be text of at most"),
        (b"{\"tab\": \"caf\xe9\"}", r"is not UTF-8 text"),
        (b"[" * 100_000 + b"]" * 100_000, r"nested 100,?000 levels deep"),
    ],
)  # fmt: skip
def test_hostile_presets_are_one_line_errors(tmp_path, content, pattern):
    path = tmp_path / "p.json"
    path.write_bytes(content)
    with pytest.raises(PresetError, match=pattern) as info:
        load_preset(path)
    assert "\n" not in str(info.value) and str(path) in str(info.value)


def test_special_files_are_refused_as_presets(tmp_path):
    os.mkfifo(tmp_path / "p.json")
    with pytest.raises(PresetError, match="it is a FIFO"):
        load_preset(tmp_path / "p.json")
    with pytest.raises(PresetError, match="/dev/zero: it is a device"):
        load_preset("/dev/zero")
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (2 << 20) + b"{}")
    with pytest.raises(PresetError, match="more than the 1 MiB allowed"):
        load_preset(big)
    assert dev_null_is_intact()


def test_a_preset_naming_a_device_as_its_model_is_refused_on_loading():
    with pytest.raises(ModelFileError, match="/dev/zero: it is a device"):
        load_model("/dev/zero")
    with pytest.raises(ModelFileError, match="/dev/null: it is a device"):
        load_model("/dev/null")
    assert dev_null_is_intact()


# ---------------------------------------------------------------------------------- writing
def small_trainer(**hp) -> Trainer:
    ds = FakeDataset((1, 28, 28), n_train=32, n_test=8)
    defaults = dict(lr=0.01, momentum=0.9, batch_size=8, epochs=1)
    return Trainer.create(load_architecture("tiny"), ds, Hyperparameters(**(defaults | hp)))


@pytest.fixture
def fake_data(monkeypatch):
    """``train`` on a small fake dataset, so these tests need no real one."""
    import cnnviz.datasets as datasets

    made = {}

    def load(name, **kwargs):
        made.setdefault(name, FakeDataset((1, 28, 28), n_train=32, n_test=8))
        return made[name]

    monkeypatch.setattr(datasets, "load_dataset", load)
    return made


def test_save_never_replaces_a_fifo_or_a_device(tmp_path):
    fifo = tmp_path / "out.cnnviz.npz"
    os.mkfifo(fifo)
    state = small_trainer().state()
    with pytest.raises(ModelFileError, match="will not save .*not a regular file"):
        save_model(fifo, state)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.cnnviz.npz"]  # no temp file


def test_train_refuses_a_fifo_as_out_before_training(tmp_path, capsys, fake_data, monkeypatch):
    fifo = tmp_path / "out.cnnviz.npz"
    os.mkfifo(fifo)
    monkeypatch.setattr(Trainer, "create", lambda *a, **k: pytest.fail("trained anyway"))
    code, _, err = run(capsys, "train", "--out", fifo)
    assert code == 1 and "will not write --out" in one_line(err) and "a FIFO" in err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and dev_null_is_intact()


def test_an_unwritable_out_folder_is_found_before_training(tmp_path, capsys, fake_data,
                                                           monkeypatch):  # fmt: skip
    """(Simulated: as root every folder is writable.) The probe file cannot be created."""
    import cnnviz.safeio as safeio

    real_open = os.open

    def refusing_open(path, flags, *args):
        if ".probe." in str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(safeio.os, "open", refusing_open)
    monkeypatch.setattr(Trainer, "create", lambda *a, **k: pytest.fail("trained anyway"))
    code, _, err = run(capsys, "train", "--out", tmp_path / "m.cnnviz.npz")
    assert code == 1 and "is not writable (Permission denied)" in one_line(err)


def test_stale_temporary_files_are_removed_at_the_next_save(tmp_path):
    old = tmp_path / ".m.cnnviz.npz.0123abcd.tmp"
    fresh = tmp_path / ".m.cnnviz.npz.89abcdef.tmp"
    other = tmp_path / ".notes.0123abcd.txt"
    for p in (old, fresh, other):
        p.write_bytes(b"x")
    two_days_ago = time.time() - 2 * 86400
    os.utime(old, (two_days_ago, two_days_ago))
    os.utime(other, (two_days_ago, two_days_ago))
    save_model(tmp_path / "m.cnnviz.npz", small_trainer().state())
    assert not old.exists() and fresh.exists() and other.exists()


# ---------------------------------------------------------------------------------- divergence
@pytest.mark.parametrize("lr", ["1e6", "10"])
def test_divergence_saves_the_last_good_state(tmp_path, capsys, fake_data, lr):
    """--lr 1e6 overflows at once; --lr 10 (LeNet-5) only grows the loss past the bound."""
    out = tmp_path / "m.cnnviz.npz"
    code, _, err = run(capsys, "train", "--arch", "lenet5", "--lr", lr, "--momentum", "0.9",
                       "--epochs", "50", "--out", out)  # fmt: skip
    assert code == 1, err
    line = one_line(err.splitlines()[-1] + "\n")
    assert (
        "training diverged at step" in line and f"saved the state before that step to {out}" in line
    )
    state = load_model(out)  # the promise holds: a file, and finite
    step = int(line.split("step ")[1].split(":")[0])
    assert state.step == step - 1
    assert np.isfinite(state.metrics.loss.values()).all()


def test_the_loss_bound_follows_the_first_epoch():
    trainer = small_trainer()
    assert trainer.loss_bound() == 1e6  # nothing known yet
    trainer.run(max_steps=4)  # the first epoch: 32 images in batches of 8
    median = float(np.median(trainer.metrics.loss.values()))
    assert trainer.loss_bound() == max(100.0, 100 * median)


# ---------------------------------------------------------------------------------- output
def test_json_is_valid_without_test_images(tmp_path, capsys, monkeypatch):
    import cnnviz.datasets as datasets

    ds = FakeDataset((1, 28, 28), n_train=32, n_test=0)
    monkeypatch.setattr(datasets, "load_dataset", lambda name, **k: ds)
    code, out, err = run(capsys, "train", "--arch", "tiny", "--epochs", "1", "--json")
    assert code == 0
    summary = json.loads(out.strip().splitlines()[-1])  # strict JSON: NaN would not parse here
    assert summary["test_accuracy"] is None and summary["test_loss"] is None
    assert "no test images" in err


def test_names_from_a_file_are_shown_escaped(tmp_path, capsys):
    trainer = small_trainer()
    state = trainer.state()
    evil = "\x1b]0;owned\x07\x1b[2J"
    state.class_names = (evil,) + state.class_names[1:]
    state.architecture = dict(state.architecture, name="net\x1b[2J", description="\x9b31m")
    path = tmp_path / "e.cnnviz.npz"
    save_model(path, state)
    code, out, _ = run(capsys, "info", path)
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert "\\x1b]0;owned\\x07\\x1b[2J" in out and "net\\x1b[2J" in out


def test_a_batch_larger_than_the_training_set_is_refused(capsys, fake_data):
    code, _, err = run(capsys, "train", "--arch", "tiny", "--batch-size", "1000000")
    assert code == 1
    assert "batch size 1,000,000 is larger than the 32 training images" in one_line(err)


# ---------------------------------------------------------------------------------- smaller
def test_a_resume_point_beyond_the_training_set_is_refused(tmp_path):
    state = small_trainer().state()
    state.sample_in_epoch = 10**6
    path = tmp_path / "m.cnnviz.npz"
    save_model(path, state)
    with pytest.raises(Exception, match=r"1,000,000 samples into epoch 1, but fake has 32"):
        Trainer.from_state(load_model(path), FakeDataset((1, 28, 28), n_train=32, n_test=8))


def test_a_negative_seed_is_a_hyperparameter_error(tmp_path):
    with pytest.raises(ValueError, match=r"seed must lie in \[0"):
        Hyperparameters(seed=-1).validate()
    path = model_file(tmp_path / "s.cnnviz.npz", relus(0), hyperparameters={"seed": -1})
    with pytest.raises(ModelFileError, match=r"hyperparameters: seed must lie in"):
        load_model(path)


def test_non_finite_metrics_are_refused(tmp_path):
    trainer = small_trainer()
    trainer.run(max_steps=2)
    state = trainer.state()
    state.metrics.loss._data[0] = np.inf
    path = tmp_path / "m.cnnviz.npz"
    with pytest.raises(ModelFileError, match="metrics loss holds NaN or infinite values"):
        save_model(path, state)  # refused on reading back: never written
    assert not path.exists()


def test_modelfile_caps_are_documented():
    text = (ROOT / "docs" / "model-format.md").read_text(encoding="utf-8")
    assert f"at most {modelfile.MAX_FILE_BYTES // 2**20:,} MiB" in text


def test_the_nesting_scan_skips_strings_and_comments():
    from cnnviz.safeio import nesting_depth

    assert nesting_depth('{"a": "[[[[", "b": [[1]]}') == 3
    assert nesting_depth(r'{"a": "\"[[["}') == 1
    assert nesting_depth('a = "[[[" # [[[[\nb = [[1]]\n', toml=True) == 2
    assert nesting_depth('a = """x\n[[[[\n"""\nb = \'[[[\'\n', toml=True) == 0
    assert nesting_depth("a = '''x\n[[[[\n'''\nb = [1]\n", toml=True) == 1
    assert nesting_depth('a = """x\\"""[[[[\n"""\n', toml=True) == 0


def test_a_loss_past_the_bound_stops_the_step_before_its_update():
    """Phase by phase, as the app steps: the parameters stay those before the step."""
    from cnnviz.training.trainer import DivergenceError

    trainer = small_trainer(lr=1.0, momentum=0.0)
    trainer.run(max_steps=4)  # the first epoch sets the bound
    before = {k: v.copy() for k, v in trainer.net.state_dict().items()}
    trainer._loss_bound = 1e-3  # any loss now exceeds it
    with pytest.raises(DivergenceError, match=r"step 5: the loss .* exceeds 0.001, this run"):
        for _ in range(100):
            trainer.step_phase()
    assert trainer.current is None and trainer.step == 4
    for k, v in trainer.net.state_dict().items():
        np.testing.assert_array_equal(v, before[k])


@pytest.mark.parametrize(
    "changes, pattern",
    [
        ({"batch_size": 10**400}, r"batch size must lie in \[1, 1,048,576\]"),
        ({"lr": 10**400}, r"hyperparameter lr is out of range"),
        ({"epochs": 2.5}, r"epochs must be a whole number"),
        ({"momentum": float("nan")}, r"momentum must lie in \[0, 1\)"),
        ({"seed": True}, r"seed must be a number"),
    ],
)
def test_hyperparameters_out_of_range_are_refused(changes, pattern):
    with pytest.raises(ValueError, match=pattern):
        Hyperparameters.from_dict(changes)
