"""The lessons of the update phase for the adaptive optimisers and Nesterov momentum: the step
each applied to the parameter under the cursor, recomputed in float64 from the gradient, the
optimiser's state and its hyperparameters, and checked against the weight after the update.

=========  ==================================================================================
Adam       m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  m̂ = m/(1−β₁ᵗ),  v̂ = v/(1−β₂ᵗ),
           W ← W − η·m̂/(√v̂ + ε)                                     (Kingma & Ba 2015)
AdamW      W ← W(1 − ηλ) − η·m̂/(√v̂ + ε), the decay outside g       (Loshchilov & Hutter 2019)
RMSProp    s ← αs + (1−α)g²,  W ← W − η·g/(√s + ε)                   (Tieleman & Hinton 2012)
AdaGrad    S ← S + g²,  W ← W − η·g/(√S + ε)                           (Duchi et al. 2011)
Nesterov   v ← μv + g,  W ← W − η·(g + μv)                           (Sutskever et al. 2013)
=========  ==================================================================================

With L2 weight decay λ (all but AdamW) g is ∂E/∂W + λW. ``before`` (what the trainer keeps
to undo a step) gives W and the optimiser's first state array (m, s, S or v) before the
update; without it W before is reconstructed from the update. SGD without Nesterov is
:mod:`cnnviz.lessons.update`'s.

Pure NumPy: no Qt here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from cnnviz.engine import SGD, AdaGrad, Adam, AdamW, Network, Optimizer, RMSProp
from cnnviz.i18n import QT_TRANSLATE_NOOP, translate

from .explanation import Explanation, explanation, f64, fit, largest
from .numbers import idx, num, par, shape_text
from .references import cite
from .registry import LESSONS, UpdateLesson, lesson, load_lessons

ADAM = cite(
    (
        "kingma2015",
        QT_TRANSLATE_NOOP(
            "lessons", "Algorithm 1: m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ), θ ← θ − α·m̂/(√v̂ + ε)"
        ),
    )
)
ADAMW = cite(
    ("loshchilov2019", QT_TRANSLATE_NOOP("lessons", "Algorithm 2: θ ← θ − η(α·m̂/(√v̂ + ε) + λθ)")),
    "kingma2015",
)
RMSPROP = cite(
    ("tieleman2012", QT_TRANSLATE_NOOP("lessons", "divide the gradient by √(running mean of g²)"))
)
ADAGRAD = cite(("duchi2011", QT_TRANSLATE_NOOP("lessons", "the step η·g/√(Σ g²)")))
NESTEROV = cite(
    (
        "sutskever2013",
        QT_TRANSLATE_NOOP("lessons", "§2: Nesterov's accelerated gradient as momentum"),
    )
)


def _choose(net: Network, optimizer: Optimizer, position, layer: int | None):
    """(key, param, grad, pos) of the entry to show: the parameter of ``layer`` (its first),
    at ``position`` or its largest step; else the largest step of any weight."""
    params = net.named_params()
    if not params:
        raise ValueError("the network has no parameters to update")
    if layer is not None and 0 <= layer < len(net.layers) and net.layers[layer].params:
        name = net.layers[layer].name
        key, p, g = next((k, p, g) for k, p, g in params if k.startswith(name + "."))
        pos = fit(position, p.shape) or largest(np.where(g != 0, optimizer.update(key), 0.0))
        return key, p, g, pos
    best = None
    weights = [t for t in params if t[0].endswith((".weight", ".beta"))] or params
    for k, p, g in weights:
        dw = np.abs(f64(optimizer.update(k)))
        live = np.where(g != 0, dw, 0.0)
        dw = live if live.any() else dw
        ppos = largest(dw)
        if best is None or float(dw[ppos]) > best[0]:
            best = (float(dw[ppos]), k, p, g, ppos)
    _, key, p, g, pos = best
    return key, p, g, pos


class _Adaptive(UpdateLesson):
    """Shared frame: pick the entry, find W before, call :meth:`rule`."""

    def explain(
        self,
        net: Network,
        position,
        lr: float,
        optimizer: Optimizer,
        before: Mapping[str, tuple[np.ndarray, np.ndarray]] | None,
        layer: int | None,
    ) -> Explanation:
        if optimizer is None:
            raise ValueError("the update phase needs the optimiser that ran it")
        key, p, g, pos = _choose(net, optimizer, position, layer)
        w_after = float(p[pos])
        if before is not None and key in before:
            w0, first = float(before[key][0][pos]), float(before[key][1][pos])
            note = ""
        else:
            w0, first = w_after - float(optimizer.update(key)[pos]), None
            note = translate(
                "lessons", "W before was not kept: it is reconstructed here from the step."
            )
        ex = self.rule(optimizer, key, pos, float(g[pos]), w0, first)
        ex.engine_value = w_after
        ex.position = pos
        ex.where = translate("lessons", "{key} ({shape}): before → after").format(
            key=key, shape=shape_text(p.shape)
        )
        shown = translate("lessons", "Every parameter took its own step; shown: {entry}.")
        ex.note = "  ".join(t for t in (note, ex.note, shown.format(entry=f"{key}{idx(pos)}")) if t)
        return ex

    def rule(self, opt, key, pos, grad, w0, first) -> Explanation:
        raise NotImplementedError


def _decayed(opt: Optimizer, grad: float, w0: float) -> tuple[float, list, str]:
    lam = float(opt.weight_decay)
    if not lam:
        return grad, [], par(grad)
    terms = [(translate("lessons", "λ (weight decay)"), lam)]
    return grad + lam * w0, terms, f"({par(grad)} + {num(lam)}·{par(w0)})"


@lesson(Adam, AdamW)
class AdamLesson(_Adaptive):
    def rule(self, opt: Adam, key, pos, grad, w0, m0) -> Explanation:
        b1, b2 = opt.betas
        t = opt.t
        eta, eps, lam = float(opt.last_lr), float(opt.eps), float(opt.weight_decay)
        decoupled = bool(opt.decoupled)
        s = opt.state[key]
        if decoupled:
            gd, decay_terms, g_text = grad, [], par(grad)
        else:
            gd, decay_terms, g_text = _decayed(opt, grad, w0)
        v = float((s["max_exp_avg_sq"] if opt.amsgrad else s["exp_avg_sq"])[pos])
        also = []
        if m0 is not None:
            m = b1 * m0 + (1 - b1) * gd
            also.append(
                explanation(
                    ADAM,
                    title=QT_TRANSLATE_NOOP(
                        "lessons", "m: the running mean of the gradient (first moment)"
                    ),
                    formula="m ← β₁·m + (1 − β₁)·g",
                    instance=f"m = {num(b1)}·{par(m0)} + {num(1 - b1)}·{g_text} = {num(m)}",
                    terms=[("β₁", b1), (translate("lessons", "m before"), m0), ("g", gd)],
                    value=m,
                    engine_value=float(s["exp_avg"][pos]),
                    position=pos,
                    where=translate("lessons", "exp_avg (m) of {key}").format(key=key),
                    scale=abs(b1 * m0) + abs((1 - b1) * gd),
                )
            )
        else:
            m = float(s["exp_avg"][pos])
        m_hat = m / (1 - b1**t)
        v_hat = v / (1 - b2**t)
        step = eta * m_hat / (math.sqrt(v_hat) + eps)
        shrink = eta * lam * w0 if decoupled else 0.0
        value = w0 - shrink - step
        if decoupled:
            title = QT_TRANSLATE_NOOP("lessons", "AdamW: decay the weight, then take Adam's step")
            formula = "W ← W − η·λ·W − η·m̂/(√v̂ + ε),   m̂ = m/(1 − β₁ᵗ),   v̂ = v/(1 − β₂ᵗ)"
            instance = (
                f"W{idx(pos)} = {num(w0)} − {num(eta)}·{num(lam)}·{par(w0)} − "
                f"{num(eta)} × {num(m_hat)} / (√{num(v_hat)} + {eps:g}) = {num(value)}"
            )
        else:
            title = QT_TRANSLATE_NOOP(
                "lessons", "Adam: a step scaled by the gradient's own running size"
            )
            formula = "W ← W − η·m̂/(√v̂ + ε),   m̂ = m/(1 − β₁ᵗ),   v̂ = v/(1 − β₂ᵗ)"
            instance = (
                f"W{idx(pos)} = {num(w0)} − {num(eta)} × {num(m_hat)} / "
                f"(√{num(v_hat)} + {eps:g}) = {num(w0)} − {par(step)} = {num(value)}"
            )
        return explanation(
            ADAMW if decoupled else ADAM,
            title=title,
            formula=formula,
            instance=instance,
            terms=[
                (translate("lessons", "W before"), w0),
                ("η", eta),
                ("∂E/∂W", grad),
                *decay_terms,
                ("t", float(t)),
                ("β₁", b1),
                ("β₂", b2),
                ("m", m),
                ("v", v),
                ("m̂", m_hat),
                ("v̂", v_hat),
                ("ε", eps),
                (translate("lessons", "step η·m̂/(√v̂ + ε)"), step),
            ],  # fmt: skip
            value=value,
            engine_value=0.0,
            position=pos,
            note=translate(
                "lessons",
                "Step {t}: m̂ and v̂ undo the start of m and v at 0. The step is about η "
                "wherever the gradient is steady, whatever its size.",
            ).format(t=t),
            scale=abs(w0) + abs(step) + abs(shrink),
            also=also,
        )


@lesson(RMSProp)
class RMSPropLesson(_Adaptive):
    def rule(self, opt: RMSProp, key, pos, grad, w0, s0) -> Explanation:
        eta, eps, a = float(opt.last_lr), float(opt.eps), float(opt.alpha)
        gd, decay_terms, g_text = _decayed(opt, grad, w0)
        state = opt.state[key]
        also = []
        if s0 is not None:
            sq = a * s0 + (1 - a) * gd * gd
            also.append(
                explanation(
                    RMSPROP,
                    title=QT_TRANSLATE_NOOP("lessons", "s: the running mean of g²"),
                    formula="s ← α·s + (1 − α)·g²",
                    instance=f"s = {num(a)}·{par(s0)} + {num(1 - a)}·{g_text}² = {num(sq)}",
                    terms=[("α", a), (translate("lessons", "s before"), s0), ("g", gd)],
                    value=sq,
                    engine_value=float(state["square_avg"][pos]),
                    position=pos,
                    where=translate("lessons", "square_avg (s) of {key}").format(key=key),
                    scale=abs(a * s0) + abs((1 - a) * gd * gd),
                )
            )
        else:
            sq = float(state["square_avg"][pos])
        if opt.momentum or opt.centered:  # the rule with momentum or centring: the engine's ΔW
            step = -float(opt.update(key)[pos])
            text = QT_TRANSLATE_NOOP(
                "lessons", "with momentum or centring, the step below is the engine's"
            )
        else:
            step = eta * gd / (math.sqrt(sq) + eps)
            text = ""
        value = w0 - step
        return explanation(
            RMSPROP,
            title=QT_TRANSLATE_NOOP(
                "lessons", "RMSProp: divide the gradient by its running root mean square"
            ),
            formula="W ← W − η·g/(√s + ε),   s ← α·s + (1 − α)·g²",
            instance=f"W{idx(pos)} = {num(w0)} − {num(eta)} × {g_text} / (√{num(sq)} + "
            f"{eps:g}) = {num(value)}",
            terms=[
                (translate("lessons", "W before"), w0),
                ("η", eta),
                ("∂E/∂W", grad),
                *decay_terms,
                ("s", sq),
                ("ε", eps),
                (translate("lessons", "step"), step),
            ],  # fmt: skip
            value=value,
            engine_value=0.0,
            position=pos,
            note=text,
            scale=abs(w0) + abs(step),
            also=also,
        )


@lesson(AdaGrad)
class AdaGradLesson(_Adaptive):
    def rule(self, opt: AdaGrad, key, pos, grad, w0, s0) -> Explanation:
        eps, clr = float(opt.eps), float(opt.last_clr)
        gd, decay_terms, g_text = _decayed(opt, grad, w0)
        total = opt.state[key]["sum"]
        also = []
        if s0 is not None:
            big = s0 + gd * gd
            also.append(
                explanation(
                    ADAGRAD,
                    title=QT_TRANSLATE_NOOP("lessons", "S: the sum of every g² so far"),
                    formula="S ← S + g²",
                    instance=f"S = {num(s0)} + {g_text}² = {num(big)}",
                    terms=[(translate("lessons", "S before"), s0), ("g", gd)],
                    value=big,
                    engine_value=float(total[pos]),
                    position=pos,
                    where=translate("lessons", "sum (S) of {key}").format(key=key),
                    scale=abs(s0) + gd * gd,
                )
            )
        else:
            big = float(total[pos])
        step = clr * gd / (math.sqrt(big) + eps)
        value = w0 - step
        return explanation(
            ADAGRAD,
            title=QT_TRANSLATE_NOOP(
                "lessons", "AdaGrad: steps shrink as the squared gradients add up"
            ),
            formula="W ← W − η·g/(√S + ε),   S ← S + g²",
            instance=f"W{idx(pos)} = {num(w0)} − {num(clr)} × {g_text} / (√{num(big)} + "
            f"{eps:g}) = {num(value)}",
            terms=[
                (translate("lessons", "W before"), w0),
                ("η", clr),
                ("∂E/∂W", grad),
                *decay_terms,
                ("S", big),
                ("ε", eps),
                (translate("lessons", "step"), step),
            ],  # fmt: skip
            value=value,
            engine_value=0.0,
            position=pos,
            note=QT_TRANSLATE_NOOP(
                "lessons", "A weight with large gradients so far moves less from now on."
            ),
            scale=abs(w0) + abs(step),
            also=also,
        )


class NesterovLesson(_Adaptive):
    """SGD's update phase: Nesterov's rule when the optimiser uses it, else the plain SGD
    lesson (:mod:`cnnviz.lessons.update`)."""

    def __init__(self, plain: UpdateLesson) -> None:
        self.plain = plain

    def explain(self, net, position, lr, optimizer, before, layer) -> Explanation:
        if optimizer is None or not getattr(optimizer, "nesterov", False):
            return self.plain.explain(net, position, lr, optimizer, before, layer)
        return super().explain(net, position, lr, optimizer, before, layer)

    def rule(self, opt: SGD, key, pos, grad, w0, v0) -> Explanation:
        eta, mu = float(opt.last_lr), float(opt.momentum)
        gd, decay_terms, g_text = _decayed(opt, grad, w0)
        also = []
        if v0 is not None:
            v = mu * v0 + gd
            also.append(
                explanation(
                    NESTEROV,
                    title=QT_TRANSLATE_NOOP("lessons", "The velocity accumulates the gradients"),
                    formula="v ← μ·v + g",
                    instance=f"v = {num(mu)}·{par(v0)} + {g_text} = {num(v)}",
                    terms=[("μ", mu), (translate("lessons", "v before"), v0), ("g", gd)],
                    value=v,
                    engine_value=float(opt.velocity[key][pos]),
                    position=pos,
                    where=translate("lessons", "velocity of {key}").format(key=key),
                    scale=abs(mu * v0) + abs(gd),
                )
            )
        else:
            v = float(opt.velocity[key][pos])
        step = eta * (gd + mu * v)
        value = w0 - step
        return explanation(
            NESTEROV,
            title=QT_TRANSLATE_NOOP(
                "lessons", "Nesterov momentum: step along the gradient and the velocity ahead"
            ),
            formula="W ← W − η·(g + μ·v),   v ← μ·v + g",
            instance=f"W{idx(pos)} = {num(w0)} − {num(eta)} × ({g_text} + {num(mu)}·{par(v)}) "
            f"= {num(value)}",
            terms=[
                (translate("lessons", "W before"), w0),
                ("η", eta),
                ("∂E/∂W", grad),
                *decay_terms,
                ("μ", mu),
                ("v", v),
                (translate("lessons", "step"), step),
            ],  # fmt: skip
            value=value,
            engine_value=0.0,
            position=pos,
            note=QT_TRANSLATE_NOOP(
                "lessons", "Plain momentum steps by η·v; Nesterov looks one velocity step ahead."
            ),
            scale=abs(w0) + abs(eta * gd) + abs(eta * mu * v),
            also=also,
        )


def _install_nesterov() -> None:
    """SGD's lesson, wrapped so a Nesterov SGD gets its own rule (the plain one stays)."""
    plain = LESSONS.get(SGD)
    if plain is None:  # imported on its own: the registry loads update first
        load_lessons()
        plain = LESSONS[SGD]
    if not isinstance(plain, NesterovLesson):
        LESSONS[SGD] = NesterovLesson(plain)


_install_nesterov()
