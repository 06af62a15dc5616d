"""The window's panels: one module per tab or dock, each declaring a
:class:`~cnnviz.app.panels.registry.Panel`, listed here in the order the window shows them
(the lower tabs and the Progress dock's tabs in this order)."""

from .confusion import ConfusionPanel
from .convexplainer import ConvExplainerPanel
from .draw import DrawPanel
from .gradient_check import GradientCheckPanel
from .inspector import InspectorPanel
from .overview import OverviewPanel
from .plots import PlotsPanel
from .registry import LOWER, PLACES, PROGRESS, SIDE, TOP, Panel, PanelHost
from .rules import RulesPanel
from .sample import SampleDock
from .timeline import TimelinePanel

PANELS: list[type[Panel]] = [
    OverviewPanel,
    InspectorPanel,
    RulesPanel,
    ConvExplainerPanel,
    TimelinePanel,
    DrawPanel,
    GradientCheckPanel,
    SampleDock,
    PlotsPanel,
    ConfusionPanel,
]


def view_flags() -> tuple[str, ...]:
    """The ViewRequest flags some registered panel needs."""
    return tuple(sorted(set().union(*(p.needs for p in PANELS))))


__all__ = ["LOWER", "PANELS", "PLACES", "PROGRESS", "SIDE", "TOP", "Panel", "PanelHost"]
