"""Backprop, explained: the rule a phase of the training step applies, with the real numbers.

:func:`explain_phase` takes a network whose trace holds the phase just run and returns an
:class:`Explanation`: the general rule in the seeds' notation, the same rule with the actual
numbers at one position, the numbers used, the result recomputed here (in float64, from the
terms) and the same entry read from the engine's trace. The two must agree; the tests check
that they do for every phase of every preset.

Positions follow the engine's layouts: ``(channel, row, col)`` in a map of the selected sample,
``(out, in, kh, kw)`` in a conv weight, ``(out, in)`` in a dense weight, ``(k,)`` in a vector.
When no position (or one that does not fit) is given, the entry of largest magnitude is taken,
so the example is never a dull zero.

Where the engine splits one rule of the seeds over two phases, the explanation says so. The
activation layers are their own phases here, so the seeds' ``δˡ = (Wˡ⁺¹)ᵀ δˡ⁺¹ ∘ f′(uˡ)`` is

* the dense (or conv, or pooling) backward phase, which computes ``∂E/∂a = (Wˡ⁺¹)ᵀ δˡ⁺¹``
  (or the full convolution, or the up-sampling), then
* the activation's backward phase, which multiplies by ``f′(uˡ)``.

The activation's explanation recomputes the whole right-hand side from the layer above, so the
rule appears there exactly as the seeds write it.

Pure NumPy: no Qt here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from cnnviz.engine import (
    SGD,
    Activation,
    AvgPool2D,
    Conv2D,
    Dense,
    Flatten,
    Layer,
    LpPool2D,
    MaxPool2D,
    Network,
    Phase,
    SoftmaxCrossEntropy,
    SquaredError,
    Subsampling,
)

MAX_SHOWN = 9  # products listed one by one; the rest are summed into one term

# ------------------------------------------------------------------ where each rule comes from
SEED_CONV_FORWARD = (
    "Seed 002 “卷积层输出值的计算” (computing a conv layer's output), formula 4.4 (depth "
    "D, stride S, zero padding P); seed 001, the 4×4 image ∗ vertical Sobel example"
)
SEED_ACTIVATION = {
    "relu": "Seed 002 “一个新的激活函数——Relu” (a new activation function, ReLU): f(x) = max(0, x)",
    "leaky_relu": "Seed 002 (ReLU) and seed 004: the activation b = f(a) of a layer",
    "sigmoid": "Seed 003 §2.1: out = 1 / (1 + e⁻ⁿᵉᵗ), ∂out/∂net = out(1 − out)",
    "tanh": "Seed 000: the output of a layer xˡ = f(uˡ); seed 001: tanh in LeNet-5",
    "scaled_tanh": "Seed 000: xˡ = f(uˡ); seed 001: LeNet-5's squashing function",
}
SEED_POOL_FORWARD = (
    "Seed 002 “Pooling层输出值的计算” (a pooling layer's output) (max and mean pooling); "
    "seed 001 “池化层” (pooling layers)"
)
SEED_LP_FORWARD = "Seed 003 §4.2: Lp pooling ‖x‖ₚ = (Σ |xₖ|ᵖ)^(1/p)"
SEED_SUBSAMPLE_FORWARD = (
    "Seed 000 “Sub-sampling层” (sub-sampling layers): xⱼˡ = f(βⱼˡ · down(xⱼˡ⁻¹) + bⱼˡ)"
)
SEED_DENSE_FORWARD = "Seed 000: uˡ = Wˡ xˡ⁻¹ + bˡ; seed 004: forward propagation a = W·X"
SEED_FLATTEN = (
    "Seed 001 “全连接层” (fully connected layers): the maps are unrolled into one n-vector"
)
SEED_SOFTMAX = (
    "Seed 001 “反向传播 / 损失函数” (backpropagation: the loss): softmax + cross-entropy "
    "L = −ln p(c); seed 004: the output error δₖ = Y − T"
)
SEED_SQUARED = (
    "Seed 000 “用BP训练全连接网络” (training a fully connected net with BP): Eⁿ = ½ Σₖ "
    "(tₖⁿ − yₖⁿ)², output sensitivity δᴸ = f′(uᴸ) ∘ (yⁿ − tⁿ)"
)
SEED_FC_BACK = (
    "Seed 000 “反向过程” (the backward pass): δˡ = (Wˡ⁺¹)ᵀ δˡ⁺¹ ∘ f′(uˡ); seed 003 §2.2 "
    "and seed 004: the hidden-layer sensitivity (Σ W·δ) × f′"
)
SEED_FC_GRAD = (
    "Seed 000: ∂E/∂Wˡ = xˡ⁻¹ (δˡ)ᵀ, the outer product of input and δ; seed 003 §2.1: "
    "∂E/∂w₅ = δₒ₁ · out_h₁"
)
SEED_FC_BIAS = "Seed 000: ∂E/∂b = δ, the sensitivity to a bias"
SEED_CONV_DX = (
    "Seed 002 “卷积层误差项的传递” (the error through a conv layer) (stride S: zeros "
    "inserted into δ; depth D; N filters, formula 5.3); seed 003 §3.1.1: the input "
    "gradient is a full convolution"
)
SEED_CONV_DW = (
    "Seed 002 “卷积层filter权重梯度的计算” (a filter's weight gradient) (the input "
    "correlated with δ); seed 000: ∂E/∂kᵢⱼ = Σᵤᵥ (δⱼ)ᵤᵥ (pᵢ)ᵤᵥ; seed 001: ∂L/∂filter(x, "
    "y)"
)
SEED_CONV_DB = "Seed 002: the bias gradient is the sum of the sensitivity map; seed 000: Σᵤᵥ (δⱼ)ᵤᵥ"
SEED_MAX_BACK = (
    "Seed 002 “Max Pooling误差项的传递” (the error through max pooling); seed 001 "
    "“反向传播:池化层” (backpropagation through pooling); seed 003 §4.2"
)
SEED_MEAN_BACK = (
    "Seed 002 “Mean Pooling误差项的传递” (the error through mean pooling): δˡ⁻¹ = δˡ ⊗ "
    "(1/n²)ₙₓₙ, the Kronecker product"
)
SEED_LP_BACK = "Seed 003 §4.2: ∂g/∂xᵢ = (Σₖ |xₖ|ᵖ)^(1/p − 1) · |xᵢ|^(p−1)"
SEED_SUBSAMPLE_BACK = (
    "Seed 000 “计算卷积层梯度” (a conv layer's gradients): δⱼˡ = βⱼˡ⁺¹ (f′(uⱼˡ) ∘ "
    "up(δⱼˡ⁺¹)), up(x) = x ⊗ 1ₙₓₙ"
)
SEED_BETA = (
    "Seed 000 “Sub-sampling层 / 计算梯度” (sub-sampling: the gradients): ∂E/∂βⱼ = Σᵤᵥ (δⱼ "
    "∘ dⱼ)ᵤᵥ, dⱼ = down(xⱼˡ⁻¹)"
)
SEED_POOL_UP = (
    "Seed 000 “计算卷积层梯度” (a conv layer's gradients): a convolution followed by "
    "pooling, δˡ = up(δˡ⁺¹) ∘ f′(uˡ); seed 002 (max and mean pooling)"
)
SEED_CONV_UP = (
    "Seed 002 formula 5.3: δˡ⁻¹ = Σₒ δₒˡ ∗ Wₒˡ ∘ f′(netˡ⁻¹); seed 000 “Sub-sampling层” "
    "(sub-sampling layers): the full convolution with rot180(k)"
)
SEED_UPDATE = (
    "Seed 001: w = w − μ · ∂L/∂w “梯度下降” (gradient descent); seed 003 §2.1: w⁺ = w − η "
    "· ∂E/∂w; seed 004 “权重的更新” (updating the weights)"
)


# ---------------------------------------------------------------------- the result
@dataclass
class Explanation:
    """The rule of one phase, applied at one position.

    ``value`` is computed here from ``terms`` (in float64); ``engine_value`` is the same entry
    read from the engine's trace. ``scale`` is the sum of the magnitudes of what was added to
    get ``value``: rounding in the engine's dtype is relative to it, not to the (possibly much
    smaller) result. ``also`` holds the other rules the same phase applies (a conv backward
    phase computes ∂E/∂x, ∂E/∂W and ∂E/∂b).
    """

    title: str
    formula: str
    instance: str
    terms: list[tuple[str, float]]
    value: float
    engine_value: float
    position: tuple[int, ...]
    seed: str
    phase: str = ""  # the phase label, e.g. "backward C3"
    where: str = ""  # what the position indexes, e.g. "δ of C3 (16×10×10), sample 5"
    note: str = ""  # what the rule leaves implicit (batch means, split phases, …)
    scale: float = 0.0
    dtype: str = "float64"
    also: list[Explanation] = field(default_factory=list)

    @property
    def difference(self) -> float:
        return abs(self.value - self.engine_value)

    def tolerance(self, rtol: float | None = None) -> float:
        """How far ``value`` and ``engine_value`` may differ from rounding alone."""
        eps = float(np.finfo(np.dtype(self.dtype)).eps)
        if rtol is None:
            rtol = 8 * eps
        return rtol * abs(self.engine_value) + 4 * eps * max(self.scale, abs(self.value))

    @property
    def agrees(self) -> bool:
        return self.difference <= self.tolerance()

    def all(self) -> list[Explanation]:
        """This explanation and every one in ``also``."""
        return [self, *self.also]


# ---------------------------------------------------------------------- formatting
_SUP = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def num(v: float, digits: int = 4) -> str:
    """A number for a slide: 4 significant digits, a real minus sign, ×10ⁿ for tiny ones."""
    v = float(v)
    if not math.isfinite(v):
        return str(v)
    if v == 0:
        return "0"
    if v.is_integer() and abs(v) < 1e6:
        s = str(int(v))
    else:
        s = f"{v:.{digits}g}"
        if "e" in s:
            mant, exp = s.split("e")
            s = f"{mant}×10{str(int(exp)).translate(_SUP)}"
    return s.replace("-", "−")


def par(v: float) -> str:
    """``num`` with parentheses around negative numbers (for products)."""
    s = num(v)
    return f"({s})" if s.startswith("−") else s


def idx(t) -> str:
    return "[" + ", ".join(str(int(i)) for i in t) + "]"


def _shape(shape) -> str:
    return "×".join(str(int(s)) for s in shape)


# ---------------------------------------------------------------------- small helpers
@dataclass
class _Calc:
    """A value computed from named terms, with the text that shows how."""

    value: float
    terms: list[tuple[str, float]]
    text: str  # e.g. "Σⱼ W[j, 3]·δ[j] = 0.1·0.2 + … = 0.0132"
    scale: float
    title: str = ""
    formula: str = ""
    seed: str = ""
    name: str = ""  # short name of the quantity, e.g. "(Wᵀδ)[3]"


def _f64(a) -> np.ndarray:
    return np.asarray(a, dtype=np.float64)


def _fit(position, shape) -> tuple[int, ...] | None:
    """``position`` as a tuple of ints when it indexes an array of ``shape``, else None."""
    if position is None:
        return None
    try:
        pos = tuple(int(p) for p in position)
    except (TypeError, ValueError):
        return None
    if len(pos) != len(shape) or any(not 0 <= p < s for p, s in zip(pos, shape, strict=True)):
        return None
    return pos


def _largest(a: np.ndarray) -> tuple[int, ...]:
    """Position of the entry of largest magnitude (the first such)."""
    a = np.asarray(a)
    return tuple(int(i) for i in np.unravel_index(int(np.argmax(np.abs(a))), a.shape))


def _sum_of_products(
    names: list[str], left: np.ndarray, right: np.ndarray, extra: list[tuple[str, float]] = ()
) -> tuple[float, list[tuple[str, float]], str, float]:
    """Σ left·right (+ extra addends) in float64.

    Returns ``(value, terms, text, scale)``: the terms list every product when there are at most
    MAX_SHOWN of them, else the MAX_SHOWN largest and one term for the rest; ``text`` shows the
    sum inline (all products when few, the three largest and a count when many).
    """
    left, right = _f64(left).ravel(), _f64(right).ravel()
    prods = left * right
    n = prods.size
    total = float(prods.sum())
    value = total + sum(v for _, v in extra)
    scale = float(np.abs(prods).sum()) + sum(abs(v) for _, v in extra)
    nonzero = int(np.count_nonzero(prods))
    if n <= MAX_SHOWN:
        shown = list(range(n))
    else:  # the largest, leaving out zeros (δ is often 0 where a max-pool did not route)
        order = np.argsort(-np.abs(prods), kind="stable")[: max(min(MAX_SHOWN, nonzero), 1)]
        shown = sorted(order.tolist())
    terms = [(f"{names[i]} = {par(left[i])}·{par(right[i])}", float(prods[i])) for i in shown]
    if n > len(shown):
        rest = total - float(prods[shown].sum())
        k = n - len(shown)
        other = "the other product" if k == 1 else f"the other {k} products"
        if not np.count_nonzero(np.delete(prods, shown)):
            other += " (all 0)"
        terms.append((other, rest))
    terms += list(extra)
    if n == 0:
        inline = "0 (no products)"
    elif n <= MAX_SHOWN:
        inline = " + ".join(f"{par(left[i])}·{par(right[i])}" for i in range(n))
    else:
        top = sorted(np.argsort(-np.abs(prods), kind="stable")[: min(3, max(nonzero, 1))].tolist())
        count = f"{n} products" + (f", {nonzero} not 0" if nonzero < n else "")
        inline = (
            " + ".join(f"{par(left[i])}·{par(right[i])}" for i in top)
            + f" + … ({count}, Σ = {num(total)})"
        )
    for name, v in extra:
        inline += f" + {name} {par(v)}"
    return value, terms, inline, scale


def _sample_of(net: Network, sample: int) -> int:
    first = net.layers[0]
    if first.x is None:
        raise ValueError("nothing has been run yet: there is no trace to explain")
    return min(max(int(sample), 0), first.x.shape[0] - 1)


def _need(layer: Layer, *attrs: str) -> None:
    for a in attrs:
        if getattr(layer, a, None) is None:
            raise ValueError(f"layer {layer.name}: {a} has not been computed in this step")


def _map_name(layer: Layer, what: str, shape, s: int) -> str:
    return f"{what} of {layer.name} ({_shape(shape)}), sample {s}"


# ---------------------------------------------------------------------- entry point
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
    position : the entry to explain (see the module docstring); None picks the largest one.
        For a backward phase of a layer with weights, the length of the position chooses the
        rule: an input position gives ∂E/∂x, a weight position gives ∂E/∂W.
    lr : the learning rate η of the update.
    optimizer : for the update phase: its velocities, momentum and weight decay.
    before : for the update phase: ``{"C1.weight": (W before, v before), …}``, the parameter
        and velocity just before the update (what ``Trainer`` keeps to undo a divergent step).
        Without it W before is reconstructed as W + η·v.
    layer : for the update phase: the layer whose parameter to show (None: the largest ΔW).

    Raises ``ValueError`` when the trace does not hold what the phase computed.
    """
    s = _sample_of(net, sample)
    if phase.kind == "forward":
        ex = _forward(net, phase.layer, s, position)
    elif phase.kind == "loss":
        ex = _loss(net, s, position)
    elif phase.kind == "backward":
        ex = _backward(net, phase.layer, s, position)
    elif phase.kind == "update":
        ex = _update(net, position, lr, optimizer, before, layer)
    else:
        raise ValueError(f"unknown phase kind {phase.kind!r}")
    label = net.phase_label(phase)
    for e in ex.all():
        e.phase = label
        e.dtype = net.dtype.name
    return ex


