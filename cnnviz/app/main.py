"""Start the app: ``cnnviz`` or ``python main.py``."""

from __future__ import annotations

import os
import sys


def run_app(
    preset: str | None = None,
    data_dir: str | None = None,
    model: str | None = None,
    argv: list[str] | None = None,
) -> int:
    """Open the main window (lenet5 on synthetic-digits unless a preset or model says
    otherwise) and run the Qt event loop until it closes; returns the exit code."""
    from PySide6.QtWidgets import QApplication

    from .window import MainWindow

    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("cnnviz")
    app.setOrganizationName("cnnviz")
    window = MainWindow(data_dir=data_dir, model_path=model, preset_path=preset)
    window.show()
    if os.environ.get("CNNVIZ_EXIT_AFTER_MS"):  # smoke tests: start, show, quit
        from PySide6.QtCore import QTimer

        QTimer.singleShot(int(os.environ["CNNVIZ_EXIT_AFTER_MS"]), window.close)
    return app.exec()
