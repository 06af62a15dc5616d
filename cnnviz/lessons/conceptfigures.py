"""The illustrations of the Help ▸ Concepts pages: small maps computed by the engine itself.

Each ``*_figure()`` runs a tiny layer of :mod:`cnnviz.engine` (a 3×3 convolution on Victor
Zhou's 4×4 image, a 2×2 max pooling, a softmax over 10 scores, two SGD steps, …) in float64
and returns an :class:`Illustration`: rows of :class:`Grid` (a 2-D array, its colour kind,
its label, the operator written before it). The app only draws them
(:mod:`cnnviz.app.concepts`); the tests check the numbers against the engine.

Colour kinds are those of :mod:`cnnviz.app.colors`: the signed kinds (``"net"``,
``"delta"``, ``"grad_input"``, ``"weight"``, ``"dweight"``, ``"update"``, ``"bias"``,
``"routed_delta"``) diverge blue–white–red about zero, ``"activation"`` and ``"input"`` use
viridis, and ``"mask"`` marks the winners of max pooling (1) against the losers (0).

Pure NumPy: no Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnnviz.engine import (
    SGD,
    AvgPool2D,
    Conv2D,
    MaxPool2D,
    ReLU,
    SoftmaxCrossEntropy,
    Subsampling,
    Tanh,
    full_convolution_input_grad,
)
from cnnviz.engine.conv import dilate
from cnnviz.i18n import translate

from .numbers import num


@dataclass(frozen=True)
class Grid:
    """One small map of an illustration.

    ``values`` : (H, W) float64. ``kind`` : its colour kind (see the module notes).
    ``ring`` : (H, W) bool or None, cells to outline (the argmax, the padding). ``op`` : the
    operator written before the grid ("∗", "=", "→", "∘"), "" for none.
    """

    label: str
    values: np.ndarray
    kind: str
    ring: np.ndarray | None = None
    op: str = ""


@dataclass(frozen=True)
class Illustration:
    """Rows of grids, read left to right, with a caption saying what was computed."""

    caption: str
    rows: tuple[tuple[Grid, ...], ...]

    def grids(self) -> list[Grid]:
        return [g for row in self.rows for g in row]

    def grid(self, label: str) -> Grid:
        """The grid whose label starts with ``label`` (``KeyError`` if none)."""
        for g in self.grids():
            if g.label.startswith(label):
                return g
        raise KeyError(f"no grid {label!r} in the illustration")


# Victor Zhou's 4×4 image and the vertical Sobel kernel (CNNs, Part 1)
ZHOU_IMAGE = np.array(
    [[0, 50, 0, 29], [0, 80, 31, 2], [33, 90, 0, 75], [0, 9, 0, 95]], dtype=np.float64
)
SOBEL_V = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=np.float64)
# a 4×4 net input with both signs, for the activation and sensitivity pages
NET_EXAMPLE = np.array(
    [[-1.2, 0.4, 2.0, -0.3], [0.8, -2.1, 0.1, 1.5], [-0.6, 1.1, -1.7, 0.3], [2.4, -0.2, 0.9, -1.0]]
)
GRAD_ABOVE = np.array(
    [[0.3, -0.5, 0.2, 0.1], [-0.4, 0.6, -0.1, 0.2], [0.1, -0.2, 0.5, -0.3], [-0.6, 0.3, 0.2, 0.4]]
)
DELTA_2X2 = np.array([[0.1, -0.2], [0.05, 0.3]])
KERNEL_3X3 = np.array([[1.0, 2.0, 0.0], [0.0, -1.0, 1.0], [-2.0, 0.0, 1.0]])
SCORES = np.array([1.2, -0.4, 0.3, 2.5, -1.0, 0.0, 0.8, -0.6, 0.1, 1.7])
LABEL = 3


def _batch(a: np.ndarray) -> np.ndarray:
    """(H, W) as a batch of one sample with one map: (1, 1, H, W)."""
    return np.asarray(a, dtype=np.float64)[None, None]


def conv_layer(kernel: np.ndarray, in_hw, stride: int = 1, padding: int = 0) -> Conv2D:
    """A 1→1 map Conv2D with ``kernel`` as its weights and bias 0, built in float64."""
    kh, kw = kernel.shape
    layer = Conv2D(1, 1, (kh, kw), stride=stride, padding=padding, name="C")
    layer.build((1, *in_hw), np.float64)
    layer.params["weight"][0, 0] = kernel
    layer.params["bias"][...] = 0.0
    return layer


def net_input_figure() -> Illustration:
    """u = x ∗ W + b: Zhou's image and the vertical Sobel kernel through a Conv2D."""
    conv = conv_layer(SOBEL_V, ZHOU_IMAGE.shape)
    u = conv.forward(_batch(ZHOU_IMAGE))[0, 0]
    return Illustration(
        translate(
            "lessons",
            "Victor Zhou's 4×4 image x and the vertical Sobel kernel W through the engine's "
            "Conv2D (b = 0): each u is the sum of 9 products, e.g. u[0, 0] = {u00}.",
        ).format(u00=num(u[0, 0])),
        (
            (
                Grid(translate("lessons", "input x"), ZHOU_IMAGE, "input"),
                Grid(translate("lessons", "kernel W"), SOBEL_V, "weight", op="∗"),
                Grid(translate("lessons", "net input u"), np.array(u), "net", op="="),
            ),
        ),
    )


