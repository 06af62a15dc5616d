"""The convolution explainer's catalogue: the references' own examples, in teaching order.

The 4×4 image and vertical Sobel kernel of Zhou 2019 (CNNs, Part 1), the 5×5 image and 3×3
filter of Han 2017 at stride 1 and 2, and Han's 7×7×3 volume (a 5×5×3 input padded by 1)
with two 3×3×3 filters at stride 2 — forward, then the input and weight gradients of the same
problems (:mod:`cnnviz.lessons.convsteps` makes the frames). Pure NumPy: no Qt here.
"""

from __future__ import annotations

import numpy as np

from cnnviz.i18n import QT_TRANSLATE_NOOP

from .convsteps import ConvExample, forward_example, input_grad_example, weight_grad_example
from .references import cite

# ------------------------------------------------------------------ the references' numbers
# Zhou 2019 (CNNs, Part 1), as the LeNet-5/MNIST course notes retell it: a 4×4 grey image and
# the vertical Sobel kernel. The notes' text gives only the
# top-left 3×3 patch (its table of products: 0 50 0 / 0 80 31 / 33 90 0, summing to 29); its
# picture of the whole image is not in the text. The other seven pixels (the right column 29,
# 2, 75, 95 and the bottom row 0, 9, 0) are our completion, following Zhou's article as we
# recall it; they give the output [[29, −192], [−35, −22]]. Only the 29 is checked against
# the text.
SOBEL_IMAGE = np.array(
    [
        [0, 50, 0, 29],
        [0, 80, 31, 2],
        [33, 90, 0, 75],
        [0, 9, 0, 95],
    ],
    dtype=np.float64,
)
SOBEL_VERTICAL = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=np.float64)

# Han 2017: the 5×5 image and 3×3 filter of “卷积层输出值的计算” (computing a conv layer's
# output; formula 4.1, bias 0). Han shows them in pictures; the text gives the products
# a₀,₀ = relu(1+0+1+0+1+0+0+0+1+0) = 4 and a₀,₁ = relu(1+0+0+0+1+0+0+0+1+0) = 3. We use the
# classic 5×5 example (UFLDL's) that the pictures appear to show: it reproduces both lines
# term by term (the tests check it); output [[4, 3, 4], [2, 4, 3], [2, 3, 4]].
HAN_IMAGE = np.array(
    [
        [1, 1, 1, 0, 0],
        [0, 1, 1, 1, 0],
        [0, 0, 1, 1, 1],
        [0, 0, 1, 1, 0],
        [0, 1, 1, 0, 0],
    ],
    dtype=np.float64,
)
HAN_FILTER = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]], dtype=np.float64)

# Han 2017's 7×7×3 example: a 5×5×3 input with zero padding 1 (so 7×7×3 as drawn), two
# 3×3×3 filters, stride 2, biases 1 and 0, output 3×3×2. Han shows it as an animation
# whose numbers are not in its text; these are small integers of our own in the same ranges
# (inputs 0…2, weights −1…1).
DEPTH_INPUT = np.array(
    [
        [[2, 2, 1, 2, 1], [1, 1, 0, 1, 1], [1, 0, 0, 0, 2], [1, 0, 0, 2, 2], [0, 2, 0, 2, 0]],
        [[0, 0, 0, 1, 2], [1, 0, 0, 2, 2], [2, 2, 1, 0, 2], [2, 0, 2, 0, 1], [0, 2, 0, 0, 1]],
        [[0, 1, 0, 2, 0], [2, 0, 1, 1, 0], [2, 0, 1, 1, 1], [0, 2, 2, 1, 0], [1, 1, 0, 1, 0]],
    ],
    dtype=np.float64,
)
DEPTH_FILTERS = np.array(
    [
        [
            [[1, -1, 1], [1, 1, 0], [0, 1, 0]],
            [[0, -1, 0], [1, 0, 0], [1, -1, -1]],
            [[-1, 0, 0], [1, -1, -1], [-1, -1, 0]],
        ],
        [
            [[0, 1, -1], [1, 0, -1], [0, -1, 1]],
            [[1, 0, 1], [0, -1, -1], [1, 1, -1]],
            [[-1, 1, -1], [-1, 0, 0], [1, 0, 0]],
        ],
    ],
    dtype=np.float64,
)
DEPTH_BIAS = np.array([1.0, 0.0])

