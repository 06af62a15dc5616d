"""Every preset builds on every built-in dataset, and its very first loss is what a network
that knows nothing should give: ln K for softmax cross-entropy over K classes (the output
layer starts small, :data:`cnnviz.engine.init.OUTPUT_GAIN`), the loss of zero scores for the
squared error of LeNet-5 (1998)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cnnviz.datasets import list_datasets, load_dataset
from cnnviz.engine.init import OUTPUT_GAIN
from cnnviz.engine.losses import SquaredError
from cnnviz.training.architectures import ArchitectureError, build_network, preset_names
from cnnviz.training.trainer import Hyperparameters, Trainer

BUILT_IN = [d.name for d in list_datasets() if d.kind == "builtin"]


@pytest.fixture(scope="module")
def datasets():
    return {name: load_dataset(name) for name in BUILT_IN}


def test_there_are_built_in_datasets_of_one_and_three_channels(datasets):
    assert {d.input_shape[0] for d in datasets.values()} == {1, 3}


@pytest.mark.parametrize("dataset", BUILT_IN)
@pytest.mark.parametrize("arch", preset_names())
def test_first_loss_of_every_preset_is_that_of_knowing_nothing(arch, dataset, datasets):
    trainer = Trainer.create(arch, datasets[dataset], Hyperparameters(epochs=1, seed=0))
    first = trainer.step_batch().loss
    k = datasets[dataset].num_classes
    loss = trainer.net.loss
    if isinstance(loss, SquaredError):  # zero scores: ½ (positive² + (K − 1)·negative²)
        expected = 0.5 * (loss.positive**2 + (k - 1) * loss.negative**2)
    else:
        expected = math.log(k)
    assert abs(first - expected) <= 0.1 * expected, (first, expected)


@pytest.mark.parametrize("arch", ["lenet5", "every-layer"])
def test_the_output_layer_alone_starts_small_and_a_chosen_init_is_kept(arch):
    default = build_network(arch, (1, 28, 28), 10, dtype="float64", seed=3)
    out = default.output_layer()
    assert default.layers[out].kind == "dense" and out == max(
        i for i, layer in enumerate(default.layers) if layer.params and not layer.transparent
    )
    spec_net = build_network(arch, (1, 28, 28), 10, dtype="float64", seed=3)
    for layer in spec_net.layers:  # the same draws, without the output gain
        layer.gain = 1.0
    spec_net.reinitialize(3)
    for i, (a, b) in enumerate(zip(default.layers, spec_net.layers, strict=True)):
        if "weight" not in a.params:
            continue
        scale = OUTPUT_GAIN if i == out else 1.0
        np.testing.assert_allclose(a.params["weight"], b.params["weight"] * scale, rtol=1e-15)
    chosen = build_network(
        {**_preset(arch), "init": "glorot"}, (1, 28, 28), 10, dtype="float64", seed=3
    )
    w = chosen.layers[out].params["weight"]
    fan_in, fan_out = w.shape[1], w.shape[0]
    assert np.abs(w).max() > 0.5 * math.sqrt(6 / (fan_in + fan_out))  # full-size Glorot


def _preset(arch: str) -> dict:
    from cnnviz.training.architectures import PRESETS

    return dict(PRESETS[arch])


def test_a_preset_that_cannot_fit_is_refused_in_one_line():
    with pytest.raises(ArchitectureError) as err:
        build_network("lenet5-1998", (1, 8, 8), 10)
    message = str(err.value)
    assert "\n" not in message and "kernel 5×5 is larger than the padded input" in message
