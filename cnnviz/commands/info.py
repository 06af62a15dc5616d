"""``cnnviz info FILE``: what a model file holds — architecture, training state, dataset."""

from __future__ import annotations

import argparse
import json
import math
import sys

from cnnviz.engine import fmt_shape
from cnnviz.i18n import translate
from cnnviz.safeio import printable
from cnnviz.training.architectures import build_network
from cnnviz.training.modelfile import load_model


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "info",
        help=translate("cli", "describe a saved model: architecture, training state, dataset"),
        description=translate(
            "cli",
            "Print the architecture of a model file as a table (output shapes and "
            "parameter counts), its training state and hyperparameters, and its dataset with the "
            "normalisation. The file is fully validated first.",
        ),
    )
    p.add_argument("file", metavar="FILE", help=translate("cli", "a model file (.cnnviz.npz)"))
    p.add_argument(
        "--json", action="store_true", help=translate("cli", "print one line of JSON instead")
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    state = load_model(args.file)
    net = build_network(state.architecture, state.input_shape, state.num_classes, dtype=state.dtype)
    m = state.metrics
    last_loss = m.loss.last()
    last_acc = m.test_accuracy.last()
    hp = state.hyperparameters.to_dict()
    if args.json:
        print(
            json.dumps(
                {
                    "architecture": state.architecture.get("name"),
                    "layers": [
                        {"name": n, "description": d, "output_shape": list(s), "params": p}
                        for n, d, s, p in net.summary()
                    ],
                    "num_params": net.num_params,
                    "input_shape": list(state.input_shape),
                    "dtype": state.dtype,
                    "step": state.step,
                    "epoch": state.epoch,
                    "sample_in_epoch": state.sample_in_epoch,
                    "hyperparameters": hp,
                    "optimizer": state.optimizer or {"kind": "sgd"},
                    "optimizer_step": int(state.velocity.get("step", state.step)),
                    "buffers": sorted(state.buffers),
                    "last_loss": last_loss if math.isfinite(last_loss) else None,
                    "last_test_accuracy": last_acc if math.isfinite(last_acc) else None,
                    "dataset": state.dataset,
                    "class_names": list(state.class_names),
                    "normalization": state.normalization,
                    "timeline": sorted(state.timeline),
                }
            )
        )
        return 0

    out = sys.stdout
    arch = state.architecture
    out.write(f"{printable(args.file)}\n\n")
    title = printable(arch.get("name", "network"))  # every name here was chosen by the file
    if arch.get("description"):
        title += f" — {printable(arch['description'])}"
    out.write(f"architecture: {title}\n")
    out.write(f"input {fmt_shape(state.input_shape)}, {state.dtype}, loss {net.loss.kind}\n")
    out.write(architecture_table(net) + "\n\n")

    out.write("training state\n")
    out.write(
        f"  step {state.step}, epoch {state.epoch} (+{state.sample_in_epoch} samples into "
        f"epoch {state.epoch + 1})\n"
    )
    out.write(f"  last training loss   {_fmt(last_loss, '.4f')}\n")
    out.write(f"  last test accuracy   {_fmt(last_acc, '.2%')}\n")
    out.write("  hyperparameters      " + ", ".join(f"{k} {v}" for k, v in hp.items()) + "\n")
    opt = dict(state.optimizer or {"kind": "sgd"})
    kind = opt.pop("kind")
    out.write(
        f"  optimiser            {printable(str(kind))}"
        + (" (" + ", ".join(f"{k} {_short(v)}" for k, v in opt.items()) + ")" if opt else "")
        + "\n"
    )
    if state.buffers:
        out.write(
            f"  state buffers        {len(state.buffers)} (batch norm's running statistics)\n"
        )
    if state.timeline:
        out.write(f"  timeline             {len(state.timeline)} arrays\n")
    out.write("\n")

    norm = state.normalization
    out.write(f"dataset: {printable(state.dataset)}, {state.num_classes} classes\n")
    out.write("  classes        " + ", ".join(printable(c) for c in state.class_names) + "\n")
    out.write(
        "  normalisation  (pixel/255 − mean) / std, mean "
        + ", ".join(f"{v:.4g}" for v in norm.get("mean", []))
        + "; std "
        + ", ".join(f"{v:.4g}" for v in norm.get("std", []))
        + "\n"
    )
    return 0


def _short(v) -> str:
    """An optimiser setting as a reader wants it: floats to 4 figures (a scheduled η is
    0.0001921, not 0.0001921471959676957)."""
    return f"{v:.4g}" if isinstance(v, float) else printable(str(v))


def _fmt(v: float, spec: str) -> str:
    return format(v, spec) if math.isfinite(v) else "—"


def architecture_table(net) -> str:
    rows = [
        (printable(n), printable(d), fmt_shape(s), f"{p:,}" if p else "")
        for n, d, s, p in net.summary()
    ]
    head = ("layer", "", "output", "parameters")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
    fmt = "  {:<%d}  {:<%d}  {:>%d}  {:>%d}" % tuple(widths)  # noqa: UP031
    lines = [fmt.format(*head), "  " + "-" * (sum(widths) + 6)]
    lines += [fmt.format(*r) for r in rows]
    lines.append("  " + "-" * (sum(widths) + 6))
    lines.append(fmt.format("total", "", "", f"{net.num_params:,}"))
    return "\n".join(lines)
