"""Batch norm, dropout, global average pooling, the network's modes and state buffers, the
named initialisations, and the optimisers within a network, with NumPy only (the PyTorch
comparison is in test_engine_torch_modern.py; the optimisers alone in test_engine_optimizers.py)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cnnviz.engine import (
    INIT_SCHEMES,
    OPTIMIZER_NAMES,
    SGD,
    Adam,
    AdamW,
    BatchNorm1D,
    BatchNorm2D,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    GlobalAvgPool,
    Init,
    MaxPool2D,
    Network,
    ReLU,
    SoftmaxCrossEntropy,
    Tanh,
    batch_norm,
    gradient_check,
    make_optimizer,
)

TOL = 1e-6


def built(layer, in_shape, dtype="float64"):
    layer.build(in_shape, dtype, np.random.default_rng(0))
    return layer


def batch_innermost(x):
    return np.ascontiguousarray(x.transpose(1, 2, 3, 0)).transpose(3, 0, 1, 2)


def modern_net(dtype="float64", seed=0, keep_trace=True, p=0.5):
    layers = [
        Conv2D(1, 3, 3, padding=1, bias=False, name="C1"),
        BatchNorm2D(3, name="C1.bn"),
        ReLU(name="C1.relu"),
        MaxPool2D(2, name="S2"),
        Flatten(name="flatten"),
        Dense(48, 10, bias=False, name="F3"),
        BatchNorm1D(10, name="F3.bn"),
        ReLU(name="F3.relu"),
        Dropout(p, name="F3.dropout"),
        Dense(10, 4, name="F4"),
    ]
    return Network(
        layers, (1, 8, 8), SoftmaxCrossEntropy(), dtype=dtype, seed=seed, keep_trace=keep_trace
    )


def batch(n=6, seed=0, dtype="float64"):
    r = np.random.default_rng(seed)
    return r.normal(size=(n, 1, 8, 8)).astype(dtype), r.integers(0, 4, size=n)


# ----------------------------------------------------------------------------- batch norm
@pytest.mark.parametrize("layout", ["c", "batch-innermost"])
def test_batch_norm_2d_normalises_each_channel_and_keeps_every_intermediate(layout, rng):
    x = rng.normal(loc=3.0, scale=2.0, size=(5, 3, 4, 6))
    if layout == "batch-innermost":
        x = batch_innermost(x)
    bn = built(BatchNorm2D(3), (3, 4, 6))
    bn.params["weight"][...] = [2.0, -1.0, 0.5]
    bn.params["bias"][...] = [1.0, 0.0, -3.0]
    y = bn.forward(x)
    mu = x.mean(axis=(0, 2, 3))
    var = x.var(axis=(0, 2, 3))
    np.testing.assert_allclose(bn.mean, mu, rtol=1e-13)
    np.testing.assert_allclose(bn.var, var, rtol=1e-12)
    np.testing.assert_allclose(bn.inv_std, 1 / np.sqrt(var + 1e-5), rtol=1e-12)
    xhat = (x - mu[:, None, None]) / np.sqrt(var[:, None, None] + 1e-5)
    np.testing.assert_allclose(bn.xhat, xhat, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(bn.xhat.mean(axis=(0, 2, 3)), 0, atol=1e-12)
    np.testing.assert_allclose(bn.xhat.var(axis=(0, 2, 3)), 1 / (1 + 1e-5 / var), rtol=1e-10)
    g = bn.params["weight"][:, None, None]
    np.testing.assert_allclose(bn.gamma_xhat, g * xhat, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(y, g * xhat + bn.params["bias"][:, None, None], rtol=1e-12)
    assert bn.batch_stats and y.shape == x.shape
    # running statistics: α = 0.1, unbiased variance (m = N·H·W = 120 values per channel)
    m = 5 * 4 * 6
    np.testing.assert_allclose(bn.state_buffers["running_mean"], 0.1 * mu, rtol=1e-12)
    np.testing.assert_allclose(
        bn.state_buffers["running_var"], 0.9 + 0.1 * var * m / (m - 1), rtol=1e-12
    )
    assert int(bn.state_buffers["num_batches_tracked"]) == 1


def long_form_batch_norm_backward(x, gamma, dy, eps, axes):
    """∂E/∂x through x̂, σ² and μ one after the other (the computational-graph derivation),
    against which the compact rule is checked."""
    m = np.prod([x.shape[a] for a in axes])
    keep = lambda v: np.expand_dims(v, axes)  # noqa: E731
    mu = keep(x.mean(axis=axes))
    var = keep(x.var(axis=axes))
    gamma = keep(gamma)
    dxhat = dy * gamma
    dvar = (dxhat * (x - mu) * -0.5 * (var + eps) ** -1.5).sum(axis=axes, keepdims=True)
    dmu = (-dxhat / np.sqrt(var + eps)).sum(axis=axes, keepdims=True) + dvar * (-2 * (x - mu)).mean(
        axis=axes, keepdims=True
    )
    return dxhat / np.sqrt(var + eps) + dvar * 2 * (x - mu) / m + dmu / m


@pytest.mark.parametrize(
    "make, shape, axes",
    [
        (lambda: BatchNorm2D(3), (4, 3, 5, 2), (0, 2, 3)),
        (lambda: BatchNorm1D(7), (6, 7), (0,)),
    ],
    ids=["2d", "1d"],
)
def test_batch_norm_backward_equals_the_long_form_derivation(make, shape, axes, rng):
    x = rng.normal(size=shape)
    bn = built(make(), shape[1:])
    bn.params["weight"][...] = rng.normal(size=shape[1])
    bn.forward(x)
    dy = rng.normal(size=shape)
    dx = bn.backward(dy)
    ref = long_form_batch_norm_backward(x, bn.params["weight"], dy, bn.eps, axes)
    np.testing.assert_allclose(dx, ref, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(bn.grads["bias"], dy.sum(axis=axes), rtol=1e-12)
    np.testing.assert_allclose(bn.grads["weight"], (dy * bn.xhat).sum(axis=axes), rtol=1e-12)
    # δ through the normalisation sums to zero per channel: shifting x changes nothing
    np.testing.assert_allclose(dx.sum(axis=axes), 0, atol=1e-12)


def test_batch_norm_in_evaluation_mode_uses_the_running_statistics(rng):
    bn = built(BatchNorm1D(3), (3,))
    bn.state_buffers["running_mean"][...] = [1.0, -2.0, 0.0]
    bn.state_buffers["running_var"][...] = [4.0, 1.0, 0.25]
    bn.training = False
    x = rng.normal(size=(2, 3))
    y = bn.forward(x)
    ref = (x - [1.0, -2.0, 0.0]) / np.sqrt(np.array([4.0, 1.0, 0.25]) + 1e-5)
    np.testing.assert_allclose(y, ref, rtol=1e-13)
    assert not bn.batch_stats
    np.testing.assert_array_equal(bn.mean, [1.0, -2.0, 0.0])
    assert int(bn.state_buffers["num_batches_tracked"]) == 0  # nothing updated
    dy = rng.normal(size=(2, 3))
    np.testing.assert_allclose(bn.backward(dy), dy * bn.inv_std, rtol=1e-14)
    # a batch of one is fine in evaluation mode, not in training mode
    bn.forward(x[:1])
    bn.training = True
    with pytest.raises(ValueError, match=r"batchnorm1d.*more than one value per channel"):
        bn.forward(x[:1])


def test_batch_norm_cumulative_average_without_momentum(rng):
    bn = built(BatchNorm1D(2, momentum=None), (2,))
    means = []
    for _ in range(3):
        x = rng.normal(size=(4, 2))
        bn.forward(x)
        means.append(x.mean(axis=0))
    np.testing.assert_allclose(bn.state_buffers["running_mean"], np.mean(means, axis=0))


def test_batch_norm_checks_its_shape_and_options():
    with pytest.raises(ValueError, match="expects 4 channels, got 3"):
        built(BatchNorm2D(4), (3, 5, 5))
    with pytest.raises(ValueError, match="BatchNorm1D is for vectors"):
        built(BatchNorm2D(4), (4,))
    with pytest.raises(ValueError, match="BatchNorm2D is for maps"):
        built(BatchNorm1D(4), (4, 2, 2))
    with pytest.raises(ValueError, match="momentum"):
        BatchNorm1D(3, momentum=1.5)
    with pytest.raises(ValueError, match="eps"):
        BatchNorm1D(3, eps=0)
    assert isinstance(batch_norm((3, 5, 5), name="C1.bn"), BatchNorm2D)
    assert isinstance(batch_norm((7,)), BatchNorm1D)
    with pytest.raises(ValueError, match="maps or"):
        batch_norm((2, 3))


# ----------------------------------------------------------------------------- dropout
def test_dropout_scales_the_kept_values_and_routes_delta_through_the_mask(rng):
    d = built(Dropout(0.25), (50, 40))
    x = rng.normal(size=(4, 50, 40))
    y = d.forward(x)
    assert d.keep_mask.dtype == bool and d.keep_mask.shape == x.shape
    assert abs(d.keep_mask.mean() - 0.75) < 0.02
    np.testing.assert_array_equal(y, np.where(d.keep_mask, x * (1 / 0.75), 0.0))
    dy = rng.normal(size=x.shape)
    np.testing.assert_array_equal(d.backward(dy), np.where(d.keep_mask, dy * (1 / 0.75), 0.0))


def test_dropout_is_the_identity_in_evaluation_mode_and_for_p_0(rng):
    x = rng.normal(size=(3, 5))
    d = built(Dropout(0.5), (5,))
    d.training = False
    assert d.forward(x) is x and d.keep_mask is None
    dy = rng.normal(size=x.shape)
    assert d.backward(dy) is dy
    d0 = built(Dropout(0.0), (5,))
    assert d0.forward(x) is x
    d1 = built(Dropout(1.0), (5,))
    assert not d1.forward(x).any()
    with pytest.raises(ValueError, match="p must be in"):
        Dropout(1.5)


def test_dropout_masks_are_reproducible_from_the_seed_in_any_dtype():
    def masks(dtype, seed, steps=3):
        net = modern_net(dtype, seed=seed)
        out = []
        for s in range(steps):
            x, labels = batch(seed=s, dtype=dtype)
            net.train_step(x, labels, SGD(net.named_params(), lr=0.0))
            out.append(net.layers[8].keep_mask.copy())
        return out

    a, b, c, f32 = (
        masks("float64", 1),
        masks("float64", 1),
        masks("float64", 2),
        masks("float32", 1),
    )
    for ma, mb, mf in zip(a, b, f32, strict=True):
        np.testing.assert_array_equal(ma, mb)
        np.testing.assert_array_equal(ma, mf)
    assert not np.array_equal(a[0], a[1])  # a fresh mask every step
    assert not np.array_equal(a[0], c[0])  # another seed, other masks


def test_noise_state_resumes_the_dropout_stream_and_reinitialize_restarts_it():
    net = modern_net()
    x, labels = batch()
    net.train_step(x, labels, None)
    first = net.layers[8].keep_mask.copy()
    state = json.loads(json.dumps(net.noise_state()))  # plain JSON
    net.train_step(x, labels, None)
    second = net.layers[8].keep_mask.copy()
    net.load_noise_state(state)
    net.train_step(x, labels, None)
    np.testing.assert_array_equal(net.layers[8].keep_mask, second)
    net.reinitialize()
    net.train_step(x, labels, None)
    np.testing.assert_array_equal(net.layers[8].keep_mask, first)
    with pytest.raises(ValueError, match="noise state of F3.dropout"):
        net.load_noise_state({"F3.dropout": {"bit_generator": "nonsense"}})


def test_a_held_mask_is_used_until_released(rng):
    d = built(Dropout(0.5), (6,))
    x = rng.normal(size=(3, 6))
    mask = rng.random((3, 6)) < 0.5
    d.hold_mask(mask)
    d.forward(x)
    d.forward(x)
    np.testing.assert_array_equal(d.keep_mask, mask)
    d.release_mask()
    d.hold_mask()  # hold the next one drawn
    d.forward(x)
    drawn = d.keep_mask.copy()
    d.forward(x)
    np.testing.assert_array_equal(d.keep_mask, drawn)


# ----------------------------------------------------------------------------- global pool
def test_global_avg_pool_hand_values():
    x = np.arange(2 * 3 * 2 * 2, dtype=np.float64).reshape(2, 3, 2, 2)
    g = built(GlobalAvgPool(), (3, 2, 2))
    y = g.forward(x)
    assert y.shape == (2, 3, 1, 1)
    np.testing.assert_array_equal(y[:, :, 0, 0], [[1.5, 5.5, 9.5], [13.5, 17.5, 21.5]])
    dy = np.arange(6, dtype=np.float64).reshape(2, 3, 1, 1)
    dx = g.backward(dy)
    np.testing.assert_array_equal(dx, np.broadcast_to(dy / 4, x.shape))
    with pytest.raises(ValueError, match="expects \\(C, H, W\\)"):
        built(GlobalAvgPool(), (5,))


# ----------------------------------------------------------------------------- gradient check
GRADCHECK_NETS = {
    "batchnorm2d": lambda: [Conv2D(2, 3, 3, bias=False), BatchNorm2D(3), Tanh()],
    "batchnorm2d-first": lambda: [BatchNorm2D(2), ReLU()],
    "batchnorm1d": lambda: [Flatten(), Dense(50, 6, bias=False), BatchNorm1D(6), Tanh()],
    "dropout": lambda: [Conv2D(2, 3, 3), Dropout(0.5)],
    "dropout-vectors": lambda: [Flatten(), Dense(50, 6), Tanh(), Dropout(0.3)],
    "globalavgpool": lambda: [Conv2D(2, 4, 3), GlobalAvgPool()],
}


@pytest.mark.parametrize("training", [True, False], ids=["train", "eval"])
@pytest.mark.parametrize("kind", GRADCHECK_NETS)
def test_gradient_check_passes_on_every_new_layer(kind, training):
    layers = GRADCHECK_NETS[kind]()
    probe = (2, 5, 5)
    for layer in layers:
        probe = layer.build(probe, "float64")
    net = Network(
        [*layers, Flatten(name="out.flatten"), Dense(int(np.prod(probe)), 3, name="out")],
        (2, 5, 5),
        SoftmaxCrossEntropy(),
        dtype="float64",
        seed=1,
    )
    for _, p, _ in net.named_params():
        if p.ndim == 1:
            p[...] += np.random.default_rng(2).normal(scale=0.3, size=p.shape)
    for _, b in net.named_buffers():
        if b.dtype == np.float64:
            b[...] += np.random.default_rng(3).uniform(0.1, 0.5, size=b.shape)
    net.train(training)
    x = np.random.default_rng(4).normal(size=(4, 2, 5, 5))
    labels = np.array([0, 1, 2, 0])
    buffers = {k: b.copy() for k, b in net.named_buffers()}
    errors = gradient_check(net, x, labels, max_entries=10)
    bad = {k: e for k, e in errors.items() if not e < TOL}
    assert not bad, bad
    for k, b in net.named_buffers():  # the check left the running statistics alone
        np.testing.assert_array_equal(b, buffers[k], err_msg=k)


def test_gradient_check_leaves_the_dropout_stream_and_mask_alone():
    net = modern_net()
    x, labels = batch()
    net.train_step(x, labels, None)
    mask = net.layers[8].keep_mask.copy()
    state = net.noise_state()
    errors = gradient_check(net, x, labels, max_entries=4)
    assert max(errors.values()) < TOL, errors
    assert net.noise_state() == state
    np.testing.assert_array_equal(net.layers[8].keep_mask, mask)
    net.train_step(x, labels, None)
    assert not np.array_equal(net.layers[8].keep_mask, mask)  # masks are drawn afresh again


# ----------------------------------------------------------------------------- network
def test_network_modes_and_infer():
    net = modern_net()
    x, labels = batch()
    assert net.training and all(layer.training for layer in net.layers)
    net.train_step(x, labels, None)
    trace = [layer.save_trace() for layer in net.layers]
    buffers = {k: b.copy() for k, b in net.named_buffers()}
    scores = net.infer(x)
    assert net.training  # infer switched to evaluation mode and back
    for layer, saved in zip(net.layers, trace, strict=True):
        assert all(a is b for a, b in zip(layer.save_trace(), saved, strict=True))
    for k, b in net.named_buffers():
        np.testing.assert_array_equal(b, buffers[k], err_msg=k)
    assert net.eval() is net and not net.training
    assert not any(layer.training for layer in net.layers)
    np.testing.assert_array_equal(net.forward(x), scores)  # deterministic in evaluation mode
    np.testing.assert_array_equal(net.forward(x), scores)
    net.train()
    assert not np.allclose(net.forward(x), scores)  # batch statistics and a mask


def test_a_step_in_evaluation_mode_changes_no_statistics_and_drops_nothing():
    """How the app shows one sample's backprop: a step without optimiser in evaluation mode."""
    net = modern_net()
    x, labels = batch()
    net.train_step(x, labels, None)
    buffers = {k: b.copy() for k, b in net.named_buffers()}
    with net.evaluating():
        net.begin_step(x[:1], labels[:1], None).run()  # a batch of one is fine here
        assert net.layers[8].keep_mask is None and not net.layers[1].batch_stats
    assert net.training
    for k, b in net.named_buffers():
        np.testing.assert_array_equal(b, buffers[k], err_msg=k)


