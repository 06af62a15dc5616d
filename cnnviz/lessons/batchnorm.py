"""The lesson of batch normalisation (Ioffe & Szegedy 2015), per channel c over the m values
of the batch (N·H·W after a convolution, N after a dense layer):

    μ = (1/m) Σ x,   σ² = (1/m) Σ (x − μ)²,   x̂ = (x − μ)/√(σ² + ε),   y = γ·x̂ + β

and going back, with δ = ∂E/∂y and σ̃ = √(σ² + ε),

    ∂E/∂γ = Σ δ·x̂,   ∂E/∂β = Σ δ,   ∂E/∂x = (γ/σ̃)·(δ − mean(δ) − x̂·mean(δ·x̂))

(μ and σ² depend on every x of the channel: the two means). In evaluation mode μ and σ² are
the running statistics, constants, and ∂E/∂x = (γ/σ̃)·δ. Every value is recomputed in float64
from the trace and checked against the engine's.

Rounding: the engine sums m values per channel, so the error it may make grows with √m; the
``scale`` of the statistics says so.

Pure NumPy: no Qt here.
"""

from __future__ import annotations

import math

import numpy as np

from cnnviz.engine import BatchNorm1D, BatchNorm2D, Network
from cnnviz.engine.batchnorm import _BatchNorm
from cnnviz.i18n import QT_TRANSLATE_NOOP, translate

from .explanation import (
    Calc,
    Explanation,
    explanation,
    f64,
    fit,
    largest,
    map_name,
    need,
    split_by_sample,
)
from .numbers import idx, num, par
from .references import cite
from .registry import Below, LayerLesson, lesson

BN_FORWARD = cite(
    (
        "ioffe2015",
        QT_TRANSLATE_NOOP(
            "lessons", "Algorithm 1: μ_B, σ²_B, x̂ = (x − μ_B)/√(σ²_B + ε), y = γx̂ + β"
        ),
    )
)
BN_RUNNING = cite(
    (
        "ioffe2015",
        QT_TRANSLATE_NOOP("lessons", "Algorithm 2: inference with the running mean and variance"),
    )
)
BN_BACK = cite(
    ("ioffe2015", QT_TRANSLATE_NOOP("lessons", "§3: the chain rule through x̂, σ²_B and μ_B"))
)


def _stats(L: _BatchNorm, c: int) -> tuple[float, float, int, float]:
    """(μ, σ², m, scale of x) of channel ``c``, recomputed from L.x in float64 in training
    mode, the running statistics in evaluation mode."""
    x = f64(L.x[:, c])
    m = x.size
    mag = float(np.abs(x).mean()) if m else 0.0
    if bool(L.batch_stats):
        mu = float(x.mean())
        var = float(((x - mu) ** 2).mean())
    else:
        mu, var = float(L.mean[c]), float(L.var[c])
    return mu, var, m, mag


def _grow(m: int) -> float:
    return math.sqrt(max(m, 1))


