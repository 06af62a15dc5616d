"""Engine layers against the seeds' formulas and against window-by-window definitions, with
NumPy only (the PyTorch comparison is in test_engine_torch.py)."""

from __future__ import annotations

import numpy as np
import pytest

from cnnviz.engine import (
    SGD,
    AvgPool2D,
    Conv2D,
    Dense,
    Flatten,
    LeakyReLU,
    LpPool2D,
    MaxPool2D,
    ReLU,
    ScaledTanh,
    Sigmoid,
    SoftmaxCrossEntropy,
    SquaredError,
    Subsampling,
    Tanh,
    full_convolution_input_grad,
)


def built(layer, in_shape, dtype="float64", seed=0):
    layer.build(in_shape, dtype, np.random.default_rng(seed))
    return layer


# ----------------------------------------------------------------------------- convolution
def naive_conv(x, w, b, stride, pad):
    """The definition: slide the window, multiply and sum (correlation, PyTorch's convention)."""
    n, c, h, wd = x.shape
    o, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    ho, wo = (h + 2 * pad - kh) // stride + 1, (wd + 2 * pad - kw) // stride + 1
    y = np.empty((n, o, ho, wo))
    for u in range(ho):
        for v in range(wo):
            patch = xp[:, :, u * stride : u * stride + kh, v * stride : v * stride + kw]
            y[:, :, u, v] = np.tensordot(patch, w, axes=([1, 2, 3], [1, 2, 3])) + b
    return y


def naive_conv_backward(x, w, dy, stride, pad):
    """∂E/∂x, ∂E/∂w, ∂E/∂b window by window: each output entry sends δ·w back to its window
    and δ·window to the kernel."""
    kh, kw = w.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxp, dw = np.zeros_like(xp), np.zeros_like(w)
    for u in range(dy.shape[2]):
        for v in range(dy.shape[3]):
            win = (slice(None), slice(None), slice(u * stride, u * stride + kh),
                   slice(v * stride, v * stride + kw))  # fmt: skip
            d = dy[:, :, u, v]  # (N, O)
            dw += np.einsum("no,nckl->ockl", d, xp[win])
            dxp[win] += np.einsum("no,ockl->nckl", d, w)
    h, wd = x.shape[2:]
    return dxp[:, :, pad : pad + h, pad : pad + wd], dw, dy.sum(axis=(0, 2, 3))


