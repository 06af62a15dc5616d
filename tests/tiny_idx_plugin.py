"""A test plugin (``CNNVIZ_PLUGINS=tiny_idx_plugin``): registers ``tiny-idx``, a small IDX
dataset (1x28x28, 10 classes, 120 train and 20 test images) served from the mirror named in
``CNNVIZ_TINY_IDX_MIRROR``, in whichever process imports it (the app's training process too).
The download tests serve the same files (:func:`tiny_idx_files`) and register the same spec.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import struct

import numpy as np

from cnnviz.datasets import DatasetSpec, download, registry
from cnnviz.datasets.download import FileSpec

NAME = "tiny-idx"
IDX_NAMES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)


def idx_bytes(array: np.ndarray) -> bytes:
    header = struct.pack(f">HBB{array.ndim}I", 0, 8, array.ndim, *array.shape)
    return gzip.compress(header + array.astype(np.uint8).tobytes(), mtime=0)


def tiny_idx_files() -> dict[str, bytes]:
    """120 + 20 random 28x28 images (large enough for several 64 KiB chunks)."""
    rng = np.random.default_rng(0)
    return {
        IDX_NAMES[0]: idx_bytes(rng.integers(0, 256, (120, 28, 28))),
        IDX_NAMES[1]: idx_bytes(np.arange(120) % 10),
        IDX_NAMES[2]: idx_bytes(rng.integers(0, 256, (20, 28, 28))),
        IDX_NAMES[3]: idx_bytes(np.arange(20) % 10),
    }


def spec(mirrors, name: str = NAME, sizes: bool = True) -> DatasetSpec:
    """The dataset, its published checksums those of the served files (and their sizes,
    unless ``sizes`` is False)."""
    files = tiny_idx_files()
    return DatasetSpec(
        name=name,
        kind="download",
        description="a tiny IDX dataset for tests",
        input_shape=(1, 28, 28),
        class_names=tuple(str(i) for i in range(10)),
        train_size=120,
        test_size=20,
        files=tuple(
            FileSpec(
                n, md5=hashlib.md5(files[n]).hexdigest(), size=len(files[n]) if sizes else None
            )
            for n in IDX_NAMES
        ),
        mirrors=tuple(mirrors),
        read=registry.read_idx_files,
    )


if os.environ.get("CNNVIZ_TINY_IDX_MIRROR"):
    registry.REGISTRY[NAME] = spec([os.environ["CNNVIZ_TINY_IDX_MIRROR"]])
    download.TIMEOUT = 10.0
