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
            "ioffe2015",
            "Ioffe & Szegedy 2015",
            "Sergey Ioffe and Christian Szegedy, Batch normalization: accelerating deep "
            "network training by reducing internal covariate shift. ICML 2015.",
            url="https://arxiv.org/abs/1502.03167",
            about="Batch norm: μ and σ² of the mini-batch, x̂ = (x − μ)/√(σ² + ε), "
            "y = γ·x̂ + β (Algorithm 1), its gradients (§3) and the running statistics used "
            "for inference (Algorithm 2).",
        ),
        Reference(
            "srivastava2014",
            "Srivastava et al. 2014",
            "Nitish Srivastava, Geoffrey Hinton, Alex Krizhevsky, Ilya Sutskever and Ruslan "
            "Salakhutdinov, Dropout: a simple way to prevent neural networks from "
            "overfitting. JMLR 15, 1929–1958, 2014.",
            url="https://jmlr.org/papers/v15/srivastava14a.html",
            about="Dropout: each unit kept with probability 1 − p by a Bernoulli mask r; "
            "back-propagation through the thinned network (§4, §5.1).",
        ),
        Reference(
            "lin2014",
            "Lin et al. 2014",
            "Min Lin, Qiang Chen and Shuicheng Yan, Network in network. ICLR 2014.",
            url="https://arxiv.org/abs/1312.4400",
            about="Global average pooling: the mean of each feature map (§3.2).",
        ),
        Reference(
            "kingma2015",
            "Kingma & Ba 2015",
            "Diederik P. Kingma and Jimmy Ba, Adam: a method for stochastic optimization. "
            "ICLR 2015.",
            url="https://arxiv.org/abs/1412.6980",
            about="Adam (Algorithm 1): the moments m and v, their bias corrections m̂ and v̂, "
            "the step η·m̂/(√v̂ + ε).",
        ),
        Reference(
            "loshchilov2019",
            "Loshchilov & Hutter 2019",
            "Ilya Loshchilov and Frank Hutter, Decoupled weight decay regularization. ICLR 2019.",
            url="https://arxiv.org/abs/1711.05101",
            about="AdamW: the weight decay taken out of the gradient, W ← W − ηλW beside the "
            "Adam step (Algorithm 2).",
        ),
        Reference(
            "tieleman2012",
            "Tieleman & Hinton 2012",
            "Tijmen Tieleman and Geoffrey Hinton, Lecture 6.5 — RMSProp: divide the gradient "
            "by a running average of its recent magnitude. COURSERA: Neural Networks for "
            "Machine Learning, 2012.",
            about="RMSProp: s ← α·s + (1 − α)·g², W ← W − η·g/(√s + ε).",
        ),
        Reference(
            "duchi2011",
            "Duchi et al. 2011",
            "John Duchi, Elad Hazan and Yoram Singer, Adaptive subgradient methods for online "
            "learning and stochastic optimization. JMLR 12, 2121–2159, 2011.",
            url="https://jmlr.org/papers/v12/duchi11a.html",
            about="AdaGrad: the sum of squared gradients S and the step η·g/√S.",
        ),
        Reference(
            "sutskever2013",
            "Sutskever et al. 2013",
            "Ilya Sutskever, James Martens, George Dahl and Geoffrey Hinton, On the "
            "importance of initialization and momentum in deep learning. ICML 2013.",
            url="https://proceedings.mlr.press/v28/sutskever13.html",
            about="Nesterov's accelerated gradient as a momentum method (§2).",
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
