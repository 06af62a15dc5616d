"""The lessons of the losses: softmax + cross-entropy (δ = (p − t)/N, the log and the
exponential cancel) and the squared error of LeNet-5 and Bouvrie (∂E/∂y = (y − t)/N, the last
activation's phase then multiplies by f′(uᴸ)). Each explains the loss phase (the output
sensitivity, with the energy E in ``also``) and gives ∂E/∂y at one output for the rules of
the layers below.

Pure NumPy: no Qt here.
"""

from __future__ import annotations

import math

import numpy as np

from cnnviz.engine import Network, SoftmaxCrossEntropy, SquaredError
from cnnviz.i18n import QT_TRANSLATE_NOOP, translate

from .explanation import Calc, Explanation, explanation, f64, fit, largest, of_sample
from .numbers import num, par
from .references import cite
from .registry import LossLesson, lesson

SOFTMAX = cite(
    (
        "textbook",
        QT_TRANSLATE_NOOP("lessons", "softmax + cross-entropy, δ = p − t (a standard result)"),
    ),
    ("zhou2", QT_TRANSLATE_NOOP("lessons", "the loss L = −ln p(c) and its gradient")),
    ("chain-rule", QT_TRANSLATE_NOOP("lessons", "the output error δₖ = Y − T")),
)
SQUARED = cite(
    (
        "bouvrie",
        QT_TRANSLATE_NOOP(
            "lessons",
            "§2.1: Eⁿ = ½ Σₖ (tₖⁿ − yₖⁿ)²; §2.2: the output sensitivity δᴸ = f′(uᴸ) ∘ (yⁿ − tⁿ)",
        ),
    ),
    ("lecun1998", QT_TRANSLATE_NOOP("lessons", "LeNet-5's squared-error criterion")),
)


def _loss_trace(net: Network):
    loss = net.loss
    if loss.y is None or loss.value is None:
        raise ValueError("the loss has not been computed in this step")
    return loss, f64(loss.y)


@lesson(SoftmaxCrossEntropy)
class SoftmaxCrossEntropyLesson(LossLesson):
    def explain(self, net: Network, s: int, position) -> Explanation:
        loss, y = _loss_trace(net)
        n, kk = y.shape
        label = int(loss.labels[s])
        z = y - y.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        target = np.zeros_like(p)
        target[np.arange(n), loss.labels] = 1.0
        delta = (p[s] - target[s]) / n
        pos = fit(position, (kk,)) or largest(delta)
        (k,) = pos
        # exactly what loss.backward() gives the last layer (loss.dy itself may still be
        # the previous step's: the loss phase computes p, the backward phase δ)
        tp = loss.p.dtype.type
        engine = float((loss.p[s, k] - tp(1 if k == label else 0)) * tp(1.0 / n))
        value = (float(p[s, k]) - float(target[s, k])) / n
        e_value = float(-np.log(p[np.arange(n), loss.labels]).mean())
        lp = -math.log(float(p[s, label]))
        energy = explanation(
            SOFTMAX,
            title=translate(
                "lessons", "Cross-entropy: minus the log-probability of the true class, batch mean"
            ),
            formula="E = −(1/N) Σₙ log pₙ[tₙ]",
            instance=translate(
                "lessons", "this sample: {part};  mean over the batch of {n}: {mean}"
            ).format(
                part=f"−log p[{label}] = −log {num(p[s, label])} = {num(lp)}",
                n=n,
                mean=f"E = {num(e_value)}",
            ),
            terms=[(of_sample(f"p[{label}]", s), float(p[s, label])), ("N", float(n))],
            value=e_value,
            engine_value=float(loss.value),
            position=(label,),
            where=translate("lessons", "the loss of the batch of {n}").format(n=n),
            scale=abs(e_value),
        )
        return explanation(
            SOFTMAX,
            title=translate(
                "lessons", "Softmax + cross-entropy: the output sensitivity is δ = p − t"
            ),
            formula="pₖ = eᵘᵏ / Σⱼ eᵘʲ,   E = −(1/N) Σₙ log pₙ[tₙ],   δᴸ = ∂E/∂uᴸ = (p − t) / N",
            instance=f"δ[{k}] = (p[{k}] − t[{k}]) / N = ({num(p[s, k])} − "
            f"{num(target[s, k])}) / {n} = {num(value)}",
            terms=[
                (f"u[{k}]", float(y[s, k])),
                (f"p[{k}] = e^u[{k}] / Σⱼ e^u[j]", float(p[s, k])),
                (
                    translate("lessons", "t[{k}] (true class {label})").format(k=k, label=label),
                    float(target[s, k]),
                ),
                (translate("lessons", "N (batch size)"), float(n)),
            ],
            value=value,
            engine_value=engine,
            position=pos,
            where=translate("lessons", "δ of the output {layer} ({k}), sample {s}").format(
                layer=net.layers[-1].name, k=kk, s=s + 1
            ),
            note=translate(
                "lessons",
                "E is the mean over the batch, so δ is divided by N = {n}. The softmax "
                "and the log cancel: no f′ appears. The last layer's backward phase receives "
                "this δ.",
            ).format(n=n),
            scale=(float(p[s, k]) + float(target[s, k])) / n,
            also=[energy],
        )

    def output_grad(self, net: Network, s: int, pos) -> Calc:
        loss = net.loss
        y = f64(loss.y)
        n = y.shape[0]
        (k,) = pos
        z = y[s] - y[s].max()
        p = np.exp(z) / np.exp(z).sum()
        t = 1.0 if k == int(loss.labels[s]) else 0.0
        value = (float(p[k]) - t) / n
        return Calc(
            value,
            [(f"p[{k}]", float(p[k])), (f"t[{k}]", t), ("N", float(n))],
            f"(p[{k}] − t[{k}]) / N = ({num(p[k])} − {num(t)}) / {n} = {num(value)}",
            (float(p[k]) + t) / n,
            title=translate("lessons", "The output sensitivity from softmax + cross-entropy"),
            formula="∂E/∂y = (p − t) / N",
            source=SOFTMAX,
            name=f"(p − t)[{k}] / N",
        )


