"""Model files: round trips, refusal of damaged or hostile files, atomic saving, and the
PyTorch snippet of docs/model-format.md."""

from __future__ import annotations

import io
import json
import pickle
import re
import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest
from helpers import FakeDataset

from cnnviz.training import modelfile
from cnnviz.training.architectures import PRESETS, load_architecture
from cnnviz.training.modelfile import ModelFileError, load_model, save_model
from cnnviz.training.trainer import Hyperparameters, Trainer

DOCS = Path(__file__).resolve().parent.parent / "docs" / "model-format.md"


def trained(arch="tiny", steps=3, **hp):
    spec = load_architecture(arch)
    ds = FakeDataset(tuple(spec["input_shape"]), n_train=48, n_test=16)
    defaults = dict(lr=0.01, momentum=0.9, batch_size=16, epochs=2, stats_every=2)
    trainer = Trainer.create(spec, ds, Hyperparameters(**(defaults | hp)))
    trainer.run(max_steps=steps)
    return trainer


@pytest.fixture(scope="module")
def good_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("model") / "tiny.cnnviz.npz"
    save_model(path, trained(steps=4).state())  # 3 steps per epoch: one evaluation included
    return path


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def write_zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def npy(array: np.ndarray, allow_pickle: bool = False) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, array, allow_pickle=allow_pickle)
    return buf.getvalue()


def meta_of(path: Path) -> dict:
    return json.loads(np.load(path, allow_pickle=False)["meta"].tobytes().decode())


def with_meta(path: Path, out: Path, **changes) -> Path:
    meta = meta_of(path) | changes
    entries = members(path)
    entries["meta.npy"] = npy(np.frombuffer(json.dumps(meta).encode(), np.uint8))
    return write_zip(out, entries)


def with_array(path: Path, out: Path, key: str, array: np.ndarray | None) -> Path:
    entries = members(path)
    if array is None:
        del entries[f"{key}.npy"]
    else:
        entries[f"{key}.npy"] = npy(array)
    return write_zip(out, entries)