def activation_figure() -> Illustration:
    """f(u) and f′(u) for ReLU and tanh on a 4×4 net input (the engine's layers)."""
    rows = []
    for layer, name, prime in ((ReLU(), "ReLU(u)", "f′(u) ∈ {0, 1}"),
                               (Tanh(), "tanh(u)", "f′(u) = 1 − tanh²(u)")):  # fmt: skip
        layer.build((1, 4, 4), np.float64)
        a = layer.forward(_batch(NET_EXAMPLE))[0, 0]
        d = layer.derivative(_batch(NET_EXAMPLE))[0, 0]
        rows.append(
            (
                Grid(translate("lessons", "net input u"), NET_EXAMPLE, "net"),
                Grid(f"f(u) = {name}", np.array(a), "activation", op="→"),
                Grid(prime, np.array(d), "activation", op=""),
            )
        )
    return Illustration(
        translate(
            "lessons",
            "The same net input u through ReLU (top) and tanh (bottom), with the slope f′(u) "
            "that the backward pass will multiply by.",
        ),
        tuple(rows),
    )


def sensitivity_figure() -> Illustration:
    """δ = ∂E/∂a ∘ f′(u): the engine's ReLU backward on a 4×4 map."""
    relu = ReLU()
    relu.build((1, 4, 4), np.float64)
    relu.forward(_batch(NET_EXAMPLE))
    delta = relu.backward(_batch(GRAD_ABOVE))[0, 0]
    fprime = relu.derivative(_batch(NET_EXAMPLE))[0, 0]
    return Illustration(
        translate(
            "lessons",
            "∂E/∂a comes down from the layer above; the ReLU lets it through where u > 0 and "
            "stops it where u ≤ 0: δ = ∂E/∂a ∘ f′(u), entry by entry.",
        ),
        (
            (
                Grid(translate("lessons", "∂E/∂a from above"), GRAD_ABOVE, "grad_input"),
                Grid("f′(u) (ReLU)", np.array(fprime), "activation", op="∘"),
                Grid("δ = ∂E/∂u", np.array(delta), "delta", op="="),
            ),
        ),
    )


def weight_gradient_figure() -> Illustration:
    """∂E/∂W = x ⋆ δ and ∂E/∂b = Σ δ from the engine's Conv2D backward."""
    x = ZHOU_IMAGE / 100.0
    conv = conv_layer(SOBEL_V, x.shape)
    conv.forward(_batch(x))
    conv.backward(_batch(DELTA_2X2))
    dw = np.array(conv.grads["weight"][0, 0])
    db = np.array(conv.grads["bias"]).reshape(1, 1)
    return Illustration(
        translate(
            "lessons",
            "The input x (Zhou's image ÷ 100) correlated with δ of the 2×2 output gives the "
            "3×3 ∂E/∂W: ∂E/∂W[0, 0] = Σ δ[i, j]·x[i, j] = {dw00}. ∂E/∂b is the sum of δ, "
            "{db}.",
        ).format(dw00=num(dw[0, 0]), db=num(db[0, 0])),
        (
            (
                Grid(translate("lessons", "input x"), x, "input"),
                Grid(translate("lessons", "δ of the output"), DELTA_2X2, "delta", op="⋆"),
                Grid("∂E/∂W", dw, "dweight", op="="),
                Grid("∂E/∂b = Σ δ", db, "bias", op=""),
            ),
        ),
    )


