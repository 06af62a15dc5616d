"""The window's actions, each defined once with its shortcuts and what it does; the menus and
the Keyboard shortcuts dialog (F1) are made from them."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMessageBox

from cnnviz.training.stages import MAP_KIND_LABELS, map_kind_label

from . import compare, language, zoom
from .optimiser_dialog import choose_optimiser

LANGUAGE_NAMES = {"en": "English", "zh_CN": "简体中文"}  # View ▸ Language, each in its own words

if TYPE_CHECKING:
    from .window import MainWindow

translate = QCoreApplication.translate  # extracted by pyside6-lupdate


def make_action(
    window: MainWindow, text: str, slot: Callable[[], object], shortcuts=(), tip: str = ""
) -> QAction:
    """An action of ``window``: ``tip`` says what it does (tooltip and F1), ``shortcuts`` work
    anywhere in the application. ``slot`` is called without arguments (not with the
    ``checked`` flag of ``triggered``)."""
    act = QAction(text, window)
    if shortcuts:
        act.setShortcuts([QKeySequence(s) for s in shortcuts])
        act.setShortcutContext(Qt.ApplicationShortcut)
    act.setStatusTip(tip or text)
    act.setToolTip(f"{tip or text} ({keys_text(act)})" if shortcuts else tip or text)
    act.triggered.connect(lambda _checked=False: slot())
    window.addAction(act)
    return act


def build_actions(w: MainWindow) -> None:
    """Set the window's ``act_*`` actions and ``map_actions``."""
    a = make_action
    w.act_play = a(
        w,
        translate("actions", "▶ Play"),
        lambda: go_on(w, w.toggle_play),
        ["Space"],
        translate("actions", "Play / pause training"),
    )
    w.act_step = a(
        w,
        translate("actions", "Step batch"),
        lambda: go_on(w, w.step_batch, "batch"),
        ["Right", "N"],
        translate("actions", "Step one batch (forward, loss, backward, update)"),
    )
    w.act_phase = a(
        w,
        translate("actions", "Step phase"),
        lambda: go_on(w, w.step_phase, "phase"),
        ["Shift+Right"],
        translate("actions", "Step one phase: forward layer by layer → loss → backward → update"),
    )
    w.act_undo = a(
        w,
        translate("actions", "↶ Undo"),
        lambda: undo(w),
        ["Ctrl+Z"],
        translate(
            "actions",
            "Undo: back one phase inside a step, else back one batch (weights, "
            "optimiser, counters and metrics exactly as before)",
        ),
    )
    w.act_undo_phase = a(
        w,
        translate("actions", "Undo phase"),
        lambda: undo(w, "phase"),
        ["Shift+Left"],
        translate("actions", "Undo the last phase"),
    )
    w.act_undo_batch = a(
        w,
        translate("actions", "Undo batch"),
        lambda: undo(w, "batch"),
        ["Left"],
        translate("actions", "Undo the last batch (step)"),
    )
    w.act_reset = a(
        w,
        translate("actions", "Reset"),
        w.reset,
        ["Ctrl+R"],
        translate("actions", "Reset: re-initialise the weights"),
    )
    w.act_eval = a(
        w,
        translate("actions", "Evaluate now"),
        lambda: w.send(lambda s: s.evaluate()),
        [],
        translate("actions", "Test-set accuracy"),
    )
    w.act_optimiser = a(
        w,
        translate("actions", "Optimiser…"),
        lambda: choose_optimiser(w),
        [],
        translate("actions", "Choose the optimiser and its hyperparameters"),
    )
    w.act_compare = a(
        w,
        translate("actions", "Compare with…"),
        lambda: compare.compare_with(w),
        [],
        translate("actions", "Overlay another saved run's loss and accuracy curves, dashed"),
    )
    w.act_clear_compare = a(
        w,
        translate("actions", "Clear comparison"),
        lambda: compare.clear(w),
        [],
        translate("actions", "Remove the other run's curves"),
    )
    w.act_new = a(
        w,
        translate("actions", "New…"),
        w.files.new_network,
        ["Ctrl+N"],
        translate("actions", "New network (architecture and dataset)"),
    )
    w.act_open = a(
        w,
        translate("actions", "Open model…"),
        w.files.open_model,
        ["Ctrl+O"],
        translate("actions", "Open a model: a cnnviz model file, or an ONNX model to import"),
    )
    w.act_save = a(
        w,
        translate("actions", "Save"),
        w.files.save,
        ["Ctrl+S"],
        translate("actions", "Save the model"),
    )
    w.act_save_as = a(
        w,
        translate("actions", "Save as…"),
        w.files.save_as,
        ["Ctrl+Shift+S"],
        translate("actions", "Save the model as"),
    )
    w.act_export_model = a(
        w,
        translate("actions", "Export model…"),
        lambda: w.exports.model.export_model(),
        [],
        translate("actions", "Export the model as ONNX, safetensors and a PyTorch module"),
    )
    w.act_export = a(
        w,
        translate("actions", "Export view as PNG…"),
        w.exports.export_png,
        ["Ctrl+E"],
        translate("actions", "Export the whole window as PNG"),
    )
    w.act_export_panel = a(
        w,
        translate("actions", "Export panel for slides (PNG 2× or SVG)…"),
        w.exports.export_panel,
        ["Ctrl+Shift+E"],
        translate("actions", "Export one panel for slides: PNG 2× or SVG"),
    )
    w.act_gif_filters = a(
        w,
        translate("actions", "Export filters over the timeline as GIF…"),
        w.exports.export_filter_gif,
    )
    w.act_gif_sweep = a(
        w, translate("actions", "Export one backward sweep as GIF…"), w.exports.export_sweep_gif
    )
    w.act_quit = a(w, translate("actions", "Quit"), w.close, ["Ctrl+Q"])
    w.act_shortcuts = a(
        w,
        translate("actions", "Keyboard shortcuts"),
        lambda: show_shortcuts(w),
        ["F1"],
        translate("actions", "This list of keyboard shortcuts"),
    )
    w.act_present = a(
        w,
        translate("actions", "Presentation mode"),
        w.lecture.toggle_presentation,
        ["F11"],
        translate("actions", "Presentation mode: full screen, large type, high contrast"),
    )
    w.act_present.setCheckable(True)
    w.act_bigger = a(
        w,
        translate("actions", "Larger presentation text"),
        lambda: w.lecture.change_scale(1),
        ["Ctrl+=", "Ctrl++"],
        translate("actions", "Presentation mode: every text larger (remembered)"),
    )
    w.act_smaller = a(
        w,
        translate("actions", "Smaller presentation text"),
        lambda: w.lecture.change_scale(-1),
        ["Ctrl+-"],
        translate("actions", "Presentation mode: every text smaller (remembered)"),
    )
    w.act_zoom_in = a(
        w,
        translate("actions", "Zoom in"),
        lambda: zoom.zoom_at(w.overview, 1),
        ["+", "="],
        translate(
            "actions", "Zoom in: the map grid under the mouse, else the overview (also Ctrl+wheel)"
        ),
    )
    w.act_zoom_out = a(
        w,
        translate("actions", "Zoom out"),
        lambda: zoom.zoom_at(w.overview, -1),
        ["-"],
        translate("actions", "Zoom out: the map grid under the mouse, else the overview"),
    )
    w.act_zoom_reset = a(
        w,
        translate("actions", "Actual size"),
        lambda: zoom.zoom_at(w.overview, 0),
        ["0"],
        translate(
            "actions", "Back to the size that fits: the map grid under the mouse, else the overview"
        ),
    )
    w.act_concepts = a(
        w,
        translate("actions", "Concepts…"),
        w.show_concepts,
        ["Shift+F1"],
        translate(
            "actions",
            "Help ▸ Concepts: u, f(u), δ, ∂E/∂W, the argmax mask, full convolution, the colours",
        ),
    )
    w.act_references = a(
        w,
        translate("actions", "References…"),
        w.show_references,
        [],
        translate("actions", "The works every rule is taken from"),
    )
    w.act_open_preset = a(
        w,
        translate("actions", "Open lecture preset…"),
        w.lecture.open_preset,
        ["Ctrl+L"],
        translate("actions", "Open a lecture preset"),
    )
    w.act_save_preset = a(
        w,
        translate("actions", "Save lecture preset…"),
        w.lecture.save_preset,
        ["Ctrl+Shift+L"],
        translate("actions", "Save a lecture preset"),
    )
    w.act_next_tab = a(
        w,
        translate("actions", "Next panel"),
        lambda: w.lower.setCurrentIndex((w.lower.currentIndex() + 1) % w.lower.count()),
        ["Ctrl+Tab"],
        translate("actions", "Next panel: {panels}, …").format(
            panels=translate("actions", ", ").join(p.label for p in w.lower_panels()[:3])
        ),
    )
    w.map_actions = [
        a(w, text, lambda k=kind: w.select_map_kind(k), [str(n)], text)
        for n, kind in enumerate(MAP_KIND_LABELS, start=1)
        for text in [translate("actions", "Show {what}").format(what=map_kind_label(kind))]
    ]
    w.panel_actions = [
        a(w, text, lambda p=p: w.show_tab(p.widget), [p.shortcut], text)
        for p in w.panels.values()
        if p.shortcut
        for text in [translate("actions", "Show {what}").format(what=p.label)]
    ]
    w.language_actions = language_actions(w)


