"""``cnnviz bench``: training throughput of the NumPy engine, beside PyTorch's on the same net.

Both train the same network — LeNet-5 by default (conv 6@5×5 pad 2, ReLU, max-pool 2, conv
16@5×5, ReLU, max-pool 2, dense 120/84/10, softmax cross-entropy), or any preset or
architecture file given with ``--arch`` — in float32 with SGD (lr 0.01, momentum 0.9) on
random data of the network's input shape. PyTorch's copy is built layer by layer from the
engine network (:func:`torch_model`) and starts from the same parameters. After a few warm-up
steps each is timed for ``--seconds``; the two alternate in one-second slices so a change in
the machine's load affects both alike. ``--threads`` gives both the same thread count. PyTorch
is optional: without it only the engine is measured.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from cnnviz.engine.layer import fmt_shape
from cnnviz.errors import CnnvizError
from cnnviz.i18n import translate

DEFAULT_ARCH = "lenet5"
CLASSES = 10
LR, MOMENTUM = 0.01, 0.9
WARMUP_STEPS = 3
SLICE_SECONDS = 1.0  # the engine and torch take turns of this length


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "bench",
        help=translate("cli", "training throughput of the engine (and of PyTorch, when installed)"),
        description=translate(
            "cli",
            "Train a network (LeNet-5 unless --arch) on random data for a fixed time "
            "and print images/s of the NumPy engine and, when torch is installed, of PyTorch on "
            "the same network, with the same number of threads.",
        ),
    )
    p.add_argument(
        "--arch",
        default=DEFAULT_ARCH,
        metavar="NAME|FILE",
        help=translate("cli", "a preset name or a .json/.toml architecture file (default lenet5)"),
    )
    p.add_argument(
        "--batch-size", type=int, default=64, metavar="N", help=translate("cli", "default 64")
    )
    p.add_argument(
        "--seconds",
        type=float,
        default=10.0,
        metavar="S",
        help=translate("cli", "time per framework (10)"),
    )
    p.add_argument(
        "--threads",
        type=int,
        default=None,
        metavar="N",
        help=translate("cli", "threads (default: all cores)"),
    )
    p.add_argument(
        "--no-trace",
        action="store_true",
        help=translate(
            "cli", "let the engine drop its trace during the step (what keeping it costs)"
        ),
    )
    p.add_argument(
        "--no-torch", action="store_true", help=translate("cli", "measure the engine only")
    )
    p.add_argument(
        "--json", action="store_true", help=translate("cli", "end with one line of JSON")
    )
    p.set_defaults(func=run)


def default_threads() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


# ---------------------------------------------------------------------- the two contestants
def engine_network(arch: str, seed: int = 0):
    """The engine network of ``arch`` (a preset name or an architecture file), in float32."""
    from cnnviz.training.architectures import build_network

    return build_network(arch, num_classes=CLASSES, dtype="float32", seed=seed)


def engine_step(
    batch_size: int, keep_trace: bool = True, seed: int = 0, arch: str = DEFAULT_ARCH
) -> Callable[[], None]:
    """A function running one engine training step on a fixed random batch."""
    from cnnviz.engine import SGD

    net = engine_network(arch, seed)
    net.keep_trace = keep_trace
    opt = SGD(net.named_params(), lr=LR, momentum=MOMENTUM)
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch_size, *net.input_shape)).astype(np.float32)
    labels = rng.integers(0, CLASSES, batch_size)

    def step() -> None:
        net.train_step(x, labels, opt)

    return step


def torch_model(net):
    """The engine network ``net`` as a ``torch.nn.Sequential`` with the same parameters.

    Every engine layer maps to its PyTorch counterpart; the two the library lacks are
    small modules here: a convolution with a connection table (its kernels multiplied by the
    table, so absent connections get no gradient) and Bouvrie's subsampling
    ``β·(sum of each block) + b``. Returns ``(model, loss_fn)``; ``loss_fn(scores, labels)``
    is the network's loss.
    """
    import torch
    from torch import nn
    from torch.nn import functional as F

    from cnnviz import engine as E

    class MaskedConv2d(nn.Conv2d):
        def __init__(self, mask: np.ndarray, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.register_buffer("mask", torch.from_numpy(mask[:, :, None, None].astype("f4")))

        def forward(self, x):
            return self._conv_forward(x, self.weight * self.mask, self.bias)

    class Subsample(nn.Module):
        def __init__(self, channels: int, k: int) -> None:
            super().__init__()
            self.k = k
            self.beta = nn.Parameter(torch.zeros(channels))
            self.bias = nn.Parameter(torch.zeros(channels))

        def forward(self, x):
            down = F.avg_pool2d(x, self.k) * (self.k * self.k)
            return down * self.beta[:, None, None] + self.bias[:, None, None]

    class ScaledTanh(nn.Module):
        def forward(self, x):
            return E.ScaledTanh.A * torch.tanh(x * (2.0 / 3.0))

    modules = []
    for layer in net.layers:
        if isinstance(layer, E.Conv2D):
            args = (layer.in_channels, layer.out_channels, (layer.kh, layer.kw))
            kw = {"stride": layer.stride, "padding": layer.padding, "bias": layer.use_bias}
            m = (
                nn.Conv2d(*args, **kw)
                if layer.mask is None
                else MaskedConv2d(layer.mask, *args, **kw)
            )
        elif isinstance(layer, E.Dense):
            m = nn.Linear(layer.in_features, layer.out_features, bias=layer.use_bias)
        elif isinstance(layer, E.Flatten):
            m = nn.Flatten()
        elif isinstance(layer, E.MaxPool2D):
            m = nn.MaxPool2d(layer.k, layer.stride)
        elif isinstance(layer, E.AvgPool2D):
            m = nn.AvgPool2d(layer.k, layer.stride)
        elif isinstance(layer, E.LpPool2D):
            m = nn.LPPool2d(layer.p, layer.k, layer.stride)
        elif isinstance(layer, E.Subsampling):
            m = Subsample(layer.channels, layer.k)
        elif isinstance(layer, E.GlobalAvgPool):
            m = nn.AdaptiveAvgPool2d(1)
        elif isinstance(layer, E.BatchNorm2D | E.BatchNorm1D):
            cls = nn.BatchNorm2d if isinstance(layer, E.BatchNorm2D) else nn.BatchNorm1d
            m = cls(layer.num_features, eps=layer.eps, momentum=layer.momentum)
        elif isinstance(layer, E.Dropout):
            m = nn.Dropout(layer.p)
        elif isinstance(layer, E.LeakyReLU):
            m = nn.LeakyReLU(layer.negative_slope)
        elif isinstance(layer, E.ScaledTanh):
            m = ScaledTanh()
        elif isinstance(layer, E.ReLU | E.Sigmoid | E.Tanh):
            m = {E.ReLU: nn.ReLU, E.Sigmoid: nn.Sigmoid, E.Tanh: nn.Tanh}[type(layer)]()
        else:
            raise CnnvizError(
                f"bench: no PyTorch counterpart for layer {layer.name} ({layer.kind})"
            )
        with torch.no_grad():  # start from the engine's parameters
            for key, value in layer.params.items():
                getattr(m, key).copy_(torch.from_numpy(np.ascontiguousarray(value)))
        modules.append(m)
    model = nn.Sequential(*modules).float()

    if isinstance(net.loss, E.SquaredError):
        pos, neg = net.loss.positive, net.loss.negative

        def loss_fn(scores, labels):
            t = torch.full_like(scores, neg)
            t[torch.arange(len(labels)), labels] = pos
            return 0.5 * ((scores - t) ** 2).sum() / len(labels)
    else:
        loss_fn = nn.CrossEntropyLoss()
    return model, loss_fn


def torch_step(
    batch_size: int, seed: int = 0, arch: str = DEFAULT_ARCH
) -> Callable[[], None] | None:
    """The same step in PyTorch, or None when torch is not installed."""
    try:
        import torch
    except ImportError:
        return None

    torch.manual_seed(seed)
    net = engine_network(arch, seed)
    model, loss_fn = torch_model(net)
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    rng = np.random.default_rng(seed)
    x = torch.from_numpy(rng.normal(size=(batch_size, *net.input_shape)).astype(np.float32))
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


def arch_label(arch: str, net) -> str:
    """What the report calls the network: LeNet-5, a preset's name, or a file's stem."""
    if arch == "lenet5":
        return "LeNet-5"
    return Path(arch).stem if arch.endswith((".json", ".toml")) else arch


def run(args: argparse.Namespace) -> int:
    if not 1 <= args.batch_size <= 4096:
        raise CnnvizError("--batch-size must lie in [1, 4096]")
    if not 0 < args.seconds <= 3600:
        raise CnnvizError("--seconds must lie in (0, 3600]")
    threads = args.threads if args.threads is not None else default_threads()
    if not 1 <= threads <= 256:
        raise CnnvizError("--threads must lie in [1, 256]")
    net = engine_network(args.arch)  # a bad --arch fails here, with its message
    label = arch_label(args.arch, net)
    steps: dict[str, Callable[[], None]] = {
        "cnnviz": engine_step(args.batch_size, keep_trace=not args.no_trace, arch=args.arch)
    }
    tstep = None if args.no_torch else torch_step(args.batch_size, arch=args.arch)
    if tstep is not None:
        steps["torch"] = tstep
    trace = "off" if args.no_trace else "on"
    print(
        f"{label} {fmt_shape(net.input_shape)}, {net.num_params:,} parameters, float32, "
        f"SGD momentum {MOMENTUM}, batch {args.batch_size}, "
        f"{threads} thread{'s' if threads != 1 else ''}, {args.seconds:g} s each, trace {trace}",
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
                    "arch": label,
                    "params": net.num_params,
                    "batch_size": args.batch_size,
                    "threads": threads,
                    "trace": not args.no_trace,
                }
            )
        )
    return 0
