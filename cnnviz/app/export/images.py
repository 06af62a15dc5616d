"""Pictures for slides: a widget as a sharp PNG or an SVG, and animated GIFs.

* :func:`export_png` renders a widget at ``scale`` times its size (2 by default), so text and
  lines stay crisp on a slide; :func:`export_svg` writes it as SVG (QtSvg's QSvgGenerator:
  text and lines as vectors, maps as embedded images).
* :func:`~cnnviz.app.export.gif.write_gif` (:mod:`.gif`) writes the animated GIFs below.
* :func:`gif_of_filters` animates a conv layer's kernels over the timeline and
  :func:`gif_of_backward_sweep` one backward pass, δ stage by stage from the output back to
  the input. Their inputs are plain arrays computed in the training process
  (:meth:`Timeline.kernel_series <cnnviz.training.timeline.Timeline.kernel_series>`,
  :func:`~cnnviz.training.timeline.backward_sweep`); here they only become pixels.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from cnnviz.training.timeline import SweepFrame

from .. import colors
from ..widgets.mapgrid import fmt_value
from ..widgets.mosaic import PANEL_BG
from ..widgets.tiling import best_layout
from .gif import ExportError, write_gif

BACKWARD_COLOR = "#f4511e"  # as the overview's backward frame
TEXT_COLOR = "#f4f6f8"
MUTED_TEXT = "#aab4c0"
_A = QtCore.Qt.AlignmentFlag
LEFT, RIGHT, CENTER = (
    _A.AlignLeft | _A.AlignVCenter,
    _A.AlignRight | _A.AlignVCenter,
    _A.AlignCenter,
)


# ---------------------------------------------------------------------------------- widgets
def render_widget(widget: QtWidgets.QWidget, scale: float = 2.0) -> QtGui.QImage:
    """The widget (and its children) painted at ``scale`` times its size."""
    if not scale > 0:
        raise ValueError("the scale must be positive")
    _lay_out(widget)
    size = widget.size()
    w, h = max(1, round(size.width() * scale)), max(1, round(size.height() * scale))
    img = QtGui.QImage(w, h, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(widget.palette().color(QtGui.QPalette.ColorRole.Window))
    dots = round(96 * scale / 0.0254)  # so a slide program places it at the on-screen size
    img.setDotsPerMeterX(dots)
    img.setDotsPerMeterY(dots)
    p = QtGui.QPainter(img)
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing)
    p.scale(scale, scale)
    flags = (
        QtWidgets.QWidget.RenderFlag.DrawWindowBackground
        | QtWidgets.QWidget.RenderFlag.DrawChildren
    )
    # QWidget.render named explicitly: the views have a render(snapshot) method of their own
    QtWidgets.QWidget.render(widget, p, QtCore.QPoint(0, 0), QtGui.QRegion(widget.rect()), flags)
    p.end()
    return img


def export_png(widget: QtWidgets.QWidget, path: str | os.PathLike, scale: float = 2.0):
    """Write the widget as a PNG of ``scale`` × its size in pixels; returns the QImage."""
    img = render_widget(widget, scale)
    if not img.save(str(path), "PNG"):
        raise ExportError(f"could not write {path}")
    return img


def export_svg(widget: QtWidgets.QWidget, path: str | os.PathLike, title: str = "cnnviz") -> None:
    """Write the widget as SVG: text and lines as vectors, maps as embedded images."""
    from PySide6.QtSvg import QSvgGenerator

    _lay_out(widget)
    size = widget.size()
    gen = QSvgGenerator()
    gen.setFileName(str(path))
    gen.setSize(size)
    gen.setViewBox(QtCore.QRect(0, 0, size.width(), size.height()))
    gen.setResolution(96)
    gen.setTitle(title)
    gen.setDescription("exported from cnnviz")
    p = QtGui.QPainter()
    if not p.begin(gen):
        raise ExportError(f"could not write {path}")
    flags = (
        QtWidgets.QWidget.RenderFlag.DrawWindowBackground
        | QtWidgets.QWidget.RenderFlag.DrawChildren
    )
    # QWidget.render named explicitly: the views have a render(snapshot) method of their own
    QtWidgets.QWidget.render(widget, p, QtCore.QPoint(0, 0), QtGui.QRegion(widget.rect()), flags)
    p.end()
    if not Path(path).is_file() or Path(path).stat().st_size == 0:
        raise ExportError(f"could not write {path}")


def _lay_out(widget: QtWidgets.QWidget) -> None:
    """Make a widget that was never shown lay out its children at its current size."""
    widget.ensurePolished()
    if not widget.isVisible():
        widget.setAttribute(QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        widget.show()
        QtWidgets.QApplication.processEvents()
        widget.hide()
        widget.setAttribute(QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen, False)
    elif widget.layout() is not None:
        widget.layout().activate()


# ---------------------------------------------------------------------------------- pictures
def qimage_to_array(img: QtGui.QImage) -> np.ndarray:
    """(H, W, 3) uint8 copy of a QImage."""
    img = img.convertToFormat(QtGui.QImage.Format.Format_RGB888)
    h, w, stride = img.height(), img.width(), img.bytesPerLine()
    buf = np.frombuffer(img.constBits(), dtype=np.uint8, count=stride * h)
    return buf.reshape(h, stride)[:, : w * 3].reshape(h, w, 3).copy()


def array_to_qimage(a: np.ndarray) -> QtGui.QImage:
    a = np.ascontiguousarray(a, dtype=np.uint8)
    h, w = a.shape[:2]
    return QtGui.QImage(a.data, w, h, 3 * w, QtGui.QImage.Format.Format_RGB888).copy()


def colorize(values: np.ndarray, kind: str, lo: float, hi: float) -> np.ndarray:
    """``values`` coloured with ``kind``'s colormap between lo and hi: (…, 3) uint8."""
    table = colors.lut(kind)[:, :3]
    span = hi - lo if hi > lo else 1.0
    with np.errstate(invalid="ignore"):
        t = np.nan_to_num((np.asarray(values, dtype=np.float64) - lo) / span, nan=0.5)
    return table[np.clip(np.round(t * 255), 0, 255).astype(np.intp)].astype(np.uint8)


