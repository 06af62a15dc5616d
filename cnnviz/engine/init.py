"""Seeded initialisers: by default chosen for the activation that follows a layer, or chosen
by name for a layer (``Conv2D(…, init="glorot")``, ``Dense(…, init=Init("normal", 0.01))``).

All draws are made in float64 from a ``numpy.random.Generator`` and then cast, so the same
seed gives the same network bit for bit in any dtype.

Default, by the activation that follows (batch norm and dropout in between are looked through):

================  =====================================  ==============================
activation        rule                                    reference
================  =====================================  ==============================
relu, leaky_relu  He normal, std = √(2 / fan_in)           He et al. 2015
tanh, sigmoid     Glorot uniform, ±√(6 / (fan_in+fan_out))  Glorot & Bengio 2010
scaled_tanh       LeCun uniform, ±√(3 / fan_in) (std 1/√fan_in)  LeCun et al. 1998, §4.6
none (hidden)     Glorot uniform
output layer      Glorot uniform × 0.1 (:data:`OUTPUT_GAIN`)
================  =====================================  ==============================

The output layer is the last layer with weights when no activation follows it (the class
scores go straight to the loss). Its weights start ten times smaller than Glorot's, so the
first scores are near zero, softmax gives every class about 1/K, and the very first loss reads
about ln K (2.30 for ten classes) as a student expects, instead of the 4–6 a full-size init
gives (the "zero-ish last layer" practice; the gradients of the layers below still flow,
scaled by the same factor at first, and the output layer's own gradient δ·xᵀ does not depend
on its weights, so it grows out of the small start within a few steps).

By name (:data:`INIT_SCHEMES`): ``he``, ``glorot`` and ``lecun`` are the rules above whatever
the activation; ``normal`` draws N(0, std²) (``std`` 0.01 unless given); ``zeros`` sets every
weight to 0. The last two are the classic lecture demonstrations: with zeros every unit of a
layer gets the same gradient and they never tell apart (symmetry); a tiny normal init makes the
signals, and the sensitivities going back, shrink layer by layer. Biases always start at 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

INIT_SCHEMES = ("he", "glorot", "lecun", "normal", "zeros")

#: The role :func:`init_weight` is given, in place of an activation, for the output layer.
OUTPUT = "output"
#: The output layer's default weights are Glorot's scaled by this factor.
OUTPUT_GAIN = 0.1


@dataclass(frozen=True)
class Init:
    """A named initialisation: ``scheme`` (one of :data:`INIT_SCHEMES`) and, for ``normal``,
    the standard deviation ``std``."""

    scheme: str
    std: float = 0.01

    def __post_init__(self) -> None:
        if self.scheme not in INIT_SCHEMES:
            raise ValueError(
                f"unknown init {self.scheme!r}; choose one of {', '.join(INIT_SCHEMES)}"
            )
        if not (math.isfinite(self.std) and self.std > 0):
            raise ValueError(f"init std must be a positive number, got {self.std}")

    @classmethod
    def parse(cls, spec: Init | str | dict[str, Any] | None) -> Init | None:
        """``None``, ``"he"``, ``{"scheme": "normal", "std": 0.1}`` or an Init."""
        if spec is None or isinstance(spec, Init):
            return spec
        if isinstance(spec, str):
            return cls(spec)
        if isinstance(spec, dict):
            extra = set(spec) - {"scheme", "std"}
            if extra or "scheme" not in spec:
                raise ValueError(f"init must be {{scheme, std}}, got {sorted(spec)}")
            return cls(str(spec["scheme"]), float(spec.get("std", 0.01)))
        raise ValueError(f"init must be a scheme name, got {spec!r}")

    def config(self) -> str | dict[str, Any]:
        """The JSON-able form :meth:`parse` reads back."""
        return {"scheme": self.scheme, "std": self.std} if self.scheme == "normal" else self.scheme


def init_weight(
    rng: np.random.Generator,
    shape: tuple[int, ...],
    fan_in: int,
    fan_out: int,
    activation: str | None,
    dtype: np.dtype,
    init: Init | str | None = None,
) -> np.ndarray:
    """Draw a weight array of ``shape``: by ``init`` when given, else suited to ``activation``
    (:data:`OUTPUT` for the output layer: Glorot uniform × :data:`OUTPUT_GAIN`)."""
    init = Init.parse(init)
    gain = 1.0
    if init is None:
        if activation in ("relu", "leaky_relu"):
            scheme = "he"
        elif activation == "scaled_tanh":
            scheme = "lecun"
        else:
            scheme = "glorot"
            gain = OUTPUT_GAIN if activation == OUTPUT else 1.0
    else:
        scheme = init.scheme
    if scheme == "he":
        w = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=shape)
    elif scheme == "lecun":
        bound = np.sqrt(3.0 / fan_in)
        w = rng.uniform(-bound, bound, size=shape)
    elif scheme == "glorot":
        bound = gain * np.sqrt(6.0 / (fan_in + fan_out))
        w = rng.uniform(-bound, bound, size=shape)
    elif scheme == "normal":
        w = rng.normal(0.0, init.std, size=shape)
    else:  # zeros
        w = np.zeros(shape)
    return w.astype(dtype)
