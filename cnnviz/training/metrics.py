"""The metrics history of a training run: append-only, cheap to record, easy to save.

Every series is a growable float64 array plus a count, so appending is O(1) amortised and a
reader (the app, a model file) can take a consistent prefix ``[:n]`` without locks: entries
below ``n`` never change once written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


class Series:
    """An append-only column of float64 values."""

    __slots__ = ("_data", "_n")

    def __init__(self, values: np.ndarray | None = None) -> None:
        values = np.asarray(values if values is not None else [], dtype=np.float64)
        self._data = np.empty(max(64, 2 * values.size), dtype=np.float64)
        self._data[: values.size] = values
        self._n = values.size

    def append(self, value: float) -> None:
        if self._n == self._data.size:
            grown = np.empty(self._data.size * 2, dtype=np.float64)
            grown[: self._n] = self._data[: self._n]
            self._data = grown
        self._data[self._n] = value
        self._n += 1

    def extend(self, values: np.ndarray) -> None:
        """Append every value of ``values`` (1-D), in order."""
        values = np.asarray(values, dtype=np.float64).ravel()
        need = self._n + values.size
        if need > self._data.size:
            grown = np.empty(max(need, 2 * self._data.size), dtype=np.float64)
            grown[: self._n] = self._data[: self._n]
            self._data = grown
        self._data[self._n : need] = values
        self._n = need

    def __len__(self) -> int:
        return self._n

    def values(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """A copy of entries ``[start:stop]``."""
        n = self._n if stop is None else min(stop, self._n)
        return self._data[start:n].copy()

    def last(self, default: float = float("nan")) -> float:
        return float(self._data[self._n - 1]) if self._n else default

    def truncate(self, n: int) -> None:
        self._n = min(self._n, n)

    @property
    def data(self) -> np.ndarray:
        """A view of the filled entries (valid until the next append: no copy, for drawing)."""
        return self._data[: self._n]

    def clear(self) -> None:
        self._n = 0


# The series of a MetricsHistory besides the per-layer statistics.
SERIES_NAMES = ("step", "loss", "train_accuracy", "eval_step", "test_accuracy", "test_loss",
                "stats_step")  # fmt: skip

# Per-layer statistics recorded every ``stats_every`` steps.
LAYER_STATS = ("grad_norm", "delta_norm", "update_ratio", "dead_fraction")


@dataclass
class MetricsHistory:
    """Loss every step, running train accuracy, test evaluations, per-layer statistics.

    ``step``/``loss``/``train_accuracy`` have one entry per training step;
    ``eval_step``/``test_accuracy``/``test_loss`` one per evaluation;
    ``stats_step`` and ``layer[name][stat]`` one per statistics sample, where ``stat`` is
    one of ``grad_norm`` (‖∂E/∂W‖), ``delta_norm`` (‖δ‖ of the layer's output, per sample),
    ``update_ratio`` (‖ΔW‖/‖W‖) and ``dead_fraction`` (ReLU units that are 0 for every
    sample of the batch).
    """

    step: Series = field(default_factory=Series)
    loss: Series = field(default_factory=Series)
    train_accuracy: Series = field(default_factory=Series)
    eval_step: Series = field(default_factory=Series)
    test_accuracy: Series = field(default_factory=Series)
    test_loss: Series = field(default_factory=Series)
    stats_step: Series = field(default_factory=Series)
    layer: dict[str, dict[str, Series]] = field(default_factory=dict)

    def layer_series(self, name: str, stat: str) -> Series:
        return self.layer.setdefault(name, {}).setdefault(stat, Series())

    def lengths(self) -> dict[str, Any]:
        """The number of entries of every series (for :meth:`truncate`)."""
        own = {k: len(getattr(self, k)) for k in SERIES_NAMES}
        own["layer"] = {
            (name, stat): len(s) for name, stats in self.layer.items() for stat, s in stats.items()
        }
        return own

    def truncate(self, lengths: dict[str, Any]) -> None:
        """Drop the entries after :meth:`lengths` said ``lengths`` (series begun since go)."""
        for k in SERIES_NAMES:
            getattr(self, k).truncate(lengths[k])
        kept = lengths["layer"]
        for name in list(self.layer):
            stats = self.layer[name]
            for stat in list(stats):
                if (name, stat) in kept:
                    stats[stat].truncate(kept[(name, stat)])
                else:
                    del stats[stat]
            if not stats:
                del self.layer[name]

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Flat ``{"metrics/loss": array, "metrics/layer/C1/grad_norm": array, …}``."""
        out = {f"metrics/{k}": getattr(self, k).values() for k in SERIES_NAMES}
        for name, stats in self.layer.items():
            for stat, s in stats.items():
                out[f"metrics/layer/{name}/{stat}"] = s.values()
        return out

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> MetricsHistory:
        m = cls()
        for key, arr in arrays.items():
            if not key.startswith("metrics/"):
                continue
            parts = key.split("/")
            if len(parts) == 2 and parts[1] in SERIES_NAMES:
                setattr(m, parts[1], Series(arr))
            elif len(parts) == 4 and parts[1] == "layer" and parts[3] in LAYER_STATS:
                m.layer.setdefault(parts[2], {})[parts[3]] = Series(arr)
            else:
                raise ValueError(f"unknown metrics entry {key!r}")
        return m