# Sensitivities for the backward examples: small integers of our own, so every sum can be
# checked by hand (the references derive the rules on symbols, without numbers).
SOBEL_DELTA = np.array([[1, 2], [-1, 0]], dtype=np.float64)
HAN_DELTA_S1 = np.array([[1, 0, -1], [0, 2, 0], [-1, 0, 1]], dtype=np.float64)
HAN_DELTA_S2 = np.array([[1, -1], [2, 0]], dtype=np.float64)
DEPTH_DELTA = np.array(
    [[[1, 0, 0], [0, -1, 0], [0, 0, 1]], [[0, 1, 0], [1, 0, -1], [0, 0, 0]]],
    dtype=np.float64,
)


# ------------------------------------------------------------------ the catalogue
S001 = cite(
    (
        "zhou1",
        QT_TRANSLATE_NOOP(
            "lessons",
            "the conv layer: the 4×4 image and the vertical Sobel kernel (top-left output 29)",
        ),
    )
)
S002 = cite(
    (
        "han2017",
        QT_TRANSLATE_NOOP(
            "lessons",
            "“卷积层输出值的计算” (computing a conv layer's output), formula 4.1 "
            "(5×5 image, 3×3 filter)",
        ),
    )
)
S002_STRIDE = cite(
    (
        "han2017",
        QT_TRANSLATE_NOOP(
            "lessons", "formulas 4.2/4.3: W₂ = (W₁ − F + 2P)/S + 1 (stride 2 gives 2×2)"
        ),
    )
)
S002_DEPTH = cite(
    (
        "han2017",
        QT_TRANSLATE_NOOP("lessons", "formula 4.4: depth D, two filters, stride 2, zero padding 1"),
    )
)
S_DX = cite(
    (
        "han2017",
        QT_TRANSLATE_NOOP(
            "lessons",
            "“卷积层误差项的传递” (the error through a conv layer), formula 5.2: zeros "
            "inserted for stride S",
        ),
    ),
    ("cnn-backprop", QT_TRANSLATE_NOOP("lessons", "§3.1.1: the full convolution")),
    ("bouvrie", QT_TRANSLATE_NOOP("lessons", "§3.2.1: rot180 and 'full'")),
)
S_DX_DEPTH = cite(
    (
        "han2017",
        QT_TRANSLATE_NOOP(
            "lessons", "formula 5.3: δˡ⁻¹ = Σₒ δₒˡ ∗ Wₒˡ ∘ f′(netˡ⁻¹), summed over the filters"
        ),
    )
)
S_DW = cite(
    (
        "han2017",
        QT_TRANSLATE_NOOP(
            "lessons",
            "“卷积层filter权重梯度的计算” (a filter's weight gradient): the sensitivity "
            "map as the kernel over the input",
        ),
    ),
    ("cnn-backprop", QT_TRANSLATE_NOOP("lessons", "§3.1.1")),
    ("zhou2", QT_TRANSLATE_NOOP("lessons", "∂L/∂filter")),
)


