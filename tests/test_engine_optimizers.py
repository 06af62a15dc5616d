"""The optimisers on their own, with NumPy only: Adam's first step by hand, the update each
reports, state round trips, checked state and options, undo (the PyTorch comparison is in
test_engine_torch_modern.py)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cnnviz.engine import OPTIMIZER_NAMES, SGD, Adam, make_optimizer


def named(rng, shapes=((3, 4), (4,))):
    return [(f"p{i}", rng.normal(size=s), np.zeros(s)) for i, s in enumerate(shapes)]


def test_adam_first_step_is_lr_times_the_sign_of_the_gradient():
    """m̂ = g and v̂ = g² after one step: W moves by η·g/(|g| + ε)."""
    p, g = np.array([1.0, -2.0, 0.5]), np.array([0.3, -4.0, 1e-3])
    start = p.copy()
    opt = Adam([("w", p, g)], lr=0.1)
    opt.step()
    np.testing.assert_allclose(p, start - 0.1 * g / (np.abs(g) + 1e-8), rtol=1e-12)
    np.testing.assert_allclose(p[:2], [0.9, -1.9], rtol=1e-7)
    q = opt.last_step("w")
    np.testing.assert_allclose(q["m_hat"], g, rtol=1e-12)
    np.testing.assert_allclose(q["v_hat"], g * g, rtol=1e-12)
    np.testing.assert_allclose(q["step"], -opt.update("w"), rtol=1e-12)
    assert q["t"] == 1 and q["lr"] == 0.1


@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
@pytest.mark.parametrize("weight_decay", [0.0, 0.1])
def test_update_equals_the_change_of_the_parameter(name, weight_decay, rng):
    params = named(rng)
    opt = make_optimizer(name, params, lr=0.05, weight_decay=weight_decay)
    for _ in range(3):
        before = {k: p.copy() for k, p, _ in params}
        for _, _, g in params:
            g[...] = rng.normal(size=g.shape)
        opt.step()
        for k, p, _ in params:
            np.testing.assert_allclose(p - before[k], opt.update(k), rtol=1e-10, atol=1e-15)
            assert "update" in opt.last_step(k)


@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
def test_state_dict_round_trip_continues_identically(name, rng):
    a_params, b_params = named(rng), None
    b_params = [(k, p.copy(), g.copy()) for k, p, g in a_params]
    a = make_optimizer(name, a_params, lr=0.05)
    grads = [[rng.normal(size=g.shape) for _, _, g in a_params] for _ in range(4)]

    def step(params, opt, gs):
        for (_, _, g), new in zip(params, gs, strict=True):
            g[...] = new
        opt.step()

    for gs in grads[:2]:
        step(a_params, a, gs)
    saved = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in a.state_dict().items()}
    assert all(isinstance(v, np.ndarray | int) for v in saved.values())
    for (_, p, _), (_, q, _) in zip(a_params, b_params, strict=True):
        q[...] = p
    b = make_optimizer(name, b_params, lr=0.05)
    b.load_state_dict(saved)
    for gs in grads[2:]:
        step(a_params, a, gs)
        step(b_params, b, gs)
    for (k, p, _), (_, q, _) in zip(a_params, b_params, strict=True):
        np.testing.assert_array_equal(p, q, err_msg=k)
    b.reset()
    assert b.t == 0 and all(not a.any() for s in b.state.values() for a in s.values())


def test_optimizer_state_and_options_are_checked(rng):
    params = named(rng)
    adam = Adam(params)
    state = {k: v for k, v in adam.state_dict().items() if k != "p1.exp_avg"}
    with pytest.raises(ValueError, match="missing p1.exp_avg"):
        adam.load_state_dict(state)
    with pytest.raises(ValueError, match="expected shape"):
        adam.load_state_dict(adam.state_dict() | {"p0.exp_avg": np.zeros(3)})
    with pytest.raises(ValueError, match="lacks p1"):
        SGD(params).load_state_dict({"p0": np.zeros((3, 4))})
    sgd = SGD(params, momentum=0.9)
    sgd.load_state_dict({"p0.momentum_buffer": np.ones((3, 4)), "p1.momentum_buffer": np.ones(4)})
    assert sgd.velocity["p0"].all() and set(sgd.state_dict()) == {"p0", "p1"}
    with pytest.raises(ValueError, match="Nesterov momentum needs a momentum"):
        SGD(params, nesterov=True)
    with pytest.raises(ValueError, match="beta1"):
        Adam(params, betas=(1.0, 0.999))
    with pytest.raises(ValueError, match="lr"):
        Adam(params, lr=-1)
    with pytest.raises(ValueError, match="unknown optimiser 'lion'"):
        make_optimizer("lion", params)
    with pytest.raises(ValueError, match="optimiser adagrad"):
        make_optimizer("adagrad", params, momentum=0.9)
    cfg = make_optimizer("nesterov", params, lr=0.2).config()
    assert cfg == {"kind": "sgd", "lr": 0.2, "momentum": 0.9, "weight_decay": 0.0,
                   "nesterov": True}  # fmt: skip
    again = make_optimizer(cfg.pop("kind"), params, **json.loads(json.dumps(cfg)))
    assert again.nesterov and again.momentum == 0.9
    adam_cfg = json.loads(json.dumps(Adam(params, betas=(0.8, 0.9)).config()))
    assert make_optimizer(adam_cfg.pop("kind"), params, **adam_cfg).betas == (0.8, 0.9)


@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
def test_backup_and_restore_undo_a_step(name, rng):
    params = named(rng)
    opt = make_optimizer(name, params, lr=0.05)
    for _, _, g in params:
        g[...] = rng.normal(size=g.shape)
    opt.step()
    saved = opt.backup()
    again = opt.backup(saved)
    assert again is saved
    state = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in opt.backup().items()}
    opt.step()
    opt.restore(saved)
    for k, v in opt.backup().items():
        np.testing.assert_array_equal(v, state[k], err_msg=k)