@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("padding", [0, 1, 2])
@pytest.mark.parametrize("kernel", [(3, 3), (2, 3)])
def test_conv2d_equals_window_by_window_definition(kernel, padding, stride, rng):
    x = rng.normal(size=(2, 3, 7, 9))
    conv = built(Conv2D(3, 4, kernel, stride=stride, padding=padding), x.shape[1:])
    conv.params["bias"][...] = rng.normal(size=4)
    w, b = conv.params["weight"], conv.params["bias"]
    y = conv.forward(x)
    np.testing.assert_allclose(y, naive_conv(x, w, b, stride, padding), rtol=1e-12, atol=1e-12)
    dy = rng.normal(size=y.shape)
    dx = conv.backward(dy)
    ref_dx, ref_dw, ref_db = naive_conv_backward(x, w, dy, stride, padding)
    np.testing.assert_allclose(dx, ref_dx, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(conv.grads["weight"], ref_dw, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(conv.grads["bias"], ref_db, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("padding", [0, 1, 2])
@pytest.mark.parametrize("kernel", [1, 2, 3, (3, 2)])
def test_conv2d_input_grad_is_the_rot180_full_convolution(kernel, padding, stride, rng):
    """Seeds 000/003: ∂E/∂x = full(δ ↑S) ∗ rot180(k), with S − 1 zeros inserted for stride."""
    x = rng.normal(size=(2, 3, 7, 9))
    conv = built(Conv2D(3, 5, kernel, stride=stride, padding=padding), x.shape[1:])
    y = conv.forward(x)
    dy = rng.normal(size=y.shape)
    dx = conv.backward(dy)
    ref = full_convolution_input_grad(dy, conv.params["weight"], stride, padding, (7, 9))
    assert ref.shape == dx.shape == x.shape
    np.testing.assert_allclose(dx, ref, rtol=1e-12, atol=1e-12)


def test_conv2d_connection_table_only_reads_connected_maps(rng):
    """Output map j depends only on the input maps the table connects to it."""
    table = [[1, 0, 0], [0, 1, 1]]
    conv = built(Conv2D(3, 2, 3, connections=table), (3, 6, 6))
    x = rng.normal(size=(1, 3, 6, 6))
    y0 = conv.forward(x).copy()
    x[:, 0] += 5.0  # only map 0 changes: feeds output 0 only
    y1 = conv.forward(x)
    assert not np.allclose(y0[:, 0], y1[:, 0])
    np.testing.assert_array_equal(y0[:, 1], y1[:, 1])
    w = conv.params["weight"]
    assert not w[0, 1:].any() and not w[1, 0].any() and w[0, 0].any() and w[1, 1:].all()


def test_sobel_example_of_seed_001_gives_29_at_the_top_left():
    """Seed 001: the vertical Sobel kernel on the top-left 3×3 patch of the 4×4 example image
    (0 50 0 / 0 80 31 / 33 90 0, read row by row from the table '图像值 过滤器值 结果')
    gives 62 − 33 = 29. The seed's text does not list the image's fourth row and column (they
    are in a picture), so they are filled with values that must not matter."""
    sobel = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=np.float64)
    patch = np.array([[0, 50, 0], [0, 80, 31], [33, 90, 0]], dtype=np.float64)
    conv = built(Conv2D(1, 1, 3), (1, 4, 4))
    conv.params["weight"][0, 0] = sobel
    tops = []
    for fill in (0.0, 255.0, 17.0):
        image = np.full((4, 4), fill)
        image[:3, :3] = patch
        y = conv.forward(image[None, None])
        assert y.shape == (1, 1, 2, 2)  # 4×4 image, 3×3 kernel: a 2×2 output
        tops.append(y[0, 0, 0, 0])
    assert tops == [29.0, 29.0, 29.0]
    # the seed's element-wise products, summed: 0 0 0 0 0 62 −33 0 0
    products = (patch * sobel).ravel()
    np.testing.assert_array_equal(products, [0, 0, 0, 0, 0, 62, -33, 0, 0])


# ----------------------------------------------------------------------------- pooling
def kron_up(delta, k):
    """δ ⊗ 1_{k×k} over the last two axes of (N, C, H, W)."""
    return np.kron(delta, np.ones((k, k)))


@pytest.mark.parametrize("k, hw", [(2, (6, 8)), (3, (9, 6)), (2, (7, 9)), (3, (8, 10))])
def test_maxpool_argmax_mask_marks_one_window_maximum(k, hw, rng):
    x = rng.integers(0, 4, size=(2, 3, *hw)).astype(np.float64)  # plenty of ties
    pool = built(MaxPool2D(k), x.shape[1:])
    y = pool.forward(x)
    mask = pool.argmax_mask()
    assert mask.shape == x.shape and mask.dtype == bool
    ho, wo = pool.out_hw
    covered = mask[:, :, : ho * k, : wo * k]
    blocks = covered.reshape(2, 3, ho, k, wo, k)
    np.testing.assert_array_equal(blocks.sum(axis=(3, 5)), 1)  # exactly one winner per window
    assert not mask[:, :, ho * k :].any() and not mask[:, :, :, wo * k :].any()
    xb = x[:, :, : ho * k, : wo * k].reshape(2, 3, ho, k, wo, k)
    np.testing.assert_array_equal(y, xb.max(axis=(3, 5)))
    np.testing.assert_array_equal((xb * blocks).sum(axis=(3, 5)), y)  # the winner is a max
    # the first maximum in row-major order wins
    flat = xb.transpose(0, 1, 2, 4, 3, 5).reshape(2, 3, ho, wo, k * k)
    np.testing.assert_array_equal(pool.argmax, flat.argmax(axis=-1))
    # backward routes δ to the winner only
    dy = rng.normal(size=y.shape)
    dx = pool.backward(dy)
    up = np.zeros_like(x)
    up[:, :, : ho * k, : wo * k] = kron_up(dy, k)
    np.testing.assert_array_equal(dx, np.where(mask, up, 0.0))


def test_maxpool_all_equal_window_routes_to_first_element():
    pool = built(MaxPool2D(2), (1, 2, 4))
    pool.forward(np.full((1, 1, 2, 4), 3.0))
    dx = pool.backward(np.array([[[[1.0, 2.0]]]]))
    np.testing.assert_array_equal(dx, [[[[1.0, 0.0, 2.0, 0.0], [0.0, 0.0, 0.0, 0.0]]]])


@pytest.mark.parametrize("k", [2, 3])
def test_mean_pool_backward_is_the_kronecker_form(k, rng):
    """Seed 002: δ^{l−1} = δ^l ⊗ (1/n²)_{n×n} for stride = kernel."""
    x = rng.normal(size=(2, 3, 4 * k, 3 * k))
    pool = built(AvgPool2D(k), x.shape[1:])
    y = pool.forward(x)
    np.testing.assert_allclose(y, x.reshape(2, 3, 4, k, 3, k).mean(axis=(3, 5)), rtol=1e-13)
    dy = rng.normal(size=y.shape)
    np.testing.assert_allclose(pool.backward(dy), kron_up(dy, k) / k**2, rtol=1e-13)


def test_mean_pool_uncovered_rows_get_no_gradient(rng):
    x = rng.normal(size=(1, 2, 7, 5))
    pool = built(AvgPool2D(2), x.shape[1:])
    dy = rng.normal(size=pool.forward(x).shape)
    dx = pool.backward(dy)
    np.testing.assert_allclose(dx[:, :, :6, :4], kron_up(dy, 2) / 4, rtol=1e-13)
    assert not dx[:, :, 6:].any() and not dx[:, :, :, 4:].any()


@pytest.mark.parametrize("k", [2, 3])
@pytest.mark.parametrize("layout", ["contiguous", "transposed"])
def test_subsampling_follows_bouvrie(k, layout, rng):
    """Seed 000: u = β·down(x) + b, ∂E/∂x = β·up(δ) = β·(δ ⊗ 1), ∂E/∂β = Σ δ∘down(x),
    ∂E/∂b = Σ δ. Also for an input that is a transposed view (images stored N, H, W, C)."""
    shape = (2, 3, 3 * k, 2 * k)
    if layout == "contiguous":
        x = rng.normal(size=shape)
    else:
        x = rng.normal(size=(shape[0], shape[2], shape[3], shape[1])).transpose(0, 3, 1, 2)
    sub = built(Subsampling(3, k), shape[1:])
    beta, bias = rng.normal(size=3), rng.normal(size=3)
    sub.params["beta"][...] = beta
    sub.params["bias"][...] = bias
    down = x.reshape(2, 3, 3, k, 2, k).sum(axis=(3, 5))
    u = sub.forward(x)
    np.testing.assert_allclose(u, beta[:, None, None] * down + bias[:, None, None], rtol=1e-13)
    dy = rng.normal(size=u.shape)
    dx = sub.backward(dy)
    np.testing.assert_allclose(dx, beta[:, None, None] * kron_up(dy, k), rtol=1e-13)
    np.testing.assert_allclose(sub.grads["beta"], (dy * down).sum(axis=(0, 2, 3)), rtol=1e-13)
    np.testing.assert_allclose(sub.grads["bias"], dy.sum(axis=(0, 2, 3)), rtol=1e-13)


def test_subsampling_starts_as_mean_pooling(rng):
    sub = built(Subsampling(2, 2), (2, 4, 4))
    x = rng.normal(size=(1, 2, 4, 4))
    np.testing.assert_allclose(
        sub.forward(x), x.reshape(1, 2, 2, 2, 2, 2).mean(axis=(3, 5)), rtol=1e-13
    )


def test_lp_pool_hand_values():
    """A 3-4 window has L2 norm 5 and ∂y/∂x = x/y; L1 pooling sums |x|."""
    pool = built(LpPool2D(2.0, 2), (1, 2, 2))
    y = pool.forward(np.array([[[[3.0, 0.0], [-4.0, 0.0]]]]))
    assert y.item() == pytest.approx(5.0, rel=1e-15)
    dx = pool.backward(np.ones_like(y))
    np.testing.assert_allclose(dx, [[[[0.6, 0.0], [-0.8, 0.0]]]], rtol=1e-15)
    l1 = built(LpPool2D(1.0, 2), (1, 2, 2))
    assert l1.forward(np.array([[[[1.0, -2.0], [3.0, -4.0]]]])).item() == pytest.approx(10.0)
    np.testing.assert_allclose(l1.backward(np.ones((1, 1, 1, 1))), [[[[1, -1], [1, -1]]]])


def test_lp_pool_of_an_all_zero_window_has_zero_gradient():
    pool = built(LpPool2D(2.0, 2), (1, 2, 4))
    x = np.array([[[[0.0, 0.0, 1.0, 2.0], [0.0, 0.0, 2.0, 4.0]]]])
    y = pool.forward(x)
    np.testing.assert_allclose(y, [[[[0.0, 5.0]]]])
    dx = pool.backward(np.ones_like(y))
    assert np.isfinite(dx).all()
    np.testing.assert_allclose(dx, [[[[0, 0, 0.2, 0.4], [0, 0, 0.4, 0.8]]]], rtol=1e-14)


# ----------------------------------------------------------------------------- activations
def test_activation_hand_values():
    x = np.array([[-2.0, 0.0, 3.0]])
    for layer, y, d in [
        (ReLU(), [0, 0, 3], [0, 0, 1]),  # f′(0) = 0, as in PyTorch
        (LeakyReLU(0.1), [-0.2, 0, 3], [0.1, 0.1, 1]),
    ]:
        built(layer, (3,))
        np.testing.assert_allclose(layer.forward(x), [y])
        np.testing.assert_allclose(layer.backward(np.ones_like(x)), [d])
    sig = built(Sigmoid(), (3,))
    np.testing.assert_allclose(sig.forward(x), 1 / (1 + np.exp(-x)), rtol=1e-15)
    assert sig.derivative(np.array([0.0]))[0] == 0.25
    tanh = built(Tanh(), (3,))
    assert tanh.derivative(np.array([0.0]))[0] == 1.0
    st = built(ScaledTanh(), (3,))
    # LeCun's constants make f(±1) = ±1 and f′(0) = A·S
    np.testing.assert_allclose(st.forward(np.array([[1.0, -1.0, 0.0]])), [[1, -1, 0]], atol=1e-4)
    assert st.derivative(np.array([0.0]))[0] == pytest.approx(1.7159 * 2 / 3, rel=1e-15)


@pytest.mark.parametrize("make", [ReLU, lambda: LeakyReLU(0.3), Sigmoid, Tanh, ScaledTanh])
def test_activation_derivative_matches_central_difference(make, rng):
    layer = built(make(), (50,))
    x = rng.normal(scale=2, size=(1, 50))
    x[np.abs(x) < 1e-3] = 0.5  # away from ReLU's kink
    h = 1e-6
    numeric = (layer.f(x + h) - layer.f(x - h)) / (2 * h)
    np.testing.assert_allclose(layer.derivative(x), numeric, rtol=1e-7, atol=1e-9)


def test_sigmoid_is_finite_for_huge_inputs():
    layer = built(Sigmoid(), (4,))
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow is fine
        y = layer.forward(np.array([[-1e4, -800.0, 800.0, 1e4]]))
    np.testing.assert_array_equal(y, [[0.0, 0.0, 1.0, 1.0]])


# ----------------------------------------------------------------------------- dense, flatten
def test_dense_hand_values():
    dense = built(Dense(2, 3), (2,))
    dense.params["weight"][...] = [[1, 2], [3, 4], [5, 6]]
    dense.params["bias"][...] = [0.5, -0.5, 1]
    x = np.array([[1.0, -1.0], [2.0, 0.0]])
    np.testing.assert_allclose(dense.forward(x), [[-0.5, -1.5, 0], [2.5, 5.5, 11]])
    dy = np.array([[1.0, 0.0, -1.0], [0.0, 2.0, 0.0]])
    np.testing.assert_allclose(dense.backward(dy), [[-4, -4], [6, 8]])  # Wᵀδ per sample
    np.testing.assert_allclose(dense.grads["weight"], [[1, -1], [4, 0], [-1, 1]])  # Σ δ xᵀ
    np.testing.assert_allclose(dense.grads["bias"], [1, 2, -1])


def test_flatten_round_trip(rng):
    flat = built(Flatten(), (2, 3, 4))
    x = rng.normal(size=(5, 2, 3, 4))
    y = flat.forward(x)
    assert y.shape == (5, 24)
    np.testing.assert_array_equal(y[1], x[1].ravel())
    dy = rng.normal(size=y.shape)
    np.testing.assert_array_equal(flat.backward(dy), dy.reshape(x.shape))


def test_need_dx_false_still_fills_parameter_gradients(rng):
    conv = built(Conv2D(2, 3, 3), (2, 5, 5))
    x = rng.normal(size=(2, 2, 5, 5))
    dy = rng.normal(size=conv.forward(x).shape)
    assert conv.backward(dy, need_dx=False) is None and conv.dx is None
    gw = conv.grads["weight"].copy()
    conv.backward(dy, need_dx=True)
    np.testing.assert_array_equal(conv.grads["weight"], gw)


# ----------------------------------------------------------------------------- losses
def test_softmax_cross_entropy_hand_values():
    loss = SoftmaxCrossEntropy()
    assert loss.forward(np.zeros((2, 4)), np.array([1, 3])) == pytest.approx(np.log(4))
    np.testing.assert_allclose(
        loss.backward(), [[0.125, -0.375, 0.125, 0.125], [0.125, 0.125, 0.125, -0.375]]
    )
    # scores that would overflow exp() stay finite
    value = loss.forward(np.array([[1000.0, 0.0], [0.0, -1000.0]]), np.array([1, 0]))
    assert value == pytest.approx(500.0)


def test_squared_error_hand_values():
    loss = SquaredError(1.0, -1.0)
    y = np.array([[0.5, -1.0, 0.0], [1.0, 1.0, -1.0]])
    # targets [1, −1, −1] and [−1, 1, −1]; E = mean of ½‖y − t‖² = (½·1.25 + ½·4) / 2
    assert loss.forward(y, np.array([0, 1])) == pytest.approx(1.3125)
    np.testing.assert_allclose(loss.backward(), [[-0.25, 0, 0.5], [1, 0, 0]])


# ----------------------------------------------------------------------------- bad input
def test_forward_rejects_wrong_rank_and_shape_naming_layer_and_shapes(rng):
    conv = built(Conv2D(2, 3, 3, name="C1"), (2, 6, 6))
    with pytest.raises(ValueError, match=r"C1.*\(N, 2×6×6\).*\(2, 6, 6\)"):
        conv.forward(rng.normal(size=(2, 6, 6)))  # no batch axis
    with pytest.raises(ValueError, match=r"C1.*\(N, 2×6×6\).*\(4, 2, 6, 5\)"):
        conv.forward(rng.normal(size=(4, 2, 6, 5)))
    with pytest.raises(ValueError, match=r"C1.*\(N, 2×6×6\).*\(4, 6, 6, 2\)"):
        conv.forward(rng.normal(size=(4, 6, 6, 2)))  # channels last
    dense = built(Dense(4, 2, name="F5"), (4,))
    with pytest.raises(ValueError, match=r"F5.*\(N, 4\).*\(3, 5\)"):
        dense.forward(rng.normal(size=(3, 5)))
    with pytest.raises(ValueError, match=r"F5.*\(3, 1, 4\)"):
        dense.forward(rng.normal(size=(3, 1, 4)))  # would broadcast in a bare matmul
    with pytest.raises(ValueError, match=r"C1.*float64.*float32"):
        conv.forward(rng.normal(size=(1, 2, 6, 6)).astype(np.float32))


def test_backward_rejects_a_gradient_of_the_wrong_shape(rng):
    pool = built(MaxPool2D(2, name="S2"), (1, 4, 4))
    with pytest.raises(ValueError, match="S2.*before forward"):
        pool.backward(np.ones((1, 1, 2, 2)))
    pool.forward(rng.normal(size=(2, 1, 4, 4)))
    with pytest.raises(ValueError, match=r"S2.*\(2, 1, 2, 2\).*\(1, 1, 2, 2\)"):
        pool.backward(np.ones((1, 1, 2, 2)))  # would broadcast over the batch


def test_build_rejects_impossible_shapes():
    with pytest.raises(ValueError, match=r"C3.*3 input channels, got 2.*2×8×8"):
        Conv2D(3, 4, 3, name="C3").build((2, 8, 8), "float64")
    with pytest.raises(ValueError, match=r"C1.*\(C, H, W\).*784"):
        Conv2D(1, 4, 3, name="C1").build((784,), "float64")
    with pytest.raises(ValueError, match=r"C1.*kernel 5×5 is larger than the padded input 4×5"):
        Conv2D(1, 1, 5, padding=1, name="C1").build((1, 2, 3), "float64")
    with pytest.raises(ValueError, match=r"S2.*window 3×3 is larger than the input 2×5"):
        MaxPool2D(3, name="S2").build((1, 2, 5), "float64")
    with pytest.raises(ValueError, match=r"S2.*5×4.*2×2.*not be a whole number"):
        Subsampling(1, 2, name="S2").build((1, 5, 4), "float64")
    with pytest.raises(ValueError, match=r"S4.*expects 6 maps, got 4"):
        Subsampling(6, 2, name="S4").build((4, 4, 4), "float64")
    with pytest.raises(ValueError, match=r"F6.*84 input features, got 16×5×5.*flatten"):
        Dense(84, 10, name="F6").build((16, 5, 5), "float64")
    with pytest.raises(ValueError, match=r"C3.*connection table.*\(16, 6\).*\(6, 16\)"):
        Conv2D(6, 16, 5, connections=np.ones((6, 16)), name="C3")
    with pytest.raises(ValueError, match="C3.*no input"):
        Conv2D(2, 2, 3, connections=[[1, 0], [0, 0]], name="C3")


def test_losses_reject_bad_labels():
    for loss in (SoftmaxCrossEntropy(), SquaredError()):
        with pytest.raises(ValueError, match=r"3 labels.*\(2,\)"):
            loss.forward(np.zeros((3, 4)), np.array([0, 1]))
        with pytest.raises(ValueError, match=r"0\.\.3"):
            loss.forward(np.zeros((2, 4)), np.array([0, 4]))
        with pytest.raises(ValueError, match=r"0\.\.3"):
            loss.forward(np.zeros((2, 4)), np.array([-1, 0]))
        with pytest.raises(ValueError, match=r"\(N, K\)"):
            loss.forward(np.zeros((2, 4, 1)), np.array([0, 1]))


def test_losses_reject_non_integer_labels():
    """Labels stored as floats are fine when they are whole numbers, but 2.9 is not a class
    (it must not be truncated to 2) and NaN is not a label (it must not end in an IndexError)."""
    for loss in (SoftmaxCrossEntropy(), SquaredError()):
        loss.forward(np.zeros((2, 4)), np.array([0.0, 3.0]))
        np.testing.assert_array_equal(loss.labels, [0, 3])
        with pytest.raises(ValueError, match=loss.kind):
            loss.forward(np.zeros((2, 4)), np.array([0.5, 2.9]))
        with pytest.raises(ValueError, match=loss.kind):
            loss.forward(np.zeros((2, 4)), np.array([np.nan, 1.0]))


# ----------------------------------------------------------------------------- SGD
def test_sgd_momentum_and_weight_decay_hand_values():
    """PyTorch's convention: v ← μv + (g + λW); W ← W − ηv."""
    p = np.array([1.0, 2.0])
    g = np.array([0.5, -1.0])
    opt = SGD([("w", p, g)], lr=0.1, momentum=0.9, weight_decay=0.01)
    opt.step()  # v = [0.51, −0.98]
    np.testing.assert_allclose(p, [0.949, 2.098], rtol=1e-15)
    np.testing.assert_allclose(opt.velocity["w"], [0.51, -0.98], rtol=1e-15)
    g[...] = [0.1, 0.2]  # the layer writes its new gradient in place
    opt.step()  # v = 0.9·[0.51, −0.98] + [0.1, 0.2] + 0.01·[0.949, 2.098]
    np.testing.assert_allclose(opt.velocity["w"], [0.56849, -0.66102], rtol=1e-14)
    np.testing.assert_allclose(p, [0.892151, 2.164102], rtol=1e-14)


def test_sgd_without_momentum_is_plain_gradient_descent():
    p = np.array([1.0, -3.0], dtype=np.float32)
    g = np.array([2.0, 1.0], dtype=np.float32)
    opt = SGD([("w", p, g)], lr=0.5, weight_decay=0.1)
    opt.step()
    opt.step()  # g unchanged: p ← p − 0.5(g + 0.1p) twice
    expect = np.array([1.0, -3.0])
    for _ in range(2):
        expect = expect - 0.5 * (np.array([2.0, 1.0]) + 0.1 * expect)
    np.testing.assert_allclose(p, expect, rtol=1e-6)
    assert p.dtype == np.float32 and opt.velocity["w"].dtype == np.float32


def test_sgd_update_equals_the_change_of_the_parameter(rng):
    p = rng.normal(size=(3, 4))
    g = rng.normal(size=(3, 4))
    opt = SGD([("C1.weight", p, g)], lr=0.03, momentum=0.9, weight_decay=5e-4)
    for _ in range(3):
        before = p.copy()
        g[...] = rng.normal(size=g.shape)
        opt.step()
        change = opt.update("C1.weight")
        assert change.shape == p.shape
        np.testing.assert_allclose(p - before, change, rtol=1e-12, atol=1e-15)
        assert np.abs(change).min() > 0


def test_relu_on_batch_innermost_maps_runs_on_one_flat_view_and_matches_the_strided_path():
    """Conv outputs are laid out batch-innermost (C, H, W, N in memory): ReLU then works on one
    contiguous 1-D view (flat); the result is the same as on a C-ordered copy, bit for bit."""
    from cnnviz.engine.layer import flat, memory_order

    rng = np.random.default_rng(0)
    base = rng.normal(size=(6, 5, 5, 8)).astype(np.float32)  # C, H, W, N
    x = base.transpose(3, 0, 1, 2)  # (N, C, H, W), batch innermost in memory
    assert memory_order(x) == (1, 2, 3, 0)
    view = flat(x)
    assert view is not None and np.shares_memory(view, x) and view.size == x.size
    assert flat(x[:, :, ::2]) is None  # a strided slice has gaps
    relu = ReLU()
    relu.build((6, 5, 5), np.float32)
    y = relu.forward(x)
    assert memory_order(y) == memory_order(x)
    dy = np.ascontiguousarray(rng.normal(size=base.shape).astype(np.float32)).transpose(3, 0, 1, 2)
    dx = relu.backward(dy)
    c = np.ascontiguousarray(x)
    assert np.array_equal(y, np.maximum(c, 0))
    assert np.array_equal(dx, np.ascontiguousarray(dy) * (c > 0))
    other = ReLU()
    other.build((6, 5, 5), np.float32)
    other.forward(c)
    assert np.array_equal(other.backward(np.ascontiguousarray(dy)), dx)  # C order: same bits
