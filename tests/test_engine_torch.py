"""The engine against PyTorch autograd, in float64.

Every layer's output, ∂E/∂input and every parameter gradient must equal what torch computes for
the same input, parameters and a random upstream gradient; whole networks must follow
``torch.optim.SGD`` step for step.
"""

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
)
from cnnviz.training.architectures import LENET5_C3_TABLE, build_network

torch = pytest.importorskip("torch")
F = torch.nn.functional
nn = torch.nn

pytestmark = pytest.mark.torch

RTOL, ATOL = 1e-10, 1e-12


@pytest.fixture(autouse=True, scope="module")
def _single_threaded_torch():
    """The tensors here are tiny: torch's thread pool only adds latency (a lot of it on a
    busy machine)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def tt(a, grad: bool = False):
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=grad)


def assert_same(actual: np.ndarray, expected, what: str, rtol=RTOL, atol=ATOL) -> None:
    if isinstance(expected, torch.Tensor):
        expected = expected.detach().numpy()
    assert actual.dtype == np.float64, f"{what}: dtype {actual.dtype}"
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol, err_msg=what)


def check_layer(layer, x: np.ndarray, torch_fn, rng: np.random.Generator, randomize=True):
    """Build ``layer`` for ``x``, give it random parameters, run forward and backward with a
    random upstream gradient, and compare y, ∂E/∂x and every parameter gradient with torch's
    ``torch_fn(x, **params)``."""
    layer.build(x.shape[1:], "float64", rng)
    if randomize:
        for p in layer.params.values():
            p[...] = rng.normal(size=p.shape)
        if getattr(layer, "mask", None) is not None:  # absent connections are held at zero
            layer.params["weight"] *= layer.mask[:, :, None, None]
    y = layer.forward(x)
    g = rng.normal(size=y.shape)
    dx = layer.backward(g, need_dx=True)

    xt = tt(x, grad=True)
    pt = {k: tt(v, grad=True) for k, v in layer.params.items()}
    yt = torch_fn(xt, **pt)
    yt.backward(tt(g))

    assert_same(y, yt, f"{layer.describe()}: forward")
    assert_same(dx, xt.grad, f"{layer.describe()}: ∂E/∂x")
    assert set(layer.grads) == set(pt)
    for k, p in pt.items():
        assert_same(layer.grads[k], p.grad, f"{layer.describe()}: ∂E/∂{k}")
    return layer


# ----------------------------------------------------------------------------- convolution
CHANNELS = [(1, 1), (3, 2), (2, 5)]
CONV_CASES = [
    pytest.param(k, s, p, hw, CHANNELS[i % 3], id=f"k{k}-s{s}-p{p}-{hw[0]}x{hw[1]}")
    for i, (k, s, p, hw) in enumerate(
        (k, s, p, hw)
        for k in (1, 2, 3, 5)
        for s in (1, 2, 3)
        for p in (0, 1, 2)
        for hw in ((7, 9), (11, 10))
    )
]


@pytest.mark.parametrize("k, stride, padding, hw, channels", CONV_CASES)
def test_conv2d_matches_torch(k, stride, padding, hw, channels, rng):
    cin, cout = channels
    x = rng.normal(size=(3, cin, *hw))
    layer = Conv2D(cin, cout, k, stride=stride, padding=padding)
    check_layer(
        layer,
        x,
        lambda x, weight, bias: F.conv2d(x, weight, bias, stride=stride, padding=padding),
        rng,
    )


@pytest.mark.parametrize(
    "kernel, stride, padding", [((2, 3), 1, 0), ((3, 1), 2, 1), ((1, 4), 3, 2), ((5, 2), 2, 0)]
)
def test_conv2d_rectangular_kernel_matches_torch(kernel, stride, padding, rng):
    x = rng.normal(size=(2, 3, 9, 8))
    layer = Conv2D(3, 4, kernel, stride=stride, padding=padding)
    check_layer(
        layer,
        x,
        lambda x, weight, bias: F.conv2d(x, weight, bias, stride=stride, padding=padding),
        rng,
    )


@pytest.mark.parametrize(
    "hw, k, stride, padding",
    [((1, 1), 1, 1, 0), ((2, 3), 3, 2, 1), ((3, 3), 5, 3, 2), ((1, 4), 3, 1, 1), ((2, 2), 5, 1, 2)],
)
def test_conv2d_on_inputs_smaller_than_the_kernel_matches_torch(hw, k, stride, padding, rng):
    """Only the zero padding lets the kernel fit."""
    x = rng.normal(size=(2, 2, *hw))
    layer = Conv2D(2, 3, k, stride=stride, padding=padding)
    check_layer(
        layer,
        x,
        lambda x, weight, bias: F.conv2d(x, weight, bias, stride=stride, padding=padding),
        rng,
    )


def test_conv2d_without_bias_matches_torch(rng):
    x = rng.normal(size=(2, 2, 8, 7))
    layer = Conv2D(2, 3, 3, stride=2, padding=1, bias=False)
    check_layer(layer, x, lambda x, weight: F.conv2d(x, weight, stride=2, padding=1), rng)
    assert set(layer.grads) == {"weight"}


def random_table(rng, cout, cin):
    mask = rng.random((cout, cin)) < 0.5
    mask[np.arange(cout), rng.integers(0, cin, cout)] = True  # every output map has an input
    return mask


@pytest.mark.parametrize(
    "cin, cout, k, stride, padding, hw, table",
    [
        pytest.param(6, 16, 5, 1, 0, (14, 14), "lenet5-c3", id="lenet5-c3"),
        pytest.param(6, 16, 3, 2, 1, (9, 11), "lenet5-c3", id="lenet5-c3-s2-p1"),
        pytest.param(4, 6, 3, 2, 1, (7, 9), "random", id="random-s2-p1"),
        pytest.param(3, 5, 2, 3, 2, (11, 10), "random", id="random-s3-p2"),
        pytest.param(5, 3, 1, 1, 0, (7, 9), "random", id="random-k1"),
    ],
)
def test_conv2d_connection_table_matches_masked_torch(
    cin, cout, k, stride, padding, hw, table, rng
):
    if table == "lenet5-c3":
        mask = np.zeros((16, 6), dtype=bool)
        for j, ins in enumerate(LENET5_C3_TABLE):
            mask[j, ins] = True
    else:
        mask = random_table(rng, cout, cin)
    x = rng.normal(size=(3, cin, *hw))
    m = torch.tensor(mask, dtype=torch.float64)[:, :, None, None]
    layer = Conv2D(cin, cout, k, stride=stride, padding=padding, connections=mask)
    check_layer(
        layer,
        x,
        lambda x, weight, bias: F.conv2d(x, weight * m, bias, stride=stride, padding=padding),
        rng,
    )
    # the gradient of an absent connection is zero, so SGD keeps its kernel at zero
    assert not layer.grads["weight"][~mask].any()


# ----------------------------------------------------------------------------- pooling
POOL_WINDOWS = [(2, 2), (3, 3), (2, 1), (3, 2), (3, 1), (2, 3)]  # (kernel, stride)


def pool_input(kind: str, rng, shape=(3, 2, 7, 9)) -> np.ndarray:
    if kind == "normal":
        return rng.normal(size=shape)
    if kind == "ties":  # small integers: most windows hold their maximum more than once
        return rng.integers(0, 3, size=shape).astype(np.float64)
    if kind == "constant":  # every window is one repeated value
        return np.full(shape, 0.5)
    raise AssertionError(kind)


@pytest.mark.parametrize("data", ["normal", "ties", "constant"])
@pytest.mark.parametrize("k, stride", POOL_WINDOWS, ids=[f"k{k}-s{s}" for k, s in POOL_WINDOWS])
def test_maxpool_matches_torch_including_ties(k, stride, data, rng):
    """Where a window holds its maximum more than once, torch routes the gradient to the first
    one (row-major order); the engine must pick the same element."""
    x = pool_input(data, rng)
    layer = MaxPool2D(k, stride)
    check_layer(layer, x, lambda x: F.max_pool2d(x, k, stride), rng)
    _, idx = F.max_pool2d(tt(x), k, stride, return_indices=True)
    # torch's flat index within the map, from the engine's window offset i·k + j
    ho, wo = layer.out_hw
    u = np.arange(ho)[:, None] * stride + layer.argmax // k
    v = np.arange(wo)[None, :] * stride + layer.argmax % k
    np.testing.assert_array_equal(u * x.shape[3] + v, idx.numpy())


@pytest.mark.parametrize("k", [15, 16])
def test_maxpool_with_a_large_window_matches_torch(k, rng):
    """k² ≥ 256 offsets no longer fit the compact argmax type."""
    x = pool_input("ties", rng, shape=(2, 2, 17, 18))
    check_layer(MaxPool2D(k, 1), x, lambda x: F.max_pool2d(x, k, 1), rng)


@pytest.mark.parametrize("k, stride", POOL_WINDOWS, ids=[f"k{k}-s{s}" for k, s in POOL_WINDOWS])
def test_avgpool_matches_torch(k, stride, rng):
    x = pool_input("normal", rng)
    check_layer(AvgPool2D(k, stride), x, lambda x: F.avg_pool2d(x, k, stride), rng)


@pytest.mark.parametrize("k, stride", [(2, 2), (3, 2), (2, 1), (3, 3)])
@pytest.mark.parametrize("p", [2.0, 3.0])
def test_lppool_matches_torch(p, k, stride, rng):
    x = pool_input("normal", rng)
    if p != 2:  # torch raises x to the power p without |·|: the two agree on positive input
        x = np.abs(x) + 0.1
    check_layer(LpPool2D(p, k, stride), x, lambda x: F.lp_pool2d(x, p, k, stride), rng)


@pytest.mark.parametrize("k, hw", [(2, (8, 6)), (3, (9, 6)), (1, (5, 7))])
def test_subsampling_matches_explicit_torch_expression(k, hw, rng):
    x = rng.normal(size=(3, 4, *hw))

    def ref(x, beta, bias):
        return beta[:, None, None] * F.avg_pool2d(x, k) * (k * k) + bias[:, None, None]

    check_layer(Subsampling(4, k), x, ref, rng)


# ----------------------------------------------------------------------------- elementwise
ACTIVATION_CASES = [
    pytest.param(ReLU, F.relu, id="relu"),
    pytest.param(LeakyReLU, lambda x: F.leaky_relu(x, 0.01), id="leaky_relu"),
    pytest.param(lambda: LeakyReLU(0.2), lambda x: F.leaky_relu(x, 0.2), id="leaky_relu-0.2"),
    pytest.param(Sigmoid, torch.sigmoid, id="sigmoid"),
    pytest.param(Tanh, torch.tanh, id="tanh"),
    pytest.param(ScaledTanh, lambda x: 1.7159 * torch.tanh(2 * x / 3), id="scaled_tanh"),
]


@pytest.mark.parametrize("make, ref", ACTIVATION_CASES)
@pytest.mark.parametrize("shape", [(4, 3, 5, 6), (5, 7)], ids=["maps", "vectors"])
def test_activation_matches_torch(make, ref, shape, rng):
    x = rng.normal(scale=3.0, size=shape)
    x.reshape(-1)[:4] = [40.0, -40.0, 800.0, -800.0]  # saturated: no overflow, no NaN
    x.reshape(-1)[4:6] = 0.0  # ReLU's kink: torch takes f′(0) = 0 (slope a for leaky ReLU)
    check_layer(make(), x, ref, rng)


def test_dense_matches_torch(rng):
    x = rng.normal(size=(4, 7))
    check_layer(Dense(7, 5), x, F.linear, rng)
    check_layer(Dense(7, 3, bias=False), x, F.linear, rng)


def test_flatten_matches_torch(rng):
    x = rng.normal(size=(3, 2, 4, 5))
    check_layer(Flatten(), x, lambda x: torch.flatten(x, 1), rng)


# ----------------------------------------------------------------------------- losses
@pytest.mark.parametrize("scale", [1.0, 1000.0], ids=["moderate", "huge-scores"])
def test_softmax_cross_entropy_matches_torch(scale, rng):
    y = rng.normal(scale=scale, size=(6, 5))
    labels = rng.integers(0, 5, size=6)
    loss = SoftmaxCrossEntropy()
    value = loss.forward(y, labels)
    dy = loss.backward()
    yt = tt(y, grad=True)
    et = F.cross_entropy(yt, torch.tensor(labels))
    et.backward()
    assert np.isfinite(value)
    np.testing.assert_allclose(value, et.item(), rtol=RTOL, atol=ATOL)
    assert_same(dy, yt.grad, "softmax_ce: ∂E/∂y")
    assert_same(loss.probabilities(), torch.softmax(yt, 1), "softmax_ce: probabilities")


@pytest.mark.parametrize("positive, negative", [(1.0, 0.0), (1.0, -1.0)])
def test_squared_error_matches_torch(positive, negative, rng):
    y = rng.normal(size=(6, 4))
    labels = rng.integers(0, 4, size=6)
    loss = SquaredError(positive, negative)
    value = loss.forward(y, labels)
    dy = loss.backward()
    t = torch.full((6, 4), negative, dtype=torch.float64)
    t[torch.arange(6), torch.tensor(labels)] = positive
    yt = tt(y, grad=True)
    et = 0.5 * ((yt - t) ** 2).sum(1).mean()
    et.backward()
    np.testing.assert_allclose(value, et.item(), rtol=RTOL, atol=ATOL)
    assert_same(dy, yt.grad, "squared_error: ∂E/∂y")


# ----------------------------------------------------------------------------- networks
class ScaledTanhModule(nn.Module):
    def forward(self, x):
        return 1.7159 * torch.tanh(2 * x / 3)


class SubsampleModule(nn.Module):
    """Bouvrie's u = β·(block sum) + b, spelled with torch's average pooling."""

    def __init__(self, channels: int, k: int = 2):
        super().__init__()
        self.k = k
        self.beta = nn.Parameter(torch.empty(channels, dtype=torch.float64))
        self.bias = nn.Parameter(torch.empty(channels, dtype=torch.float64))

    def forward(self, x):
        down = F.avg_pool2d(x, self.k) * (self.k * self.k)
        return self.beta[:, None, None] * down + self.bias[:, None, None]


class MaskedConv2d(nn.Conv2d):
    def __init__(self, cin, cout, k, mask):
        super().__init__(cin, cout, k, dtype=torch.float64)
        self.register_buffer("mask", torch.tensor(mask, dtype=torch.float64)[:, :, None, None])

    def forward(self, x):
        return F.conv2d(x, self.weight * self.mask, self.bias)


def copy_params(net, model) -> list[tuple[str, np.ndarray, torch.nn.Parameter]]:
    """Pair the engine's parameters with the torch model's (same order, same layout) and copy
    the engine's values across."""
    ours = net.named_params()
    theirs = list(model.parameters())
    assert len(ours) == len(theirs)
    pairs = []
    with torch.no_grad():
        for (key, p, _), tp in zip(ours, theirs, strict=True):
            assert p.shape == tuple(tp.shape), key
            tp.copy_(torch.from_numpy(p))
            pairs.append((key, p, tp))
    return pairs


