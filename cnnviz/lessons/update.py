"""The lesson of the update phase: plain gradient descent W ← W − η·∂E/∂W, or, with momentum
μ and weight decay λ, the step along the velocity v ← μ·v + ∂E/∂W + λ·W, ΔW = −η·v, as the
engine's :class:`~cnnviz.engine.SGD` applies it. Registered for SGD (also used when no
optimiser is given).

The title of the phase is the rule actually applied (:func:`update_rule`), with the
momentum and weight decay written out when they are not zero:

>>> update_rule(0.9, 0.0)
'v ← μ·v + ∂E/∂W, W ← W − η·v'
>>> update_phase_label(None)
'update W ← W − η·∂E/∂W'

Pure NumPy: no Qt here.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from cnnviz.engine import SGD, Network, Phase
from cnnviz.i18n import QT_TRANSLATE_NOOP, translate

from .explanation import Explanation, explanation, f64, fit, largest
from .numbers import idx, num, par, shape_text
from .references import cite
from .registry import UpdateLesson, lesson

UPDATE = cite(
    ("zhou2", QT_TRANSLATE_NOOP("lessons", "w = w − μ · ∂L/∂w, gradient descent")),
    ("cnn-backprop", "§2.1: w⁺ = w − η · ∂E/∂w"),
    ("chain-rule", QT_TRANSLATE_NOOP("lessons", "“权重的更新” (updating the weights)")),
)
MOMENTUM = cite(
    (
        "textbook",
        QT_TRANSLATE_NOOP(
            "lessons", "SGD with momentum and weight decay, as the engine applies it"
        ),
    ),
    ("zhou2", QT_TRANSLATE_NOOP("lessons", "w = w − μ · ∂L/∂w, gradient descent")),
)


def update_rule(momentum: float = 0.0, weight_decay: float = 0.0) -> str:
    """The update rule the engine's SGD applies with these settings, in symbols."""
    if not momentum and not weight_decay:
        return "W ← W − η·∂E/∂W"
    terms = (["μ·v"] if momentum else []) + ["∂E/∂W"] + (["λ·W"] if weight_decay else [])
    return f"v ← {' + '.join(terms)}, W ← W − η·v"


def _settings(optimizer: SGD | None) -> tuple[float, float]:
    if optimizer is None:
        return 0.0, 0.0
    return float(optimizer.momentum), float(optimizer.weight_decay)


def update_title(optimizer: SGD | None) -> str:
    """The update phase's title: the method, its μ and λ when not zero, and its rule."""
    mu, lam = _settings(optimizer)
    rule = update_rule(mu, lam)
    if mu and lam:
        return translate(
            "lessons", "SGD with momentum μ = {mu} and weight decay λ = {lam}: {rule}"
        ).format(mu=num(mu), lam=num(lam), rule=rule)
    if mu:
        return translate("lessons", "SGD with momentum μ = {mu}: {rule}").format(
            mu=num(mu), rule=rule
        )
    if lam:
        return translate("lessons", "SGD with weight decay λ = {lam}: {rule}").format(
            lam=num(lam), rule=rule
        )
    return translate("lessons", "Gradient descent: {rule}").format(rule=rule)


def update_phase_label(optimizer: SGD | None) -> str:
    """The update phase as a list of phases names it ("update v ← μ·v + ∂E/∂W, …")."""
    return f"update {update_rule(*_settings(optimizer))}"


def phase_label(net: Network, phase: Phase, optimizer: SGD | None) -> str:
    """How a list of phases names ``phase``: :meth:`Network.phase_label`, except the update,
    which is named by the rule ``optimizer`` applies (:func:`update_phase_label`)."""
    if phase.kind != "update":
        return net.phase_label(phase)
    if optimizer is None or (isinstance(optimizer, SGD) and not optimizer.nesterov):
        return update_phase_label(optimizer)
    return optimizer.rule  # the adaptive optimisers and Nesterov name their own rule


