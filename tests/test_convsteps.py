"""The convolution explainer's examples: the references' numbers, one frame per output entry, and
the engine's Conv2D forward, ∂E/∂x and ∂E/∂W for every example and for live layers."""

from __future__ import annotations

import numpy as np
import pytest

from cnnviz.engine import SGD, Conv2D
from cnnviz.lessons.convcatalogue import SOBEL_IMAGE, SOBEL_VERTICAL, example, examples
from cnnviz.lessons.convsteps import (
    INSERTED,
    PADDING,
    conv_layers_of,
    dilate_marked,
    forward_example,
    live_example,
)
from cnnviz.lessons.references import REFERENCES
from cnnviz.training.architectures import build_network

EXAMPLES = examples()


def _engine(ex):
    """The engine's result for the problem an example comes from."""
    src = ex.source
    if ex.kind == "forward":
        x, w = src["x"], src["weight"]
        layer = Conv2D(x.shape[0], w.shape[0], w.shape[2:], src["stride"], src["padding"])
        layer.build(x.shape, "float64")
        layer.params["weight"][...] = w
        layer.params["bias"][...] = src["bias"]
        return layer.forward(x[None])[0]
    if ex.kind == "input_grad":
        shape, w = tuple(int(s) for s in src["x_shape"]), src["weight"]
        layer = Conv2D(shape[0], w.shape[0], w.shape[2:], src["stride"], src["padding"])
        layer.build(shape, "float64")
        layer.params["weight"][...] = w
        layer.forward(np.zeros((1, *shape)))
        return layer.backward(src["delta"][None])[0]
    x, d = src["x"], src["delta"]
    layer = Conv2D(1, 1, ex.output.shape[1], src["stride"], src["padding"])
    layer.build((1, *x.shape), "float64")
    layer.forward(x[None, None])
    layer.backward(d[None, None])
    return layer.grads["weight"][0]


def test_sobel_example_of_zhou_2019():
    ex = example("sobel")
    first = ex.frames[0]
    assert first.value == 29 and first.out == (0, 0, 0) and first.origin == (0, 0)
    assert first.patch[0].tolist() == [[0, 50, 0], [0, 80, 31], [33, 90, 0]]
    assert first.products[0].ravel().tolist() == [0, 0, 0, 0, 0, 62, -33, 0, 0]
    assert first.running.tolist() == [0, 0, 0, 0, 0, 62, 29, 29, 29]
    assert ex.output.tolist() == [[[29, -192], [-35, -22]]]
    assert np.array_equal(ex.kernels[0, 0], SOBEL_VERTICAL)
    assert np.array_equal(ex.grid[0], SOBEL_IMAGE)


def test_han_2017_examples():
    s1 = example("han-s1")
    assert s1.output[0].tolist() == [[4, 3, 4], [2, 4, 3], [2, 3, 4]]
    # Han's own lines: a₀,₀ = relu(1+0+1+0+1+0+0+0+1+0) = 4, a₀,₁ = relu(1+0+0+0+1+0+0+0+1+0)
    assert s1.frames[0].products.ravel().tolist() == [1, 0, 1, 0, 1, 0, 0, 0, 1]
    assert s1.frames[1].products.ravel().tolist() == [1, 0, 0, 0, 1, 0, 0, 0, 1]
    assert example("han-s2").output[0].tolist() == [[4, 4], [2, 4]]
    depth = example("han-depth")
    assert depth.grid.shape == (3, 7, 7) and depth.output.shape == (2, 3, 3)
    assert (depth.cell_kind == PADDING).sum() == 3 * (49 - 25)
    assert depth.bias.tolist() == [1, 0]
    # every output entry reads all three channels: 27 products and a bias
    assert all(f.products.size == 27 for f in depth.frames)


