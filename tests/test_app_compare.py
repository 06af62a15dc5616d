"""File ▸ Compare with…: another saved run's curves, dashed and named; damaged files refused."""

import numpy as np
from helpers import make_trainer

from cnnviz.app import compare
from cnnviz.training.modelfile import save_model


def _saved_run(tmp_path, steps=6):
    trainer = make_trainer("tiny")
    for _ in range(steps):
        trainer.step_batch()
    path = tmp_path / "adam-run.cnnviz.npz"
    save_model(path, trainer.state())
    return path, trainer


def test_another_run_is_overlaid_dashed_and_cleared(make_window, tmp_path):
    path, trainer = _saved_run(tmp_path)
    w = make_window(arch="tiny", dataset="synthetic-digits")
    assert compare.compare_with(w, str(path))
    name, curves = w.plots.comparison
    assert name == "adam-run"
    assert "adam-run" in w.plots.compare_label.text() and w.plots.compare_label.isVisibleTo(w)
    loss_plot, loss_curve = curves[0]
    x, y = loss_curve.getOriginalDataset()
    np.testing.assert_array_equal(x, trainer.metrics.step.values())
    assert y.size == 6 and np.all(np.isfinite(y))
    assert loss_curve.opts["pen"].style() != loss_curve.opts["pen"].style().SolidLine
    assert loss_curve in loss_plot.listDataItems()
    compare.clear(w)
    assert w.plots.comparison is None and loss_curve not in loss_plot.listDataItems()
    assert not w.plots.compare_label.isVisibleTo(w)


def test_a_damaged_file_is_one_line_and_changes_nothing(make_window, tmp_path, monkeypatch):
    path, _ = _saved_run(tmp_path)
    w = make_window(arch="tiny", dataset="synthetic-digits")
    assert compare.compare_with(w, str(path))
    before = w.plots.comparison
    shown = []
    monkeypatch.setattr(w, "show_error", shown.append)
    bad = tmp_path / "bad.cnnviz.npz"
    bad.write_bytes(b"PK\x03\x04 not a model at all" * 10)
    truncated = tmp_path / "cut.cnnviz.npz"
    truncated.write_bytes(path.read_bytes()[:200])
    for hostile in (bad, truncated, tmp_path / "missing.cnnviz.npz"):
        assert not compare.compare_with(w, str(hostile))
    assert len(shown) == 3 and all(m and "\n" not in m for m in shown)
    assert w.plots.comparison is before
