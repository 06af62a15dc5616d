"""The first loss of every preset reads about ln K: the output layer starts near zero."""

import math

import pytest

from cnnviz.datasets.registry import BUILTINS, load_dataset
from cnnviz.engine import Dense, Init
from cnnviz.training.architectures import PRESETS, ArchitectureError, build_network
from cnnviz.training.trainer import Trainer

# Squared-error presets end in an activation (as LeCun et al. 1998), so ln K is not their mark.
CROSS_ENTROPY = [n for n, s in PRESETS.items() if s["loss"]["type"] == "softmax_ce"]


def _fitting(arch):
    for spec in BUILTINS:
        try:
            build_network(arch, spec.input_shape, spec.num_classes)
        except ArchitectureError:
            continue
        yield spec.name


@pytest.mark.parametrize("arch", CROSS_ENTROPY)
def test_the_first_loss_is_about_ln_k(arch):
    names = list(_fitting(arch))
    if not names:
        pytest.skip(f"{arch} fits no built-in dataset")
    for name in names:
        dataset = load_dataset(name)
        first = Trainer.create(arch, dataset).step_batch().loss
        expected = math.log(dataset.num_classes)
        assert abs(first - expected) <= 0.1 * expected, (arch, name, first, expected)


def test_an_explicit_init_of_the_output_layer_is_kept():
    from cnnviz.engine import Flatten, Network, SoftmaxCrossEntropy

    def last_std(init):
        net = Network(
            [Flatten(), Dense(64, 10, init=init)], (1, 8, 8), SoftmaxCrossEntropy(), seed=3
        )
        return float(net.layers[-1].params["weight"].std())

    glorot = math.sqrt(6 / 74) / math.sqrt(3)  # the uniform's std
    assert last_std(None) == pytest.approx(0.1 * glorot, rel=0.15)
    assert last_std("glorot") == pytest.approx(glorot, rel=0.15)
    assert last_std(Init("normal", 0.5)) == pytest.approx(0.5, rel=0.15)
