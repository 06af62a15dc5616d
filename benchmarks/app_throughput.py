"""Training throughput with every view on screen, against the same training headless, and
how long the GUI thread ever goes without running its event loop.

    python benchmarks/app_throughput.py --seconds 30
    python benchmarks/app_throughput.py --seconds 1800 --headless-seconds 60   # memory
    QT_SCALE_FACTOR=2 python benchmarks/app_throughput.py --size 1920x1080 --present  # 4K

Prints images/s in the app and headless, their ratio, the longest gap between ticks of a
10 ms timer on the GUI thread (a stall), the 99th percentile gap, and the resident memory of
the app's process and of its training process over the run. Runs offscreen unless a display
is set (use Xvfb for a real window).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from collections import Counter

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CNNVIZ_NO_PROMPT", "1")
os.environ.setdefault("CNNVIZ_SETTINGS", "/tmp/cnnviz-bench-settings.ini")


def rss_mb(pid: int | str = "self") -> float:
    with open(f"/proc/{pid}/statm") as f:
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
    arch: str, dataset: str, seconds: float, share: float | None = None,
    size: tuple[int, int] = (1600, 1000), present: bool = False,
) -> dict:  # fmt: skip
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from cnnviz.app.window import MainWindow
    from cnnviz.training.trainer import Hyperparameters

    _app = QApplication.instance() or QApplication([])  # alive for the whole run
    # epochs enough for any run (the app's default of 10 ends in about half a minute)
    w = MainWindow(arch=arch, dataset=dataset, hyperparameters=Hyperparameters(epochs=100_000))
    w.resize(*size)
    w.show()

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    while w.session is None:
        wait(50)
    if present:
        w.lecture.toggle_presentation()
        wait(500)
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
    child = w.session.process.pid
    # (seconds, app MB, training process MB, metric entries)
    memory: list[tuple[float, float, float, int]] = []
    sampler = QTimer()
    sampler.setInterval(int(max(seconds / 12, 1.0) * 1000))

    def state() -> dict:
        return w.session.request_sync("state")

    def sample_memory() -> None:  # asks the training process without waiting for it
        t, app_mb, child_mb = time.perf_counter() - t0, rss_mb(), rss_mb(child)

        def done(ok, result):
            memory.append((t, app_mb, child_mb, result["metric_entries"] if ok else -1))

        w.session.request("state", done)

    sampler.timeout.connect(sample_memory)
    w.toggle_play()
    wait(2000)  # warm-up
    t0, n0 = time.perf_counter(), state()["images_seen"]
    gaps.clear()
    probe.start()
    drawn0, flushes0, cpu0 = Counter(w.draw_counts), w.plots.flushes, time.thread_time()
    sample_memory()
    sampler.start()
    wait(int(seconds * 1000))
    probe.stop()
    sampler.stop()
    gui_share = (time.thread_time() - cpu0) / (time.perf_counter() - t0)
    drawn = {k: (v - drawn0[k]) / (time.perf_counter() - t0) for k, v in w.draw_counts.items()}
    plots_fps = (w.plots.flushes - flushes0) / (time.perf_counter() - t0)
    rate = (state()["images_seen"] - n0) / (time.perf_counter() - t0)
    sample_memory()
    wait(200)
    w.toggle_play()
    frames = w.snapshot.serial if w.snapshot else 0
    rss1 = rss_mb()
    w.close()
    gaps.sort()
    return {
        "rate": rate,
        "max_gap_ms": gaps[-1] if gaps else float("nan"),
        "p99_gap_ms": gaps[int(0.99 * (len(gaps) - 1))] if gaps else float("nan"),
        "gaps": len(gaps),
        "longest_gaps_ms": gaps[-5:][::-1],
        "gaps_over_50": sum(g >= 50 for g in gaps),
        "rss_before_mb": rss0,
        "rss_after_mb": rss1,
        "frames": frames,
        "gui_share": gui_share,
        "drawn": drawn,
        "plots_fps": plots_fps,
        "memory": memory,
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
        "--size", default="1600x1000",
        help="the window's size in logical pixels (3840×2160 at device pixel ratio 2: run with "
        "QT_SCALE_FACTOR=2 and --size 1920x1080)",
    )  # fmt: skip
    p.add_argument("--present", action="store_true", help="in presentation mode (F11)")
    args = p.parse_args()
    size = tuple(int(v) for v in args.size.lower().split("x"))
    base_s = args.seconds if args.headless_seconds is None else args.headless_seconds
    # headless before and after the app, half the time each: the machine's speed drifts
    before = headless(args.arch, args.dataset, base_s / 2)
    if args.switch_interval is not None:
        sys.setswitchinterval(args.switch_interval / 1000)
    app = in_app(args.arch, args.dataset, args.seconds, args.share, size, args.present)
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
        f"99th percentile {app['p99_gap_ms']:.1f} ms; {app['gaps_over_50']} of {app['gaps']} "
        f"gaps 50 ms or longer; the longest: "
        + ", ".join(f"{g:.1f}" for g in app["longest_gaps_ms"])
    )
    d = app["drawn"]
    print(
        f"GUI thread busy {100 * app['gui_share']:.0f}% of the time; drawn per second: "
        f"overview {d.get('overview', 0):.1f}, sample {d.get('sample', 0):.1f}, "
        f"lower panel {d.get('lower', 0):.1f}, plots {app['plots_fps']:.1f}"
    )
    print(
        f"memory of the app's process: {app['rss_before_mb']:.0f} MB before training, "
        f"{app['rss_after_mb']:.0f} MB after {args.seconds:.0f} s"
    )
    print(
        "resident memory while training (s: app MB + training process MB, metric entries): "
        + ", ".join(f"{t:.0f}: {a:.0f} + {c:.0f} ({n})" for t, a, c, n in app["memory"])
    )


if __name__ == "__main__":
    main()
