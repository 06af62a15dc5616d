"""The lesson registry: every layer, loss and optimiser the built-in architectures use has a
lesson, every rule of every phase of every built-in architecture agrees with the engine, and
every rule cites works of the references table (never an internal name)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from helpers import GAP_NET, every_phase

from cnnviz.engine import OPTIMIZER_NAMES, SGD, Layer, Network
from cnnviz.lessons.explain import explain_phase
from cnnviz.lessons.explanation import NoLesson
from cnnviz.lessons.references import REFERENCES, bibliography, cite
from cnnviz.lessons.registry import LESSONS, LayerLesson, lesson, lesson_for, load_lessons
from cnnviz.training.architectures import PRESETS, ArchitectureError, build_network

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted(str(p) for p in (ROOT / "resources" / "architectures").iterdir())
BUILT_IN = [*PRESETS, *FILES]


def _build(arch: str, dtype: str = "float64") -> Network:
    try:
        return build_network(arch, dtype=dtype, seed=3)
    except ArchitectureError:  # a file without an input shape: take an MNIST digit's
        return build_network(arch, (1, 28, 28), dtype=dtype, seed=3)


def test_the_built_in_architectures_are_found():
    assert {"lenet5", "lenet5-1998", "every-layer"} <= set(BUILT_IN) and len(FILES) >= 4


@pytest.mark.parametrize("arch", BUILT_IN)
def test_every_layer_loss_and_optimiser_of_a_built_in_architecture_has_a_lesson(arch):
    net = _build(arch)
    for layer in net.layers:
        assert isinstance(lesson_for(layer), LayerLesson), layer.kind
    assert lesson_for(net.loss) is not None and lesson_for(SGD) is not None


@pytest.mark.parametrize("arch", ["lenet5-1998", "every-layer"])
def test_every_layer_summarises_its_rules_for_a_tooltip(arch):
    net = _build(arch)
    for layer in net.layers:
        summary = lesson_for(layer).summary(layer)
        assert summary.forward and summary.backward and summary.sources, layer.kind
        text = summary.text()
        assert text.startswith(f"{layer.name}: ") and "forward: " in text and "source: " in text
    conv = lesson_for(net.layers[0]).summary(net.layers[0])
    assert conv.backward[0] == "∂E/∂x[c] = Σₒ full(δ[o] ↑S) ∗ rot180(W[o, c])"
    assert conv.shapes.endswith("→ " + "×".join(map(str, net.layers[0].out_shape)))


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("arch", BUILT_IN)
def test_every_rule_of_every_built_in_architecture_matches_the_engine(arch, dtype):
    net = _build(arch, dtype)
    phases = []
    for phase, ex in every_phase(net):
        phases.append(phase)
        for e in ex.all():
            where = f"{arch} {dtype} {net.phase_label(phase)}: {e.title}"
            # within the rounding of the engine's dtype, relative to the sum's magnitudes
            assert e.agrees, f"{where}: {e.value} vs {e.engine_value}"
            if dtype == "float64":
                np.testing.assert_allclose(e.value, e.engine_value, rtol=1e-9, err_msg=where)
            assert e.refs and set(e.refs) <= set(REFERENCES), where
            text = " ".join([e.title, e.formula, e.instance, e.note, e.cite]).lower()
            assert "seed" not in text, where
    assert phases == net.phases()


def test_a_layer_kind_without_a_lesson_is_refused_by_name():
    class Mystery(Layer):
        kind = "mystery"

    with pytest.raises(NoLesson, match="no explanation for a mystery layer"):
        lesson_for(Mystery)


def test_a_new_lesson_registers_in_the_one_table_and_subclasses_inherit_it():
    class Novel(Layer):
        kind = "novel"

    class Derived(Novel):
        kind = "derived"

    load_lessons()
    try:

        @lesson(Novel)
        class NovelLesson(LayerLesson):
            pass

        assert isinstance(LESSONS[Novel], NovelLesson)
        assert lesson_for(Derived) is LESSONS[Novel]  # the nearest class in the MRO
        with pytest.raises(ValueError, match="already has a lesson"):

            @lesson(Novel)
            class Other(LayerLesson):
                pass

    finally:
        LESSONS.pop(Novel, None)


def test_references_are_complete_and_citations_check_their_keys():
    for ref in bibliography():
        assert ref.short and ref.full and ref.about, ref.key
        assert "seed" not in (ref.full + ref.about).lower()
    assert REFERENCES["han2017"].url.startswith("https://")
    c = cite(("bouvrie", "§2.2"), "textbook")
    assert c.keys == ("bouvrie", "textbook") and c.text == "Bouvrie 2006, §2.2; textbook"
    with pytest.raises(KeyError):
        cite("nobody")


def test_every_reference_is_cited_by_some_rule():
    cited = set()
    for arch in ("every-layer", "lenet5-1998", "lenet5", "cifar-bn", "keras-mnist"):
        for _, ex in every_phase(_build(arch)):
            for e in ex.all():
                cited |= set(e.refs)
    for optimizer in OPTIMIZER_NAMES:
        for _, ex in every_phase(_build("every-layer"), optimizer=optimizer):
            for e in ex.all():
                cited |= set(e.refs)
    cited |= set(_global_pool_titles()[1])
    assert cited == set(REFERENCES)


def _global_pool_titles(dtype="float64", optimizer="sgd"):
    net = build_network(GAP_NET, (2, 6, 6), 4, dtype=dtype, seed=2)
    titles, refs = [], set()
    for phase, ex in every_phase(net, n=4, optimizer=optimizer):
        for e in ex.all():
            assert e.agrees, f"{net.phase_label(phase)}: {e.title}: {e.value} vs {e.engine_value}"
            titles.append(e.title)
            refs |= set(e.refs)
    return titles, refs


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("optimizer", OPTIMIZER_NAMES)
def test_every_optimiser_and_new_layer_explains_what_the_engine_did(optimizer, dtype):
    titles, _ = _global_pool_titles(dtype, optimizer)
    assert "Global average pooling: the mean of each map" in titles
    assert "Global average pooling above an activation: δ = δ[c]/HW ∘ f′(u)" in titles
    assert "Back through dropout: δ·r/(1 − p)" in titles
    assert "Batch norm: normalise, then scale by γ and shift by β" in titles
    assert "Batch norm above an activation: δ = ∂E/∂x of batch norm ∘ f′(u)" in titles
    assert "The gradient of γ: δ times x̂, summed" in titles
    assert "Back through batch norm: δ less its mean and its x̂-part, × γ/σ̃" in titles
    update = {
        "sgd": "SGD with momentum μ = ",
        "nesterov": "Nesterov momentum: step along the gradient and the velocity ahead",
        "adam": "Adam: a step scaled by the gradient's own running size",
        "adamw": "AdamW: decay the weight, then take Adam's step",
        "rmsprop": "RMSProp: divide the gradient by its running root mean square",
        "adagrad": "AdaGrad: steps shrink as the squared gradients add up",
    }[optimizer]
    assert any(t.startswith(update) for t in titles), update


def test_batch_norm_and_dropout_in_evaluation_mode_are_explained_too():
    net = build_network(GAP_NET, (2, 6, 6), 4, dtype="float64", seed=2)
    rng = np.random.default_rng(5)
    x = rng.standard_normal((3, 2, 6, 6))
    net.train_step(x, np.array([0, 1, 2]), SGD(net.named_params(), lr=0.1))
    with net.evaluating():
        step = net.begin_step(x[:1], np.array([1]), None)
        titles = []
        while not step.done:
            phase = step.advance()
            for e in explain_phase(net, phase, 0, None, 0.1).all():
                assert e.agrees, e.title
                titles.append(e.title)
    assert "Dropout is off: y = x (evaluation mode, or p = 0)" in titles
    assert "Back through batch norm in evaluation mode: δ × γ/σ̃" in titles
    assert "μ[0]: the running mean" in titles


# ------------------------------------------------------------------ adding a layer kind
class MeanOfMaps(Layer):
    """A layer kind the engine does not have: global average pooling, y[c] = mean of x[c]."""

    kind = "mean_of_maps"

    def _build(self, in_shape):
        return (in_shape[0],)

    def _forward(self, x):
        return x.mean(axis=(2, 3))

    def _backward(self, dy, need_dx):
        if not need_dx:
            return None
        hw = self.x.shape[2] * self.x.shape[3]
        return np.broadcast_to(dy[:, :, None, None] / hw, self.x.shape).copy()


def test_adding_a_layer_kind_takes_one_lesson_module():
    """The recipe of docs/lessons.md: a lesson with forward, input_grad and delta_below."""
    from cnnviz.engine import Conv2D, Dense, ReLU, SoftmaxCrossEntropy
    from cnnviz.lessons.explanation import Calc, explanation, map_name, need
    from cnnviz.lessons.numbers import idx, num, par
    from cnnviz.lessons.registry import Below

    gap = cite(("textbook", "global average pooling: the mean of each map"))

    load_lessons()

    @lesson(MeanOfMaps)
    class MeanOfMapsLesson(LayerLesson):
        def forward(self, L, s, pos, engine):
            (c,) = pos
            x = L.x[s][c].astype("float64")
            value = float(x.sum()) / x.size
            return explanation(
                gap, title="Global average pooling: the mean of each map",
                formula="y[c] = (1/HW) Σᵢⱼ x[c, i, j]",
                instance=f"y{idx(pos)} = {num(x.sum())} / {x.size} = {num(value)}",
                terms=[(f"Σ x[{c}]", float(x.sum())), ("HW", float(x.size))], value=value,
                engine_value=engine, position=pos,
                where=map_name(L, "output", L.out_shape, s),
                scale=float(abs(x).sum()) / x.size,
            )  # fmt: skip

        def input_grad(self, net, j, s, pos):
            U = net.layers[j]
            need(U, "dy")
            c = pos[0]
            hw = U.in_shape[1] * U.in_shape[2]
            d = float(U.dy[s][c])
            return Calc(
                d / hw, [(f"δ[{c}]", d), ("HW", float(hw))],
                f"δ[{c}] / HW = {par(d)} / {hw} = {num(d / hw)}", abs(d / hw),
                title="Global average pooling spreads δ/HW over the map",
                formula="∂E/∂x[c, i, j] = δ[c] / HW", source=gap, name=f"δ/HW{idx(pos)}",
            )  # fmt: skip

        def delta_below(self, layer):
            return Below(
                "A convolution followed by global pooling: δ = δ[c]/HW ∘ f′(u)",
                "δˡ[c, i, j] = δˡ⁺¹[c] / HW · f′(uˡ[c, i, j])", gap,
            )  # fmt: skip

    try:
        net = Network(
            [Conv2D(1, 2, 3), ReLU(), MeanOfMaps(), Dense(2, 3)],
            (1, 6, 6), SoftmaxCrossEntropy(), "float64", seed=1,
        )  # fmt: skip
        titles = []
        for _, ex in every_phase(net):
            for e in ex.all():
                assert e.agrees, e.title
                titles.append(e.title)
        assert "Global average pooling: the mean of each map" in titles
        assert "Global average pooling spreads δ/HW over the map" in titles
        assert "A convolution followed by global pooling: δ = δ[c]/HW ∘ f′(u)" in titles
    finally:
        LESSONS.pop(MeanOfMaps, None)
