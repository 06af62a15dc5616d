"""File ▸ Compare with… and Clear comparison: another saved run's curves over the plots."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog

from cnnviz.errors import CnnvizError
from cnnviz.training.modelfile import load_model

from .panels.plots_compare import clear_comparison, show_comparison

if TYPE_CHECKING:
    from .window import MainWindow

translate = QCoreApplication.translate  # extracted by pyside6-lupdate


def run_name(path: str | Path) -> str:
    """The file's name without ``.cnnviz.npz``."""
    name = Path(path).name
    for suffix in (".cnnviz.npz", ".npz"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def compare_with(w: MainWindow, path: str | None = None) -> bool:
    """Overlay the metrics of the model file at ``path`` (asked for when None); a file that
    cannot be read is a one-line message and changes nothing."""
    if path is None:
        path, _ = QFileDialog.getOpenFileName(
            w,
            translate("compare", "Compare with another run"),
            "",
            translate("compare", "cnnviz models (*.cnnviz.npz *.npz)"),
        )
        if not path:
            return False
    try:
        state = load_model(path)
    except (CnnvizError, OSError, ValueError) as exc:
        w.show_error(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        return False
    show_comparison(w.plots, run_name(path), state.metrics)
    return True


def clear(w: MainWindow) -> None:
    clear_comparison(w.plots)