def language_actions(w: MainWindow) -> list[QAction]:
    """View ▸ Language: one checkable action per language, each named in its own language
    (a reader who cannot read the current one still finds theirs)."""
    group = QActionGroup(w)
    current = language.current_language()
    out = []
    for code, name in LANGUAGE_NAMES.items():
        act = QAction(name, w, checkable=True, checked=code == current)
        act.triggered.connect(lambda _checked=False, c=code: choose_language(w, c))
        group.addAction(act)
        out.append(act)
    return out


def choose_language(w: MainWindow, code: str) -> None:
    """Store ``code`` for the next start; say in one line when a restart is needed."""
    if language.set_language(code):
        QMessageBox.information(
            w, translate("actions", "Language"),
            translate("actions", "{language}: takes effect when cnnviz starts again.").format(
                language=LANGUAGE_NAMES[code]
            ),
        )  # fmt: skip


def undo(w: MainWindow, mode: str | None = None) -> None:
    """Undo a phase or a batch; Ctrl+Z on the Draw tab undoes the last stroke instead."""
    if mode is None and w.current_tab() is w.canvas and not w.canvas.pad.empty:
        w.canvas.undo()
        return
    if mode is None:  # inside a step a phase; between steps, as the last steps were taken
        snap = w.snapshot
        inside = snap is not None and snap.phase_position
        mode = "phase" if inside else getattr(w, "stepping", "batch")
    w.send(lambda s: s.undo_phase() if mode == "phase" else s.undo_batch())


