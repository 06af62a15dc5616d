"""The training speeds the app offers, slowest first."""

from __future__ import annotations

from cnnviz.i18n import QT_TRANSLATE_NOOP

# Speeds offered by the app, slowest first: (label, mode, rate); the label is English (lecture
# presets name a speed by it) and shown translated. ``rate`` is phases per second
# in "phase" mode, steps per second in "batch" mode, None for as fast as possible.
SPEEDS: list[tuple[str, str, float | None]] = [
    (QT_TRANSLATE_NOOP("speeds", "1 phase/s"), "phase", 1.0),
    (QT_TRANSLATE_NOOP("speeds", "3 phases/s"), "phase", 3.0),
    (QT_TRANSLATE_NOOP("speeds", "10 phases/s"), "phase", 10.0),
    (QT_TRANSLATE_NOOP("speeds", "1 batch/s"), "batch", 1.0),
    (QT_TRANSLATE_NOOP("speeds", "5 batches/s"), "batch", 5.0),
    (QT_TRANSLATE_NOOP("speeds", "20 batches/s"), "batch", 20.0),
    (QT_TRANSLATE_NOOP("speeds", "full speed"), "batch", None),
]
FULL_SPEED = len(SPEEDS) - 1
