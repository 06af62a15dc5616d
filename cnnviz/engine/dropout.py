"""Dropout (Srivastava et al. 2014) in its inverted form, as PyTorch has it.

In training mode every value is kept with probability 1 − p and the kept ones are scaled up:

    r_i ~ Bernoulli(1 − p)          the mask
    y_i = x_i r_i / (1 − p)
    ∂E/∂x_i = δ_i r_i / (1 − p)     ×1/(1−p) where kept, 0 where dropped

so the expected value of y is x and evaluation mode is the identity (y = x, no mask, δ passes
through unchanged). p = 1 drops everything (y = 0).

The mask is drawn from the layer's own generator, which the network seeds from its seed and
the layer's position (:meth:`Network.noise_state` saves where it is), so a run is reproducible
bit for bit. Uniform float32 draws are compared with 1 − p in C order, so the mask depends on
neither the network's dtype nor the memory layout of the input.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .layer import Layer, Shape, memory_order


class Dropout(Layer):
    """Inverted dropout with drop probability ``p`` (``torch.nn.Dropout``).

    Parameters
    ----------
    p : float in [0, 1], default 0.5 — the probability that a value is dropped.

    Besides x, y, dy and dx the trace keeps the mask ``keep_mask`` (N, *in_shape) bool, True
    where the value was kept; None in evaluation mode (and for p = 0), where y is x and dx is
    dy. (Not ``mask``: that name is a conv's connection table.)

    Notes
    -----
    y = x ∘ r / (1 − p), ∂E/∂x = δ ∘ r / (1 − p), r_i ~ Bernoulli(1 − p).
    """

    kind = "dropout"
    transparent = True
    stochastic = True
    trace_attrs = (*Layer.trace_attrs, "keep_mask")

    def __init__(self, p: float = 0.5, name: str | None = None) -> None:
        super().__init__(name)
        self.p = float(p)
        if not 0.0 <= self.p <= 1.0:
            raise self.error(f"p must be in [0, 1], got {p}")
        self.keep_mask: np.ndarray | None = None
        self.rng = np.random.default_rng(0)  # a network gives each layer its own
        self._hold = False  # keep one mask for every training pass
        self._held: np.ndarray | None = None

    @property
    def scale(self) -> float:
        """1/(1 − p), the factor of the kept values (0 for p = 1)."""
        return 0.0 if self.p >= 1.0 else 1.0 / (1.0 - self.p)

    def seed_noise(self, rng: np.random.Generator) -> None:
        self.rng = rng

    def hold_mask(self, mask: np.ndarray | None = None) -> None:
        """Use one mask for every training pass until :meth:`release_mask`: ``mask``
        (N, *in_shape) bool, or, when None, the one the next training pass draws. (The
        gradient check holds the mask fixed; so do the tests against PyTorch.)"""
        self._hold = True
        self._held = None if mask is None else np.array(mask, dtype=bool)

    def release_mask(self) -> None:
        """Draw a fresh mask on every training pass again."""
        self._hold = False
        self._held = None

    @property
    def holding(self) -> tuple[bool, np.ndarray | None]:
        """(whether a mask is held, the held mask), for putting them back later."""
        return self._hold, self._held

    def _build(self, in_shape: Shape) -> Shape:
        return in_shape

    def _forward(self, x: np.ndarray) -> np.ndarray:
        if not self.training or self.p == 0.0:
            self.keep_mask = None
            return x
        order = memory_order(x)
        held = self._held
        if held is not None and held.shape == x.shape:
            mask = held
        else:
            uniform = self.buffer("uniform", x.shape, np.float32, trace=False)
            self.rng.random(dtype=np.float32, out=uniform)
            mask = self.buffer("mask", x.shape, bool, order=order)
            np.less(uniform, np.float32(1.0 - self.p), out=mask)  # kept with probability 1 − p
            if self._hold:
                self._held = mask.copy()
        y = self.buffer("y", x.shape, order=order)
        np.multiply(x, mask, out=y)
        y *= y.dtype.type(self.scale)
        self.keep_mask = mask
        return y

    def _backward(self, dy: np.ndarray, need_dx: bool) -> np.ndarray | None:
        if not need_dx:
            return None
        if self.keep_mask is None:
            return dy
        dx = self.buffer("dx", dy.shape, order=memory_order(self.x))
        np.multiply(dy, self.keep_mask, out=dx)
        dx *= dx.dtype.type(self.scale)
        return dx

    def config(self) -> dict[str, Any]:
        return super().config() | {"p": self.p}

    def describe(self) -> str:
        return f"dropout p={self.p:g}"
