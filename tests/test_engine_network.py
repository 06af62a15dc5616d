"""The Network: dtypes, seeded initialisation, the steppable training step and its trace."""

from __future__ import annotations

import numpy as np
import pytest

from cnnviz.engine import (
    SGD,
    Activation,
    Conv2D,
    Dense,
    Flatten,
    MaxPool2D,
    Network,
    Phase,
    ReLU,
    SoftmaxCrossEntropy,
)
from cnnviz.errors import CnnvizError
from cnnviz.training.architectures import ArchitectureError, build_network, preset_names


def trace_items(net):
    """``(layer name, attribute, value)`` for every trace attribute of every layer."""
    for layer in net.layers:
        for attr in layer.trace_attrs:
            yield layer.name, attr, getattr(layer, attr)


def snapshot(net, opt=None):
    """Copies of everything a step produces: parameters, gradients, trace, optimiser state."""
    snap = {}
    for key, p, g in net.named_params():
        snap[f"param {key}"] = p.copy()
        snap[f"grad {key}"] = g.copy()
    for name, attr, v in trace_items(net):
        snap[f"trace {name}.{attr}"] = None if v is None else v.copy()
    if opt is not None:
        for key, v in opt.velocity.items():
            snap[f"velocity {key}"] = v.copy()
    return snap


