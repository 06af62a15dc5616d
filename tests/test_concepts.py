"""Help ▸ Concepts without Qt: every page has its text, equations, panels and citations of
known works, and its illustration's numbers are the engine's; the layer tooltips give each
layer's rules with its shapes; the update lesson's title is the rule actually applied."""

from __future__ import annotations

import numpy as np
import pytest

from cnnviz.engine import SGD, AvgPool2D, Conv2D, MaxPool2D, Phase, ReLU, SoftmaxCrossEntropy
from cnnviz.lessons import conceptfigures as fig
from cnnviz.lessons.concepts import (
    PANEL_CONCEPTS,
    concept,
    concept_for_layer,
    concept_keys,
    layer_tooltip,
    stage_tooltip,
)
from cnnviz.lessons.explain import explain_phase
from cnnviz.lessons.references import REFERENCES
from cnnviz.lessons.update import phase_label, update_phase_label, update_rule, update_title
from cnnviz.training.architectures import build_network
from cnnviz.training.stages import stages_of

REQUIRED = {
    "net-input", "activation", "sensitivity", "weight-gradient", "argmax-mask", "upsampling",
    "full-convolution", "stride-padding", "softmax-cross-entropy", "momentum", "colour-maps",
}  # fmt: skip
SIGNED = {"net", "delta", "grad_input", "weight", "dweight", "update", "bias", "routed_delta"}


def test_the_pages_are_the_ideas_of_the_lecture_under_stable_keys():
    assert set(concept_keys()) == REQUIRED
    assert concept_keys()[0] == "net-input" and concept_keys()[-1] == "colour-maps"
    assert set(PANEL_CONCEPTS.values()) <= REQUIRED
    with pytest.raises(KeyError, match="no concept page 'nope'"):
        concept("nope")


@pytest.mark.parametrize("key", sorted(REQUIRED))
def test_every_page_has_text_equations_panels_and_known_citations(key):
    page = concept(key)
    assert page.key == key and page.title
    assert len(page.paragraphs) >= 2 and all(len(p) > 80 for p in page.paragraphs)
    assert page.equations and all(("=" in e or "←" in e) for e in page.equations)
    assert page.panels and all(p and what for p, what in page.panels)
    assert page.citation.keys and set(page.citation.keys) <= set(REFERENCES)
    text = page.text().lower()
    assert "seed" not in text and page.citation.text.lower() in text
    ill = page.illustration()
    assert ill.caption and ill.grids()
    for g in ill.grids():
        assert g.values.ndim == 2 and g.values.size and np.isfinite(g.values).all(), g.label
        assert g.kind in SIGNED | {"activation", "input", "mask"}, g.label
        assert g.ring is None or g.ring.shape == g.values.shape


def test_the_update_page_cites_the_textbook_and_softmax_says_it_is_textbook():
    assert "textbook" in concept("momentum").citation.keys
    assert concept("softmax-cross-entropy").citation.keys[0] == "textbook"
    assert "§3.2.1" in concept("full-convolution").citation.text
    assert "§3.1.1" in concept("upsampling").citation.text


def test_net_input_is_zhous_sobel_example():
    g = concept("net-input").illustration()
    np.testing.assert_array_equal(g.grid("net input u").values, [[29, -192], [-35, -22]])


def test_argmax_mask_routes_delta_as_maxpool_backward():
    ill = concept("argmax-mask").illustration()
    x = ill.grid("input x").values
    pool = MaxPool2D(2)
    pool.build((1, 4, 4), np.float64)
    y = pool.forward(x[None, None])
    dy = ill.grid("δ of the pooled map").values
    np.testing.assert_array_equal(ill.grid("pooled y").values, y[0, 0])
    np.testing.assert_array_equal(
        ill.grid("δ routed back").values, pool.backward(dy[None, None])[0, 0]
    )
    mask = ill.grid("argmax mask").values.astype(bool)
    routed = ill.grid("δ routed back").values
    for i in range(2):  # one winner per window, the window's maximum, and it gets δ
        for j in range(2):
            win = (slice(2 * i, 2 * i + 2), slice(2 * j, 2 * j + 2))
            assert mask[win].sum() == 1
            assert x[win][mask[win]][0] == x[win].max() == y[0, 0, i, j]
            assert routed[win][mask[win]][0] == dy[i, j]
    assert (routed[~mask] == 0).all()


def test_upsampling_is_the_kronecker_product_and_mean_pools_backward():
    ill = concept("upsampling").illustration()
    d = ill.grid("δ of the pooled map").values
    np.testing.assert_array_equal(ill.grid("up(δ)").values, np.kron(d, np.ones((2, 2))))
    np.testing.assert_allclose(ill.grid("β·up(δ)").values, 0.5 * np.kron(d, np.ones((2, 2))))
    mean = AvgPool2D(2)
    mean.build((1, 4, 4), np.float64)
    mean.forward(np.zeros((1, 1, 4, 4)))
    np.testing.assert_allclose(ill.grid("mean pool").values, mean.backward(d[None, None])[0, 0])


