"""The lessons of a dense (fully connected) layer and of flatten: u = W x + b, ∂E/∂x = Wᵀδ,
∂E/∂W = δ xᵀ, and below a dense layer the hidden sensitivity δˡ = (Wˡ⁺¹)ᵀ δˡ⁺¹ ∘ f′(uˡ);
flatten unrolls the maps into one vector and folds δ back.

Pure NumPy: no Qt here.
"""

from __future__ import annotations

import numpy as np

from cnnviz.engine import Dense, Flatten, Network

from .conv import activation_below_note
from .explanation import (
    Calc,
    Explanation,
    batch_note,
    explanation,
    f64,
    fit,
    largest,
    map_name,
    need,
    sum_of_products,
)
from .numbers import idx, num, par, shape_text
from .references import cite
from .registry import Below, LayerLesson, incoming, lesson

DENSE_FORWARD = cite(
    ("bouvrie", "§2.1 Feedforward pass: uˡ = Wˡ xˡ⁻¹ + bˡ"),
    ("chain-rule", "forward propagation a = W·X"),
)
FLATTEN = cite(("zhou1", "fully connected layers: the maps are unrolled into one n-vector"))
FC_BACK = cite(
    ("bouvrie", "§2.2 Backpropagation pass: δˡ = (Wˡ⁺¹)ᵀ δˡ⁺¹ ∘ f′(uˡ)"),
    ("cnn-backprop", "§2.2: the hidden-layer sensitivity"),
    ("chain-rule", "the hidden-layer sensitivity (Σ W·δ) × f′"),
)
FC_GRAD = cite(
    ("bouvrie", "§2.2: ∂E/∂Wˡ = xˡ⁻¹ (δˡ)ᵀ, the outer product of input and δ"),
    ("cnn-backprop", "§2.1: ∂E/∂w₅ = δₒ₁ · out_h₁"),
)


@lesson(Dense)
class DenseLesson(LayerLesson):
    forward_rule = "u = W x + b"
    backward_rules = ("∂E/∂x = Wᵀ δ", "∂E/∂W = δ xᵀ", "∂E/∂b = δ")
    sources = (DENSE_FORWARD, FC_BACK, FC_GRAD)

    def forward(self, L: Dense, s: int, pos, engine: float) -> Explanation:
        x, w = L.x[s], L.params["weight"]
        (j,) = pos
        extra = [(f"b[{j}]", float(L.params["bias"][j]))] if L.use_bias else []
        names = [f"W[{j}, {k}]·x[{k}]" for k in range(x.size)]
        value, terms, inline, scale = sum_of_products(names, w[j], x, extra)
        return explanation(
            DENSE_FORWARD,
            title="A dense layer: weighted sum of all its inputs, plus a bias",
            formula="uⱼ = Σₖ W[j, k] · xₖ + bⱼ   (u = W x + b)",
            instance=f"u{idx(pos)} = {inline} = {num(value)}",
            terms=terms,
            value=value,
            engine_value=engine,
            position=pos,
            where=map_name(L, "net input u", L.out_shape, s),
            scale=scale,
        )

    def input_grad(self, net: Network, j: int, s: int, pos) -> Calc:
        U = net.layers[j]
        need(U, "dy")
        d = f64(U.dy[s])
        (k,) = pos
        w = U.params["weight"][:, k]
        names = [f"W[{o}, {k}]·δ[{o}]" for o in range(d.size)]
        value, terms, inline, scale = sum_of_products(names, w, d)
        return Calc(
            value,
            terms,
            f"Σⱼ W[j, {k}]·δ[j] = {inline} = {num(value)}",
            scale,
            title="Back through a dense layer: the weighted sum of the δ above",
            formula="∂E/∂x = Wᵀ δ,   i.e. (Wᵀδ)ₖ = Σⱼ W[j, k] · δⱼ",
            source=FC_BACK,
            name=f"(Wᵀδ)[{k}]",
        )

    def input_grad_text(self, net: Network, i: int, calc: Calc) -> tuple[str, str, str]:
        note = activation_below_note(net, i)
        if not note:
            note = "Wᵀδ is what flows down; the layer's own gradient is ∂E/∂W = δ xᵀ."
        return calc.title, calc.formula, note

    def delta_below(self, layer) -> Below:
        return Below(
            "The sensitivity of a hidden layer: Wᵀδ from above, times f′(u)",
            "δˡ = (Wˡ⁺¹)ᵀ δˡ⁺¹ ∘ f′(uˡ)",
            FC_BACK,
            "The dense backward phase above gave (Wᵀδ); this phase multiplies by f′(u).",
        )

    def param_grad(self, net: Network, L: Dense, key: str, s: int, position) -> Explanation:
        if key != "weight":
            return super().param_grad(net, L, key, s, position)
        grad = L.grads[key]
        pos = fit(position, grad.shape) or largest(grad)
        d = f64(L.dy)
        n = d.shape[0]
        j, k = pos
        x = f64(L.x)
        prods = d[:, j] * x[:, k]
        this = float(prods[s])
        others = float(prods.sum()) - this
        value = this + others
        return explanation(
            FC_GRAD,
            title="The weight gradient of a dense layer: δ times the input",
            formula="∂E/∂W = δ xᵀ,   ∂E/∂W[j, k] = Σₙ δₙ[j] · xₙ[k]",
            instance=f"∂E/∂W{idx(pos)} = δ[{j}]·x[{k}] (sample {s + 1}: {par(d[s, j])}·"
            f"{par(x[s, k])} = {num(this)}) + (the other {n - 1} samples: {num(others)}) = "
            f"{num(value)}",
            terms=[
                (f"δ[{j}] (sample {s + 1})", float(d[s, j])),
                (f"x[{k}] (sample {s + 1})", float(x[s, k])),
                (f"δ[{j}]·x[{k}] (sample {s + 1})", this),
                (f"the other {n - 1} samples", others),
            ],
            value=value,
            engine_value=float(grad[pos]),
            position=pos,
            where=f"∂E/∂W of {L.name} ({shape_text(grad.shape)})",
            note=batch_note(n),
            scale=float(np.abs(prods).sum()),
        )


