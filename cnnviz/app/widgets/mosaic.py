"""The canvas a map grid paints its mosaic on: one scaled image, the mask overlay and a few
texts; and QImages made from NumPy pixels."""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

PANEL_BG = "#2b2f36"  # behind the maps: dark, so white (zero) and dark viridis both stand out


def qimage_argb(pixels: np.ndarray) -> QtGui.QImage:
    """A QImage of (H, W) uint32 premultiplied ARGB pixels, owning a copy of them (so no
    painter, grab or export can ever read memory numpy has freed)."""
    pixels = np.ascontiguousarray(pixels, dtype=np.uint32)
    h, w = pixels.shape
    fmt = QtGui.QImage.Format.Format_ARGB32_Premultiplied
    return QtGui.QImage(pixels.data, w, h, 4 * w, fmt).copy()


def qimage_rgba(pixels: np.ndarray) -> QtGui.QImage:
    """A QImage of (H, W, 4) uint8 RGBA pixels, owning a copy of them."""
    pixels = np.ascontiguousarray(pixels, dtype=np.uint8)
    h, w = pixels.shape[:2]
    return QtGui.QImage(pixels.data, w, h, 4 * w, QtGui.QImage.Format.Format_RGBA8888).copy()


class MosaicCanvas(QtWidgets.QWidget):
    """Paints a mosaic image (and a mask overlay and a few texts) scaled to fit, pixels kept
    square unless stretched, on a dark card; maps mouse positions back to mosaic pixels.

    Mosaic coordinates: x to the right and y down in image pixels, (0, 0) the top-left corner
    of the mosaic. Signals carry them: ``moved(x, y)``, ``pressed(x, y)``; ``left()`` when the
    mouse leaves, ``resized()`` after a resize.
    """

    moved = QtCore.Signal(float, float)
    pressed = QtCore.Signal(float, float)
    left = QtCore.Signal()
    resized = QtCore.Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setMinimumSize(24, 24)
        self.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Expanding
        )
        self._image: QtGui.QImage | None = None
        self._overlay: QtGui.QImage | None = None
        self._overlay_rect = QtCore.QRectF()
        self._bounds = QtCore.QRectF(0, 0, 1, 1)  # the mosaic region shown (with a margin)
        self._keep_aspect = True
        self._opacity = 1.0
        self._texts: list[tuple[float, float, str, bool]] = []  # x, y, text, dark
        self._card = QtGui.QColor(PANEL_BG)

    # ------------------------------------------------------------------ content
    def set_pixels(self, pixels: np.ndarray) -> None:
        """Show (H, W) uint32 premultiplied ARGB pixels."""
        self._image = qimage_argb(pixels)
        self.update()

    def set_overlay(self, rgba: np.ndarray | None, rect: QtCore.QRectF | None = None) -> None:
        """Draw (h, w, 4) RGBA pixels over ``rect`` of the mosaic (None: no overlay)."""
        if rgba is None:
            if self._overlay is not None:
                self._overlay = None
                self.update()
            return
        self._overlay = qimage_rgba(rgba)
        self._overlay_rect = QtCore.QRectF(rect)
        self.update()

    def set_bounds(self, rect: QtCore.QRectF, keep_aspect: bool = True) -> None:
        """The region of the mosaic to fit into the widget; ``keep_aspect`` keeps pixels
        square (centred, with margins), else the region is stretched to the widget."""
        if rect != self._bounds or keep_aspect != self._keep_aspect:
            self._bounds, self._keep_aspect = QtCore.QRectF(rect), keep_aspect
            self.update()

    def set_texts(self, texts: list[tuple[float, float, str, bool]]) -> None:
        """Texts centred on mosaic points: (x, y, text, dark), dark on light cells."""
        if texts != self._texts:
            self._texts = texts
            self.update()

    def set_opacity(self, opacity: float) -> None:
        if opacity != self._opacity:
            self._opacity = opacity
            self.update()

    @property
    def has_overlay(self) -> bool:
        return self._overlay is not None

    # ------------------------------------------------------------------ geometry
    def scale(self) -> tuple[float, float]:
        """Screen pixels per mosaic pixel, (x, y)."""
        b = self._bounds
        sx = self.width() / max(b.width(), 1e-9)
        sy = self.height() / max(b.height(), 1e-9)
        if self._keep_aspect:
            sx = sy = min(sx, sy)
        return sx, sy

    def transform(self) -> QtGui.QTransform:
        """Mosaic coordinates → widget coordinates."""
        sx, sy = self.scale()
        b = self._bounds
        ox = (self.width() - b.width() * sx) / 2 - b.left() * sx
        oy = (self.height() - b.height() * sy) / 2 - b.top() * sy
        return QtGui.QTransform(sx, 0, 0, sy, ox, oy)

    def map_to_mosaic(self, pos: QtCore.QPointF) -> QtCore.QPointF:
        inverse, _ok = self.transform().inverted()
        return inverse.map(QtCore.QPointF(pos))

    def map_from_mosaic(self, pos: QtCore.QPointF) -> QtCore.QPointF:
        return self.transform().map(QtCore.QPointF(pos))

    # ------------------------------------------------------------------ Qt
    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self._image is None:
            return
        p = QtGui.QPainter(self)
        p.setOpacity(self._opacity)
        t = self.transform()
        p.save()
        p.setTransform(t, True)  # combined: a scaled export painter stays scaled
        p.fillRect(self._bounds, self._card)
        p.drawImage(QtCore.QRectF(0, 0, self._image.width(), self._image.height()), self._image)
        if self._overlay is not None:
            p.drawImage(self._overlay_rect, self._overlay)
        p.restore()
        if self._texts:
            p.setFont(self.font())
            half = 200.0
            for x, y, text, dark in self._texts:
                c = t.map(QtCore.QPointF(x, y))
                p.setPen(QtGui.QColor("#000000" if dark else "#ffffff"))
                rect = QtCore.QRectF(c.x() - half, c.y() - half, 2 * half, 2 * half)
                p.drawText(rect, QtCore.Qt.AlignmentFlag.AlignCenter, text)
        p.end()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt API
        q = self.map_to_mosaic(event.position())
        self.moved.emit(q.x(), q.y())

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.button() == QtCore.Qt.MouseButton.LeftButton:
            q = self.map_to_mosaic(event.position())
            self.pressed.emit(q.x(), q.y())
            event.accept()
        else:
            super().mousePressEvent(event)

    def leaveEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.left.emit()
        super().leaveEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self.resized.emit()
