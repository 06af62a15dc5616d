"""The names of the layer kinds as the app shows them, in the app's language.

The engine names a layer's kind in English ("conv", "max-pool", "dense", "relu"); the stage
labels of :mod:`cnnviz.training.stages` use these names (``C1 conv 6@28×28 + relu``). The
overview and the layer inspector show them through :func:`kind_name`, which translates them in
the context ``"kinds"`` (English comes back unchanged).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from cnnviz.i18n import QT_TRANSLATE_NOOP

# every kind name the stages and the engine use (stage labels and Stage.kind / Layer.kind)
KIND_NAMES = {
    "input": QT_TRANSLATE_NOOP("kinds", "input"),
    "conv": QT_TRANSLATE_NOOP("kinds", "conv"),
    "max-pool": QT_TRANSLATE_NOOP("kinds", "max-pool"),
    "maxpool": QT_TRANSLATE_NOOP("kinds", "maxpool"),
    "mean-pool": QT_TRANSLATE_NOOP("kinds", "mean-pool"),
    "avg-pool": QT_TRANSLATE_NOOP("kinds", "avg-pool"),
    "avgpool": QT_TRANSLATE_NOOP("kinds", "avgpool"),
    "Lp-pool": QT_TRANSLATE_NOOP("kinds", "Lp-pool"),
    "lppool": QT_TRANSLATE_NOOP("kinds", "lppool"),
    "global mean-pool": QT_TRANSLATE_NOOP("kinds", "global mean-pool"),
    "globalavgpool": QT_TRANSLATE_NOOP("kinds", "globalavgpool"),
    "subsample": QT_TRANSLATE_NOOP("kinds", "subsample"),
    "dense": QT_TRANSLATE_NOOP("kinds", "dense"),
    "flatten": QT_TRANSLATE_NOOP("kinds", "flatten"),
    "bn": QT_TRANSLATE_NOOP("kinds", "bn"),
    "batchnorm": QT_TRANSLATE_NOOP("kinds", "batchnorm"),
    "batchnorm1d": QT_TRANSLATE_NOOP("kinds", "batchnorm1d"),
    "batchnorm2d": QT_TRANSLATE_NOOP("kinds", "batchnorm2d"),
    "dropout": QT_TRANSLATE_NOOP("kinds", "dropout"),
    "relu": QT_TRANSLATE_NOOP("kinds", "relu"),
    "leaky_relu": QT_TRANSLATE_NOOP("kinds", "leaky_relu"),
    "sigmoid": QT_TRANSLATE_NOOP("kinds", "sigmoid"),
    "tanh": QT_TRANSLATE_NOOP("kinds", "tanh"),
    "scaled_tanh": QT_TRANSLATE_NOOP("kinds", "scaled_tanh"),
}


def kind_name(kind: str) -> str:
    """The name of layer kind ``kind`` ("conv", "max-pool", "relu", …) in the app's language;
    a kind not listed comes back unchanged."""
    if kind not in KIND_NAMES:
        return kind
    return QCoreApplication.translate("kinds", KIND_NAMES[kind])