def assert_bit_identical(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for k in a:
        if a[k] is None or b[k] is None:
            assert a[k] is None and b[k] is None, k
        else:
            assert a[k].dtype == b[k].dtype, k
            np.testing.assert_array_equal(a[k], b[k], err_msg=k)


def small_net(input_grad=False, dtype="float64"):
    """A network whose first layer has no parameters: max-pool, conv, relu, flatten, dense."""
    layers = [
        MaxPool2D(2, name="S0"),
        Conv2D(2, 3, 3, name="C1"),
        ReLU(name="C1.relu"),
        Flatten(),
        Dense(12, 4, name="F2"),
    ]
    return Network(layers, (2, 8, 8), SoftmaxCrossEntropy(), dtype=dtype, input_grad=input_grad)


# ----------------------------------------------------------------------------- dtype
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("arch", ["lenet5", "lenet5-1998", "every-layer"])
def test_every_trace_array_and_gradient_keeps_the_network_dtype(arch, dtype, make_batch):
    net = build_network(arch, dtype=dtype, seed=0)
    want = np.dtype(dtype)
    x, labels = make_batch(net, n=3)
    x = x.astype(np.float64)  # a float32 network casts float64 input on entry
    opt = SGD(net.named_params(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    net.train_step(x, labels, opt)
    scores = net.infer(x)
    checked = 0
    for name, attr, v in trace_items(net):
        if v is None:
            continue
        if attr == "argmax":
            assert np.issubdtype(v.dtype, np.integer), f"{name}.argmax"
            continue
        assert v.dtype == want, f"{name}.{attr} is {v.dtype}"
        checked += 1
    assert checked >= 4 * len(net.layers) - 1  # x, y, dy everywhere, dx but for layer 0
    for key, p, g in net.named_params():
        assert p.dtype == want and g.dtype == want, key
        assert opt.velocity[key].dtype == want, key
    assert net.loss.dy.dtype == want
    assert net.loss.probabilities().dtype == want
    assert scores.dtype == want
    assert net.layers[0].x.dtype == want


def test_float32_network_casts_float64_input_on_entry(make_batch):
    net = build_network("tiny", dtype="float32")
    x, labels = make_batch(net)
    x64 = x.astype(np.float64)
    step = net.begin_step(x64, labels)
    assert step.x.dtype == np.float32
    np.testing.assert_array_equal(step.x, x64.astype(np.float32))
    step.run()
    assert net.layers[0].x.dtype == np.float32
    assert net.forward(x64).dtype == np.float32


def test_network_rejects_other_dtypes():
    with pytest.raises(ValueError, match="float32 or float64, got float16"):
        small_net(dtype="float16")
    with pytest.raises(ArchitectureError, match="tiny: .*float32 or float64, got float16"):
        build_network("tiny", dtype="float16")


# ----------------------------------------------------------------------------- seeded init
@pytest.mark.parametrize("arch", preset_names())
def test_same_seed_gives_bit_identical_parameters(arch):
    a = build_network(arch, dtype="float64", seed=5).state_dict()
    b = build_network(arch, dtype="float64", seed=5).state_dict()
    c = build_network(arch, dtype="float64", seed=6).state_dict()
    f32 = build_network(arch, dtype="float32", seed=5).state_dict()
    assert a.keys() == b.keys() == c.keys()
    for k in a:
        np.testing.assert_array_equal(a[k], b[k], err_msg=k)
        # draws are made in float64 and cast, so float32 is the same network rounded
        np.testing.assert_array_equal(f32[k], a[k].astype(np.float32), err_msg=k)
        if k.endswith(".weight") and ".bn." not in k:  # batch norm's γ starts at 1
            assert not np.array_equal(a[k], c[k]), k


def test_reinitialize_equals_a_fresh_network(make_batch):
    net = build_network("lenet5-1998", dtype="float64", seed=0)
    x, labels = make_batch(net, n=2)
    net.train_step(x, labels, SGD(net.named_params(), lr=0.1))
    net.reinitialize(seed=9)
    fresh = build_network("lenet5-1998", dtype="float64", seed=9).state_dict()
    for k, p, g in net.named_params():
        np.testing.assert_array_equal(p, fresh[k], err_msg=k)
        assert not g.any(), k
    assert all(v is None for _, _, v in trace_items(net))
    assert net.seed == 9
    net.train_step(x, labels, None)
    net.reinitialize()  # the same seed again
    for k, p, _ in net.named_params():
        np.testing.assert_array_equal(p, fresh[k], err_msg=k)


# ----------------------------------------------------------------------------- phases
def expected_phases(net, lowest):
    n = len(net.layers)
    return [
        *(Phase("forward", i) for i in range(n)),
        Phase("loss"),
        *(Phase("backward", i) for i in range(n - 1, lowest - 1, -1)),
        Phase("update"),
    ]


def test_phases_follow_the_documented_order():
    net = build_network("lenet5", dtype="float64")
    assert net.phases() == expected_phases(net, 0)
    assert net.phases(update=False) == expected_phases(net, 0)[:-1]
    net = small_net()
    assert net.first_trainable == 1
    assert net.phases() == expected_phases(net, 1)  # nothing needs backward through S0
    assert small_net(input_grad=True).phases() == expected_phases(net, 0)


@pytest.mark.parametrize("arch", ["lenet5", "lenet5-1998"])
def test_stepping_phase_by_phase_equals_running_at_once(arch, make_batch):
    at_once = build_network(arch, dtype="float64", seed=4)
    stepped = build_network(arch, dtype="float64", seed=4)
    opt_a = SGD(at_once.named_params(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    opt_b = SGD(stepped.named_params(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    for s in range(3):
        x, labels = make_batch(at_once, n=3, seed=s)
        ra = at_once.train_step(x, labels, opt_a)
        step = stepped.begin_step(x, labels, opt_b)
        seen = []
        while not step.done:
            assert step.next_phase == step.phases[len(seen)]
            seen.append(step.advance())
            assert step.last_phase == seen[-1]
        assert seen == expected_phases(stepped, 0)
        rb = step.result()
        assert ra == rb  # loss, correct count and batch size
        assert_bit_identical(snapshot(at_once, opt_a), snapshot(stepped, opt_b))
    with pytest.raises(RuntimeError, match="complete"):
        step.advance()


def test_trace_so_far_is_readable_between_phases(make_batch):
    net = build_network("lenet5", dtype="float64", seed=0)
    n = len(net.layers)
    x, labels = make_batch(net, n=2)
    opt = SGD(net.named_params(), lr=0.1, momentum=0.9)
    step = net.begin_step(x, labels, opt)
    for k in range(n):  # a fresh network: nothing past the phase just run
        assert step.advance() == Phase("forward", k)
        assert [layer.y is not None for layer in net.layers] == [j <= k for j in range(n)]
        assert net.layers[k].x is (step.x if k == 0 else net.layers[k - 1].y)
    assert step.advance() == Phase("loss")
    assert step.loss == net.loss.value and np.isfinite(step.loss)
    assert net.layers[-1].dy is None  # the loss phase computes E, not yet δ
    assert step.advance() == Phase("backward", n - 1)
    assert net.layers[-1].dy is net.loss.dy and net.layers[-1].dx is not None
    assert all(layer.dy is None for layer in net.layers[:-1])
    params_before = {k: p.copy() for k, p, _ in net.named_params()}
    for i in range(n - 2, -1, -1):
        assert step.advance() == Phase("backward", i)
        assert net.layers[i].dy is net.layers[i + 1].dx
        assert all(layer.dy is None for layer in net.layers[:i])
    grads = {k: g.copy() for k, _, g in net.named_params()}
    for k, p, _ in net.named_params():  # no parameter moves before the update phase
        np.testing.assert_array_equal(p, params_before[k])
    assert step.advance() == Phase("update")
    for k, p, g in net.named_params():
        np.testing.assert_array_equal(g, grads[k])
        np.testing.assert_allclose(p - params_before[k], opt.update(k), rtol=1e-12, atol=1e-15)
        assert not np.array_equal(p, params_before[k]), k

    # A second step: layers not yet reached still show the previous step's trace.
    previous = [layer.save_trace() for layer in net.layers]
    x2, labels2 = make_batch(net, n=2, seed=1)
    step = net.begin_step(x2, labels2, opt)
    for k in range(n - 1):
        step.advance()
        assert net.layers[k + 1].y is previous[k + 1][1]
        assert net.layers[k].y is not previous[k][1]


def test_first_layer_computes_no_input_gradient_unless_asked(make_batch):
    net = build_network("lenet5", dtype="float64")
    x, labels = make_batch(net)
    net.train_step(x, labels, None)
    assert net.layers[0].dx is None
    assert net.layers[1].dx is not None
    net.input_grad = True
    net.train_step(x, labels, None)
    assert net.layers[0].dx is not None and net.layers[0].dx.shape == x.shape
    assert np.abs(net.layers[0].dx).max() > 0

    net = small_net()  # the first trainable layer is C1 (index 1): S0 is not run backward
    x, labels = make_batch(net)
    net.train_step(x, labels, None)
    assert net.layers[1].dx is None and net.layers[0].dy is None and net.layers[0].dx is None
    net = small_net(input_grad=True)
    net.train_step(x, labels, None)
    assert net.layers[0].dx.shape == x.shape


# ----------------------------------------------------------------------------- trace
def test_trace_is_references_not_copies(make_batch):
    net = build_network("lenet5", dtype="float64")
    x, labels = make_batch(net, n=3)
    net.train_step(x, labels, None)
    layers = net.layers
    assert layers[0].x is x  # float64 input to a float64 network: not even a cast
    for i in range(len(layers) - 1):
        assert layers[i + 1].x is layers[i].y, layers[i + 1].name
        if layers[i + 1].dx is not None:
            assert layers[i].dy is layers[i + 1].dx, layers[i].name
    for i, layer in enumerate(layers):
        if isinstance(layer, Activation) and isinstance(layers[i - 1], Conv2D | Dense):
            assert layer.x is layers[i - 1].y  # net input u of the activation = conv's output
    flat = next(layer for layer in layers if isinstance(layer, Flatten))
    assert np.shares_memory(flat.y, flat.x)
    assert np.shares_memory(flat.dx, flat.dy)
    assert layers[-1].dy is net.loss.dy


def test_infer_leaves_the_trace_untouched_and_matches_forward(make_batch):
    net = build_network("lenet5-1998", dtype="float64")
    x, labels = make_batch(net, n=4)
    net.train_step(x, labels, None)
    before_refs = [layer.save_trace() for layer in net.layers]
    before = snapshot(net)
    loss_value = net.loss.value
    other, _ = make_batch(net, n=5, seed=3)
    scores = net.infer(other)
    scores_chunked = net.infer(other, batch_size=2)
    after_refs = [layer.save_trace() for layer in net.layers]
    for a, b in zip(before_refs, after_refs, strict=True):
        assert all(u is v for u, v in zip(a, b, strict=True))
    assert_bit_identical(before, snapshot(net))
    assert net.loss.value == loss_value
    expected = net.forward(other)
    np.testing.assert_array_equal(scores, expected)
    np.testing.assert_allclose(scores_chunked, expected, rtol=1e-12, atol=1e-14)
    assert scores.shape == (5, 10)


def test_loaded_weights_cannot_connect_maps_the_table_keeps_apart(rng, make_batch):
    """A masked PyTorch conv (weight * mask) keeps non-zero raw weights at absent connections.
    Loading them must not make those connections real: either the load refuses them, naming
    the layer, or they have no effect (C3's map 0 reads S2's maps 0, 1, 2 only)."""
    net = build_network("lenet5-1998", dtype="float64")
    state = {k: p.copy() for k, p in net.state_dict().items()}
    state["C3.weight"] = rng.normal(size=state["C3.weight"].shape)
    try:
        net.load_state_dict(state)
    except ValueError as exc:
        assert "C3" in str(exc)
        return
    c3 = net.layers[4]
    assert c3.name == "C3" and list(np.flatnonzero(c3.mask[0])) == [0, 1, 2]
    x, _ = make_batch(net, n=2)
    net.forward(x)
    inp = c3.x.copy()
    before = c3.forward(inp)[:, 0].copy()
    inp[:, 3:] += 1.0  # maps C3's map 0 is not connected to
    np.testing.assert_array_equal(c3.forward(inp)[:, 0], before)


# ----------------------------------------------------------------------------- bad input
def test_network_input_must_be_finite_and_of_the_right_shape(make_batch):
    net = build_network("tiny", dtype="float64")
    x, labels = make_batch(net, n=2)
    bad = x.copy()
    bad[1, 0, 3, 4] = np.nan
    with pytest.raises(ValueError, match=r"network input \(2, 1, 28, 28\).*NaN"):
        net.train_step(bad, labels, None)
    bad[1, 0, 3, 4] = np.inf
    with pytest.raises(ValueError, match="NaN or infinite"):
        net.forward(bad)
    with pytest.raises(ValueError, match="NaN or infinite"):
        net.infer(bad)
    with pytest.raises(ValueError, match=r"expected \(N, 1×28×28\), got \(2, 28, 28\)"):
        net.forward(x[:, 0])
    with pytest.raises(ValueError, match=r"expected \(N, 1×28×28\), got \(2, 28, 28, 1\)"):
        net.forward(x.transpose(0, 2, 3, 1))
    # a float32 network: a value too large for float32 becomes inf on the cast
    net32 = build_network("tiny", dtype="float32")
    big = x.copy()
    big[0, 0, 0, 0] = 1e300
    with pytest.raises(ValueError, match="NaN or infinite"), np.errstate(over="ignore"):
        net32.forward(big)


def test_labels_of_the_wrong_length_or_out_of_range(make_batch):
    net = build_network("tiny", dtype="float64")
    x, labels = make_batch(net, n=3)
    with pytest.raises(ValueError, match=r"expected 3 labels.*\(2,\)"):
        net.begin_step(x, labels[:2])
    with pytest.raises(ValueError, match=r"expected 3 labels.*\(3, 1\)"):
        net.train_step(x, labels[:, None], None)
    for bad in ([0, 1, 10], [-1, 0, 0]):
        with pytest.raises(ValueError, match=r"labels must lie in 0\.\.9"):
            net.train_step(x, np.array(bad), None)


def test_dense_after_conv_without_flatten_is_an_architecture_error():
    spec = {
        "name": "no-flatten",
        "input_shape": [1, 12, 12],
        "layers": [
            {"type": "conv", "out_channels": 4, "kernel_size": 3},
            {"type": "relu"},
            {"type": "dense", "out_features": "classes"},
        ],
    }
    with pytest.raises(ArchitectureError, match=r"layer F2 \(dense, #3\).*4×10×10.*flatten"):
        build_network(spec)
    assert issubclass(ArchitectureError, CnnvizError)


def test_shape_errors_in_a_preset_name_the_layer():
    # 8×8 input: C1 (pad 2) keeps 8×8, S2 halves it, C3's 5×5 kernel no longer fits
    with pytest.raises(ArchitectureError, match=r"layer C3 \(conv.*kernel 5×5.*4×4"):
        build_network("lenet5", input_shape=(1, 8, 8))
    # 30×30 input: S4 would have to halve an 11×11 map
    with pytest.raises(ArchitectureError, match=r"layer S4 \(subsample.*11×11.*whole number"):
        build_network("lenet5-1998", input_shape=(1, 30, 30))
    with pytest.raises(CnnvizError, match="unknown architecture 'lenet6'"):
        build_network("lenet6")
