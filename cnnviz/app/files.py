"""File ▸ New, Open, Save, Save as and Open recent, with the prompt before unsaved training
is lost. Models are written and read in the training process; the window only chooses paths."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QMenu,
    QMessageBox,
    QPushButton,
)

from cnnviz.datasets import FOLDER_PREFIX
from cnnviz.errors import CnnvizError
from cnnviz.i18n import QT_TRANSLATE_NOOP
from cnnviz.interop.files import is_imported
from cnnviz.interop.onnx_import import import_onnx
from cnnviz.training.architectures import PRESETS
from cnnviz.training.modelfile import load_model
from cnnviz.training.trainer import Hyperparameters

from .main import APP_EPOCHS, start_spec

if TYPE_CHECKING:
    from .window import MainWindow

translate = QCoreApplication.translate  # extracted by pyside6-lupdate


MODEL_FILTER = QT_TRANSLATE_NOOP("files", "cnnviz models (*.cnnviz.npz *.npz);;All files (*)")


OPEN_FILTER = QT_TRANSLATE_NOOP(
    "files",
    "Models (*.cnnviz.npz *.npz *.onnx);;cnnviz models (*.cnnviz.npz *.npz);;"
    "ONNX models (*.onnx);;All files (*)",
)


def model_filter(opening: bool = False) -> str:
    """The file dialogs' filter for model files (``opening``: ONNX models too), in the current
    language."""
    return translate("files", OPEN_FILTER if opening else MODEL_FILTER)


def describe(text: str) -> str:
    """A preset's or a dataset's description, in the current language (marked
    ``QT_TRANSLATE_NOOP("descriptions", …)`` where it is written)."""
    return translate("descriptions", text)


SAVE_WAIT_S = 30.0  # how long Save before Quit/New/Open waits for the file to be written
RECENT = 8  # files in Open recent


class NewDialog(QDialog):
    """Choose an architecture and a dataset for a new network."""

    def __init__(self, arch: str, dataset: str, parent=None) -> None:
        super().__init__(parent)
        from cnnviz.datasets import list_datasets

        self.setWindowTitle(translate("files", "New network"))
        form = QFormLayout(self)
        self.arch = QComboBox()
        for name, spec in PRESETS.items():
            self.arch.addItem(f"{name} — {describe(spec.get('description', ''))}", name)
        self.arch.setCurrentIndex(max(self.arch.findData(arch), 0))
        self.dataset = QComboBox()
        for info in list_datasets():
            self.dataset.addItem(f"{info.name} — {describe(info.description)}", info.name)
        if dataset.startswith(FOLDER_PREFIX):
            self._add_folder(dataset)
        self.dataset.setCurrentIndex(max(self.dataset.findData(dataset), 0))
        self.folder_button = QPushButton(translate("files", "Image folder…"))
        self.folder_button.setToolTip(
            translate("files", "Your own images: a folder with one subfolder per class")
        )
        self.folder_button.clicked.connect(self.choose_folder)
        row = QHBoxLayout()
        row.addWidget(self.dataset, 1)
        row.addWidget(self.folder_button)
        form.addRow(translate("files", "Architecture"), self.arch)
        form.addRow(translate("files", "Dataset"), row)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def choose_folder(self) -> None:
        """Ask for an image folder and make it the dataset (``folder:PATH``)."""
        path = QFileDialog.getExistingDirectory(
            self, translate("files", "Choose an image folder (one subfolder per class)")
        )
        if path:
            name = FOLDER_PREFIX + path
            self._add_folder(name)
            self.dataset.setCurrentIndex(self.dataset.findData(name))

    def _add_folder(self, name: str) -> None:
        if self.dataset.findData(name) < 0:
            what = translate("files", "your images, one subfolder per class")
            self.dataset.addItem(f"{name} — {what}", name)


class FileController:
    """New, open and save a model; the recent files and the last folder (in ``settings``)."""

    def __init__(self, window: MainWindow, settings: QSettings) -> None:
        self.w = window
        self.settings = settings
        self.recent_menu: QMenu | None = None

    def confirm_discard(self, what: str) -> bool:
        """Ask before losing unsaved training; True to go ahead."""
        snap = self.w.snapshot
        if snap is None or not snap.dirty or os.environ.get("CNNVIZ_NO_PROMPT"):
            return True
        answer = QMessageBox.question(
            self.w,
            translate("files", "Unsaved training"),
            translate("files", "{what}? The training since the last save will be lost.").format(
                what=what
            ),
            QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel,
            QMessageBox.Cancel,
        )
        if answer == QMessageBox.Save:
            return self.save(wait=True)
        return answer == QMessageBox.Discard

    def new_network(self) -> None:
        dlg = NewDialog(self.w.arch_name, self.w.dataset_name, self.w)
        if dlg.exec() == QDialog.Accepted:
            self.start_new(dlg.arch.currentData(), dlg.dataset.currentData())

    def start_new(self, arch: str, dataset: str) -> bool:
        """Replace the network with a fresh ``arch`` on ``dataset`` (after a prompt)."""
        w = self.w
        hp = Hyperparameters(
            lr=w.controls.lr.value(), momentum=w.controls.momentum.value(),
            batch_size=w.controls.batch.value(), epochs=APP_EPOCHS,
        )  # fmt: skip
        if w.process.ended:  # nothing left to save or lose
            w.process.restart(
                start_spec(arch, dataset, w.data_dir, None, hp),
                translate("files", "{arch} on {dataset}").format(arch=arch, dataset=dataset),
            )
            return True
        if w.session is None or not self.confirm_discard(translate("files", "Start a new network")):
            return False
        w.process.cancel.clear()
        w.session.new(arch, dataset, hp, w.data_dir)
        w.status_phase.setText(
            translate("files", "Preparing {arch} on {dataset}…").format(arch=arch, dataset=dataset)
        )
        return True

    def open_model(self, path: str | None = None) -> None:
        w = self.w
        if w.session is None and not w.process.ended:
            return  # the first network is still being built
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                w, translate("files", "Open model"), self.last_dir(), model_filter(opening=True)
            )
            if not path:
                return
        if w.process.ended:
            w.process.restart(start_spec(data_dir=w.data_dir, model_path=path), Path(path).name)
            return
        try:  # check the file before anything is lost for it
            if is_imported(path):
                import_onnx(path)  # read and converted only: no network is built here
            else:
                load_model(path)
        except CnnvizError as exc:
            w.report_error(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            return
        except OSError as exc:
            w.report_error(f"{path}: {exc.strerror or exc}")
            return
        if not self.confirm_discard(translate("files", "Open another model")):
            return
        w.process.cancel.clear()
        w.session.open(path, w.data_dir)

    def save(self, wait: bool = False) -> bool:
        snap = self.w.snapshot
        if snap is not None and snap.model_path:
            return self.save_to(snap.model_path, wait)
        return self.save_as(wait)

    def save_as(self, wait: bool = False) -> bool:
        w = self.w
        default = str(Path(self.last_dir()) / f"{w.arch_name}-{w.dataset_name}.cnnviz.npz")
        path, _ = QFileDialog.getSaveFileName(
            w, translate("files", "Save model"), default, model_filter()
        )
        if not path:
            return False
        return self.save_to(path, wait)

    def save_to(self, path: str, wait: bool = False) -> bool:
        """Save in the training process; with ``wait``, block until written (for close)."""
        session = self.w.session
        if session is None:
            return False
        if not wait:
            return session.save(path)
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            return session.save(path, wait=SAVE_WAIT_S)
        finally:
            QApplication.restoreOverrideCursor()

    # ------------------------------------------------------------------ recent files
    def last_dir(self) -> str:
        return str(self.settings.value("last_dir", str(Path.home())))

    def remember(self, path: str) -> None:
        """``path`` was saved or opened: first in Open recent, its folder the last one."""
        recent = [p for p in self.recent() if p != path]
        self.settings.setValue("recent", [path, *recent][:RECENT])
        self.settings.setValue("last_dir", str(Path(path).parent))
        self.fill_recent()

    def recent(self) -> list[str]:
        value = self.settings.value("recent", [])
        return [value] if isinstance(value, str) else list(value or [])

    def fill_recent(self, menu: QMenu | None = None) -> None:
        """(Re)fill the Open recent menu (``menu`` the first time)."""
        self.recent_menu = menu or self.recent_menu
        self.recent_menu.clear()
        for path in self.recent():
            act = self.recent_menu.addAction(path)
            act.triggered.connect(lambda _=False, p=path: self.open_model(p))
        self.recent_menu.setEnabled(bool(self.recent()))