def run_side_by_side(net, model, torch_loss, steps, rng, lr=0.05):
    pairs = copy_params(net, model)
    opt = SGD(net.named_params(), lr=lr, momentum=0.9, weight_decay=5e-4)
    topt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=5e-4)
    grads = {k: g for k, _, g in net.named_params()}
    for step in range(steps):
        x = rng.normal(size=(6, *net.input_shape))
        labels = rng.integers(0, 10, size=6)
        result = net.train_step(x, labels, opt)
        topt.zero_grad()
        loss = torch_loss(model(tt(x)), torch.tensor(labels))
        loss.backward()
        # gradients before the update, then the update itself
        for key, _, tp in pairs:
            np.testing.assert_allclose(
                grads[key], tp.grad.numpy(), rtol=1e-9, atol=1e-13, err_msg=f"{key} step {step}"
            )
        topt.step()
        np.testing.assert_allclose(result.loss, loss.item(), rtol=1e-9, err_msg=f"step {step}")
        for key, p, tp in pairs:
            np.testing.assert_allclose(
                p, tp.detach().numpy(), rtol=1e-9, atol=1e-13, err_msg=f"{key} step {step}"
            )


def test_lenet5_follows_torch_sequential_over_sgd_steps(rng):
    net = build_network("lenet5", dtype="float64", seed=1)
    for _, p, _ in net.named_params():  # non-zero biases, so they are exercised too
        if p.ndim == 1:
            p[...] = rng.normal(scale=0.1, size=p.shape)
    start = {k: p.copy() for k, p, _ in net.named_params()}
    model = nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 120),
        nn.ReLU(),
        nn.Linear(120, 84),
        nn.ReLU(),
        nn.Linear(84, 10),
    ).double()
    run_side_by_side(net, model, F.cross_entropy, steps=5, rng=rng)
    assert all(not np.array_equal(start[k], p) for k, p, _ in net.named_params())


