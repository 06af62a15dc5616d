"""Training ▸ Optimiser…: choose the optimiser and its hyperparameters, each shown only for the
optimisers it applies to, and the learning-rate schedule (constant, step or cosine, as
``cnnviz train --schedule``), and send them to the training process (``set_hyperparameters``;
a new optimiser starts with fresh state from the next step, as the trainer rebuilds it)."""

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
    QSpinBox,
)

from cnnviz.engine import OPTIMIZER_NAMES
from cnnviz.training.trainer import SCHEDULES, Hyperparameters

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
    return {k: d[k] for k in ("optimizer", *FIELDS, *SCHEDULE_FIELDS)}


SCHEDULE_FIELDS = ("schedule", "gamma", "step_epochs")


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
        self._add_schedule(form, choice)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.kind.currentIndexChanged.connect(lambda _i: self._show_fields(self.kind.currentData()))
        self._show_fields(self.kind.currentData())

    def _add_schedule(self, form: QFormLayout, choice: dict[str, Any]) -> None:
        """The schedule combo; γ and its period in epochs, shown for the step schedule."""
        default = Hyperparameters()
        self.schedule = QComboBox()
        names = {
            "constant": self.tr("Constant"),
            "step": self.tr("Step: η × γ every few epochs"),
            "cosine": self.tr("Cosine: from η down to 0 at the last epoch"),
        }
        for key in SCHEDULES:
            self.schedule.addItem(names[key], key)
        chosen = str(choice.get("schedule", default.schedule))
        self.schedule.setCurrentIndex(max(self.schedule.findData(chosen), 0))
        form.addRow(self.tr("Learning-rate schedule"), self.schedule)
        self.gamma = QDoubleSpinBox()
        self.gamma.setDecimals(3)
        self.gamma.setRange(0.001, 1.0)
        self.gamma.setSingleStep(0.05)
        self.gamma.setValue(float(choice.get("gamma", default.gamma)))
        self.step_epochs = QSpinBox()
        self.step_epochs.setRange(1, 1_000_000)
        self.step_epochs.setValue(int(choice.get("step_epochs", default.step_epochs)))
        self.gamma_label = QLabel(self.tr("Factor γ"))
        self.step_label = QLabel(self.tr("Every (epochs)"))
        form.addRow(self.gamma_label, self.gamma)
        form.addRow(self.step_label, self.step_epochs)
        self.schedule.currentIndexChanged.connect(lambda _i: self._show_schedule())
        self._show_schedule()

    def _show_schedule(self) -> None:
        step = self.schedule.currentData() == "step"
        for widget in (self.gamma, self.gamma_label, self.step_epochs, self.step_label):
            widget.setVisible(step)

    def _show_fields(self, kind: str) -> None:
        for key, (*_rest, kinds) in FIELDS.items():
            self.spins[key].setVisible(kind in kinds)
            self.labels[key].setVisible(kind in kinds)

    def values(self) -> dict[str, Any]:
        """The optimiser, the schedule and every field (those hidden keep their values)."""
        return (
            {"optimizer": self.kind.currentData()}
            | {k: spin.value() for k, spin in self.spins.items()}
            | {
                "schedule": self.schedule.currentData(),
                "gamma": self.gamma.value(),
                "step_epochs": self.step_epochs.value(),
            }
        )


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
    w.statusBar().showMessage(text.format(optimiser_name(values["optimizer"]), values["lr"]), 5000)
    return True