def grid_image(
    cells: np.ndarray, rows: int, cols: int, zoom: int, gap: int, bg=PANEL_BG, order="C"
) -> np.ndarray:
    """(n, h, w, 3) coloured cells, each enlarged ``zoom`` times (square pixels), tiled into a
    rows × cols grid ``gap`` pixels apart, row by row (``order="C"``) or column by column
    (``"F"``): (H, W, 3) uint8."""
    n, h, w = cells.shape[:3]
    big = np.repeat(np.repeat(cells, zoom, axis=1), zoom, axis=2)
    ch, cw = h * zoom, w * zoom
    out = np.empty((rows * ch + (rows - 1) * gap, cols * cw + (cols - 1) * gap, 3), np.uint8)
    out[:] = QtGui.QColor(bg).getRgb()[:3]
    for i in range(n):
        r, c = divmod(i, cols) if order == "C" else divmod(i, rows)[::-1]
        out[r * (ch + gap) : r * (ch + gap) + ch, c * (cw + gap) : c * (cw + gap) + cw] = big[i]
    return out


def _thousands(n: int) -> str:
    return f"{int(n):,}".replace(",", "\u2009")


def _font(pixels: float, bold: bool = False) -> QtGui.QFont:
    f = QtGui.QFont("DejaVu Sans")
    f.setPixelSize(max(6, round(pixels)))
    f.setBold(bold)
    return f


def _text(p: QtGui.QPainter, rect, text: str, size: float, color=TEXT_COLOR, bold=False,
          align=CENTER) -> None:  # fmt: skip
    p.setFont(_font(size, bold))
    p.setPen(QtGui.QColor(color))
    p.drawText(QtCore.QRectF(*rect), align, text)


