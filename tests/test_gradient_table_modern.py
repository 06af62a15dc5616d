"""The gradient table's finite differences (cnnviz/lessons/gradient_table.py) through batch
norm and dropout: one mask throughout, batch statistics, and the state put back after."""

from __future__ import annotations

import numpy as np

from cnnviz.lessons.gradient_table import check_filter
from cnnviz.training.architectures import build_network

SPEC = {"layers": [
    {"type": "conv", "out_channels": 3, "kernel_size": 3}, {"type": "batchnorm"},
    {"type": "relu"}, {"type": "maxpool", "kernel_size": 2}, {"type": "flatten"},
    {"type": "dropout", "p": 0.5}, {"type": "dense", "out_features": "classes"}]}  # fmt: skip


def test_check_filter_agrees_through_batch_norm_and_dropout_and_keeps_the_state():
    net = build_network(SPEC, (1, 8, 8), 3, dtype="float64", seed=4)
    rng = np.random.default_rng(0)
    x, labels = rng.standard_normal((4, 1, 8, 8)), np.array([0, 1, 2, 1])
    buffers = {k: b.copy() for k, b in net.named_buffers()}
    generator = net.layers[5].rng.bit_generator.state
    result = check_filter(net, x, labels, "C1", 1)
    assert np.nanmax(result.error) < 1e-6
    for k, b in net.named_buffers():
        np.testing.assert_array_equal(b, buffers[k], err_msg=k)
    assert net.layers[5].rng.bit_generator.state == generator