@pytest.mark.parametrize("ex", EXAMPLES, ids=[e.key for e in EXAMPLES])
def test_example_equals_the_engine_frame_by_frame(ex):
    np.testing.assert_allclose(ex.output, _engine(ex), rtol=1e-12, atol=1e-12)
    assert len(ex.frames) == ex.output.size  # one frame per output entry
    kh, kw = ex.kernel_size
    for t, f in enumerate(ex.frames):
        assert f.index == t and ex.frame_at(*f.out) == t
        assert f.value == pytest.approx(ex.output[f.out]) == f.running[-1] + f.bias
        assert len(f.cells) == len(f.channels) * kh * kw
        r0, c0 = f.origin
        assert all(r0 <= r < r0 + kh and c0 <= c < c0 + kw for _, r, c in f.cells)
        for k, (c, r, q) in enumerate(f.cells):
            assert f.patch.ravel()[k] == ex.grid[c, r, q]
        np.testing.assert_array_equal(f.products, f.patch * f.kernel)
    assert ex.title and ex.description and ex.cite and ex.refs and set(ex.refs) <= set(REFERENCES)


def test_backward_examples_insert_zeros_and_rotate_the_kernel():
    dx = example("han-s2-dx")
    # δ is 2×2; one zero between its entries (3×3), then 2 zeros of 'full' padding: 7×7
    assert dx.grid.shape == (1, 7, 7)
    assert (dx.cell_kind == INSERTED).sum() == 9 - 4
    assert (dx.cell_kind == PADDING).sum() == 49 - 9
    np.testing.assert_array_equal(dx.kernels[0, 0], dx.source["weight"][0, 0, ::-1, ::-1])
    dw = example("han-s2-dw")
    assert dw.kernels.shape == (1, 1, 3, 3) and dw.output.shape == (1, 3, 3)
    d, inserted = dilate_marked(np.array([[1.0, 2.0], [3.0, 4.0]]), 2)
    assert d.tolist() == [[1, 0, 2], [0, 0, 0], [3, 0, 4]]
    assert inserted.sum() == 5


def test_catalogue_order_and_lookup():
    keys = [e.key for e in EXAMPLES]
    assert keys[0] == "sobel" and len(set(keys)) == len(keys)
    assert {e.kind for e in EXAMPLES} == {"forward", "input_grad", "weight_grad"}
    with pytest.raises(KeyError):
        example("nope")


def test_frames_are_made_on_demand():
    x = np.arange(2 * 30 * 30, dtype=float).reshape(2, 30, 30) % 7
    w = np.ones((3, 2, 5, 5))
    ex = forward_example("big", "big", x, w, padding=2, out_maps=[1])
    assert len(ex.frames) == 30 * 30 and ex.output.shape == (1, 30, 30)
    assert ex.frames[-1].out == (0, 29, 29)
    assert ex.frames[465].value == pytest.approx(ex.output[0, 15, 15])


@pytest.mark.parametrize("arch", ["lenet5-1998", "every-layer"])
def test_live_layers_replay_the_engine(arch):
    """Connection tables (lenet5-1998's C3), stride 2 and padding (every-layer)."""
    net = build_network(arch, seed=1)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, *net.input_shape)).astype(np.float32)
    opt = SGD(net.named_params(), lr=0.1, weight_decay=0.01)  # every weight moves
    step = net.begin_step(x, np.array([0, 1, 2]), opt)
    while step.next_phase.kind != "update":
        step.advance()
    layers = conv_layers_of(net, 2)
    assert [d.name for d in layers] == [
        layer.name for layer in net.layers if isinstance(layer, Conv2D)
    ]
    for data in layers:
        for o in {0, data.weight.shape[0] - 1}:
            ex = live_example(data, o)
            assert ex.kind == "live" and len(ex.frames) == data.u[o].size
            np.testing.assert_allclose(ex.output[0], data.u[o], rtol=1e-5, atol=1e-5)
            if data.mask is not None:
                assert ex.frames[0].channels == tuple(np.flatnonzero(data.mask[o]))
    # after the update the trace's outputs were computed with the weights before it
    before = {k: (p.copy(), p.copy()) for k, p, _ in net.named_params()}
    step.advance()
    moved = 0
    for stale, kept in zip(
        conv_layers_of(net, 2), conv_layers_of(net, 2, before=before), strict=True
    ):
        np.testing.assert_allclose(live_example(kept, 0).output[0], kept.u[0], rtol=1e-5, atol=1e-5)
        moved += not np.array_equal(stale.weight, kept.weight)
    assert moved
