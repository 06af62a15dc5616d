"""The status bar: the step, epoch and phase under way, the value under the cursor, and the
training rate; and the window's title (the model's file, unsaved or not)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QMainWindow

from cnnviz.i18n import QT_TRANSLATE_NOOP
from cnnviz.lessons.explanation import phase_text
from cnnviz.live.snapshot import Snapshot

translate = QCoreApplication.translate  # extracted by pyside6-lupdate


class StatusLine:
    """The labels of ``window``'s status bar."""

    def __init__(self, window: QMainWindow) -> None:
        self.window = window
        sb = window.statusBar()
        self.phase = QLabel()
        self.rate = QLabel()
        self.hover = QLabel()
        sb.addWidget(self.phase, 3)
        sb.addWidget(self.hover, 2)
        sb.addPermanentWidget(self.rate)

    def show(self, snap: Snapshot) -> None:
        """What ``snap`` says: title, step and phase, rate."""
        name = Path(snap.model_path).name if snap.model_path else translate("status", "untitled")
        network = translate("status", "{architecture} on {dataset}").format(
            architecture=snap.architecture, dataset=snap.dataset
        )
        self.window.setWindowTitle(f"cnnviz — {name}{' *' if snap.dirty else ''} — {network}")
        phase = (
            translate("status", "phase {k}/{n}: {phase}").format(
                k=snap.phase_position, n=len(snap.phases), phase=phase_text(snap.last_phase)
            )
            if snap.phase_position
            else translate("status", "between steps")
        )
        loss = (
            " · " + translate("status", "loss {loss}").format(loss=f"{snap.loss:.4f}")
            if snap.loss is not None
            else ""
        )
        if snap.finished:
            self.phase.setText(
                translate(
                    "status",
                    "training finished after epoch {epochs} · step {step}{loss} · "
                    "Play asks for more epochs",
                ).format(epochs=snap.epochs, step=f"{snap.step:,}", loss=loss)
            )
        else:
            self.phase.setText(
                translate("status", "step {step} · epoch {epoch}/{epochs} ({progress})").format(
                    step=f"{snap.step:,}",
                    epoch=min(snap.epoch + 1, snap.epochs),
                    epochs=snap.epochs,
                    progress=f"{snap.epoch_progress:.0%}",
                )
                + f" · {phase}{loss}"
            )
        lr = learning_rate_text(snap)
        self.rate.setText(
            translate("status", "{rate} images/s · η = {lr}").format(
                rate=f"{snap.images_per_s:,.0f}", lr=lr
            )
            if snap.running
            else translate("status", "paused · η = {lr}").format(lr=lr)
        )


SCHEDULE_TEXTS = {  # how the status bar names a schedule that changes η
    "step": QT_TRANSLATE_NOOP("status", "{lr} (step schedule from {base})"),
    "cosine": QT_TRANSLATE_NOOP("status", "{lr} (cosine schedule from {base})"),
}


def learning_rate_text(snap: Snapshot) -> str:
    """The rate in use, to three figures, and where a schedule changes it, which one and the
    rate it started from (the toolbar's η): "0.00983 (cosine schedule from 0.02)"."""
    lr = f"{snap.lr:.3g}"
    text = SCHEDULE_TEXTS.get(snap.lr_schedule)
    return translate("status", text).format(lr=lr, base=f"{snap.base_lr:.3g}") if text else lr
