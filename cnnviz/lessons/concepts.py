"""Help ▸ Concepts: a short illustrated page per idea of the lecture, and the layer tooltips.

Each :class:`Concept` has a stable key (a panel's "?" opens it by that key), a title, a few
plain paragraphs for a student, its equations, the panels of cnnviz where it is seen (and
what to look at there), its citation (:mod:`.references`) and an illustration computed with
the engine (:mod:`.conceptfigures`), which the app draws as small coloured grids.

>>> page = concept("sensitivity")
>>> page.title, page.equations[0]
('The sensitivity δ = ∂E/∂u', 'δ = ∂E/∂u')
>>> page.illustration().grid("δ").values     # (4, 4) float64, the engine's ReLU backward

:func:`layer_tooltip` gives a layer's forward and backward equations with its shapes (from
its lesson's :meth:`~.registry.LayerLesson.summary`), for the overview's layer headers;
:func:`concept_for_layer` the page a layer's header links to; :data:`PANEL_CONCEPTS` the page
each panel's "?" opens.

Pure NumPy: no Qt here.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cnnviz.engine import Activation, Layer, Network

from . import conceptfigures as fig
from .conceptfigures import Grid, Illustration
from .explanation import NoLesson
from .numbers import shape_text
from .references import REFERENCES, Citation, cite
from .registry import lesson_for

__all__ = [
    "CONCEPTS",
    "PANEL_CONCEPTS",
    "Concept",
    "Grid",
    "Illustration",
    "concept",
    "concept_for_layer",
    "concept_keys",
    "layer_tooltip",
    "stage_tooltip",
]


@dataclass(frozen=True)
class Concept:
    """One page of Help ▸ Concepts.

    ``panels`` : ``(panel, what to look at there)`` pairs. ``figure`` computes the
    illustration (called each time: the numbers come from the engine, not from a cache).
    """

    key: str
    short: str  # the name in the dialog's list of pages
    title: str
    paragraphs: tuple[str, ...]
    equations: tuple[str, ...]
    panels: tuple[tuple[str, str], ...]
    citation: Citation
    figure: Callable[[], Illustration]

    def illustration(self) -> Illustration:
        return self.figure()

    def text(self) -> str:
        """The page as plain text (title, paragraphs, equations, panels, sources)."""
        lines = [self.title, "", *self.paragraphs, "", *self.equations, ""]
        lines += [f"{p}: {what}" for p, what in self.panels]
        return "\n".join([*lines, "", f"Sources: {self.citation.text}"])


def _page(key, title, paragraphs, equations, panels, citation, figure) -> Concept:
    return Concept(key, SHORT[key], title, tuple(paragraphs), tuple(equations), tuple(panels),
                   citation, figure)  # fmt: skip


SHORT = {
    "net-input": "Net input u",
    "activation": "Activation f(u)",
    "sensitivity": "Sensitivity δ",
    "weight-gradient": "∂E/∂W, ∂E/∂b, ∂E/∂β",
    "argmax-mask": "Max pooling: argmax",
    "upsampling": "Up-sampling up(·)",
    "full-convolution": "Full convolution",
    "stride-padding": "Stride and padding",
    "softmax-cross-entropy": "Softmax + cross-entropy",
    "momentum": "Update with momentum",
    "colour-maps": "Reading the colours",
}


PAGES = (
    _page(
        "net-input",
        "The net input u",
        [
            "Every layer with weights first computes a weighted sum of what it receives: its "
            "net input u. A dense layer multiplies the input vector by a weight matrix W and "
            "adds a bias b; a convolution layer slides a small kernel W over each input map "
            "and, at every position, multiplies the kernel with the patch under it and adds "
            "the products up (plus b).",
            "The same kernel is used at every position (weight sharing), so a 3×3 kernel has "
            "9 weights however large the map. Strictly, the engine (like PyTorch and Zhou's "
            "example) computes a cross-correlation: the kernel is not flipped in the forward "
            "pass.",
            "u can be any real number: negative where the patch looks unlike the kernel, "
            "positive where it looks like it. That is why u is drawn with the signed, "
            "blue–white–red colours.",
        ],
        [
            "uˡ = Wˡ xˡ⁻¹ + bˡ   (dense)",
            "u[o, i, j] = Σ x[c, iS+p−P, jS+q−P] · W[o, c, p, q] + b[o]   (convolution: the sum "
            "runs over c, p, q)",
        ],
        [
            ("Overview", "press “net input u” above the maps: every layer's u for the sample"),
            ("Layer inspector", "“Maps of the sample”: net input u, one tile per map"),
            (
                "Backprop rule",
                "a forward phase of a conv or dense layer: the products of the "
                "entry under the cursor, added up",
            ),
            ("Convolution explainer", "the kernel sliding over the input, one product at a time"),
        ],
        cite(
            ("bouvrie", "§2.1 Feedforward pass: uˡ = Wˡ xˡ⁻¹ + bˡ; §3.1 Convolution layers"),
            ("han2017", "“卷积层输出值的计算” (a conv layer's output), formulas 4.1 and 4.4"),
            ("zhou1", "the 4×4 image ∗ vertical Sobel example"),
        ),
        fig.net_input_figure,
    ),
    _page(
        "activation",
        "The activation f(u)",
        [
            "The net input then goes through a fixed non-linear function f, one entry at a "
            "time: the activation a = f(u) is what the next layer receives. Without f, a stack "
            "of layers would be one big linear map.",
            "ReLU keeps positive inputs and sets the others to 0 (Han 2017 recommends it: its "
            "slope is 1 where it is on, so gradients do not shrink layer after layer). LeNet-5 "
            "used the scaled tanh 1.7159·tanh(⅔·u), which squashes every u into (−1.7, 1.7).",
            "The slope f′(u) matters as much as f: the backward pass multiplies by it. Where "
            "ReLU is off (u ≤ 0), f′ = 0 and nothing flows back; where tanh saturates, f′ is "
            "nearly 0.",
        ],
        [
            "aˡ = f(uˡ)",
            "ReLU: f(u) = max(u, 0),   f′(u) = 1 if u > 0 else 0",
            "tanh: f(u) = tanh(u),   f′(u) = 1 − tanh²(u)",
            "LeNet-5: f(u) = 1.7159 · tanh(⅔ · u)",
        ],
        [
            ("Overview", "“activation f(u)” (viridis: dark purple low, yellow high)"),
            (
                "Layer inspector",
                "“Maps of the sample”: activation f(u) beside u; the "
                "“dead ReLUs” statistic counts units that are 0 for the whole batch",
            ),
            ("Backprop rule", "an activation's backward phase: δ = ∂E/∂a ∘ f′(u)"),
        ],
        cite(
            ("bouvrie", "§2.1: xˡ = f(uˡ)"),
            ("han2017", "“Relu”: f(x) = max(0, x)"),
            ("lecun1998", "Appendix A: the squashing function 1.7159·tanh(⅔·a)"),
        ),
        fig.activation_figure,
    ),
    _page(
        "sensitivity",
        "The sensitivity δ = ∂E/∂u",
        [
            "Training needs to know, for every net input u, how much the error E would change "
            "if u changed a little: the sensitivity δ = ∂E/∂u (Bouvrie calls it the "
            "sensitivity of a unit to a change of its bias). Backpropagation computes all of "
            "them, from the loss back to the first layer.",
            "The rule is the chain rule, one layer at a time. What comes down from the layer "
            "above is ∂E/∂a, the gradient with respect to this layer's activation; the "
            "activation multiplies it, entry by entry, by its slope f′(u). A dense layer "
            "sends δ down through the transposed weights, a convolution through a full "
            "convolution with rot180(W), a pooling layer through up(·).",
            "A large |δ| means that entry matters for the error right now; δ = 0 means E does "
            "not depend on it (a ReLU that is off, a max-pool loser).",
        ],
        [
            "δ = ∂E/∂u",
            "δˡ = (Wˡ⁺¹)ᵀ δˡ⁺¹ ∘ f′(uˡ)   (below a dense layer)",
            "δ = ∂E/∂a ∘ f′(u)   (through an activation)",
        ],
        [
            (
                "Overview",
                "press “δ = ∂E/∂u” (or 3): the sensitivities of every layer, blue "
                "negative, red positive, white exactly 0",
            ),
            ("Layer inspector", "“sensitivity δ = ∂E/∂u” and its histogram; ‖δ‖ in the statistics"),
            (
                "Backprop rule",
                "each backward phase, with the numbers of the entry under the "
                "cursor and ✓ when they agree with the engine",
            ),
        ],
        cite(
            ("bouvrie", "§2.2 Backpropagation pass: δˡ = (Wˡ⁺¹)ᵀ δˡ⁺¹ ∘ f′(uˡ)"),
            ("chain-rule", "the hidden-layer sensitivity (Σ W·δ) × f′"),
        ),
        fig.sensitivity_figure,
    ),
    _page(
        "weight-gradient",
        "The gradients ∂E/∂W, ∂E/∂b and ∂E/∂β",
        [
            "Once δ of a layer is known, the gradient of each of its parameters follows at "
            "once. A weight multiplies an input on its way to a net input, so ∂E/∂W is that "
            "input times δ: for a dense layer the outer product δ·xᵀ, for a convolution the "
            "input correlated with the map δ (every position the weight was used at adds its "
            "share, because the kernel is shared).",
            "A bias is added to every entry of its map, so ∂E/∂b is the sum of δ over the map. "
            "Bouvrie's subsampling multiplies each down-sampled map by a trainable β, so "
            "∂E/∂β sums δ times that down-sampled map.",
            "Every gradient is summed over the batch as well: the engine's loss is the mean "
            "over the samples, so each sample contributes a 1/N share.",
        ],
        [
            "∂E/∂Wˡ = δˡ (xˡ⁻¹)ᵀ   (dense, W stored out × in; Bouvrie writes xˡ⁻¹(δˡ)ᵀ)",
            "∂E/∂W[o, c, p, q] = Σₙ Σᵢⱼ δₙ[o, i, j] · xₙ[c, iS+p−P, jS+q−P]   (convolution)",
            "∂E/∂b[o] = Σₙ Σᵢⱼ δₙ[o, i, j]",
            "∂E/∂βⱼ = Σᵤᵥ (δⱼ ∘ down(xⱼ))ᵤᵥ",
        ],
        [
            (
                "Layer inspector",
                "“Weights and their last update”: W, gradient ∂E/∂W and "
                "ΔW; “Biases”: b and ∂E/∂b (β and ∂E/∂β for subsampling)",
            ),
            (
                "Backprop rule",
                "a conv or dense layer's backward phase: the filter gradient "
                "and the bias gradient, split into this sample and the others",
            ),
            ("Gradient check", "∂E/∂W compared with finite differences of E"),
        ],
        cite(
            ("bouvrie", "§2.2: ∂E/∂Wˡ = xˡ⁻¹(δˡ)ᵀ; §3.1.1: ∂E/∂b and ∂E/∂kᵢⱼ; §3.2.1: ∂E/∂β"),
            ("han2017", "“卷积层filter权重梯度的计算” (a filter's weight gradient)"),
            ("zhou2", "∂L/∂filter(x, y)"),
        ),
        fig.weight_gradient_figure,
    ),
    _page(
        "argmax-mask",
        "Max pooling and its argmax mask",
        [
            "Max pooling keeps the largest entry of each k×k window. Only that entry reaches "
            "the output: moving any other entry a little changes nothing (as long as it stays "
            "smaller).",
            "So the forward pass remembers which entry won each window: the argmax mask. The "
            "backward pass routes each δ of the pooled map to its window's winner, and gives "
            "every loser exactly 0. Nothing is averaged or spread.",
            "When windows overlap (stride smaller than k) an input can win several windows "
            "and receives the sum of their δ.",
        ],
        [
            "y[c, i, j] = max of x[c, iS+p, jS+q] over the k×k window",
            "∂E/∂x[c, r, s] = δ[c, i, j] if x[c, r, s] won window (i, j), else 0",
        ],
        [
            (
                "Layer inspector",
                "select a max-pool layer: “Pooling: how δ goes back” shows "
                "the pool input x with its winners ringed, δ of the pooled maps and δ routed back",
            ),
            (
                "Overview",
                "“∂E/∂input” on the layer below a max-pool: sparse, one non-zero per window",
            ),
            ("Backprop rule", "“Max pooling routes δ to the argmax”, winner ×1, losers ×0"),
        ],
        cite(
            ("han2017", "“Max Pooling误差项的传递” (the error through max pooling)"),
            ("zhou2", "backpropagation through max pooling"),
            ("cnn-backprop", "§4.2 max pooling"),
        ),
        fig.argmax_mask_figure,
    ),
    _page(
        "upsampling",
        "Up-sampling: Bouvrie's up(·), a Kronecker product",
        [
            "A pooling or subsampling layer shrinks each map by a factor n. Going back, its δ "
            "must be brought to the size of the map below again: Bouvrie's up(·) copies each "
            "entry onto the n×n block it came from, which is the Kronecker product of δ with "
            "an n×n block of ones.",
            "For Bouvrie's (and LeNet-5's) trainable subsampling u = β·down(x) + b, the block "
            "is scaled by β; for mean pooling every input of a window has weight 1/n², so the "
            "block is divided by n². (Max pooling is the exception: up routes to the argmax.)",
            "Below a pooling layer the activation then multiplies by f′(u) as always: "
            "δˡ = β·up(δˡ⁺¹) ∘ f′(uˡ).",
        ],
        [
            "up(x) = x ⊗ 1ₙₓₙ",
            "δⱼˡ = βⱼˡ⁺¹ (f′(uⱼˡ) ∘ up(δⱼˡ⁺¹))   (a convolution followed by subsampling)",
            "mean pooling: ∂E/∂x = δ ⊗ 1ₙₓₙ / n²",
        ],
        [
            (
                "Layer inspector",
                "a subsampling or mean-pool layer: “δ routed back” is δ of "
                "the pooled maps in n×n blocks",
            ),
            (
                "Backprop rule",
                "“Bouvrie's subsampling sends β·δ back to every input of the "
                "block”, “Mean pooling spreads δ/n²”",
            ),
        ],
        cite(
            ("bouvrie", "§3.1.1: δⱼˡ = βⱼˡ⁺¹ (f′(uⱼˡ) ∘ up(δⱼˡ⁺¹)), up(x) ≡ x ⊗ 1ₙₓₙ"),
            ("han2017", "“Mean Pooling误差项的传递”: the Kronecker product"),
            ("lecun1998", "trainable subsampling S2, S4"),
        ),
        fig.upsampling_figure,
    ),
    _page(
        "full-convolution",
        "∂E/∂input: a full convolution with rot180(W)",
        [
            "An input entry of a convolution touched several outputs: every window that "
            "covered it. So its gradient collects δ of each of those outputs, times the "
            "kernel weight that linked them.",
            "Written as one operation, that is a 'full' convolution: pad δ with k − 1 rings of "
            "zeros (so windows hanging over the edge count too) and slide the kernel rotated "
            "by 180° over it. The rotation appears because the weight that took input (r, s) "
            "to output (i, j) sits at the opposite offset when seen from the input.",
            "With several output maps, each contributes its own full convolution and they are "
            "added; the activation below then multiplies by f′(u). (Han writes the same as a "
            "true convolution with W, which flips the kernel by itself; here ∗ slides a "
            "kernel without flipping it, as in the forward pass.)",
        ],
        [
            "∂E/∂x[c] = Σₒ full(δ[o]) ∗ rot180(W[o, c])",
            "δˡ⁻¹ = Σₒ δₒˡ ∗ rot180(Wₒˡ) ∘ f′(uˡ⁻¹)",
        ],
        [
            ("Overview", "“∂E/∂input” of a conv layer: what it sends to the layer below"),
            ("Layer inspector", "“∂E/∂input (sent back)”"),
            (
                "Backprop rule",
                "“Back through a convolution”: every δ·W pair that reaches the "
                "input under the cursor",
            ),
            (
                "Convolution explainer",
                "the backward examples: δ padded, the rotated kernel sliding over it",
            ),
        ],
        cite(
            ("bouvrie", "§3.2.1: δ = conv2(δˡ⁺¹, rot180(kˡ⁺¹), 'full')"),
            ("han2017", "formula 5.2: δˡ⁻¹ = δˡ ∗ Wˡ ∘ f′(netˡ⁻¹)"),
            ("cnn-backprop", "§3.1.1: the input gradient is a full convolution"),
        ),
        fig.full_convolution_figure,
    ),
    _page(
        "stride-padding",
        "Stride and padding",
        [
            "Zero padding P adds P rings of zeros around each input map before the kernel "
            "slides, so the output can keep the input's size and border pixels are used as "
            "often as the others. The stride S is how far the kernel moves between two "
            "outputs: S = 2 roughly halves each side.",
            "The output size is (W − F + 2P)/S + 1 for an input W wide and a kernel F wide. "
            "If that is not a whole number the last rows and columns are simply not reached.",
            "Backward, a stride shows up as gaps: δ gets S − 1 zeros inserted between its "
            "entries (δ ↑S) to bring it back to what a stride of 1 would have made, then the "
            "full convolution with rot180(W) applies; padding is cut off again at the end.",
        ],
        [
            "W₂ = (W₁ − F + 2P)/S + 1,   H₂ = (H₁ − F + 2P)/S + 1",
            "∂E/∂x[c] = Σₒ full(δ[o] ↑S) ∗ rot180(W[o, c])",
        ],
        [
            ("Convolution explainer", "the strided and padded examples, forward and backward"),
            (
                "Backprop rule",
                "“Back through a convolution” with stride 2 says how many zeros "
                "were inserted into δ",
            ),
            ("Overview", "the shapes in each layer's header"),
        ],
        cite(
            (
                "han2017",
                "formulas 2 and 3 (the output size) and “卷积层误差项的传递” "
                "(stride S: zeros inserted into δ)",
            )
        ),
        fig.stride_padding_figure,
    ),
    _page(
        "softmax-cross-entropy",
        "Softmax, cross-entropy, and why δ = p − y",
        [
            "The last layer gives one score per class. Softmax turns the scores into "
            "probabilities p (positive, adding up to 1); the cross-entropy E = −ln p[t] is "
            "small when the true class t gets a high probability. While the scores are still "
            "small, p ≈ 1/10 for each of 10 classes, so the first loss is about "
            "ln 10 ≈ 2.30.",
            "Differentiating the two together gives the simplest rule of the whole network: "
            "the output sensitivity is p − y, with y the one-hot target. Raise the true "
            "class's score (δ < 0 there), lower every other score in proportion to its "
            "probability.",
            "The engine averages E over the N samples of a batch, so each sample's δ is "
            "(p − y)/N. This is a textbook result: LeNet-5 used a different output (RBF units "
            "with a squared error), and Bouvrie derives the squared error.",
        ],
        [
            "pₖ = e^(uₖ) / Σⱼ e^(uⱼ)",
            "E = −ln p[t]   (averaged over the batch)",
            "δ = ∂E/∂u = p − y   ((p − y)/N per sample of a batch of N)",
        ],
        [
            ("Sample", "the probabilities of the sample and the predicted class"),
            ("Progress ▸ Training", "the loss E per step; it starts near ln(classes)"),
            ("Backprop rule", "the loss phase: “the output sensitivity is δ = p − t”"),
            ("Overview", "the last layer in “δ = ∂E/∂u”: one blue entry (the true class)"),
        ],
        cite(
            ("textbook", "§6.2.2: softmax units and the cross-entropy, δ = p − y"),
            ("zhou2", "backpropagation through softmax + cross-entropy"),
        ),
        fig.softmax_figure,
    ),
    _page(
        "momentum",
        "The update, with momentum",
        [
            "After the backward pass every parameter takes a small step against its gradient: "
            "W ← W − η·∂E/∂W, with the learning rate η. That is plain gradient descent.",
            "With momentum μ (e.g. 0.9) the step follows a velocity v instead, which keeps μ "
            "of the last step's velocity and adds the new gradient. Steps grow in directions "
            "the gradients agree on and cancel where they zig-zag. Weight decay λ adds λ·W to "
            "the gradient, pulling every weight a little towards 0.",
            "So what the engine applies is ΔW = −η·v, not −η·∂E/∂W. Without weight decay the "
            "two agree only on the very first step, when v starts at 0.",
        ],
        [
            "v ← μ·v + ∂E/∂W + λ·W",
            "W ← W − η·v   (ΔW = −η·v)",
            "μ = λ = 0:   W ← W − η·∂E/∂W",
        ],
        [
            (
                "Layer inspector",
                "“update ΔW = −η·v” beside W and ∂E/∂W; the button “before "
                "it: W − ΔW”; ‖ΔW‖/‖W‖ in the statistics",
            ),
            ("Backprop rule", "the update phase: the velocity and the step for one weight"),
            ("Overview", "the update badge after the backward pass"),
        ],
        cite(
            ("textbook", "§8.3: SGD with momentum (and weight decay), as the engine applies it"),
            ("zhou2", "w = w − μ · ∂L/∂w, gradient descent"),
            ("chain-rule", "“权重的更新” (updating the weights)"),
        ),
        fig.momentum_figure,
    ),
    _page(
        "colour-maps",
        "Reading the colour maps",
        [
            "Signed quantities — the net input u, the sensitivity δ, ∂E/∂input, the weights "
            "W, ∂E/∂W and the update ΔW — use a diverging scale: blue for negative, white for "
            "exactly zero, red for positive. The range is symmetric about 0, so white always "
            "means 0 and equally strong blue and red mean equal magnitudes.",
            "Activations and inputs use viridis, from dark purple (the smallest, 0 for a "
            "ReLU) through green to yellow (the largest).",
            "The colours are relative: by default one range is shared by all maps of a layer "
            "(so its maps compare), and the colour bar gives the numbers. The toolbar's "
            "Colour box makes it per map or a fixed range instead. A pale map is small "
            "compared with the others of its layer, not necessarily small in absolute terms: "
            "hover over a cell to read its number.",
        ],
        [
            "signed: colour = blue … white … red over [−m, m],  m = max |value|",
            "activations: colour = viridis over [0, max] (or [min, max])",
        ],
        [
            ("Overview", "the four map kinds; u and δ diverge, f(u) is viridis"),
            ("Layer inspector", "each grid's colour bar gives its range"),
            ("Timeline", "the same scales over the steps"),
        ],
        cite(("bouvrie", "§2–3: the quantities coloured (u, δ, W, ∂E/∂W) and their signs")),
        fig.colour_maps_figure,
    ),
)

CONCEPTS: dict[str, Concept] = {p.key: p for p in PAGES}

# the page each panel's "?" opens (panel names as the window calls them)
PANEL_CONCEPTS = {
    "overview": "colour-maps",
    "inspector": "sensitivity",
    "rules": "sensitivity",
    "explainer": "full-convolution",
    "sample": "softmax-cross-entropy",
    "plots": "softmax-cross-entropy",
    "confusion": "softmax-cross-entropy",
    "timeline": "colour-maps",
    "draw": "net-input",
    "gradcheck": "weight-gradient",
}


def concept_keys() -> list[str]:
    """Every page's key, in the order of the Concepts dialog."""
    return list(CONCEPTS)


