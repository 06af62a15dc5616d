"""``cnnviz eval FILE``: test accuracy of a saved model and its confusion matrix."""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from cnnviz.commands import add_data_dir, count
from cnnviz.errors import CnnvizError
from cnnviz.i18n import translate
from cnnviz.safeio import printable
from cnnviz.training.modelfile import load_model
from cnnviz.training.trainer import Trainer

from .train import open_dataset, with_normalization


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "eval",
        help=translate("cli", "test accuracy and confusion matrix of a saved model"),
        description=translate(
            "cli",
            "Evaluate a model file on the test set of its dataset (or of another one "
            "with the same image shape and number of classes) and print the confusion matrix.",
        ),
    )
    p.add_argument("file", metavar="FILE", help=translate("cli", "a model file (.cnnviz.npz)"))
    p.add_argument(
        "--dataset", metavar="NAME", help=translate("cli", "evaluate on this dataset instead")
    )
    add_data_dir(p)
    p.add_argument(
        "--json", action="store_true", help=translate("cli", "end with one line of JSON on stdout")
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    state = load_model(args.file)
    name = args.dataset or state.dataset
    ds = open_dataset(name, getattr(args, "data_dir", None))
    if tuple(ds.input_shape) != tuple(state.input_shape) or ds.num_classes != state.num_classes:
        raise CnnvizError(
            f"dataset {ds.name} has images {tuple(ds.input_shape)} and {ds.num_classes} classes; "
            f"the model in {args.file} expects {tuple(state.input_shape)} and "
            f"{state.num_classes} classes"
        )
    ds = with_normalization(ds, state.normalization)  # normalise as the model was trained
    trainer = Trainer.from_state(state, ds)
    result = trainer.evaluate()
    class_names = list(ds.class_names)
    empty = not result.confusion.sum()
    if empty:
        sys.stderr.write(f"{ds.name} has no test images: no test accuracy or loss\n")
    if args.json:
        print(
            json.dumps(
                {
                    "test_accuracy": _finite_or_none(result.accuracy),
                    "test_loss": _finite_or_none(result.loss),
                    "test_size": int(result.confusion.sum()),
                    "dataset": ds.name,
                    "class_names": class_names,
                    "confusion": result.confusion.tolist(),
                },
                allow_nan=False,
            )
        )
        return 0
    out = sys.stdout
    arch = printable(state.architecture.get("name", "network"), 80)
    score = (
        "no test images"
        if empty
        else f"{result.accuracy:.2%} ({int(np.trace(result.confusion))}/"
        f"{int(result.confusion.sum())}), loss {result.loss:.4f}"
    )
    out.write(
        f"{printable(args.file)}: {arch} after {count(state.epoch, 'epoch')} "
        f"({count(state.step, 'step')})\n"
        f"test accuracy on {printable(ds.name)}: {score}\n\n"
    )
    out.write(confusion_table(result.confusion, class_names) + "\n")
    return 0


def _finite_or_none(v: float) -> float | None:
    """JSON has no NaN or ∞: an undefined value is null."""
    return float(v) if np.isfinite(v) else None


def confusion_table(confusion: np.ndarray, class_names: list[str]) -> str:
    """Rows are the true classes (with their names and recall), columns the predicted ones
    (numbered, as the rows are)."""
    class_names = [printable(n) for n in class_names]  # the file chose them
    k = len(class_names)
    width = max(3, len(str(int(confusion.max(initial=0)))))
    corner = "true \\ predicted"
    label_w = max(len(corner), min(max((len(n) for n in class_names), default=4) + 3, 28))
    head = f"{corner:<{label_w}} " + " ".join(f"{j:>{width}}" for j in range(k))
    lines = [head + "   recall", "-" * (len(head) + 9)]
    for i, name in enumerate(class_names):
        label = (name if name == str(i) else f"{i} {name}")[:label_w]
        row = confusion[i]
        total = int(row.sum())
        recall = f"{row[i] / total:7.1%}" if total else "      -"
        lines.append(f"{label:<{label_w}} " + " ".join(f"{int(v):>{width}}" for v in row) + recall)
    return "\n".join(lines)
