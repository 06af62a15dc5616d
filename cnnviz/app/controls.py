"""The toolbar's training controls: speed, η, momentum, batch size, network, dataset and the
maps' colour scaling. Each sends its change to the training process through the window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLabel, QSpinBox, QToolBar, QWidget

from cnnviz.i18n import QT_TRANSLATE_NOOP
from cnnviz.live.session import FULL_SPEED, SPEEDS
from cnnviz.training.architectures import PRESETS
from cnnviz.training.trainer import Hyperparameters

from .colors import SCALINGS

translate = QCoreApplication.translate  # extracted by pyside6-lupdate

OPTIMISER_NAMES = {  # how the toolbar names an optimiser (names, the same in every language)
    "sgd": "SGD", "nesterov": "SGD (Nesterov)", "adam": "Adam", "adamw": "AdamW",
    "rmsprop": "RMSprop", "adagrad": "Adagrad",
}  # fmt: skip


def optimiser_name(kind: str) -> str:
    """The optimiser's usual name: "sgd" → "SGD", "adamw" → "AdamW"."""
    return OPTIMISER_NAMES.get(kind, kind)


# the names of colors.SCALINGS, for pyside6-lupdate (the combo shows their translations)
_SCALING_NAMES = (
    QT_TRANSLATE_NOOP("controls", "per map"),
    QT_TRANSLATE_NOOP("controls", "shared per layer"),
    QT_TRANSLATE_NOOP("controls", "fixed range"),
)

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from .window import MainWindow


class TrainingControls:
    """Builds the controls into ``toolbar`` (after the window's training actions)."""

    def __init__(self, window: MainWindow, toolbar: QToolBar) -> None:
        self.w, self.tb = window, toolbar
        self.advanced: list[QAction] = []  # hidden in presentation mode
        self.speed_index = FULL_SPEED  # the entry of SPEEDS the training process runs at

        self.speed = self._add(
            QComboBox(),
            translate("controls", "Speed"),
            translate("controls", "From one phase a second (lectures) to full speed"),
        )
        for label, _, _ in SPEEDS:
            self.speed.addItem(translate("speeds", label), label)
        self.speed.setCurrentIndex(FULL_SPEED)
        self.speed.currentIndexChanged.connect(self._set_speed)

        self.lr = self._add(QDoubleSpinBox(), "η", translate("controls", "Learning rate η"))
        self.lr.setDecimals(4)
        self.lr.setRange(0.0001, 10.0)
        self.lr.setSingleStep(0.005)
        self.lr.setValue(Hyperparameters.lr)
        self.lr.editingFinished.connect(lambda: window.set_hp(lr=self.lr.value()))
        self.optimiser = self._add(
            QLabel(optimiser_name(Hyperparameters.optimizer)),
            translate("controls", "optimiser"),
            translate("controls", "The optimiser in use (Train ▸ Optimiser… changes it)"),
            advanced=True,
        )
        self.momentum = self._add(
            QDoubleSpinBox(),
            translate("controls", "momentum"),
            translate("controls", "Momentum μ"),
            advanced=True,
        )
        self.momentum.setRange(0.0, 0.99)
        self.momentum.setSingleStep(0.05)
        self.momentum.setValue(0.9)
        self.momentum.editingFinished.connect(lambda: window.set_hp(momentum=self.momentum.value()))
        self.batch = self._add(
            QSpinBox(),
            translate("controls", "batch"),
            translate("controls", "Batch size"),
            advanced=True,
        )
        self.batch.setRange(1, 1024)
        self.batch.setValue(64)
        self.batch.editingFinished.connect(lambda: window.set_hp(batch_size=self.batch.value()))
        toolbar.addSeparator()
        self.arch = self._add(
            QComboBox(),
            translate("controls", "Network"),
            translate("controls", "Architecture (starts a new network)"),
        )
        for name in PRESETS:
            self.arch.addItem(name)
        self.dataset = self._add(
            QComboBox(),
            translate("controls", "Data"),
            translate("controls", "Dataset (starts a new network)"),
        )
        from cnnviz.datasets import list_datasets

        for info in list_datasets():
            self.dataset.addItem(info.name)
        self.sync_network(window.arch_name, window.dataset_name)
        self.arch.activated.connect(lambda _: self._network_chosen())
        self.dataset.activated.connect(lambda _: self._network_chosen())
        toolbar.addSeparator()
        self.scaling = self._add(
            QComboBox(),
            translate("controls", "Colour"),
            translate("controls", "Colour scaling of the maps"),
            advanced=True,
        )
        for key, label in SCALINGS.items():
            self.scaling.addItem(translate("controls", label), key)
        self.scaling.setCurrentIndex(self.scaling.findData(window.settings.scaling))
        self.scaling.currentIndexChanged.connect(self._set_scaling)

    def _add(self, widget: QWidget, label: str, tip: str, advanced: bool = False):
        widget.setToolTip(tip)
        widget.setFocusPolicy(Qt.ClickFocus)
        acts = [self.tb.addWidget(QLabel(f" {label} ")), self.tb.addWidget(widget)]
        if advanced:
            self.advanced += acts
        return widget

    def _set_speed(self, index: int) -> None:
        self.speed_index = index
        self.w.send(lambda s: s.set_speed(index))

    def _set_scaling(self) -> None:
        self.w.settings.scaling = self.scaling.currentData()
        self.w.draw_whole(self.w.snapshot)

    def _network_chosen(self) -> None:
        w = self.w
        arch, ds = self.arch.currentText(), self.dataset.currentText()
        if (arch, ds) != (w.arch_name, w.dataset_name):
            if not w.files.start_new(arch, ds):
                self.sync_network(w.arch_name, w.dataset_name)

    def sync_network(self, arch: str, dataset: str) -> None:
        """Show ``arch`` and ``dataset`` in their combos (without starting anything)."""
        for combo, value in ((self.arch, arch), (self.dataset, dataset)):
            i = combo.findText(value)
            if i < 0:
                combo.addItem(value)
                i = combo.findText(value)
            combo.blockSignals(True)
            combo.setCurrentIndex(i)
            combo.blockSignals(False)

    def sync_hyperparameters(self, hp: Hyperparameters) -> None:
        """Show the training process's hyperparameters (without sending them back)."""
        for w, v in ((self.lr, hp.lr), (self.momentum, hp.momentum), (self.batch, hp.batch_size)):
            w.blockSignals(True)
            w.setValue(v)
            w.blockSignals(False)
        self.optimiser.setText(optimiser_name(hp.optimizer))
        uses_momentum = hp.optimizer in ("sgd", "nesterov")
        self.momentum.setEnabled(uses_momentum)  # Adam's β₁, RMSProp's α do its part there
        self.momentum.setToolTip(
            translate("controls", "Momentum μ")
            if uses_momentum
            else translate(
                "controls", "Momentum μ: not used by {name} (Train ▸ Optimiser… sets its own)"
            ).format(name=optimiser_name(hp.optimizer))
        )
