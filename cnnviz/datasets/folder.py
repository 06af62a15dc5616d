"""A dataset from a folder of images, one subfolder per class (``folder:PATH``)::

    PATH/cat/001.png                PATH/train/cat/001.png
    PATH/cat/002.jpg        or      PATH/train/dog/...
    PATH/dog/...                    PATH/test/cat/...

With ``train/`` and ``test/`` subfolders those are the splits; otherwise about one image in six
of each class goes to the test split, chosen by a seeded shuffle (the same seed gives the same
split). Images are decoded with Qt's QImageReader — every still-image format the installed Qt
reads (PNG, JPEG, BMP, GIF's first frame, and WebP, TIFF, … where Qt's image plugins are
installed), turned upright as their EXIF orientation says (phone photos) — resized to
``image_size`` (default 28x28 for grayscale, 32x32 for colour) and kept grayscale when every
image is gray, unless ``grayscale`` says otherwise. The normalisation is computed from the
training images.

Decoding a large folder takes a while, so ``progress(done, total, name)`` is called as images
are decoded (the signature of a download's progress), ``cancel()`` may stop it
(:class:`DownloadCancelled`), and the decoded arrays are cached in
``data_dir()/folders/`` keyed by the folder's file list, sizes and modification times and the
options: the second start of the same folder reads one file. A cache that does not match the
folder or cannot be read is ignored and rewritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np

from cnnviz.datasets.base import Dataset, DatasetError, DownloadCancelled, Normalization
from cnnviz.datasets.paths import data_dir
from cnnviz.datasets.transforms import to_grayscale

EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp")  # what every Qt reads, without its plugins
# what QImageReader lists that is not a still picture (or that cnnviz should not rasterise)
_NOT_STILL = {"svg", "svgz", "pdf", "mng", "apng"}
CACHE_VERSION = 1
TEST_FRACTION = 1 / 6
GRAY_SIZE = (28, 28)
RGB_SIZE = (32, 32)


@cache
def image_extensions() -> tuple[str, ...]:
    """The file extensions of every still-image format the installed Qt reads (``.webp``,
    ``.tif``, ``.gif`` … besides PNG, JPEG and BMP); the three alone without PySide6."""
    try:
        from PySide6.QtGui import QImageReader
    except ImportError:  # pragma: no cover - PySide6 is a dependency
        return EXTENSIONS
    found = {
        bytes(f).decode("ascii", "replace").lower() for f in QImageReader.supportedImageFormats()
    }
    return tuple(sorted(set(EXTENSIONS) | {f".{f}" for f in found - _NOT_STILL}))


def _image_files(folder: Path) -> list[Path]:
    extensions = image_extensions()
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in extensions
    )


def _class_folders(root: Path) -> dict[str, list[Path]]:
    """Class name -> sorted image files, for every non-hidden subfolder of ``root``."""
    classes = {}
    for sub in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        files = _image_files(sub)
        if not files:
            raise DatasetError(f"class folder {sub} holds no images Qt can read")
        classes[sub.name] = files
    if len(classes) < 2:
        raise DatasetError(
            f"{root} needs at least two class subfolders of images (found {len(classes)})"
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
    reader.setAutoTransform(True)  # EXIF orientation: phone photos come upright
    image = reader.read()  # an animation's first frame
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
    progress: Callable[[int, int | None, str], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    use_cache: bool = True,
    cache_dir: str | os.PathLike | None = None,
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
    progress : callable(done, total, name), optional
        Called as images are decoded (not when they come from the cache).
    cancel : callable() -> bool, optional
        True stops decoding with :class:`DownloadCancelled`; nothing is cached then.
    use_cache : bool
        Read and write the decoded arrays in ``cache_dir`` (default ``data_dir()/folders``).
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
    files = [path for path, _ in train + test]
    key = _cache_key(root, files, seed, image_size, grayscale)
    folder = Path(cache_dir) if cache_dir is not None else data_dir() / "folders"
    cached = _read_cache(folder, key, len(train), len(test)) if use_cache else None
    if cached is not None:
        train_images, test_images = cached
    else:
        train_images, test_images = _decode_all(files, len(train), sizes, image_size, grayscale,
                                                progress, cancel)  # fmt: skip
        if use_cache:
            _write_cache(folder, key, train_images, test_images)
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


def _decode_all(files, n_train, sizes, image_size, grayscale, progress, cancel):
    """Decode every image: (train_images, test_images) uint8 (N, C, H, W)."""
    all_gray = True
    decoded: list[list[np.ndarray]] = []
    total = len(files)
    for i, path in enumerate(files):
        if cancel is not None and cancel():
            raise DownloadCancelled(f"reading the images was cancelled at {path}")
        gray, pixels = _decode(path, sizes)
        all_gray &= gray
        decoded.append(pixels)
        if progress is not None:
            progress(i + 1, total, path.name)
    if grayscale is None:
        grayscale = all_gray
    pick = 0 if image_size is not None or grayscale else 1
    train_images = _to_array([d[pick] for d in decoded[:n_train]], grayscale)
    test_images = (
        _to_array([d[pick] for d in decoded[n_train:]], grayscale)
        if total > n_train
        else np.zeros((0,) + train_images.shape[1:], dtype=np.uint8)
    )
    return train_images, test_images


# ---------------------------------------------------------------------------------- the cache
def _cache_key(root: Path, files: list[Path], seed, image_size, grayscale) -> str:
    """A digest of the folder's file list (relative paths, sizes, modification times) and of
    the options that shape the arrays."""
    h = hashlib.sha256()
    opts = {"v": CACHE_VERSION, "root": str(root.resolve()), "seed": int(seed),
            "size": list(image_size) if image_size else None, "gray": grayscale}  # fmt: skip
    h.update(json.dumps(opts, sort_keys=True).encode())
    for f in files:
        st = f.stat()
        h.update(f"\0{f.relative_to(root)}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return h.hexdigest()[:32]


def _read_cache(folder: Path, key: str, n_train: int, n_test: int):
    """The cached (train_images, test_images), or None when absent, stale or unreadable."""
    path = folder / f"{key}.npz"
    try:
        with np.load(path, allow_pickle=False) as z:
            if set(z.files) != {"train_images", "test_images"}:
                return None
            train, test = z["train_images"], z["test_images"]
    except (OSError, ValueError, EOFError):
        return None
    ok = (
        train.dtype == np.uint8
        and test.dtype == np.uint8
        and train.ndim == test.ndim == 4
        and train.shape[0] == n_train
        and test.shape[0] == n_test
        and train.shape[1:] == test.shape[1:]
        and train.shape[1] in (1, 3)
    )
    return (train, test) if ok else None


def _write_cache(folder: Path, key: str, train: np.ndarray, test: np.ndarray) -> None:
    """Write the cache atomically (a temporary file renamed into place); a cache that cannot
    be written is only a slower next start, so errors are ignored."""
    tmp = folder / f".{key}.{secrets.token_hex(4)}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as f:
            np.savez(f, train_images=train, test_images=test)
        os.replace(tmp, folder / f"{key}.npz")
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass
