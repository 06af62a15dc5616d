"""Single samples shown in the app (a probed or drawn sample, a timeline frame, a backward
sweep) run in evaluation mode: batch norm uses its running statistics (a 1-D batch norm
refuses a batch of one in training mode), dropout draws no mask, nothing live changes."""

from __future__ import annotations

import numpy as np
from test_trainer import FakeDataset

from cnnviz.live.session import Session
from cnnviz.training.timeline import Timeline, backward_sweep
from cnnviz.training.trainer import Hyperparameters, Trainer

SPEC = {"name": "bn1d", "layers": [
    {"type": "conv", "out_channels": 3, "kernel_size": 3}, {"type": "batchnorm"},
    {"type": "relu"}, {"type": "maxpool", "kernel_size": 2}, {"type": "flatten"},
    {"type": "dense", "out_features": 12}, {"type": "batchnorm"}, {"type": "relu"},
    {"type": "dropout", "p": 0.5}, {"type": "dense", "out_features": "classes"}]}  # fmt: skip


def trained() -> Trainer:
    ds = FakeDataset((1, 10, 10), n_train=64, n_test=16, classes=3)
    tr = Trainer.create(SPEC, ds, Hyperparameters(optimizer="adam", lr=1e-3, batch_size=16))
    tr.run(max_steps=5)
    return tr


def state_of(tr: Trainer):
    buffers = {k: b.copy() for k, b in tr.net.named_buffers()}
    return buffers, tr.net.layers[8].rng.bit_generator.state


def assert_untouched(tr: Trainer, before) -> None:
    buffers, generator = before
    for k, b in tr.net.named_buffers():
        np.testing.assert_array_equal(b, buffers[k], err_msg=k)
    assert tr.net.layers[8].rng.bit_generator.state == generator
    assert tr.net.training


def test_timeline_frames_and_sweeps_of_one_sample_use_the_running_statistics():
    tr = trained()
    tl = Timeline(every=2)
    tl.attach(tr)
    tr.run(max_steps=4)
    before = state_of(tr)
    image = tr.dataset.batch("test", np.array([0]))[0]
    frame = tl.render_at(tr, 0, image, 1)
    assert frame.label == 1 and np.isfinite(frame.sample_loss)  # (training mode: refused)
    last = tl.render_at(tr, len(tl) - 1, image, None)
    np.testing.assert_allclose(last.probabilities.sum(), 1.0, rtol=1e-6)
    frames = backward_sweep(None, tr, image, 2)
    assert frames and all(f.maps for f in frames)
    assert_untouched(tr, before)


def test_a_probed_sample_runs_in_evaluation_mode():
    tr = trained()
    session = Session(tr)
    before = state_of(tr)
    image = tr.dataset.batch("test", np.array([3]))[0]
    session._do_probe(image, int(tr.dataset.test_labels[3]), "test", 3)
    net = tr.net
    assert net.layers[8].keep_mask is None  # no dropout mask: evaluation mode
    assert not bool(net.layers[6].batch_stats)  # the running statistics
    np.testing.assert_allclose(net.layers[-1].y, net.infer(image[None]), rtol=1e-6)
    assert_untouched(tr, before)