# ---------------------------------------------------------------------- forward
def _forward(net: Network, i: int, s: int, position) -> Explanation:
    L = net.layers[i]
    _need(L, "x", "y")
    y = L.y[s]
    pos = _fit(position, y.shape) or _largest(y)
    engine = float(y[pos])
    if isinstance(L, Conv2D):
        return _conv_forward(L, s, pos, engine)
    if isinstance(L, Activation):
        return _activation_forward(L, s, pos, engine)
    if isinstance(L, Dense):
        x, w = L.x[s], L.params["weight"]
        (j,) = pos
        extra = [(f"b[{j}]", float(L.params["bias"][j]))] if L.use_bias else []
        names = [f"W[{j}, {k}]·x[{k}]" for k in range(x.size)]
        value, terms, inline, scale = _sum_of_products(names, w[j], x, extra)
        return Explanation(
            title="A dense layer: weighted sum of all its inputs, plus a bias",
            formula="uⱼ = Σₖ W[j, k] · xₖ + bⱼ   (u = W x + b)",
            instance=f"u{idx(pos)} = {inline} = {num(value)}",
            terms=terms,
            value=value,
            engine_value=engine,
            position=pos,
            seed=SEED_DENSE_FORWARD,
            where=_map_name(L, "net input u", L.out_shape, s),
            scale=scale,
        )
    if isinstance(L, Flatten):
        src = tuple(int(a) for a in np.unravel_index(pos[0], L.in_shape))
        value = float(L.x[s][src])
        c, h, w = L.in_shape if len(L.in_shape) == 3 else (1, 1, L.in_shape[0])
        return Explanation(
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
            seed=SEED_FLATTEN,
            where=_map_name(L, "output", L.out_shape, s),
            scale=abs(value),
        )
    if isinstance(L, MaxPool2D | AvgPool2D | LpPool2D | Subsampling):
        return _pool_forward(L, s, pos, engine)
    raise ValueError(f"no explanation for a forward {L.kind} layer")


