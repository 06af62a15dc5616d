"""Shared fixtures and markers for the whole test suite (keep it small: shared things only).

Plain helpers (datasets, trainers, waiting on the window) are in helpers.py.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import threading

# Qt runs without a screen, at scale 1, and formats numbers as the tests read them, whatever
# the shell says; set before anything imports Qt (subprocesses inherit it too).
os.environ["QT_QPA_PLATFORM"] = "offscreen"
for _name in ("QT_SCALE_FACTOR", "QT_SCREEN_SCALE_FACTORS", "QT_FONT_DPI", "LANGUAGE"):
    os.environ.pop(_name, None)
os.environ["LC_ALL"] = "C.UTF-8"
# The tests read English messages whatever the machine's locale; tests/test_i18n.py chooses
# its languages itself.
os.environ["CNNVIZ_LANG"] = "en"

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from helpers import WINDOW_TIMEOUT  # noqa: E402

HAVE_TORCH = importlib.util.find_spec("torch") is not None


def pytest_xdist_auto_num_workers(config):
    """``-n auto``: one worker more than the cores (at most four, pyproject's --maxprocesses).
    The window tests spend much of their time waiting on their training processes, so a third
    worker on two cores keeps them busy: 95–100 s for the suite against 119–125 s with two."""
    return (os.cpu_count() or 1) + 1


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


# ---------------------------------------------------------------------------------- isolation
@pytest.fixture(scope="session", autouse=True)
def _isolated_environment(tmp_path_factory):
    """No test sees the user's cnnviz settings, dataset cache, plugins, mirrors or system
    dataset folders: every ``CNNVIZ_*`` variable is removed, and the cache and the settings
    are in an empty folder of the test run's own (a test that needs its own sets it)."""
    from cnnviz.datasets import paths

    with pytest.MonkeyPatch.context() as mp:
        for name in [n for n in os.environ if n.startswith("CNNVIZ_")]:
            mp.delenv(name)
        home = tmp_path_factory.mktemp("cnnviz-home")
        mp.setenv("CNNVIZ_DATA_DIR", str(home / "data"))
        mp.setenv("CNNVIZ_SETTINGS", str(home / "settings.ini"))
        mp.setenv("CNNVIZ_LANG", "en")  # English whatever the locale (test_i18n chooses)
        mp.setattr(paths, "SYSTEM_DIRS", {})
        yield


# ---------------------------------------------------------------------------------- the window
HOST_THREADS = ("cnnviz-host", "cnnviz-reader", "cnnviz-sender")  # an in-process session's


@pytest.fixture
def in_process_training(monkeypatch):
    """The window's training sessions run on a thread of the test process instead of a
    process of their own: the same :class:`~cnnviz.live.remote.RemoteSession`, the same
    messages over a socket pair, but no interpreter to start and the built-in datasets made
    once per test run. (``main.start_training`` still starts a real process.)"""
    import cnnviz.app.window  # noqa: F401 (the app's modules, so that they can be patched)
    from cnnviz.live.remote import RemoteSession

    class InProcessSession(RemoteSession):
        def __init__(self, spec: dict, in_process: bool = True) -> None:
            super().__init__(spec, in_process=True)

    for name, module in list(sys.modules.items()):
        if name.startswith("cnnviz.app") and vars(module).get("RemoteSession") is RemoteSession:
            monkeypatch.setattr(module, "RemoteSession", InProcessSession)
    return InProcessSession


@pytest.fixture
def make_window(request, qtbot, tmp_path, monkeypatch):
    """``make_window(**kwargs)``: a shown, active :class:`~cnnviz.app.window.MainWindow` whose
    first snapshot has arrived. Its training runs in process (:func:`in_process_training`)
    unless the test is marked ``training_process``. At teardown every window is closed without
    a question, and nothing it started may still run."""
    from cnnviz.app.window import MainWindow

    monkeypatch.setenv("CNNVIZ_SETTINGS", str(tmp_path / "settings.ini"))
    if request.node.get_closest_marker("training_process") is None:
        request.getfixturevalue("in_process_training")
    windows = []

    def no_prompt(_w=None):  # closing at teardown must not ask (a real dialog would block)
        monkeypatch.setenv("CNNVIZ_NO_PROMPT", "1")

    def make(**kwargs) -> MainWindow:
        w = MainWindow(**kwargs)
        qtbot.addWidget(w, before_close_func=no_prompt)
        w.resize(1400, 900)
        w.show()
        qtbot.waitExposed(w)
        qtbot.waitUntil(lambda: w.session is not None, timeout=WINDOW_TIMEOUT)
        qtbot.waitUntil(lambda: w.snapshot is not None, timeout=WINDOW_TIMEOUT)
        w.activateWindow()  # keyboard shortcuts go to the active window
        qtbot.waitUntil(w.isActiveWindow, timeout=WINDOW_TIMEOUT)
        windows.append(w)
        return w

    yield make
    from PySide6.QtCore import QThread

    no_prompt()
    for w in windows:
        w.close()
        assert not [t for t in w.findChildren(QThread) if t.isRunning()]  # its relay ended
    qtbot.waitUntil(
        lambda: not any(t.name in HOST_THREADS for t in threading.enumerate()),
        timeout=WINDOW_TIMEOUT,
    )