@lesson(BatchNorm2D, BatchNorm1D)
class BatchNormLesson(LayerLesson):
    forward_rule = QT_TRANSLATE_NOOP(
        "lessons", "x̂ = (x − μ)/√(σ² + ε),   y = γ·x̂ + β   (μ, σ² of the channel over the batch)"
    )
    backward_rules = (
        "∂E/∂x = (γ/√(σ² + ε))·(δ − mean(δ) − x̂·mean(δ·x̂))",
        "∂E/∂γ = Σ δ·x̂",
        "∂E/∂β = Σ δ",
    )
    sources = (BN_FORWARD, BN_BACK)

    def forward(self, L: _BatchNorm, s: int, pos, engine: float) -> Explanation:
        need(L, "x", "xhat", "mean", "var")
        c = pos[0]
        batch = bool(L.batch_stats)
        mu, var, m, mag = _stats(L, c)
        x = float(L.x[s][pos])
        sd = math.sqrt(var + L.eps)
        xhat = (x - mu) / sd
        gamma, beta = float(L.params["weight"][c]), float(L.params["bias"][c])
        value = gamma * xhat + beta
        grow = _grow(m) if batch else 1.0
        stat_scale = mag * grow
        xhat_scale = (abs(x) + abs(mu) + stat_scale) / sd
        what = translate("lessons", "the {m} values of channel {c} in the batch").format(m=m, c=c)
        src = BN_FORWARD if batch else BN_RUNNING
        also = [
            explanation(
                src,
                title=(
                    translate("lessons", "μ[{c}]: the mean of {what}").format(c=c, what=what)
                    if batch
                    else translate("lessons", "μ[{c}]: the running mean").format(c=c)
                ),
                formula="μ = (1/m) Σ x" if batch else "μ = running_mean",
                instance=f"μ[{c}] = {num(mu)}",
                terms=[("m", float(m)), (f"μ[{c}]", mu)],
                value=mu,
                engine_value=float(L.mean[c]),
                position=(c,),
                where=translate("lessons", "mean μ of {layer} ({n},)").format(
                    layer=L.name, n=L.num_features
                ),
                scale=stat_scale,
            ),
            explanation(
                src,
                title=(
                    translate("lessons", "σ²[{c}]: the variance of {what}").format(c=c, what=what)
                    if batch
                    else translate("lessons", "σ²[{c}]: the running variance").format(c=c)
                ),
                formula="σ² = (1/m) Σ (x − μ)²" if batch else "σ² = running_var",
                instance=f"σ²[{c}] = {num(var)}",
                terms=[("m", float(m)), (f"σ²[{c}]", var)],
                value=var,
                engine_value=float(L.var[c]),
                position=(c,),
                where=translate("lessons", "variance σ² of {layer} ({n},)").format(
                    layer=L.name, n=L.num_features
                ),
                scale=(var + mag * mag) * grow,
            ),
            explanation(
                src,
                title=QT_TRANSLATE_NOOP(
                    "lessons", "x̂: the value normalised by the channel's statistics"
                ),
                formula="x̂ = (x − μ)/√(σ² + ε)",
                instance=f"x̂{idx(pos)} = ({num(x)} − {par(mu)}) / √({num(var)} + {L.eps:g}) "
                f"= {num(xhat)}",
                terms=[(f"x{idx(pos)}", x), ("μ", mu), ("σ²", var), ("ε", L.eps)],
                value=xhat,
                engine_value=float(L.xhat[s][pos]),
                position=pos,
                where=map_name(L, "x̂", L.out_shape, s),
                scale=xhat_scale,
            ),
        ]
        return explanation(
            src,
            title=QT_TRANSLATE_NOOP(
                "lessons", "Batch norm: normalise, then scale by γ and shift by β"
            ),
            formula="y = γ·x̂ + β,   x̂ = (x − μ)/√(σ² + ε)",
            instance=f"y{idx(pos)} = {num(gamma)} × {par(xhat)} + {par(beta)} = {num(value)}",
            terms=[("γ", gamma), ("x̂", xhat), ("β", beta), ("μ", mu), ("σ²", var)],
            value=value,
            engine_value=engine,
            position=pos,
            where=map_name(L, translate("lessons", "output y"), L.out_shape, s),
            note=(
                translate(
                    "lessons",
                    "Training mode: μ and σ² of the {m} values of channel {c} in this batch; the "
                    "running statistics move towards them by the momentum.",
                ).format(m=m, c=c)
                if batch
                else QT_TRANSLATE_NOOP(
                    "lessons",
                    "Evaluation mode: μ and σ² are the running statistics kept in training.",
                )
            ),
            scale=abs(gamma) * xhat_scale + abs(beta),
            also=also,
        )

    def input_grad(self, net: Network, j: int, s: int, pos) -> Calc:
        U = net.layers[j]
        need(U, "dy", "xhat", "inv_std")
        c = pos[0]
        d_all = f64(U.dy[:, c])
        xh_all = f64(U.xhat[:, c])
        m = d_all.size
        gamma = float(U.params["weight"][c])
        inv = float(U.inv_std[c])
        d = float(U.dy[s][pos])
        xh = float(U.xhat[s][pos])
        if bool(U.batch_stats):
            mean_d = float(d_all.mean())
            mean_dx = float((d_all * xh_all).mean())
            inner = d - mean_d - xh * mean_dx
            value = gamma * inv * inner
            grow = _grow(m)
            scale = abs(gamma * inv) * (
                abs(d) + grow * (float(np.abs(d_all).mean()) * (1 + abs(xh)))
            )
            return Calc(
                value,
                [
                    (f"δ{idx(pos)}", d),
                    (translate("lessons", "mean δ"), mean_d),
                    (f"x̂{idx(pos)}", xh),
                    (translate("lessons", "mean δ·x̂"), mean_dx),
                    ("γ", gamma),
                    ("1/√(σ² + ε)", inv),
                ],  # fmt: skip
                f"({num(gamma)} × {num(inv)}) × ({num(d)} − {par(mean_d)} − {par(xh)} × "
                f"{par(mean_dx)}) = {num(value)}",
                scale,
                title=translate(
                    "lessons", "Back through batch norm: δ less its mean and its x̂-part, × γ/σ̃"
                ),
                formula="∂E/∂x = (γ/√(σ² + ε))·(δ − mean(δ) − x̂·mean(δ·x̂))",
                source=BN_BACK,
                name=f"∂E/∂x{idx(pos)}",
            )
        value = gamma * inv * d
        return Calc(
            value,
            [(f"δ{idx(pos)}", d), ("γ", gamma), ("1/√(σ² + ε)", inv)],
            f"{num(gamma)} × {num(inv)} × {par(d)} = {num(value)}",
            abs(value),
            title=translate("lessons", "Back through batch norm in evaluation mode: δ × γ/σ̃"),
            formula=QT_TRANSLATE_NOOP(
                "lessons", "∂E/∂x = (γ/√(σ² + ε))·δ   (μ and σ² are constants)"
            ),
            source=BN_RUNNING,
            name=f"∂E/∂x{idx(pos)}",
        )

    def input_grad_text(self, net: Network, i: int, calc: Calc) -> tuple[str, str, str]:
        note = translate(
            "lessons",
            "μ and σ² depend on every value of the channel: moving one x moves them, which "
            "gives the two mean terms (the standard derivation; only x̂, γ and the sums of δ "
            "and δ·x̂ are needed).",
        )
        return calc.title, calc.formula, note if bool(net.layers[i].batch_stats) else ""

    def param_grad(self, net: Network, L: _BatchNorm, key: str, s: int, position) -> Explanation:
        if key != "weight":
            return super().param_grad(net, L, key, s, position)
        need(L, "dy", "xhat")
        grad = L.grads["weight"]
        pos = fit(position, grad.shape) or largest(grad)
        (c,) = pos
        prod = f64(L.dy[:, c]) * f64(L.xhat[:, c])
        n = prod.shape[0]
        per = prod.reshape(n, -1).sum(axis=1)
        this = float(per[s])
        value = float(per.sum())
        return explanation(
            BN_BACK,
            title=QT_TRANSLATE_NOOP("lessons", "The gradient of γ: δ times x̂, summed"),
            formula="∂E/∂γ[c] = Σₙ Σᵢⱼ δₙ[c, i, j]·x̂ₙ[c, i, j]",
            instance=f"∂E/∂γ[{c}] = "
            + split_by_sample(s, num(this), n - 1, num(value - this))
            + f" = {num(value)}",
            terms=[
                (translate("lessons", "Σ δ·x̂ (sample {s})").format(s=s + 1), this),
                (translate("lessons", "the other {k} samples").format(k=n - 1), value - this),
            ],
            value=value,
            engine_value=float(grad[pos]),
            position=pos,
            where=translate("lessons", "∂E/∂γ of {layer} ({n},)").format(
                layer=L.name, n=L.num_features
            ),
            note=QT_TRANSLATE_NOOP("lessons", "β's gradient is the sum of δ, as a bias's."),
            scale=float(np.abs(prod).sum()),
        )

    def delta_below(self, layer: _BatchNorm) -> Below:
        return Below(
            translate("lessons", "Batch norm above an activation: δ = ∂E/∂x of batch norm ∘ f′(u)"),
            "δˡ = (γ/σ̃)(δˡ⁺¹ − mean δˡ⁺¹ − x̂·mean(δˡ⁺¹x̂)) ∘ f′(uˡ)",
            BN_BACK,
            QT_TRANSLATE_NOOP(
                "lessons", "Batch norm's backward phase gave ∂E/∂x; this phase multiplies by f′(u)."
            ),
        )