def _conv_window(L: Conv2D, x: np.ndarray, o: int, i: int, j: int):
    """The patch of one output entry: input values, kernel values and names (masked out
    channels of a connection table are left out)."""
    P, S = L.padding, L.stride
    chans = [c for c in range(L.in_channels) if L.mask is None or L.mask[o, c]]
    vals, ws, names = [], [], []
    h, w = x.shape[1:]
    for c in chans:
        for p in range(L.kh):
            r = i * S + p - P
            for q in range(L.kw):
                col = j * S + q - P
                inside = 0 <= r < h and 0 <= col < w
                vals.append(float(x[c, r, col]) if inside else 0.0)
                ws.append(float(L.params["weight"][o, c, p, q]))
                xn = f"x[{c}, {r}, {col}]" if inside else "0 (padding)"
                names.append(f"{xn}·W[{o}, {c}, {p}, {q}]")
    return np.array(vals), np.array(ws), names, chans


def _conv_forward(L: Conv2D, s: int, pos, engine: float) -> Explanation:
    o, i, j = pos
    vals, ws, names, chans = _conv_window(L, L.x[s], o, i, j)
    extra = [(f"b[{o}]", float(L.params["bias"][o]))] if L.use_bias else []
    value, terms, inline, scale = _sum_of_products(names, vals, ws, extra)
    table = ""
    if L.mask is not None and len(chans) < L.in_channels:
        table = f" Connection table: output map {o} reads input maps {chans} only."
    return Explanation(
        title="Convolution: the kernel times a patch of the input, summed",
        formula=(
            "u[o, i, j] = Σ x[c, iS+p−P, jS+q−P] · W[o, c, p, q] + b[o]   "
            f"(sum over c, p, q; S = {L.stride}, P = {L.padding})"
        ),
        instance=f"u{idx(pos)} = {inline} = {num(value)}",
        terms=terms,
        value=value,
        engine_value=engine,
        position=pos,
        seed=SEED_CONV_FORWARD,
        where=_map_name(L, "net input u", L.out_shape, s),
        note=f"{len(vals)} products: {len(chans)} input map(s) × {L.kh}×{L.kw} kernel.{table}",
        scale=scale,
    )


_ACT_TEXT = {
    "relu": ("ReLU passes positive net input and blocks the rest", "a = f(u) = max(0, u)"),
    "leaky_relu": (
        "Leaky ReLU lets a little of the negative side through",
        "a = f(u) = u if u > 0, else α·u",
    ),
    "sigmoid": ("The sigmoid squashes the net input into (0, 1)", "a = f(u) = 1 / (1 + e⁻ᵘ)"),
    "tanh": ("tanh squashes the net input into (−1, 1)", "a = f(u) = tanh(u)"),
    "scaled_tanh": (
        "LeCun's scaled tanh squashes the net input into (−1.7159, 1.7159)",
        "a = f(u) = 1.7159 · tanh(⅔ · u)",
    ),
}
_DERIV_TEXT = {
    "relu": "f′(u) = 1 if u > 0, else 0",
    "leaky_relu": "f′(u) = 1 if u > 0, else α",
    "sigmoid": "f′(u) = a (1 − a)",
    "tanh": "f′(u) = 1 − a²",
    "scaled_tanh": "f′(u) = 1.7159 · ⅔ · (1 − (a / 1.7159)²)",
}


def _f(L: Activation, u: float) -> float:
    return float(L.f(np.array([u], dtype=np.float64))[0])


def _fprime(L: Activation, u: float) -> float:
    return float(L.derivative(np.array([u], dtype=np.float64))[0])


def _activation_forward(L: Activation, s: int, pos, engine: float) -> Explanation:
    u = float(L.x[s][pos])
    value = _f(L, u)
    title, formula = _ACT_TEXT.get(L.kind, (f"The activation {L.kind}", "a = f(u)"))
    if L.kind == "leaky_relu":
        formula = formula.replace("α", num(L.negative_slope))
    if L.kind == "relu":
        detail = f"max(0, {num(u)})"
    elif L.kind == "leaky_relu":
        detail = num(u) if u > 0 else f"{num(L.negative_slope)}·{par(u)}"
    elif L.kind == "sigmoid":
        detail = f"1 / (1 + e^{par(-u)})"
    elif L.kind == "tanh":
        detail = f"tanh({num(u)})"
    elif L.kind == "scaled_tanh":
        detail = f"1.7159 · tanh(⅔ · {par(u)})"
    else:
        detail = f"f({num(u)})"
    fp = _fprime(L, u)
    return Explanation(
        title=title,
        formula=formula,
        instance=f"a{idx(pos)} = {detail} = {num(value)}",
        terms=[(f"u{idx(pos)}", u), (f"f′(u{idx(pos)}), used on the way back", fp)],
        value=value,
        engine_value=engine,
        position=pos,
        seed=SEED_ACTIVATION.get(L.kind, SEED_ACTIVATION["tanh"]),
        where=_map_name(L, "activation a", L.out_shape, s),
        note="The backward pass will multiply δ by " + _DERIV_TEXT.get(L.kind, "f′(u)") + ".",
        scale=abs(value),
    )


