"""The convolution explainer: an animated sliding window with the numbers in the cells.

Columns, left to right: the grid the window slides over (padding in grey, zeros inserted for
a stride in pale yellow), the patch under the window, the kernel, their products, and the
output filling in. One row per input channel. Below, the sum written out. Play, pause, step
and restart; a speed slider; optionally one product at a time.

The examples are the references' own (:mod:`cnnviz.lessons.convcatalogue`, frames from
:mod:`cnnviz.lessons.convsteps`); with a snapshot that carries ``conv_layers``
(``ViewRequest(explain=True)``) the conv layers of the live network join the list, and a click
on the output picks the position. The grids are drawn by :mod:`cnnviz.app.widgets.convcanvas`.
"""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cnnviz.i18n import QT_TRANSLATE_NOOP
from cnnviz.lessons.convcatalogue import examples
from cnnviz.lessons.convsteps import ConvExample, ConvLayerData, live_example
from cnnviz.lessons.numbers import cell_text

from ..widgets.convcanvas import MAX_ROWS, ConvCanvas
from ..widgets.flow import FlowLayout
from .registry import LOWER, Panel
from .rules import displayable

translate = QCoreApplication.translate  # extracted by pyside6-lupdate

SPEEDS = [0.5, 1, 2, 3, 5, 8, 12, 20, 30]  # steps per second on the slider


class ConvExplainerPanel(Panel):
    """The convolution explainer tab: a convolution step by step, live numbers included."""

    key, place = "explainer", LOWER
    title = QT_TRANSLATE_NOOP("Panels", "Convolution explainer")
    concept = "explainer"
    needs = frozenset({"explain"})
    scrolled = True

    def build(self) -> ConvExplainer:
        return ConvExplainer()

    def set_scale(self, factor: float) -> None:
        self.widget.set_scale(factor)


def explainer_css(factor: float) -> str:
    """The explainer's dark style sheet, its text at ``factor`` times 12 pt."""
    pt = f"{12 * factor:g}pt"
    return (
        "#ConvExplainer { background: #11151a; } "
        f"#ConvExplainer QLabel, #ConvExplainer QCheckBox {{ color: #f4f6f8; font-size: {pt}; }}"
        f"#ConvExplainer QPushButton {{ background: #2a313a; color: #f4f6f8; font-size: {pt};"
        " border: 1px solid #4a5562; border-radius: 5px; padding: 4px 14px; }"
        "#ConvExplainer QPushButton:hover { background: #36404b; }"
        "#ConvExplainer QPushButton:pressed { background: #ff9f1c; color: #11151a; }"
        "#ConvExplainer QComboBox, #ConvExplainer QSpinBox { background: #2a313a;"
        f" color: #f4f6f8; font-size: {pt}; border: 1px solid #4a5562; border-radius: 4px;"
        " padding: 3px 8px; }"
        "#ConvExplainer QComboBox QAbstractItemView { background: #2a313a; color: #f4f6f8;"
        " selection-background-color: #ff9f1c; selection-color: #11151a; }"
    )


EXPLAINER_POINTS = 16  # the text under the grids at scale 1


