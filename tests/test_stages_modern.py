"""Stages (cnnviz/training/stages.py) with batch norm and dropout: they join the stage of the
layer they follow, u is what the activation receives and δ its sensitivity."""

from __future__ import annotations

import numpy as np

from cnnviz.engine import SGD, Phase
from cnnviz.training.architectures import build_network
from cnnviz.training.stages import map_labels, stage_arrays, stage_of_phase, stages_of


def _stepped(arch, shape):
    net = build_network(arch, shape, 10, dtype="float64", seed=1)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, *shape))
    net.train_step(x, np.array([1, 2, 3]), SGD(net.named_params(), lr=0.01))
    return net


def test_batch_norm_and_dropout_join_the_stage_they_follow():
    net = _stepped("cifar-bn", (3, 32, 32))
    stages = stages_of(net)
    labels = [s.label for s in stages]
    assert labels[1] == "C1 conv 32@32×32 + bn + relu"
    assert labels[7] == "F7 dense 64 + relu + dropout"
    c1 = stages[1]
    assert c1.layers == (0, 1, 2) and c1.extras == (1,) and c1.activations == (2,)
    arrays = stage_arrays(net, c1)
    bn, relu = net.layers[1], net.layers[2]
    assert arrays["net"] is bn.y and arrays["activation"] is relu.y
    np.testing.assert_array_equal(arrays["delta"], relu.dx)  # ∂E/∂u at batch norm's output
    assert arrays["grad_input"] is net.layers[0].dx
    assert map_labels(net, c1)["net"] == "net input u = γ·x̂ + β (after batch norm)"
    f7 = stages[7]
    arrays = stage_arrays(net, f7)
    assert arrays["net"] is net.layers[13].y and arrays["activation"] is net.layers[14].y
    assert map_labels(net, f7)["activation"] == "activation f(u) (before dropout)"
    assert stage_of_phase(stages, Phase("forward", 1)) == 1
    assert stage_of_phase(stages, Phase("backward", 15)) == 7


def test_a_dropout_after_flatten_is_a_stage_of_its_own():
    net = _stepped("keras-mnist", (1, 28, 28))
    stages = stages_of(net)
    drop = next(s for s in stages if s.kind == "dropout")
    assert drop.label == "flatten.dropout dropout 1600" and drop.layers == (7,)
    arrays = stage_arrays(net, drop)
    assert arrays["net"] is net.layers[7].y and arrays["delta"] is net.layers[7].dy
    assert map_labels(net, drop)["net"] == "output of dropout"
    assert stage_of_phase(stages, Phase("forward", 6)) == drop.index - 1  # flatten: before
