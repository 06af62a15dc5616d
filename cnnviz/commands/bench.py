"""``cnnviz bench``: training throughput of the NumPy engine, beside PyTorch's on the same net.

Both train LeNet-5 (conv 6@5×5 pad 2, ReLU, max-pool 2, conv 16@5×5, ReLU, max-pool 2, dense
120/84/10, softmax cross-entropy) in float32 with SGD (lr 0.01, momentum 0.9) on random data of
MNIST's shape. After a few warm-up steps each is timed for ``--seconds``; the two alternate in
one-second slices so a change in the machine's load affects both alike. PyTorch is optional:
without it only the engine is measured.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable

import numpy as np

from cnnviz.errors import CnnvizError

INPUT_SHAPE = (1, 28, 28)
CLASSES = 10
LR, MOMENTUM = 0.01, 0.9
WARMUP_STEPS = 3
SLICE_SECONDS = 1.0  # the engine and torch take turns of this length


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "bench",
        help="training throughput of the engine (and of PyTorch, when installed)",
        description="Train LeNet-5 on random data for a fixed time and print images/s of the "
        "NumPy engine and, when torch is installed, of PyTorch on the same network.",
    )
    p.add_argument("--batch-size", type=int, default=64, metavar="N", help="default 64")
    p.add_argument(
        "--seconds", type=float, default=10.0, metavar="S", help="time per framework (10)"
    )
    p.add_argument(
        "--threads", type=int, default=None, metavar="N", help="threads (default: all cores)"
    )
    p.add_argument(
        "--no-trace",
        action="store_true",
        help="let the engine drop its trace during the step (what keeping it costs)",
    )
    p.add_argument("--no-torch", action="store_true", help="measure the engine only")
    p.add_argument("--json", action="store_true", help="end with one line of JSON")
    p.set_defaults(func=run)


def default_threads() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


# ---------------------------------------------------------------------- the two contestants
def engine_step(batch_size: int, keep_trace: bool = True, seed: int = 0) -> Callable[[], None]:
    """A function running one engine training step on a fixed random batch."""
    from cnnviz.engine import SGD
    from cnnviz.training.architectures import build_network

    net = build_network("lenet5", dtype="float32", seed=seed)
    net.keep_trace = keep_trace
    opt = SGD(net.named_params(), lr=LR, momentum=MOMENTUM)
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch_size, *INPUT_SHAPE)).astype(np.float32)
    labels = rng.integers(0, CLASSES, batch_size)

    def step() -> None:
        net.train_step(x, labels, opt)

    return step


def torch_step(batch_size: int, seed: int = 0) -> Callable[[], None] | None:
    """The same step in PyTorch, or None when torch is not installed."""
    try:
        import torch
    except ImportError:
        return None
    from torch import nn

    torch.manual_seed(seed)
    model = nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 120),
        nn.ReLU(),
        nn.Linear(120, 84),
        nn.ReLU(),
        nn.Linear(84, CLASSES),
    )
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    rng = np.random.default_rng(seed)
    x = torch.from_numpy(rng.normal(size=(batch_size, *INPUT_SHAPE)).astype(np.float32))
    labels = torch.from_numpy(rng.integers(0, CLASSES, batch_size))

    def step() -> None:
        opt.zero_grad(set_to_none=False)
        scores = model(x)
        loss = loss_fn(scores, labels)
        loss.backward()
        opt.step()
        float(loss.detach())  # as the engine, which hands back the loss as a number
        int((scores.argmax(dim=1) == labels).sum())

    return step


def set_threads(n: int, with_torch: bool) -> tuple[int, int | None]:
    """Use ``n`` threads in the engine (and torch); returns the counts before, to restore."""
    from cnnviz.engine import parallel

    before = (parallel.get_num_threads(), None)
    parallel.set_num_threads(n)
    if with_torch:
        import torch

        before = (before[0], torch.get_num_threads())
        torch.set_num_threads(n)
    return before


def restore_threads(before: tuple[int, int | None]) -> None:
    from cnnviz.engine import parallel

    parallel.set_num_threads(before[0])
    if before[1] is not None:
        import torch

        torch.set_num_threads(before[1])


# ---------------------------------------------------------------------- timing
def measure(
    steps: dict[str, Callable[[], None]], batch_size: int, seconds: float
) -> dict[str, float]:
    """Images/s of each step function, timed in alternating slices for ``seconds`` each."""
    for step in steps.values():
        for _ in range(WARMUP_STEPS):
            step()
    elapsed = dict.fromkeys(steps, 0.0)
    count = dict.fromkeys(steps, 0)
    while min(elapsed.values()) < seconds:
        for name, step in steps.items():
            if elapsed[name] >= seconds:
                continue
            budget = min(SLICE_SECONDS, seconds - elapsed[name])
            t0 = time.perf_counter()
            t = t0
            while t - t0 < budget:
                step()
                count[name] += 1
                t = time.perf_counter()
            elapsed[name] += t - t0
    return {name: count[name] * batch_size / elapsed[name] for name in steps}


def run(args: argparse.Namespace) -> int:
    if not 1 <= args.batch_size <= 4096:
        raise CnnvizError("--batch-size must lie in [1, 4096]")
    if not 0 < args.seconds <= 3600:
        raise CnnvizError("--seconds must lie in (0, 3600]")
    threads = args.threads if args.threads is not None else default_threads()
    if not 1 <= threads <= 256:
        raise CnnvizError("--threads must lie in [1, 256]")
    steps: dict[str, Callable[[], None]] = {
        "cnnviz": engine_step(args.batch_size, keep_trace=not args.no_trace)
    }
    tstep = None if args.no_torch else torch_step(args.batch_size)
    if tstep is not None:
        steps["torch"] = tstep
    trace = "off" if args.no_trace else "on"
    print(
        f"LeNet-5, float32, SGD momentum {MOMENTUM}, batch {args.batch_size}, "
        f"{threads} thread{'s' if threads != 1 else ''}, {args.seconds:g} s each, "
        f"trace {trace}",
        flush=True,
    )
    before = set_threads(threads, tstep is not None)
    try:
        rates = measure(steps, args.batch_size, args.seconds)
    finally:
        restore_threads(before)
    engine = rates["cnnviz"]
    torch_rate = rates.get("torch")
    ratio = engine / torch_rate if torch_rate else None
    print(f"cnnviz  {engine:10,.0f} img/s")
    if torch_rate is None:
        print("torch   not installed")
    else:
        print(f"torch   {torch_rate:10,.0f} img/s")
        print(f"ratio   {ratio:10.2f}  (cnnviz / torch)")
    if args.json:
        print(
            json.dumps(
                {
                    "cnnviz_img_s": round(engine, 1),
                    "torch_img_s": None if torch_rate is None else round(torch_rate, 1),
                    "ratio": None if ratio is None else round(ratio, 4),
                    "batch_size": args.batch_size,
                    "threads": threads,
                    "trace": not args.no_trace,
                }
            )
        )
    return 0
