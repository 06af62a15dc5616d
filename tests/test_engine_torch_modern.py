"""Batch norm, dropout, global average pooling and the optimisers against PyTorch, in float64.

Every layer's output, ∂E/∂input, parameter gradients and running statistics must equal torch's
for the same input, parameters and a random upstream gradient; every optimiser must follow its
``torch.optim`` counterpart step for step; and a whole network with batch norm and dropout
(with a mask held fixed) must train like the same network in torch, with every optimiser.
"""

from __future__ import annotations

import numpy as np
import pytest

from cnnviz.engine import (
    BatchNorm1D,
    BatchNorm2D,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    GlobalAvgPool,
    MaxPool2D,
    Network,
    ReLU,
    SoftmaxCrossEntropy,
    make_optimizer,
)

torch = pytest.importorskip("torch")
F = torch.nn.functional
nn = torch.nn

pytestmark = pytest.mark.torch

RTOL, ATOL = 1e-10, 1e-12


@pytest.fixture(autouse=True, scope="module")
def _single_threaded_torch():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def tt(a, grad: bool = False):
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=grad)


def assert_same(actual, expected, what: str, rtol=RTOL, atol=ATOL) -> None:
    if isinstance(expected, torch.Tensor):
        expected = expected.detach().numpy()
    actual = np.asarray(actual)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol, err_msg=what)


def batch_innermost(x: np.ndarray) -> np.ndarray:
    """The same values as (N, C, H, W) views of (C, H, W, N) memory, as a conv lays them out."""
    return np.ascontiguousarray(x.transpose(1, 2, 3, 0)).transpose(3, 0, 1, 2)


# ----------------------------------------------------------------------------- batch norm
BN_CASES = [
    pytest.param(BatchNorm2D, (4, 3, 5, 6), "c", 0.1, id="2d"),
    pytest.param(BatchNorm2D, (4, 3, 5, 6), "batch-innermost", 0.1, id="2d-conv-layout"),
    pytest.param(BatchNorm2D, (1, 2, 3, 3), "c", 0.3, id="2d-one-sample"),
    pytest.param(BatchNorm2D, (5, 4, 2, 3), "batch-innermost", None, id="2d-cumulative"),
    pytest.param(BatchNorm1D, (6, 5), "c", 0.1, id="1d"),
    pytest.param(BatchNorm1D, (7, 3), "f", None, id="1d-fortran-cumulative"),
]


def bn_input(shape, layout, rng):
    x = rng.normal(loc=2.0, scale=3.0, size=shape)
    if layout == "batch-innermost":
        return batch_innermost(x)
    if layout == "f":
        return np.asfortranarray(x)
    return x


def randomized_bn(cls, x, momentum, rng, steps_before=0):
    layer = cls(x.shape[1], momentum=momentum)
    layer.build(x.shape[1:], "float64")
    layer.params["weight"][...] = rng.normal(size=x.shape[1])
    layer.params["bias"][...] = rng.normal(size=x.shape[1])
    layer.state_buffers["running_mean"][...] = rng.normal(size=x.shape[1])
    layer.state_buffers["running_var"][...] = rng.uniform(0.5, 2.0, size=x.shape[1])
    layer.state_buffers["num_batches_tracked"][...] = steps_before
    return layer


def torch_bn(layer, cls):
    c = layer.num_features
    mod = (nn.BatchNorm2d if cls is BatchNorm2D else nn.BatchNorm1d)(
        c, eps=layer.eps, momentum=layer.momentum, dtype=torch.float64
    )
    with torch.no_grad():
        mod.weight.copy_(tt(layer.params["weight"]))
        mod.bias.copy_(tt(layer.params["bias"]))
        mod.running_mean.copy_(tt(layer.state_buffers["running_mean"]))
        mod.running_var.copy_(tt(layer.state_buffers["running_var"]))
        mod.num_batches_tracked.fill_(int(layer.state_buffers["num_batches_tracked"]))
    return mod


