"""The training speeds the app offers, slowest first."""

from __future__ import annotations

# Speeds offered by the app, slowest first: (label, mode, rate). ``rate`` is phases per second
# in "phase" mode, steps per second in "batch" mode, None for as fast as possible.
SPEEDS: list[tuple[str, str, float | None]] = [
    ("1 phase/s", "phase", 1.0),
    ("3 phases/s", "phase", 3.0),
    ("10 phases/s", "phase", 10.0),
    ("1 batch/s", "batch", 1.0),
    ("5 batches/s", "batch", 5.0),
    ("20 batches/s", "batch", 20.0),
    ("full speed", "batch", None),
]
FULL_SPEED = len(SPEEDS) - 1
