"""Every dataset cnnviz knows by name, and the functions that list, fetch and load them.

A :class:`DatasetSpec` describes one dataset: its shapes and classes, and either a generator
(built-ins, made in memory from a seed) or its files, published checksums, mirrors and a reader
(downloads), listed in :mod:`cnnviz.datasets.catalogue`. :data:`REGISTRY` maps names to specs;
tests and plugins register their own.
A name ``folder:PATH`` loads an image folder instead (see :mod:`cnnviz.datasets.folder`).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import os
import zlib
from collections.abc import Callable
from pathlib import Path

from cnnviz.datasets import paths, transforms
from cnnviz.datasets.base import Dataset, DatasetError, DatasetInfo, Normalization
from cnnviz.datasets.catalogue import (  # noqa: F401 - DatasetSpec and the readers for plugins
    BUILTINS,
    DOWNLOADS,
    Arrays,
    DatasetSpec,
    read_cifar_files,
    read_idx_files,
)
from cnnviz.datasets.download import Cancel, FileSpec, MirrorsFailed, Progress, fetch, verify_file
from cnnviz.datasets.folder import load_folder

FOLDER_PREFIX = "folder:"


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