@pytest.mark.parametrize("keep_trace", [True, False])
def test_stepping_phase_by_phase_equals_running_at_once_with_the_new_layers(keep_trace):
    a, b = modern_net(keep_trace=keep_trace), modern_net(keep_trace=keep_trace)
    opt_a, opt_b = Adam(a.named_params(), lr=1e-2), Adam(b.named_params(), lr=1e-2)
    for s in range(3):
        x, labels = batch(seed=s)
        ra = a.train_step(x, labels, opt_a)
        step = b.begin_step(x, labels, opt_b)
        while not step.done:
            step.advance()
        assert ra == step.result()
        for (k, p, g), (_, q, h) in zip(a.named_params(), b.named_params(), strict=True):
            np.testing.assert_array_equal(p, q, err_msg=k)
            np.testing.assert_array_equal(g, h, err_msg=k)
        for (k, u), (_, v) in zip(a.named_buffers(), b.named_buffers(), strict=True):
            np.testing.assert_array_equal(u, v, err_msg=k)
        if keep_trace:
            for la, lb in zip(a.layers, b.layers, strict=True):
                for attr, u, v in zip(
                    la.trace_attrs, la.save_trace(), lb.save_trace(), strict=True
                ):
                    np.testing.assert_array_equal(u, v, err_msg=f"{la.name}.{attr}")


