"""Backprop, explained: the rule a phase of the training step applies, with the real numbers.

:func:`explain_phase` takes a network whose trace holds the phase just run and returns an
:class:`~cnnviz.lessons.explanation.Explanation`: the general rule in Bouvrie's notation, the
same rule with the actual numbers at one position, the numbers used, the result recomputed
here (in float64, from the terms) and the same entry read from the engine's trace, and the
works the rule comes from. The two values must agree; the tests check that they do for every
phase of every preset.

The rules themselves are the lessons of :mod:`cnnviz.lessons.registry`, one module per layer
kind; this module only finds the lesson of the phase's layer (or loss, or optimiser) and
labels the result with the phase. Positions: see :mod:`cnnviz.lessons.explanation`.

Pure NumPy: no Qt here.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from cnnviz.engine import SGD, Network, Phase

from .explanation import Explanation, fit, largest, need, phase_text, sample_of
from .numbers import num
from .registry import lesson_for
from .update import phase_label

__all__ = ["Explanation", "explain_phase", "num"]


def explain_phase(
    net: Network,
    phase: Phase,
    sample: int,
    position: tuple[int, ...] | None,
    lr: float,
    *,
    optimizer: SGD | None = None,
    before: Mapping[str, tuple[np.ndarray, np.ndarray]] | None = None,
    layer: int | None = None,
) -> Explanation:
    """Explain ``phase``, which has just run on ``net``, at ``position`` of sample ``sample``.

    Parameters
    ----------
    net : the network whose trace holds the phase.
    phase : the phase (usually ``TrainingStep.last_phase``).
    sample : index of the sample within the batch (for maps and vectors).
    position : the entry to explain (see :mod:`cnnviz.lessons.explanation`); None picks the
        largest one. For a backward phase of a layer with weights, the length of the position
        chooses the rule: an input position gives ∂E/∂x, a weight position gives ∂E/∂W.
    lr : the learning rate η of the update.
    optimizer : for the update phase: its velocities, momentum and weight decay.
    before : for the update phase: ``{"C1.weight": (W before, v before), …}``, the parameter
        and velocity just before the update (what ``Trainer`` keeps to undo a divergent step).
        Without it W before is reconstructed as W + η·v.
    layer : for the update phase: the layer whose parameter to show (None: the largest ΔW).

    Raises ``ValueError`` when the trace does not hold what the phase computed, and
    :class:`~cnnviz.lessons.explanation.NoLesson` (a ``ValueError``) for a layer kind without
    a lesson.
    """
    s = sample_of(net, sample)
    if phase.kind == "forward":
        L = net.layers[phase.layer]
        need(L, "x", "y")
        y = L.y[s]
        pos = fit(position, y.shape) or largest(y)
        ex = lesson_for(L).forward(L, s, pos, float(y[pos]))
    elif phase.kind == "loss":
        ex = lesson_for(net.loss).explain(net, s, position)
    elif phase.kind == "backward":
        L = net.layers[phase.layer]
        need(L, "dy")
        ex = lesson_for(L).backward(net, phase.layer, s, position)
    elif phase.kind == "update":
        teacher = lesson_for(optimizer if optimizer is not None else SGD)
        ex = teacher.explain(net, position, lr, optimizer, before, layer)
    else:
        raise ValueError(f"unknown phase kind {phase.kind!r}")
    label = phase_text(phase_label(net, phase, optimizer))
    for e in ex.all():
        e.phase = label
        e.dtype = net.dtype.name
    return ex