def _window_rows(L, i: int, j: int):
    r0, c0 = i * L.stride, j * L.stride
    return r0, c0, [(r0 + a, c0 + b) for a in range(L.k) for b in range(L.k)]


def _pool_forward(L, s: int, pos, engine: float) -> Explanation:
    c, i, j = pos
    x = L.x[s]
    r0, c0, cells = _window_rows(L, i, j)
    win = _f64([x[c, r, q] for r, q in cells])
    names = [f"x[{c}, {r}, {q}]" for r, q in cells]
    listed = ", ".join(num(v) for v in win)
    k = L.k
    if isinstance(L, MaxPool2D):
        w = int(np.argmax(win))
        value = float(win[w])
        return Explanation(
            title="Max pooling keeps the largest input of each window",
            formula=f"y[c, i, j] = max of x[c, iS+p, jS+q] over the {k}×{k} window (S = "
            f"{L.stride})",
            instance=f"y{idx(pos)} = max({listed}) = {num(value)}: {names[w]} wins",
            terms=list(zip(names, win.tolist(), strict=True)),
            value=value,
            engine_value=engine,
            position=pos,
            seed=SEED_POOL_FORWARD,
            where=_map_name(L, "output", L.out_shape, s),
            note=f"The winner {names[w]} is remembered: backward routes δ{idx(pos)} to it.",
            scale=abs(value),
        )
    if isinstance(L, AvgPool2D):
        value = float(win.sum()) / (k * k)
        return Explanation(
            title="Mean pooling averages each window",
            formula=f"y[c, i, j] = (1/n²) Σ x[c, iS+p, jS+q]   (n = {k}, S = {L.stride})",
            instance=f"y{idx(pos)} = ({' + '.join(par(v) for v in win)}) / {k * k} = {num(value)}",
            terms=list(zip(names, win.tolist(), strict=True)),
            value=value,
            engine_value=engine,
            position=pos,
            seed=SEED_POOL_FORWARD,
            where=_map_name(L, "output", L.out_shape, s),
            scale=float(np.abs(win).sum()) / (k * k),
        )
    if isinstance(L, LpPool2D):
        p = L.p
        acc = float((np.abs(win) ** p).sum())
        value = acc ** (1 / p)
        return Explanation(
            title=f"L{num(p)} pooling: the {num(p)}-norm of each window",
            formula=f"y[c, i, j] = (Σ |x[c, iS+a, jS+b]|ᵖ)^(1/p)   (p = {num(p)}, n = {k}, "
            f"S = {L.stride})",
            instance=f"y{idx(pos)} = ({' + '.join(f'|{num(v)}|^{num(p)}' for v in win)})"
            f"^(1/{num(p)}) = {num(acc)}^(1/{num(p)}) = {num(value)}",
            terms=list(zip(names, win.tolist(), strict=True)),
            value=value,
            engine_value=engine,
            position=pos,
            seed=SEED_LP_FORWARD,
            where=_map_name(L, "output", L.out_shape, s),
            scale=abs(value),
        )
    # Bouvrie's subsampling
    beta, b = float(L.params["beta"][c]), float(L.params["bias"][c])
    down = float(win.sum())
    value = beta * down + b
    return Explanation(
        title="Subsampling (Bouvrie): a trainable β times the window sum, plus b",
        formula=f"u[c, i, j] = β[c] · down(x)[c, i, j] + b[c],   down = sum of each {k}×{k} block",
        instance=f"u{idx(pos)} = {num(beta)} × ({' + '.join(par(v) for v in win)}) + {par(b)} = "
        f"{num(beta)} × {par(down)} + {par(b)} = {num(value)}",
        terms=[*zip(names, win.tolist(), strict=True), (f"β[{c}]", beta), (f"b[{c}]", b)],
        value=value,
        engine_value=engine,
        position=pos,
        seed=SEED_SUBSAMPLE_FORWARD,
        where=_map_name(L, "net input u", L.out_shape, s),
        note="down(x) is kept from the forward pass: backward needs it for ∂E/∂β.",
        scale=abs(beta) * float(np.abs(win).sum()) + abs(b),
    )


# ---------------------------------------------------------------------- loss
def _loss(net: Network, s: int, position) -> Explanation:
    loss = net.loss
    if loss.y is None or loss.value is None:
        raise ValueError("the loss has not been computed in this step")
    y = _f64(loss.y)
    n, kk = y.shape
    label = int(loss.labels[s])
    if isinstance(loss, SoftmaxCrossEntropy):
        z = y - y.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        target = np.zeros_like(p)
        target[np.arange(n), loss.labels] = 1.0
        delta = (p[s] - target[s]) / n
        pos = _fit(position, (kk,)) or _largest(delta)
        (k,) = pos
        # exactly what loss.backward() gives the last layer (loss.dy itself may still be
        # the previous step's: the loss phase computes p, the backward phase δ)
        tp = loss.p.dtype.type
        engine = float((loss.p[s, k] - tp(1 if k == label else 0)) * tp(1.0 / n))
        value = (float(p[s, k]) - float(target[s, k])) / n
        e_value = float(-np.log(p[np.arange(n), loss.labels]).mean())
        lp = -math.log(float(p[s, label]))
        energy = Explanation(
            title="Cross-entropy: minus the log-probability of the true class, batch mean",
            formula="E = −(1/N) Σₙ log pₙ[tₙ]",
            instance=f"this sample: −log p[{label}] = −log {num(p[s, label])} = {num(lp)};  "
            f"mean over the batch of {n}: E = {num(e_value)}",
            terms=[(f"p[{label}] (sample {s})", float(p[s, label])), ("N", float(n))],
            value=e_value,
            engine_value=float(loss.value),
            position=(label,),
            seed=SEED_SOFTMAX,
            where=f"the loss of the batch of {n}",
            scale=abs(e_value),
        )
        return Explanation(
            title="Softmax + cross-entropy: the output sensitivity is δ = p − t",
            formula="pₖ = eᵘᵏ / Σⱼ eᵘʲ,   E = −(1/N) Σₙ log pₙ[tₙ],   δᴸ = ∂E/∂uᴸ = (p − t) / N",
            instance=f"δ[{k}] = (p[{k}] − t[{k}]) / N = ({num(p[s, k])} − "
            f"{num(target[s, k])}) / {n} = {num(value)}",
            terms=[
                (f"u[{k}]", float(y[s, k])),
                (f"p[{k}] = e^u[{k}] / Σⱼ e^u[j]", float(p[s, k])),
                (f"t[{k}] (true class {label})", float(target[s, k])),
                ("N (batch size)", float(n)),
            ],
            value=value,
            engine_value=engine,
            position=pos,
            seed=SEED_SOFTMAX,
            where=f"δ of the output {net.layers[-1].name} ({kk}), sample {s}",
            note=f"E is the mean over the batch, so δ is divided by N = {n}. The softmax "
            "and the log cancel: no f′ appears. The last layer's backward phase receives "
            "this δ.",
            scale=(float(p[s, k]) + float(target[s, k])) / n,
            also=[energy],
        )
    if isinstance(loss, SquaredError):
        tg = _f64(loss.t)
        g = (y[s] - tg[s]) / n
        pos = _fit(position, (kk,)) or _largest(g)
        (k,) = pos
        # what loss.backward() gives (loss.dy may still be the previous step's)
        tp = loss.y.dtype.type
        engine = float((loss.y[s, k] - loss.t[s, k]) * tp(1.0 / n))
        value = (float(y[s, k]) - float(tg[s, k])) / n
        e_value = float(0.5 * ((y - tg) ** 2).sum() / n)
        energy = Explanation(
            title="Squared error: half the squared distance to the targets, batch mean",
            formula="E = (1/N) Σₙ ½ Σₖ (yₙₖ − tₙₖ)²",
            instance=f"this sample: ½ Σₖ (yₖ − tₖ)² = "
            f"{num(0.5 * float(((y[s] - tg[s]) ** 2).sum()))};  mean over the batch of {n}: "
            f"E = {num(e_value)}",
            terms=[("N", float(n))],
            value=e_value,
            engine_value=float(loss.value),
            position=(k,),
            seed=SEED_SQUARED,
            where=f"the loss of the batch of {n}",
            scale=abs(e_value),
        )
        return Explanation(
            title="Squared error: the output error is y − t",
            formula="E = (1/N) Σₙ ½ Σₖ (yₖ − tₖ)²,   ∂E/∂y = (y − t) / N;  "
            "then δᴸ = (y − t) ∘ f′(uᴸ) / N",
            instance=f"∂E/∂y[{k}] = (y[{k}] − t[{k}]) / N = ({num(y[s, k])} − "
            f"{par(tg[s, k])}) / {n} = {num(value)}",
            terms=[
                (f"y[{k}]", float(y[s, k])),
                (f"t[{k}] (true class {label})", float(tg[s, k])),
                ("N (batch size)", float(n)),
            ],
            value=value,
            engine_value=engine,
            position=pos,
            seed=SEED_SQUARED,
            where=f"∂E/∂y of the output {net.layers[-1].name} ({kk}), sample {s}",
            note="Seed 000's δᴸ = f′(uᴸ) ∘ (y − t) is split over two phases here: the loss "
            "gives (y − t)/N (the mean over the batch), the backward phase of the last "
            "activation multiplies by f′(uᴸ).",
            scale=(abs(float(y[s, k])) + abs(float(tg[s, k]))) / n,
            also=[energy],
        )
    raise ValueError(f"no explanation for the loss {loss.kind}")


