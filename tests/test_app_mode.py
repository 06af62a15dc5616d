"""The inspector says whether batch norm and dropout run in training or evaluation mode."""

from helpers import wait_for

from cnnviz.app.panels.inspector_parts import mode_caption, network_mode


def test_the_mode_is_named_only_where_it_matters():
    assert mode_caption("C1 conv 6@28×28 + relu", "batch") == ""
    bn = mode_caption("C1 conv 32@32×32 + bn + relu", "batch")
    assert bn.startswith("training mode") and "this batch's statistics" in bn
    ev = mode_caption("F7 dense 64 + relu + dropout", "test")
    assert ev.startswith("evaluation mode") and "dropout off" in ev
    both = mode_caption("F7 dense 64 + bn + relu + dropout", "drawn")
    assert "running statistics" in both and "dropout off" in both
    assert network_mode(["input 1@28×28", "C1 conv 6@28×28 + relu"], "batch") == ""
    assert network_mode(["C1 conv 32@32×32 + bn + relu"], "test").startswith("evaluation")


def test_the_inspector_shows_training_mode_for_a_batch_norm_stage(make_window, qtbot):
    w = make_window(arch="cifar-bn", dataset="shapes")
    w.step_batch()
    wait_for(qtbot, w, lambda s: s.step >= 1)
    w.show_tab(w.inspector)
    w.select_stage(1)  # C1 conv + bn + relu
    wait_for(qtbot, w, lambda s: s.inspector is not None and s.inspector.stage.index == 1)
    w.draw_whole(w.snapshot)
    assert w.overview.mode_label.text().startswith("training mode")
    assert w.inspector.mode.isVisibleTo(w.inspector)
    assert "training mode" in w.inspector.mode.text()
    w.select_stage(2)  # the max-pool: no mode to tell
    wait_for(qtbot, w, lambda s: s.inspector is not None and s.inspector.stage.index == 2)
    w.draw_whole(w.snapshot)
    assert not w.inspector.mode.isVisibleTo(w.inspector)


def test_the_overview_names_no_mode_without_batch_norm_or_dropout(make_window):
    w = make_window(arch="tiny", dataset="synthetic-digits")
    w.draw_whole(w.snapshot)
    assert w.overview.mode_label.text() == ""