def ask_more_epochs(w: MainWindow, done: int) -> int | None:
    """How many epochs to train in all, more than ``done`` (None: cancelled)."""
    from PySide6.QtWidgets import QInputDialog

    more, ok = QInputDialog.getInt(
        w, translate("actions", "Training finished"),
        translate("actions", "Training finished after epoch {done}. Train how many more epochs?")
        .format(done=done), 1, 1, 10_000,
    )  # fmt: skip
    return done + more if ok else None


def go_on(w: MainWindow, then: Callable[[], None], stepping: str | None = None) -> None:
    """Play or step; after the last epoch, first ask for more epochs explicitly.
    ``stepping`` ("phase" or "batch", None: by the speed) is what Ctrl+Z undoes then."""
    from cnnviz.live.session import SPEEDS

    w.stepping = stepping or SPEEDS[w.controls.speed_index][1]
    snap = w.snapshot
    if snap is not None and snap.finished and not w._playing:
        total = ask_more_epochs(w, snap.epoch)
        if total is None:
            return
        w.send(lambda s: s.set_epochs(total))
    then()


def build_menus(w: MainWindow) -> None:
    mb = w.menuBar()
    m = mb.addMenu(translate("actions", "&File"))
    m.addActions([w.act_new, w.act_open])
    w.files.fill_recent(m.addMenu(translate("actions", "Open recent")))
    m.addSeparator()
    m.addActions(
        [
            w.act_save,
            w.act_save_as,
            w.act_export_model,
            w.act_export,
            w.act_export_panel,
            w.act_gif_filters,
            w.act_gif_sweep,
        ]
    )
    m.addSeparator()
    m.addActions([w.act_compare, w.act_clear_compare])
    m.addSeparator()
    m.addActions([w.act_open_preset, w.act_save_preset])
    m.addSeparator()
    m.addAction(w.act_quit)
    m = mb.addMenu(translate("actions", "&Train"))
    m.addActions([w.act_play, w.act_step, w.act_phase, w.act_undo, w.act_undo_phase,
                  w.act_undo_batch, w.act_reset, w.act_eval, w.act_optimiser])  # fmt: skip
    m = mb.addMenu(translate("actions", "&View"))
    m.addActions(w.map_actions)
    m.addSeparator()
    m.addActions([w.act_next_tab, *w.panel_actions])
    m.addActions([d.toggleViewAction() for d in w.docks])
    m.addSeparator()
    m.addActions([w.act_zoom_in, w.act_zoom_out, w.act_zoom_reset])
    m.addSeparator()
    m.addActions([w.act_present, w.act_bigger, w.act_smaller])
    m.addSeparator()
    m.addMenu(translate("actions", "Language")).addActions(w.language_actions)
    m = mb.addMenu(translate("actions", "&Help"))
    m.addActions([w.act_concepts, w.act_references, w.act_shortcuts])
    about = QAction(translate("actions", "About cnnviz"), w)
    about.triggered.connect(lambda: show_about(w))
    m.addAction(about)


def keys_text(act: QAction) -> str:
    """The shortcuts of ``act`` as F1 lists them ("→ / N")."""
    return " / ".join(
        k.toString(QKeySequence.NativeText).replace("Right", "→") for k in act.shortcuts()
    )


def shortcut_rows(w: MainWindow) -> list[tuple[str, str]]:
    """(keys, what they do) for every action of ``w`` that has a shortcut, in order."""
    return [(keys_text(act), act.statusTip()) for act in w.actions() if act.shortcuts()]


def show_shortcuts(w: MainWindow) -> None:
    rows = "".join(
        f"<tr><td><b>{html.escape(k)}</b></td><td>&nbsp;&nbsp;{html.escape(v)}</td></tr>"
        for k, v in shortcut_rows(w)
    )
    QMessageBox.information(w, translate("actions", "Keyboard shortcuts"), f"<table>{rows}</table>")


def show_about(w: MainWindow) -> None:
    QMessageBox.about(
        w,
        translate("actions", "About cnnviz"),
        translate(
            "actions",
            "<b>cnnviz</b> — watch a convolutional network learn: feature maps, sensitivity "
            "maps δ, pooling masks and weight updates, step by step.",
        ),
    )