# ---------------------------------------------------------------------- backward: ∂E/∂x
def _loss_grad(net: Network, s: int, pos) -> _Calc:
    """∂E/∂y of the last layer at ``pos`` (what the loss's backward hands it)."""
    loss = net.loss
    y = _f64(loss.y)
    n = y.shape[0]
    (k,) = pos
    if isinstance(loss, SquaredError):
        t = float(loss.t[s, k])
        value = (float(y[s, k]) - t) / n
        return _Calc(
            value,
            [(f"y[{k}]", float(y[s, k])), (f"t[{k}]", t), ("N", float(n))],
            f"(y[{k}] − t[{k}]) / N = ({num(y[s, k])} − {par(t)}) / {n} = {num(value)}",
            (abs(float(y[s, k])) + abs(t)) / n,
            title="The output sensitivity: δᴸ = (y − t) ∘ f′(uᴸ)",
            formula="δᴸ = (y − t) ∘ f′(uᴸ) / N   (mean over the batch of N)",
            seed=SEED_SQUARED,
            name=f"(y − t)[{k}] / N",
        )
    z = y[s] - y[s].max()
    p = np.exp(z) / np.exp(z).sum()
    t = 1.0 if k == int(loss.labels[s]) else 0.0
    value = (float(p[k]) - t) / n
    return _Calc(
        value,
        [(f"p[{k}]", float(p[k])), (f"t[{k}]", t), ("N", float(n))],
        f"(p[{k}] − t[{k}]) / N = ({num(p[k])} − {num(t)}) / {n} = {num(value)}",
        (float(p[k]) + t) / n,
        title="The output sensitivity from softmax + cross-entropy",
        formula="∂E/∂y = (p − t) / N",
        seed=SEED_SOFTMAX,
        name=f"(p − t)[{k}] / N",
    )


def _incoming(net: Network, i: int, s: int, pos) -> _Calc:
    """∂E/∂y of layer ``i`` at ``pos``, recomputed from the layer above (or the loss)."""
    if i == len(net.layers) - 1:
        return _loss_grad(net, s, pos)
    return _dx_at(net, i + 1, s, pos)


def _dx_at(net: Network, j: int, s: int, pos) -> _Calc:
    """∂E/∂x of layer ``j`` at input position ``pos``, from its δ (``dy``) and parameters."""
    U = net.layers[j]
    if isinstance(U, Flatten):
        k = int(np.ravel_multi_index(pos, U.in_shape))
        inner = _incoming(net, j, s, (k,))
        inner.text = f"(flattened to entry {k}) {inner.text}"
        return inner
    _need(U, "dy")
    d = _f64(U.dy[s])
    if isinstance(U, Dense):
        (k,) = pos
        w = U.params["weight"][:, k]
        names = [f"W[{o}, {k}]·δ[{o}]" for o in range(d.size)]
        value, terms, inline, scale = _sum_of_products(names, w, d)
        return _Calc(
            value,
            terms,
            f"Σⱼ W[j, {k}]·δ[j] = {inline} = {num(value)}",
            scale,
            title="Back through a dense layer: the weighted sum of the δ above",
            formula="∂E/∂x = Wᵀ δ,   i.e. (Wᵀδ)ₖ = Σⱼ W[j, k] · δⱼ",
            seed=SEED_FC_BACK,
            name=f"(Wᵀδ)[{k}]",
        )
    if isinstance(U, Conv2D):
        return _conv_dx(U, d, pos)
    if isinstance(U, MaxPool2D | AvgPool2D | LpPool2D | Subsampling):
        return _pool_dx(U, s, d, pos)
    if isinstance(U, Activation):
        u = float(U.x[s][pos])
        fp = _fprime(U, u)
        g = float(d[pos])
        value = g * fp
        return _Calc(
            value,
            [(f"∂E/∂a{idx(pos)} of {U.name}", g), (f"f′(u{idx(pos)})", fp)],
            f"∂E/∂a{idx(pos)} × f′(u{idx(pos)}) = {par(g)} × {par(fp)} = {num(value)}",
            abs(value),
            title="Back through an activation",
            formula="∂E/∂u = ∂E/∂a ∘ f′(u)",
            seed=SEED_FC_BACK,
            name=f"∂E/∂x{idx(pos)}",
        )
    raise ValueError(f"no explanation for the backward of a {U.kind} layer")


def _conv_dx(U: Conv2D, d: np.ndarray, pos) -> _Calc:
    """∂E/∂x[c, r, q] = Σₒ Σₚ,q' δ[o, i, j] · W[o, c, p, q'] over the (i, j) whose window
    covers (r, q): the full convolution of δ (zeros inserted for the stride) with rot180(W)."""
    c, r, q = pos
    P, S = U.padding, U.stride
    ho, wo = U.out_hw
    w = U.params["weight"]
    ds, ws, names = [], [], []
    skipped = 0
    for o in range(U.out_channels):
        if U.mask is not None and not U.mask[o, c]:
            continue
        for p in range(U.kh):
            a = r + P - p
            for qq in range(U.kw):
                b = q + P - qq
                if a < 0 or b < 0 or a % S or b % S:
                    skipped += a >= 0 and b >= 0 and a // S < ho and b // S < wo
                    continue
                i, jj = a // S, b // S
                if i >= ho or jj >= wo:
                    continue
                ds.append(float(d[o, i, jj]))
                ws.append(float(w[o, c, p, qq]))
                names.append(f"δ[{o}, {i}, {jj}]·W[{o}, {c}, {p}, {qq}]")
    value, terms, inline, scale = _sum_of_products(names, ds, ws)
    stride_note = (
        f" With stride {S}, δ gets {S - 1} zero(s) between its entries first: {skipped} kernel "
        "taps land on inserted zeros."
        if S > 1
        else ""
    )
    return _Calc(
        value,
        terms,
        f"Σ δ·W = {inline} = {num(value)}{stride_note}",
        scale,
        title="Back through a convolution: a full convolution of δ with the rotated kernel",
        formula="∂E/∂x[c] = Σₒ full(δ[o] ↑S) ∗ rot180(W[o, c])   "
        "(each input entry collects δ·W from every window that covered it)",
        seed=SEED_CONV_DX,
        name=f"(Σ δ ∗ rot180 W){idx(pos)}",
    )


