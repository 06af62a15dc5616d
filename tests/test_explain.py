"""The backprop explainer: every phase of a step on every preset, recomputed from the trace's
numbers, agrees with the engine; the references' examples come out with their numbers."""

from __future__ import annotations

import numpy as np
import pytest

from cnnviz.engine import (
    SGD,
    Conv2D,
    Dense,
    Flatten,
    Network,
    Phase,
    SoftmaxCrossEntropy,
)
from cnnviz.lessons.convcatalogue import SOBEL_IMAGE, SOBEL_VERTICAL
from cnnviz.lessons.explain import Explanation, explain_phase, num
from cnnviz.lessons.references import REFERENCES
from cnnviz.training.architectures import build_network

RTOL = {"float32": 1e-6, "float64": 1e-12}


def _lively_sample(net: Network, x: np.ndarray) -> int:
    """The sample with the most non-zero activations (a dead ReLU makes a dull example)."""
    saved = [layer.save_trace() for layer in net.layers]
    counts = np.zeros(x.shape[0])
    h = x
    for layer in net.layers:
        h = layer.forward(h)
        counts += np.count_nonzero(h.reshape(h.shape[0], -1), axis=1)
    for layer, s in zip(net.layers, saved, strict=True):
        layer.restore_trace(s)
    return int(np.argmax(counts))


def _explained_step(arch: str, dtype: str, n: int = 4, position=None):
    """Run one step, then a second phase by phase, explaining every phase as it runs."""
    net = build_network(arch, dtype=dtype, seed=3)
    rng = np.random.default_rng(7)
    x = rng.standard_normal((n, *net.input_shape)).astype(dtype)
    labels = rng.integers(0, net.output_shape[0], n)
    opt = SGD(net.named_params(), lr=0.05, momentum=0.9, weight_decay=1e-3)
    net.train_step(x, labels, opt)  # momentum has a history from here on
    sample = _lively_sample(net, x)
    step = net.begin_step(x, labels, opt)
    out: list[tuple[Phase, Explanation]] = []
    before = None
    while not step.done:
        if step.next_phase.kind == "update":
            before = {k: (p.copy(), opt.velocity[k].copy()) for k, p, _ in net.named_params()}
        phase = step.advance()
        ex = explain_phase(
            net, phase, sample, position, opt.lr, optimizer=opt,
            before=before if phase.kind == "update" else None,
        )  # fmt: skip
        out.append((phase, ex))
    return net, out


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("arch", ["lenet5", "lenet5-1998", "simple", "every-layer"])
def test_every_phase_agrees_with_the_engine(arch, dtype):
    net, explained = _explained_step(arch, dtype)
    assert [p for p, _ in explained] == net.phases()
    nonzero = 0
    for phase, ex in explained:
        for e in ex.all():
            np.testing.assert_allclose(
                e.value, e.engine_value, rtol=RTOL[dtype], atol=0,
                err_msg=f"{arch} {dtype} {net.phase_label(phase)}: {e.title}",
            )  # fmt: skip
            assert e.agrees
            assert e.title and e.formula and e.instance and e.cite and e.refs
            assert set(e.refs) <= set(REFERENCES)
            if phase.kind == "update":  # the rule applied: momentum 0.9, weight decay 1e-3
                assert e.phase == "update v ← μ·v + ∂E/∂W + λ·W, W ← W − η·v"
            else:
                assert e.phase == net.phase_label(phase)
            nonzero += e.engine_value != 0
    assert nonzero >= 0.9 * sum(len(ex.all()) for _, ex in explained)


def test_rules_of_every_layer_kind_are_named():
    """Each kind of phase gets its own rule, in the references' words."""
    _, explained = _explained_step("every-layer", "float64")
    titles = " | ".join(e.title for _, ex in explained for e in ex.all())
    for words in [
        "Convolution: the kernel times a patch",
        "Subsampling (Bouvrie)",
        "L2 pooling",
        "Mean pooling averages",
        "Max pooling keeps the largest",
        "Softmax + cross-entropy: the output sensitivity is δ = p − t",
        "Max pooling routes δ to the argmax",
        "Mean pooling spreads δ/n²",
        "δ times the derivative of the norm",
        "full convolution",
        "The filter gradient: the input correlated with δ",
        "The bias gradient: the sum of δ",
        "Bouvrie's ∂E/∂β",
        "A convolution followed by subsampling: δ = β·up(δˡ⁺¹) ∘ f′(u)",
        "A convolution followed by pooling: δ = up(δˡ⁺¹) ∘ f′(u)",
        "The sensitivity of a hidden layer",
        "SGD with momentum",
        "The velocity accumulates",
    ]:
        assert words in titles, words
    back = [ex for p, ex in explained if p.kind == "backward"]
    conv_dx = [ex for ex in back if ex.title.startswith("Back through a convolution")]
    strided = [ex for ex in conv_dx if "stride 2" in ex.instance]
    assert strided and "zero(s) between its entries" in strided[0].instance


