"""How fast the app starts and how fast it answers Pause and Step while training at full speed.

    python benchmarks/app_latency.py                  # 5 starts, 20 pauses and steps
    python benchmarks/app_latency.py --starts 10 --rounds 50

Start-up: the time from launching a new Python process (as the ``cnnviz`` command does) to
the main window being shown, and to its first drawn snapshot of the network (ready to train).
Pause: from the Pause action (what Space triggers) while training at full speed to the first
drawn snapshot that shows training stopped. Step: from the Step-batch action (→) while paused
to the first drawn snapshot one step further. Both are what a user sees, the GUI's frame timer
included. Runs offscreen unless a display is set (use Xvfb for a real window).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CNNVIZ_NO_PROMPT", "1")
os.environ.setdefault("CNNVIZ_SETTINGS", "/tmp/cnnviz-bench-settings.ini")

# The child: what ``cnnviz`` runs (cnnviz.app.main.run_app), printing when the window is shown
# and when the first snapshot is drawn, then closing.
CHILD = """
import sys
from cnnviz.cli import main  # the console script's entry point, imported as it imports it
from cnnviz.app.main import start_training
remote = start_training()  # as run_app does, before Qt is imported
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from cnnviz.app.window import MainWindow
app = QApplication(sys.argv[:1])
window = MainWindow(remote=remote)
window.show()
app.processEvents()  # the first paint
print("shown", flush=True)
def drawn(_snap):
    print("ready", flush=True)
    QTimer.singleShot(0, window.close)
window.snapshotRendered.connect(drawn)
sys.exit(app.exec())
"""


def startup(runs: int) -> tuple[list[float], list[float]]:
    """Seconds from launching the process to the window shown, and to the first drawing."""
    shown, ready = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True,
        )  # fmt: skip
        for line in child.stdout:
            if line.startswith("shown"):
                shown.append(time.perf_counter() - t0)
            elif line.startswith("ready"):
                ready.append(time.perf_counter() - t0)
        if child.wait(60) != 0:
            raise SystemExit(f"the app exited with code {child.returncode}")
    return shown, ready


def pause_and_step(rounds: int, arch: str, dataset: str) -> tuple[list[float], ...]:
    """Seconds from Pause (at full speed) to the snapshot showing it drawn, and to the training
    thread stopping; from Step (paused) to the snapshot one step further drawn."""
    import random

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from cnnviz.app.window import MainWindow
    from cnnviz.training.trainer import Hyperparameters

    _app = QApplication.instance() or QApplication([])  # alive for the whole run
    w = MainWindow(arch=arch, dataset=dataset, hyperparameters=Hyperparameters(epochs=100_000))
    w.resize(1600, 1000)
    w.show()

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def until_drawn(action, cond, limit_s: float = 10.0) -> float:
        """Seconds from ``action()`` until a drawn snapshot satisfies ``cond``."""
        loop = QEventLoop()
        seen: list[float] = []

        def check(snap) -> None:
            if not seen and cond(snap):
                seen.append(time.perf_counter() - t0)
                loop.quit()

        w.snapshotRendered.connect(check)
        t0 = time.perf_counter()
        action()
        QTimer.singleShot(int(limit_s * 1000), loop.quit)
        loop.exec()
        w.snapshotRendered.disconnect(check)
        if not seen:
            raise SystemExit("no snapshot showed the change within 10 s")
        return seen[0]

    while w.snapshot is None:
        wait(50)
    rng = random.Random(0)
    pauses, stops, steps = [], [], []
    stopped_at: list[float] = []  # when the training thread stopped (its own callback)
    w.session.subscribe("running", lambda on: on or stopped_at.append(time.perf_counter()))
    w.act_play.trigger()
    wait(2000)  # warm-up at full speed
    for _ in range(rounds):
        wait(rng.randint(300, 800))  # pause at an arbitrary point of a step
        stopped_at.clear()
        t0 = time.perf_counter()
        pauses.append(until_drawn(w.act_play.trigger, lambda s: not s.running))
        stops.append(stopped_at[0] - t0)
        wait(100)
        after = w.snapshot.step + 1  # the paused snapshot's step, plus one
        steps.append(
            until_drawn(w.act_step.trigger, lambda s, n=after: s.step == n and not s.running)
        )
        w.act_play.trigger()
    w.act_play.trigger()
    w.close()
    return pauses, stops, steps


def summary(name: str, seconds: list[float]) -> str:
    ms = sorted(1000 * s for s in seconds)
    return (
        f"{name:24s} median {statistics.median(ms):5.0f} ms, 90th percentile "
        f"{ms[int(0.9 * (len(ms) - 1))]:5.0f} ms, longest {ms[-1]:5.0f} ms ({len(ms)} runs)"
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--starts", type=int, default=5, help="app starts to time")
    p.add_argument("--rounds", type=int, default=20, help="pauses and steps to time")
    p.add_argument("--arch", default="lenet5")
    p.add_argument("--dataset", default="synthetic-digits")
    args = p.parse_args()
    shown, ready = startup(args.starts)
    print(summary("start: window shown", shown))
    print(summary("start: network drawn", ready))
    pauses, stops, steps = pause_and_step(args.rounds, args.arch, args.dataset)
    print(summary("pause: training stops", stops))
    print(summary("pause: drawn", pauses))
    print(summary("step one batch: drawn", steps))


if __name__ == "__main__":
    main()
