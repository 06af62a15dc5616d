"""Every dataset cnnviz knows by name, and the functions that list, fetch and load them.

A :class:`DatasetSpec` describes one dataset: its shapes and classes, and either a generator
(built-ins, made in memory from a seed) or its files, published checksums, mirrors and a reader
(downloads). :data:`REGISTRY` maps names to specs; tests register their own small specs.
A name ``folder:PATH`` loads an image folder instead (see :mod:`cnnviz.datasets.folder`).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cnnviz.datasets import cifar, digits, idx, paths, shapes, transforms
from cnnviz.datasets.base import Dataset, DatasetError, DatasetInfo, Normalization
from cnnviz.datasets.download import Cancel, FileSpec, MirrorsFailed, Progress, fetch, verify_file
from cnnviz.datasets.folder import load_folder
from cnnviz.i18n import QT_TRANSLATE_NOOP

FOLDER_PREFIX = "folder:"
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
            "T-shirt/top",
            "Trouser",
            "Pullover",
            "Dress",
            "Coat",
            "Sandal",
            "Shirt",
            "Sneaker",
            "Bag",
            "Ankle boot",
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

REGISTRY: dict[str, DatasetSpec] = {s.name: s for s in BUILTINS + DOWNLOADS}


def get_spec(name: str) -> DatasetSpec:
    """The spec of a registered dataset; DatasetError listing the known names otherwise."""
    try:
        return REGISTRY[name]
    except KeyError:
        known = ", ".join(REGISTRY)
        raise DatasetError(
            f"unknown dataset {name!r}: choose one of {known}, or folder:PATH for an image folder"
        ) from None


# ----------------------------------------------------------------------------------------------
# finding files


_RAW_VERIFIED: dict[tuple[str, int, int], bool] = {}


def _verify_system_file(path: Path, spec: FileSpec) -> bool:
    """Whether a system-installed (or repackaged) copy holds the right data.

    Packagers may rewrite a gzip header (so the published checksum no longer applies); the
    decompressed content is compared with ``raw_sha256`` then. Without one, the published
    checksum must match.
    """
    try:
        st = path.stat()
    except OSError:
        return False
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _RAW_VERIFIED:
        if spec.raw_sha256:
            h = hashlib.sha256()
            try:
                with gzip.open(path, "rb") as f:
                    while chunk := f.read(1 << 20):
                        h.update(chunk)
                ok = h.hexdigest() == spec.raw_sha256
            except (OSError, EOFError, zlib.error):
                ok = False
        else:
            try:
                verify_file(path, spec)
                ok = True
            except DatasetError:
                ok = False
        _RAW_VERIFIED[key] = ok
    return _RAW_VERIFIED[key]


def _locate_file(name: str, f: FileSpec, folder: Path) -> Path | None:
    """One file: the cache copy (verified, DatasetError naming it if it fails), else a good
    copy in a system folder (a bad one there is ignored), else None."""
    path = folder / f.name
    if path.exists():
        try:
            verify_file(path, f)
        except DatasetError:
            if not (f.raw_sha256 and _verify_system_file(path, f)):  # e.g. a copy of Debian's
                raise
        return path
    for d in paths.system_dirs(name):
        candidate = d / f.name
        if candidate.is_file() and _verify_system_file(candidate, f):
            return candidate
    return None


def locate(spec: DatasetSpec, data_dir=None) -> list[Path | None]:
    """Where each of the spec's files is, without downloading (None: not present).

    The cache folder comes first; a file there must pass verification (DatasetError names it
    otherwise). Then the system folders, where a copy that fails is ignored.
    """
    folder = paths.dataset_dir(spec.name, data_dir)
    return [_locate_file(spec.name, f, folder) for f in spec.files]


def file_status(name: str, data_dir=None) -> list[tuple[str, Path, str]]:
    """Each file of a downloadable dataset: (file name, path, state).

    ``state`` is "verified" (the path is the copy that would be used), "missing" (the path is
    where it would be downloaded) or the verification error of the copy at path.
    """
    spec = get_spec(name)
    folder = paths.dataset_dir(spec.name, data_dir)
    out = []
    for f in spec.files:
        try:
            path = _locate_file(spec.name, f, folder)
        except DatasetError as exc:
            out.append((f.name, folder / f.name, str(exc)))
            continue
        out.append((f.name, path or folder / f.name, "verified" if path else "missing"))
    return out


# ----------------------------------------------------------------------------------------------
# the public functions


def list_datasets() -> list[DatasetInfo]:
    """Every registered dataset (built-ins first), without loading anything."""
    return [s.info() for s in REGISTRY.values()]


def _folder_progress(progress: Progress | None, name: str) -> Progress | None:
    """A folder's decoding reported as ``progress(images_done, images, "folder:PATH")``: the
    label is the dataset's name, the same for every image (a download's is the file's)."""
    if progress is None:
        return None
    return lambda done, total, _image: progress(done, total, name)


def dataset_info(
    name: str, data_dir: str | os.PathLike | None = None, progress: Progress | None = None
) -> DatasetInfo:
    """What is known about ``name``; for ``folder:PATH`` the folder is read (its images
    decoded, with ``progress``, and cached)."""
    if name.startswith(FOLDER_PREFIX):
        ds = load_dataset(name, data_dir=data_dir, progress=progress)
        return DatasetInfo(
            name=name,
            kind="folder",
            description=ds.description,
            input_shape=ds.input_shape,
            num_classes=ds.num_classes,
            train_size=len(ds.train_images),
            test_size=len(ds.test_images),
        )
    return get_spec(name).info()


