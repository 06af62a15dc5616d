"""The binary version of CIFAR-10 (``cifar-10-binary.tar.gz``), read straight from the archive.

Each batch file is a run of fixed-length records::

    1 byte      label 0-9
    3072 bytes  the image: 1024 red, then 1024 green, then 1024 blue, each 32x32 row-major

The archive holds ``cifar-10-batches-bin/data_batch_{1..5}.bin`` (training, 10,000 records
each), ``test_batch.bin`` and ``batches.meta.txt`` (the class names, one per line). Nothing is
extracted to disk: the members are read from the tar stream into memory.
"""

from __future__ import annotations

import os
import tarfile
import zlib
from pathlib import Path

import numpy as np

from cnnviz.datasets.base import DatasetError
from cnnviz.i18n import QT_TRANSLATE_NOOP

SIDE = 32
RECORD = 1 + 3 * SIDE * SIDE  # 3073 bytes
TRAIN_MEMBERS = tuple(f"data_batch_{i}.bin" for i in range(1, 6))
TEST_MEMBERS = ("test_batch.bin",)
META_MEMBER = "batches.meta.txt"
CLASS_NAMES = (  # marked for the catalogue: the app shows them translated
    QT_TRANSLATE_NOOP("classes", "airplane"),
    QT_TRANSLATE_NOOP("classes", "automobile"),
    QT_TRANSLATE_NOOP("classes", "bird"),
    QT_TRANSLATE_NOOP("classes", "cat"),
    QT_TRANSLATE_NOOP("classes", "deer"),
    QT_TRANSLATE_NOOP("classes", "dog"),
    QT_TRANSLATE_NOOP("classes", "frog"),
    QT_TRANSLATE_NOOP("classes", "horse"),
    QT_TRANSLATE_NOOP("classes", "ship"),
    QT_TRANSLATE_NOOP("classes", "truck"),
)


def parse_batch(data: bytes, source: str, num_classes: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """Parse one CIFAR-10 batch file.

    Returns
    -------
    images : (N, 3, 32, 32) uint8
    labels : (N,) int64
    """
    if len(data) == 0 or len(data) % RECORD:
        raise DatasetError(
            f"{source} is not a CIFAR-10 batch: {len(data)} bytes is not a whole number of "
            f"{RECORD}-byte records"
        )
    records = np.frombuffer(data, dtype=np.uint8).reshape(-1, RECORD)
    labels = records[:, 0].astype(np.int64)
    if labels.max() >= num_classes:
        raise DatasetError(f"{source} has label {int(labels.max())}, outside 0..{num_classes - 1}")
    images = records[:, 1:].reshape(-1, 3, SIDE, SIDE)
    return images, labels


def _members(path: Path) -> dict[str, bytes]:
    """The batch files and class list of a CIFAR-10 tar archive or folder, by base name."""
    wanted = set(TRAIN_MEMBERS + TEST_MEMBERS + (META_MEMBER,))
    found: dict[str, bytes] = {}
    if path.is_dir():
        for name in wanted:
            for candidate in (path / name, path / "cifar-10-batches-bin" / name):
                if candidate.is_file():
                    found[name] = candidate.read_bytes()
                    break
        return found
    try:
        with tarfile.open(path, "r:*") as tar:
            for member in tar:
                name = member.name.rsplit("/", 1)[-1]
                if name in wanted and member.isfile():
                    f = tar.extractfile(member)
                    if f is not None:
                        found[name] = f.read()
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise DatasetError(f"{path} is not a readable CIFAR-10 archive ({exc})") from exc
    return found


def read_cifar10(
    path: str | os.PathLike,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, tuple[str, ...]]:
    """Read the whole binary CIFAR-10 from its ``.tar.gz`` (or a folder holding the ``.bin``).

    Returns
    -------
    train_images : (N, 3, 32, 32) uint8
    train_labels : (N,) int64
    test_images : (M, 3, 32, 32) uint8
    test_labels : (M,) int64
    class_names : tuple of str
    """
    path = Path(path)
    members = _members(path)
    missing = [n for n in TRAIN_MEMBERS + TEST_MEMBERS if n not in members]
    if missing:
        raise DatasetError(f"{path} does not contain {', '.join(missing)}")
    splits = []
    for names in (TRAIN_MEMBERS, TEST_MEMBERS):
        parts = [parse_batch(members[n], f"{path}:{n}") for n in names]
        splits.append(np.concatenate([p[0] for p in parts]))
        splits.append(np.concatenate([p[1] for p in parts]))
    class_names = CLASS_NAMES
    if META_MEMBER in members:
        lines = members[META_MEMBER].decode("ascii", "replace").split()
        if len(lines) == len(CLASS_NAMES):
            class_names = tuple(lines)
    return (*splits, class_names)


def write_cifar_batch(path: str | os.PathLike, images: np.ndarray, labels: np.ndarray) -> None:
    """Write images (N, 3, 32, 32) uint8 and labels (N,) as a CIFAR-10 batch file."""
    records = np.empty((len(images), RECORD), dtype=np.uint8)
    records[:, 0] = labels
    records[:, 1:] = np.asarray(images, dtype=np.uint8).reshape(len(images), -1)
    Path(path).write_bytes(records.tobytes())
