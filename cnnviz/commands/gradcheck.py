"""``cnnviz gradcheck``: backpropagation against central differences, one table per network.

::

    cnnviz gradcheck [--arch NAME|PATH] [--dtype float64|float32] [--batch-size 4] [--seed 0]
                     [--entries 24]

Without ``--arch`` it checks ``lenet5`` and ``every-layer`` (which uses every layer type). The
input is standard normal noise of the architecture's input shape, with random labels. For each
parameter (and the network input) it prints the relative error

    ‖g_backprop − g_numeric‖ / (‖g_backprop‖ + ‖g_numeric‖)

over a random sample of entries (see :func:`cnnviz.engine.gradient_check`), and exits with 1
when any error exceeds the threshold: 1e-6 in float64; 1e-2 in float32, where a finite
difference is only accurate to about 1e-3.
"""

from __future__ import annotations

import argparse

import numpy as np

from cnnviz.engine import fmt_shape, gradient_check
from cnnviz.engine.gradcheck import held_at_zero
from cnnviz.i18n import translate
from cnnviz.training.architectures import build_network

DEFAULT_ARCHS = ("lenet5", "every-layer")
THRESHOLDS = {"float64": 1e-6, "float32": 1e-2}


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 1024:
        raise argparse.ArgumentTypeError(f"expected an integer in [1, 1024], got {text!r}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value < 1 << 32:
        raise argparse.ArgumentTypeError(f"expected a seed in [0, 2³² − 1], got {text!r}")
    return value


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "gradcheck",
        help=translate("cli", "check backpropagation against finite differences"),
        description=translate(
            "cli",
            "Compare every parameter gradient (and the input gradient) of a network with "
            "central differences, and print the relative errors. Exits with 1 when any error "
            "exceeds {float64} (float64) or {float32} (float32).",
        ).format(float64=f"{THRESHOLDS['float64']:g}", float32=f"{THRESHOLDS['float32']:g}"),
    )
    p.add_argument(
        "--arch",
        metavar="NAME|PATH",
        help=translate(
            "cli", "a preset or a .toml/.json architecture file (default: {archs})"
        ).format(archs=translate("cli", " and ").join(DEFAULT_ARCHS)),
    )
    p.add_argument("--dtype", choices=tuple(THRESHOLDS), default="float64")
    p.add_argument("--batch-size", type=_positive_int, default=4, metavar="N")
    p.add_argument(
        "--seed",
        type=_seed,
        default=0,
        help=translate("cli", "seed of the weights, input and sampling"),
    )
    p.add_argument("--entries", type=_positive_int, default=24, metavar="K",
                   help=translate("cli", "entries sampled per parameter (default 24)"))  # fmt: skip
    p.set_defaults(func=run)


def check_network(net, batch_size: int, seed: int, entries: int):
    """Check ``net`` on noise; rows ``(key, shape, entries checked, relative error)``."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch_size, *net.input_shape))
    labels = rng.integers(0, net.output_shape[0], size=batch_size)
    errors = gradient_check(net, x, labels, max_entries=entries, seed=seed)
    held = held_at_zero(net)
    shapes = {k: p.shape for k, p in net.state_dict().items()} | {"input": x.shape}
    rows = []
    for key, err in errors.items():
        size = int(np.prod(shapes[key]))
        free = size - int(held[key].sum()) if key in held else size
        rows.append((key, shapes[key], min(entries, free), err))
    return rows


def run(args: argparse.Namespace) -> int:
    archs = [args.arch] if args.arch else list(DEFAULT_ARCHS)
    # build every network first: a bad name or file fails before anything is printed
    nets = [(arch, build_network(arch, dtype=args.dtype, seed=args.seed)) for arch in archs]
    threshold = THRESHOLDS[args.dtype]
    print(
        "rel. error = ‖g_backprop − g_numeric‖ / (‖g_backprop‖ + ‖g_numeric‖) "
        f"over the sampled entries; threshold {threshold:g} in {args.dtype}"
    )
    if args.dtype == "float32":
        print(
            "float32: central differences are only accurate to about 1e-3 in single precision, "
            "so the threshold is looser; use --dtype float64 for a strict check"
        )
    failed = False
    for arch, net in nets:
        rows = check_network(net, args.batch_size, args.seed, args.entries)
        print()
        print(
            f"{arch}: {net.num_params} parameters, batch {args.batch_size}, seed {args.seed}, "
            f"up to {args.entries} entries per parameter"
        )
        width = max(len("parameter"), *(len(r[0]) for r in rows))
        shape_width = max(len("shape"), *(len(fmt_shape(r[1])) for r in rows))
        print(f"  {'parameter':<{width}}  {'shape':<{shape_width}}  entries  rel. error")
        for key, shape, n, err in rows:
            print(
                f"  {key:<{width}}  {fmt_shape(shape):<{shape_width}}  {n:>7}  {err:>10.2e}"
                f"  {'OK' if err <= threshold else 'FAIL'}"  # NaN fails too
            )
        worst = float(np.max([r[3] for r in rows]))  # NaN if any is NaN
        ok = worst <= threshold
        failed |= not ok
        print(f"  max rel. error {worst:.2e} (threshold {threshold:g}): {'OK' if ok else 'FAIL'}")
    return 1 if failed else 0
