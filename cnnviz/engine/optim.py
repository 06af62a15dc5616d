"""Stochastic gradient descent with momentum and weight decay, outside the layers.

Notes
-----
PyTorch's convention, so runs can be compared step for step:

    g ← ∂E/∂W + λ W
    v ← μ v + g
    W ← W − η v

The update applied, ΔW = −η v, is not stored: it is derivable from the velocity
(:meth:`SGD.update`).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


class SGD:
    """SGD over named parameters.

    Parameters
    ----------
    params : iterable of (key, param, grad)
        ``key`` names the parameter (``"C1.weight"``); ``param`` is updated in place from
        ``grad``, both arrays of the same shape.
    lr, momentum, weight_decay : float
    """

    def __init__(
        self,
        params: Iterable[tuple[str, np.ndarray, np.ndarray]],
        lr: float = 0.01,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
    ) -> None:
        self.params = list(params)
        self.lr = float(lr)
        self.momentum = float(momentum)
        self.weight_decay = float(weight_decay)
        self.velocity = {k: np.zeros_like(p) for k, p, _ in self.params}
        self._scratch: dict[str, np.ndarray] = {}  # for λW and ηv, reused every step
        self.last_lr = self.lr

    def step(self) -> None:
        for key, p, g in self.params:
            t = p.dtype.type
            v = self.velocity[key]
            scratch = self._scratch.get(key)
            if scratch is None:
                scratch = self._scratch[key] = np.empty_like(p)
            if self.momentum:
                v *= t(self.momentum)
                v += g
            else:
                v[...] = g
            if self.weight_decay:
                v += np.multiply(p, t(self.weight_decay), out=scratch)  # λ W
            p -= np.multiply(v, t(self.lr), out=scratch)  # η v
        self.last_lr = self.lr

    def update(self, key: str) -> np.ndarray:
        """ΔW = −η v of the last step for parameter ``key``."""
        v = self.velocity[key]
        return -v.dtype.type(self.last_lr) * v

    def state_dict(self) -> dict[str, np.ndarray]:
        return {k: v for k, v in self.velocity.items()}

    def load_state_dict(self, state: dict[str, np.ndarray]) -> None:
        for k, v in self.velocity.items():
            if k not in state:
                raise ValueError(f"optimiser state lacks {k}")
            if state[k].shape != v.shape:
                raise ValueError(
                    f"optimiser state {k}: expected shape {v.shape}, got {state[k].shape}"
                )
            v[...] = state[k]
