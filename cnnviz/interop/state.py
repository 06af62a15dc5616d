"""An architecture and its weights → a model file's :class:`TrainerState`, with a dataset.

An imported model needs a dataset in cnnviz (its class names, its normalisation, the images
to step through). The dataset given is checked against the model (channels, size, number of
classes); without one, the first registered dataset that fits is chosen.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnviz.engine import Network, fmt_shape
from cnnviz.errors import CnnvizError
from cnnviz.training.architectures import build_network
from cnnviz.training.trainer import Hyperparameters, TrainerState

from . import InteropError


def choose_dataset(input_shape: tuple[int, ...], num_classes: int, name: str | None) -> str:
    """``name`` when it fits the model, else the first dataset that does."""
    from cnnviz.datasets import dataset_info, list_datasets

    want = f"{fmt_shape(input_shape)} images and {num_classes} classes"
    if name is not None:
        info = dataset_info(name)
        if tuple(info.input_shape) != tuple(input_shape) or info.num_classes != num_classes:
            raise InteropError(
                f"the model takes {want}; dataset {name} has "
                f"{fmt_shape(info.input_shape)} images and {info.num_classes} classes"
            )
        return name
    for info in list_datasets():
        if tuple(info.input_shape) == tuple(input_shape) and info.num_classes == num_classes:
            return info.name
    raise InteropError(
        f"no dataset has {want}; give --dataset NAME (folder:PATH for your own images)"
    )


def dataset_details(name: str, data_dir: str | None = None) -> tuple[tuple[str, ...], dict]:
    """Class names and normalisation of dataset ``name`` (loading it when they are not
    published, as for built-ins and folders)."""
    from cnnviz.datasets import load_dataset
    from cnnviz.datasets.registry import FOLDER_PREFIX, get_spec

    if not name.startswith(FOLDER_PREFIX):
        spec = get_spec(name)
        if spec.normalization is not None:
            return tuple(spec.class_names), spec.normalization.to_dict()
    ds = load_dataset(name, data_dir=data_dir)
    return tuple(ds.class_names), ds.normalization.to_dict()


def build_checked(spec: dict, params: dict[str, np.ndarray], input_shape, num_classes) -> Network:
    """The network of ``spec`` with ``params`` loaded; one line naming what does not fit."""
    net = build_network(spec, tuple(input_shape), num_classes)
    try:
        net.load_state_dict(params)
    except ValueError as exc:
        raise InteropError(f"the weights do not fit the architecture: {exc}") from None
    for k, p in net.state_dict(buffers=True).items():
        if not np.isfinite(p).all():
            raise InteropError(f"weight {k} contains NaN or infinite values")
    return net


def make_state(
    spec: dict[str, Any],
    params: dict[str, np.ndarray],
    input_shape: tuple[int, ...],
    num_classes: int,
    dataset: str | None = None,
    data_dir: str | None = None,
    mean: list[float] | None = None,
    std: list[float] | None = None,
) -> TrainerState:
    """A fresh run (step 0, no momentum yet) of ``spec`` with ``params``, on ``dataset``."""
    net = build_checked(spec, params, input_shape, num_classes)
    name = choose_dataset(tuple(input_shape), num_classes, dataset)
    try:
        class_names, norm = dataset_details(name, data_dir)
    except CnnvizError:
        raise
    if mean is not None or std is not None:
        channels = input_shape[0] if len(input_shape) == 3 else len(norm["mean"])
        norm = {
            "mean": _per_channel(mean, norm["mean"], channels, "--mean"),
            "std": _per_channel(std, norm["std"], channels, "--std"),
        }
        if not all(s > 0 for s in norm["std"]):
            raise InteropError("--std must be positive")
    return TrainerState(
        architecture=spec,
        input_shape=tuple(input_shape),
        num_classes=num_classes,
        dtype="float32",
        dataset=name,
        normalization=norm,
        class_names=class_names,
        hyperparameters=Hyperparameters(),
        params={k: p.copy() for k, p in net.state_dict().items()},
        buffers={k: np.array(b, copy=True) for k, b in net.named_buffers()},
        velocity={k: np.zeros_like(p) for k, p in net.state_dict().items()},
        step=0,
        epoch=0,
        sample_in_epoch=0,
    )


def _per_channel(given, default, channels: int, flag: str) -> list[float]:
    if given is None:
        return list(default)
    values = [float(v) for v in given]
    if len(values) == 1:
        values *= channels
    if len(values) != channels:
        want = "1 value" if channels == 1 else f"1 or {channels} values"
        raise InteropError(f"{flag} needs {want} (one per input channel), got {len(values)}")
    return values