def _colorbar(p: QtGui.QPainter, x, y, w, h, kind: str, lo: float, hi: float, size: float):
    ramp = colorize(np.linspace(lo, hi, max(int(w), 2))[None, :], kind, lo, hi)
    p.drawImage(QtCore.QRectF(x, y, w, h), array_to_qimage(np.repeat(ramp, 2, axis=0)))
    r = (x, y + h + 2, w, size * 1.5)
    if colors.is_signed(kind) and w < 11 * size:  # narrow: one label for both ends
        _text(p, r, f"±{fmt_value(hi)}", size, MUTED_TEXT, align=_A.AlignHCenter | _A.AlignTop)
        return
    _text(p, r, fmt_value(lo), size, MUTED_TEXT, align=_A.AlignLeft | _A.AlignTop)
    _text(p, r, fmt_value(hi), size, MUTED_TEXT, align=_A.AlignRight | _A.AlignTop)
    if colors.is_signed(kind):
        _text(p, r, "0", size, MUTED_TEXT, align=_A.AlignHCenter | _A.AlignTop)


def _painted(width: int, height: int, draw) -> np.ndarray:
    img = QtGui.QImage(width, height, QtGui.QImage.Format.Format_RGB888)
    img.fill(QtGui.QColor(PANEL_BG))
    p = QtGui.QPainter(img)
    p.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing)
    p.setRenderHint(QtGui.QPainter.RenderHint.SmoothPixmapTransform, False)
    draw(p)
    p.end()
    return qimage_to_array(img)


