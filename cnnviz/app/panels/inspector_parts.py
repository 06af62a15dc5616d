"""What the layer inspector names, captions and formats: section sizes and titles, the
statistics and their tips, the pooling stage's backward rule, and the network's mode (split
from :mod:`cnnviz.app.panels.inspector`, which builds and fills the widgets)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication

from cnnviz.i18n import QT_TRANSLATE_NOOP
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

# the English of the titles (marked for the catalogue; translated where shown, with tr_title)
MAP_TITLES = {
    "activation": QT_TRANSLATE_NOOP("inspector", "activation f(u)"),
    "net": QT_TRANSLATE_NOOP("inspector", "net input u"),
    "delta": QT_TRANSLATE_NOOP("inspector", "sensitivity δ = ∂E/∂u"),
    "grad_input": QT_TRANSLATE_NOOP("inspector", "∂E/∂input (sent back)"),
}
PARAM_SYMBOLS = {"weight": "W", "bias": "b", "beta": "β"}
HIST_TITLES = {
    "weight": "W",
    "dweight": "∂E/∂W",
    "beta": "β",
    "dbeta": "∂E/∂β",
    "activation": QT_TRANSLATE_NOOP("inspector", "activation f(u)"),
    "delta": QT_TRANSLATE_NOOP("inspector", "sensitivity δ"),
}
STAT_ORDER = ("min", "max", "mean", "std", "‖W‖", "‖∂E/∂W‖", "‖ΔW‖/‖W‖", "‖β‖", "‖∂E/∂β‖",
              "‖Δβ‖/‖β‖", "‖δ‖", "dead ReLUs")  # fmt: skip
STAT_TIPS = {
    "min": QT_TRANSLATE_NOOP("inspector", "smallest activation of this sample"),
    "max": QT_TRANSLATE_NOOP("inspector", "largest activation of this sample"),
    "mean": QT_TRANSLATE_NOOP("inspector", "mean activation of this sample"),
    "std": QT_TRANSLATE_NOOP("inspector", "standard deviation of the activations of this sample"),
    "‖W‖": QT_TRANSLATE_NOOP("inspector", "norm of the weights"),
    "‖∂E/∂W‖": QT_TRANSLATE_NOOP("inspector", "norm of the gradient of the batch loss"),
    "‖ΔW‖/‖W‖": QT_TRANSLATE_NOOP("inspector", "size of the last update relative to the weights"),
    "‖β‖": QT_TRANSLATE_NOOP("inspector", "norm of the subsampling coefficients β"),
    "‖∂E/∂β‖": QT_TRANSLATE_NOOP(
        "inspector", "norm of the gradient of the batch loss with respect to β"
    ),
    "‖Δβ‖/‖β‖": QT_TRANSLATE_NOOP("inspector", "size of the last update relative to β"),
    "‖δ‖": QT_TRANSLATE_NOOP("inspector", "norm of this sample's sensitivities"),
    "dead ReLUs": QT_TRANSLATE_NOOP(
        "inspector", "units that are zero for every sample of the batch"
    ),
}

# the statistics' names as shown (symbols stay as they are)
STAT_NAMES = {
    "min": QT_TRANSLATE_NOOP("inspector", "min"),
    "max": QT_TRANSLATE_NOOP("inspector", "max"),
    "mean": QT_TRANSLATE_NOOP("inspector", "mean"),
    "std": QT_TRANSLATE_NOOP("inspector", "std"),
    "dead ReLUs": QT_TRANSLATE_NOOP("inspector", "dead ReLUs"),
}


def tr_title(text: str) -> str:
    """A title of the tables above in the app's language."""
    return translate("inspector", text)


def stat_name(name: str) -> str:
    """The shown name of statistic ``name`` (its key in ``InspectorData.stats``)."""
    return translate("inspector", STAT_NAMES[name]) if name in STAT_NAMES else name


def stat_tip(name: str) -> str:
    return translate("inspector", STAT_TIPS[name]) if name in STAT_TIPS else ""