def concept(key: str) -> Concept:
    """The page ``key``; ``KeyError`` naming the known keys otherwise."""
    try:
        return CONCEPTS[key]
    except KeyError:
        raise KeyError(f"no concept page {key!r}; known: {', '.join(CONCEPTS)}") from None


_LAYER_CONCEPTS = {
    "conv": "full-convolution",
    "maxpool": "argmax-mask",
    "avgpool": "upsampling",
    "lppool": "upsampling",
    "subsample": "upsampling",
    "dense": "net-input",
    "flatten": "net-input",
}


def concept_for_layer(layer: Layer) -> str:
    """The concept page a layer's header links to."""
    if isinstance(layer, Activation):
        return "activation"
    return _LAYER_CONCEPTS.get(layer.kind, "sensitivity")


def layer_tooltip(net: Network, layer_index: int, rich: bool = True) -> str:
    """The forward and backward equations of layer ``layer_index`` of ``net``, with its
    shapes and the works they come from: HTML for a tooltip (``rich``), else plain lines.

    From the layer's lesson (:meth:`~.registry.LayerLesson.summary`); a layer without one
    gets its shapes and description only.
    """
    layer = net.layers[layer_index]
    try:
        summary = lesson_for(layer).summary(layer)
    except NoLesson:
        text = f"{layer.name} ({layer.describe()}): {shape_text(layer.in_shape or ())} → "
        text += shape_text(layer.out_shape or ())
        return f"<p>{html.escape(text)}</p>" if rich else text
    more = f"Help ▸ Concepts: {concept(concept_for_layer(layer)).title}"
    if not rich:
        return f"{summary.text()}\n{more}"
    works = dict.fromkeys(REFERENCES[k].short for c in summary.sources for k in c.keys)
    rows = [("forward", summary.forward)] + [("backward", b) for b in summary.backward]
    body = "".join(
        f"<tr><td style='color:#6a7480; padding-right:6px'>{what}</td>"
        f"<td style='white-space:pre'>{html.escape(rule)}</td></tr>"
        for what, rule in rows
    )
    return (
        f"<p style='margin:0'><b>{html.escape(summary.shapes)}</b> "
        f"<span style='color:#6a7480'>({html.escape(layer.describe())})</span></p>"
        f"<table cellspacing='0' cellpadding='1'>{body}</table>"
        f"<p style='margin:2px 0 0 0; color:#6a7480'><i>{html.escape('; '.join(works))}</i>"
        f"<br>{html.escape(more)}</p>"
    )


def stage_tooltip(net: Network, layer_indices: Sequence[int], rich: bool = True) -> str:
    """:func:`layer_tooltip` of each layer of a stage (e.g. a conv and its ReLU), in order."""
    parts = [layer_tooltip(net, i, rich) for i in layer_indices]
    return ("<hr>" if rich else "\n\n").join(parts)