def test_loss_rules_say_what_the_engine_splits():
    _, ce = _explained_step("lenet5", "float64")
    loss = next(ex for p, ex in ce if p.kind == "loss")
    assert "(p − t) / N" in loss.formula and "divided by N" in loss.note
    assert loss.also[0].title.startswith("Cross-entropy")

    _, se = _explained_step("lenet5-1998", "float64")
    loss = next(ex for p, ex in se if p.kind == "loss")
    assert "(y − t) / N" in loss.formula and "split over two phases" in loss.note
    last_act = next(ex for p, ex in se if p.kind == "backward")
    assert last_act.title == "The output sensitivity: δᴸ = (y − t) ∘ f′(uᴸ)"
    assert "f′(uᴸ)" in last_act.note


def test_dense_backward_shows_the_sum_and_the_factor():
    net, explained = _explained_step("lenet5", "float64")
    act = next(
        ex
        for p, ex in explained
        if p.kind == "backward" and ex.title.startswith("The sensitivity of a hidden")
    )
    assert act.formula.startswith("δˡ = (Wˡ⁺¹)ᵀ δˡ⁺¹ ∘ f′(uˡ)")
    assert "(Wᵀδ)" in act.instance and "× f′(u" in act.instance
    names = [n for n, _ in act.terms]
    assert any(n.startswith("W[") for n in names) and any(n.startswith("f′(u") for n in names)


def test_filter_gradient_and_update_speak_of_the_batch_and_the_velocity():
    _, explained = _explained_step("simple", "float64")
    c1 = next(ex for p, ex in explained if p.kind == "backward" and p.layer == 0)
    assert c1.title.startswith("The filter gradient")  # the first layer: no ∂E/∂x
    assert "batch of 4" in c1.note and len(c1.position) == 4
    update = explained[-1][1]
    assert "−η·v" in update.formula and "v before" in dict(update.terms)
    assert update.also[0].title.startswith("The velocity")
    assert dict(update.terms)["∂E/∂W"] != 0  # a weight this step's gradient moved


def _sobel_net():
    net = Network(
        [Conv2D(1, 1, 3), Flatten(), Dense(4, 2)], (1, 4, 4), SoftmaxCrossEntropy(), "float64"
    )
    net.layers[0].params["weight"][0, 0] = SOBEL_VERTICAL
    net.layers[0].params["bias"][...] = 0
    return net


def test_sobel_example_of_zhou_2019_gives_29():
    net = _sobel_net()
    step = net.begin_step(SOBEL_IMAGE[None, None], np.array([1]), None)
    phase = step.advance()
    ex = explain_phase(net, phase, 0, (0, 0, 0), 0.1)
    assert ex.value == 29 and ex.engine_value == 29 and ex.position == (0, 0, 0)
    assert "31·2" in ex.instance and "33·(−1)" in ex.instance and ex.instance.endswith("= 29")
    assert len(ex.terms) == 10  # nine products and the bias
    # without a position: the largest output, −192 at the top right
    auto = explain_phase(net, phase, 0, None, 0.1)
    assert auto.position == (0, 0, 1) and auto.value == -192 == auto.engine_value


def test_positions_choose_the_entry_and_the_rule():
    _, explained = _explained_step("lenet5", "float64", position=(2, 3, 4))
    fwd = next(ex for p, ex in explained if p == Phase("forward", 0))
    assert fwd.position == (2, 3, 4)
    # (2, 3, 4) does not fit the last dense layer's vector: its largest entry is taken
    last = next(ex for p, ex in explained if p == Phase("forward", 11))
    assert len(last.position) == 1

    # a conv backward phase: an input position gives ∂E/∂x, a weight position ∂E/∂W
    c3 = next(ex for p, ex in explained if p == Phase("backward", 3))
    assert c3.title.startswith("Back through a convolution") and c3.position == (2, 3, 4)
    _, by_weight = _explained_step("lenet5", "float64", position=(5, 1, 2, 3))
    c3w = next(ex for p, ex in by_weight if p == Phase("backward", 3))
    assert c3w.title.startswith("The filter gradient") and c3w.position == (5, 1, 2, 3)
    assert {e.title.split(":")[0] for e in c3w.also} >= {"Back through a convolution"}


def test_update_without_the_weights_before_reconstructs_them():
    net = build_network("simple", dtype="float64", seed=0)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, *net.input_shape))
    labels = np.array([0, 1, 2])
    opt = SGD(net.named_params(), lr=0.1)
    net.train_step(x, labels, opt)
    ex = explain_phase(net, Phase("update"), 0, None, 0.1, optimizer=opt)
    assert ex.title.startswith("Gradient descent") and "reconstructed" in ex.note
    assert ex.agrees
    # the layer asked for is the one shown
    ex1 = explain_phase(net, Phase("update"), 0, (2, 0, 1, 1), 0.1, optimizer=opt, layer=0)
    assert ex1.where.startswith("C1.weight") and ex1.position == (2, 0, 1, 1)


def test_a_phase_not_run_is_refused():
    net = build_network("simple", dtype="float64")
    with pytest.raises(ValueError, match="nothing has been run"):
        explain_phase(net, Phase("forward", 0), 0, None, 0.1)
    x = np.zeros((1, *net.input_shape))
    step = net.begin_step(x, np.array([0]), None)
    step.advance()
    with pytest.raises(ValueError, match="not been computed"):
        explain_phase(net, Phase("backward", 0), 0, None, 0.1)


def test_numbers_for_slides():
    assert num(-0.0132) == "−0.0132"
    assert num(29.0) == "29"
    assert num(3.6e-7) == "3.6×10⁻⁷"
    assert num(0) == "0"
