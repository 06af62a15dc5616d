"""File ▸ Export: the window as PNG, one panel for slides (PNG at 2× or SVG), a conv layer's
filters over the timeline and one backward sweep as animated GIFs; the model itself as ONNX,
safetensors and a PyTorch module (:mod:`.model`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QWidget

from cnnviz.i18n import QT_TRANSLATE_NOOP
from cnnviz.live.remote import RemoteError

from .gif import ExportError
from .images import export_png, export_svg, gif_of_backward_sweep, gif_of_filters
from .model import ModelExporter

translate = QCoreApplication.translate  # extracted by pyside6-lupdate

if TYPE_CHECKING:
    from ..window import MainWindow

WHOLE_WINDOW = "Whole window"
PANEL_FILTER = QT_TRANSLATE_NOOP("export", "PNG image (*.png);;SVG drawing (*.svg)")


class ExportController:
    """The File ▸ Export actions of ``window``."""

    def __init__(self, window: MainWindow) -> None:
        self.w = window
        window.sweepReady.connect(self._write_sweep_gif)
        self.model = ModelExporter(window)  # File ▸ Export model

    def _ask_path(self, title: str, name: str, filter: str) -> str | None:
        default = str(Path(self.w.files.last_dir()) / name)
        path, _ = QFileDialog.getSaveFileName(self.w, title, default, filter)
        return path or None

    def export_png(self, path: str | None = None) -> bool:
        """The whole window as it is on screen."""
        path = path or self._ask_path(
            translate("export", "Export view"), "cnnviz.png", "PNG (*.png)"
        )
        if not path:
            return False
        ok = self.w.grab().save(path, "PNG")
        if not ok:
            self.w.show_error(translate("export", "could not write {path}").format(path=path))
        else:
            self.w.statusBar().showMessage(
                translate("export", "Exported {path}").format(path=path), 4000
            )
        return ok

    def panels(self) -> dict[str, QWidget]:
        """What Export panel offers, by name: every panel shown (of the lower tabs, the
        current one) and the whole window."""
        shown = {p.name: p.widget for p in self.w.panels.values() if self.w.is_current(p)}
        return {**shown, WHOLE_WINDOW: self.w}

    def export_panel(self, name: str | None = None, path: str | None = None) -> bool:
        """Export one panel for slides: PNG at twice the screen resolution, or SVG (by the
        file's extension). Without ``name`` or ``path``, asks for them."""
        panels = self.panels()
        if name is None:
            name, ok = QInputDialog.getItem(
                self.w,
                translate("export", "Export panel"),
                translate("export", "Panel"),
                list(panels),
                0,
                False,
            )
            if not ok:
                return False
        if name not in panels:
            self.w.show_error(
                translate("export", "no panel named {name} to export").format(name=repr(name))
            )
            return False
        path = path or self._ask_path(
            translate("export", "Export {name}").format(name=name),
            "cnnviz-panel.png",
            translate("export", PANEL_FILTER),
        )
        if not path:
            return False
        try:
            if path.lower().endswith(".svg"):
                export_svg(panels[name], path, title=f"cnnviz — {name}")
            else:
                export_png(panels[name], path, scale=2.0)
        except (ExportError, OSError) as exc:
            self.w.show_error(
                translate("export", "could not export {name}: {error}").format(name=name, error=exc)
            )
            return False
        self.w.statusBar().showMessage(
            translate("export", "Exported {name} to {path}").format(name=name, path=path), 4000
        )
        return True

    def export_filter_gif(self, path: str | None = None, layer: str | None = None) -> bool:
        """An animated GIF of a conv layer's filters over the timeline."""
        session = self.w.session
        tl = session.timeline if session else None
        if tl is None or len(tl) < 2 or not tl.conv_layers():
            self.w.show_error(
                translate(
                    "export", "the timeline has fewer than two snapshots yet: train for a while"
                )
            )
            return False
        layer = layer or tl.conv_layers()[0]
        path = path or self._ask_path(
            translate("export", "Export filters as GIF"),
            f"cnnviz-{layer}-filters.gif",
            "GIF (*.gif)",
        )
        if not path:
            return False
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            steps, kernels = session.request_sync("kernel_series", layer=layer)
            gif_of_filters(path, steps, kernels, layer)
        except (ExportError, OSError, RemoteError) as exc:
            self.w.show_error(
                translate("export", "could not write {path}: {error}").format(path=path, error=exc)
            )
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.w.statusBar().showMessage(
            translate("export", "Wrote {path} ({n} frames)").format(path=path, n=len(steps)), 4000
        )
        return True

    def export_sweep_gif(self, path: str | None = None) -> bool:
        """An animated GIF of one backward sweep through the layers for the current sample;
        the δ maps are computed in the training process, the pixels drawn here."""
        w = self.w
        if w.session is None:
            return False
        path = path or self._ask_path(
            translate("export", "Export backward sweep as GIF"),
            "cnnviz-backward.gif",
            "GIF (*.gif)",
        )
        if not path:
            return False
        split, i = w.sample_ref()

        def done(ok, result):  # on the relay thread, which reads the process's answers
            if ok:
                w.sweepReady.emit(result, path)
            else:
                w.report_error(
                    translate("export", "could not compute the backward sweep: {error}").format(
                        error=result
                    )
                )

        w.session.request("backward_sweep", done, split=split, index=i)
        return True

    def _write_sweep_gif(self, frames, path: str) -> None:
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            gif_of_backward_sweep(path, frames)
        except (ExportError, OSError) as exc:
            self.w.show_error(
                translate("export", "could not write {path}: {error}").format(path=path, error=exc)
            )
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.w.statusBar().showMessage(
            translate("export", "Wrote {path} ({n} frames)").format(path=path, n=len(frames)), 4000
        )