def is_available(name: str, data_dir=None) -> bool:
    """Whether ``name`` can be loaded without downloading.

    Built-ins always are; a download is when all its files are present and verified, in the
    cache folder or a system folder (such as Debian's); a folder when it exists.
    """
    if name.startswith(FOLDER_PREFIX):
        return Path(name[len(FOLDER_PREFIX) :]).expanduser().is_dir()
    spec = get_spec(name)
    if spec.kind == "builtin":
        return True
    try:
        return all(p is not None for p in locate(spec, data_dir))
    except DatasetError:
        return False


def download_dataset(
    name: str,
    *,
    data_dir=None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> list[Path]:
    """Make sure every file of ``name`` is present and verified, downloading what is missing.

    Returns
    -------
    list of Path
        The verified files (in the cache or a system folder); empty for built-ins and folders.
    """
    if name.startswith(FOLDER_PREFIX):
        return []
    spec = get_spec(name)
    if spec.kind == "builtin":
        return []
    found = locate(spec, data_dir)
    folder = paths.dataset_dir(spec.name, data_dir)
    for i, f in enumerate(spec.files):
        if found[i] is not None:
            continue
        try:
            found[i] = fetch(
                spec.name, f, folder / f.name, spec.mirrors, progress=progress, cancel=cancel
            )
        except MirrorsFailed as exc:
            missing = [g.name for g, p in zip(spec.files, found, strict=True) if p is None]
            raise DatasetError(
                f"could not download {spec.name}: {f.name} failed from every mirror: "
                f"{'; '.join(exc.failures) or 'no mirrors are known'}. Without internet access, "
                f"put {', '.join(missing)} in {folder} by hand (see docs/datasets.md)"
            ) from None
    return [p for p in found if p is not None]


@functools.lru_cache(maxsize=8)
def _generated(generate: Callable[[int], Arrays], seed: int) -> tuple[Arrays, Normalization]:
    """A built-in's arrays for one seed, made once per process and frozen (read-only)."""
    arrays = generate(seed)
    for a in arrays:
        a.flags.writeable = False
    return arrays, Normalization.from_images(arrays[0])


def load_dataset(
    name: str,
    *,
    data_dir: str | os.PathLike | None = None,
    download: bool = True,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    seed: int = 0,
    image_size: tuple[int, int] | None = None,
    grayscale: bool | None = None,
) -> Dataset:
    """Load a dataset by name into memory.

    Parameters
    ----------
    name : a registered name (see :func:`list_datasets`) or ``folder:PATH``
    data_dir : the cache folder (default :func:`cnnviz.datasets.data_dir`)
    download : fetch missing files (otherwise DatasetError says how to get them)
    progress : callable(done, total or None, label): during a download, the bytes of the file
        ``label``; while a folder is decoded, its images (``label`` is ``folder:PATH``)
    cancel : callable() -> bool; True cancels the download or the decoding (DownloadCancelled)
    seed : generation seed of built-ins, split seed of folders
    image_size : (H, W) to resize to; default: the dataset's own size
    grayscale : True for one channel, False for three; default: the dataset's own

    Returns
    -------
    Dataset with read-only uint8 images (N, C, H, W) and int64 labels
    """
    if name.startswith(FOLDER_PREFIX):
        return load_folder(
            name[len(FOLDER_PREFIX) :],
            seed=seed,
            image_size=image_size,
            grayscale=grayscale,
            name=name,
            progress=_folder_progress(progress, name),
            cancel=cancel,
            cache_dir=paths.data_dir(data_dir) / "folders",
        )
    spec = get_spec(name)
    if spec.kind == "builtin":
        arrays, norm = _generated(spec.generate, int(seed))
    else:
        files = locate(spec, data_dir)
        if any(p is None for p in files):
            if not download:
                folder = paths.dataset_dir(spec.name, data_dir)
                missing = [f.name for f, p in zip(spec.files, files, strict=True) if p is None]
                raise DatasetError(
                    f"{spec.name} is not downloaded: run `cnnviz data download {spec.name}` or "
                    f"put {', '.join(missing)} in {folder}"
                )
            files = download_dataset(name, data_dir=data_dir, progress=progress, cancel=cancel)
        arrays = spec.read(spec, files)
        norm = spec.normalization or Normalization.from_images(arrays[0])
    x, y, xt, yt = arrays
    x, xt, norm = _convert(x, xt, norm, image_size, grayscale)
    return Dataset(
        name=spec.name,
        train_images=x,
        train_labels=y,
        test_images=xt,
        test_labels=yt,
        class_names=spec.class_names,
        normalization=norm,
        description=spec.description,
    )


def _convert(x, xt, norm: Normalization, image_size, grayscale):
    """Apply the requested size and colour conversions to both splits."""
    if grayscale is True and x.shape[1] == 3:
        x, xt = transforms.to_grayscale(x), transforms.to_grayscale(xt)
        norm = Normalization.from_images(x)
    elif grayscale is False and x.shape[1] == 1:
        x, xt = transforms.to_rgb(x), transforms.to_rgb(xt)
        norm = Normalization(norm.mean * 3, norm.std * 3)
    if image_size is not None and tuple(image_size) != x.shape[2:]:
        h, w = (int(v) for v in image_size)
        if h < 1 or w < 1:
            raise DatasetError(f"image size must be positive, not {h}x{w}")
        x, xt = transforms.resize(x, (h, w)), transforms.resize(xt, (h, w))
    return x, xt, norm
