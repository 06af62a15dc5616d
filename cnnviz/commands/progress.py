"""The command line's one renderer of a dataset's progress: a download, or a folder of images
being decoded.

:func:`cnnviz.datasets.load_dataset` reports ``progress(done, total or None, label)``: for a
download, the bytes of the file ``label``; for a folder (``label`` is the dataset's name,
``folder:PATH``), the images decoded so far. On a terminal the line is redrawn in place (at
most ten times a second) and ends when the file or folder is done; elsewhere (a log, a pipe)
one line says what starts, and a long folder adds a line every five seconds.

>>> bar = ProgressBar()
>>> load_dataset("mnist", progress=bar); bar.finish()
"""

from __future__ import annotations

import sys
import time

from cnnviz.datasets import FOLDER_PREFIX
from cnnviz.i18n import translate

WIDTH = 30  # characters of the bar
REDRAW = 0.1  # seconds between two redraws on a terminal
LOG_EVERY = 5.0  # seconds between two lines of a folder's progress elsewhere


def size_text(n: int | None) -> str:
    """A byte count for people: ``"9.9 MB"``, ``"28.9 kB"`` (``"?"`` when unknown)."""
    if n is None:
        return "?"
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.1f} kB"


class ProgressBar:
    """``progress(done, total, label)`` drawn on ``stream`` (stderr by default)."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.current: str | None = None
        self.last_draw = 0.0

    def __call__(self, done: int, total: int | None, label: str) -> None:
        folder = label.startswith(FOLDER_PREFIX)
        now = time.monotonic()
        if label != self.current:
            self.finish()
            self.current, self.last_draw = label, now if not self.tty else 0.0
            if not self.tty:
                self._line(self._start(label, total, folder))
                return
        finished = total is not None and done >= total
        wait = REDRAW if self.tty else LOG_EVERY
        if now - self.last_draw < wait and not finished:
            return
        if not self.tty and not folder:
            return  # a download's start line says enough in a log
        self.last_draw = now
        text = self._state(label, done, total, folder)
        if self.tty:
            self.stream.write(f"\r{text}".ljust(80))
            self.stream.flush()
            if finished:
                self.finish()
        else:
            self._line(text)

    def finish(self) -> None:
        """End the line drawn (call it when loading stops, however it stops)."""
        if self.tty and self.current is not None:
            self.stream.write("\n")
            self.stream.flush()
        self.current = None

    # ---------------------------------------------------------------- text
    def _line(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()

    @staticmethod
    def _start(label: str, total: int | None, folder: bool) -> str:
        if folder:
            return translate("cli", "reading {n} images of {folder}").format(
                n=total if total is not None else "?", folder=label[len(FOLDER_PREFIX) :]
            )
        size = f" ({size_text(total)})" if total else ""
        return translate("cli", "downloading {file}{size}").format(file=label, size=size)

    @staticmethod
    def _state(label: str, done: int, total: int | None, folder: bool) -> str:
        frac = min(done / total, 1.0) if total else None
        bar = ""
        if frac is not None:
            filled = int(WIDTH * frac)
            bar = f"[{'#' * filled}{'.' * (WIDTH - filled)}] {frac:4.0%}  "
        if folder:
            name = label[len(FOLDER_PREFIX) :]
            count = f"{done}/{total}" if total is not None else str(done)
            return translate("cli", "{folder}  {bar}{count} images").format(
                folder=name, bar=bar, count=count
            )
        amount = f"{size_text(done)} / {size_text(total)}" if total else size_text(done)
        return f"{label}  {bar}{amount}"
