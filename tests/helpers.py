"""Things several test modules use: small datasets and trainers, and how to wait on the window.

Fixtures made of them are in conftest.py; test modules import the plain helpers from here
(``from helpers import FakeDataset``), never from one another.
"""

from __future__ import annotations

import numpy as np

from cnnviz.engine import Network, make_optimizer
from cnnviz.lessons.explain import explain_phase
from cnnviz.training.architectures import load_architecture
from cnnviz.training.trainer import Hyperparameters, Trainer

WINDOW_TIMEOUT = 30_000  # ms: how long a window test waits for anything before it fails


# ---------------------------------------------------------------------------------- datasets
class FakeDataset:
    """The :class:`cnnviz.datasets.Dataset` interface over small random images, whose label
    depends on the image (so training makes progress)."""

    def __init__(self, shape=(1, 28, 28), n_train=160, n_test=40, classes=10, seed=0):
        r = np.random.default_rng(seed)
        self.name = "fake"
        self.class_names = tuple(f"class {i}" for i in range(classes))
        self.normalization = {"mean": [0.5] * shape[0], "std": [0.25] * shape[0]}
        self.input_shape = tuple(shape)
        self.num_classes = classes
        templates = r.integers(0, 256, (classes, *shape))
        self.train_labels = r.integers(0, classes, n_train).astype(np.int64)
        self.test_labels = r.integers(0, classes, n_test).astype(np.int64)
        self.train_images = self._images(r, templates, self.train_labels)
        self.test_images = self._images(r, templates, self.test_labels)

    @staticmethod
    def _images(r, templates, labels):
        noise = r.integers(0, 256, (len(labels), *templates.shape[1:]))
        return ((templates[labels] + noise) // 2).astype(np.uint8)

    def batch(self, split, indices):
        images = self.train_images if split == "train" else self.test_images
        return (images[indices].astype(np.float32) / 255 - 0.5) / 0.25

    def raw(self, split, index):
        return (self.train_images if split == "train" else self.test_images)[int(index)]


# ---------------------------------------------------------------------------------- trainers
def make_trainer(arch="tiny", **hp):
    """A preset network on a :class:`FakeDataset` of its input shape (160 training images)."""
    spec = load_architecture(arch)
    ds = FakeDataset(tuple(spec["input_shape"]))
    defaults = dict(lr=0.02, momentum=0.9, batch_size=16, epochs=3, stats_every=3)
    return Trainer.create(spec, ds, Hyperparameters(**(defaults | hp)))


SMALL = {
    "name": "small",
    "input_shape": [1, 8, 8],
    "layers": [
        {"type": "conv", "out_channels": 3, "kernel_size": 3},
        {"type": "relu"},
        {"type": "maxpool", "kernel_size": 2},
        {"type": "flatten"},
        {"type": "dense", "out_features": "classes"},
    ],
}


def small_trainer(n_train=64, batch_size=8, epochs=100, dtype="float32") -> Trainer:
    """:data:`SMALL` (one 3×3 convolution on 8×8 images, 4 classes): a step takes no time."""
    ds = FakeDataset((1, 8, 8), n_train=n_train, n_test=8, classes=4)
    hp = Hyperparameters(lr=0.05, batch_size=batch_size, epochs=epochs, stats_every=50)
    return Trainer.create(SMALL, ds, hp, dtype=dtype)


# ---------------------------------------------------------------------------------- lessons
OPTIMIZER_SETTINGS = {
    "sgd": {"lr": 0.05, "momentum": 0.9, "weight_decay": 1e-3},
    "nesterov": {"lr": 0.05, "momentum": 0.9, "weight_decay": 1e-3},
    "adam": {"lr": 1e-3, "weight_decay": 1e-3},
    "adamw": {"lr": 1e-3, "weight_decay": 1e-2},
    "rmsprop": {"lr": 1e-3, "weight_decay": 1e-3},
    "adagrad": {"lr": 1e-2, "lr_decay": 0.1},
}


def every_phase(net: Network, n: int = 3, optimizer: str = "sgd"):
    """One step, then a second phase by phase: yields (phase, explanation) for each. The
    update phase gets what the trainer keeps: W and the optimiser's first state array."""
    rng = np.random.default_rng(11)
    x = rng.standard_normal((n, *net.input_shape)).astype(net.dtype)
    labels = rng.integers(0, net.output_shape[0], n)
    opt = make_optimizer(optimizer, net.named_params(), **OPTIMIZER_SETTINGS[optimizer])
    net.train_step(x, labels, opt)
    step = net.begin_step(x, labels, opt)
    before = None
    while not step.done:
        if step.next_phase.kind == "update":
            slot = opt.slots[0]
            before = {k: (p.copy(), opt.state[k][slot].copy()) for k, p, _ in net.named_params()}
        phase = step.advance()
        yield phase, explain_phase(
            net, phase, n - 1, None, opt.lr, optimizer=opt,
            before=before if phase.kind == "update" else None,
        )  # fmt: skip


GAP_NET = {"layers": [
    {"type": "conv", "out_channels": 3, "kernel_size": 3}, {"type": "batchnorm"},
    {"type": "relu"}, {"type": "globalavgpool"}, {"type": "flatten"},
    {"type": "dropout", "p": 0.4}, {"type": "dense", "out_features": 8}, {"type": "relu"},
    {"type": "batchnorm"}, {"type": "dense", "out_features": "classes"}]}  # fmt: skip


# ---------------------------------------------------------------------------------- the window
def wait_for(qtbot, w, cond, timeout=WINDOW_TIMEOUT) -> None:
    """Wait until the window's current snapshot satisfies ``cond(snapshot)``."""
    qtbot.waitUntil(lambda: w.snapshot is not None and cond(w.snapshot), timeout=timeout)


def state(w, **kwargs) -> dict:
    """What the window's training session holds now: step, weights, generation, timeline
    (the ``state`` job of :func:`cnnviz.live.host.run_job`)."""
    return w.session.request_sync("state", **kwargs)
