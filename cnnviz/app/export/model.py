"""File ▸ Export model: the network as ONNX, safetensors and a PyTorch module, as
``cnnviz export`` writes them (:func:`cnnviz.interop.files.export_model`).

The dialog chooses a path without its extension and the formats; the files are written in
the training process (the network is there; the window runs no engine code), each atomically,
and the status bar names them. A format that needs a package not installed, or a path that
cannot be written, is one line in a dialog; nothing half-written is left.

>>> ModelExporter(window).export_model({"onnx": "/tmp/net.onnx", "safetensors": None,
...                                      "torch": "/tmp/net.py"})
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

if TYPE_CHECKING:
    from ..window import MainWindow

translate = QCoreApplication.translate  # extracted by pyside6-lupdate

FORMATS = ("onnx", "safetensors", "torch")  # the export job's arguments, in the dialog's order
SUFFIXES = {"onnx": ".onnx", "safetensors": ".safetensors", "torch": ".py"}
KNOWN = (".cnnviz.npz", ".npz", ".onnx", ".safetensors", ".py")


def stem_of(path: str) -> str:
    """``path`` without the extension of a model or an exported file."""
    for suffix in KNOWN:
        if path.lower().endswith(suffix):
            return path[: -len(suffix)]
    return path


class ExportModelDialog(QDialog):
    """The path (without extension) and the formats to write, all three at first."""

    def __init__(self, stem: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("export", "Export model"))
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.stem = QLineEdit(stem)
        self.stem.setMinimumWidth(self.fontMetrics().horizontalAdvance("x" * 48))
        browse = QPushButton(translate("export", "Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.stem, 1)
        row.addWidget(browse)
        form.addRow(translate("export", "Path without extension"), row)
        lay.addLayout(form)
        texts = {
            "onnx": translate("export", "ONNX (.onnx): opens in Netron, runs in onnxruntime"),
            "safetensors": translate(
                "export", "safetensors (.safetensors): the weights and batch-norm statistics"
            ),
            "torch": translate(
                "export", "PyTorch module (.py): an nn.Module whose state_dict keys are those "
                "of the safetensors file",
            ),
        }  # fmt: skip
        self.boxes = {}
        for key in FORMATS:
            box = QCheckBox(texts[key])
            box.setChecked(True)
            self.boxes[key] = box
            lay.addWidget(box)
        note = QLabel(translate("export", "Docs: docs/interop.md (what each file holds)"))
        note.setStyleSheet("color: #5d6873;")
        lay.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.Ok)
        for box in self.boxes.values():
            box.toggled.connect(self._update)
        self.stem.textChanged.connect(self._update)
        lay.addWidget(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, translate("export", "Export model"), self.stem.text(), "All files (*)"
        )
        if path:
            self.stem.setText(stem_of(path))

    def _update(self) -> None:
        self.ok_button.setEnabled(any(self.paths().values()))

    def paths(self) -> dict[str, str | None]:
        """``{"onnx": PATH.onnx or None, …}``: a path for each format ticked."""
        stem = self.stem.text().strip()
        return {
            key: stem + SUFFIXES[key] if stem and self.boxes[key].isChecked() else None
            for key in FORMATS
        }


class ModelExporter(QObject):
    """File ▸ Export model of ``window``."""

    exported = Signal(object)  # the paths written (from the relay thread to the window's)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.exported.connect(self._show_written)

    def default_stem(self) -> str:
        snap = self.w.snapshot
        if snap is not None and snap.model_path:
            return stem_of(snap.model_path)
        return str(Path(self.w.files.last_dir()) / self.w.arch_name)

    def export_model(self, paths: dict[str, str | None] | None = None) -> bool:
        """Ask for the path and formats (unless ``paths`` are given), then write them in the
        training process; True when asked for."""
        w = self.w
        if w.session is None:
            return False
        if paths is None:
            dialog = ExportModelDialog(self.default_stem(), w)
            if dialog.exec() != QDialog.Accepted:
                return False
            paths = dialog.paths()
        if not any(paths.values()):
            return False

        def done(ok, result):  # on the relay thread, which reads the process's answers
            if ok:
                self.exported.emit(result)
            else:
                w.report_error(
                    translate("export", "could not export the model: {error}").format(error=result)
                )

        w.session.request("export", done, **paths)
        return True

    def _show_written(self, paths: list[str]) -> None:
        names = ", ".join(paths)
        self.w.statusBar().showMessage(
            translate("export", "Exported {paths}").format(paths=names), 6000
        )
        if paths:
            self.w.files.settings.setValue("last_dir", str(Path(paths[0]).parent))
