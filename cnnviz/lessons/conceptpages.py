"""The pages of Help ▸ Concepts: their text, equations, panels and sources (data only).

Over 600 lines for a reason: it is text, eleven pages of it, each paragraph marked for the
catalogue on its own; the code that uses it is :mod:`cnnviz.lessons.concepts`.

The English of every text is marked ``QT_TRANSLATE_NOOP("lessons", …)`` for the catalogue;
:func:`cnnviz.lessons.concepts.concept` gives a page in the current language. The panel
names are the window's. Pure NumPy: no Qt here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cnnviz.i18n import QT_TRANSLATE_NOOP, translate

from . import conceptfigures as fig
from .conceptfigures import Illustration
from .references import Citation, cite


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
        sources = translate("lessons", "Sources: {works}").format(works=self.citation.shown())
        return "\n".join([*lines, "", sources])


def _page(key, title, paragraphs, equations, panels, citation, figure) -> Concept:
    return Concept(key, SHORT[key], title, tuple(paragraphs), tuple(equations), tuple(panels),
                   citation, figure)  # fmt: skip


SHORT = {
    "net-input": QT_TRANSLATE_NOOP("lessons", "Net input u"),
    "activation": QT_TRANSLATE_NOOP("lessons", "Activation f(u)"),
    "sensitivity": QT_TRANSLATE_NOOP("lessons", "Sensitivity δ"),
    "weight-gradient": QT_TRANSLATE_NOOP("lessons", "∂E/∂W, ∂E/∂b, ∂E/∂β"),
    "argmax-mask": QT_TRANSLATE_NOOP("lessons", "Max pooling: argmax"),
    "upsampling": QT_TRANSLATE_NOOP("lessons", "Up-sampling up(·)"),
    "full-convolution": QT_TRANSLATE_NOOP("lessons", "Full convolution"),
    "stride-padding": QT_TRANSLATE_NOOP("lessons", "Stride and padding"),
    "softmax-cross-entropy": QT_TRANSLATE_NOOP("lessons", "Softmax + cross-entropy"),
    "momentum": QT_TRANSLATE_NOOP("lessons", "Update with momentum"),
    "colour-maps": QT_TRANSLATE_NOOP("lessons", "Reading the colours"),
}


PAGES = (
    _page(
        "net-input",
        QT_TRANSLATE_NOOP("lessons", "The net input u"),
        [
            QT_TRANSLATE_NOOP(
                "lessons",
                "Every layer with weights first computes a weighted sum of what it receives: its "
                "net input u. A dense layer multiplies the input vector by a weight matrix W and "
                "adds a bias b; a convolution layer slides a small kernel W over each input map "
                "and, at every position, multiplies the kernel with the patch under it and adds "
                "the products up (plus b).",
            ),
            QT_TRANSLATE_NOOP(
                "lessons",
                "The same kernel is used at every position (weight sharing), so a 3×3 kernel has "
                "9 weights however large the map. Strictly, the engine (like PyTorch and Zhou's "
                "example) computes a cross-correlation: the kernel is not flipped in the forward "
                "pass.",
            ),
            QT_TRANSLATE_NOOP(
                "lessons",
                "u can be any real number: negative where the patch looks unlike the kernel, "
                "positive where it looks like it. That is why u is drawn with the signed, "
                "blue–white–red colours.",
            ),
        ],
        [
            QT_TRANSLATE_NOOP("lessons", "uˡ = Wˡ xˡ⁻¹ + bˡ   (dense)"),
            QT_TRANSLATE_NOOP(
                "lessons",
                "u[o, i, j] = Σ x[c, iS+p−P, jS+q−P] · W[o, c, p, q] + b[o]   "
                "(convolution: the sum runs over c, p, q)",
            ),
        ],
        [
            (
                QT_TRANSLATE_NOOP("lessons", "Overview"),
                QT_TRANSLATE_NOOP(
                    "lessons", "press “net input u” above the maps: every layer's u for the sample"
                ),
            ),
            (
                QT_TRANSLATE_NOOP("lessons", "Layer inspector"),
                QT_TRANSLATE_NOOP("lessons", "“Maps of the sample”: net input u, one tile per map"),
            ),
            (
                QT_TRANSLATE_NOOP("lessons", "Backprop rule"),
                QT_TRANSLATE_NOOP(
                    "lessons",
                    "a forward phase of a conv or dense layer: the products of the "
                    "entry under the cursor, added up",
                ),
            ),
            (
                QT_TRANSLATE_NOOP("lessons", "Convolution explainer"),
                QT_TRANSLATE_NOOP(
                    "lessons", "the kernel sliding over the input, one product at a time"
                ),
            ),
        ],
        cite(
            (
                "bouvrie",
                QT_TRANSLATE_NOOP(
                    "lessons", "§2.1 Feedforward pass: uˡ = Wˡ xˡ⁻¹ + bˡ; §3.1 Convolution layers"
                ),
            ),
            (
                "han2017",
                QT_TRANSLATE_NOOP(
                    "lessons", "“卷积层输出值的计算” (a conv layer's output), formulas 4.1 and 4.4"
                ),
            ),
            ("zhou1", QT_TRANSLATE_NOOP("lessons", "the 4×4 image ∗ vertical Sobel example")),
        ),
        fig.net_input_figure,
    ),
    _page(
        "activation",
        QT_TRANSLATE_NOOP("lessons", "The activation f(u)"),
        [
            QT_TRANSLATE_NOOP(
                "lessons",
                "The net input then goes through a fixed non-linear function f, one entry at a "
                "time: the activation a = f(u) is what the next layer receives. Without f, a stack "
                "of layers would be one big linear map.",
            ),
            QT_TRANSLATE_NOOP(
                "lessons",
                "ReLU keeps positive inputs and sets the others to 0 (Han 2017 recommends it: its "
                "slope is 1 where it is on, so gradients do not shrink layer after layer). LeNet-5 "
                "used the scaled tanh 1.7159·tanh(⅔·u), which squashes every u into (−1.7, 1.7).",
            ),
            QT_TRANSLATE_NOOP(
                "lessons",
                "The slope f′(u) matters as much as f: the backward pass multiplies by it. Where "
                "ReLU is off (u ≤ 0), f′ = 0 and nothing flows back; where tanh saturates, f′ is "
                "nearly 0.",
            ),
        ],
        [
            "aˡ = f(uˡ)",
            QT_TRANSLATE_NOOP("lessons", "ReLU: f(u) = max(u, 0),   f′(u) = 1 if u > 0 else 0"),
            "tanh: f(u) = tanh(u),   f′(u) = 1 − tanh²(u)",
            QT_TRANSLATE_NOOP("lessons", "LeNet-5: f(u) = 1.7159 · tanh(⅔ · u)"),
        ],
        [
            (
                QT_TRANSLATE_NOOP("lessons", "Overview"),
                QT_TRANSLATE_NOOP(
                    "lessons", "“activation f(u)” (viridis: dark purple low, yellow high)"
                ),
            ),
            (
                QT_TRANSLATE_NOOP("lessons", "Layer inspector"),
                QT_TRANSLATE_NOOP(
                    "lessons",
                    "“Maps of the sample”: activation f(u) beside u; the "
                    "“dead ReLUs” statistic counts units that are 0 for the whole batch",
                ),
            ),
            (
                QT_TRANSLATE_NOOP("lessons", "Backprop rule"),
                QT_TRANSLATE_NOOP("lessons", "an activation's backward phase: δ = ∂E/∂a ∘ f′(u)"),
            ),
        ],
        cite(
            ("bouvrie", QT_TRANSLATE_NOOP("lessons", "§2.1: xˡ = f(uˡ)")),
            ("han2017", QT_TRANSLATE_NOOP("lessons", "“Relu”: f(x) = max(0, x)")),
            (
                "lecun1998",
                QT_TRANSLATE_NOOP("lessons", "Appendix A: the squashing function 1.7159·tanh(⅔·a)"),
            ),
        ),
        fig.activation_figure,
    ),
    _page(
        "sensitivity",
        QT_TRANSLATE_NOOP("lessons", "The sensitivity δ = ∂E/∂u"),
        [
            QT_TRANSLATE_NOOP(
                "lessons",
                "Training needs to know, for every net input u, how much the error E would change "
                "if u changed a little: the sensitivity δ = ∂E/∂u (Bouvrie calls it the "
                "sensitivity of a unit to a change of its bias). Backpropagation computes all of "
                "them, from the loss back to the first layer.",
            ),
            QT_TRANSLATE_NOOP(
                "lessons",
                "The rule is the chain rule, one layer at a time. What comes down from the layer "
                "above is ∂E/∂a, the gradient with respect to this layer's activation; the "
                "activation multiplies it, entry by entry, by its slope f′(u). A dense layer "
                "sends δ down through the transposed weights, a convolution through a full "
                "convolution with rot180(W), a pooling layer through up(·).",
            ),
            QT_TRANSLATE_NOOP(
                "lessons",
                "A large |δ| means that entry matters for the error right now; δ = 0 means E does "
                "not depend on it (a ReLU that is off, a max-pool loser).",
            ),
        ],
        [
            "δ = ∂E/∂u",
            QT_TRANSLATE_NOOP("lessons", "δˡ = (Wˡ⁺¹)ᵀ δˡ⁺¹ ∘ f′(uˡ)   (below a dense layer)"),
            QT_TRANSLATE_NOOP("lessons", "δ = ∂E/∂a ∘ f′(u)   (through an activation)"),
        ],
        [
            (
                QT_TRANSLATE_NOOP("lessons", "Overview"),
                QT_TRANSLATE_NOOP(
                    "lessons",
                    "press “δ = ∂E/∂u” (or 3): the sensitivities of every layer, blue "
                    "negative, red positive, white exactly 0",
                ),
            ),
            (
                QT_TRANSLATE_NOOP("lessons", "Layer inspector"),
                QT_TRANSLATE_NOOP(
                    "lessons", "“sensitivity δ = ∂E/∂u” and its histogram; ‖δ‖ in the statistics"
                ),
            ),
            (
                QT_TRANSLATE_NOOP("lessons", "Backprop rule"),
                QT_TRANSLATE_NOOP(
                    "lessons",
                    "each backward phase, with the numbers of the entry under the "
                    "cursor and ✓ when they agree with the engine",
                ),
            ),
        ],
        cite(
            (
                "bouvrie",
                QT_TRANSLATE_NOOP(
                    "lessons", "§2.2 Backpropagation pass: δˡ = (Wˡ⁺¹)ᵀ δˡ⁺¹ ∘ f′(uˡ)"
                ),
            ),
            (
                "chain-rule",
                QT_TRANSLATE_NOOP("lessons", "the hidden-layer sensitivity (Σ W·δ) × f′"),
            ),
        ),
        fig.sensitivity_figure,
    ),
    _page(
        "weight-gradient",
        QT_TRANSLATE_NOOP("lessons", "The gradients ∂E/∂W, ∂E/∂b and ∂E/∂β"),
        [
            QT_TRANSLATE_NOOP(
                "lessons",
                "Once δ of a layer is known, the gradient of each of its parameters follows at "
                "once. A weight multiplies an input on its way to a net input, so ∂E/∂W is that "
                "input times δ: for a dense layer the outer product δ·xᵀ, for a convolution the "
                "input correlated with the map δ (every position the weight was used at adds its "
                "share, because the kernel is shared).",
            ),
            QT_TRANSLATE_NOOP(
                "lessons",
                "A bias is added to every entry of its map, so ∂E/∂b is the sum of δ over the map. "
                "Bouvrie's subsampling multiplies each down-sampled map by a trainable β, so "
                "∂E/∂β sums δ times that down-sampled map.",
            ),
            QT_TRANSLATE_NOOP(
                "lessons",
                "Every gradient is summed over the batch as well: the engine's loss is the mean "
                "over the samples, so each sample contributes a 1/N share.",
            ),
        ],
        [
            QT_TRANSLATE_NOOP(
                "lessons",
                "∂E/∂Wˡ = δˡ (xˡ⁻¹)ᵀ   (dense, W stored out × in; Bouvrie writes xˡ⁻¹(δˡ)ᵀ)",
            ),
            QT_TRANSLATE_NOOP(
                "lessons",
                "∂E/∂W[o, c, p, q] = Σₙ Σᵢⱼ δₙ[o, i, j] · xₙ[c, iS+p−P, jS+q−P]   (convolution)",
            ),
            "∂E/∂b[o] = Σₙ Σᵢⱼ δₙ[o, i, j]",
            "∂E/∂βⱼ = Σᵤᵥ (δⱼ ∘ down(xⱼ))ᵤᵥ",
        ],
        [
            (
                QT_TRANSLATE_NOOP("lessons", "Layer inspector"),
                QT_TRANSLATE_NOOP(
                    "lessons",
                    "“Weights and their last update”: W, gradient ∂E/∂W and "
                    "ΔW; “Biases”: b and ∂E/∂b (β and ∂E/∂β for subsampling)",
                ),
            ),
            (
                QT_TRANSLATE_NOOP("lessons", "Backprop rule"),
                QT_TRANSLATE_NOOP(
                    "lessons",
                    "a conv or dense layer's backward phase: the filter gradient "
                    "and the bias gradient, split into this sample and the others",
                ),
            ),
            (
                QT_TRANSLATE_NOOP("lessons", "Gradient check"),
                QT_TRANSLATE_NOOP("lessons", "∂E/∂W compared with finite differences of E"),
            ),
        ],
        cite(
            (
                "bouvrie",
                QT_TRANSLATE_NOOP(
                    "lessons", "§2.2: ∂E/∂Wˡ = xˡ⁻¹(δˡ)ᵀ; §3.1.1: ∂E/∂b and ∂E/∂kᵢⱼ; §3.2.1: ∂E/∂β"
                ),
            ),
            (
                "han2017",
                QT_TRANSLATE_NOOP(
                    "lessons", "“卷积层filter权重梯度的计算” (a filter's weight gradient)"
                ),
            ),
            ("zhou2", QT_TRANSLATE_NOOP("lessons", "∂L/∂filter(x, y)")),
        ),
        fig.weight_gradient_figure,
    ),
    _page(
        "argmax-mask",
        QT_TRANSLATE_NOOP("lessons", "Max pooling and its argmax mask"),
        [
            QT_TRANSLATE_NOOP(
                "lessons",
                "Max pooling keeps the largest entry of each k×k window. Only that entry reaches "
                "the output: moving any other entry a little changes nothing (as long as it stays "
                "smaller).",
            ),
            QT_TRANSLATE_NOOP(
                "lessons",
                "So the forward pass remembers which entry won each window: the argmax mask. The "
                "backward pass routes each δ of the pooled map to its window's winner, and gives "
                "every loser exactly 0. Nothing is averaged or spread.",
            ),
            QT_TRANSLATE_NOOP(
                "lessons",
                "When windows overlap (stride smaller than k) an input can win several windows "
                "and receives the sum of their δ.",
            ),
        ],
        [
            QT_TRANSLATE_NOOP(
                "lessons", "y[c, i, j] = max of x[c, iS+p, jS+q] over the k×k window"
            ),
            QT_TRANSLATE_NOOP(
                "lessons", "∂E/∂x[c, r, s] = δ[c, i, j] if x[c, r, s] won window (i, j), else 0"
            ),
        ],
        [
            (
                QT_TRANSLATE_NOOP("lessons", "Layer inspector"),
                QT_TRANSLATE_NOOP(
                    "lessons",
                    "select a max-pool layer: “Pooling: how δ goes back” shows the pool "
                    "input x with its winners ringed, δ of the pooled maps and δ routed back",
                ),
            ),
            (
                QT_TRANSLATE_NOOP("lessons", "Overview"),
                QT_TRANSLATE_NOOP(
                    "lessons",
                    "“∂E/∂input” on the layer below a max-pool: sparse, one non-zero per window",
                ),
            ),
            (
                QT_TRANSLATE_NOOP("lessons", "Backprop rule"),
                QT_TRANSLATE_NOOP(
                    "lessons", "“Max pooling routes δ to the argmax”, winner ×1, losers ×0"
                ),
            ),
        ],
        cite(
            (
                "han2017",
                QT_TRANSLATE_NOOP(
                    "lessons", "“Max Pooling误差项的传递” (the error through max pooling)"
                ),
            ),
            ("zhou2", QT_TRANSLATE_NOOP("lessons", "backpropagation through max pooling")),
            ("cnn-backprop", QT_TRANSLATE_NOOP("lessons", "§4.2 max pooling")),
        ),
        fig.argmax_mask_figure,
    ),
    _page(
        "upsampling",
        QT_TRANSLATE_NOOP("lessons", "Up-sampling: Bouvrie's up(·), a Kronecker product"),
        [
            QT_TRANSLATE_NOOP(
                "lessons",
                "A pooling or subsampling layer shrinks each map by a factor n. Going back, its δ "
                "must be brought to the size of the map below again: Bouvrie's up(·) copies each "
                "entry onto the n×n block it came from, which is the Kronecker product of δ with "
                "an n×n block of ones.",
            ),
            QT_TRANSLATE_NOOP(
                "lessons",
                "For Bouvrie's (and LeNet-5's) trainable subsampling u = β·down(x) + b, the block "
                "is scaled by β; for mean pooling every input of a window has weight 1/n², so the "
                "block is divided by n². (Max pooling is the exception: up routes to the argmax.)",
            ),
            QT_TRANSLATE_NOOP(
                "lessons",
                "Below a pooling layer the activation then multiplies by f′(u) as always: "
                "δˡ = β·up(δˡ⁺¹) ∘ f′(uˡ).",
            ),
        ],
        [
            "up(x) = x ⊗ 1ₙₓₙ",
            QT_TRANSLATE_NOOP(
                "lessons",
                "δⱼˡ = βⱼˡ⁺¹ (f′(uⱼˡ) ∘ up(δⱼˡ⁺¹))   (a convolution followed by subsampling)",
            ),
            QT_TRANSLATE_NOOP("lessons", "mean pooling: ∂E/∂x = δ ⊗ 1ₙₓₙ / n²"),
        ],
        [
            (
                QT_TRANSLATE_NOOP("lessons", "Layer inspector"),
                QT_TRANSLATE_NOOP(
                    "lessons",
                    "a subsampling or mean-pool layer: “δ routed back” is δ of "
                    "the pooled maps in n×n blocks",
                ),
            ),
            (
                QT_TRANSLATE_NOOP("lessons", "Backprop rule"),
                QT_TRANSLATE_NOOP(
                    "lessons",
                    "“Bouvrie's subsampling sends β·δ back to every input of the "
                    "block”, “Mean pooling spreads δ/n²”",
                ),
            ),
        ],
        cite(
            (
                "bouvrie",
                QT_TRANSLATE_NOOP(
                    "lessons", "§3.1.1: δⱼˡ = βⱼˡ⁺¹ (f′(uⱼˡ) ∘ up(δⱼˡ⁺¹)), up(x) ≡ x ⊗ 1ₙₓₙ"
                ),
            ),
            (
                "han2017",
                QT_TRANSLATE_NOOP("lessons", "“Mean Pooling误差项的传递”: the Kronecker product"),
            ),
            ("lecun1998", QT_TRANSLATE_NOOP("lessons", "trainable subsampling S2, S4")),
        ),
        fig.upsampling_figure,
    ),
    _page(
        "full-convolution",
        QT_TRANSLATE_NOOP("lessons", "∂E/∂input: a full convolution with rot180(W)"),
        [
            QT_TRANSLATE_NOOP(
                "lessons",
                "An input entry of a convolution touched several outputs: every window that "
                "covered it. So its gradient collects δ of each of those outputs, times the "
                "kernel weight that linked them.",
            ),
            QT_TRANSLATE_NOOP(
                "lessons",
                "Written as one operation, that is a 'full' convolution: pad δ with k − 1 rings of "
                "zeros (so windows hanging over the edge count too) and slide the kernel rotated "
                "by 180° over it. The rotation appears because the weight that took input (r, s) "
                "to output (i, j) sits at the opposite offset when seen from the input.",
            ),
            QT_TRANSLATE_NOOP(
                "lessons",
                "With several output maps, each contributes its own full convolution and they are "
                "added; the activation below then multiplies by f′(u). (Han writes the same as a "
                "true convolution with W, which flips the kernel by itself; here ∗ slides a "
                "kernel without flipping it, as in the forward pass.)",
            ),
        ],
        [
            "∂E/∂x[c] = Σₒ full(δ[o]) ∗ rot180(W[o, c])",
            "δˡ⁻¹ = Σₒ δₒˡ ∗ rot180(Wₒˡ) ∘ f′(uˡ⁻¹)",
        ],
        [
            (
                QT_TRANSLATE_NOOP("lessons", "Overview"),
                QT_TRANSLATE_NOOP(
                    "lessons", "“∂E/∂input” of a conv layer: what it sends to the layer below"
                ),
            ),
            (
                QT_TRANSLATE_NOOP("lessons", "Layer inspector"),
                QT_TRANSLATE_NOOP("lessons", "“∂E/∂input (sent back)”"),
            ),
            (
                QT_TRANSLATE_NOOP("lessons", "Backprop rule"),
                QT_TRANSLATE_NOOP(
                    "lessons",
                    "“Back through a convolution”: every δ·W pair that reaches the "
                    "input under the cursor",
                ),
            ),
            (
                QT_TRANSLATE_NOOP("lessons", "Convolution explainer"),
                QT_TRANSLATE_NOOP(
                    "lessons", "the backward examples: δ padded, the rotated kernel sliding over it"
                ),
            ),
        ],
        cite(
            (
                "bouvrie",
                QT_TRANSLATE_NOOP("lessons", "§3.2.1: δ = conv2(δˡ⁺¹, rot180(kˡ⁺¹), 'full')"),
            ),
            ("han2017", QT_TRANSLATE_NOOP("lessons", "formula 5.2: δˡ⁻¹ = δˡ ∗ Wˡ ∘ f′(netˡ⁻¹)")),
            (
                "cnn-backprop",
                QT_TRANSLATE_NOOP("lessons", "§3.1.1: the input gradient is a full convolution"),
            ),
        ),
        fig.full_convolution_figure,
    ),
    _page(
        "stride-padding",
        QT_TRANSLATE_NOOP("lessons", "Stride and padding"),
        [
            QT_TRANSLATE_NOOP(
                "lessons",
                "Zero padding P adds P rings of zeros around each input map before the kernel "
                "slides, so the output can keep the input's size and border pixels are used as "
                "often as the others. The stride S is how far the kernel moves between two "
                "outputs: S = 2 roughly halves each side.",
            ),
            QT_TRANSLATE_NOOP(
                "lessons",
                "The output size is (W − F + 2P)/S + 1 for an input W wide and a kernel F wide. "
                "If that is not a whole number the last rows and columns are simply not reached.",
            ),
            QT_TRANSLATE_NOOP(
                "lessons",
                "Backward, a stride shows up as gaps: δ gets S − 1 zeros inserted between its "
                "entries (δ ↑S) to bring it back to what a stride of 1 would have made, then the "
                "full convolution with rot180(W) applies; padding is cut off again at the end.",
            ),
        ],
        [
            "W₂ = (W₁ − F + 2P)/S + 1,   H₂ = (H₁ − F + 2P)/S + 1",
            "∂E/∂x[c] = Σₒ full(δ[o] ↑S) ∗ rot180(W[o, c])",
        ],
        [
            (
                QT_TRANSLATE_NOOP("lessons", "Convolution explainer"),
                QT_TRANSLATE_NOOP(
                    "lessons", "the strided and padded examples, forward and backward"
                ),
            ),
            (
                QT_TRANSLATE_NOOP("lessons", "Backprop rule"),
                QT_TRANSLATE_NOOP(
                    "lessons",
                    "“Back through a convolution” with stride 2 says how many zeros "
                    "were inserted into δ",
                ),
            ),
            (
                QT_TRANSLATE_NOOP("lessons", "Overview"),
                QT_TRANSLATE_NOOP("lessons", "the shapes in each layer's header"),
            ),
        ],
        cite(
            (
                "han2017",
                QT_TRANSLATE_NOOP(
                    "lessons",
                    "formulas 2 and 3 (the output size) and “卷积层误差项的传递” "
                    "(stride S: zeros inserted into δ)",
                ),
            )
        ),
        fig.stride_padding_figure,
    ),
    _page(
        "softmax-cross-entropy",
        QT_TRANSLATE_NOOP("lessons", "Softmax, cross-entropy, and why δ = p − y"),
        [
            QT_TRANSLATE_NOOP(
                "lessons",
                "The last layer gives one score per class. Softmax turns the scores into "
                "probabilities p (positive, adding up to 1); the cross-entropy E = −ln p[t] is "
                "small when the true class t gets a high probability. While the scores are still "
                "small, p ≈ 1/10 for each of 10 classes, so the first loss is about "
                "ln 10 ≈ 2.30.",
            ),
            QT_TRANSLATE_NOOP(
                "lessons",
                "Differentiating the two together gives the simplest rule of the whole network: "
                "the output sensitivity is p − y, with y the one-hot target. Raise the true "
                "class's score (δ < 0 there), lower every other score in proportion to its "
                "probability.",
            ),
            QT_TRANSLATE_NOOP(
                "lessons",
                "The engine averages E over the N samples of a batch, so each sample's δ is "
                "(p − y)/N. This is a textbook result: LeNet-5 used a different output (RBF units "
                "with a squared error), and Bouvrie derives the squared error.",
            ),
        ],
        [
            "pₖ = e^(uₖ) / Σⱼ e^(uⱼ)",
            QT_TRANSLATE_NOOP("lessons", "E = −ln p[t]   (averaged over the batch)"),
            QT_TRANSLATE_NOOP(
                "lessons", "δ = ∂E/∂u = p − y   ((p − y)/N per sample of a batch of N)"
            ),
        ],
        [
            (
                QT_TRANSLATE_NOOP("lessons", "Sample"),
                QT_TRANSLATE_NOOP(
                    "lessons", "the probabilities of the sample and the predicted class"
                ),
            ),
            (
                QT_TRANSLATE_NOOP("lessons", "Progress ▸ Training"),
                QT_TRANSLATE_NOOP("lessons", "the loss E per step; it starts near ln(classes)"),
            ),
            (
                QT_TRANSLATE_NOOP("lessons", "Backprop rule"),
                QT_TRANSLATE_NOOP(
                    "lessons", "the loss phase: “the output sensitivity is δ = p − t”"
                ),
            ),
            (
                QT_TRANSLATE_NOOP("lessons", "Overview"),
                QT_TRANSLATE_NOOP(
                    "lessons", "the last layer in “δ = ∂E/∂u”: one blue entry (the true class)"
                ),
            ),
        ],
        cite(
            (
                "textbook",
                QT_TRANSLATE_NOOP(
                    "lessons", "§6.2.2: softmax units and the cross-entropy, δ = p − y"
                ),
            ),
            (
                "zhou2",
                QT_TRANSLATE_NOOP("lessons", "backpropagation through softmax + cross-entropy"),
            ),
        ),
        fig.softmax_figure,
    ),
    _page(
        "momentum",
        QT_TRANSLATE_NOOP("lessons", "The update, with momentum"),
        [
            QT_TRANSLATE_NOOP(
                "lessons",
                "After the backward pass every parameter takes a small step against its gradient: "
                "W ← W − η·∂E/∂W, with the learning rate η. That is plain gradient descent.",
            ),
            QT_TRANSLATE_NOOP(
                "lessons",
                "With momentum μ (e.g. 0.9) the step follows a velocity v instead, which keeps μ "
                "of the last step's velocity and adds the new gradient. Steps grow in directions "
                "the gradients agree on and cancel where they zig-zag. Weight decay λ adds λ·W to "
                "the gradient, pulling every weight a little towards 0.",
            ),
            QT_TRANSLATE_NOOP(
                "lessons",
                "So what the engine applies is ΔW = −η·v, not −η·∂E/∂W. Without weight decay the "
                "two agree only on the very first step, when v starts at 0.",
            ),
        ],
        [
            "v ← μ·v + ∂E/∂W + λ·W",
            "W ← W − η·v   (ΔW = −η·v)",
            "μ = λ = 0:   W ← W − η·∂E/∂W",
        ],
        [
            (
                QT_TRANSLATE_NOOP("lessons", "Layer inspector"),
                QT_TRANSLATE_NOOP(
                    "lessons",
                    "“update ΔW = −η·v” beside W and ∂E/∂W; the button “before "
                    "it: W − ΔW”; ‖ΔW‖/‖W‖ in the statistics",
                ),
            ),
            (
                QT_TRANSLATE_NOOP("lessons", "Backprop rule"),
                QT_TRANSLATE_NOOP(
                    "lessons", "the update phase: the velocity and the step for one weight"
                ),
            ),
            (
                QT_TRANSLATE_NOOP("lessons", "Overview"),
                QT_TRANSLATE_NOOP("lessons", "the update badge after the backward pass"),
            ),
        ],
        cite(
            (
                "textbook",
                QT_TRANSLATE_NOOP(
                    "lessons",
                    "§8.3: SGD with momentum (and weight decay), as the engine applies it",
                ),
            ),
            ("zhou2", QT_TRANSLATE_NOOP("lessons", "w = w − μ · ∂L/∂w, gradient descent")),
            ("chain-rule", QT_TRANSLATE_NOOP("lessons", "“权重的更新” (updating the weights)")),
        ),
        fig.momentum_figure,
    ),
    _page(
        "colour-maps",
        QT_TRANSLATE_NOOP("lessons", "Reading the colour maps"),
        [
            QT_TRANSLATE_NOOP(
                "lessons",
                "Signed quantities — the net input u, the sensitivity δ, ∂E/∂input, the weights "
                "W, ∂E/∂W and the update ΔW — use a diverging scale: blue for negative, white for "
                "exactly zero, red for positive. The range is symmetric about 0, so white always "
                "means 0 and equally strong blue and red mean equal magnitudes.",
            ),
            QT_TRANSLATE_NOOP(
                "lessons",
                "Activations and inputs use viridis, from dark purple (the smallest, 0 for a "
                "ReLU) through green to yellow (the largest).",
            ),
            QT_TRANSLATE_NOOP(
                "lessons",
                "The colours are relative: by default one range is shared by all maps of a layer "
                "(so its maps compare), and the colour bar gives the numbers. The toolbar's "
                "Colour box makes it per map or a fixed range instead. A pale map is small "
                "compared with the others of its layer, not necessarily small in absolute terms: "
                "hover over a cell to read its number.",
            ),
        ],
        [
            QT_TRANSLATE_NOOP(
                "lessons", "signed: colour = blue … white … red over [−m, m],  m = max |value|"
            ),
            QT_TRANSLATE_NOOP(
                "lessons", "activations: colour = viridis over [0, max] (or [min, max])"
            ),
        ],
        [
            (
                QT_TRANSLATE_NOOP("lessons", "Overview"),
                QT_TRANSLATE_NOOP(
                    "lessons", "the four map kinds; u and δ diverge, f(u) is viridis"
                ),
            ),
            (
                QT_TRANSLATE_NOOP("lessons", "Layer inspector"),
                QT_TRANSLATE_NOOP("lessons", "each grid's colour bar gives its range"),
            ),
            (
                QT_TRANSLATE_NOOP("lessons", "Timeline"),
                QT_TRANSLATE_NOOP("lessons", "the same scales over the steps"),
            ),
        ],
        cite(
            (
                "bouvrie",
                QT_TRANSLATE_NOOP(
                    "lessons", "§2–3: the quantities coloured (u, δ, W, ∂E/∂W) and their signs"
                ),
            )
        ),
        fig.colour_maps_figure,
    ),
)
