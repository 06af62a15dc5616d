"""Lecture mode: presentation mode (F11: full screen, large type, high contrast) and lecture
presets (:mod:`cnnviz.app.presets`: which network, panels, layer and speed a lecture starts
with)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QFileDialog

from cnnviz.i18n import QT_TRANSLATE_NOOP
from cnnviz.training.trainer import Hyperparameters

from .main import APP_EPOCHS
from .presets import Preset, PresetError, load_preset, save_preset
from .style import apply_scale

translate = QCoreApplication.translate  # extracted by pyside6-lupdate

if TYPE_CHECKING:
    from .window import MainWindow

PRESET_FILTER = QT_TRANSLATE_NOOP("lecture", "Lecture presets (*.json);;All files (*)")
PRESENTATION_SCALE = 1.6  # every text of the window, in presentation mode (by default)
MIN_SCALE, MAX_SCALE = 1.0, 3.0
SCALE_KEY = "presentation/scale"


def high_contrast_palette() -> QPalette:
    """Black on white with strong accents: what reads best on a washed-out projector."""
    pal = QPalette()
    white, black = QColor("#ffffff"), QColor("#000000")
    for role, colour in (
        (QPalette.Window, white), (QPalette.Base, white), (QPalette.AlternateBase, "#eeeeee"),
        (QPalette.WindowText, black), (QPalette.Text, black), (QPalette.ButtonText, black),
        (QPalette.Button, "#e6e6e6"), (QPalette.ToolTipBase, "#ffffcc"),
        (QPalette.ToolTipText, black), (QPalette.Highlight, "#0044cc"),
        (QPalette.HighlightedText, white), (QPalette.BrightText, "#cc0000"),
    ):  # fmt: skip
        pal.setColor(role, QColor(colour))
    return pal


class LectureController:
    """Presentation mode and lecture presets for ``window``."""

    def __init__(self, window: MainWindow) -> None:
        self.w = window
        self.presenting = False
        self._normal_look = None
        self._base_font: QFont | None = None  # the application font at scale 1
        self.pending: Preset | None = None  # applied when the network it asks for is loaded

    def start_with(self, path: str, arch: str, dataset: str, model: str | None, hp):
        """A preset to start with (``cnnviz --preset``): the first network it asks for, as
        (arch, dataset, model, hyperparameters); the rest is shown once that is loaded."""
        try:
            preset = load_preset(path)
        except PresetError as exc:
            QTimer.singleShot(0, lambda m=str(exc): self.w.show_error(m))
            return arch, dataset, model, hp
        self.pending = preset
        hp = Hyperparameters(
            lr=preset.lr or Hyperparameters.lr,
            momentum=0.9 if preset.momentum is None else preset.momentum,
            batch_size=preset.batch_size or 64,
            epochs=APP_EPOCHS,
        )
        return preset.architecture or arch, preset.dataset or dataset, preset.model or model, hp

    # ------------------------------------------------------------------ presentation mode
    @property
    def factor(self) -> float:
        """Presentation mode's scale (Ctrl+= / Ctrl+− change it; remembered)."""
        value = self.w.qsettings.value(SCALE_KEY, PRESENTATION_SCALE)
        try:
            return min(max(float(value), MIN_SCALE), MAX_SCALE)
        except (TypeError, ValueError):
            return PRESENTATION_SCALE

    def shown_scale(self) -> float:
        """The scale the window is drawn at now."""
        return self.factor if self.presenting else 1.0

    def change_scale(self, steps: int) -> None:
        """Ctrl+= (``steps`` 1) or Ctrl+− (-1): presentation mode's scale by a tenth, remembered;
        applied at once while presenting."""
        factor = round(min(max(self.factor + 0.1 * steps, MIN_SCALE), MAX_SCALE), 2)
        self.w.qsettings.setValue(SCALE_KEY, factor)
        if self.presenting:
            self.scale_to(factor)
        self.w.show_message(
            translate("lecture", "Presentation scale {factor}×").format(factor=f"{factor:g}"), 2000
        )

    def scale_to(self, factor: float) -> None:
        """Every text of the window at ``factor`` times its normal size: the application font,
        the fonts widgets set themselves (:func:`~cnnviz.app.style.apply_scale`) and what each
        panel scales itself (:meth:`~cnnviz.app.panels.registry.Panel.set_scale`)."""
        w, app = self.w, QApplication.instance()
        if self._base_font is None:
            self._base_font = QFont(app.font())
        font = QFont(self._base_font)
        if factor != 1.0:
            font.setPointSizeF(max(font.pointSizeF(), 9.0) * factor)
        app.setFont(font)
        apply_scale(w, factor)
        for panel in w.panels.values():
            panel.set_scale(factor)
        if factor == 1.0:
            app.setFont(self._base_font)

    def rescale(self) -> None:
        """Widgets a new network brought, at the scale of the rest (while presenting)."""
        if self.presenting:
            apply_scale(self.w, self.factor)
            for panel in self.w.panels.values():
                panel.set_scale(self.factor)

    def toggle_presentation(self) -> None:
        """F11: full screen, every text scaled by one factor, high contrast, advanced controls
        hidden; F11 again restores the window, its fonts and docks exactly as they were."""
        w, app = self.w, QApplication.instance()
        if not self.presenting:
            self._normal_look = (
                app.palette(),
                w.saveGeometry(),
                w.geometry(),
                w.isMaximized(),
                w.saveState(),
            )
            app.setPalette(high_contrast_palette())
            for act in w.controls.advanced:
                act.setVisible(False)
            self.scale_to(self.factor)
            w.showFullScreen()
            self.presenting = True
        else:
            palette, geometry, rect, maximized, docks = self._normal_look
            app.setPalette(palette)
            for act in w.controls.advanced:
                act.setVisible(True)
            self.scale_to(1.0)
            w.showNormal()
            w.restoreState(docks)
            w.restoreGeometry(geometry)
            if maximized:
                w.showMaximized()
            else:
                w.setGeometry(rect)
                # a window manager may place the window after leaving full screen: again
                QTimer.singleShot(0, lambda: self.presenting or w.setGeometry(rect))
            self.presenting = False
        w.act_present.setChecked(self.presenting)
        w.arrange()
        w.return_focus()

    # ------------------------------------------------------------------ presets
    def current_preset(self) -> Preset:
        w = self.w
        snap, c = w.snapshot, w.controls
        return Preset(
            architecture=w.arch_name,
            dataset=w.dataset_name,
            model=snap.model_path if snap and snap.model_path else None,
            speed=c.speed.currentData(),
            map_kind=w.view.map_kind,
            stage=w.view.stage,
            sample=w.view.sample,
            tab=w.lower_panels()[w.lower.currentIndex()].title,
            panels=[d.property("panel") for d in w.docks if d.isVisible()],
            presentation=self.presenting,
            lr=c.lr.value(),
            momentum=c.momentum.value(),
            batch_size=c.batch.value(),
        )

    def apply_preset(self, preset: Preset) -> None:
        """Show what a preset asks for (the network itself is chosen when it is loaded)."""
        w, c = self.w, self.w.controls
        if preset.speed:
            c.speed.setCurrentIndex(max(c.speed.findData(preset.speed), 0))
        if preset.map_kind:
            w.select_map_kind(preset.map_kind)
        if preset.stage is not None:
            w.select_stage(preset.stage)
            w.overview.set_selected_stage(preset.stage)
        if preset.sample is not None:
            w.select_sample(preset.sample)
        if preset.tab:
            for i, panel in enumerate(w.lower_panels()):
                if preset.tab in (panel.title, panel.label):  # English, or as a tab reads
                    w.lower.setCurrentIndex(i)
        if preset.panels:
            for dock in w.docks:
                dock.setVisible(dock.property("panel") in preset.panels)
        for widget, value in ((c.lr, preset.lr), (c.momentum, preset.momentum),
                              (c.batch, preset.batch_size)):  # fmt: skip
            if value is not None:
                widget.setValue(value)
        if any(v is not None for v in (preset.lr, preset.momentum, preset.batch_size)):
            w.set_hp(lr=c.lr.value(), momentum=c.momentum.value(), batch_size=c.batch.value())
        if preset.presentation != self.presenting:
            self.toggle_presentation()

    def apply_pending(self) -> None:
        """The network a preset asked for is there: show the rest of the preset."""
        if self.pending is not None:
            preset, self.pending = self.pending, None
            self.apply_preset(preset)

    def open_preset(self, path: str | None = None) -> bool:
        w = self.w
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                w,
                translate("lecture", "Open lecture preset"),
                w.files.last_dir(),
                translate("lecture", PRESET_FILTER),
            )
            if not path:
                return False
        try:
            preset = load_preset(path)
        except PresetError as exc:
            w.show_error(str(exc))
            return False
        arch = preset.architecture or w.arch_name
        dataset = preset.dataset or w.dataset_name
        if preset.model:
            self.pending = preset
            w.files.open_model(preset.model)
        elif (arch, dataset) != (w.arch_name, w.dataset_name):
            self.pending = preset
            w.files.start_new(arch, dataset)
        else:
            self.apply_preset(preset)
        return True

    def save_preset(self, path: str | None = None) -> bool:
        w = self.w
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                w, translate("lecture", "Save lecture preset"),
                str(Path(w.files.last_dir()) / "lecture.json"), translate("lecture", PRESET_FILTER),
            )  # fmt: skip
            if not path:
                return False
        try:
            save_preset(path, self.current_preset())
        except OSError as exc:
            w.show_error(
                translate("lecture", "could not write {path}: {reason}").format(
                    path=path, reason=exc.strerror or exc
                )
            )
            return False
        w.statusBar().showMessage(
            translate("lecture", "Saved lecture preset {path}").format(path=path), 4000
        )
        return True