def _windows_covering(U, r: int, q: int):
    """Output positions (i, j) whose window covers input (r, q), and the offset in it."""
    ho, wo = U.out_hw
    S, k = U.stride, U.k
    out = []
    for i in range(ho):
        a = r - i * S
        if not 0 <= a < k:
            continue
        for j in range(wo):
            b = q - j * S
            if 0 <= b < k:
                out.append((i, j, a, b))
    return out


def _pool_dx(U, s: int, d: np.ndarray, pos) -> _Calc:
    c, r, q = pos
    wins = _windows_covering(U, r, q)
    k = U.k
    if isinstance(U, MaxPool2D):
        _need(U, "argmax")
        am = U.argmax[s]
        terms, parts, value, scale = [], [], 0.0, 0.0
        for i, j, a, b in wins:
            won = int(am[c, i, j]) == a * k + b
            g = float(d[c, i, j])
            terms.append((f"δ[{c}, {i}, {j}] × ({'1: won' if won else '0: lost'})", g * won))
            parts.append(f"δ[{c}, {i}, {j}] × {int(won)}")
            value += g * won
            scale += abs(g) * won
        if not wins:
            text = "0: no window covers this entry"
        else:
            vals = " + ".join(
                f"{par(float(d[c, i, j]))} × {int(int(am[c, i, j]) == a * k + b)}"
                for i, j, a, b in wins
            )
            text = f"{' + '.join(parts)} = {vals} = {num(value)}"
        return _Calc(
            value,
            terms,
            text,
            scale,
            title="Max pooling routes δ to the argmax",
            formula="∂E/∂x[c, r, s] = δ[c, i, j] if x[c, r, s] was the max of window (i, j), "
            "else 0",
            seed=SEED_MAX_BACK,
            name=f"up(δ){idx(pos)}",
        )
    if isinstance(U, AvgPool2D):
        n2 = k * k
        gs = [float(d[c, i, j]) for i, j, _, _ in wins]
        value = sum(gs) / n2
        return _Calc(
            value,
            [(f"δ[{c}, {i}, {j}]", g) for (i, j, _, _), g in zip(wins, gs, strict=True)]
            + [("n²", float(n2))],
            " + ".join(f"δ[{c}, {i}, {j}]" for i, j, _, _ in wins)
            + f" / {n2} = ({' + '.join(par(g) for g in gs) or '0'}) / {n2} = {num(value)}",
            sum(abs(g) for g in gs) / n2,
            title="Mean pooling spreads δ/n² over the window",
            formula="∂E/∂x = δ ⊗ 1ₙₓₙ / n²   (the Kronecker product: every input of a window "
            "gets its share)",
            seed=SEED_MEAN_BACK,
            name=f"up(δ)/n²{idx(pos)}",
        )
    if isinstance(U, LpPool2D):
        p = U.p
        x = float(U.x[s][c, r, q])
        terms, texts, value, scale = [], [], 0.0, 0.0
        for i, j, _, _ in wins:
            yv = float(U.y[s][c, i, j])
            g = float(d[c, i, j])
            part = g * yv ** (1 - p) * abs(x) ** (p - 1) * float(np.sign(x)) if yv > 0 else 0.0
            terms += [(f"δ[{c}, {i}, {j}]", g), (f"y[{c}, {i}, {j}]", yv)]
            texts.append(f"{par(g)} · {num(yv)}^{num(1 - p)} · |{num(x)}|^{num(p - 1)}")
            value += part
            scale += abs(part)
        terms.append((f"x{idx(pos)}", x))
        return _Calc(
            value,
            terms,
            f"{' + '.join(texts) or '0'} = {num(value)}",
            scale,
            title=f"L{num(p)} pooling: δ times the derivative of the norm",
            formula="∂E/∂xᵢ = Σ δ · y^(1−p) · |xᵢ|^(p−1) · sign(xᵢ)   (y = (Σₖ |xₖ|ᵖ)^(1/p))",
            seed=SEED_LP_BACK,
            name=f"∂E/∂x{idx(pos)}",
        )
    # Subsampling: β · up(δ)
    beta = float(U.params["beta"][c])
    gs = [float(d[c, i, j]) for i, j, _, _ in wins]
    value = beta * sum(gs)
    wl = ", ".join(f"δ[{c}, {i}, {j}]" for i, j, _, _ in wins) or "no window"
    return _Calc(
        value,
        [(f"β[{c}]", beta)]
        + [(f"δ[{c}, {i}, {j}]", g) for (i, j, _, _), g in zip(wins, gs, strict=True)],
        f"β[{c}] · {wl} = {num(beta)} × {par(sum(gs))} = {num(value)}",
        abs(beta) * sum(abs(g) for g in gs),
        title="Bouvrie's subsampling sends β·δ back to every input of the block",
        formula="∂E/∂x = β · up(δ),   up(δ) = δ ⊗ 1ₙₓₙ   (the Kronecker product)",
        seed=SEED_SUBSAMPLE_BACK,
        name=f"β·up(δ){idx(pos)}",
    )


# ---------------------------------------------------------------------- backward
def _backward(net: Network, i: int, s: int, position) -> Explanation:
    L = net.layers[i]
    _need(L, "dy")
    if isinstance(L, Activation):
        return _activation_backward(net, i, s, position)
    rules: list[Explanation] = []
    grads = [k for k in ("weight", "beta") if k in L.params]
    has_dx = L.dx is not None
    want_param = bool(grads) and (
        not has_dx
        or (
            position is not None
            and len(tuple(position)) == L.params[grads[0]].ndim
            and len(tuple(position)) != L.dx.ndim - 1
        )
    )
    if has_dx:
        rules.append(_dx_explanation(net, i, s, None if want_param else position))
    for key in grads:
        rules.append(_param_grad(net, L, key, s, position if key == grads[0] else None))
    if "bias" in L.params:
        rules.append(_param_grad(net, L, "bias", s, None))
    if not rules:
        raise ValueError(f"layer {L.name}: nothing was computed in its backward phase")
    main = rules[1 if has_dx else 0] if want_param else rules[0]
    main.also = [r for r in rules if r is not main]
    return main