@pytest.mark.parametrize("cls, shape, layout, momentum", BN_CASES)
@pytest.mark.parametrize("training", [True, False], ids=["train", "eval"])
def test_batch_norm_matches_torch(cls, shape, layout, momentum, training, rng):
    x = bn_input(shape, layout, rng)
    layer = randomized_bn(cls, x, momentum, rng, steps_before=3)
    mod = torch_bn(layer, cls)
    layer.training = training
    mod.train(training)
    y = layer.forward(x)
    g = rng.normal(size=y.shape)
    dx = layer.backward(g)
    xt = tt(x, grad=True)
    yt = mod(xt)
    yt.backward(tt(g))
    what = f"{layer.describe()} {'train' if training else 'eval'}"
    assert_same(y, yt, f"{what}: forward")
    assert_same(dx, xt.grad, f"{what}: ∂E/∂x")
    assert_same(layer.grads["weight"], mod.weight.grad, f"{what}: ∂E/∂γ")
    assert_same(layer.grads["bias"], mod.bias.grad, f"{what}: ∂E/∂β")
    for k in ("running_mean", "running_var"):
        assert_same(layer.state_buffers[k], getattr(mod, k), f"{what}: {k}")
    assert int(layer.state_buffers["num_batches_tracked"]) == int(mod.num_batches_tracked)


@pytest.mark.parametrize("cls, shape, layout, momentum", BN_CASES[:5])
def test_batch_norm_running_statistics_follow_torch_over_batches(cls, shape, layout, momentum, rng):
    layer = randomized_bn(cls, bn_input(shape, layout, rng), momentum, rng)
    mod = torch_bn(layer, cls)
    for _ in range(4):
        x = bn_input(shape, layout, rng)
        layer.forward(x)
        mod(tt(x))
    for k in ("running_mean", "running_var"):
        assert_same(layer.state_buffers[k], getattr(mod, k), k)
    layer.training = False
    mod.eval()
    x = bn_input(shape, layout, rng)
    assert_same(layer.forward(x), mod(tt(x)), "evaluation with the running statistics")


# ----------------------------------------------------------------------------- dropout
@pytest.mark.parametrize("p", [0.5, 0.2, 0.9])
@pytest.mark.parametrize("shape", [(4, 3, 5, 6), (6, 7)], ids=["maps", "vectors"])
def test_dropout_with_torchs_mask_matches_torch(p, shape, rng):
    """torch's own dropout, its mask read off by dropping a tensor of ones with the same seed,
    given to the engine's layer: output and ∂E/∂x must agree."""
    torch.manual_seed(7)
    mask = (F.dropout(torch.ones(shape, dtype=torch.float64), p, training=True) != 0).numpy()
    x = rng.normal(size=shape)
    layer = Dropout(p)
    layer.build(shape[1:], "float64")
    layer.hold_mask(mask)
    y = layer.forward(x)
    g = rng.normal(size=shape)
    dx = layer.backward(g)
    torch.manual_seed(7)
    xt = tt(x, grad=True)
    yt = F.dropout(xt, p, training=True)
    yt.backward(tt(g))
    assert_same(y, yt, "dropout: forward", rtol=0, atol=0)  # bit for bit
    assert_same(dx, xt.grad, "dropout: ∂E/∂x", rtol=0, atol=0)
    np.testing.assert_array_equal(layer.keep_mask, mask)


def test_dropout_in_evaluation_mode_is_torchs_identity(rng):
    x = rng.normal(size=(3, 4))
    layer = Dropout(0.5)
    layer.build((4,), "float64")
    layer.training = False
    np.testing.assert_array_equal(layer.forward(x), nn.Dropout(0.5).eval()(tt(x)).numpy())


# ----------------------------------------------------------------------------- global pool
@pytest.mark.parametrize("shape", [(3, 4, 5, 6), (2, 1, 1, 1), (2, 3, 7, 2)])
@pytest.mark.parametrize("layout", ["c", "batch-innermost"])
def test_global_avg_pool_matches_adaptive_avg_pool(shape, layout, rng):
    x = rng.normal(size=shape)
    if layout == "batch-innermost":
        x = batch_innermost(x)
    layer = GlobalAvgPool()
    layer.build(shape[1:], "float64")
    y = layer.forward(x)
    g = rng.normal(size=y.shape)
    dx = layer.backward(g)
    xt = tt(x, grad=True)
    yt = F.adaptive_avg_pool2d(xt, 1)
    yt.backward(tt(g))
    assert_same(y, yt, "global avg pool: forward")
    assert_same(dx, xt.grad, "global avg pool: ∂E/∂x")