def argmax_mask_figure() -> Illustration:
    """Max pooling 2×2 of Zhou's image: the winners, and δ routed back to them."""
    pool = MaxPool2D(2)
    pool.build((1, 4, 4), np.float64)
    y = pool.forward(_batch(ZHOU_IMAGE))[0, 0]
    mask = pool.argmax_mask(0)[0]
    dx = pool.backward(_batch(DELTA_2X2))[0, 0]
    return Illustration(
        translate(
            "lessons",
            "Forward, each 2×2 window keeps its largest input and remembers where it was (the "
            "argmax mask, ringed). Backward, each δ goes back to that one input; the other "
            "three get 0.",
        ),
        (
            (
                Grid(translate("lessons", "input x"), ZHOU_IMAGE, "input", ring=mask),
                Grid(translate("lessons", "pooled y = max"), np.array(y), "activation", op="→"),
                Grid(
                    translate("lessons", "argmax mask"),
                    mask.astype(np.float64),
                    "mask",
                    ring=mask,
                    op="",
                ),
            ),
            (
                Grid(translate("lessons", "δ of the pooled map"), DELTA_2X2, "delta"),
                Grid(
                    translate("lessons", "δ routed back: ∂E/∂x"),
                    np.array(dx),
                    "routed_delta",
                    ring=mask,
                    op="→",
                ),
            ),
        ),
    )


def upsampling_figure() -> Illustration:
    """up(δ) = δ ⊗ 1₂ₓ₂ (subsampling with β = 1), β·up(δ), and mean pooling's up(δ)/n²."""
    out = []
    for beta in (1.0, 0.5):
        sub = Subsampling(1, 2)
        sub.build((1, 4, 4), np.float64)
        sub.params["beta"][...] = beta
        sub.forward(_batch(np.zeros((4, 4))))
        out.append(np.array(sub.backward(_batch(DELTA_2X2))[0, 0]))
    mean = AvgPool2D(2)
    mean.build((1, 4, 4), np.float64)
    mean.forward(_batch(np.zeros((4, 4))))
    spread = np.array(mean.backward(_batch(DELTA_2X2))[0, 0])
    return Illustration(
        translate(
            "lessons",
            "Each δ of the 2×2 map is copied onto the 2×2 block it came from (the Kronecker "
            "product with a block of ones). Bouvrie's subsampling scales it by β (here 0.5); "
            "mean pooling divides it by n² = 4.",
        ),
        (
            (
                Grid(translate("lessons", "δ of the pooled map"), DELTA_2X2, "delta"),
                Grid("up(δ) = δ ⊗ 1₂ₓ₂", out[0], "routed_delta", op="→"),
            ),
            (
                Grid("β·up(δ), β = 0.5", out[1], "routed_delta"),
                Grid(translate("lessons", "mean pool: up(δ)/4"), spread, "routed_delta", op=""),
            ),
        ),
    )


def full_convolution_figure() -> Illustration:
    """∂E/∂x as the full convolution of δ with rot180(W), equal to Conv2D's backward."""
    weight = KERNEL_3X3[None, None]
    dx = np.array(full_convolution_input_grad(_batch(DELTA_2X2), weight, 1, 0, (4, 4))[0, 0])
    padded = np.pad(DELTA_2X2, 2)
    ring = np.zeros_like(padded, dtype=bool)
    ring[2:4, 2:4] = True
    return Illustration(
        translate(
            "lessons",
            "δ (2×2) padded with k − 1 = 2 rings of zeros, then slid under rot180(W): each 3×3 "
            "window gives one entry of the 4×4 ∂E/∂x, the same map as the engine's Conv2D "
            "backward.",
        ),
        (
            (
                Grid(translate("lessons", "kernel W"), KERNEL_3X3, "weight"),
                Grid("rot180(W)", KERNEL_3X3[::-1, ::-1].copy(), "weight", op="→"),
            ),
            (
                Grid(translate("lessons", "δ padded for 'full'"), padded, "delta", ring=ring),
                Grid("rot180(W)", KERNEL_3X3[::-1, ::-1].copy(), "weight", op="∗"),
                Grid("∂E/∂x", dx, "grad_input", op="="),
            ),
        ),
    )


def stride_padding_figure() -> Illustration:
    """A 5×5 input, a 3×3 kernel, stride 2, padding 1: forward and the δ ↑2 of backward."""
    x = np.arange(25, dtype=np.float64).reshape(5, 5) / 10.0
    conv = conv_layer(KERNEL_3X3, x.shape, stride=2, padding=1)
    u = np.array(conv.forward(_batch(x))[0, 0])
    delta = np.array([[0.1, -0.2, 0.0], [0.3, 0.1, -0.1], [0.0, 0.2, -0.3]])
    dx = np.array(conv.backward(_batch(delta))[0, 0])
    up = dilate(delta, 2)
    pad_ring = np.ones((7, 7), dtype=bool)
    pad_ring[1:-1, 1:-1] = False
    up_ring = np.zeros_like(up, dtype=bool)
    up_ring[::2, ::2] = True
    return Illustration(
        translate(
            "lessons",
            "P = 1 adds a ring of zeros (outlined); S = 2 moves the 3×3 window two cells at a "
            "time: (5 − 3 + 2·1)/2 + 1 = {side} outputs a side. Backward, δ gets S − 1 = 1 "
            "zero between its entries (δ ↑2) before the full convolution.",
        ).format(side=u.shape[0]),
        (
            (
                Grid(
                    translate("lessons", "input x padded (P = 1)"),
                    np.pad(x, 1),
                    "input",
                    ring=pad_ring,
                ),
                Grid(translate("lessons", "kernel W"), KERNEL_3X3, "weight", op="∗"),
                Grid("u (S = 2)", u, "net", op="="),
            ),
            (
                Grid(translate("lessons", "δ of u"), delta, "delta"),
                Grid(
                    translate("lessons", "δ ↑2 (zeros inserted)"), up, "delta", ring=up_ring, op="→"
                ),
                Grid("∂E/∂x", dx, "grad_input", op="→"),
            ),
        ),
    )


