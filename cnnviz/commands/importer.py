"""``cnnviz import MODEL.onnx`` / ``cnnviz import WEIGHTS.safetensors --arch FILE``: a model
from another tool as a cnnviz model file, ready to inspect, step and train. Nothing in the
file runs; see docs/interop.md for what is supported and refused."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cnnviz.commands import add_data_dir
from cnnviz.errors import CnnvizError
from cnnviz.i18n import translate


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "import",
        help=translate("cli", "import an ONNX model or safetensors weights as a model file"),
        description=translate(
            "cli",
            "Turn an ONNX graph (a chain of Conv, Gemm, pooling and activations) or "
            "safetensors weights with an architecture file into a cnnviz model file. The input "
            "shape comes from the graph and is checked against the dataset. Needs pip install "
            "'cnnviz[interop]'.",
        ),
    )
    p.add_argument(
        "file", metavar="FILE", help=translate("cli", "an .onnx model or .safetensors weights")
    )
    p.add_argument(
        "--arch",
        metavar="NAME|PATH",
        help=translate("cli", "the architecture of safetensors weights"),
    )
    p.add_argument(
        "--dataset",
        metavar="NAME",
        help=translate("cli", "the dataset (default: the first that fits)"),
    )
    p.add_argument(
        "--out", metavar="FILE", help=translate("cli", "the model file to write (FILE.cnnviz.npz)")
    )
    p.add_argument(
        "--mean", type=_floats, metavar="M[,M,M]", help=translate("cli", "input mean per channel")
    )
    p.add_argument(
        "--std", type=_floats, metavar="S[,S,S]", help=translate("cli", "input std per channel")
    )
    p.add_argument(
        "--fold-batchnorm",
        action="store_true",
        help=translate(
            "cli",
            "fold BatchNormalization into the conv or dense layer before it (by default it "
            "becomes a batch-norm layer)",
        ),
    )
    p.add_argument(
        "--skip-dropout",
        action="store_true",
        help=translate("cli", "leave Dropout out (by default it becomes a dropout layer)"),
    )
    add_data_dir(p)
    p.set_defaults(func=run)


def _floats(text: str) -> list[float]:
    try:
        return [float(v) for v in text.split(",")]
    except ValueError:
        message = f"expected numbers separated by commas: {text!r}"
        raise argparse.ArgumentTypeError(message) from None


def run(args: argparse.Namespace) -> int:
    from cnnviz.engine import fmt_shape
    from cnnviz.interop.files import import_model
    from cnnviz.training.modelfile import EXTENSION, save_model

    from .info import architecture_table

    src = Path(args.file)
    if src.suffix.lower() not in (".onnx", ".safetensors"):
        raise CnnvizError(f"{src}: cnnviz imports .onnx models and .safetensors weights")
    out = Path(args.out) if args.out else src.with_name(src.stem + EXTENSION)
    if not args.out and out.exists():
        raise CnnvizError(f"{out} exists already; give --out FILE to write it (or over it)")
    if out.is_dir():
        raise CnnvizError(f"--out {out} is a folder; give a file name")
    state, notes = import_model(
        src,
        arch=args.arch,
        dataset=args.dataset,
        data_dir=getattr(args, "data_dir", None),
        mean=args.mean,
        std=args.std,
        fold_batchnorm=args.fold_batchnorm,
        skip_dropout=args.skip_dropout,
    )
    save_model(out, state)
    from cnnviz.training.architectures import build_network

    net = build_network(state.architecture, state.input_shape, state.num_classes)
    sys.stdout.write(
        f"{src} → {out}: input {fmt_shape(state.input_shape)}, {state.num_classes} classes, "
        f"dataset {state.dataset}\n"
    )
    for note in notes:
        sys.stdout.write(f"  note: {note}\n")
    sys.stdout.write(architecture_table(net) + "\n")
    return 0