# ----------------------------------------------------------------------------- optimisers
OPTIMIZER_CASES = [
    # (engine name, engine options, torch class, torch options)
    ("sgd", {"lr": 0.1}, "SGD", {"lr": 0.1}),
    ("sgd", {"lr": 0.1, "momentum": 0.9, "weight_decay": 1e-2}, "SGD",
     {"lr": 0.1, "momentum": 0.9, "weight_decay": 1e-2}),
    ("nesterov", {"lr": 0.1}, "SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    ("nesterov", {"lr": 0.05, "momentum": 0.8, "weight_decay": 1e-2}, "SGD",
     {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weight_decay": 1e-2}),
    ("adam", {}, "Adam", {}),
    ("adam", {"lr": 1e-2, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 1e-2}, "Adam",
     {"lr": 1e-2, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 1e-2}),
    ("adam", {"lr": 1e-2, "amsgrad": True}, "Adam", {"lr": 1e-2, "amsgrad": True}),
    ("adamw", {}, "AdamW", {}),
    ("adamw", {"lr": 1e-2, "weight_decay": 0.1}, "AdamW", {"lr": 1e-2, "weight_decay": 0.1}),
    ("rmsprop", {}, "RMSprop", {}),
    ("rmsprop", {"lr": 1e-3, "weight_decay": 1e-2}, "RMSprop", {"lr": 1e-3, "weight_decay": 1e-2}),
    ("rmsprop", {"lr": 1e-3, "momentum": 0.9, "centered": True}, "RMSprop",
     {"lr": 1e-3, "momentum": 0.9, "centered": True}),
    ("adagrad", {}, "Adagrad", {}),
    ("adagrad", {"lr": 0.1, "weight_decay": 1e-2, "lr_decay": 0.01,
                 "initial_accumulator_value": 0.1}, "Adagrad",
     {"lr": 0.1, "weight_decay": 1e-2, "lr_decay": 0.01, "initial_accumulator_value": 0.1}),
]  # fmt: skip
OPTIMIZER_IDS = [f"{c[0]}-{i}" for i, c in enumerate(OPTIMIZER_CASES)]


@pytest.mark.parametrize("name, options, torch_name, torch_options", OPTIMIZER_CASES,
                         ids=OPTIMIZER_IDS)  # fmt: skip
def test_optimizer_follows_torch_step_for_step(name, options, torch_name, torch_options, rng):
    shapes = [(3, 4), (5,), (2, 1, 3, 3)]
    ps = [rng.normal(size=s) for s in shapes]
    gs = [np.zeros(s) for s in shapes]
    named = [(f"p{i}", p, g) for i, (p, g) in enumerate(zip(ps, gs, strict=True))]
    opt = make_optimizer(name, named, **options)
    tps = [torch.nn.Parameter(tt(p)) for p in ps]
    topt = getattr(torch.optim, torch_name)(tps, **torch_options)
    for step in range(6):
        for g, tp in zip(gs, tps, strict=True):
            g[...] = rng.normal(size=g.shape) * (10.0 if step == 3 else 1.0)
            tp.grad = tt(g)
        opt.step()
        topt.step()
        for i, (p, tp) in enumerate(zip(ps, tps, strict=True)):
            assert_same(p, tp, f"{name} p{i} step {step}")
    state = opt.state_dict()
    for i, tp in enumerate(tps):  # the state keeps torch's names and values
        for slot, value in topt.state[tp].items():
            if slot == "step":
                assert state.get("step", opt.t) == int(value)
            elif name in ("sgd", "nesterov"):
                assert_same(state[f"p{i}"], value, f"p{i} {slot}")
            else:
                assert_same(state[f"p{i}.{slot}"], value, f"p{i} {slot}")


# ----------------------------------------------------------------------------- networks
class HeldDropout(nn.Module):
    """Dropout with a mask given from outside (the engine's held mask)."""

    def __init__(self, p: float):
        super().__init__()
        self.p = p
        self.mask = None

    def forward(self, x):
        if not self.training:
            return x
        return x * torch.tensor(self.mask, dtype=torch.float64) / (1 - self.p)


def modern_net(seed=3):
    """conv → BN → ReLU → max-pool → conv → BN → ReLU → global avg pool → dense → BN → ReLU
    → dropout → dense. The layers before batch norm have no bias: batch norm subtracts it again,
    its gradient is zero up to round-off, and Adam would blow that round-off up to whole steps."""
    layers = [
        Conv2D(2, 4, 3, padding=1, bias=False, name="C1"),
        BatchNorm2D(4, name="C1.bn"),
        ReLU(name="C1.relu"),
        MaxPool2D(2, name="S2"),
        Conv2D(4, 6, 3, padding=1, bias=False, name="C3"),
        BatchNorm2D(6, momentum=0.2, name="C3.bn"),
        ReLU(name="C3.relu"),
        GlobalAvgPool(name="S4"),
        Flatten(name="flatten"),
        Dense(6, 8, bias=False, name="F5"),
        BatchNorm1D(8, name="F5.bn"),
        ReLU(name="F5.relu"),
        Dropout(0.4, name="F5.dropout"),
        Dense(8, 3, name="F6"),
    ]
    return Network(layers, (2, 8, 8), SoftmaxCrossEntropy(), dtype="float64", seed=seed)


def torch_modern_net():
    d = torch.float64
    return nn.Sequential(
        nn.Conv2d(2, 4, 3, padding=1, bias=False, dtype=d),
        nn.BatchNorm2d(4, dtype=d),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(4, 6, 3, padding=1, bias=False, dtype=d),
        nn.BatchNorm2d(6, momentum=0.2, dtype=d),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(6, 8, bias=False, dtype=d),
        nn.BatchNorm1d(8, dtype=d),
        nn.ReLU(),
        HeldDropout(0.4),
        nn.Linear(8, 3, dtype=d),
    )


NET_OPTIMIZERS = [
    ("sgd", {"lr": 0.05, "momentum": 0.9, "weight_decay": 5e-4}, "SGD",
     {"lr": 0.05, "momentum": 0.9, "weight_decay": 5e-4}),
    ("nesterov", {"lr": 0.05, "weight_decay": 5e-4}, "SGD",
     {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 5e-4}),
    ("adam", {"lr": 1e-2}, "Adam", {"lr": 1e-2}),
    ("adamw", {"lr": 1e-2}, "AdamW", {"lr": 1e-2}),
    ("rmsprop", {"lr": 1e-3}, "RMSprop", {"lr": 1e-3}),
    ("adagrad", {"lr": 0.05}, "Adagrad", {"lr": 0.05}),
]  # fmt: skip


@pytest.mark.parametrize("name, options, torch_name, torch_options", NET_OPTIMIZERS,
                         ids=[c[0] for c in NET_OPTIMIZERS])  # fmt: skip
def test_network_with_batch_norm_and_dropout_trains_like_torch(
    name, options, torch_name, torch_options, rng
):
    net = modern_net()
    for _, p, _ in net.named_params():  # γ, β and biases away from 1 and 0
        if p.ndim == 1:
            p[...] += rng.normal(scale=0.1, size=p.shape)
    model = torch_modern_net()
    ours, theirs = net.named_params(), list(model.parameters())
    assert [p.shape for _, p, _ in ours] == [tuple(t.shape) for t in theirs]
    with torch.no_grad():
        for (_, p, _), t in zip(ours, theirs, strict=True):
            t.copy_(torch.from_numpy(p))
    buffers = dict(net.named_buffers())
    torch_buffers = dict(model.named_buffers())
    index = {layer.name: str(i) for i, layer in enumerate(net.layers)}

    def torch_key(key):
        layer, attr = key.rsplit(".", 1)
        return f"{index[layer]}.{attr}"

    assert {torch_key(k) for k in buffers} == set(torch_buffers)
    opt = make_optimizer(name, net.named_params(), **options)
    topt = getattr(torch.optim, torch_name)(model.parameters(), **torch_options)
    dropout = net.layers[12]
    for step in range(4):
        x = rng.normal(size=(6, 2, 8, 8))
        labels = rng.integers(0, 3, size=6)
        mask = rng.random((6, 8)) >= dropout.p
        dropout.hold_mask(mask)
        model[12].mask = mask
        result = net.train_step(x, labels, opt)
        topt.zero_grad()
        loss = F.cross_entropy(model(tt(x)), torch.tensor(labels))
        loss.backward()
        topt.step()
        np.testing.assert_allclose(result.loss, loss.item(), rtol=1e-10, err_msg=f"step {step}")
        for (key, p, _), t in zip(net.named_params(), theirs, strict=True):
            assert_same(p, t, f"{key} step {step}", rtol=1e-9, atol=1e-12)
        for key, b in buffers.items():
            assert_same(b, torch_buffers[torch_key(key)], f"{key} step {step}", rtol=1e-9)
    x = rng.normal(size=(5, 2, 8, 8))
    model.eval()
    scores = net.infer(x)
    assert net.training  # infer leaves the mode as it was
    assert_same(scores, model(tt(x)), "evaluation-mode scores", rtol=1e-9, atol=1e-12)
