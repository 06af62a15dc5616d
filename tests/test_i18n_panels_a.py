"""The Sample dock, the Timeline tab and the Draw tab in Chinese under zh_CN: with real data in
them (a training step, a recorded timeline, a drawing run through the network) no English word
is left in what they show, and they show Chinese; "Resume from here" says, in both languages,
that only the last steps undo keeps can be resumed from."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from helpers import small_trainer, wait_for  # noqa: E402
from PySide6.QtCore import QPointF  # noqa: E402
from test_i18n import CJK, english_words, visible_texts, zh_app  # noqa: E402, F401
from test_timeline import recorded  # noqa: E402

from cnnviz.live.undo import UNDO_STEPS  # noqa: E402

TIMEOUT = 30_000
DIGITS = tuple("0123")


def english_left(widget) -> list[tuple[str, str, list[str]]]:
    return [(where, t, english_words(t)) for where, t in visible_texts(widget) if english_words(t)]


def assert_chinese(widget, at_least: int = 4) -> list[tuple[str, str]]:
    texts = visible_texts(widget)
    assert len(texts) >= at_least, texts
    assert english_left(widget) == []
    assert sum(bool(CJK.search(t)) for _, t in texts) >= at_least // 2, texts
    return texts


def draw_a_stroke(canvas) -> None:
    """A vertical stroke through the middle of the pad, as the mouse would draw it."""
    sq = canvas.pad.square()
    x = sq.center().x()
    canvas.pad.begin_stroke(QPointF(x, sq.top() + 0.2 * sq.height()))
    for k in range(1, 11):
        canvas.pad.extend_stroke(QPointF(x, sq.top() + (0.2 + 0.06 * k) * sq.height()))
    canvas.pad.end_stroke()


# ---------------------------------------------------------------------- each panel alone
def test_timeline_view_alone_in_chinese(zh_app, qtbot):  # noqa: F811
    from cnnviz.app.panels.timeline import TimelineView

    tr, tl = recorded()
    tr.dataset.class_names = DIGITS  # the test dataset's are "class 0", …
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(1100, 620)
    view.show()
    assert_chinese(view)  # empty: the placeholders too
    image = tr.dataset.batch("test", np.array([0]))[0]
    label = int(tr.dataset.test_labels[0])
    view.set_requester(lambda i: view.show_frame(tl.render_at(tr, i, image, label)))
    view.set_frame_count(len(tl), tl.steps())
    assert view.frame is not None and view.frame.label == label
    for kind in range(view.kind_combo.count()):  # f(u), u and δ: each title in Chinese
        view.kind_combo.setCurrentIndex(kind)
        texts = assert_chinese(view)
        assert any("特征图" in t for _, t in texts)
    texts = dict((t, w) for w, t in visible_texts(view))
    assert "▶  播放" in texts and "从这里继续" in texts
    assert any(t.startswith("第 ") and "步" in t for t in texts)  # the step label
    assert any("卷积核" in t and "×" in t for t in texts)  # "C1 的卷积核 — 6 × 1 个 5×5 …"
    assert any(t.startswith("标签 <b>") for t in texts)  # the sample's label and prediction
    view.play_button.setChecked(True)
    assert view.play_button.text() == "❚❚  暂停"
    view.stop()


def test_sample_panel_alone_in_chinese(zh_app, qtbot):  # noqa: F811
    from cnnviz.app.panels.sample import SamplePanel
    from cnnviz.live.session import Session

    panel = SamplePanel()
    qtbot.addWidget(panel)
    panel.resize(400, 700)
    panel.show()
    panel.clear()
    assert_chinese(panel)
    trainer = small_trainer()
    trainer.dataset.class_names = DIGITS  # the test dataset's are "class 0", …
    session = Session(trainer)
    session.trainer.step_batch()
    snap = session.snapshot_now()
    panel.render(snap)
    texts = [t for _, t in assert_chinese(panel)]
    assert any(t.startswith("来自<b>训练批</b>：") for t in texts)
    assert any(t.startswith("标签 <b>") and "预测" in t for t in texts)
    assert any(t.startswith("批损失 ") and "第 1 步" in t for t in texts)
    assert panel.sample_spin.suffix() == f" / {snap.batch_size}"
    session.probe("test", 7)
    panel.render(session.snapshot_now())
    texts = [t for _, t in assert_chinese(panel)]
    assert "来自<b>测试集</b>：测试样本 #7" in texts


def test_draw_canvas_alone_in_chinese(zh_app, qtbot):  # noqa: F811
    from cnnviz.app.panels.draw import DrawCanvas

    canvas = DrawCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(900, 600)
    canvas.show()
    texts = [t for _, t in assert_chinese(canvas)]
    assert "网络看到的样子（28×28）" in texts and canvas.label_combo.itemText(0) == "预测的类别"
    draw_a_stroke(canvas)
    with qtbot.waitSignal(canvas.imageReady, timeout=5000):
        canvas.send()
    assert canvas.preview.image() is not None
    assert_chinese(canvas)


# ---------------------------------------------------------------------- in the real window
def test_main_window_panels_in_chinese(zh_app, make_window, qtbot):  # noqa: F811
    """Only the Sample dock, the Timeline tab and the Draw tab are walked: the rest of the
    window has tests of its own."""
    w = make_window()
    w.step_batch()
    wait_for(qtbot, w, lambda s: s.step == 1 and s.probabilities is not None)
    w.draw_whole(w.snapshot)
    texts = [t for _, t in assert_chinese(w.sample_panel)]
    assert any("训练批" in t for t in texts) and any("轮次" in t for t in texts)

    w.show_tab(w.timeline_view)
    tl = w.timeline_view
    qtbot.waitUntil(lambda: tl.frame is not None and tl.frame.step == 1, timeout=TIMEOUT)
    texts = [t for _, t in assert_chinese(tl)]
    assert any(t.startswith("轮次 1 · 损失") for t in texts)

    w.show_tab(w.canvas)
    canvas = w.canvas
    draw_a_stroke(canvas)
    canvas.send()
    wait_for(qtbot, w, lambda s: s.sample_source == "drawn" and s.probabilities is not None)
    w.draw_whole(w.snapshot)
    qtbot.waitUntil(lambda: canvas.prediction_label.text() != "", timeout=TIMEOUT)
    assert canvas.prediction_label.text().startswith("网络预测为 ")
    assert_chinese(canvas)
    texts = [t for _, t in assert_chinese(w.sample_panel)]
    assert "<b>手写输入</b>" in texts


# ---------------------------------------------------------------------- Resume's limit
def resume_view(qtbot):
    from cnnviz.app.panels.timeline import TimelineView

    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(1100, 620)
    view.show()
    steps = list(range(0, 201, 10))  # recorded every 10 steps, training at step 200
    view.set_frame_count(len(steps), steps)
    view.set_resumable(set(range(200 - UNDO_STEPS, 200)), current=200)  # what undo keeps
    return view, steps


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_resume_is_disabled_on_a_step_too_old_and_says_why(qtbot, request, language):
    if language == "zh_CN":
        request.getfixturevalue("zh_app")
    view, steps = resume_view(qtbot)
    note, button = view.resume_note, view.resume_button
    if language == "en":
        limit, current = f"Resume works for the last {UNDO_STEPS} steps only", "training is at"
        oldest = f"the oldest that can be resumed from now is step {200 - UNDO_STEPS}"
    else:
        limit, current = f"只能从最近 {UNDO_STEPS} 步继续", "训练当前所在的步"
        oldest = f"现在能继续的最早一步是第 {200 - UNDO_STEPS} 步"

    view.slider.setValue(steps.index(200))  # the step training is at: nothing to resume
    assert not button.isEnabled() and not note.isVisible()
    assert current in button.toolTip()
    view.slider.setValue(steps.index(200 - UNDO_STEPS))  # the oldest step undo keeps
    assert button.isEnabled() and not note.isVisible()
    view.slider.setValue(steps.index(200 - UNDO_STEPS - 10))  # one entry older
    assert not button.isEnabled() and note.isVisible()
    assert note.text() == limit
    assert button.toolTip().startswith(limit) and oldest in button.toolTip()
    assert note.toolTip() == button.toolTip()
    view.set_resumable(set(), current=200)  # nothing kept (after a reset): still says why
    assert not button.isEnabled() and note.isVisible() and button.toolTip().startswith(limit)
    view.slider.setValue(steps.index(190))
    view.set_resumable({190}, current=200)
    assert button.isEnabled() and not note.isVisible()