def test_float32_network_keeps_its_dtype_through_the_new_layers():
    net = modern_net("float32")
    x, labels = batch(dtype="float32")
    opt = AdamW(net.named_params())
    for _ in range(2):
        r = net.train_step(x, labels, opt)
    assert np.isfinite(r.loss)
    for layer in net.layers:
        for attr in ("y", "dx", "xhat", "gamma_xhat", "mean", "var"):
            v = getattr(layer, attr, None)
            if v is not None:
                assert v.dtype == np.float32, (layer.name, attr)
    for k, b in net.named_buffers():
        assert b.dtype == (np.int64 if k.endswith("num_batches_tracked") else np.float32), k
    for slots in opt.state.values():
        assert all(a.dtype == np.float32 for a in slots.values())


def test_buffers_in_the_state_dict_and_back(rng):
    net = modern_net()
    x, labels = batch()
    net.train_step(x, labels, None)
    names = [k for k, _ in net.named_buffers()]
    assert names == [
        "C1.bn.running_mean", "C1.bn.running_var", "C1.bn.num_batches_tracked",
        "F3.bn.running_mean", "F3.bn.running_var", "F3.bn.num_batches_tracked",
    ]  # fmt: skip
    assert set(net.state_dict()) == {k for k, _, _ in net.named_params()}
    full = {k: v.copy() for k, v in net.state_dict(buffers=True).items()}
    assert set(full) == set(net.state_dict()) | set(names)
    other = modern_net(seed=5)
    other.load_state_dict(full)
    for k, v in other.state_dict(buffers=True).items():
        np.testing.assert_array_equal(v, full[k], err_msg=k)
    np.testing.assert_array_equal(other.infer(x), net.infer(x))
    net.load_state_dict(full)  # into a network whose dropout holds a mask from its last step
    assert net.layers[8].keep_mask is not None
    # parameters alone (a version-1 model file): the buffers keep their values
    fresh = modern_net(seed=5)
    fresh.load_state_dict({k: full[k] for k in net.state_dict()})
    np.testing.assert_array_equal(fresh.layers[1].state_buffers["running_var"], 1.0)
    bad = dict(full, **{"C1.bn.running_mean": np.zeros(4)})
    with pytest.raises(ValueError, match="buffer C1.bn.running_mean: expected shape"):
        fresh.load_state_dict(bad)
    with pytest.raises(ValueError, match="unexpected C1.bn.running_men"):
        fresh.load_state_dict(dict(full, **{"C1.bn.running_men": np.zeros(3)}))


