"""Start the app: ``cnnviz`` or ``python main.py``."""

from __future__ import annotations

import os
import sys

DEFAULT_ARCH = "lenet5"
DEFAULT_DATASET = "synthetic-digits"
APP_EPOCHS = 10  # a new network in the app trains for this many epochs unless told otherwise


def start_spec(
    arch: str = DEFAULT_ARCH,
    dataset: str = DEFAULT_DATASET,
    data_dir: str | None = None,
    model_path: str | None = None,
    hp=None,
) -> dict:
    """What the training process builds first: the model file, else ``arch`` on ``dataset``."""
    from cnnviz.live.remote import spec_new, spec_open
    from cnnviz.training.trainer import Hyperparameters

    if model_path:
        return spec_open(model_path, data_dir)
    return spec_new(arch, dataset, hp or Hyperparameters(epochs=APP_EPOCHS), data_dir)


def start_training(model: str | None = None, data_dir: str | None = None):
    """Start the training process on the default network (or ``model``) at once, before Qt is
    even imported: it builds the network while the window is being made."""
    from cnnviz.live.remote import RemoteSession

    remote = RemoteSession(start_spec(data_dir=data_dir, model_path=model))
    remote.start()
    return remote


def run_app(
    preset: str | None = None,
    data_dir: str | None = None,
    model: str | None = None,
    argv: list[str] | None = None,
    lang: str | None = None,
) -> int:
    """Open the main window (lenet5 on synthetic-digits unless a preset or model says
    otherwise) and run the Qt event loop until it closes; returns the exit code.

    ``lang`` (``--lang``) overrides the saved and the system language. The language is
    chosen first, without Qt (:func:`cnnviz.i18n.startup_language`), so that the training
    process started next writes the lessons in it."""
    from cnnviz.i18n import ENV, startup_language

    code = startup_language(lang)
    os.environ[ENV] = code  # the training process inherits it
    remote = None if preset else start_training(model, data_dir)  # a preset may name another

    from PySide6.QtWidgets import QApplication

    from .language import install_language
    from .window import MainWindow

    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("cnnviz")
    app.setOrganizationName("cnnviz")
    install_language(code, app)
    window = MainWindow(data_dir=data_dir, model_path=model, preset_path=preset, remote=remote)
    window.show()
    if os.environ.get("CNNVIZ_EXIT_AFTER_MS"):  # smoke tests: start, show, quit
        from PySide6.QtCore import QTimer

        QTimer.singleShot(int(os.environ["CNNVIZ_EXIT_AFTER_MS"]), window.close)
    return app.exec()
