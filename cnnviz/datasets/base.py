"""The in-memory dataset: uint8 images, int64 labels, class names and a normalisation.

Everything the rest of cnnviz sees of a dataset is a :class:`Dataset`. Images stay uint8 in
memory, laid out (N, C, H, W); :meth:`Dataset.batch` turns a batch of them into normalised
float32 for the network (one gather, one cast and a fused scale-and-shift per channel).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from cnnviz.errors import CnnvizError

SPLITS = ("train", "test")


class DatasetError(CnnvizError):
    """A dataset problem meant for the user: one line naming the file or dataset."""


class DownloadCancelled(DatasetError):
    """The user cancelled a download; nothing partial was left behind."""


@dataclass(frozen=True)
class Normalization:
    """Per-channel ``(pixel / 255 - mean) / std``.

    Attributes
    ----------
    mean : tuple of float, one per channel, in units of pixel/255
    std : tuple of float, one per channel, in units of pixel/255
    """

    mean: tuple[float, ...]
    std: tuple[float, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "mean", tuple(float(m) for m in self.mean))
        object.__setattr__(self, "std", tuple(float(s) for s in self.std))
        if len(self.mean) != len(self.std) or not self.mean:
            raise ValueError("normalization needs one mean and one std per channel")
        if any(not s > 0 for s in self.std):
            raise ValueError("normalization std must be positive")

    @property
    def channels(self) -> int:
        return len(self.mean)

    def to_dict(self) -> dict:
        return {"mean": list(self.mean), "std": list(self.std)}

    def apply(self, images: np.ndarray) -> np.ndarray:
        """``(pixel / 255 - mean[c]) / std[c]`` as float32 for uint8 images (…, C, H, W): the
        one implementation (:meth:`Dataset.batch` and a drawn digit both use it)."""
        img = np.asarray(images)
        if img.ndim < 3 or img.shape[-3] != self.channels:
            raise ValueError(
                f"the normalization has {self.channels} channels, the image shape is {img.shape}"
            )
        scale, offset = self._factors
        x = img.astype(np.float32)
        x *= scale
        x += offset
        return x

    @cached_property
    def _factors(self) -> tuple[np.ndarray, np.ndarray]:
        # (v / 255 - mean) / std  ==  v * scale + offset, with float32 factors per channel
        mean = np.asarray(self.mean, dtype=np.float64)
        std = np.asarray(self.std, dtype=np.float64)
        scale = (1.0 / (255.0 * std)).astype(np.float32).reshape(-1, 1, 1)
        return scale, (-mean / std).astype(np.float32).reshape(-1, 1, 1)

    @classmethod
    def from_dict(cls, d: dict) -> Normalization:
        try:
            return cls(mean=tuple(d["mean"]), std=tuple(d["std"]))
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a normalization: {d!r}") from exc

    @classmethod
    def from_images(cls, images: np.ndarray, max_samples: int = 20000) -> Normalization:
        """Mean and std per channel of uint8 images (N, C, H, W), on at most ``max_samples``."""
        sample = images[: max_samples or None]
        if sample.size == 0:
            raise ValueError("cannot compute a normalization from no images")
        # from a histogram of the 256 grey levels per channel: exact, and no float copy
        levels = np.arange(256, dtype=np.float64) / 255.0
        mean, std = [], []
        for c in range(sample.shape[1]):
            counts = np.bincount(sample[:, c].ravel(), minlength=256)
            p = counts / counts.sum()
            m = float(p @ levels)
            mean.append(m)
            std.append(float(np.sqrt(p @ (levels - m) ** 2)))
        return cls(
            mean=tuple(round(float(m), 4) for m in mean),
            std=tuple(max(round(float(s), 4), 1e-3) for s in std),
        )


def _readonly(a: np.ndarray) -> np.ndarray:
    """A read-only view of ``a`` (the caller's array keeps its own flags)."""
    v = a.view()
    v.flags.writeable = False
    return v


@dataclass(eq=False)
class Dataset:
    """A labelled image dataset held in memory.

    Attributes
    ----------
    name : str
    train_images : (N, C, H, W) uint8, read-only
    train_labels : (N,) int64, read-only, in ``[0, num_classes)``
    test_images : (M, C, H, W) uint8, read-only
    test_labels : (M,) int64, read-only
    class_names : tuple of str, one per class
    normalization : Normalization, one mean/std per channel
    description : str
    """

    name: str
    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    class_names: tuple[str, ...]
    normalization: Normalization
    description: str = ""

    def __post_init__(self) -> None:
        self.class_names = tuple(str(c) for c in self.class_names)
        for split in SPLITS:
            images = np.asarray(getattr(self, f"{split}_images"))
            labels = np.asarray(getattr(self, f"{split}_labels"))
            if images.dtype != np.uint8 or images.ndim != 4:
                raise ValueError(
                    f"{self.name}: {split} images must be uint8 (N, C, H, W), "
                    f"got {images.dtype} {images.shape}"
                )
            if labels.ndim != 1 or len(labels) != len(images):
                raise ValueError(
                    f"{self.name}: {len(images)} {split} images but labels of shape {labels.shape}"
                )
            labels = labels.astype(np.int64, copy=False)
            if len(labels) and (labels.min() < 0 or labels.max() >= len(self.class_names)):
                raise ValueError(
                    f"{self.name}: {split} labels outside 0..{len(self.class_names) - 1}"
                )
            setattr(self, f"{split}_images", _readonly(images))
            setattr(self, f"{split}_labels", _readonly(labels))
        if self.train_images.shape[1:] != self.test_images.shape[1:]:
            raise ValueError(
                f"{self.name}: train images {self.train_images.shape[1:]} and test images "
                f"{self.test_images.shape[1:]} differ in shape"
            )
        if self.normalization.channels != self.input_shape[0]:
            raise ValueError(
                f"{self.name}: normalization has {self.normalization.channels} channels, "
                f"images have {self.input_shape[0]}"
            )

    @property
    def input_shape(self) -> tuple[int, int, int]:
        """(C, H, W) of one image."""
        c, h, w = self.train_images.shape[1:]
        return int(c), int(h), int(w)

    @property
    def num_classes(self) -> int:
        return len(self.class_names)

    def images(self, split: str) -> np.ndarray:
        """The uint8 images (N, C, H, W) of ``split`` ("train" or "test")."""
        return getattr(self, f"{_check_split(split)}_images")

    def labels(self, split: str) -> np.ndarray:
        """The int64 labels (N,) of ``split`` ("train" or "test")."""
        return getattr(self, f"{_check_split(split)}_labels")

    def batch(self, split: str, indices) -> np.ndarray:
        """Normalised float32 images for the network.

        Parameters
        ----------
        split : "train" or "test"
        indices : int array-like (B,) or slice

        Returns
        -------
        x : (B, C, H, W) float32, ``(pixel / 255 - mean[c]) / std[c]``
        """
        raw = self.images(split)[indices]
        if raw.ndim == 3:  # a single integer index
            raw = raw[None]
        return self.normalization.apply(raw)

    def raw(self, split: str, index: int) -> np.ndarray:
        """One image as stored, (C, H, W) uint8 (read-only), for display."""
        return self.images(split)[int(index)]

    def __repr__(self) -> str:
        c, h, w = self.input_shape
        return (
            f"Dataset({self.name!r}, train={len(self.train_images)}, "
            f"test={len(self.test_images)}, shape=({c}, {h}, {w}), classes={self.num_classes})"
        )


def _check_split(split: str) -> str:
    if split not in SPLITS:
        raise ValueError(f"split must be 'train' or 'test', not {split!r}")
    return split


@dataclass(frozen=True)
class DatasetInfo:
    """What is known about a dataset without loading it.

    Attributes
    ----------
    name : str
    kind : "builtin", "download" or "folder"
    description : str
    input_shape : (C, H, W)
    num_classes : int
    train_size, test_size : int
    download_bytes : int
        Total size of the files to download; 0 for built-ins and folders.
    """

    name: str
    kind: str
    description: str
    input_shape: tuple[int, int, int]
    num_classes: int
    train_size: int
    test_size: int
    download_bytes: int = 0