def test_reinitialize_also_resets_the_running_statistics():
    net = modern_net(seed=3)
    x, labels = batch()
    net.train_step(x, labels, SGD(net.named_params(), lr=0.1))
    net.reinitialize()
    fresh = modern_net(seed=3)
    for (k, a), (_, b) in zip(
        net.state_dict(buffers=True).items(), fresh.state_dict(buffers=True).items(), strict=True
    ):
        np.testing.assert_array_equal(a, b, err_msg=k)


# ----------------------------------------------------------------------------- initialisation
@pytest.mark.parametrize("scheme", INIT_SCHEMES)
def test_named_initialisations(scheme):
    init = Init(scheme, std=0.05) if scheme == "normal" else scheme
    net = Network(
        [Conv2D(4, 64, 3, name="C1", init=init), ReLU(name="r"), Flatten(name="f"),
         Dense(64 * 6 * 6, 50, name="F2", init=init)],
        (4, 8, 8), SoftmaxCrossEntropy(), dtype="float64",
    )  # fmt: skip
    w = net.layers[0].params["weight"]
    fan_in, fan_out = 4 * 9, 64 * 9
    if scheme == "he":
        assert abs(w.std() - np.sqrt(2 / fan_in)) < 0.03 * np.sqrt(2 / fan_in)
    elif scheme == "glorot":
        bound = np.sqrt(6 / (fan_in + fan_out))
        assert np.abs(w).max() <= bound and np.abs(w).max() > 0.95 * bound
    elif scheme == "lecun":
        bound = np.sqrt(3 / fan_in)
        assert np.abs(w).max() <= bound and np.abs(w).max() > 0.95 * bound
    elif scheme == "normal":
        assert abs(w.std() - 0.05) < 0.003
    else:
        assert not w.any() and not net.layers[3].params["weight"].any()
    assert not net.layers[0].params["bias"].any()
    assert net.layers[0].config()["init"] == Init.parse(init).config()
    assert Init.parse(net.layers[0].config()["init"]) == Init.parse(init)