def examples() -> list[ConvExample]:
    """The catalogue, in teaching order: forward first, then the two gradients."""
    return [
        forward_example(
            "sobel",
            QT_TRANSLATE_NOOP("lessons", "4×4 image ∗ vertical Sobel (Zhou 2019)"),
            SOBEL_IMAGE,
            SOBEL_VERTICAL,
            description=QT_TRANSLATE_NOOP(
                "lessons",
                "Multiply the 3×3 patch by the kernel cell by cell and add the nine "
                "products: 0·(−1) + 50·0 + 0·1 + 0·(−2) + 80·0 + 31·2 + 33·(−1) + 90·0 + 0·1 = 29. "
                "Bright outputs mark strong vertical edges.",
            ),
            source=S001,
        ),
        forward_example(
            "han-s1",
            QT_TRANSLATE_NOOP("lessons", "5×5 ∗ 3×3, stride 1 (Han 2017)"),
            HAN_IMAGE,
            HAN_FILTER,
            description=QT_TRANSLATE_NOOP(
                "lessons",
                "a₀,₀ = 1+0+1+0+1+0+0+0+1 = 4, a₀,₁ = 3, … The window moves one "
                "pixel at a time: a 3×3 feature map.",
            ),
            source=S002,
        ),
        forward_example(
            "han-s2",
            QT_TRANSLATE_NOOP("lessons", "5×5 ∗ 3×3, stride 2 (Han 2017)"),
            HAN_IMAGE,
            HAN_FILTER,
            stride=2,
            description=QT_TRANSLATE_NOOP(
                "lessons",
                "The window jumps two pixels: (5 − 3 + 0)/2 + 1 = 2, a 2×2 map.",
            ),
            source=S002_STRIDE,
        ),
        forward_example(
            "han-depth",
            QT_TRANSLATE_NOOP(
                "lessons", "5×5×3 padded to 7×7×3, two 3×3×3 filters, stride 2 (Han 2017)"
            ),
            DEPTH_INPUT,
            DEPTH_FILTERS,
            DEPTH_BIAS,
            stride=2,
            padding=1,
            description=QT_TRANSLATE_NOOP(
                "lessons",
                "Each filter has one 3×3 slice per input channel; the three slices' "
                "sums and the bias (1 for filter 0, 0 for filter 1) make one output entry. Two "
                "filters give two maps: 3×3×2 out, 2·(3·3·3 + 1) = 56 parameters.",
            ),
            source=S002_DEPTH,
        ),
        input_grad_example(
            "sobel-dx",
            QT_TRANSLATE_NOOP(
                "lessons", "∂E/∂x of the Sobel example: full convolution with rot180(W)"
            ),
            SOBEL_IMAGE.shape,
            SOBEL_VERTICAL,
            SOBEL_DELTA,
            description=QT_TRANSLATE_NOOP(
                "lessons",
                "Pad δ with k−1 = 2 zeros, turn the kernel by 180° and slide it: "
                "every input pixel collects δ·w from each window that covered it.",
            ),
            source=S_DX,
        ),
        input_grad_example(
            "han-s2-dx",
            QT_TRANSLATE_NOOP("lessons", "∂E/∂x at stride 2: zeros inserted into δ"),
            HAN_IMAGE.shape,
            HAN_FILTER,
            HAN_DELTA_S2,
            stride=2,
            description=QT_TRANSLATE_NOOP(
                "lessons",
                "With stride 2 the forward window skipped positions; inserting one "
                "zero between the entries of δ restores the stride-1 layout, then it is the same "
                "full convolution.",
            ),
            source=S_DX,
        ),
        input_grad_example(
            "han-depth-dx",
            QT_TRANSLATE_NOOP("lessons", "∂E/∂x of the 7×7×3 example: summed over both filters"),
            DEPTH_INPUT.shape,
            DEPTH_FILTERS,
            DEPTH_DELTA,
            stride=2,
            padding=1,
            description=QT_TRANSLATE_NOOP(
                "lessons",
                "Input channel c collects from both δ maps through the c-th slice "
                "of each filter, turned by 180°; the forward padding is cropped off at the end.",
            ),
            source=S_DX_DEPTH,
        ),
        weight_grad_example(
            "han-s1-dw",
            QT_TRANSLATE_NOOP("lessons", "∂E/∂W: the input correlated with δ (stride 1)"),
            HAN_IMAGE,
            HAN_DELTA_S1,
            3,
            description=QT_TRANSLATE_NOOP(
                "lessons",
                "Weight sharing: w[p, q] touched every output, so its gradient sums "
                "δ[i, j]·x[i+p, j+q] over all of them — δ itself is the window.",
            ),
            source=S_DW,
        ),
        weight_grad_example(
            "han-s2-dw",
            QT_TRANSLATE_NOOP("lessons", "∂E/∂W at stride 2: δ with zeros inserted as the window"),
            HAN_IMAGE,
            HAN_DELTA_S2,
            3,
            stride=2,
            description=QT_TRANSLATE_NOOP(
                "lessons",
                "At stride 2, δ[i, j] met x[2i+p, 2j+q]: spread δ out with zeros and "
                "correlate as before.",
            ),
            source=S_DW,
        ),
    ]


def example(key: str) -> ConvExample:
    for ex in examples():
        if ex.key == key:
            return ex
    raise KeyError(f"no convolution example {key!r}")