def _dx_explanation(net: Network, i: int, s: int, position) -> Explanation:
    L = net.layers[i]
    dx = L.dx[s]
    pos = _fit(position, dx.shape) or _largest(dx)
    calc = _dx_at(net, i, s, pos)
    note = ""
    if isinstance(L, Conv2D | Dense) and i > 0 and isinstance(net.layers[i - 1], Activation):
        note = (
            f"This is ∂E/∂a of the layer below; its activation's backward phase "
            f"({net.layers[i - 1].name}) multiplies by f′(u) to make δ."
        )
    elif isinstance(L, Flatten):
        calc.title = "Flatten backward: the vector δ is folded back into maps"
        calc.formula = "∂E/∂x[c, r, s] = ∂E/∂y[c·H·W + r·W + s]"
    if isinstance(L, Dense) and not note:
        note = "Wᵀδ is what flows down; the layer's own gradient is ∂E/∂W = δ xᵀ."
    return Explanation(
        title=calc.title,
        formula=calc.formula,
        instance=f"∂E/∂x{idx(pos)} = {calc.text}",
        terms=calc.terms,
        value=calc.value,
        engine_value=float(dx[pos]),
        position=pos,
        seed=calc.seed or SEED_FC_BACK,
        where=_map_name(L, "∂E/∂x (input gradient)", L.in_shape, s),
        note=note,
        scale=calc.scale,
    )


def _activation_backward(net: Network, i: int, s: int, position) -> Explanation:
    L = net.layers[i]
    _need(L, "dx")
    dx = L.dx[s]
    pos = _fit(position, dx.shape) or _largest(dx)
    up = _incoming(net, i, s, pos)
    u = float(L.x[s][pos])
    fp = _fprime(L, u)
    value = up.value * fp
    above = net.layers[i + 1] if i + 1 < len(net.layers) else None
    while isinstance(above, Flatten):
        j = net.layers.index(above)
        above = net.layers[j + 1] if j + 1 < len(net.layers) else None
    if above is None:
        title, formula, seed = up.title, up.formula, up.seed
        note = (
            "Seed 000's δᴸ = f′(uᴸ) ∘ (y − t): the loss phase gave (y − t)/N, this phase "
            "multiplies by f′(uᴸ)."
        )
    elif isinstance(above, Dense):
        title = "The sensitivity of a hidden layer: Wᵀδ from above, times f′(u)"
        formula = "δˡ = (Wˡ⁺¹)ᵀ δˡ⁺¹ ∘ f′(uˡ)"
        seed = SEED_FC_BACK
        note = "The dense backward phase above gave (Wᵀδ); this phase multiplies by f′(u)."
    elif isinstance(above, Conv2D):
        title = "δ below a convolution: full convolution with rot180(W), times f′(u)"
        formula = (
            "δˡ⁻¹ = Σₒ δₒˡ ∗ rot180(Wₒ) ∘ f′(uˡ⁻¹)   (a 'full' convolution; δ ↑S for stride S)"
        )
        seed = SEED_CONV_UP
        note = (
            "The conv backward phase above gave the full convolution; this phase multiplies "
            "by f′(u)."
        )
    elif isinstance(above, Subsampling):
        title = "A convolution followed by subsampling: δ = β·up(δˡ⁺¹) ∘ f′(u)"
        formula = "δⱼˡ = βⱼˡ⁺¹ · up(δⱼˡ⁺¹) ∘ f′(uⱼˡ),   up(δ) = δ ⊗ 1ₙₓₙ"
        seed = SEED_SUBSAMPLE_BACK
        note = "The subsampling backward phase gave β·up(δ); this phase multiplies by f′(u)."
    elif isinstance(above, MaxPool2D | AvgPool2D | LpPool2D):
        title = "A convolution followed by pooling: δ = up(δˡ⁺¹) ∘ f′(u)"
        formula = {
            MaxPool2D: "δˡ = up(δˡ⁺¹) ∘ f′(uˡ)   (up routes each δ to its window's argmax)",
            AvgPool2D: "δˡ = up(δˡ⁺¹) ∘ f′(uˡ),   up(δ) = δ ⊗ 1ₙₓₙ / n²",
            LpPool2D: "δˡ = up(δˡ⁺¹) ∘ f′(uˡ)   (up multiplies each δ by ∂‖x‖ₚ/∂xᵢ)",
        }[type(above)]
        seed = SEED_POOL_UP
        note = "The pooling backward phase gave up(δ); this phase multiplies by f′(u)."
    else:
        title, formula, seed = (
            "Back through an activation: δ = ∂E/∂a ∘ f′(u)",
            ("δ = ∂E/∂a ∘ f′(u)"),
            SEED_FC_BACK,
        )
        note = ""
    fps = _DERIV_TEXT.get(L.kind, "f′(u)")
    return Explanation(
        title=title,
        formula=f"{formula};   {fps}",
        instance=f"δ{idx(pos)} = {up.name} × f′(u{idx(pos)}) = {par(up.value)} × {par(fp)} = "
        f"{num(value)}",
        terms=[
            *up.terms,
            (f"{up.name} (from above)", up.value),
            (f"u{idx(pos)}", u),
            (f"f′(u{idx(pos)})", fp),
        ],  # fmt: skip
        value=value,
        engine_value=float(dx[pos]),
        position=pos,
        seed=seed,
        where=_map_name(L, "δ = ∂E/∂u", L.in_shape, s),
        note=(note + f"  {up.name} = {up.text}").strip(),
        scale=up.scale * abs(fp),
    )


