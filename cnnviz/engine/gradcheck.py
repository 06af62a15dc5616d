"""Finite-difference gradient check, as public API.

For each parameter, a sample of its entries is perturbed by ±ε and the central difference

    ∂E/∂θ ≈ (E(θ + ε) − E(θ − ε)) / 2ε

is compared with the engine's backward pass. The error reported per parameter is

    ‖g_analytic − g_numeric‖ / max(‖g_analytic‖ + ‖g_numeric‖, tiny)

over the sampled entries, so it is scale-free and well defined for small gradients. Run it in
float64: there errors are ~1e-9 or below (float32 gets ~1e-3 at best).

Entries are sampled among those the backward pass is responsible for: every entry, except the
kernels a connection table holds at zero (their gradient is zero by design). An entry whose
backprop gradient is zero is still compared, so a backward that forgets some entries fails.

A perturbation that pushes a ReLU across its kink or flips a max-pool argmax makes the
difference quotient meaningless for that entry; such an entry (one that disagrees by more than
1e-6 relative) is measured again with ε/10 and ε/100 and the closest estimate kept, since a
smaller step no longer crosses the kink.

The check runs in the network's mode (batch norm with batch statistics in training mode)
inside :meth:`Network.held_state`: every dropout layer keeps the mask of the check's first
pass, and the running statistics and dropout generators are put back afterwards.
"""

from __future__ import annotations

import contextlib

import numpy as np

from .conv import Conv2D
from .network import Network


def central_difference(flat: np.ndarray, i: int, eps: float, loss) -> float:
    """(E(θᵢ + ε) − E(θᵢ − ε)) / 2ε for entry ``i`` of ``flat``, which is left as it was."""
    old = flat[i]
    flat[i] = old + eps
    plus = loss()
    flat[i] = old - eps
    minus = loss()
    flat[i] = old
    return (plus - minus) / (2 * eps)


def held_at_zero(net: Network) -> dict[str, np.ndarray]:
    """``{"C3.weight": bool array}``: the kernel entries a connection table holds at zero."""
    held = {}
    for layer in net.layers:
        mask = layer.mask if isinstance(layer, Conv2D) else None
        if mask is not None:
            w = layer.params["weight"]
            cut = ~np.asarray(mask, dtype=bool).reshape(mask.shape + (1,) * (w.ndim - mask.ndim))
            held[f"{layer.name}.weight"] = np.broadcast_to(cut, w.shape).reshape(-1)
    return held


def gradient_check(
    net: Network,
    x: np.ndarray,
    labels: np.ndarray,
    eps: float | None = None,
    max_entries: int = 24,
    seed: int = 0,
    check_input: bool = True,
) -> dict[str, float]:
    """Compare backprop with central differences.

    Parameters
    ----------
    net : Network (float64 recommended)
    x : (N, *input_shape) ; labels : (N,)
    eps : perturbation; 1e-5 in float64 (where truncation and round-off errors balance),
        1e-2 in float32
    max_entries : entries sampled per parameter (all of them when it has fewer)
    check_input : also check ∂E/∂x of the network input

    Returns
    -------
    ``{"C1.weight": err, …, "input": err}``: the relative error of each parameter.
    The network is left exactly as it was: parameters, gradients, state buffers, dropout
    generators, the trace of its last step and the loss's state (so a view showing that step
    is not disturbed).
    """
    if eps is None:
        eps = 1e-5 if net.dtype == np.float64 else 1e-2
    rng = np.random.default_rng(seed)
    x = net.check_input(x).copy()
    saved_flag = net.input_grad
    saved_trace = [layer.save_trace() for layer in net.layers]
    saved_grads = [g.copy() for _, _, g in net.named_params()]
    saved_loss = dict(vars(net.loss))
    net.input_grad = check_input
    state = contextlib.ExitStack()  # the network state is put back after the check
    state.enter_context(net.held_state())
    try:
        net.train_step(x, labels, optimizer=None)
        targets = [(k, p, g.copy()) for k, p, g in net.named_params()]
        if check_input:
            targets.append(("input", x, net.layers[0].dx.copy()))

        def loss() -> float:
            net.forward(x)
            return net.loss.forward(net.layers[-1].y, labels)

        held = held_at_zero(net)
        errors: dict[str, float] = {}
        for key, p, g in targets:
            flat = p.reshape(-1)
            idx = np.flatnonzero(~held[key]) if key in held else np.arange(flat.size)
            if idx.size > max_entries:
                idx = np.sort(rng.choice(idx, size=max_entries, replace=False))
            ana = g.reshape(-1)[idx].astype(np.float64)
            num = np.empty(idx.size)
            for n, i in enumerate(idx):
                best = None
                for step in (eps, eps / 10, eps / 100):
                    est = central_difference(flat, i, step, loss)
                    if best is None or abs(est - ana[n]) < abs(best - ana[n]):
                        best = est
                    if abs(best - ana[n]) <= 1e-6 * (abs(best) + abs(ana[n])):
                        break
                num[n] = best
            denom = max(np.linalg.norm(ana) + np.linalg.norm(num), 1e-30)
            errors[key] = float(np.linalg.norm(ana - num) / denom)
        return errors
    finally:
        state.close()
        net.input_grad = saved_flag
        for layer, trace in zip(net.layers, saved_trace, strict=True):
            layer.restore_trace(trace)
        for (_, _, g), saved in zip(net.named_params(), saved_grads, strict=True):
            g[...] = saved
        vars(net.loss).clear()
        vars(net.loss).update(saved_loss)
