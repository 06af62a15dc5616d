"""The works the lessons cite, and how a rule cites them.

:data:`REFERENCES` maps a short key to a :class:`Reference` (the full citation, a URL where
the work is online at a stable address). A rule cites with :func:`cite`, naming the key and,
where it helps, the section and the equation::

    DENSE_FORWARD = cite(("bouvrie", "§2.1 Feedforward pass: uˡ = Wˡ xˡ⁻¹ + bˡ"))
    DENSE_FORWARD.text   # "Bouvrie 2006, §2.1 Feedforward pass: uˡ = Wˡ xˡ⁻¹ + bˡ"
    DENSE_FORWARD.keys   # ("bouvrie",)

A rule that no one of these works states as the engine applies it (the softmax +
cross-entropy sensitivity p − t is standard) cites ``"textbook"``, which says so. The app's
Help ▸ References lists this table (:func:`cnnviz.app.references.show_references`).

Pure Python: no Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass

from cnnviz.i18n import LESSONS, QT_TRANSLATE_NOOP, translate


@dataclass(frozen=True)
class Reference:
    """One work: ``short`` is how a rule names it ("Bouvrie 2006"), ``full`` the citation."""

    key: str
    short: str
    full: str
    url: str = ""
    about: str = ""  # what the lessons take from it (marked for translation: see shown_about)

    def shown_about(self) -> str:
        """:attr:`about` in the current language (:func:`cnnviz.i18n.translate`)."""
        return translate(LESSONS, self.about) if self.about else ""


REFERENCES: dict[str, Reference] = {
    r.key: r
    for r in (
        Reference(
            "bouvrie",
            "Bouvrie 2006",
            "Jake Bouvrie, Notes on Convolutional Neural Networks. MIT, Center for Biological "
            "and Computational Learning, 2006.",
            about=QT_TRANSLATE_NOOP(
                "lessons",
                "The vocabulary of the lessons (net input u, sensitivity δ, up, down, β): "
                "§2 back-propagation in vector form, §3.1 convolution layers, §3.2 sub-sampling "
                "layers, each with its gradients.",
            ),
        ),
        Reference(
            "lecun1998",
            "LeCun et al. 1998",
            "Yann LeCun, Léon Bottou, Yoshua Bengio and Patrick Haffner, Gradient-based "
            "learning applied to document recognition. Proceedings of the IEEE 86(11), "
            "2278–2324, 1998.",
            about=QT_TRANSLATE_NOOP(
                "lessons",
                "LeNet-5: its layers C1–F6, the C3 connection table, the scaled tanh "
                "1.7159·tanh(⅔·u), trainable subsampling, and MNIST's preparation of the digits.",
            ),
        ),
        Reference(
            "zhou1",
            "Zhou 2019, CNNs Part 1",
            "Victor Zhou, CNNs, Part 1: An Introduction to Convolutional Neural Networks. "
            "victorzhou.com, 2019.",
            about=QT_TRANSLATE_NOOP(
                "lessons",
                "Convolution on a 4×4 image with the vertical Sobel kernel, pooling, softmax.",
            ),
        ),
        Reference(
            "zhou2",
            "Zhou 2019, CNNs Part 2",
            "Victor Zhou, CNNs, Part 2: Training a Convolutional Neural Network. "
            "victorzhou.com, 2019.",
            about=QT_TRANSLATE_NOOP(
                "lessons",
                "Backpropagation through softmax + cross-entropy, max pooling and a conv "
                "layer (∂L/∂filter); the gradient-descent update.",
            ),
        ),
        Reference(
            "han2017",
            "Han 2017",
            "Han Bingtao (韩炳涛), 零基础入门深度学习(4) 卷积神经网络 (Deep learning from "
            "scratch, part 4: convolutional neural networks), 2017.",
            url="https://www.zybuluo.com/hanbingtao/note/485480",
            about=QT_TRANSLATE_NOOP(
                "lessons",
                "ReLU; a conv layer's output with depth D, stride S and zero padding P "
                "(formulas 4.1–4.4); pooling; the error through a conv layer (zeros inserted for "
                "the stride, formula 5.3 over N filters); a filter's weight gradient; the error "
                "through max and mean pooling.",
            ),
        ),
        Reference(
            "cnn-backprop",
            QT_TRANSLATE_NOOP("lessons", "CNN backprop notes"),
            "如何理解后向传播 (How to understand backpropagation in a CNN): notes on the "
            "gradients of fully connected, convolution and pooling layers, after “Forward and "
            "Backpropagation in Convolutional Neural Network” and “Backpropagation in "
            "Convolutional Neural Network”.",
            about=QT_TRANSLATE_NOOP(
                "lessons",
                "§2 the output and hidden layers of a fully connected net with a sigmoid; "
                "§3.1.1 the input gradient of a convolution as a full convolution; §4 mean, max "
                "and Lp pooling with their derivatives.",
            ),
        ),
        Reference(
            "chain-rule",
            QT_TRANSLATE_NOOP("lessons", "the chain-rule derivation"),
            "反馈神经网络正向与反向传播公式推导 (The forward and backward formulas of a "
            "feedback neural network, derived by the chain rule): notes on a CNN's forward "
            "pass, the error sensitivities layer by layer and the weight update.",
            about=QT_TRANSLATE_NOOP(
                "lessons",
                "Forward propagation a = W·X, the output error Y − T, the hidden "
                "sensitivities (Σ W·δ) × f′ and the update of the weights.",
            ),
        ),
        Reference(
            "textbook",
            QT_TRANSLATE_NOOP("lessons", "textbook"),
            "Standard results found in any deep-learning textbook, e.g. Goodfellow, Bengio "
            "and Courville, Deep Learning (MIT Press, 2016), §6.2.2 (softmax units and the "
            "cross-entropy) and §8.3 (stochastic gradient descent with momentum).",
            about=QT_TRANSLATE_NOOP(
                "lessons",
                "The softmax + cross-entropy sensitivity δ = p − t and SGD with momentum "
                "and weight decay, as the engine applies them.",
            ),
        ),
    )
}


@dataclass(frozen=True)
class Citation:
    """What one rule cites: the reference keys and the text shown under the rule.

    ``text`` is in English; ``parts`` keeps each ``(key, detail)`` so that :meth:`shown` can
    translate the details (marked ``QT_TRANSLATE_NOOP("lessons", …)`` where they are written)
    when the rule is explained, in whatever language is current then."""

    keys: tuple[str, ...]
    text: str
    parts: tuple[tuple[str, str], ...] = ()

    def shown(self) -> str:
        """:attr:`text` in the current language: the works' short names as they are, the
        details translated."""
        if not self.parts:
            return translate(LESSONS, self.text) if self.text else ""
        return "; ".join(
            f"{_short(k)}, {translate(LESSONS, d)}" if d else _short(k) for k, d in self.parts
        )

    def references(self) -> list[Reference]:
        return [REFERENCES[k] for k in self.keys]


def _short(key: str) -> str:
    """How a rule names a work, in the current language (a description like "textbook" is
    translated; an author and a year are not)."""
    return translate(LESSONS, REFERENCES[key].short)


def cite(*parts: tuple[str, str] | str) -> Citation:
    """A citation of one or more works: each part is a key, or ``(key, "§ … what")``.

    Raises ``KeyError`` for a key not in :data:`REFERENCES` (so a typo fails at import).
    """
    keys, texts, pairs = [], [], []
    for part in parts:
        key, detail = (part, "") if isinstance(part, str) else part
        ref = REFERENCES[key]
        if key not in keys:
            keys.append(key)
        texts.append(f"{ref.short}, {detail}" if detail else ref.short)
        pairs.append((key, detail))
    return Citation(tuple(keys), "; ".join(texts), tuple(pairs))


def bibliography() -> list[Reference]:
    """Every reference, in the order of :data:`REFERENCES`."""
    return list(REFERENCES.values())