# ---------------------------------------------------------------------- parameter gradients
def _param_grad(net: Network, L: Layer, key: str, s: int, position) -> Explanation:
    grad = L.grads[key]
    pos = _fit(position, grad.shape) or _largest(grad)
    engine = float(grad[pos])
    d = _f64(L.dy)  # (N, …)
    n = d.shape[0]
    batch = f"Summed over the batch of {n} samples (E is their mean, so δ already carries 1/N)."
    if isinstance(L, Conv2D) and key == "weight":
        o, c, p, q = pos
        S, P = L.stride, L.padding
        ho, wo = L.out_hw
        x = _f64(L.x)
        xp = np.pad(x, ((0, 0), (0, 0), (P, P), (P, P))) if P else x
        a = xp[:, c, p : p + S * (ho - 1) + 1 : S, q : q + S * (wo - 1) + 1 : S]
        connected = L.mask is None or bool(L.mask[o, c])
        prods = d[:, o] * a if connected else np.zeros_like(a)
        mine = prods[s]
        flat = np.argsort(-np.abs(mine).ravel(), kind="stable")[:MAX_SHOWN]
        terms = []
        for f in sorted(flat.tolist()):
            ii, jj = divmod(f, wo)
            r, col = ii * S + p - P, jj * S + q - P
            an = f"a[{c}, {r}, {col}]" if 0 <= r < x.shape[2] and 0 <= col < x.shape[3] else "0"
            terms.append(
                (f"δ[{o}, {ii}, {jj}]·{an} = {par(d[s, o, ii, jj])}·{par(a[s, ii, jj])}",
                 float(mine[ii, jj]))
            )  # fmt: skip
        shown = sum(v for _, v in terms)
        this = float(mine.sum())
        others = float(prods.sum()) - this
        terms.append((f"the other {mine.size - len(flat)} products of sample {s}", this - shown))
        terms.append((f"the other {n - 1} samples", others))
        value = sum(v for _, v in terms)
        note = batch
        if not connected:
            note = (
                f"Input map {c} does not feed output map {o} (connection table): this "
                "kernel is held at 0 and so is its gradient. " + batch
            )
        return Explanation(
            title="The filter gradient: the input correlated with δ",
            formula="∂E/∂W[o, c, p, q] = Σₙ Σᵢⱼ δₙ[o, i, j] · aₙ[c, iS+p−P, jS+q−P]",
            instance=f"∂E/∂W{idx(pos)} = (sample {s}: Σ of {mine.size} products δ·a = "
            f"{num(this)}) + (the other {n - 1} samples: {num(others)}) = {num(value)}",
            terms=terms,
            value=value,
            engine_value=engine,
            position=pos,
            seed=SEED_CONV_DW,
            where=f"∂E/∂W of {L.name} ({_shape(grad.shape)})",
            note=note,
            scale=float(np.abs(prods).sum()),
        )
    if isinstance(L, Dense) and key == "weight":
        j, k = pos
        x = _f64(L.x)
        prods = d[:, j] * x[:, k]
        this = float(prods[s])
        others = float(prods.sum()) - this
        value = this + others
        return Explanation(
            title="The weight gradient of a dense layer: δ times the input",
            formula="∂E/∂W = δ xᵀ,   ∂E/∂W[j, k] = Σₙ δₙ[j] · xₙ[k]",
            instance=f"∂E/∂W{idx(pos)} = δ[{j}]·x[{k}] (sample {s}: {par(d[s, j])}·"
            f"{par(x[s, k])} = {num(this)}) + (the other {n - 1} samples: {num(others)}) = "
            f"{num(value)}",
            terms=[
                (f"δ[{j}] (sample {s})", float(d[s, j])),
                (f"x[{k}] (sample {s})", float(x[s, k])),
                (f"δ[{j}]·x[{k}] (sample {s})", this),
                (f"the other {n - 1} samples", others),
            ],
            value=value,
            engine_value=engine,
            position=pos,
            seed=SEED_FC_GRAD,
            where=f"∂E/∂W of {L.name} ({_shape(grad.shape)})",
            note=batch,
            scale=float(np.abs(prods).sum()),
        )
    if isinstance(L, Subsampling) and key == "beta":
        (c,) = pos
        down = _f64(L.down)[:, c]
        prods = d[:, c] * down
        this = float(prods[s].sum())
        others = float(prods.sum()) - this
        value = this + others
        return Explanation(
            title="Bouvrie's ∂E/∂β: δ times the down-sampled input, summed",
            formula="∂E/∂βⱼ = Σ (δⱼ ∘ down(xⱼ))   (sum over the map and the batch)",
            instance=f"∂E/∂β[{c}] = (sample {s}: Σ δ·down(x) = {num(this)}) + (the other "
            f"{n - 1} samples: {num(others)}) = {num(value)}",
            terms=[
                (f"Σ δ[{c}]·down(x)[{c}] (sample {s})", this),
                (f"the other {n - 1} samples", others),
            ],  # fmt: skip
            value=value,
            engine_value=engine,
            position=pos,
            seed=SEED_BETA,
            where=f"∂E/∂β of {L.name} ({_shape(grad.shape)})",
            note="down(x) was kept from the forward pass. " + batch,
            scale=float(np.abs(prods).sum()),
        )
    if key == "bias":
        (o,) = pos
        dd = d[:, o] if d.ndim > 2 else d[:, o : o + 1]
        per = dd.reshape(n, -1).sum(axis=1)
        this = float(per[s])
        others = float(per.sum()) - this
        value = this + others
        count = int(np.prod(dd.shape[1:])) if dd.ndim > 1 else 1
        what = f"the {count} entries of δ[{o}]" if count > 1 else f"δ[{o}]"
        return Explanation(
            title="The bias gradient: the sum of δ",
            formula="∂E/∂b[o] = Σₙ Σᵢⱼ δₙ[o, i, j]" if count > 1 else "∂E/∂b = Σₙ δₙ",
            instance=f"∂E/∂b[{o}] = (sample {s}: Σ {what} = {num(this)}) + (the other "
            f"{n - 1} samples: {num(others)}) = {num(value)}",
            terms=[(f"Σ {what} (sample {s})", this), (f"the other {n - 1} samples", others)],
            value=value,
            engine_value=engine,
            position=pos,
            seed=SEED_CONV_DB if count > 1 else SEED_FC_BIAS,
            where=f"∂E/∂b of {L.name} ({_shape(grad.shape)})",
            note=batch,
            scale=float(np.abs(dd).sum()),
        )
    raise ValueError(f"no explanation for the gradient of {L.name}.{key}")


# ---------------------------------------------------------------------- update
def _update(
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
    mu = float(optimizer.momentum) if optimizer is not None else 0.0
    lam = float(optimizer.weight_decay) if optimizer is not None else 0.0
    eta = float(lr)

    def delta_of(key, p, g):
        """|ΔW| where this step's gradient is not zero (a dead unit moving on momentum
        alone is a poor first example), else |ΔW|."""
        if before is not None and key in before:
            dw = np.abs(_f64(p) - _f64(before[key][0]))
        else:
            v = optimizer.velocity[key] if optimizer is not None else g
            dw = np.abs(eta * _f64(v))
        live = np.where(g != 0, dw, 0.0)
        return live if live.any() else dw

    candidates = [(k, p, g) for k, p, g in params if k.endswith((".weight", ".beta"))]
    if layer is not None and 0 <= layer < len(net.layers) and net.layers[layer].params:
        name = net.layers[layer].name
        candidates = [(k, p, g) for k, p, g in params if k.startswith(name + ".")][:1]
    key, p, g = candidates[0] if len(candidates) == 1 else (None, None, None)
    pos = None
    if key is not None:
        pos = _fit(position, p.shape)
        if pos is None:
            pos = _largest(delta_of(key, p, g))
    else:
        best = -1.0
        for k, pp, gg in candidates or params:
            dw = delta_of(k, pp, gg)
            ppos = _largest(dw)
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
                Explanation(
                    title="The velocity accumulates the gradients",
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
                        ("v before", v0),
                        ("∂E/∂W", grad),
                        ("λ", lam),
                        ("W before", w0),
                    ],  # fmt: skip
                    value=v,
                    engine_value=float(optimizer.velocity[key][pos]),
                    position=pos,
                    seed=SEED_UPDATE,
                    where=f"velocity of {key}",
                    scale=abs(mu * v0) + abs(grad) + abs(lam * w0),
                )
            )
    else:
        v = float(optimizer.velocity[key][pos]) if optimizer is not None else grad
        w0 = w_after + eta * v
        v0 = 0.0
        note = "W before was not kept: it is reconstructed here as W + η·v. "
    value = w0 - eta * v
    if mu or lam:
        title = "SGD with momentum: step along the velocity" if mu else "SGD with weight decay"
        formula = "v ← μ·v + ∂E/∂W (+ λ·W),   ΔW = −η·v,   W ← W + ΔW"
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
        terms = [("W before", w0), ("η (learning rate)", eta), ("∂E/∂W", grad)]
        if mu:
            terms += [("μ (momentum)", mu), ("v before", v0)]
        if lam:
            terms.append(("λ (weight decay)", lam))
        terms += [("v = μ·v + ∂E/∂W + λ·W", v), ("ΔW = −η·v", -eta * v)]
        note += "The engine applies −η·v, not −η·∂E/∂W: the velocity remembers past steps."
    else:
        title = "Gradient descent: a small step against the gradient"
        formula = "W ← W − η · ∂E/∂W"
        instance = (
            f"W{idx(pos)} = {num(w0)} − {num(eta)} × {par(grad)} = {num(w0)} − "
            f"{par(eta * grad)} = {num(value)}"
        )
        terms = [("W before", w0), ("η (learning rate)", eta), ("∂E/∂W", grad),
                 ("ΔW = −η·∂E/∂W", -eta * v)]  # fmt: skip
    return Explanation(
        title=title,
        formula=formula,
        instance=instance,
        terms=terms,
        value=value,
        engine_value=w_after,
        position=pos,
        seed=SEED_UPDATE,
        where=f"{key} ({_shape(p.shape)}): before → after",
        note=note.strip() + f"  Every parameter of every layer took the same step; shown: "
        f"{key}{idx(pos)}.",
        scale=abs(w0) + abs(eta * v),
        also=also,
    )
