"""A dataset from a folder of images, one subfolder per class (``folder:PATH``)::

    PATH/cat/001.png                PATH/train/cat/001.png
    PATH/cat/002.jpg        or      PATH/train/dog/...
    PATH/dog/...                    PATH/test/cat/...

With ``train/`` and ``test/`` subfolders those are the splits; otherwise about one image in six
of each class goes to the test split, chosen by a seeded shuffle (the same seed gives the same
split). Images are decoded with Qt's QImage (PNG, JPEG and BMP), resized to ``image_size``
(default 28x28 for grayscale, 32x32 for colour) and kept grayscale when every image is gray,
unless ``grayscale`` says otherwise. The normalisation is computed from the training images.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from cnnviz.datasets.base import Dataset, DatasetError, Normalization
from cnnviz.datasets.transforms import to_grayscale

EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp")
TEST_FRACTION = 1 / 6
GRAY_SIZE = (28, 28)
RGB_SIZE = (32, 32)


def _image_files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in EXTENSIONS
    )


def _class_folders(root: Path) -> dict[str, list[Path]]:
    """Class name -> sorted image files, for every non-hidden subfolder of ``root``."""
    classes = {}
    for sub in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        files = _image_files(sub)
        if not files:
            raise DatasetError(f"class folder {sub} holds no PNG or JPEG images")
        classes[sub.name] = files
    if len(classes) < 2:
        raise DatasetError(
            f"{root} needs at least two class subfolders of PNG or JPEG images "
            f"(found {len(classes)})"
        )
    return classes


def scan(root: str | os.PathLike, seed: int = 0):
    """Find the images and split them.

    Returns
    -------
    class_names : tuple of str, sorted
    train : list of (Path, label)
    test : list of (Path, label)
    """
    root = Path(root).expanduser()
    if not root.is_dir():
        raise DatasetError(f"image folder {root} does not exist")
    if (root / "train").is_dir() and (root / "test").is_dir():
        train_classes = _class_folders(root / "train")
        test_classes = _class_folders(root / "test")
        extra = sorted(set(test_classes) - set(train_classes))
        if extra:
            raise DatasetError(
                f"{root / 'test'} has classes that {root / 'train'} lacks: {', '.join(extra)}"
            )
        names = tuple(train_classes)
        index = {n: i for i, n in enumerate(names)}
        train = [(f, index[n]) for n, fs in train_classes.items() for f in fs]
        test = [(f, index[n]) for n, fs in test_classes.items() for f in fs]
        return names, train, test
    classes = _class_folders(root)
    names = tuple(classes)
    rng = np.random.default_rng([seed, 0xF01D])
    train, test = [], []
    for label, name in enumerate(names):
        files = classes[name]
        order = rng.permutation(len(files))
        n_test = int(round(len(files) * TEST_FRACTION)) if len(files) > 1 else 0
        n_test = max(n_test, 1) if len(files) > 1 else 0
        test += [(files[i], label) for i in sorted(order[:n_test])]
        train += [(files[i], label) for i in sorted(order[n_test:])]
    return names, train, test


def _decode(path: Path, sizes: list[tuple[int, int]]) -> tuple[bool, list[np.ndarray]]:
    """Decode one image; return whether it is gray and its RGB pixels (H, W, 3) per size."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QImageReader

    reader = QImageReader(str(path))
    image = reader.read()
    if image.isNull():
        raise DatasetError(f"cannot read image {path}: {reader.errorString()}")
    gray = image.isGrayscale()
    out = []
    for w, h in sizes:
        scaled = image.scaled(
            w, h, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        rgb = scaled.convertToFormat(QImage.Format.Format_RGB888)
        bpl = rgb.bytesPerLine()
        buf = np.frombuffer(rgb.constBits(), dtype=np.uint8, count=bpl * h)
        out.append(buf.reshape(h, bpl)[:, : 3 * w].reshape(h, w, 3).copy())
    return gray, out


def _to_array(pixels: list[np.ndarray], grayscale: bool) -> np.ndarray:
    """Stack RGB pixels (H, W, 3) into (N, C, H, W) uint8, C = 1 when ``grayscale``."""
    rgb = np.ascontiguousarray(np.stack(pixels).transpose(0, 3, 1, 2))  # (N, 3, H, W)
    return to_grayscale(rgb) if grayscale else rgb


def load_folder(
    root: str | os.PathLike,
    *,
    seed: int = 0,
    image_size: tuple[int, int] | None = None,
    grayscale: bool | None = None,
    name: str | None = None,
) -> Dataset:
    """Load an image folder as a :class:`Dataset` (see the module docstring for the layout).

    Parameters
    ----------
    root : path of the folder
    seed : int
        Seed of the train/test split when the folder has no ``train/`` and ``test/``.
    image_size : (H, W), optional
        Size every image is resized to; default 28x28 for grayscale, 32x32 for colour.
    grayscale : bool, optional
        Force one channel (True) or three (False); default: one if every image is gray.
    """
    root = Path(root).expanduser()
    names, train, test = scan(root, seed)
    if image_size is not None:
        h, w = (int(v) for v in image_size)
        if h < 1 or w < 1:
            raise DatasetError(f"image size must be positive, not {h}x{w}")
        sizes = [(w, h)]
    else:
        sizes = [(GRAY_SIZE[1], GRAY_SIZE[0]), (RGB_SIZE[1], RGB_SIZE[0])]
    all_gray = True
    decoded: list[list[np.ndarray]] = []
    for path, _ in train + test:
        gray, pixels = _decode(path, sizes)
        all_gray &= gray
        decoded.append(pixels)
    if grayscale is None:
        grayscale = all_gray
    pick = 0 if image_size is not None or grayscale else 1
    n = len(train)
    train_images = _to_array([d[pick] for d in decoded[:n]], grayscale)
    test_images = (
        _to_array([d[pick] for d in decoded[n:]], grayscale)
        if test
        else np.zeros((0,) + train_images.shape[1:], dtype=np.uint8)
    )
    return Dataset(
        name=name or f"folder:{root}",
        train_images=train_images,
        train_labels=np.array([lab for _, lab in train], dtype=np.int64),
        test_images=test_images,
        test_labels=np.array([lab for _, lab in test], dtype=np.int64),
        class_names=names,
        normalization=Normalization.from_images(train_images),
        description=f"images from {root}, {len(names)} classes",
    )
