"""Building blocks of the layer inspector: a titled section and the enlarged-map dialog."""

from __future__ import annotations

from PySide6 import QtGui, QtWidgets

from .mapgrid import MapGrid


def header_font(widget: QtWidgets.QWidget, scale: float, bold: bool = True) -> QtGui.QFont:
    font = QtGui.QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    return font


class Section(QtWidgets.QFrame):
    """A titled block of the inspector: a header line and a body."""

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 6, 0, 2)
        lay.setSpacing(4)
        self.title_label = QtWidgets.QLabel(title)
        self.title_label.setFont(header_font(self, 1.15))
        self.title_label.setWordWrap(True)  # a long heading never widens the inspector
        line = QtWidgets.QFrame()
        line.setFrameShape(QtWidgets.QFrame.Shape.HLine)
        line.setFrameShadow(QtWidgets.QFrame.Shadow.Sunken)
        lay.addWidget(self.title_label)
        lay.addWidget(line)
        self.body = QtWidgets.QVBoxLayout()
        self.body.setSpacing(4)
        lay.addLayout(self.body)

    def set_title(self, text: str) -> None:
        if text != self.title_label.text():
            self.title_label.setText(text)


class MapZoom(QtWidgets.QDialog):
    """One map (kernel, vector) large, with the values written in when they fit; it follows
    the live data until closed."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Enlarged map")
        self.setModal(False)
        self.resize(640, 640)
        lay = QtWidgets.QVBoxLayout(self)
        self.grid = MapGrid("", annotate=True)
        self.grid.title_label.setFont(header_font(self, 1.2))
        lay.addWidget(self.grid)
        self.key: tuple[str, int] | None = None