def _conv_backward(kernel, x, delta, stride=1, padding=0):
    conv = Conv2D(1, 1, kernel.shape, stride=stride, padding=padding)
    conv.build((1, *x.shape), np.float64)
    conv.params["weight"][0, 0] = kernel
    y = conv.forward(x[None, None])
    dx = conv.backward(delta[None, None])
    return y[0, 0], dx[0, 0], conv.grads


def test_full_convolution_with_rot180_is_conv2ds_input_gradient():
    ill = concept("full-convolution").illustration()
    w = ill.grid("kernel W").values
    np.testing.assert_array_equal(ill.grid("rot180(W)").values, np.rot90(w, 2))
    padded = ill.grid("δ padded").values
    delta = padded[2:4, 2:4]
    assert padded.shape == (6, 6) and np.abs(padded).sum() == np.abs(delta).sum()
    _, dx, _ = _conv_backward(w, np.zeros((4, 4)), delta)
    np.testing.assert_allclose(ill.grid("∂E/∂x").values, dx, rtol=1e-12)
    # the full convolution by hand: each 3×3 window of the padded δ times rot180(W)
    rot = np.rot90(w, 2)
    by_hand = [[(padded[i : i + 3, j : j + 3] * rot).sum() for j in range(4)] for i in range(4)]
    np.testing.assert_allclose(ill.grid("∂E/∂x").values, by_hand, rtol=1e-12)