@lesson(SGD)
class SGDLesson(UpdateLesson):
    def explain(
        self,
        net: Network,
        position,
        lr: float,
        optimizer: SGD | None,
        before: Mapping[str, tuple[np.ndarray, np.ndarray]] | None,
        layer: int | None,
    ) -> Explanation:
        params = net.named_params()
        if not params:
            raise ValueError("the network has no parameters to update")
        mu, lam = _settings(optimizer)
        eta = float(lr)

        def delta_of(key, p, g):
            """|ΔW| where this step's gradient is not zero (a dead unit moving on momentum
            alone is a poor first example), else |ΔW|."""
            if before is not None and key in before:
                dw = np.abs(f64(p) - f64(before[key][0]))
            else:
                v = optimizer.velocity[key] if optimizer is not None else g
                dw = np.abs(eta * f64(v))
            live = np.where(g != 0, dw, 0.0)
            return live if live.any() else dw

        candidates = [(k, p, g) for k, p, g in params if k.endswith((".weight", ".beta"))]
        if layer is not None and 0 <= layer < len(net.layers) and net.layers[layer].params:
            name = net.layers[layer].name
            candidates = [(k, p, g) for k, p, g in params if k.startswith(name + ".")][:1]
        key, p, g = candidates[0] if len(candidates) == 1 else (None, None, None)
        pos = None
        if key is not None:
            pos = fit(position, p.shape)
            if pos is None:
                pos = largest(delta_of(key, p, g))
        else:
            best = -1.0
            for k, pp, gg in candidates or params:
                dw = delta_of(k, pp, gg)
                ppos = largest(dw)
                if abs(float(dw[ppos])) > best:
                    best, key, p, g, pos = abs(float(dw[ppos])), k, pp, gg, ppos
        grad = float(g[pos])
        w_after = float(p[pos])
        terms: list[tuple[str, float]] = []
        also: list[Explanation] = []
        note = ""
        if before is not None and key in before:
            w0 = float(before[key][0][pos])
            v0 = float(before[key][1][pos]) if mu else 0.0
            v = mu * v0 + grad + lam * w0
            if optimizer is not None:
                also.append(
                    explanation(
                        MOMENTUM,
                        title=translate("lessons", "The velocity accumulates the gradients"),
                        formula="v ← μ·v + ∂E/∂W + λ·W",
                        instance="v = "
                        + " + ".join(
                            ([f"{num(mu)}·{par(v0)}"] if mu else [])
                            + [par(grad)]
                            + ([f"{num(lam)}·{par(w0)}"] if lam else [])
                        )
                        + f" = {num(v)}",
                        terms=[
                            ("μ", mu),
                            (translate("lessons", "v before"), v0),
                            ("∂E/∂W", grad),
                            ("λ", lam),
                            (translate("lessons", "W before"), w0),
                        ],  # fmt: skip
                        value=v,
                        engine_value=float(optimizer.velocity[key][pos]),
                        position=pos,
                        where=translate("lessons", "velocity of {key}").format(key=key),
                        scale=abs(mu * v0) + abs(grad) + abs(lam * w0),
                    )
                )
        else:
            v = float(optimizer.velocity[key][pos]) if optimizer is not None else grad
            w0 = w_after + eta * v
            v0 = 0.0
            note = (
                translate("lessons", "W before was not kept: it is reconstructed here as W + η·v.")
                + " "
            )
        value = w0 - eta * v
        if mu or lam:
            formula = f"{update_rule(mu, lam)}   (ΔW = −η·v)"
            parts = []
            if mu:
                parts.append(f"{num(mu)}·{par(v0)}")
            parts.append(par(grad))
            if lam:
                parts.append(f"{num(lam)}·{par(w0)}")
            instance = (
                f"W{idx(pos)} = {num(w0)} − {num(eta)} × ({' + '.join(parts)}) = {num(w0)} − "
                f"{num(eta)} × {par(v)} = {num(value)}"
            )
            terms = [
                (translate("lessons", "W before"), w0),
                (translate("lessons", "η (learning rate)"), eta),
                ("∂E/∂W", grad),
            ]
            if mu:
                terms += [
                    (translate("lessons", "μ (momentum)"), mu),
                    (translate("lessons", "v before"), v0),
                ]
            if lam:
                terms.append((translate("lessons", "λ (weight decay)"), lam))
            terms += [("v = μ·v + ∂E/∂W + λ·W", v), ("ΔW = −η·v", -eta * v)]
            note += translate(
                "lessons",
                "The engine applies −η·v, not −η·∂E/∂W: the velocity remembers past steps.",
            )
        else:
            formula = (
                "W ← W − η·∂E/∂W   ("
                + translate("lessons", "a small step against the gradient")
                + ")"
            )
            instance = (
                f"W{idx(pos)} = {num(w0)} − {num(eta)} × {par(grad)} = {num(w0)} − "
                f"{par(eta * grad)} = {num(value)}"
            )
            terms = [(translate("lessons", "W before"), w0),
                     (translate("lessons", "η (learning rate)"), eta), ("∂E/∂W", grad),
                     ("ΔW = −η·∂E/∂W", -eta * v)]  # fmt: skip
        return explanation(
            MOMENTUM if mu or lam else UPDATE,
            title=update_title(optimizer),
            formula=formula,
            instance=instance,
            terms=terms,
            value=value,
            engine_value=w_after,
            position=pos,
            where=translate("lessons", "{key} ({shape}): before → after").format(
                key=key, shape=shape_text(p.shape)
            ),
            note=note.strip()
            + "  "
            + translate(
                "lessons", "Every parameter of every layer took the same step; shown: {what}."
            ).format(what=f"{key}{idx(pos)}"),
            scale=abs(w0) + abs(eta * v),
            also=also,
        )
