"""The lecture widgets: the rule panel and the convolution explainer, fed real snapshots of a
session stepped phase by phase."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PySide6 import QtCore  # noqa: E402

from cnnviz.app.panels.convexplainer import ConvExplainer, cell_text  # noqa: E402
from cnnviz.app.panels.rules import HINT, RulePanel, displayable  # noqa: E402
from cnnviz.live.session import Session  # noqa: E402
from cnnviz.live.snapshot import ViewRequest  # noqa: E402
from cnnviz.training.trainer import Hyperparameters, Trainer  # noqa: E402


class TinyDataset:
    """Random 28×28 images and labels: enough for a step of LeNet-5."""

    name = "tiny-random"

    def __init__(self, n: int = 32, m: int = 16, seed: int = 0) -> None:
        r = np.random.default_rng(seed)
        self.input_shape = (1, 28, 28)
        self.num_classes = 10
        self.class_names = tuple(str(i) for i in range(10))
        self._x = {
            "train": r.standard_normal((n, 1, 28, 28)).astype(np.float32),
            "test": r.standard_normal((m, 1, 28, 28)).astype(np.float32),
        }
        self.train_labels = r.integers(0, 10, n)
        self.test_labels = r.integers(0, 10, m)

    def batch(self, split, indices):
        return self._x[split][np.asarray(indices)]

    def raw(self, split, index):
        return np.clip(self._x[split][int(index)] * 64 + 128, 0, 255).astype(np.uint8)


@pytest.fixture
def session():
    trainer = Trainer.create("lenet5", TinyDataset(), Hyperparameters(batch_size=8, epochs=1))
    s = Session(trainer)
    s.set_view(ViewRequest(explain=True, stage=1, sample=2))
    return s


# ------------------------------------------------------------------------------- rule panel
def test_rule_panel_hint_then_every_phase(qtbot, session):
    panel = RulePanel()
    qtbot.addWidget(panel)
    panel.resize(900, 700)
    panel.render(session.snapshot_now())
    assert HINT in panel.text() and panel.explanation() is None
    phases = len(session.trainer.net.phases())
    seen = []
    for k in range(phases):
        session.step_phase()
        snap = session.snapshot_now()
        assert snap.explanation is not None, snap.last_phase
        panel.render(snap)
        panel.grab()  # paints without errors
        text = panel.text()
        assert snap.explanation.title in text and "✓ agrees" in text
        assert f"Phase {k + 1} of {phases}" in text and "Source: " in text
        assert "seed" not in text.lower()
        seen.append(snap.explanation.title)
    # the last phase is the update: the step is over, the panel still shows it
    assert snap.phase_position == 0 and "update" in panel.text() and "W before" in panel.text()
    assert seen[0].startswith("Convolution") and any("argmax" in t for t in seen)
    # a whole batch step leaves no phase to explain: the hint again
    session.step_batch()
    panel.render(session.snapshot_now())
    assert HINT in panel.text()


def test_rule_panel_uses_the_selected_position_in_the_inspected_stage(qtbot, session):
    session.set_view(ViewRequest(explain=True, stage=1, sample=0, position=(4, 5, 6)))
    session.step_phase()  # forward C1 (stage 1)
    snap = session.snapshot_now()
    assert snap.explanation.position == (4, 5, 6)
    assert snap.explanation.where.endswith("sample 1")  # 1-based, as every panel names it
    panel = RulePanel(font_size=24)
    qtbot.addWidget(panel)
    panel.render(snap)
    assert "u[4, 5, 6]" in panel.text() and "sample 1 of 8" in panel.text()
    for _ in range(2):  # C1.relu (stage 1 too), then S2: stage 2, its own largest entry
        session.step_phase()
    assert session.snapshot_now().explanation.position != (4, 5, 6)


def test_without_the_request_snapshots_carry_no_explanation(session):
    session.set_view(ViewRequest())
    session.step_phase()
    snap = session.snapshot_now()
    assert snap.explanation is None and snap.conv_layers == []


def test_chinese_section_names_are_dropped_without_a_font():
    text = "Han 2017, “卷积层误差项的传递” (stride S); Zhou 2019 (梯度下降): w = w − μ·∂L/∂w"
    shown = displayable(text)
    assert "Han 2017" in shown and "w = w − μ·∂L/∂w" in shown
    assert shown == text or not any("\u4e00" <= ch <= "\u9fff" for ch in shown)


# ------------------------------------------------------------------------ conv explainer
def test_explainer_sobel_step_play_and_products(qtbot):
    w = ConvExplainer()
    qtbot.addWidget(w)
    w.resize(1100, 700)
    w.show()
    assert w.example().key == "sobel" and w.frame_index() == 0
    assert "= 29" in w.equation_text() and "31·2 + 33·(−1)" in w.equation_text()
    w.step()
    assert w.frame_index() == 1 and "= −192" in w.equation_text()
    w.set_frame(3)
    assert "= −22" in w.equation_text()
    w.step()  # at the end: stays
    assert w.frame_index() == 3 and not w.is_playing()

    w.set_cell_by_cell(True)
    w.restart()
    assert w.revealed() == 0
    for _ in range(6):
        w.step()
    assert w.revealed() == 6 and "running sum after 6 of 9: 62" in w.equation_text()
    w.set_cell_by_cell(False)
    assert w.revealed() is None

    w.set_speed(30)
    w.restart()
    w.play()
    assert w.is_playing()
    qtbot.waitUntil(lambda: not w.is_playing(), timeout=3000)
    assert w.frame_index() == len(w.example().frames) - 1
    w.grab()


def test_explainer_draws_every_example(qtbot):
    w = ConvExplainer()
    qtbot.addWidget(w)
    w.resize(1000, 650)
    for key in w.example_keys():
        w.set_example(key)
        assert w.example().key == key and w.frame_index() == 0
        w.set_frame(len(w.example().frames) // 2)
        w.grab()
        assert w.example().formula.split(" =")[0] in w.equation_text()
    assert w.combo.count() == len(w.example_keys())


def test_explainer_replays_the_live_network(qtbot, session):
    session.step_batch()
    snap = session.snapshot_now()
    w = ConvExplainer()
    qtbot.addWidget(w)
    w.resize(1100, 700)
    w.show()
    w.render(snap)
    assert "live:C1" in w.example_keys() and "live:C3" in w.example_keys()
    w.set_example("live:C3")
    ex = w.example()
    data = next(d for d in snap.conv_layers if d.name == "C3")
    assert len(ex.frames) == data.u[0].size
    np.testing.assert_allclose(ex.output[0], data.u[0], rtol=1e-5, atol=1e-5)
    w.set_frame(37)
    assert "engine" in w.equation_text() and "✓" in w.equation_text()
    w.set_live_map(5)
    np.testing.assert_allclose(w.example().output[0], data.u[5], rtol=1e-5, atol=1e-5)
    assert w.frame_index() == 37 and "u[5, 3, 7]" in w.equation_text()
    w.grab()

    # a click on an output cell jumps to that window
    canvas = w.canvas
    rect, index = canvas._out_rects[12]
    qtbot.mouseClick(canvas, QtCore.Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert w.frame_index() == index == 12

    # a snapshot of another network: the live entries follow, a stale choice falls back
    w.render(type(snap)(**{**snap.__dict__, "conv_layers": []}))
    assert w.example_keys()[-1] == "han-s2-dw" and w.example().key == "sobel"


def test_cell_numbers_are_short():
    assert cell_text(29.0) == "29" and cell_text(-192.0) == "−192"
    assert cell_text(0.0356) == "0.036" and cell_text(-1.234) == "−1.2" and cell_text(0) == "0"
