"""The IDX format of MNIST and its relatives (Fashion-MNIST, KMNIST), gzipped or raw.

An IDX file is a big-endian header followed by the data::

    bytes 0-1   0x0000
    byte  2     dtype code: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32,
                0x0E float64
    byte  3     number of dimensions n
    4 * n       each dimension as a big-endian uint32
    ...         prod(dims) items, big-endian

Every check failure raises :class:`DatasetError` naming the file.
"""

from __future__ import annotations

import gzip
import os
import struct
import zlib
from pathlib import Path

import numpy as np

from cnnviz.datasets.base import DatasetError

DTYPES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
GZIP_MAGIC = b"\x1f\x8b"


def read_bytes(path: str | os.PathLike) -> bytes:
    """The file's content, decompressed when it is gzip (detected by its magic bytes)."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise DatasetError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if data[:2] == GZIP_MAGIC:
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise DatasetError(f"{path} is not a valid gzip file ({exc})") from exc
    return data


def parse_idx(data: bytes, source: str = "IDX data") -> np.ndarray:
    """Parse an IDX buffer into an array with its dimensions (no copy for uint8).

    Parameters
    ----------
    data : bytes
        The decompressed file content.
    source : str
        How to name the data in error messages (usually the file path).

    Returns
    -------
    array : ndarray, shape = the header's dimensions, native byte order
    """
    if len(data) < 4:
        raise DatasetError(f"{source} is too short to be an IDX file ({len(data)} bytes)")
    zero, code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or code not in DTYPES or ndim == 0:
        raise DatasetError(
            f"{source} is not an IDX file (bad magic number 0x{data[:4].hex().upper()})"
        )
    header = 4 + 4 * ndim
    if len(data) < header:
        raise DatasetError(f"{source} is truncated inside its IDX header")
    dims = struct.unpack(f">{ndim}I", data[4:header])
    dtype = DTYPES[code]
    expected = int(np.prod(dims, dtype=np.int64)) * dtype.itemsize
    got = len(data) - header
    if got < expected:
        raise DatasetError(
            f"{source} is truncated: header says {'x'.join(map(str, dims))} "
            f"({expected} bytes of data) but only {got} bytes follow"
        )
    if got > expected:
        raise DatasetError(
            f"{source} has {got - expected} bytes of trailing data after "
            f"{'x'.join(map(str, dims))} items"
        )
    array = np.frombuffer(data, dtype=dtype, offset=header, count=expected // dtype.itemsize)
    return array.reshape(dims).astype(dtype.newbyteorder("="), copy=False)


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read an IDX file, gzipped or raw. See :func:`parse_idx`."""
    return parse_idx(read_bytes(path), str(path))


def read_idx_images(path: str | os.PathLike) -> np.ndarray:
    """Read an IDX image file.

    Returns
    -------
    images : (N, 1, H, W) uint8
    """
    a = read_idx(path)
    if a.dtype != np.uint8 or a.ndim != 3:
        raise DatasetError(
            f"{path} is not an IDX image file: expected uint8 with 3 dimensions (N, H, W), "
            f"got {a.dtype} with shape {a.shape}"
        )
    return a[:, None, :, :]


def read_idx_labels(path: str | os.PathLike, num_classes: int | None = None) -> np.ndarray:
    """Read an IDX label file.

    Returns
    -------
    labels : (N,) int64
    """
    a = read_idx(path)
    if a.dtype != np.uint8 or a.ndim != 1:
        raise DatasetError(
            f"{path} is not an IDX label file: expected uint8 with 1 dimension (N,), "
            f"got {a.dtype} with shape {a.shape}"
        )
    labels = a.astype(np.int64)
    if num_classes is not None and len(labels) and labels.max() >= num_classes:
        raise DatasetError(f"{path} has label {int(labels.max())}, outside 0..{num_classes - 1}")
    return labels


def read_idx_pair(
    images_path: str | os.PathLike,
    labels_path: str | os.PathLike,
    *,
    num_classes: int | None = None,
    image_shape: tuple[int, int] | None = None,
    count: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Read matching image and label files and check they agree.

    Parameters
    ----------
    images_path, labels_path : paths to IDX files
    num_classes : int, optional
        Labels must lie in ``[0, num_classes)``.
    image_shape : (H, W), optional
        The images must have this size.
    count : int, optional
        The files must hold exactly this many samples.

    Returns
    -------
    images : (N, 1, H, W) uint8
    labels : (N,) int64
    """
    images = read_idx_images(images_path)
    labels = read_idx_labels(labels_path, num_classes)
    if len(images) != len(labels):
        raise DatasetError(
            f"{labels_path} has {len(labels)} labels but {images_path} has {len(images)} images"
        )
    if image_shape is not None and images.shape[2:] != tuple(image_shape):
        h, w = image_shape
        raise DatasetError(
            f"{images_path} holds {images.shape[2]}x{images.shape[3]} images, expected {h}x{w}"
        )
    if count is not None and len(images) != count:
        raise DatasetError(f"{images_path} holds {len(images)} images, expected {count}")
    return images, labels


def write_idx(path: str | os.PathLike, array: np.ndarray, *, compress: bool | None = None) -> None:
    """Write ``array`` as an IDX file (gzipped when ``compress`` or the name ends in .gz)."""
    path = Path(path)
    a = np.asarray(array)
    codes = {v.newbyteorder("="): k for k, v in DTYPES.items()}
    code = codes.get(a.dtype.newbyteorder("="))
    if code is None:
        raise ValueError(f"IDX cannot hold {a.dtype}")
    header = struct.pack(f">HBB{a.ndim}I", 0, code, a.ndim, *a.shape)
    data = header + a.astype(DTYPES[code], copy=False).tobytes()
    if compress is None:
        compress = path.suffix == ".gz"
    path.write_bytes(gzip.compress(data, mtime=0) if compress else data)
