"""The status bar: the step, epoch and phase under way, the value under the cursor, and the
training rate; and the window's title (the model's file, unsaved or not)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QMainWindow

from cnnviz.live.snapshot import Snapshot


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
        name = Path(snap.model_path).name if snap.model_path else "untitled"
        self.window.setWindowTitle(
            f"cnnviz — {name}{' *' if snap.dirty else ''} — {snap.architecture} on {snap.dataset}"
        )
        phase = (
            f"phase {snap.phase_position}/{len(snap.phases)}: {snap.last_phase}"
            if snap.phase_position
            else "between steps"
        )
        loss = f" · loss {snap.loss:.4f}" if snap.loss is not None else ""
        if snap.finished:
            self.phase.setText(
                f"training finished — {snap.epochs} epochs · step {snap.step:,}{loss} · "
                "Play asks for more epochs"
            )
        else:
            self.phase.setText(
                f"step {snap.step:,} · epoch {min(snap.epoch + 1, snap.epochs)}/{snap.epochs} "
                f"({snap.epoch_progress:.0%}) · {phase}{loss}"
            )
        self.rate.setText(
            f"{snap.images_per_s:,.0f} images/s · η = {snap.lr:g}" if snap.running
            else f"paused · η = {snap.lr:g}"
        )  # fmt: skip
