"""What a panel declares, so that the window builds, requests and draws every panel in one loop.

A panel module defines its widget and a :class:`Panel` subclass saying where the widget goes
(``place``), under which ``title``, what it needs computed in the training process for each
snapshot (``needs``: flags of :class:`~cnnviz.live.snapshot.ViewRequest`), how it draws a
snapshot (:meth:`Panel.draw`) and how it talks to the window (:meth:`Panel.connect`).
:data:`cnnviz.app.panels.PANELS` lists the panels in the order the window shows them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, Protocol

from PySide6.QtCore import QCoreApplication

if TYPE_CHECKING:
    from PySide6.QtCore import Signal
    from PySide6.QtWidgets import QWidget

    from cnnviz.live.metrics import MetricsBatch
    from cnnviz.live.remote import RemoteSession
    from cnnviz.live.snapshot import Snapshot

    from ..colors import DisplaySettings

# Where a panel goes. The first three are also the parts the frame pacer draws in ticks of
# their own (cnnviz.app.pacer), under the names the window's ``draw_counts`` counts them by.
TOP = "overview"  # across the top of the window, drawn first
SIDE = "sample"  # the right-hand dock, at the top
LOWER = "lower"  # the tabs below the top; only the current tab is drawn
PROGRESS = "progress"  # the tabs of the right-hand "Progress" dock: given every snapshot
PLACES = (TOP, SIDE, LOWER, PROGRESS)

_translate = QCoreApplication.translate  # titles are marked QT_TRANSLATE_NOOP("Panels", …)


class PanelHost(Protocol):
    """What a panel may ask of the window."""

    settings: DisplaySettings
    session: RemoteSession | None
    snapshot: Snapshot | None

    def send(self, fn: Callable[[RemoteSession], None]) -> None:
        """Call ``fn(session)`` if there is a session (a command to the training process)."""

    def select_stage(self, index: int) -> None: ...
    def select_map_kind(self, kind: str) -> None: ...
    def select_sample(self, index: int) -> None: ...
    def probe(self, split: str, index: int) -> None: ...
    def sample_ref(self) -> tuple[str, int]:
        """The sample shown: ("train" or "test", index)."""

    timelineFrameReady: Signal  # (TimelineFrame) computed in the training process
    gradReportReady: Signal  # (GradCheckReport) computed in the training process
    gradCheckFailed: Signal  # (str)

    def show_hover(self, text: str) -> None: ...
    def show_message(self, text: str, ms: int = 4000) -> None: ...
    def report_error(self, message: str) -> None:
        """Show ``message`` in a dialog; safe to call from the thread reading the process."""


class Panel:
    """A registered panel: its widget and what the window does with it.

    Subclasses set the class attributes and :meth:`build` the widget; the other methods have
    defaults that do nothing, or call the widget's ``render(snapshot)``.
    """

    key: ClassVar[str]  # the window's attribute for the widget (``window.<key>``)
    title: ClassVar[str]  # the tab's or dock's title
    place: ClassVar[str]  # TOP, SIDE, LOWER or PROGRESS
    export_title: ClassVar[str | None] = None  # its name in File ▸ Export panel (else title)
    needs: ClassVar[frozenset[str]] = frozenset()  # ViewRequest flags while it is shown
    scrolled: ClassVar[bool] = False  # (every tab's page scrolls when the window is small)
    shortcut: ClassVar[str | None] = None  # a key that shows it (View menu and F1)
    min_height: ClassVar[int] = 0
    concept: ClassVar[str | None] = None  # its key in PANEL_CONCEPTS (the "?" on it)

    def __init__(self, host: PanelHost) -> None:
        self.host = host
        self.widget = self.build()

    @property
    def name(self) -> str:
        """Its name in File ▸ Export panel, in the current language."""
        return _translate("Panels", self.export_title or self.title)

    @property
    def label(self) -> str:
        """Its tab's or dock's title in the current language (``title`` stays the English key
        that lecture presets name it by)."""
        return _translate("Panels", self.title)

    def build(self) -> QWidget:
        """The widget (called once, by the constructor)."""
        raise NotImplementedError

    def connect(self) -> None:
        """Connect the widget's signals to the host (called once the window is built)."""

    def draw(self, snapshot: Snapshot) -> None:
        """Show ``snapshot`` (called only while the panel is shown, by the frame pacer)."""
        self.widget.render(snapshot)

    def new_network(self) -> None:
        """The first snapshot of a new network is coming: forget the old one."""

    def follow(self, snapshot: Snapshot) -> None:
        """Every snapshot the window takes, shown or not (cheap)."""

    def metrics(self, batch: MetricsBatch) -> None:
        """Every batch of new metric entries, once and in order, shown or not (a batch that
        starts a history — a new network, a reset, an opened model — comes first)."""

    def set_scale(self, factor: float) -> None:
        """Draw at ``factor`` times the normal size (presentation mode; 1 restores it exactly).
        Fonts the widgets set themselves are scaled by the window
        (:func:`cnnviz.app.style.apply_scale`); this hook scales what that cannot reach:
        style-sheet sizes, plot axes, painted text of a fixed size."""

    def set_piecewise(self, on: bool) -> None:
        """The window starts (True) or stops drawing in pieces (training at full speed)."""

    def piece_due(self) -> bool:
        """While drawing in pieces: whether the panel, drawing on its own clock, is due for a
        frame tick of its own (then :meth:`draw_piece`)."""
        return False

    def draw_piece(self) -> None:
        """Draw the piece that is due."""
