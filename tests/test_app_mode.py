"""The inspector says whether batch norm and dropout run in training or evaluation mode."""

from helpers import wait_for
from test_i18n import CJK, zh_app  # noqa: F401

from cnnviz.app.panels.inspector_parts import mode_caption, network_mode
from cnnviz.training.architectures import build_network
from cnnviz.training.stages import stages_of


def _stages(*layers, shape=(1, 8, 8)):
    spec = {"name": "m", "input_shape": list(shape), "layers": list(layers)}
    return stages_of(build_network(spec, num_classes=3))


def test_the_mode_is_named_only_where_it_matters():
    conv = {"type": "conv", "out_channels": 2, "kernel_size": 3}
    relu, bn = {"type": "relu"}, {"type": "batchnorm"}
    dense, dropout = {"type": "dense", "out_features": 3}, {"type": "dropout", "p": 0.5}
    plain = _stages(conv, relu, {"type": "flatten"}, dense)
    assert mode_caption(plain[1], "batch") == "" and network_mode(plain, "batch") == ""
    stages = _stages(conv, bn, relu, {"type": "flatten"}, dense, bn, relu, dropout, dense)
    assert [s.extra_kinds for s in stages] == [(), ("batchnorm",), ("batchnorm", "dropout"), ()]
    assert mode_caption(stages[1], "batch").startswith("training mode")
    assert "this batch's statistics" in mode_caption(stages[1], "batch")
    assert "dropout" not in mode_caption(stages[1], "batch")
    both = mode_caption(stages[2], "drawn")
    assert both.startswith("evaluation mode")
    assert "running statistics" in both and "dropout off" in both
    assert mode_caption(stages[3], "test") == ""
    assert network_mode(stages, "test").startswith("evaluation")
    assert network_mode(stages, "batch").startswith("training")


def test_the_mode_is_named_in_chinese_too(zh_app, make_window, qtbot):  # noqa: F811
    """The stage labels are translated ("批归一化" for "bn"): the mode must not be read off them."""
    w = make_window(arch="cifar-bn", dataset="shapes")
    w.step_batch()
    wait_for(qtbot, w, lambda s: s.step >= 1)
    w.select_stage(1)
    wait_for(qtbot, w, lambda s: s.inspector is not None and s.inspector.stage.index == 1)
    w.draw_whole(w.snapshot)
    assert "bn" not in w.snapshot.stages[1].label  # translated
    assert w.overview.mode_label.isVisibleTo(w.overview)
    assert CJK.search(w.overview.mode_label.text())
    assert w.inspector.mode.isVisibleTo(w.inspector) and CJK.search(w.inspector.mode.text())


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