# filters over time
def filter_frames(
    steps: Sequence[int],
    kernels: np.ndarray,
    layer: str = "",
    *,
    size: tuple[int, int] = (720, 540),
    levels: str = "all",
    max_filters: int = 32,
    max_channels: int = 16,
) -> list[np.ndarray]:
    """One picture per timeline entry of a conv layer's kernels ((N, out, in, kh, kw), e.g.
    from ``Timeline.kernel_series(layer)``): filters as rows and input channels as columns
    (a single input channel: filters in a grid), coloured blue–white–red about zero with one
    range for the whole animation (``levels="all"``) or each frame's own (``"frame"``)."""
    kernels = np.asarray(kernels)
    if kernels.ndim != 5 or len(steps) != kernels.shape[0] or kernels.shape[0] == 0:
        raise ValueError("expected steps (N,) and kernels (N, out, in, kh, kw)")
    n, o, c, kh, kw = kernels.shape
    o, c = min(o, max_filters), min(c, max_channels)
    k = kernels[:, :o, :c]
    width, height = size
    title_h, bar_h, pad = 44, 46, 16
    avail_w, avail_h = width - 2 * pad, height - title_h - bar_h - pad
    if c == 1:
        rows, cols = best_layout(o, kh, kw, avail_w, avail_h, gap=1)
    else:
        rows, cols = o, c
    gap_cells = 2
    zoom = max(1, int(min((avail_w - (cols - 1) * gap_cells) / (cols * kw),
                          (avail_h - (rows - 1) * gap_cells) / (rows * kh))))  # fmt: skip
    gap = max(2, zoom // 4)
    zoom = max(1, int(min((avail_w - (cols - 1) * gap) / (cols * kw),
                          (avail_h - (rows - 1) * gap) / (rows * kh))))  # fmt: skip
    overall = float(np.nanmax(np.abs(k))) if k.size else 1.0
    note = []
    if o < kernels.shape[1]:
        note.append(f"filters 1–{o} of {kernels.shape[1]}")
    if c < kernels.shape[2]:
        note.append(f"inputs 1–{c} of {kernels.shape[2]}")
    frames = []
    first, last = int(steps[0]), int(steps[-1])
    for i in range(n):
        m = overall if levels == "all" else float(np.nanmax(np.abs(k[i]))) or 1.0
        m = m or 1.0
        cells = colorize(k[i].reshape(o * c, kh, kw), "weight", -m, m)
        grid = array_to_qimage(grid_image(cells, rows, cols, zoom, gap))
        step = int(steps[i])

        def draw(p, grid=grid, step=step, m=m):
            head = f"{layer} filters" if layer else "Filters"
            line = (pad, 6, width - 2 * pad, 32)
            _text(p, line, f"{head} — step {_thousands(step)}", 22, bold=True, align=LEFT)
            shape = ", ".join([f"{kernels.shape[1]}×{kernels.shape[2]}×{kh}×{kw}", *note])
            _text(p, line, shape, 15, MUTED_TEXT, align=RIGHT)
            gx = (width - grid.width()) / 2
            gy = title_h + (avail_h - grid.height()) / 2
            p.drawImage(QtCore.QPointF(gx, gy), grid)
            by = height - bar_h
            _colorbar(p, pad, by + 4, width * 0.45, 10, "weight", -m, m, 14)
            # where this step sits in the run
            tx, tw = width * 0.55, width * 0.45 - pad
            p.fillRect(QtCore.QRectF(tx, by + 8, tw, 3), QtGui.QColor(MUTED_TEXT))
            t = 0.0 if last == first else (step - first) / (last - first)
            p.setBrush(QtGui.QColor(BACKWARD_COLOR))
            p.setPen(QtCore.Qt.PenStyle.NoPen)
            p.drawEllipse(QtCore.QPointF(tx + t * tw, by + 9.5), 6, 6)
            span = f"steps {_thousands(first)} … {_thousands(last)}"
            _text(p, (tx, by + 18, tw, 20), span, 14, MUTED_TEXT)

        frames.append(_painted(width, height, draw))
    return frames


def gif_of_filters(
    path: str | os.PathLike,
    steps: Sequence[int],
    kernels: np.ndarray,
    layer: str = "",
    fps: float = 4.0,
    hold_last: float = 1.5,
    **options,
) -> int:
    """An animated GIF of a conv layer's kernels over the timeline (see
    :func:`filter_frames`); the last frame stays ``hold_last`` seconds. Returns its size."""
    frames = filter_frames(steps, kernels, layer, **options)
    durations = [1.0 / fps] * len(frames)
    durations[-1] = max(durations[-1], hold_last)
    return write_gif(path, frames, durations=durations)


# one backward sweep
def sweep_frames(
    frames: Sequence[SweepFrame], *, panel_height: int = 300, max_width: int = 1400
) -> list[np.ndarray]:
    """One picture per :class:`SweepFrame`: every stage that gets a δ as a panel, input
    side on the left, the δ maps computed so far in blue–white–red (one range per stage for
    the whole sweep), the stage just computed framed in orange."""
    if not frames:
        raise ValueError("no sweep frames")
    stages = frames[0].stages
    shown = [s.index for s in stages if any(
        f.maps[s.index] is not None for f in frames if s.index < len(f.maps))]  # fmt: skip
    if not shown:
        raise ValueError("the sweep has no δ maps")
    final: dict[int, np.ndarray] = {}
    for f in frames:
        for i in shown:
            if i < len(f.maps) and f.maps[i] is not None:
                final[i] = np.asarray(f.maps[i])
    ranges = {i: float(np.nanmax(np.abs(final[i]))) or 1.0 for i in shown}

    caption_h, label_h, bar_h, pad, spacing = 46, 56, 40, 14, 14
    arrow_w = 26
    n = len(shown)
    avail_w = (max_width - 2 * pad - (n - 1) * (spacing + arrow_w)) / n
    layouts = {}
    for i in shown:
        a = final[i]
        if a.ndim == 3:
            cells, (h, w) = a, a.shape[1:]
            rows, cols = best_layout(a.shape[0], h, w, avail_w, panel_height, gap=1)
        else:  # a vector: cells in columns of at most 16
            cells, h, w = a.reshape(-1, 1, 1), 1, 1
            rows = min(a.size, 16)
            cols = math.ceil(a.size / rows)
        gap = 2
        zoom = int(min((avail_w - (cols - 1) * gap) / (cols * w),
                       (panel_height - (rows - 1) * gap) / (rows * h)))  # fmt: skip
        zoom = max(1, min(zoom, 24 if a.ndim == 1 else 64))
        gw, gh = cols * w * zoom + (cols - 1) * gap, rows * h * zoom + (rows - 1) * gap
        layouts[i] = (cells.shape, rows, cols, zoom, gap, gw, gh, "C" if a.ndim == 3 else "F")
    widths = [max(layouts[i][5], 120) for i in shown]
    width = int(sum(widths) + (n - 1) * (spacing + arrow_w) + 2 * pad)
    height = caption_h + label_h + panel_height + bar_h + pad
    names = {s.index: s for s in stages}

    pictures = []
    for f in frames:

        def draw(p, f=f):
            line = (pad, 6, width - 2 * pad, 34)
            _text(p, line, f.caption or "backward pass", 22, bold=True, align=LEFT)
            _text(p, line, "◀ δ flows from the loss back to the input", 15, MUTED_TEXT, align=RIGHT)
            x = pad
            top = caption_h + label_h
            for k, (i, pw) in enumerate(zip(shown, widths, strict=True)):
                stage = names[i]
                shape, rows, cols, zoom, gap, gw, gh, order = layouts[i]
                active = f.active == i
                head, _, shape_text = stage.label.partition(" + ")[0].rpartition(" ")
                title = f"{head}\n{shape_text}"
                rect = (x - spacing / 2, caption_h, pw + spacing, label_h - 6)
                color = TEXT_COLOR if active else MUTED_TEXT
                _text(p, rect, title, 15, color, active, _A.AlignHCenter | _A.AlignBottom)
                box = QtCore.QRectF(x - 5, top - 5, pw + 10, panel_height + 10)
                d = f.maps[i] if i < len(f.maps) else None
                if d is None:
                    p.setPen(QtGui.QPen(QtGui.QColor("#4a5562"), 2, QtCore.Qt.PenStyle.DashLine))
                    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
                    p.drawRoundedRect(box, 6, 6)
                    _text(p, (x, top, pw, panel_height), "δ not yet", 15, "#6c7886")
                else:
                    m = ranges[i]
                    cells = colorize(np.asarray(d).reshape(shape), "delta", -m, m)
                    grid = array_to_qimage(grid_image(cells, rows, cols, zoom, gap, order=order))
                    at = QtCore.QPointF(x + (pw - gw) / 2, top + (panel_height - gh) / 2)
                    p.drawImage(at, grid)
                    if active:
                        p.setPen(QtGui.QPen(QtGui.QColor(BACKWARD_COLOR), 4))
                        p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
                        p.drawRoundedRect(box, 6, 6)
                    _colorbar(p, x, top + panel_height + 12, pw, 8, "delta", -m, m, 12)
                if k < n - 1:
                    rect = (x + pw + spacing / 2, top, arrow_w + spacing / 2, panel_height)
                    lit = f.active == shown[k + 1]
                    _text(p, rect, "◀", 20, BACKWARD_COLOR if lit else "#6c7886")
                x += pw + spacing + arrow_w

        pictures.append(_painted(width, height, draw))
    return pictures


def gif_of_backward_sweep(
    path: str | os.PathLike,
    frames: Sequence[SweepFrame],
    fps: float = 1.5,
    hold_last: float = 2.5,
    **options,
) -> int:
    """An animated GIF of one backward pass (see :func:`sweep_frames`); returns its size."""
    pictures = sweep_frames(frames, **options)
    durations = [1.0 / fps] * len(pictures)
    durations[-1] = max(durations[-1], hold_last)
    return write_gif(path, pictures, durations=durations)