def test_default_initialisation_is_unchanged_and_looks_through_batch_norm():
    """He for the ReLU after conv → batch norm → ReLU, as for conv → ReLU; Glorot for a conv
    feeding a max-pool; the default draws are those of the activation's rule."""
    plain = Network([Conv2D(1, 8, 3, name="C1"), ReLU(name="r"), Flatten(name="f"),
                     Dense(8 * 36, 3, name="F")], (1, 8, 8),
                    SoftmaxCrossEntropy(), seed=4)  # fmt: skip
    with_bn = Network([Conv2D(1, 8, 3, name="C1"), BatchNorm2D(8, name="C1.bn"), ReLU(name="r"),
                       Flatten(name="f"), Dense(8 * 36, 3, name="F")], (1, 8, 8),
                      SoftmaxCrossEntropy(), seed=4)  # fmt: skip
    he = Network([Conv2D(1, 8, 3, name="C1", init="he"), MaxPool2D(2, name="S"),
                  Flatten(name="f"), Dense(8 * 9, 3, name="F")], (1, 8, 8),
                 SoftmaxCrossEntropy(), seed=4)  # fmt: skip
    w = plain.layers[0].params["weight"]
    np.testing.assert_array_equal(with_bn.layers[0].params["weight"], w)
    np.testing.assert_array_equal(he.layers[0].params["weight"], w)  # the same He draws
    assert with_bn.activation_after(0) == "relu" and he.activation_after(0) is None


