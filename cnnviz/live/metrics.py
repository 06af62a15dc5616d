"""Metric entries as messages: every new loss, accuracy, evaluation and layer statistic, in
order, beside the latest-only snapshot.

The session reads what its trainer's :class:`~cnnviz.training.metrics.MetricsHistory` has
gained since the last read with a :class:`MetricsCursor` and emits it as a
:class:`MetricsBatch` (the ``metrics`` event) before each snapshot it publishes. The training
process sends each batch to the app as an ordered message on the socket (snapshots may replace
each other, batches never do), and the app appends them (:func:`append_batch`, the plots).
Nothing is counted back: a receiver that appends every batch in order has every entry once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cnnviz.training.metrics import MetricsHistory

# the per-step, per-evaluation and per-statistics-sample columns, in the order of MetricsHistory
STEP_COLUMNS = ("step", "loss", "train_accuracy")
EVAL_COLUMNS = ("eval_step", "test_accuracy", "test_loss")
STATS_COLUMN = "stats_step"
_COLUMNS = (*STEP_COLUMNS, *EVAL_COLUMNS, STATS_COLUMN)


def _empty() -> np.ndarray:
    return np.zeros(0, dtype=np.float64)


@dataclass
class MetricsBatch:
    """Metric entries new since the previous batch, each column float64 (n,).

    ``start`` says the batch begins a history (the first of a session, or of a new network or
    a reset): forget every entry received before it. ``layer[name][stat]`` holds the new values
    of one per-layer statistic; they belong to the last ``len`` entries of ``stats_step``
    (a series may begin later than the statistics samples)."""

    generation: int
    start: bool
    step: np.ndarray = field(default_factory=_empty)
    loss: np.ndarray = field(default_factory=_empty)
    train_accuracy: np.ndarray = field(default_factory=_empty)
    eval_step: np.ndarray = field(default_factory=_empty)
    test_accuracy: np.ndarray = field(default_factory=_empty)
    test_loss: np.ndarray = field(default_factory=_empty)
    stats_step: np.ndarray = field(default_factory=_empty)
    layer: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)

    def __len__(self) -> int:
        """Entries in the batch, of every column and statistic."""
        own = sum(len(getattr(self, c)) for c in _COLUMNS)
        return own + sum(len(a) for stats in self.layer.values() for a in stats.values())


class MetricsCursor:
    """Reads what a :class:`MetricsHistory` has gained since the last read (on the thread
    that appends to it, or while it does not change)."""

    def __init__(self) -> None:
        self._history: MetricsHistory | None = None
        self._generation: int | None = None
        self._read: dict[str, int] = {}
        self._read_layer: dict[tuple[str, str], int] = {}

    def restart(self) -> None:
        """The next batch starts the history over (``start``, every entry): after entries
        were taken back (undo), receivers drop what they had and take the history anew."""
        self._history = None

    def take(self, history: MetricsHistory, generation: int) -> MetricsBatch | None:
        """The entries since the last call, or None if there are none. A new ``history`` or
        ``generation`` starts over: its batch has ``start`` set and every entry."""
        start = history is not self._history or generation != self._generation
        if start:
            self._history, self._generation = history, generation
            self._read, self._read_layer = {}, {}
        batch = MetricsBatch(generation, start)
        for column in _COLUMNS:
            series = getattr(history, column)
            i, n = self._read.get(column, 0), len(series)
            if n > i:
                setattr(batch, column, series.values(i, n))
                self._read[column] = n
        for name, stats in history.layer.items():
            for stat, series in stats.items():
                i, n = self._read_layer.get((name, stat), 0), len(series)
                if n > i:
                    batch.layer.setdefault(name, {})[stat] = series.values(i, n)
                    self._read_layer[(name, stat)] = n
        return batch if start or len(batch) else None


def append_batch(history: MetricsHistory, batch: MetricsBatch) -> MetricsHistory:
    """``history`` with ``batch`` appended (a new history if the batch starts one)."""
    if batch.start:
        history = MetricsHistory()
    for column in _COLUMNS:
        values = getattr(batch, column)
        if len(values):
            getattr(history, column).extend(values)
    for name, stats in batch.layer.items():
        for stat, values in stats.items():
            history.layer_series(name, stat).extend(values)
    return history
