"""How long closing the window takes: from ``close()`` to the app's process having exited.

    python benchmarks/app_close.py [--repeats 5] [--arch lenet5:synthetic-digits cifar-small:shapes]

Each run starts the real app (``MainWindow`` with its training process) in a subprocess on the
offscreen platform, with nothing unsaved asked about (``CNNVIZ_NO_PROMPT``), lets it reach a
state, then closes the window. The child prints the wall-clock time just before ``close()``;
the parent notes when the process has exited. States: ``idle`` (the network built, paused),
``training`` (playing at full speed for at least 20 steps). Prints one line per state and
architecture: median and maximum seconds over the runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from cnnviz.app.window import MainWindow

app = QApplication([])
w = MainWindow(arch={arch!r}, dataset={dataset!r})
QTimer.singleShot(90_000, lambda: sys.exit(3))  # never got there: fail, do not hang
w.resize(1280, 720)
w.show()
training = {training!r}

def ready():
    s = w.snapshot
    if w.session is None or s is None:
        QTimer.singleShot(20, ready); return
    if training and not s.running:
        w.toggle_play()
    QTimer.singleShot(20, close_when_there)

def close_when_there():
    s = w.snapshot
    if training and not (s.running and s.step >= 20):
        QTimer.singleShot(20, close_when_there); return
    print("CLOSE", repr(time.time()), flush=True)
    w.close()

ready()
sys.exit(app.exec())
"""


def one_run(arch: str, dataset: str, training: bool, settings: str) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CNNVIZ_NO_PROMPT="1",
               CNNVIZ_SETTINGS=settings, PYTHONPATH=str(ROOT))  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD.format(arch=arch, dataset=dataset, training=training)],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    closed_at = None
    for line in proc.stdout:  # to the end: the training process holds the pipe too
        if line.startswith("CLOSE "):
            closed_at = float(line.split()[1])
    proc.wait(timeout=120)
    ended = time.time()
    if closed_at is None or proc.returncode != 0:
        raise SystemExit(f"the app exited with {proc.returncode} before it was closed")
    return ended - closed_at


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument(
        "--arch", nargs="+", default=["lenet5:synthetic-digits", "cifar-small:shapes"],
        help="architecture:dataset pairs",
    )  # fmt: skip
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        for pair in args.arch:
            arch, _, dataset = pair.partition(":")
            for state, training in (("idle", False), ("training", True)):
                times = [
                    one_run(
                        arch,
                        dataset or "synthetic-digits",
                        training,
                        str(Path(tmp) / f"settings-{k}.ini"),
                    )
                    for k in range(args.repeats)
                ]  # a settings file per run: each opens as on a fresh machine
                print(
                    f"{arch:12s} {state:9s} close → exit: median {statistics.median(times):.2f} s, "
                    f"max {max(times):.2f} s over {len(times)} runs",
                    flush=True,
                )


if __name__ == "__main__":
    main()
