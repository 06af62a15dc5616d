"""Compare training setups fairly on a busy machine: run them in turns, report medians.

    python benchmarks/ab.py [--rounds 5] [--seconds 3] VARIANT...

Each VARIANT is ``label=PYTHONPATH:throughput options``, e.g.

    python benchmarks/ab.py "after=.:--threads 2" "torch=.:--impl torch --threads 2" \\
        "before=/tmp/old:--threads 2"

Every round runs each variant once, in a fresh process, for ``--seconds``; load that comes
and goes then hits all variants alike, and the median over rounds is reported with the
spread (min–max). Images per CPU-second (all threads' CPU time) are reported too: for
single-threaded setups on a machine others keep busy, that is the steadier comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("variants", nargs="+")
    args = ap.parse_args()
    variants = []
    for v in args.variants:
        label, rest = v.split("=", 1)
        path, opts = rest.split(":", 1)
        variants.append((label, os.path.abspath(path), shlex.split(opts)))
    results: dict[str, list[float]] = {label: [] for label, _, _ in variants}
    per_cpu: dict[str, list[float]] = {label: [] for label, _, _ in variants}
    for r in range(args.rounds):
        for label, path, opts in variants:
            env = dict(os.environ, PYTHONPATH=path)
            cmd = [sys.executable, os.path.join(HERE, "throughput.py")]
            cmd += ["--seconds", str(args.seconds), *opts]
            out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
            data = json.loads(out.stdout.strip().splitlines()[-1])
            results[label].append(data["img_s"])
            per_cpu[label].append(data["img_s"] / data["cpu_per_wall"])
        print(f"round {r + 1}: " + ", ".join(f"{k} {v[-1]:,.0f}" for k, v in results.items()))
    print()
    for label, v in results.items():
        print(
            f"{label:20s} median {statistics.median(v):9,.0f} img/s  ({min(v):,.0f}–{max(v):,.0f})"
        )


if __name__ == "__main__":
    main()
