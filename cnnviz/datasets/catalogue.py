"""The datasets cnnviz knows by name, as data: :class:`DatasetSpec`, the built-ins (made in
memory from a seed) and the downloads (their files, published checksums, mirrors and readers).
:mod:`cnnviz.datasets.registry` lists, fetches and loads them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cnnviz.datasets import cifar, digits, idx, shapes
from cnnviz.datasets.base import DatasetError, DatasetInfo, Normalization
from cnnviz.datasets.download import FileSpec
from cnnviz.i18n import QT_TRANSLATE_NOOP

Arrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


@dataclass(frozen=True)
class DatasetSpec:
    """How to make or fetch one dataset.

    Attributes
    ----------
    name : str
    kind : "builtin" or "download"
    description : str
    input_shape : (C, H, W)
    class_names : tuple of str
    train_size, test_size : int
        Exact sample counts; the reader checks them.
    normalization : Normalization, optional
        Published mean/std; when None it is computed from the training images.
    generate : callable(seed) -> (train_images, train_labels, test_images, test_labels)
        For built-ins.
    files : tuple of FileSpec
        For downloads: the files, with their published checksums.
    mirrors : tuple of str
        Base URLs holding ``files`` by name, tried in order (after ``$CNNVIZ_MIRROR``).
    read : callable(spec, [Path, ...]) -> arrays
        For downloads: reads the files (in ``files`` order) into the four arrays.
    download_bytes : int, optional
        Total download size when the files' sizes are not all published.
    source : str
        Home page and citation, for ``cnnviz data info``.
    """

    name: str
    kind: str
    description: str
    input_shape: tuple[int, int, int]
    class_names: tuple[str, ...]
    train_size: int
    test_size: int
    normalization: Normalization | None = None
    generate: Callable[[int], Arrays] | None = None
    files: tuple[FileSpec, ...] = ()
    mirrors: tuple[str, ...] = ()
    read: Callable[[DatasetSpec, list[Path]], Arrays] | None = None
    download_bytes: int | None = None
    source: str = ""

    @property
    def num_classes(self) -> int:
        return len(self.class_names)

    def info(self) -> DatasetInfo:
        size = self.download_bytes
        if size is None:
            size = sum(f.size or 0 for f in self.files)
        return DatasetInfo(
            name=self.name,
            kind=self.kind,
            description=self.description,
            input_shape=tuple(self.input_shape),
            num_classes=self.num_classes,
            train_size=self.train_size,
            test_size=self.test_size,
            download_bytes=int(size) if self.kind == "download" else 0,
        )


# ----------------------------------------------------------------------------------------------
# readers


def read_idx_files(spec: DatasetSpec, files: list[Path]) -> Arrays:
    """Read the four IDX files of an MNIST-like dataset.

    ``files`` are, in order: train images, train labels, test images, test labels.
    """
    train_images, test_images = files[0], files[2]
    hw = tuple(spec.input_shape[1:])
    x, y = idx.read_idx_pair(
        train_images, files[1], num_classes=spec.num_classes, image_shape=hw, count=spec.train_size
    )
    xt, yt = idx.read_idx_pair(
        test_images, files[3], num_classes=spec.num_classes, image_shape=hw, count=spec.test_size
    )
    return x, y, xt, yt


def read_cifar_files(spec: DatasetSpec, files: list[Path]) -> Arrays:
    """Read CIFAR-10 from its binary tar archive (the only file)."""
    x, y, xt, yt, _ = cifar.read_cifar10(files[0])
    for split, n, want in (
        ("training", len(x), spec.train_size),
        ("test", len(xt), spec.test_size),
    ):
        if n != want:
            raise DatasetError(f"{files[0]} holds {n} {split} images, expected {want}")
    return x, y, xt, yt


# ----------------------------------------------------------------------------------------------
# the known datasets


def _idx_files(sizes, md5s, raw_sha256s=(None,) * 4) -> tuple[FileSpec, ...]:
    names = (
        "train-images-idx3-ubyte.gz",
        "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte.gz",
    )
    return tuple(
        FileSpec(n, md5=m, size=s, raw_sha256=r)
        for n, s, m, r in zip(names, sizes, md5s, raw_sha256s, strict=True)
    )


BUILTINS = (
    DatasetSpec(
        name="synthetic-digits",
        kind="builtin",
        description=QT_TRANSLATE_NOOP(
            "descriptions",
            "handwriting-like digits drawn from stroke templates with random pen, "
            "slant, warp and noise (made on the fly, no download)",
        ),
        input_shape=(1, 28, 28),
        class_names=digits.CLASS_NAMES,
        train_size=16000,
        test_size=2000,
        generate=digits.generate,
    ),
    DatasetSpec(
        name="shapes",
        kind="builtin",
        description=QT_TRANSLATE_NOOP(
            "descriptions",
            "coloured shapes (circle, square, triangle, ...) of random size, colour and "
            "position on varied backgrounds",
        ),
        input_shape=(3, 32, 32),
        class_names=shapes.SHAPE_CLASSES,
        train_size=6000,
        test_size=1200,
        generate=shapes.generate_shapes,
    ),
    DatasetSpec(
        name="edges",
        kind="builtin",
        description=QT_TRANSLATE_NOOP(
            "descriptions",
            "a tiny set of vertical, horizontal and diagonal strokes; first-layer "
            "filters turn into edge detectors",
        ),
        input_shape=(1, 28, 28),
        class_names=shapes.EDGE_CLASSES,
        train_size=2000,
        test_size=400,
        generate=shapes.generate_edges,
    ),
)

DOWNLOADS = (
    DatasetSpec(
        name="mnist",
        kind="download",
        description=QT_TRANSLATE_NOOP(
            "descriptions",
            "MNIST handwritten digits (LeCun, Cortes and Burges)",
        ),
        input_shape=(1, 28, 28),
        class_names=tuple(str(d) for d in range(10)),
        train_size=60000,
        test_size=10000,
        normalization=Normalization((0.1307,), (0.3081,)),
        files=_idx_files(
            (9912422, 28881, 1648877, 4542),
            (
                "f68b3c2dcbeaaa9fbdd348bbdeb94873",
                "d53e105ee54ea40749a09fcbcd1e9432",
                "9fb629c4189551a2d022fa330f9573f3",
                "ec29112dd5afa0611ce80d1b7f02629c",
            ),
        ),
        mirrors=(
            "https://ossci-datasets.s3.amazonaws.com/mnist/",
            "https://storage.googleapis.com/cvdf-datasets/mnist/",
            "http://yann.lecun.com/exdb/mnist/",
        ),
        read=read_idx_files,
        source="http://yann.lecun.com/exdb/mnist/ -- Y. LeCun, L. Bottou, Y. Bengio, "
        "P. Haffner, Gradient-based learning applied to document recognition, Proc. IEEE 1998",
    ),
    DatasetSpec(
        name="fashion-mnist",
        kind="download",
        description=QT_TRANSLATE_NOOP(
            "descriptions",
            "Fashion-MNIST: Zalando article images, a drop-in replacement for MNIST",
        ),
        input_shape=(1, 28, 28),
        class_names=(
            QT_TRANSLATE_NOOP("classes", "T-shirt/top"),
            QT_TRANSLATE_NOOP("classes", "Trouser"),
            QT_TRANSLATE_NOOP("classes", "Pullover"),
            QT_TRANSLATE_NOOP("classes", "Dress"),
            QT_TRANSLATE_NOOP("classes", "Coat"),
            QT_TRANSLATE_NOOP("classes", "Sandal"),
            QT_TRANSLATE_NOOP("classes", "Shirt"),
            QT_TRANSLATE_NOOP("classes", "Sneaker"),
            QT_TRANSLATE_NOOP("classes", "Bag"),
            QT_TRANSLATE_NOOP("classes", "Ankle boot"),
        ),
        train_size=60000,
        test_size=10000,
        normalization=Normalization((0.2860,), (0.3530,)),
        files=_idx_files(
            (26421880, 29515, 4422102, 5148),
            (
                "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
                "25c81989df183df01b3e8a0aad5dffbe",
                "bef4ecab320f06d8554ea6380940ec79",
                "bb300cfdad3c16e7a12a480ee83cd310",
            ),
            # SHA-256 of the decompressed files: identifies Debian's repackaged copies
            (
                "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
                "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
                "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
                "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
            ),
        ),
        mirrors=(
            "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
            "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
        ),
        read=read_idx_files,
        source="https://github.com/zalandoresearch/fashion-mnist (MIT) -- H. Xiao, K. Rasul, "
        "R. Vollgraf, Fashion-MNIST, arXiv:1708.07747, 2017",
    ),
    DatasetSpec(
        name="kmnist",
        kind="download",
        description=QT_TRANSLATE_NOOP(
            "descriptions",
            "Kuzushiji-MNIST: ten cursive Japanese hiragana characters",
        ),
        input_shape=(1, 28, 28),
        class_names=("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"),
        train_size=60000,
        test_size=10000,
        normalization=Normalization((0.1918,), (0.3483,)),
        files=_idx_files(
            (None,) * 4,
            (
                "bdb82020997e1d708af4cf47b453dcf7",
                "e144d726b3acfaa3e44228e80efcd344",
                "5c965bf0a639b31b8f53240b1b52f4d7",
                "7320c461ea6c1c855c0b718fb2a4b134",
            ),
        ),
        mirrors=(
            "https://codh.rois.ac.jp/kmnist/dataset/kmnist/",
            "http://codh.rois.ac.jp/kmnist/dataset/kmnist/",
        ),
        read=read_idx_files,
        download_bytes=21_300_000,  # about; the exact sizes are not published
        source="https://github.com/rois-codh/kmnist (CC BY-SA 4.0) -- T. Clanuwat et al., "
        "Deep Learning for Classical Japanese Literature, arXiv:1812.01718, 2018",
    ),
    DatasetSpec(
        name="cifar10",
        kind="download",
        description=QT_TRANSLATE_NOOP(
            "descriptions",
            "CIFAR-10: small colour photos of ten object classes (binary version)",
        ),
        input_shape=(3, 32, 32),
        class_names=cifar.CLASS_NAMES,
        train_size=50000,
        test_size=10000,
        normalization=Normalization((0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616)),
        files=(
            FileSpec(
                "cifar-10-binary.tar.gz", md5="c32a1d4ab5d03f1284b67883e8d87530", size=170052171
            ),
        ),
        mirrors=("https://www.cs.toronto.edu/~kriz/", "http://www.cs.toronto.edu/~kriz/"),
        read=read_cifar_files,
        source="https://www.cs.toronto.edu/~kriz/cifar.html -- A. Krizhevsky, Learning Multiple "
        "Layers of Features from Tiny Images, 2009",
    ),
)