class ConvExplainer(QWidget):
    """Step through a convolution window by window.

    Public API
    ----------
    render(snapshot)        take the live conv layers of a snapshot (``snapshot.conv_layers``)
    example_keys()          the keys that can be chosen: the references' examples, then
                            ``"live:<layer>"`` for each conv layer of the live network
    set_example(key)        choose one (restarts at the first window)
    example()               the :class:`ConvExample` shown (None before any)
    play(), pause(), step(), restart(), set_frame(i), frame_index()
    set_speed(steps_per_second), set_cell_by_cell(bool), revealed()
    set_live_map(o)         the output map of a live layer
    equation_text()         the sum written out, as shown under the grids
    """

    exampleChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ConvExplainer")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(explainer_css(1.0))
        self._catalogue = {ex.key: ex for ex in examples()}
        self._live: dict[str, ConvLayerData] = {}
        self._key = ""
        self._example: ConvExample | None = None
        self._frame = 0
        self._sub: int | None = None  # products revealed in the current frame (None: all)
        self._cell_by_cell = False
        self._live_map = 0
        self._channel: int | None = None

        self.combo = QComboBox()
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(18)
        self.play_button = QPushButton(translate("convexplainer", "▶ Play"))
        self.step_button = QPushButton(translate("convexplainer", "Step ▸"))
        self.restart_button = QPushButton(translate("convexplainer", "⟲ Restart"))
        self.speed = QSlider(Qt.Orientation.Horizontal)
        self.speed.setRange(0, len(SPEEDS) - 1)
        self.speed.setValue(2)
        self.speed.setFixedWidth(140)
        self.speed_label = QLabel()
        self.cell_check = QCheckBox(translate("convexplainer", "one product at a time"))
        self.map_spin = QSpinBox()
        self.map_spin.setPrefix(translate("convexplainer", "output map "))
        self.channel_spin = QSpinBox()
        self.channel_spin.setPrefix(translate("convexplainer", "input map "))
        for w in (self.play_button, self.step_button, self.restart_button):
            w.setMinimumHeight(34)

        bar_box = QWidget()  # wraps onto more lines when the tab is narrow or the text large
        bar = FlowLayout(bar_box, spacing=6)
        bar.addWidget(self.combo)
        bar.addWidget(self.play_button)
        bar.addWidget(self.step_button)
        bar.addWidget(self.restart_button)
        bar.addWidget(QLabel(translate("convexplainer", "speed")))
        bar.addWidget(self.speed)
        bar.addWidget(self.speed_label)
        bar.addWidget(self.cell_check)
        live = QHBoxLayout()
        live.addWidget(self.map_spin)
        live.addWidget(self.channel_spin)
        live.addStretch(1)

        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setTextFormat(Qt.TextFormat.PlainText)
        self.canvas = ConvCanvas(self)
        self.canvas.setMinimumHeight(300)  # below this the grids would overlap the text
        self.equation = QLabel()
        self.equation.setWordWrap(True)
        self.equation.setTextFormat(Qt.TextFormat.RichText)
        self.equation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.source = QLabel()
        self.source.setWordWrap(True)
        self.source.setTextFormat(Qt.TextFormat.PlainText)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 10, 12, 10)
        lay.setSpacing(6)
        lay.addWidget(bar_box)
        lay.addLayout(live)
        lay.addWidget(self.title)
        lay.addWidget(self.description)
        lay.addWidget(self.canvas, 1)
        lay.addWidget(self.equation)
        lay.addWidget(self.source)
        self._font_size = EXPLAINER_POINTS
        self._style_text()

        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self.play_button.clicked.connect(self._toggle)
        self.step_button.clicked.connect(self.step)
        self.restart_button.clicked.connect(self.restart)
        self.speed.valueChanged.connect(self._speed_changed)
        self.cell_check.toggled.connect(self.set_cell_by_cell)
        self.combo.currentIndexChanged.connect(self._combo_changed)
        self.map_spin.valueChanged.connect(self.set_live_map)
        self.channel_spin.valueChanged.connect(self._channel_changed)
        self.canvas.outputClicked.connect(self.set_frame)
        self._fill_combo()
        self._speed_changed(self.speed.value())
        self.set_example(next(iter(self._catalogue)))

    # ------------------------------------------------------------------ public
    def example_keys(self) -> list[str]:
        return list(self._catalogue) + [f"live:{name}" for name in self._live]

    def example(self) -> ConvExample | None:
        return self._example

    def frame_index(self) -> int:
        return self._frame

    def revealed(self) -> int | None:
        """Products of the current frame shown so far (None: all, the sum is complete)."""
        return self._sub

    def set_example(self, key: str) -> None:
        if key.startswith("live:"):
            data = self._live.get(key[5:])
            if data is None:
                raise KeyError(f"no live conv layer {key[5:]!r}")
            self._live_map = min(self._live_map, data.weight.shape[0] - 1)
            ex = live_example(data, self._live_map)
            ex.source["out_channel"] = self._live_map
        else:
            ex = self._catalogue[key]
        changed = key != self._key
        self._key = key
        self._example = ex
        if changed:
            self._channel = None
            self.restart()
        else:
            self._frame = min(self._frame, len(ex.frames) - 1)
        idx = self.combo.findData(key)
        if idx >= 0 and idx != self.combo.currentIndex():
            self.combo.blockSignals(True)
            self.combo.setCurrentIndex(idx)
            self.combo.blockSignals(False)
        self._sync_live_controls()
        self._refresh()
        if changed:
            self.exampleChanged.emit(key)

    def render(self, snapshot) -> None:
        """Take the live network's conv layers from a snapshot (made with
        ``ViewRequest(explain=True)``); a live example shown is updated in place."""
        layers = list(snapshot.conv_layers or [])
        new = {d.name: d for d in layers}
        if list(new) != list(self._live):
            self._live = new
            self._fill_combo()
        else:
            self._live = new
        if self._key.startswith("live:"):
            if self._key[5:] in self._live:
                self.set_example(self._key)
            else:
                self.set_example(next(iter(self._catalogue)))

    def play(self) -> None:
        if self._example is None:
            return
        if self._at_end():
            self.restart()
        self._timer.start()
        self.play_button.setText(translate("convexplainer", "❚❚ Pause"))

    def pause(self) -> None:
        self._timer.stop()
        self.play_button.setText(translate("convexplainer", "▶ Play"))

    def is_playing(self) -> bool:
        return self._timer.isActive()

    def step(self) -> None:
        """One window further (or one product, in product-at-a-time mode)."""
        ex = self._example
        if ex is None:
            return
        n = ex.frames[self._frame].products.size
        if self._sub is not None and self._sub < n:
            self._sub += 1
            if self._sub == n:
                self._sub = None
        elif self._frame + 1 < len(ex.frames):
            self._frame += 1
            self._sub = 0 if self._cell_by_cell else None
        else:
            self.pause()
        self._refresh()

    def restart(self) -> None:
        self._frame = 0
        self._sub = 0 if self._cell_by_cell else None
        self._refresh()

    def set_frame(self, index: int) -> None:
        """Jump to frame ``index`` with its sum complete."""
        if self._example is None:
            return
        self._frame = min(max(int(index), 0), len(self._example.frames) - 1)
        self._sub = None
        self._refresh()

    def set_speed(self, steps_per_second: float) -> None:
        i = int(np.argmin([abs(s - steps_per_second) for s in SPEEDS]))
        self.speed.setValue(i)

    def set_cell_by_cell(self, on: bool) -> None:
        self._cell_by_cell = bool(on)
        if self.cell_check.isChecked() != self._cell_by_cell:
            self.cell_check.setChecked(self._cell_by_cell)
        if not on:
            self._sub = None
        self._refresh()

    def set_live_map(self, o: int) -> None:
        self._live_map = max(0, int(o))
        if self._key.startswith("live:"):
            frame = self._frame
            self.set_example(self._key)
            self.set_frame(frame)

    def set_scale(self, factor: float) -> None:
        """Every text at ``factor`` times its normal size."""
        self.setStyleSheet(explainer_css(factor))
        self._font_size = EXPLAINER_POINTS * factor
        self._style_text()

    def set_font_size(self, points: int) -> None:
        """Point size of the text under the grids (the grids scale with the widget)."""
        self._font_size = max(8, int(points))
        self._style_text()
        self._refresh()

    def channel_shown(self, frame) -> int:
        """Row (index into frame.channels) drawn when there are too many input maps."""
        if self._channel is not None and self._channel < len(frame.channels):
            return self._channel
        sums = np.abs(frame.products.reshape(len(frame.channels), -1).sum(axis=1))
        return int(np.argmax(sums)) if sums.size else 0

    def equation_text(self) -> str:
        return html.unescape(_strip_tags(self.equation.text()))

    # ------------------------------------------------------------------ internals
    def _style_text(self) -> None:
        s = self._font_size
        self.title.setStyleSheet(f"font-size: {s * 1.25:.3g}pt; font-weight: 700;")
        self.description.setStyleSheet(f"font-size: {s * 0.85:.3g}pt; color: #b9c3cf;")
        self.equation.setStyleSheet(f"font-size: {s * 1.2:.3g}pt; font-weight: 600;")
        self.source.setStyleSheet(f"font-size: {s * 0.75:.3g}pt; color: #7cc4ff;")

    def _fill_combo(self) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        for key, ex in self._catalogue.items():
            self.combo.addItem(ex.title, key)
        for name, d in self._live.items():
            o, c = d.weight.shape[:2]
            self.combo.addItem(
                translate("convexplainer", "Live network: {layer} ({maps} maps, {size})").format(
                    layer=name, maps=f"{c}→{o}", size=f"{d.weight.shape[2]}×{d.weight.shape[3]}"
                ),
                f"live:{name}",
            )
        idx = self.combo.findData(self._key)
        self.combo.setCurrentIndex(max(idx, 0))
        self.combo.blockSignals(False)

    def _combo_changed(self, index: int) -> None:
        key = self.combo.itemData(index)
        if key:
            self.set_example(key)

    def _sync_live_controls(self) -> None:
        live = self._key.startswith("live:")
        self.map_spin.setVisible(live)
        ex = self._example
        many = ex is not None and ex.grid.shape[0] > MAX_ROWS
        self.channel_spin.setVisible(bool(many))
        if live:
            data = self._live[self._key[5:]]
            self.map_spin.blockSignals(True)
            self.map_spin.setRange(0, data.weight.shape[0] - 1)
            self.map_spin.setValue(self._live_map)
            self.map_spin.blockSignals(False)
        if many:
            self.channel_spin.blockSignals(True)
            self.channel_spin.setRange(0, ex.grid.shape[0] - 1)
            self.channel_spin.blockSignals(False)

    def _channel_changed(self, c: int) -> None:
        ex = self._example
        if ex is None:
            return
        frame = ex.frames[self._frame]
        self._channel = frame.channels.index(c) if c in frame.channels else None
        self._refresh()

    def _speed_changed(self, i: int) -> None:
        sps = SPEEDS[i]
        self.speed_label.setText(f"{sps:g}/s")
        self._timer.setInterval(round(1000 / sps))

    def _toggle(self) -> None:
        if self.is_playing():
            self.pause()
        else:
            self.play()

    def _tick(self) -> None:
        self.step()
        if self._at_end():
            self.pause()

    def _at_end(self) -> bool:
        ex = self._example
        return ex is None or (self._frame == len(ex.frames) - 1 and self._sub is None)

    def _refresh(self) -> None:
        ex = self._example
        if ex is None:
            return
        self.title.setText(ex.title)
        self.description.setText(ex.description)
        self.source.setText(translate("convexplainer", "Source: ") + displayable(ex.cite))
        self.equation.setText(self._equation(ex))
        self.canvas.update()

    def _equation(self, ex: ConvExample) -> str:
        f = ex.frames[self._frame]
        m, i, j = f.out
        if ex.kind == "weight_grad":
            lhs = f"∂E/∂W[{i}, {j}]"
        else:
            symbol = "∂E/∂x" if ex.kind == "input_grad" else "u"
            mm = int(ex.source.get("out_channel", m)) if ex.kind == "live" else m
            lhs = f"{symbol}[{mm}, {i}, {j}]"
        prods = f.products.ravel()
        pa, ka = f.patch.ravel(), f.kernel.ravel()
        n = prods.size if self._sub is None else self._sub
        bias = ""
        if ex.kind in ("forward", "live"):
            bias = f" + b {_par(f.bias)}"
        count = translate("convexplainer", "window {k} of {n}: ").format(
            k=self._frame + 1, n=len(ex.frames)
        )
        if prods.size <= 9:
            terms = [f"{_par(pa[k])}·{_par(ka[k])}" for k in range(n)]
            body = " + ".join(terms) if terms else "…"
        elif len(f.channels) == 1:
            top = sorted(np.argsort(-np.abs(prods[:n]), kind="stable")[:3].tolist())
            body = " + ".join(f"{_par(pa[k])}·{_par(ka[k])}" for k in top)
            body += translate("convexplainer", " + … ({n} products, Σ = {sum})").format(
                n=n, sum=cell_text(float(prods[:n].sum()))
            )
        else:
            per = f.products.reshape(len(f.channels), -1)
            terms = []
            for r in range(len(f.channels)):
                shown = int(np.clip(n - r * per.shape[1], 0, per.shape[1]))
                if shown:
                    terms.append(_par(float(per[r, :shown].sum())))
            if len(terms) > 8:
                rest = float(per[8:].sum())
                terms = [*terms[:8], f"… {_par(rest)}"]
            per_map = (
                translate("convexplainer", " (one sum per δ map)")
                if ex.kind == "input_grad"
                else translate("convexplainer", " (one sum per input map)")
            )
            body = (" + ".join(terms) if terms else "…") + per_map
        if self._sub is not None:
            running = float(f.running[n - 1]) if n else 0.0
            text = f"{count}{lhs} = {body}{' + …' if n < prods.size else ''}" + translate(
                "convexplainer", "   (running sum after {k} of {n}: {sum})"
            ).format(k=n, n=prods.size, sum=cell_text(running))
        else:
            text = f"{count}{lhs} = {body}{bias} = <b>{cell_text(f.value)}</b>"
            if ex.kind == "live":
                o = int(ex.source.get("out_channel", 0))
                data = self._live.get(self._key[5:])
                if data is not None:
                    engine = float(data.u[o, i, j])
                    ok = abs(engine - f.value) <= 1e-4 * max(1.0, abs(engine))
                    mark = "✓" if ok else "✗"
                    text += (
                        f'  <span style="color: {"#5ee39a" if ok else "#ff6b7f"}">'
                        + translate("convexplainer", "engine {value}").format(
                            value=cell_text(engine)
                        )
                        + f" {mark}</span>"
                    )
        return f"<span>{html.escape(displayable(ex.formula))}</span><br>{text}"


def _par(v: float) -> str:
    s = cell_text(v)
    return f"({s})" if s.startswith("−") else s


def _strip_tags(text: str) -> str:
    import re

    return re.sub(r"<br>", "\n", re.sub(r"<(?!br>)[^>]+>", "", text))
