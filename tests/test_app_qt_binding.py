"""The Qt binding the app runs on must not corrupt the interpreter.

PySide6 6.12.0 drops a reference to ``None`` on every call of a C++ method returning void under
Python 3.11, and the interpreter aborts after a few thousand paint calls; pyproject.toml
excludes that release. This guards against installing one like it. (From Python 3.12 ``None``
is immortal: its count never changes, and a binding that drops references to it does no harm.)
"""

from __future__ import annotations

import sys

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtWidgets import QLabel  # noqa: E402


@pytest.mark.skipif(
    sys.version_info >= (3, 12),
    reason="None is immortal from Python 3.12: its reference count is fixed, no drop can free it",
)
def test_void_calls_keep_the_reference_count_of_none(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("δ")
        label.update()
    assert sys.getrefcount(None) >= before - 50