@lesson(SquaredError)
class SquaredErrorLesson(LossLesson):
    def explain(self, net: Network, s: int, position) -> Explanation:
        loss, y = _loss_trace(net)
        n, kk = y.shape
        label = int(loss.labels[s])
        tg = f64(loss.t)
        g = (y[s] - tg[s]) / n
        pos = fit(position, (kk,)) or largest(g)
        (k,) = pos
        # what loss.backward() gives (loss.dy may still be the previous step's)
        tp = loss.y.dtype.type
        engine = float((loss.y[s, k] - loss.t[s, k]) * tp(1.0 / n))
        value = (float(y[s, k]) - float(tg[s, k])) / n
        e_value = float(0.5 * ((y - tg) ** 2).sum() / n)
        energy = explanation(
            SQUARED,
            title=translate(
                "lessons", "Squared error: half the squared distance to the targets, batch mean"
            ),
            formula="E = (1/N) Σₙ ½ Σₖ (yₙₖ − tₙₖ)²",
            instance=translate(
                "lessons", "this sample: {part};  mean over the batch of {n}: {mean}"
            ).format(
                part=f"½ Σₖ (yₖ − tₖ)² = {num(0.5 * float(((y[s] - tg[s]) ** 2).sum()))}",
                n=n,
                mean=f"E = {num(e_value)}",
            ),
            terms=[("N", float(n))],
            value=e_value,
            engine_value=float(loss.value),
            position=(k,),
            where=translate("lessons", "the loss of the batch of {n}").format(n=n),
            scale=abs(e_value),
        )
        return explanation(
            SQUARED,
            title=translate("lessons", "Squared error: the output error is y − t"),
            formula="E = (1/N) Σₙ ½ Σₖ (yₖ − tₖ)²,   ∂E/∂y = (y − t) / N;  "
            "then δᴸ = (y − t) ∘ f′(uᴸ) / N",
            instance=f"∂E/∂y[{k}] = (y[{k}] − t[{k}]) / N = ({num(y[s, k])} − "
            f"{par(tg[s, k])}) / {n} = {num(value)}",
            terms=[
                (f"y[{k}]", float(y[s, k])),
                (
                    translate("lessons", "t[{k}] (true class {label})").format(k=k, label=label),
                    float(tg[s, k]),
                ),
                (translate("lessons", "N (batch size)"), float(n)),
            ],
            value=value,
            engine_value=engine,
            position=pos,
            where=translate("lessons", "∂E/∂y of the output {layer} ({k}), sample {s}").format(
                layer=net.layers[-1].name, k=kk, s=s + 1
            ),
            note=QT_TRANSLATE_NOOP(
                "lessons",
                "Bouvrie's δᴸ = f′(uᴸ) ∘ (y − t) is split over two phases here: the loss "
                "gives (y − t)/N (the mean over the batch), the backward phase of the last "
                "activation multiplies by f′(uᴸ).",
            ),
            scale=(abs(float(y[s, k])) + abs(float(tg[s, k]))) / n,
            also=[energy],
        )

    def output_grad(self, net: Network, s: int, pos) -> Calc:
        loss = net.loss
        y = f64(loss.y)
        n = y.shape[0]
        (k,) = pos
        t = float(loss.t[s, k])
        value = (float(y[s, k]) - t) / n
        return Calc(
            value,
            [(f"y[{k}]", float(y[s, k])), (f"t[{k}]", t), ("N", float(n))],
            f"(y[{k}] − t[{k}]) / N = ({num(y[s, k])} − {par(t)}) / {n} = {num(value)}",
            (abs(float(y[s, k])) + abs(t)) / n,
            title=translate("lessons", "The output sensitivity: δᴸ = (y − t) ∘ f′(uᴸ)"),
            formula=QT_TRANSLATE_NOOP(
                "lessons", "δᴸ = (y − t) ∘ f′(uᴸ) / N   (mean over the batch of N)"
            ),
            source=SQUARED,
            name=f"(y − t)[{k}] / N",
        )
