"""``cnnviz data``: list, download and inspect datasets.

cnnviz data list                 every dataset, its size, shape and whether it is here
cnnviz data download NAME...     fetch and verify a dataset's files
cnnviz data info NAME            description, shapes, classes, normalisation, files
"""

from __future__ import annotations

import argparse

from cnnviz import datasets
from cnnviz.datasets import (
    data_dir,
    dataset_info,
    download_dataset,
    is_available,
    list_datasets,
    registry,
)
from cnnviz.i18n import translate

from .progress import ProgressBar, size_text


def register(subparsers) -> None:
    """Add the ``data`` command to the top-level ``cnnviz`` parser."""
    # default=SUPPRESS: the option may also come before ``data`` (the top-level --data-dir)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        dest="data_dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help=translate(
            "cli", "dataset cache folder (default: $CNNVIZ_DATA_DIR or the user cache folder)"
        ),
    )
    p = subparsers.add_parser(
        "data",
        parents=[common],
        help=translate("cli", "list, download and inspect datasets"),
        description=translate(
            "cli", "List, download and inspect the datasets cnnviz can train on."
        ),
    )
    sub = p.add_subparsers(dest="data_command", metavar="ACTION")
    sub.add_parser(
        "list",
        parents=[common],
        help=translate("cli", "list the datasets and whether they are here"),
    )
    d = sub.add_parser(
        "download", parents=[common], help=translate("cli", "download and verify datasets")
    )
    d.add_argument(
        "names", nargs="+", metavar="NAME", help=translate("cli", "dataset name(s), e.g. mnist")
    )
    i = sub.add_parser("info", parents=[common], help=translate("cli", "describe one dataset"))
    i.add_argument("name", metavar="NAME", help=translate("cli", "dataset name, or folder:PATH"))
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    command = getattr(args, "data_command", None) or "list"
    root = getattr(args, "data_dir", None)
    if command == "list":
        return _list(root)
    if command == "download":
        return _download(args.names, root)
    return _info(args.name, root)


# ----------------------------------------------------------------------------------------------


def _shape(shape) -> str:
    return "x".join(str(v) for v in shape)


def _list(root) -> int:
    rows = [("NAME", "KIND", "TRAIN/TEST", "SHAPE", "CLASSES", "HERE")]
    for info in list_datasets():
        if info.kind == "builtin":
            here = "built in"
        elif is_available(info.name, root):
            here = "yes"
        else:
            here = f"no ({size_text(info.download_bytes)})"
        rows.append(
            (
                info.name,
                info.kind,
                f"{info.train_size}/{info.test_size}",
                _shape(info.input_shape),
                str(info.num_classes),
                here,
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    print(f"\ncache folder: {data_dir(root)}  (--data-dir or CNNVIZ_DATA_DIR to change)")
    print("also: folder:PATH loads a folder of images, one subfolder per class")
    return 0


def _download(names: list[str], root) -> int:
    for name in names:
        info = dataset_info(name)  # DatasetError for an unknown name
        if info.kind != "download":
            print(f"{name}: {info.kind}, nothing to download")
            continue
        bar = ProgressBar()
        try:
            files = download_dataset(name, data_dir=root, progress=bar)
        finally:
            bar.finish()
        where = sorted({str(p.parent) for p in files})
        print(f"{name}: {len(files)} file(s) verified in {', '.join(where)}")
    return 0


def _info(name: str, root) -> int:
    bar = ProgressBar()  # a folder is decoded (and cached) here, with its progress
    try:
        info = dataset_info(name, data_dir=root, progress=bar)
    finally:
        bar.finish()
    print(f"{info.name}: {info.description}")
    size = f", {size_text(info.download_bytes)}" if info.kind == "download" else ""
    print(f"  kind           {info.kind}{size}")
    print(f"  samples        {info.train_size} train, {info.test_size} test")
    print(f"  image shape    {_shape(info.input_shape)} (channels x height x width)")
    spec = registry.REGISTRY.get(name)
    if spec is not None and spec.kind == "download":
        names, norm = spec.class_names, spec.normalization
    else:  # built-in or folder: made or read in a moment, and the normalisation comes with it
        ds = datasets.load_dataset(name, data_dir=root)  # looked up at call time, as in train
        names, norm = ds.class_names, ds.normalization
    print(f"  classes ({len(names)})   {', '.join(names)}")
    if norm is not None:
        mean = ", ".join(f"{m:.4f}" for m in norm.mean)
        std = ", ".join(f"{s:.4f}" for s in norm.std)
        print(f"  normalisation  mean ({mean}), std ({std}) in units of pixel/255")
    if spec is not None and spec.kind == "download":
        if spec.source:
            print(f"  source         {spec.source}")
        print("  files")
        for filename, path, state in registry.file_status(name, root):
            label = state if state in ("verified", "missing") else "FAILS VERIFICATION"
            print(f"    {filename:28s} {label:10s} {path}")
            if label == "FAILS VERIFICATION":
                print(f"      {state}")
        print(f"  mirrors        {', '.join(spec.mirrors)}")
    return 0
