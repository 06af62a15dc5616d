"""``cnnviz export FILE --onnx OUT.onnx --safetensors OUT.safetensors --torch OUT.py``: a
model file's network for other tools (any of the three, together or alone; each written
atomically). See docs/interop.md."""

from __future__ import annotations

import argparse
import sys

from cnnviz.errors import CnnvizError
from cnnviz.i18n import translate


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "export",
        help=translate("cli", "export a model to ONNX, safetensors or a PyTorch module"),
        description=translate(
            "cli",
            "Write a model file's network as an ONNX graph (runs in onnxruntime, opens "
            "in Netron), its weights as safetensors under cnnviz's names, and/or a self-contained "
            "PyTorch nn.Module whose state_dict keys are those names. Needs pip install "
            "'cnnviz[interop]'.",
        ),
    )
    p.add_argument("file", metavar="FILE", help=translate("cli", "a model file (.cnnviz.npz)"))
    p.add_argument("--onnx", metavar="OUT", help=translate("cli", "write the network as ONNX here"))
    p.add_argument(
        "--safetensors",
        metavar="OUT",
        help=translate("cli", "write the weights as safetensors here"),
    )
    p.add_argument(
        "--torch", metavar="OUT", help=translate("cli", "write a PyTorch module (a .py file) here")
    )
    p.add_argument(
        "--opset",
        type=int,
        default=None,
        metavar="N",
        help=translate("cli", "ONNX opset (11–21, 17)"),
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from cnnviz.interop.files import export_onnx, export_safetensors, export_torch, load_network
    from cnnviz.interop.onnx_export import DEFAULT_OPSET

    if not (args.onnx or args.safetensors or args.torch):
        raise CnnvizError("export: give --onnx OUT, --safetensors OUT and/or --torch OUT")
    outs = [o for o in (args.onnx, args.safetensors, args.torch) if o]
    if len(set(outs)) != len(outs):
        raise CnnvizError("export: the outputs must be different files")
    state, net = load_network(args.file)
    if args.onnx:
        export_onnx(state, net, args.onnx, args.opset or DEFAULT_OPSET, source=args.file)
        sys.stderr.write(f"wrote {args.onnx} (ONNX opset {args.opset or DEFAULT_OPSET})\n")
    elif args.opset is not None:
        raise CnnvizError("export: --opset is for --onnx")
    if args.safetensors:
        export_safetensors(state, net, args.safetensors)
        sys.stderr.write(f"wrote {args.safetensors} ({len(net.state_dict())} tensors)\n")
    if args.torch:
        export_torch(state, net, args.torch, source=args.file)
        sys.stderr.write(f"wrote {args.torch} (class Net)\n")
    return 0
