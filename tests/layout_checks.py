"""What the layout tests check in a real window: every control can be reached (inside the
window, or in a scroll area that can scroll to it) and no text is cut short."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDockWidget,
    QLabel,
    QScrollArea,
    QSlider,
    QTabBar,
    QTabWidget,
    QWidget,
)

CONTROLS = (QAbstractButton, QComboBox, QAbstractSpinBox, QSlider, QLabel)


def _name(w: QWidget) -> str:
    text = w.text() if hasattr(w, "text") and callable(w.text) else ""
    return f"{type(w).__name__}({str(text)[:30]!r}) in {type(w.parentWidget()).__name__}"


def unreachable(w: QWidget, root: QWidget) -> str | None:
    """Why ``w`` cannot be seen inside ``root`` (None if it can, perhaps after scrolling)."""
    r = QRect(0, 0, w.width(), w.height())
    child = w
    while child is not root:
        parent = child.parentWidget()
        if parent is None:
            return "not in the window"
        area = parent.parentWidget()
        if isinstance(area, QScrollArea) and child is area.widget():
            # reachable if the scroll bars can show it
            view = parent.rect()
            for size, room, policy in (
                (child.width(), view.width(), area.horizontalScrollBarPolicy()),
                (child.height(), view.height(), area.verticalScrollBarPolicy()),
            ):
                if size > room + 1 and policy == Qt.ScrollBarAlwaysOff:
                    return f"cut off in a scroll area that cannot scroll ({size} > {room})"
            if not QRect(0, 0, child.width(), child.height()).adjusted(-1, -1, 1, 1).contains(r):
                return "outside its scroll area's page"
            r, child = QRect(0, 0, area.width(), area.height()), area
            continue
        if isinstance(parent, QAbstractScrollArea) or isinstance(area, QAbstractScrollArea):
            r, child = QRect(0, 0, parent.width(), parent.height()), parent
            continue  # a view's own viewport (lists, graphics views)
        r = r.translated(child.pos())
        if not parent.rect().adjusted(-1, -1, 1, 1).contains(r):
            return f"cut off by {type(parent).__name__} {parent.size().toTuple()} at {r.getRect()}"
        child = parent
    return None


def elided(w: QWidget) -> str | None:
    """Why ``w``'s text does not fit (None if it does)."""
    if isinstance(w, QLabel):
        if not w.text() or w.wordWrap() or w.pixmap() is not None and not w.pixmap().isNull():
            return None
        if w.sizePolicy().horizontalPolicy() == w.sizePolicy().Policy.Ignored:
            return None
        need = w.minimumSizeHint()
    elif isinstance(w, QAbstractButton):
        if not w.text():
            return None
        need = w.minimumSizeHint() if not hasattr(w, "toolButtonStyle") else w.sizeHint()
    else:
        return None
    if w.width() + 1 < need.width() or w.height() + 1 < min(need.height(), w.maximumHeight()):
        return f"{w.size().toTuple()} < {need.toTuple()}"
    return None


def _dock_of(w: QWidget) -> QDockWidget | None:
    while w is not None and not isinstance(w, QDockWidget):
        w = w.parentWidget()
    return w


def problems(root: QWidget) -> list[str]:
    """Every control shown in ``root`` that is cut off or has its text cut short."""
    out = []
    for w in root.findChildren(QWidget):
        if not isinstance(w, CONTROLS) or not w.isVisibleTo(root) or w.window() is not root:
            continue
        if isinstance(w.parentWidget(), (QTabWidget, QTabBar, QDockWidget)):
            continue  # the tabs' scroll arrows, the docks' own buttons
        dock = _dock_of(w)
        if dock is not None and dock.visibleRegion().isEmpty():
            continue  # a dock tabbed behind another
        why = unreachable(w, root) or elided(w)
        if why:
            out.append(f"{_name(w)}: {why}")
    return out


def settle() -> None:
    """Let the layouts finish (a layout request reaches a scroll area one event later)."""
    for _ in range(4):
        QApplication.processEvents()
        QApplication.sendPostedEvents(None, QEvent.DeferredDelete)  # widgets replaced


def every_page_problems(window) -> list[str]:
    """:func:`problems` with each lower tab and each Progress tab shown in turn."""
    out = []
    tabs = [window.lower, window.progress_tabs]
    for t in tabs:
        for i in range(t.count()):
            t.setCurrentIndex(i)
            settle()
            out += [f"[{t.tabText(i)}] {p}" for p in problems(window)]
    for d in window.docks:  # tabified docks: each shown in turn
        d.raise_()
        settle()
        out += [f"[{d.windowTitle()}] {p}" for p in problems(window)]
    return sorted(set(out))
