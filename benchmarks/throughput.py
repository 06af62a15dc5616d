"""Images/s of one training setup, as one line of JSON — the unit that ``ab.py`` alternates.

    python benchmarks/throughput.py [--impl engine|torch] [--batch-size 64] [--seconds 3]
                                    [--threads N] [--no-trace] [--blas-threads N]
                                    [--arch NAME|FILE]

The engine is imported from ``PYTHONPATH`` (so an older checkout can be measured the same
way); options an older engine lacks (threads, keep_trace) are skipped.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np


def engine_step(
    batch_size: int, keep_trace: bool, threads: int | None, blas: int | None, arch: str
):
    from cnnviz.engine import SGD
    from cnnviz.training.architectures import build_network

    try:
        from cnnviz.engine import parallel

        if threads is not None:
            parallel.set_num_threads(threads)
        if blas is not None:  # an experiment: OpenBLAS's own threads for the products
            parallel.hold_blas = parallel.release_blas = lambda: None
            parallel._blas_functions()[0](blas)
    except ImportError:
        pass
    net = build_network(arch, dtype="float32", seed=0)
    net.keep_trace = keep_trace
    opt = SGD(net.named_params(), lr=0.01, momentum=0.9)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(batch_size, *net.input_shape)).astype(np.float32)
    labels = rng.integers(0, 10, batch_size)
    return lambda: net.train_step(x, labels, opt)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--impl", choices=["engine", "torch"], default="engine")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--no-trace", action="store_true")
    ap.add_argument("--arch", default="lenet5", help="a preset name or architecture file")
    ap.add_argument(
        "--blas-threads", type=int, default=None, help="leave OpenBLAS at N threads in steps"
    )
    args = ap.parse_args()
    if args.impl == "torch":
        import torch

        from cnnviz.commands.bench import torch_step

        if args.threads is not None:
            torch.set_num_threads(args.threads)
        step = torch_step(args.batch_size, arch=args.arch)
    else:
        step = engine_step(
            args.batch_size, not args.no_trace, args.threads, args.blas_threads, args.arch
        )
    for _ in range(3):
        step()
    count = 0
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    while time.perf_counter() - t0 < args.seconds:
        step()
        count += 1
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    print(json.dumps({"img_s": count * args.batch_size / wall, "cpu_per_wall": cpu / wall}))


if __name__ == "__main__":
    main()
