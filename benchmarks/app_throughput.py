"""Training throughput with every view on screen, against the same training headless, and
how long the GUI thread ever goes without running its event loop.

    python benchmarks/app_throughput.py --seconds 30
    python benchmarks/app_throughput.py --seconds 1800 --headless-seconds 60   # memory
    python benchmarks/app_throughput.py --seconds 480 --headless-seconds 4 --trace-memory

Prints images/s in the app and headless, their ratio, the longest gap between ticks of a
10 ms timer on the GUI thread (a stall), the 99th percentile gap, and the process's resident
memory before and after. Runs offscreen unless a display is set (use Xvfb for a real window).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
from collections import Counter

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CNNVIZ_NO_PROMPT", "1")
os.environ.setdefault("CNNVIZ_SETTINGS", "/tmp/cnnviz-bench-settings.ini")


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def headless(arch: str, dataset: str, seconds: float) -> float:
    from cnnviz.datasets import load_dataset
    from cnnviz.training.trainer import Hyperparameters, Trainer

    trainer = Trainer.create(arch, load_dataset(dataset), Hyperparameters(epochs=1000))
    for _ in range(3):
        trainer.step_batch()
    t0, n0 = time.perf_counter(), trainer.images_seen
    while time.perf_counter() - t0 < seconds:
        trainer.step_batch()
    return (trainer.images_seen - n0) / (time.perf_counter() - t0)


def in_app(
    arch: str, dataset: str, seconds: float, share: float | None = None, trace: bool = False
) -> dict:
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from cnnviz.app.window import MainWindow
    from cnnviz.training.trainer import Hyperparameters

    _app = QApplication.instance() or QApplication([])  # alive for the whole run
    # epochs enough for any run (the app's default of 10 ends in about half a minute)
    w = MainWindow(arch=arch, dataset=dataset, hyperparameters=Hyperparameters(epochs=100_000))
    w.resize(1600, 1000)
    w.show()

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    while w.session is None:
        wait(50)
    if share is not None:
        w.budget.share = share
    gaps: list[float] = []
    clock = QElapsedTimer()
    probe = QTimer()
    probe.setInterval(10)

    def tick() -> None:
        if clock.isValid():
            gaps.append(clock.nsecsElapsed() / 1e6)
        clock.restart()

    probe.timeout.connect(tick)
    rss0 = rss_mb()
    # (seconds, resident MB, metric entries, traced bytes besides the timeline's or None)
    memory: list[tuple[float, float, int, int | None]] = []
    by_file: list[tuple[int, tracemalloc.Snapshot]] = []  # (steps, snapshot)
    sampler = QTimer()
    sampler.setInterval(int(max(seconds / 12, 1.0) * 1000))

    def sample_memory(final: bool = False) -> None:
        m = w.session.trainer.metrics
        entries = len(m.step)
        traced = None
        if tracemalloc.is_tracing():
            traced = tracemalloc.get_traced_memory()[0] - w.session.timeline.nbytes
            if len(memory) == 2 or final:  # the third sample and the last: compare by file
                by_file.append((entries, tracemalloc.take_snapshot()))
        memory.append((time.perf_counter() - t0, rss_mb(), entries, traced))

    sampler.timeout.connect(sample_memory)
    if trace:
        tracemalloc.start()
    w.toggle_play()
    wait(2000)  # warm-up
    trainer = w.session.trainer
    gaps.clear()
    probe.start()
    t0, n0 = time.perf_counter(), trainer.images_seen
    drawn0, flushes0, cpu0 = Counter(w.draw_counts), w.plots.flushes, time.thread_time()
    sample_memory()
    sampler.start()
    wait(int(seconds * 1000))
    elapsed = time.perf_counter() - t0
    rate = (trainer.images_seen - n0) / elapsed
    gui_share = (time.thread_time() - cpu0) / elapsed
    drawn = {k: (v - drawn0[k]) / elapsed for k, v in w.draw_counts.items()}
    plots_fps = (w.plots.flushes - flushes0) / elapsed
    probe.stop()
    sampler.stop()
    sample_memory(final=True)
    tracemalloc.stop()
    w.toggle_play()
    frames = w.snapshot.serial if w.snapshot else 0
    rss1 = rss_mb()
    w.close()
    gaps.sort()
    return {
        "rate": rate,
        "max_gap_ms": gaps[-1] if gaps else float("nan"),
        "p99_gap_ms": gaps[int(0.99 * (len(gaps) - 1))] if gaps else float("nan"),
        "rss_before_mb": rss0,
        "rss_after_mb": rss1,
        "frames": frames,
        "gui_share": gui_share,
        "drawn": drawn,
        "plots_fps": plots_fps,
        "memory": memory,
        "by_file": by_file,
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--arch", default="lenet5")
    p.add_argument("--dataset", default="synthetic-digits")
    p.add_argument("--seconds", type=float, default=30.0)
    p.add_argument(
        "--share", type=float, default=None,
        help="the GUI thread's drawing budget (share of wall time; default the app's)",
    )  # fmt: skip
    p.add_argument(
        "--switch-interval", type=float, default=None,
        help="the interpreter's thread switch interval in ms (default Python's, 5 ms)",
    )  # fmt: skip
    p.add_argument(
        "--headless-seconds", type=float, default=None,
        help="headless training time (half before the app, half after; default --seconds)",
    )  # fmt: skip
    p.add_argument(
        "--trace-memory", action="store_true",
        help="trace Python's and NumPy's allocations (slower): how much memory besides the "
        "timeline of weights each step adds",
    )  # fmt: skip
    args = p.parse_args()
    base_s = args.seconds if args.headless_seconds is None else args.headless_seconds
    # headless before and after the app, half the time each: the machine's speed drifts
    before = headless(args.arch, args.dataset, base_s / 2)
    if args.switch_interval is not None:
        sys.setswitchinterval(args.switch_interval / 1000)
    app = in_app(args.arch, args.dataset, args.seconds, args.share, args.trace_memory)
    after = headless(args.arch, args.dataset, base_s / 2)
    base = (before + after) / 2
    print(f"app:      {app['rate']:8.0f} images/s with every view on screen")
    print(
        f"headless: {base:8.0f} images/s (the trainer alone, as cnnviz train runs it; "
        f"{before:.0f} before the app, {after:.0f} after)"
    )
    print(f"ratio:    {app['rate'] / base:8.2f}")
    print(
        f"GUI thread: longest gap between 10 ms timer ticks {app['max_gap_ms']:.1f} ms, "
        f"99th percentile {app['p99_gap_ms']:.1f} ms"
    )
    d = app["drawn"]
    print(
        f"GUI thread busy {100 * app['gui_share']:.0f}% of the time; drawn per second: "
        f"overview {d.get('overview', 0):.1f}, sample {d.get('sample', 0):.1f}, "
        f"lower panel {d.get('lower', 0):.1f}, plots {app['plots_fps']:.1f}"
    )
    print(
        f"memory: {app['rss_before_mb']:.0f} MB before training, "
        f"{app['rss_after_mb']:.0f} MB after {args.seconds:.0f} s"
    )
    print(
        "resident memory while training (s: MB): "
        + ", ".join(f"{t:.0f}: {mb:.0f}" for t, mb, _, _ in app["memory"])
    )
    if args.trace_memory:
        # a line through the samples from the third on (the timeline is near its cap by
        # then); single samples catch transient allocations, an evaluation's for one
        rows = [(n, b) for _, _, n, b in app["memory"][2:] if b is not None]
        steps = np.array([n for n, _ in rows], dtype=np.float64)
        traced = np.array([b for _, b in rows], dtype=np.float64)
        slope = np.polyfit(steps, traced, 1)[0] if len(rows) >= 2 else float("nan")
        print(
            "traced memory besides the timeline (steps: MB): "
            + ", ".join(f"{n}: {b / 2**20:.1f}" for n, b in rows)
        )
        print(f"grows by {slope:.0f} bytes a step (least squares)")
        if len(app["by_file"]) == 2:
            (n0, first), (n1, last) = app["by_file"]
            print(f"bytes a step by file, from step {n0} to step {n1}:")
            for stat in last.compare_to(first, "filename")[:8]:
                name = stat.traceback[0].filename.split(os.sep)[-1]
                print(f"  {name:24s} {stat.size_diff / max(n1 - n0, 1):+8.1f}")


if __name__ == "__main__":
    main()