@lesson(Flatten)
class FlattenLesson(LayerLesson):
    forward_rule = "y[c·H·W + r·W + s] = x[c, r, s]"
    backward_rules = ("∂E/∂x[c, r, s] = ∂E/∂y[c·H·W + r·W + s]",)
    sources = (FLATTEN,)
    passes_delta = True

    def forward(self, L: Flatten, s: int, pos, engine: float) -> Explanation:
        src = tuple(int(a) for a in np.unravel_index(pos[0], L.in_shape))
        value = float(L.x[s][src])
        c, h, w = L.in_shape if len(L.in_shape) == 3 else (1, 1, L.in_shape[0])
        return explanation(
            FLATTEN,
            title="Flatten: the maps are unrolled into one vector",
            formula="y[c·H·W + r·W + s] = x[c, r, s]",
            instance=f"y[{pos[0]}] = x{idx(src)} = {num(value)}   ({pos[0]} = "
            f"{src[0]}·{h * w} + {src[1]}·{w} + {src[2]})"
            if len(src) == 3
            else f"y[{pos[0]}] = x{idx(src)} = {num(value)}",
            terms=[(f"x{idx(src)}", value)],
            value=value,
            engine_value=engine,
            position=pos,
            where=map_name(L, "output", L.out_shape, s),
            scale=abs(value),
        )

    def input_grad(self, net: Network, j: int, s: int, pos) -> Calc:
        U = net.layers[j]
        k = int(np.ravel_multi_index(pos, U.in_shape))
        inner = incoming(net, j, s, (k,))
        inner.text = f"(flattened to entry {k}) {inner.text}"
        return inner

    def input_grad_text(self, net: Network, i: int, calc: Calc) -> tuple[str, str, str]:
        return (
            "Flatten backward: the vector δ is folded back into maps",
            "∂E/∂x[c, r, s] = ∂E/∂y[c·H·W + r·W + s]",
            "",
        )