def test_bad_initialisations_are_refused():
    with pytest.raises(ValueError, match="unknown init 'xavier'"):
        Conv2D(1, 2, 3, init="xavier")
    with pytest.raises(ValueError, match="std must be a positive number"):
        Init("normal", std=-1.0)
    with pytest.raises(ValueError, match="scheme, std"):
        Init.parse({"scheme": "normal", "mean": 1})


def test_batch_norm_split_over_threads_is_bit_identical(rng):
    """The channels are independent: two threads give the same bits as one."""
    from cnnviz.engine import parallel

    x = batch_innermost(rng.normal(size=(16, 8, 32, 32)))
    dy = batch_innermost(rng.normal(size=x.shape))
    results = []
    for threads in (1, 2):
        parallel.set_num_threads(threads)
        try:
            bn = built(BatchNorm2D(8), (8, 32, 32))
            bn.params["weight"][...] = rng.normal(size=8) if not results else results[0][3]
            y = bn.forward(x).copy()
            dx = bn.backward(dy).copy()
            results.append((y, dx, bn.grads["weight"].copy(), bn.params["weight"].copy()))
        finally:
            parallel.set_num_threads(1)
    for a, b in zip(*results, strict=True):
        np.testing.assert_array_equal(a, b)


def test_the_update_phase_is_labelled_with_the_optimizers_rule():
    net = modern_net()
    x, labels = batch()
    step = net.begin_step(x, labels, Adam(net.named_params()))
    assert step.phase_label(step.phases[-1]) == "update W ← W − η·m̂/(√v̂ + ε)"
    assert step.phase_label(step.phases[0]) == "forward C1"
    sgd = net.begin_step(x, labels, SGD(net.named_params(), momentum=0.9, nesterov=True))
    assert "μ" in sgd.phase_label(sgd.phases[-1])


@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
def test_every_optimizer_fits_a_batch_through_batch_norm_and_dropout(name):
    """A real run in float32: 60 steps on one batch bring the loss well down, and evaluation
    mode (running statistics, no dropout) classifies the batch."""
    net = modern_net("float32", p=0.2)
    x, labels = batch(n=16, dtype="float32")
    lr = {"sgd": 0.2, "nesterov": 0.1, "adagrad": 0.1}.get(name, 0.03)
    opt = make_optimizer(name, net.named_params(), lr=lr)
    first = net.train_step(x, labels, opt).loss
    for _ in range(60):
        last = net.train_step(x, labels, opt).loss
    assert last < 0.5 * first, (first, last)
    assert (net.infer(x).argmax(axis=1) == labels).mean() >= 0.75