def test_stride_and_padding_follow_the_output_size_formula_and_conv2d():
    ill = concept("stride-padding").illustration()
    xp = ill.grid("input x padded").values
    x = xp[1:-1, 1:-1]
    assert (xp[0] == 0).all() and (xp[:, -1] == 0).all() and ill.grid("input x padded").ring[0, 0]
    w = ill.grid("kernel W").values
    delta = ill.grid("δ of u").values
    assert ill.grid("u (S = 2)").values.shape == ((5 - 3 + 2) // 2 + 1,) * 2
    u, dx, _ = _conv_backward(w, x, delta, stride=2, padding=1)
    np.testing.assert_allclose(ill.grid("u (S = 2)").values, u)
    np.testing.assert_allclose(ill.grid("∂E/∂x").values, dx)
    up = ill.grid("δ ↑2").values
    np.testing.assert_array_equal(up[::2, ::2], delta)
    assert up.shape == (5, 5) and (up[1::2] == 0).all() and (up[:, 1::2] == 0).all()


def test_weight_gradient_is_conv2ds_and_the_bias_the_sum_of_delta():
    ill = concept("weight-gradient").illustration()
    x, delta = ill.grid("input x").values, ill.grid("δ of the output").values
    _, _, grads = _conv_backward(fig.SOBEL_V, x, delta)
    np.testing.assert_allclose(ill.grid("∂E/∂W").values, grads["weight"][0, 0])
    assert ill.grid("∂E/∂b").values[0, 0] == pytest.approx(delta.sum())
    # ∂E/∂W[0, 0] by hand: x's top-left 2×2 window times δ
    assert ill.grid("∂E/∂W").values[0, 0] == pytest.approx((x[:2, :2] * delta).sum())


def test_sensitivity_is_relu_backward_and_activation_its_forward():
    ill = concept("sensitivity").illustration()
    relu = ReLU()
    relu.build((1, 4, 4), np.float64)
    relu.forward(fig.NET_EXAMPLE[None, None])
    grad = ill.grid("∂E/∂a").values
    np.testing.assert_array_equal(ill.grid("δ").values, relu.backward(grad[None, None])[0, 0])
    np.testing.assert_array_equal(ill.grid("δ").values, grad * (fig.NET_EXAMPLE > 0))
    act = concept("activation").illustration()
    np.testing.assert_array_equal(act.grid("f(u) = ReLU").values, np.maximum(fig.NET_EXAMPLE, 0))
    np.testing.assert_allclose(act.grid("f(u) = tanh").values, np.tanh(fig.NET_EXAMPLE))
    np.testing.assert_allclose(
        act.grid("f′(u) = 1 − tanh²").values, 1 - np.tanh(fig.NET_EXAMPLE) ** 2
    )


def test_softmax_delta_is_p_minus_y():
    ill = concept("softmax-cross-entropy").illustration()
    u = ill.grid("scores u").values[:, 0]
    p = np.exp(u) / np.exp(u).sum()
    y = np.eye(len(u))[fig.LABEL]
    np.testing.assert_allclose(ill.grid("p = softmax").values[:, 0], p, rtol=1e-12)
    np.testing.assert_array_equal(ill.grid("target y").values[:, 0], y)
    np.testing.assert_allclose(ill.grid("δ = p − y").values[:, 0], p - y, atol=1e-15)
    loss = SoftmaxCrossEntropy()
    e = loss.forward(u[None], np.array([fig.LABEL]))
    assert f"{e:.3f}" in ill.caption


def test_momentum_figure_is_two_steps_of_sgd():
    ill = concept("momentum").illustration()
    w0, v0 = ill.grid("W before").values, ill.grid("v from step 1").values
    g = ill.grid("∂E/∂W (step 2)").values
    v = ill.grid("v ← μ·v").values
    np.testing.assert_allclose(v0, fig.MOMENTUM_STEPS[0])  # v starts at 0
    np.testing.assert_allclose(v, 0.9 * v0 + g)
    np.testing.assert_allclose(ill.grid("ΔW").values, -0.1 * v)
    np.testing.assert_allclose(ill.grid("W ← W + ΔW").values, w0 - 0.1 * v)


def test_colour_page_ramps_span_both_scales():
    ill = concept("colour-maps").illustration()
    signed = ill.grid("signed").values
    assert signed.min() == -1 and signed.max() == 1 and signed[0, 4] == 0
    assert ill.grid("activation").values.min() == 0


@pytest.mark.parametrize("arch", ["lenet5", "lenet5-1998", "every-layer"])
def test_layer_tooltips_give_forward_backward_and_shapes(arch):
    net = build_network(arch, dtype="float64", seed=0)
    for i, layer in enumerate(net.layers):
        plain = layer_tooltip(net, i, rich=False)
        assert (
            plain.startswith(f"{layer.name}: ") and "forward: " in plain and "backward: " in plain
        )
        assert "Help ▸ Concepts: " + concept(concept_for_layer(layer)).title in plain
        rich = layer_tooltip(net, i)
        assert rich.startswith("<p") and "<b>" in rich and layer.describe() in rich
        shape = "×".join(map(str, layer.out_shape))
        assert shape in plain and shape in rich
    conv = next(i for i, L in enumerate(net.layers) if isinstance(L, Conv2D))
    assert "rot180(W[o, c])" in layer_tooltip(net, conv)
    stage = stages_of(net)[1]
    both = stage_tooltip(net, (stage.main, *stage.activations))
    assert both.count("<b>") == 1 + len(stage.activations) and "<hr>" in both


def test_update_title_is_the_rule_applied():
    assert update_rule() == "W ← W − η·∂E/∂W"
    assert update_rule(0.9) == "v ← μ·v + ∂E/∂W, W ← W − η·v"
    assert update_rule(0.9, 1e-3) == "v ← μ·v + ∂E/∂W + λ·W, W ← W − η·v"
    assert update_rule(0, 1e-3) == "v ← ∂E/∂W + λ·W, W ← W − η·v"
    opt = SGD([], lr=0.1, momentum=0.9, weight_decay=0.001)
    assert update_title(opt) == (
        "SGD with momentum μ = 0.9 and weight decay λ = 0.001: v ← μ·v + ∂E/∂W + λ·W, W ← W − η·v"
    )
    assert update_title(None) == "Gradient descent: W ← W − η·∂E/∂W"
    assert update_phase_label(SGD([], momentum=0.5)) == "update v ← μ·v + ∂E/∂W, W ← W − η·v"
    net = build_network("simple", dtype="float64", seed=0)
    opt = SGD(net.named_params(), momentum=0.9)
    labels = [phase_label(net, p, opt) for p in net.phases()]
    assert labels[-1] == "update v ← μ·v + ∂E/∂W, W ← W − η·v"
    assert labels[:-1] == [net.phase_label(p) for p in net.phases()[:-1]]


@pytest.mark.parametrize(
    ("momentum", "decay", "starts"),
    [(0.9, 1e-3, "SGD with momentum μ = 0.9 and weight decay λ = 0.001: v ← μ·v"),
     (0.9, 0.0, "SGD with momentum μ = 0.9: v ← μ·v + ∂E/∂W,"),
     (0.0, 1e-3, "SGD with weight decay λ = 0.001: v ← ∂E/∂W + λ·W"),
     (0.0, 0.0, "Gradient descent: W ← W − η·∂E/∂W")],
)  # fmt: skip
def test_update_phase_explains_the_rule_applied(momentum, decay, starts):
    net = build_network("simple", dtype="float64", seed=0)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, *net.input_shape))
    opt = SGD(net.named_params(), lr=0.05, momentum=momentum, weight_decay=decay)
    net.train_step(x, np.array([0, 1, 2]), opt)
    before = {k: (p.copy(), opt.velocity[k].copy()) for k, p, _ in net.named_params()}
    net.train_step(x, np.array([0, 1, 2]), opt)  # momentum has a history from here on
    ex = explain_phase(net, Phase("update"), 0, None, 0.05, optimizer=opt, before=before)
    assert ex.title.startswith(starts) and ex.agrees
    assert ex.formula.startswith(update_rule(momentum, decay))
    if momentum or decay:
        assert "W ← W − η·v" in ex.title and "η·∂E/∂W" not in ex.title
