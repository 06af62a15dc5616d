"""What the layer inspector names, captions and formats: section sizes and titles, the
statistics and their tips, the pooling stage's backward rule, and the network's mode (split
from :mod:`cnnviz.app.panels.inspector`, which builds and fills the widgets)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from cnnviz.live.snapshot import InspectorData
from cnnviz.training.stages import Stage

from ..widgets.mapgrid import fmt_value

translate = QCoreApplication.translate  # extracted by pyside6-lupdate

MAX_KERNEL_ROWS = 32  # filters shown in the kernel grids
MAX_KERNEL_COLS = 16  # input channels shown
MAP_HEIGHT = (170, 330)  # rows of maps: at least, at most (they follow the visible height)
WEIGHT_HEIGHT = (210, 420)
STRIP_HEIGHT = 92
HIST_HEIGHT = 150

MAP_TITLES = {
    "activation": "activation f(u)",
    "net": "net input u",
    "delta": "sensitivity δ = ∂E/∂u",
    "grad_input": "∂E/∂input (sent back)",
}
PARAM_SYMBOLS = {"weight": "W", "bias": "b", "beta": "β"}
HIST_TITLES = {
    "weight": "W",
    "dweight": "∂E/∂W",
    "beta": "β",
    "dbeta": "∂E/∂β",
    "activation": "activation f(u)",
    "delta": "sensitivity δ",
}
STAT_ORDER = ("min", "max", "mean", "std", "‖W‖", "‖∂E/∂W‖", "‖ΔW‖/‖W‖", "‖β‖", "‖∂E/∂β‖",
              "‖Δβ‖/‖β‖", "‖δ‖", "dead ReLUs")  # fmt: skip
STAT_TIPS = {
    "min": "smallest activation of this sample",
    "max": "largest activation of this sample",
    "mean": "mean activation of this sample",
    "std": "standard deviation of the activations of this sample",
    "‖W‖": "norm of the weights",
    "‖∂E/∂W‖": "norm of the gradient of the batch loss",
    "‖ΔW‖/‖W‖": "size of the last update relative to the weights",
    "‖β‖": "norm of the subsampling coefficients β",
    "‖∂E/∂β‖": "norm of the gradient of the batch loss with respect to β",
    "‖Δβ‖/‖β‖": "size of the last update relative to β",
    "‖δ‖": "norm of this sample's sensitivities",
    "dead ReLUs": "units that are zero for every sample of the batch",
}


def pooling_caption(stage: Stage, data: InspectorData) -> str:
    """The backward rule of a pooling stage, in a line."""
    n = None
    if data.pool_input is not None and stage.out_shape and len(stage.out_shape) == 3:
        n = max(1, data.pool_input.shape[1] // max(stage.out_shape[1], 1))
    if stage.kind == "maxpool":
        return (
            "Max pooling routes δ to the argmax of each window (the inputs left bright, "
            "ringed when enlarged) and 0 to every other input."
        )
    if stage.kind == "avgpool":
        frac = f" (n = {n}: δ/{n * n})" if n else ""
        return f"Mean pooling spreads δ/n² evenly over each n×n window{frac}."
    if stage.kind == "lppool":
        return (
            "Lp pooling y = (Σ|xᵢ|ᵖ)^(1/p) gives ∂E/∂xᵢ = δ·y^(1−p)·|xᵢ|^(p−1)·sign(xᵢ): "
            "the largest inputs get most of δ."
        )
    if stage.kind == "subsample":
        return (
            "Subsampling u = β·down(x) + b (Bouvrie): ∂E/∂x = β·up(δ), "
            "∂E/∂β = Σ δ∘down(x), ∂E/∂b = Σ δ."
        )
    return ""


def format_stat(name: str, v: float) -> str:
    """A statistic as the inspector shows it (ratios and fractions in per cent)."""
    if name == "dead ReLUs":
        return f"{100 * v:.1f} %"
    if name in ("‖ΔW‖/‖W‖", "‖Δβ‖/‖β‖"):
        return f"{fmt_value(100 * v)} %"
    return fmt_value(v, 4)


def mode_caption(label: str, sample_source: str) -> str:
    """Training or evaluation mode, for a stage whose label names batch norm or dropout (where
    the mode changes the numbers), else "". A training batch's sample is seen in training mode
    (batch statistics, the dropout mask on); a test or drawn sample in evaluation mode
    (running statistics, dropout off), as :meth:`Network.infer` runs it."""
    parts = label.split(" + ")
    bn, dropout = "bn" in parts, "dropout" in parts
    if not (bn or dropout):
        return ""
    training = sample_source == "batch"
    bits = []
    if bn:
        bits.append(
            translate("inspector", "batch norm uses this batch's statistics μ, σ²")
            if training
            else translate("inspector", "batch norm uses the running statistics")
        )
    if dropout:
        bits.append(
            translate("inspector", "dropout mask on")
            if training
            else translate("inspector", "dropout off (every unit kept)")
        )
    mode = (
        translate("inspector", "training mode")
        if training
        else translate("inspector", "evaluation mode")
    )
    return f"{mode}: {'; '.join(bits)}"


def network_mode(labels, sample_source: str) -> str:
    """The overview's short label: training or evaluation mode, when any stage (by its
    ``labels``) has batch norm or dropout, else ""."""
    if not any({"bn", "dropout"} & set(label.split(" + ")) for label in labels):
        return ""
    if sample_source == "batch":
        return translate("inspector", "training mode: batch statistics, dropout on")
    return translate("inspector", "evaluation mode: running statistics, dropout off")