def softmax_figure() -> Illustration:
    """Scores u, p = softmax(u), the one-hot y and δ = p − y (the engine's loss, N = 1)."""
    loss = SoftmaxCrossEntropy()
    e = loss.forward(SCORES[None, :], np.array([LABEL]))
    delta = loss.backward()[0]
    p = loss.probabilities()[0]
    y = np.zeros_like(p)
    y[LABEL] = 1.0

    def col(a):
        return np.asarray(a, dtype=np.float64).reshape(-1, 1)

    return Illustration(
        translate(
            "lessons",
            "Ten scores, the true class {t}: p = softmax(u), E = −ln p[{t}] = −ln {p} = {e}. "
            "δ is p − y: negative only at the true class.",
        ).format(t=LABEL, p=num(p[LABEL], 3), e=num(e, 3)),
        (
            (
                Grid(translate("lessons", "scores u"), col(SCORES), "net"),
                Grid("p = softmax(u)", col(p), "activation", op="→"),
                Grid(translate("lessons", "target y"), col(y), "activation", op="−"),
                Grid("δ = p − y", col(delta), "delta", op="="),
            ),
        ),
    )


MOMENTUM_STEPS = (
    np.array([[0.4, -0.2], [0.1, 0.3]]),  # ∂E/∂W of step 1
    np.array([[0.3, 0.1], [-0.2, 0.3]]),  # ∂E/∂W of step 2
)


def momentum_figure(lr: float = 0.1, momentum: float = 0.9) -> Illustration:
    """Two steps of the engine's SGD with momentum on a 2×2 W: the second one in detail."""
    w = np.array([[0.5, -0.3], [0.2, 0.8]])
    g = np.zeros_like(w)
    opt = SGD([("W", w, g)], lr=lr, momentum=momentum)
    g[...] = MOMENTUM_STEPS[0]
    opt.step()
    w_before, v_before = w.copy(), opt.velocity["W"].copy()
    g[...] = MOMENTUM_STEPS[1]
    opt.step()
    v = opt.velocity["W"].copy()
    return Illustration(
        translate(
            "lessons",
            "The second of two steps, η = {lr}, μ = {mu}: the velocity keeps {mu} of the first "
            "step's velocity and adds this gradient, so W moves further where the two "
            "gradients agree and less where they disagree.",
        ).format(lr=num(lr), mu=num(momentum)),
        (
            (
                Grid(translate("lessons", "W before"), w_before, "weight"),
                Grid(translate("lessons", "v from step 1"), v_before, "update", op=""),
                Grid(
                    translate("lessons", "∂E/∂W (step 2)"),
                    MOMENTUM_STEPS[1].copy(),
                    "dweight",
                    op="",
                ),
            ),
            (
                Grid("v ← μ·v + ∂E/∂W", v, "update"),
                Grid("ΔW = −η·v", opt.update("W").copy(), "update", op="→"),
                Grid("W ← W + ΔW", w.copy(), "weight", op="→"),
            ),
        ),
    )


def colour_maps_figure() -> Illustration:
    """The two colour scales (ramps of numbers) and a real δ and f(u) under them."""
    sens = sensitivity_figure().grid("δ")
    act = activation_figure().grid("f(u) = ReLU")
    return Illustration(
        translate(
            "lessons",
            "Top: the diverging scale, −1 … 0 … 1 (white is exactly 0), and viridis, 0 … 1. "
            "Bottom: δ and f(u) of the pages before, each scaled to its own largest magnitude.",
        ),
        (
            (
                Grid(
                    translate("lessons", "signed: −1 … 1"),
                    np.linspace(-1, 1, 9).reshape(1, 9),
                    "delta",
                ),
                Grid(
                    translate("lessons", "activation: 0 … 1"),
                    np.linspace(0, 1, 9).reshape(1, 9),
                    "activation",
                ),
            ),
            (
                Grid(translate("lessons", "δ (signed)"), sens.values, "delta"),
                Grid("f(u) = ReLU(u)", act.values, "activation"),
            ),
        ),
    )
