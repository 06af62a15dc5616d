"""Shared fixtures and markers for the whole test suite (keep it small: shared things only)."""

from __future__ import annotations

import importlib.util
import os

# Qt runs without a screen in the tests; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The tests read English messages whatever the machine's locale (LANG=zh_CN.UTF-8 would make the
# command line and the app Chinese); tests/test_i18n.py chooses its languages itself.
os.environ["CNNVIZ_LANG"] = "en"

import numpy as np  # noqa: E402
import pytest  # noqa: E402

HAVE_TORCH = importlib.util.find_spec("torch") is not None


def pytest_collection_modifyitems(config, items):
    """Tests marked ``@pytest.mark.torch`` are skipped when PyTorch is not installed."""
    if HAVE_TORCH:
        return
    skip = pytest.mark.skip(reason="PyTorch is not installed")
    for item in items:
        if item.get_closest_marker("torch") is not None:
            item.add_marker(skip)


@pytest.fixture
def torch():
    """The ``torch`` module; the test is skipped when it is absent."""
    return pytest.importorskip("torch")


@pytest.fixture
def rng() -> np.random.Generator:
    """A freshly seeded generator per test, so tests do not depend on their order."""
    return np.random.default_rng(20240601)


@pytest.fixture
def make_batch():
    """``make_batch(net, n=2, seed=0) -> (x, labels)``: standard normal input of the network's
    input shape in its dtype, and labels in range for its output."""

    def make(net, n: int = 2, seed: int = 0):
        r = np.random.default_rng(seed)
        x = r.standard_normal((n, *net.input_shape)).astype(net.dtype)
        labels = r.integers(0, net.output_shape[0], size=n)
        return x, labels

    return make
