"""Time each phase of a LeNet-5 training step, per layer, and the whole step.

    python benchmarks/profile_step.py [--batch-size 64] [--steps 200] [--arch lenet5]

Prints milliseconds per phase (median over the steps) and images/s for the whole step.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from cnnviz.engine import SGD, parallel
from cnnviz.training.architectures import build_network


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--arch", default="lenet5")
    ap.add_argument("--dtype", default="float32")
    ap.add_argument("--threads", type=int, default=None, help="engine threads (default: 1)")
    ap.add_argument("--no-trace", action="store_true")
    ap.add_argument(
        "--clock",
        choices=["wall", "cpu"],
        default="wall",
        help="cpu: this process's CPU time (steadier on a busy machine; single-threaded only)",
    )
    args = ap.parse_args()
    if args.threads is not None:
        parallel.set_num_threads(args.threads)
    clock = time.perf_counter if args.clock == "wall" else time.process_time
    net = build_network(args.arch, dtype=args.dtype, seed=0)
    net.keep_trace = not args.no_trace
    opt = SGD(net.named_params(), lr=0.01, momentum=0.9)
    rng = np.random.default_rng(0)
    n = args.batch_size
    x = rng.normal(size=(n, *net.input_shape)).astype(args.dtype)
    labels = rng.integers(0, 10, n)
    for _ in range(5):
        net.train_step(x, labels, opt)
    times: dict[str, list[float]] = {}
    whole = []
    for _ in range(args.steps):
        t_step = clock()
        step = net.begin_step(x, labels, opt)
        while not step.done:
            t0 = clock()
            phase = step.advance()
            times.setdefault(net.phase_label(phase), []).append(clock() - t0)
        whole.append(clock() - t_step)
    total = 0.0
    for label, ts in times.items():
        med = float(np.median(ts)) * 1e3
        total += med
        print(f"{label:40s} {med:8.3f} ms")
    print(f"{'sum of medians':40s} {total:8.3f} ms")
    step_ms = float(np.median(whole)) * 1e3
    print(f"{'step (median)':40s} {step_ms:8.3f} ms  -> {n / step_ms * 1e3:,.0f} img/s")


if __name__ == "__main__":
    main()