def stage_titles(stage: Stage, data: InspectorData) -> dict[str, str]:
    """The titles that depend on the stage: of its map grids ("activation", "delta", "net",
    "pool_input"), of the maps and parameters sections ("maps", "params") and the note on
    how the weights are laid out ("weights_note")."""
    is_input = stage.index == 0
    channels = is_input and len(stage.out_shape) == 3 and stage.out_shape[0] == 3
    if is_input:
        activation = translate("inspector", "input x")
    elif stage.activations:
        activation = tr_title(MAP_TITLES["activation"])
    else:
        activation = translate("inspector", "output u (no activation)")
    conv = "weight" in data.params and data.params["weight"].ndim == 4
    return {
        "activation": activation,
        "delta": translate("inspector", "∂E/∂input") if is_input else tr_title(MAP_TITLES["delta"]),
        "net": translate("inspector", "channels R, G, B")
        if channels
        else tr_title(MAP_TITLES["net"]),
        "pool_input": translate("inspector", "pool input x, argmax bright")
        if stage.kind == "maxpool"
        else translate("inspector", "pool input x"),
        "maps": translate("inspector", "The input of the sample")
        if is_input
        else translate("inspector", "Maps of the sample"),
        "weights_note": translate(
            "inspector", "a row of kernels per filter (output map), a column per input channel"
        )
        if conv
        else translate("inspector", "a row per output unit, a column per input"),
        "params": translate("inspector", "β and bias")
        if "beta" in data.params
        else translate("inspector", "Biases"),
    }


def pooling_caption(stage: Stage, data: InspectorData) -> str:
    """The backward rule of a pooling stage, in a line."""
    n = None
    if data.pool_input is not None and stage.out_shape and len(stage.out_shape) == 3:
        n = max(1, data.pool_input.shape[1] // max(stage.out_shape[1], 1))
    if stage.kind == "maxpool":
        return translate(
            "inspector",
            "Max pooling routes δ to the argmax of each window (the inputs left bright, "
            "ringed when enlarged) and 0 to every other input.",
        )
    if stage.kind == "avgpool":
        if n:
            return translate(
                "inspector",
                "Mean pooling spreads δ/n² evenly over each n×n window (n = {n}: δ/{nn}).",
            ).format(n=n, nn=n * n)
        return translate("inspector", "Mean pooling spreads δ/n² evenly over each n×n window.")
    if stage.kind == "lppool":
        return translate(
            "inspector",
            "Lp pooling y = (Σ|xᵢ|ᵖ)^(1/p) gives ∂E/∂xᵢ = δ·y^(1−p)·|xᵢ|^(p−1)·sign(xᵢ): "
            "the largest inputs get most of δ.",
        )
    if stage.kind == "subsample":
        return translate(
            "inspector",
            "Subsampling u = β·down(x) + b (Bouvrie): ∂E/∂x = β·up(δ), "
            "∂E/∂β = Σ δ∘down(x), ∂E/∂b = Σ δ.",
        )
    return ""


def format_stat(name: str, v: float) -> str:
    """A statistic as the inspector shows it (ratios and fractions in per cent)."""
    if name == "dead ReLUs":
        return f"{100 * v:.1f} %"
    if name in ("‖ΔW‖/‖W‖", "‖Δβ‖/‖β‖"):
        return f"{fmt_value(100 * v)} %"
    return fmt_value(v, 4)


def mode_caption(stage: Stage, sample_source: str) -> str:
    """Training or evaluation mode, for a stage with batch norm or dropout (where the mode
    changes the numbers), else "". A training batch's sample is seen in training mode
    (batch statistics, the dropout mask on); a test or drawn sample in evaluation mode
    (running statistics, dropout off), as :meth:`Network.infer` runs it."""
    bn, dropout = "batchnorm" in stage.extra_kinds, "dropout" in stage.extra_kinds
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


def network_mode(stages: Iterable[Stage], sample_source: str) -> str:
    """The overview's short label: training or evaluation mode, when any stage has batch norm
    or dropout, else ""."""
    if not any(stage.extra_kinds for stage in stages):
        return ""
    if sample_source == "batch":
        return translate("inspector", "training mode: batch statistics, dropout on")
    return translate("inspector", "evaluation mode: running statistics, dropout off")
