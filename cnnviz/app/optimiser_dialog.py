"""Training ▸ Optimiser…: choose the optimiser and its hyperparameters, each shown only for the
optimisers it applies to, and send them to the training process (``set_hyperparameters``; a
new optimiser starts with fresh state from the next step, as the trainer rebuilds it)."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
)

from cnnviz.engine import OPTIMIZER_NAMES
from cnnviz.training.trainer import Hyperparameters

from .controls import optimiser_name

if TYPE_CHECKING:
    from .window import MainWindow

# field -> (label, minimum, maximum, decimals, the optimisers it applies to)
FIELDS: dict[str, tuple[str, float, float, int, tuple[str, ...]]] = {
    "lr": ("Learning rate η", 1e-6, 10.0, 6, OPTIMIZER_NAMES),
    "momentum": ("Momentum μ", 0.0, 0.999, 3, ("sgd", "nesterov")),
    "beta1": ("β₁", 0.0, 0.9999, 4, ("adam", "adamw")),
    "beta2": ("β₂", 0.0, 0.9999, 4, ("adam", "adamw")),
    "alpha": ("Decay α", 0.0, 0.9999, 4, ("rmsprop",)),
    "eps": ("ε", 1e-12, 1.0, 12, ("adam", "adamw", "rmsprop")),
    "weight_decay": ("Weight decay λ", 0.0, 1.0, 6, OPTIMIZER_NAMES),
}


def current_choice(w: MainWindow) -> dict[str, Any]:
    """The optimiser fields last applied from the window, else the training process's."""
    chosen = getattr(w, "optimiser_hp", None)
    if chosen is not None:
        return dict(chosen)
    info = w.session.trainer_info if w.session is not None else None
    hp = info.hp if info is not None else Hyperparameters()
    d = asdict(hp) if not isinstance(hp, dict) else hp
    return {k: d[k] for k in ("optimizer", *FIELDS)}


class OptimiserDialog(QDialog):
    """The optimiser combo and one spin box per hyperparameter of :data:`FIELDS`."""

    def __init__(self, parent, choice: dict[str, Any]) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Optimiser"))
        form = QFormLayout(self)
        self.kind = QComboBox()
        for kind in OPTIMIZER_NAMES:  # shown by its usual name ("AdamW"), kept by its key
            self.kind.addItem(optimiser_name(kind), kind)
        self.kind.setCurrentIndex(max(self.kind.findData(str(choice["optimizer"])), 0))
        form.addRow(self.tr("Optimiser"), self.kind)
        self.spins: dict[str, QDoubleSpinBox] = {}
        self.labels: dict[str, QLabel] = {}
        names = {
            "lr": self.tr("Learning rate η"),
            "momentum": self.tr("Momentum μ"),
            "beta1": "β₁",
            "beta2": "β₂",
            "alpha": self.tr("Decay α"),
            "eps": "ε",
            "weight_decay": self.tr("Weight decay λ"),
        }
        for key, (_label, lo, hi, decimals, _kinds) in FIELDS.items():
            spin = QDoubleSpinBox()
            spin.setDecimals(decimals)
            spin.setRange(lo, hi)
            spin.setValue(float(choice[key]))
            label = QLabel(names[key])
            form.addRow(label, spin)
            self.spins[key], self.labels[key] = spin, label
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.kind.currentIndexChanged.connect(lambda _i: self._show_fields(self.kind.currentData()))
        self._show_fields(self.kind.currentData())

    def _show_fields(self, kind: str) -> None:
        for key, (*_rest, kinds) in FIELDS.items():
            self.spins[key].setVisible(kind in kinds)
            self.labels[key].setVisible(kind in kinds)

    def values(self) -> dict[str, Any]:
        """The optimiser and every field (those hidden keep their values)."""
        return {"optimizer": self.kind.currentData()} | {
            k: spin.value() for k, spin in self.spins.items()
        }


def choose_optimiser(w: MainWindow) -> None:
    """Show the dialog; on OK, check the choice and send it to the training process."""
    dialog = OptimiserDialog(w, current_choice(w))
    if dialog.exec() != QDialog.Accepted:
        return
    apply_optimiser(w, dialog.values())


def apply_optimiser(w: MainWindow, values: dict[str, Any]) -> bool:
    """Validate ``values`` as hyperparameters and send them; a bad one is a one-line message."""
    from cnnviz.errors import CnnvizError

    try:
        Hyperparameters(**values).validate()
    except (CnnvizError, ValueError) as exc:
        w.show_error(str(exc))
        return False
    w.optimiser_hp = dict(values)
    w.set_hp(**values)
    w.controls.sync_hyperparameters(Hyperparameters(**values, batch_size=w.controls.batch.value()))
    text = QCoreApplication.translate("OptimiserDialog", "Optimiser: {0}, η = {1:g}")
    w.statusBar().showMessage(text.format(values["optimizer"], values["lr"]), 5000)
    return True