def refused(path: Path, *patterns: str) -> str:
    with pytest.raises(ModelFileError) as info:
        load_model(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: "), message
    for p in patterns:
        assert re.search(p, message), message
    return message


# ---------------------------------------------------------------------------------- round trips
@pytest.mark.parametrize("arch", list(PRESETS))
def test_every_preset_round_trips(tmp_path, arch):
    trainer = trained(arch, steps=4, schedule="cosine", weight_decay=1e-4)
    state = trainer.state()
    path = tmp_path / f"{arch}.cnnviz.npz"
    save_model(path, state)
    loaded = load_model(path)
    assert loaded.architecture == state.architecture
    assert loaded.input_shape == state.input_shape and loaded.num_classes == state.num_classes
    assert loaded.dtype == "float32" and loaded.dataset == "fake"
    assert loaded.normalization == state.normalization
    assert loaded.class_names == state.class_names
    assert loaded.hyperparameters == state.hyperparameters
    assert (loaded.step, loaded.epoch, loaded.sample_in_epoch) == (4, 1, 16)
    assert list(loaded.params) == list(state.params)
    for k in state.params:
        np.testing.assert_array_equal(loaded.params[k], state.params[k], err_msg=k)
        assert loaded.params[k].dtype == np.float32
        np.testing.assert_array_equal(loaded.velocity[k], state.velocity[k], err_msg=k)
    original, back = state.metrics.to_arrays(), loaded.metrics.to_arrays()
    assert original.keys() == back.keys()
    for k in original:
        np.testing.assert_array_equal(back[k], original[k], err_msg=k)
    assert len(loaded.metrics.test_accuracy) == 1
    # and it continues: the rebuilt trainer has the same parameters
    again = Trainer.from_state(loaded, trainer.dataset)
    for k, p in again.net.state_dict().items():
        np.testing.assert_array_equal(p, state.params[k])


def test_float64_and_timeline_round_trip(tmp_path):
    spec = load_architecture("simple")
    trainer = Trainer.create(spec, FakeDataset(n_train=32), Hyperparameters(), dtype="float64")
    trainer.run(max_steps=1)
    state = trainer.state()
    state.timeline = {
        "steps": np.array([0, 1], np.int64),
        "C1.weight": np.stack([state.params["C1.weight"]] * 2),
    }
    path = tmp_path / "m.cnnviz.npz"
    save_model(path, state)
    loaded = load_model(path)
    assert loaded.dtype == "float64" and loaded.params["C1.weight"].dtype == np.float64
    assert sorted(loaded.timeline) == ["C1.weight", "steps"]
    np.testing.assert_array_equal(loaded.timeline["C1.weight"], state.timeline["C1.weight"])


def test_the_file_is_a_plain_npz(good_file):
    with np.load(good_file, allow_pickle=False) as npz:
        assert "meta" in npz.files and "params/C1.weight" in npz.files
        for key in npz.files:
            assert npz[key].dtype.kind in "biuf", key
    meta = meta_of(good_file)
    assert meta["format"] == "cnnviz-model" and meta["version"] == modelfile.FORMAT_VERSION


def test_saving_a_state_with_an_object_array_is_refused(tmp_path):
    state = trained().state()
    state.timeline = {"bad": np.array([object()], dtype=object)}
    with pytest.raises(ModelFileError, match="not plain numbers"):
        save_model(tmp_path / "x.cnnviz.npz", state)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------- refusals
def test_missing_file(tmp_path):
    refused(tmp_path / "nope.cnnviz.npz", "cannot open")


def test_not_a_zip(tmp_path):
    path = tmp_path / "text.cnnviz.npz"
    path.write_text("hello")
    refused(path, "not a cnnviz model file")


def test_a_plain_npz_is_not_a_model(tmp_path):
    path = tmp_path / "plain.npz"
    np.savez(path, a=np.zeros(3))
    refused(path, "no metadata")


def test_truncated_file(tmp_path, good_file):
    data = good_file.read_bytes()
    for cut in (len(data) // 3, len(data) - 30):
        path = tmp_path / f"cut{cut}.cnnviz.npz"
        path.write_bytes(data[:cut])
        refused(path, "damaged|not a cnnviz model file")


def test_flipped_bytes(tmp_path, good_file):
    data = bytearray(good_file.read_bytes())
    rng = np.random.default_rng(1)
    for trial in range(10):
        damaged = bytearray(data)
        for pos in rng.integers(100, len(data) - 200, size=3):
            damaged[pos] ^= 0xFF
        path = tmp_path / f"flip{trial}.cnnviz.npz"
        path.write_bytes(bytes(damaged))
        with pytest.raises(ModelFileError):
            load_model(path)


def test_wrong_weight_shape(tmp_path, good_file):
    path = with_array(
        good_file, tmp_path / "s.cnnviz.npz", "params/C1.weight", np.zeros((4, 1, 3, 3), np.float32)
    )
    refused(path, r"weight C1\.weight has shape \(4, 1, 3, 3\), expected \(4, 1, 5, 5\)")


def test_wrong_velocity_shape(tmp_path, good_file):
    path = with_array(
        good_file, tmp_path / "v.cnnviz.npz", "velocity/F5.bias", np.zeros(3, np.float32)
    )
    refused(path, r"optimiser state F5\.bias has shape")


def test_wrong_weight_dtype(tmp_path, good_file):
    path = with_array(
        good_file, tmp_path / "d.cnnviz.npz", "params/C1.bias", np.zeros(4, np.float64)
    )
    refused(path, r"C1\.bias has dtype float64, expected float32")


def test_non_finite_weights(tmp_path, good_file):
    bias = np.zeros(4, np.float32)
    bias[2] = np.nan
    path = with_array(good_file, tmp_path / "n.cnnviz.npz", "params/C1.bias", bias)
    refused(path, "NaN or infinite")


def test_missing_weight(tmp_path, good_file):
    path = with_array(good_file, tmp_path / "m.cnnviz.npz", "params/F5.weight", None)
    refused(path, r"weight F5\.weight is missing")


def test_missing_velocity(tmp_path, good_file):
    path = with_array(good_file, tmp_path / "m.cnnviz.npz", "velocity/C3.weight", None)
    refused(path, r"optimiser state C3\.weight is missing")


def test_unexpected_array(tmp_path, good_file):
    path = with_array(good_file, tmp_path / "u.cnnviz.npz", "extra", np.zeros(2))
    refused(path, "unexpected array 'extra'")
    path = with_array(
        good_file, tmp_path / "p.cnnviz.npz", "params/X9.weight", np.zeros(2, np.float32)
    )
    refused(path, r"unexpected weight X9\.weight")


@pytest.mark.parametrize(
    "key",
    ["architecture", "input_shape", "num_classes", "dtype", "dataset", "normalization",
     "class_names", "hyperparameters", "step", "epoch", "sample_in_epoch", "params"],
)  # fmt: skip
def test_missing_metadata_field(tmp_path, good_file, key):
    meta = meta_of(good_file)
    del meta[key]
    entries = members(good_file)
    entries["meta.npy"] = npy(np.frombuffer(json.dumps(meta).encode(), np.uint8))
    path = write_zip(tmp_path / "k.cnnviz.npz", entries)
    refused(path, f"lacks '{key}'")


@pytest.mark.parametrize(
    ("changes", "pattern"),
    [
        ({"version": 3}, "newer cnnviz .*format version 3"),
        ({"version": 0}, "unknown format version 0"),
        ({"version": "1"}, "unknown format version"),
        ({"format": "something-else"}, "not a cnnviz model file"),
        ({"step": -1}, "step must be ≥ 0"),
        ({"epoch": 1.5}, "'epoch' must be an integer"),
        ({"sample_in_epoch": True}, "'sample_in_epoch' must be an integer"),
        ({"num_classes": "10"}, "'num_classes' must be an integer"),
        ({"num_classes": 7}, "class names for 7 classes"),
        ({"dtype": "float16"}, "dtype must be float32 or float64"),
        ({"input_shape": [1, 28]}, "input_shape must be"),
        ({"input_shape": [1, 32, 32]}, "architecture|weight"),
        ({"class_names": [1] * 10}, "class_names must be a list of strings"),
        ({"dataset": ""}, "dataset name is empty"),
        ({"normalization": {"mean": [0.5]}}, "normalization must be"),
        ({"normalization": {"mean": [0.5], "std": [0.0]}}, "normalization must be"),
        ({"normalization": {"mean": [0.5, 0.5], "std": [1, 1]}}, "normalization has 2 channels"),
        ({"hyperparameters": {"lr": -1}}, "hyperparameters: learning rate"),
        ({"hyperparameters": {"lr": "big"}}, "hyperparameter lr has the wrong type"),
        ({"hyperparameters": {"batch_size": 6.5}}, "hyperparameter batch_size has the wrong type"),
        ({"hyperparameters": {"rm_rf": 1}}, "unknown hyperparameter 'rm_rf'"),
        ({"params": ["C1.weight"]}, "parameter list does not match"),
        ({"architecture": []}, "'architecture' must be an object"),
        ({"architecture": {"layers": []}}, "'layers' must be a non-empty list"),
        ({"architecture": {"layers": [{"type": "exec"}]}}, "unknown type 'exec'"),
        (
            {"architecture": {"layers": [{"type": "conv", "out_channels": 4, "kernel_size": 3},
                                         {"type": "flatten"},
                                         {"type": "dense", "out_features": "classes"}]}},
            "parameter list does not match|weight",
        ),
        (
            {"architecture": {"layers": [{"type": "flatten"},
                                         {"type": "dense", "out_features": 10**9},
                                         {"type": "dense", "out_features": "classes"}]}},
            r"layer 2 \(dense\): out_features must be .*16,777,216\], got 1000000000",
        ),
        (
            {"architecture": {"layers": [{"type": "flatten"},
                                         {"type": "dense", "out_features": 10**6},
                                         {"type": "dense", "out_features": "classes"}]}},
            r"layer F1 \(dense, #2\): .* parameters, more than the 100,000,000 allowed",
        ),
        (
            {"architecture": {"layers": [{"type": "conv", "out_channels": 4, "kernel_size": 99},
                                         {"type": "flatten"},
                                         {"type": "dense", "out_features": "classes"}]}},
            "architecture: .*kernel",
        ),
    ],
)  # fmt: skip
def test_bad_metadata(tmp_path, good_file, changes, pattern):
    path = with_meta(good_file, tmp_path / "meta.cnnviz.npz", **changes)
    refused(path, pattern)


def test_messages_are_one_printable_line(tmp_path, good_file):
    arch = load_architecture("tiny")
    arch["layers"][0]["name"] = "C1\x1b[2J\nrm -rf ~" + "x" * 5000
    message = refused(with_meta(good_file, tmp_path / "e.cnnviz.npz", architecture=arch))
    assert message.isprintable() and len(message) < 400


def test_wrong_architecture_for_the_weights(tmp_path, good_file):
    arch = load_architecture("tiny")
    arch["layers"][0]["kernel_size"] = 3  # C1 3×3: the flatten size changes too
    arch["layers"][3]["kernel_size"] = 3
    path = with_meta(good_file, tmp_path / "a.cnnviz.npz", architecture=arch)
    refused(path, r"weight C1\.weight has shape \(4, 1, 5, 5\), expected \(4, 1, 3, 3\)")


@pytest.mark.parametrize(
    "text",
    [b"{not json", b"\xff\xfe", b"[1, 2]", b'{"format": "cnnviz-model", "version": NaN}',
     b"[" * 100000 + b"]" * 100000],
)  # fmt: skip
def test_bad_json(tmp_path, good_file, text):
    entries = members(good_file)
    entries["meta.npy"] = npy(np.frombuffer(text, np.uint8))
    refused(write_zip(tmp_path / "j.cnnviz.npz", entries), "metadata|not a cnnviz model file")


def test_metadata_of_the_wrong_dtype(tmp_path, good_file):
    entries = members(good_file)
    entries["meta.npy"] = npy(np.zeros(3, np.float32))
    refused(write_zip(tmp_path / "j.cnnviz.npz", entries), "metadata must be a 1-D uint8")


def test_bad_metrics(tmp_path, good_file):
    refused(
        with_array(good_file, tmp_path / "a.cnnviz.npz", "metrics/loss", np.zeros(2)),
        "metrics step, loss, train_accuracy have different lengths",
    )
    refused(
        with_array(good_file, tmp_path / "b.cnnviz.npz", "metrics/loss", np.zeros(4, np.float32)),
        "metrics loss must be a 1-D float64 array",
    )
    refused(
        with_array(good_file, tmp_path / "c.cnnviz.npz", "metrics/layer/C1/grad_norm", np.zeros(9)),
        "metrics layer/C1/grad_norm has 9 entries",
    )
    refused(
        with_array(good_file, tmp_path / "d.cnnviz.npz", "metrics/layer/Z9/grad_norm", np.zeros(3)),
        "unknown metrics series 'layer/Z9/grad_norm'",
    )
    refused(
        with_array(good_file, tmp_path / "e.cnnviz.npz", "metrics/wisdom", np.zeros(3)),
        "unknown metrics series 'wisdom'",
    )


class _Payload:
    """Unpickling this creates the file ``marker``: proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_pickled_object_array_runs_no_code(tmp_path, good_file):
    probe = tmp_path / "probe"
    payload = np.array([_Payload(probe)], dtype=object)
    pickle.loads(pickle.dumps(payload))  # the payload is live: unpickling it touches the probe
    assert probe.exists()

    marker = tmp_path / "pwned"
    payload = np.array([_Payload(marker)], dtype=object)
    for key in ("params/C1.weight", "meta", "timeline/evil", "metrics/loss"):
        entries = members(good_file)
        entries[f"{key}.npy"] = npy(payload, allow_pickle=True)
        path = write_zip(tmp_path / "evil.cnnviz.npz", entries)
        refused(path, "dtype object; only plain numeric arrays")
        assert not marker.exists()


def test_a_structured_dtype_is_refused(tmp_path, good_file):
    arr = np.zeros(3, dtype=[("a", "f4"), ("b", "i4")])
    path = with_array(good_file, tmp_path / "s.cnnviz.npz", "timeline/s", arr)
    refused(path, "only plain numeric arrays")


def _set_uncompressed_size(data: bytes, member: str, size: int) -> bytes:
    """Edit the central directory so ``member`` claims to unpack to ``size`` bytes."""
    out = bytearray(data)
    pos = out.find(b"PK\x01\x02")
    while pos >= 0:
        name_len = struct.unpack_from("<H", out, pos + 28)[0]
        name = bytes(out[pos + 46 : pos + 46 + name_len]).decode()
        if name == member:
            struct.pack_into("<I", out, pos + 24, size)
            return bytes(out)
        pos = out.find(b"PK\x01\x02", pos + 4)
    raise AssertionError(member)


def test_zip_bomb_is_refused_before_reading(tmp_path, good_file, monkeypatch):
    data = _set_uncompressed_size(good_file.read_bytes(), "params/C1.weight.npy", 0xFFFF_FFF0)
    path = tmp_path / "bomb.cnnviz.npz"
    path.write_bytes(data)
    opened = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(
        zipfile.ZipFile, "open", lambda self, *a, **k: opened.append(a) or real_open(self, *a, **k)
    )
    refused(path, "unpacks to 4096 MiB, more than the 1024 MiB")
    assert opened == []  # refused from the zip directory alone


def test_an_array_header_claiming_a_huge_shape_is_refused(tmp_path, good_file):
    # a small member whose .npy header claims 10¹² elements: numpy would allocate them first
    body = npy(np.zeros(4, np.float32)).replace(b"(4,)", b"(1000000000000,)")
    entries = members(good_file)
    entries["timeline/huge.npy"] = body
    refused(
        write_zip(tmp_path / "h.cnnviz.npz", entries), "timeline/huge is truncated or malformed"
    )


def test_duplicate_and_odd_members(tmp_path, good_file):
    entries = members(good_file)
    path = tmp_path / "dup.cnnviz.npz"
    with zipfile.ZipFile(path, "w") as zf, pytest.warns(UserWarning, match="Duplicate"):
        for name, data in entries.items():
            zf.writestr(name, data)
        zf.writestr("params/C1.bias.npy", entries["params/C1.bias.npy"])
    refused(path, "appears twice")
    entries["run.sh"] = b"rm -rf /"
    refused(write_zip(tmp_path / "odd.cnnviz.npz", entries), "unexpected member 'run.sh'")


def test_a_failed_load_leaves_the_current_state_alone(tmp_path, good_file):
    trainer = trained(steps=2)
    before = {k: p.copy() for k, p in trainer.net.state_dict().items()}
    velocity = {k: v.copy() for k, v in trainer.optimizer.velocity.items()}
    path = with_array(
        good_file, tmp_path / "bad.cnnviz.npz", "velocity/C1.bias", np.zeros(9, np.float32)
    )
    original = path.read_bytes()
    with pytest.raises(ModelFileError):
        trainer_state = load_model(path)
        trainer = Trainer.from_state(trainer_state, trainer.dataset)
    for k, p in trainer.net.state_dict().items():
        np.testing.assert_array_equal(p, before[k])
        np.testing.assert_array_equal(trainer.optimizer.velocity[k], velocity[k])
    assert trainer.step == 2
    assert path.read_bytes() == original


# ---------------------------------------------------------------------------------- saving
def test_atomic_save_keeps_the_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "model.cnnviz.npz"
    save_model(path, trained(steps=1).state())
    previous = path.read_bytes()

    def crash(f, arrays):
        f.write(b"PK\x03\x04 half a zip")
        raise RuntimeError("power cut")

    monkeypatch.setattr(modelfile, "_write_arrays", crash)
    with pytest.raises(RuntimeError, match="power cut"):
        save_model(path, trained(steps=3).state())
    assert path.read_bytes() == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.cnnviz.npz"]
    assert load_model(path).step == 1


def test_save_errors_become_model_file_errors(tmp_path, monkeypatch):
    path = tmp_path / "model.cnnviz.npz"

    def full(f, arrays):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(modelfile, "_write_arrays", full)
    with pytest.raises(ModelFileError, match="cannot save .*No space left"):
        save_model(path, trained(steps=1).state())
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ModelFileError, match="cannot save"):
        save_model(tmp_path / "no" / "such" / "folder.cnnviz.npz", trained(steps=1).state())


def test_a_state_that_would_not_load_back_is_not_saved(tmp_path):
    path = tmp_path / "model.cnnviz.npz"
    save_model(path, trained(steps=1).state())
    previous = path.read_bytes()
    state = trained(steps=2).state()
    state.params = dict(state.params)
    state.params["C1.bias"] = np.full(4, np.inf, np.float32)
    with pytest.raises(ModelFileError, match=r"cannot save .*not valid .*C1\.bias .*infinite"):
        save_model(path, state)
    assert path.read_bytes() == previous
    assert [p.name for p in tmp_path.iterdir()] == ["model.cnnviz.npz"]


def test_save_replaces_an_existing_file(tmp_path):
    path = tmp_path / "model.cnnviz.npz"
    save_model(path, trained(steps=1).state())
    save_model(path, trained(steps=2).state())
    assert load_model(path).step == 2
    assert [p.name for p in tmp_path.iterdir()] == ["model.cnnviz.npz"]


# ---------------------------------------------------------------------------------- PyTorch
def _torch_snippet() -> str:
    text = DOCS.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    snippets = [b for b in blocks if "torch" in b]
    assert snippets, "docs/model-format.md has no PyTorch snippet"
    return snippets[0]


@pytest.mark.torch
def test_the_pytorch_snippet_in_the_docs_runs(tmp_path, torch, monkeypatch, capsys):
    trainer = trained("lenet5", steps=2)
    save_model(tmp_path / "lenet5.cnnviz.npz", trainer.state())
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "snippet"}
    exec(compile(_torch_snippet(), str(DOCS), "exec"), namespace)
    assert "predicted classes:" in capsys.readouterr().out
    x = trainer.dataset.batch("test", np.arange(8))
    with torch.no_grad():
        theirs = namespace["model"](torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(theirs, trainer.net.infer(x), rtol=1e-4, atol=1e-5)