def test_lenet5_1998_follows_equivalent_torch_model_over_sgd_steps(rng):
    net = build_network("lenet5-1998", dtype="float64", seed=2)
    for _, p, _ in net.named_params():  # β away from 1/4 and non-zero biases
        if p.ndim == 1:
            p[...] += rng.normal(scale=0.1, size=p.shape)
    start = {k: p.copy() for k, p, _ in net.named_params()}
    c3 = np.zeros((16, 6), dtype=bool)
    for j, ins in enumerate(LENET5_C3_TABLE):
        c3[j, ins] = True
    model = nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2, dtype=torch.float64),
        ScaledTanhModule(),
        SubsampleModule(6),
        ScaledTanhModule(),
        MaskedConv2d(6, 16, 5, c3),
        ScaledTanhModule(),
        SubsampleModule(16),
        ScaledTanhModule(),
        nn.Conv2d(16, 120, 5, dtype=torch.float64),
        ScaledTanhModule(),
        nn.Flatten(),
        nn.Linear(120, 84, dtype=torch.float64),
        ScaledTanhModule(),
        nn.Linear(84, 10, dtype=torch.float64),
        ScaledTanhModule(),
    )

    def squared_error(y, labels):
        t = -torch.ones_like(y)
        t[torch.arange(y.shape[0]), labels] = 1.0
        return 0.5 * ((y - t) ** 2).sum(1).mean()

    run_side_by_side(net, model, squared_error, steps=3, rng=rng, lr=0.1)
    assert all(not np.array_equal(start[k], p) for k, p, _ in net.named_params())
    # C3's absent connections are still exactly zero after training with weight decay
    assert not net.layers[4].params["weight"][~c3].any()
