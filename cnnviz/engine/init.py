"""Seeded initialisers, chosen for the activation that follows a layer.

All draws are made in float64 from a ``numpy.random.Generator`` and then cast, so the same
seed gives the same network bit for bit in any dtype.

================  =====================================  ==============================
activation        rule                                    reference
================  =====================================  ==============================
relu, leaky_relu  He normal, std = √(2 / fan_in)           He et al. 2015
tanh, sigmoid     Glorot uniform, ±√(6 / (fan_in+fan_out))  Glorot & Bengio 2010
scaled_tanh       LeCun uniform, ±√(3 / fan_in) (std 1/√fan_in)  LeCun et al. 1998, §4.6
none (output)     Glorot uniform
================  =====================================  ==============================
"""

from __future__ import annotations

import numpy as np


def init_weight(
    rng: np.random.Generator,
    shape: tuple[int, ...],
    fan_in: int,
    fan_out: int,
    activation: str | None,
    dtype: np.dtype,
) -> np.ndarray:
    """Draw a weight array of ``shape`` suited to ``activation``."""
    if activation in ("relu", "leaky_relu"):
        w = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=shape)
    elif activation == "scaled_tanh":
        bound = np.sqrt(3.0 / fan_in)
        w = rng.uniform(-bound, bound, size=shape)
    else:
        bound = np.sqrt(6.0 / (fan_in + fan_out))
        w = rng.uniform(-bound, bound, size=shape)
    return w.astype(dtype)
