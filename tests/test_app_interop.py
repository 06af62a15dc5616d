"""Your own model in the app: File ▸ Open takes an ONNX model (imported in the training
process, the ONNX file never overwritten by Save), a damaged one is one line with the network
kept, and File ▸ Export model writes ONNX, safetensors and a PyTorch module that hold the
network's weights."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pytestqt")
onnx = pytest.importorskip("onnx")
pytest.importorskip("safetensors")

from helpers import WINDOW_TIMEOUT, state, wait_for  # noqa: E402
from PySide6.QtWidgets import QFileDialog  # noqa: E402

from cnnviz.app.export.model import ExportModelDialog, stem_of  # noqa: E402
from cnnviz.interop.onnx_export import to_onnx  # noqa: E402
from cnnviz.interop.onnx_import import import_onnx  # noqa: E402
from cnnviz.interop.weights import load_safetensors  # noqa: E402
from cnnviz.training.architectures import build_network  # noqa: E402


@pytest.fixture
def no_prompt(monkeypatch):
    monkeypatch.setenv("CNNVIZ_NO_PROMPT", "1")


def onnx_file(tmp_path, seed=5):
    net = build_network("tiny", (1, 28, 28), 10, seed=seed)
    path = tmp_path / "mine.onnx"
    onnx.save(to_onnx(net), path)
    return path, net


def test_open_an_onnx_model_then_save_it_as_a_model_file(
    make_window, qtbot, tmp_path, no_prompt, monkeypatch
):
    w = make_window(arch="tiny")
    path, net = onnx_file(tmp_path)
    original = path.read_bytes()
    generation = w.snapshot.generation
    with qtbot.waitSignal(w.relay.loaded, timeout=WINDOW_TIMEOUT):
        w.files.open_model(str(path))
    wait_for(qtbot, w, lambda s: s.generation != generation)
    weights = state(w)["weights"]
    for k, v in net.state_dict().items():
        assert np.array_equal(weights[k], v), k
    assert w.snapshot.model_path is None  # untitled: Save asks where
    assert str(path) in w.files.recent()  # and Open recent offers it again

    out = tmp_path / "mine.cnnviz.npz"
    asked = []
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (asked.append(a[2]), (str(out), ""))[1]
    )
    with qtbot.waitSignal(w.relay.saved, timeout=WINDOW_TIMEOUT):
        assert w.files.save() is True
    assert asked and out.exists() and path.read_bytes() == original


def test_a_damaged_onnx_file_is_one_line_and_the_network_stays(
    make_window, qtbot, tmp_path, no_prompt
):
    w = make_window(arch="tiny")
    before = state(w)
    bad = tmp_path / "broken.onnx"
    bad.write_bytes(b"\x08\x07garbage that is not protobuf" * 10)
    w.files.open_model(str(bad))
    assert w.last_error and str(bad) in w.last_error and "\n" not in w.last_error
    w.error_box.accept()
    after = state(w)
    assert after["generation"] == before["generation"]
    assert all(np.array_equal(after["weights"][k], v) for k, v in before["weights"].items())


def test_export_model_writes_the_three_formats_with_the_networks_weights(
    make_window, qtbot, tmp_path
):
    w = make_window(arch="tiny")
    weights = state(w)["weights"]
    stem = tmp_path / "out" / "tiny"
    stem.parent.mkdir()
    paths = {"onnx": f"{stem}.onnx", "safetensors": f"{stem}.safetensors", "torch": f"{stem}.py"}
    with qtbot.waitSignal(w.exports.model.exported, timeout=WINDOW_TIMEOUT) as blocker:
        assert w.exports.model.export_model(paths) is True
    assert blocker.args[0] == list(paths.values())
    assert "tiny.onnx" in w.statusBar().currentMessage()
    im = import_onnx(paths["onnx"])
    assert set(im.params) == set(weights)
    assert all(np.array_equal(im.params[k], weights[k]) for k in weights)
    tensors, _ = load_safetensors(paths["safetensors"])
    assert all(np.array_equal(tensors[k], weights[k]) for k in weights)
    source = (stem.parent / "tiny.py").read_text()
    compile(source, "tiny.py", "exec")
    assert "class Net" in source


def test_export_model_to_a_folder_that_is_not_there_is_one_line(make_window, qtbot, tmp_path):
    w = make_window(arch="tiny")
    target = tmp_path / "missing" / "x.onnx"
    with qtbot.waitSignal(w.relay.error, timeout=WINDOW_TIMEOUT):
        w.exports.model.export_model({"onnx": str(target), "safetensors": None, "torch": None})
    qtbot.waitUntil(lambda: bool(w.last_error), timeout=WINDOW_TIMEOUT)
    assert "could not export the model" in w.last_error and str(target) in w.last_error
    assert not target.parent.exists()


def test_the_export_dialog_writes_what_is_ticked(qtbot):
    dialog = ExportModelDialog("/tmp/net")
    qtbot.addWidget(dialog)
    assert dialog.paths() == {
        "onnx": "/tmp/net.onnx", "safetensors": "/tmp/net.safetensors", "torch": "/tmp/net.py",
    }  # fmt: skip
    dialog.boxes["safetensors"].setChecked(False)
    assert dialog.paths()["safetensors"] is None and dialog.ok_button.isEnabled()
    for box in dialog.boxes.values():
        box.setChecked(False)
    assert not dialog.ok_button.isEnabled()
    assert stem_of("/a/b.cnnviz.npz") == "/a/b" and stem_of("/a/b.onnx") == "/a/b"
