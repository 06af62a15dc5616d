"""The datasets package: built-ins, IDX/CIFAR/folder readers, loading, and ``cnnviz data``.

No test touches the internet; downloads are tested in test_download.py against a loopback server.
"""

from __future__ import annotations

import gzip
import io
import os
import struct
import sys
import tarfile
from pathlib import Path

import numpy as np
import pytest

from cnnviz.cli import main as cli_main
from cnnviz.datasets import (
    Dataset,
    DatasetError,
    Normalization,
    cifar,
    data_dir,
    dataset_info,
    digits,
    download_dataset,
    idx,
    is_available,
    list_datasets,
    load_dataset,
    paths,
    registry,
    shapes,
)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # QImage only; no window is opened

SHARED = Path(__file__).resolve().parents[2] / "shared" / "datasets"
BUILTINS = ("synthetic-digits", "shapes", "edges")


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """No test reads the user's cache, a system dataset folder or a mirror from the env."""
    monkeypatch.setenv("CNNVIZ_DATA_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CNNVIZ_MIRROR", raising=False)
    monkeypatch.delenv("CNNVIZ_SYSTEM_DATA_DIRS", raising=False)
    monkeypatch.setattr(paths, "SYSTEM_DIRS", {})


# ----------------------------------------------------------------------------------------------
# built-ins


@pytest.mark.parametrize("name", BUILTINS)
def test_builtin_shapes_dtypes_and_balance(name):
    ds = load_dataset(name)
    info = dataset_info(name)
    assert info.kind == "builtin" and info.download_bytes == 0
    assert ds.train_images.shape == (info.train_size, *info.input_shape)
    assert ds.test_images.shape == (info.test_size, *info.input_shape)
    assert ds.train_images.dtype == np.uint8 and ds.test_images.dtype == np.uint8
    assert ds.train_labels.dtype == np.int64 and ds.test_labels.dtype == np.int64
    assert ds.num_classes == info.num_classes == len(ds.class_names)
    for labels in (ds.train_labels, ds.test_labels):
        counts = np.bincount(labels, minlength=ds.num_classes)
        assert counts.max() - counts.min() <= 1, counts
    assert ds.train_images.std() > 20  # not blank
    assert is_available(name)


def test_builtin_sizes_are_as_documented():
    sizes = {i.name: (i.train_size, i.test_size, i.input_shape) for i in list_datasets()}
    assert sizes["synthetic-digits"][0] >= 10000 and sizes["synthetic-digits"][1] >= 2000
    assert sizes["synthetic-digits"][2] == (1, 28, 28)
    assert sizes["shapes"][0] >= 5000 and sizes["shapes"][1] >= 1000
    assert sizes["shapes"][2] == (3, 32, 32)
    assert sizes["edges"][2] == (1, 28, 28)


@pytest.mark.parametrize(
    "generate", [digits.generate, shapes.generate_shapes, shapes.generate_edges]
)
def test_builtin_generation_is_deterministic(generate):
    a, b, c = (generate(seed, n_train=600, n_test=100) for seed in (7, 7, 8))
    for x, y in zip(a, b, strict=True):
        assert np.array_equal(x, y) and x.dtype == y.dtype
    assert not np.array_equal(a[0], c[0])


def test_builtin_arrays_are_read_only_and_cached():
    ds = load_dataset("edges")
    for a in (ds.train_images, ds.train_labels, ds.test_images, ds.test_labels):
        assert not a.flags.writeable
        with pytest.raises(ValueError):
            a[0] = 1
    with pytest.raises(ValueError):
        ds.raw("train", 0)[0, 0, 0] = 1
    again = load_dataset("edges")
    assert np.shares_memory(again.train_images, ds.train_images)  # in-memory cache
    other_seed = load_dataset("edges", seed=1)
    assert not np.array_equal(other_seed.train_images, ds.train_images)


def test_batch_normalises_per_channel():
    ds = load_dataset("shapes")
    idx = np.array([3, 1, 4, 1, 5])
    x = ds.batch("train", idx)
    assert x.dtype == np.float32 and x.shape == (5, 3, 32, 32)
    mean = np.array(ds.normalization.mean)[None, :, None, None]
    std = np.array(ds.normalization.std)[None, :, None, None]
    expected = (ds.train_images[idx] / 255.0 - mean) / std
    np.testing.assert_allclose(x, expected, rtol=1e-5, atol=1e-5)
    assert ds.batch("test", slice(0, 7)).shape == (7, 3, 32, 32)
    assert ds.batch("test", 2).shape == (1, 3, 32, 32)
    whole = load_dataset("synthetic-digits").batch("train", slice(None))
    assert abs(whole.mean()) < 0.01 and abs(whole.std() - 1) < 0.01
    raw = ds.raw("test", 3)
    assert raw.shape == (3, 32, 32) and raw.dtype == np.uint8
    with pytest.raises(ValueError):
        ds.batch("validation", [0])


def test_conversions_size_and_colour():
    ds = load_dataset("edges", image_size=(32, 32), grayscale=False)
    assert ds.input_shape == (3, 32, 32)
    assert len(ds.normalization.mean) == 3
    gray = load_dataset("shapes", grayscale=True, image_size=(16, 16))
    assert gray.input_shape == (1, 16, 16) and gray.normalization.channels == 1
    assert ds.batch("train", [0]).shape == (1, 3, 32, 32)


def test_normalization_round_trip():
    n = Normalization((0.1307,), (0.3081,))
    assert Normalization.from_dict(n.to_dict()) == n
    with pytest.raises(ValueError):
        Normalization((0.5,), (0.0,))
    with pytest.raises(ValueError):
        Normalization.from_dict({"mean": [0.5]})


def test_normalization_from_images_is_the_mean_and_std_per_channel():
    rng = np.random.default_rng(3)
    images = rng.integers(0, 256, (50, 3, 9, 7), dtype=np.uint8)
    images[:, 1] //= 4  # channels that differ
    n = Normalization.from_images(images)
    x = images.astype(np.float64) / 255
    np.testing.assert_allclose(n.mean, x.mean(axis=(0, 2, 3)), atol=5e-5)  # 4 decimals
    np.testing.assert_allclose(n.std, x.std(axis=(0, 2, 3)), atol=5e-5)
    assert Normalization.from_images(images, max_samples=10) == Normalization.from_images(
        images[:10]
    )
    with pytest.raises(ValueError, match="no images"):
        Normalization.from_images(images[:0])


def test_dataset_rejects_inconsistent_arrays():
    x = np.zeros((4, 1, 8, 8), np.uint8)
    y = np.zeros(4, np.int64)
    norm = Normalization((0.5,), (0.5,))
    with pytest.raises(ValueError, match="labels"):
        Dataset("t", x, y[:3], x, y, ("a", "b"), norm)
    with pytest.raises(ValueError, match="outside"):
        Dataset("t", x, y + 5, x, y, ("a", "b"), norm)
    with pytest.raises(ValueError, match="channels"):
        Dataset("t", x, y, x, y, ("a", "b"), Normalization((0.5,) * 3, (0.5,) * 3))
    ds = Dataset("t", x, y, x, y, ("a", "b"), norm)
    assert x.flags.writeable  # the caller's array is left alone; the dataset holds a view
    assert not ds.train_images.flags.writeable


# ----------------------------------------------------------------------------------------------
# IDX


def _idx_bytes(array: np.ndarray, code: int = 0x08) -> bytes:
    return struct.pack(f">HBB{array.ndim}I", 0, code, array.ndim, *array.shape) + array.tobytes()


def test_idx_round_trip_gzip_and_raw(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (5, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, 5).astype(np.uint8)
    idx.write_idx(tmp_path / "img.gz", images)
    idx.write_idx(tmp_path / "lab", labels)
    assert (tmp_path / "img.gz").read_bytes()[:2] == b"\x1f\x8b"
    x, y = idx.read_idx_pair(tmp_path / "img.gz", tmp_path / "lab", num_classes=10)
    assert x.shape == (5, 1, 28, 28) and np.array_equal(x[:, 0], images)
    assert y.dtype == np.int64 and np.array_equal(y, labels)
    wide = np.arange(6, dtype=np.int32).reshape(2, 3)
    idx.write_idx(tmp_path / "wide", wide)
    assert np.array_equal(idx.read_idx(tmp_path / "wide"), wide)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\x12\x34\x08\x03" + bytes(100), "bad magic"),
        (b"\x00\x00\x42\x03" + bytes(100), "bad magic"),
        (b"\x00\x00", "too short"),
        (struct.pack(">HBBIII", 0, 8, 3, 10, 28, 28) + bytes(100), "truncated"),
        (struct.pack(">HBBI", 0, 8, 3, 10), "truncated inside its IDX header"),
        (struct.pack(">HBBI", 0, 8, 1, 3) + bytes(5), "trailing"),
    ],
)
def test_idx_corrupt_files_raise_clear_errors(tmp_path, content, message):
    path = tmp_path / "bad-idx3-ubyte.gz"
    path.write_bytes(gzip.compress(content))
    with pytest.raises(DatasetError, match=message) as err:
        idx.read_idx(path)
    assert str(path) in str(err.value)


def test_idx_wrong_dimensions_and_mismatched_labels(tmp_path):
    img, lab = tmp_path / "img", tmp_path / "lab"
    lab.write_bytes(_idx_bytes(np.zeros(4, np.uint8)))
    img.write_bytes(_idx_bytes(np.zeros((4, 28), np.uint8)))  # 2-D: not images
    with pytest.raises(DatasetError, match="3 dimensions") as err:
        idx.read_idx_pair(img, lab)
    assert str(img) in str(err.value)
    img.write_bytes(_idx_bytes(np.zeros((4, 28, 28), np.uint8)))
    with pytest.raises(DatasetError, match="1 dimension"):
        idx.read_idx_pair(img, img)
    lab.write_bytes(_idx_bytes(np.zeros(3, np.uint8)))
    with pytest.raises(DatasetError, match="3 labels but .* 4 images"):
        idx.read_idx_pair(img, lab)
    lab.write_bytes(_idx_bytes(np.full(4, 12, np.uint8)))
    with pytest.raises(DatasetError, match="label 12"):
        idx.read_idx_pair(img, lab, num_classes=10)
    lab.write_bytes(_idx_bytes(np.zeros(4, np.uint8)))
    img.write_bytes(_idx_bytes(np.zeros((4, 32, 32), np.uint8)))
    with pytest.raises(DatasetError, match="32x32 images, expected 28x28"):
        idx.read_idx_pair(img, lab, image_shape=(28, 28))
    bad_gzip = tmp_path / "x.gz"
    bad_gzip.write_bytes(gzip.compress(_idx_bytes(np.zeros(4, np.uint8)))[:-12])
    with pytest.raises(DatasetError, match="gzip") as err:
        idx.read_idx(bad_gzip)
    assert str(bad_gzip) in str(err.value)


def test_corrupt_file_in_cache_names_it(tmp_path):
    """A hand-placed file that fails its published checksum is named, not silently replaced."""
    folder = data_dir() / "mnist"
    folder.mkdir(parents=True)
    bad = folder / "train-labels-idx1-ubyte.gz"
    bad.write_bytes(gzip.compress(_idx_bytes(np.zeros(60000, np.uint8))))
    with pytest.raises(DatasetError, match="fails verification|bytes, expected") as err:
        load_dataset("mnist", download=False)
    assert str(bad) in str(err.value)
    assert not is_available("mnist")
    bad.unlink()
    with pytest.raises(DatasetError, match="not downloaded"):
        load_dataset("mnist", download=False)


# ----------------------------------------------------------------------------------------------
# CIFAR-10 binary


def _cifar_tar(path: Path, per_batch: int = 3, *, record_extra: int = 0, members=None) -> None:
    rng = np.random.default_rng(1)
    members = members or cifar.TRAIN_MEMBERS + cifar.TEST_MEMBERS
    with tarfile.open(path, "w:gz") as tar:
        for name in members:
            images = rng.integers(0, 256, (per_batch, 3, 32, 32), dtype=np.uint8)
            labels = np.arange(per_batch) % 10
            data = np.concatenate(
                [labels[:, None].astype(np.uint8), images.reshape(per_batch, -1)], axis=1
            ).tobytes() + bytes(record_extra)
            info = tarfile.TarInfo(f"cifar-10-batches-bin/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_cifar_reads_from_the_archive(tmp_path):
    path = tmp_path / "cifar-10-binary.tar.gz"
    _cifar_tar(path)
    x, y, xt, yt, names = cifar.read_cifar10(path)
    assert x.shape == (15, 3, 32, 32) and xt.shape == (3, 3, 32, 32)
    assert y.dtype == np.int64 and list(yt) == [0, 1, 2]
    assert names[0] == "airplane" and len(names) == 10
    assert list(tmp_path.iterdir()) == [path]  # nothing extracted


def test_cifar_record_layout(tmp_path):
    images = np.random.default_rng(2).integers(0, 256, (4, 3, 32, 32), dtype=np.uint8)
    cifar.write_cifar_batch(tmp_path / "b.bin", images, np.array([1, 2, 3, 9]))
    data = (tmp_path / "b.bin").read_bytes()
    assert len(data) == 4 * 3073 and data[3073] == 2
    x, y = cifar.parse_batch(data, "b.bin")
    assert np.array_equal(x, images) and list(y) == [1, 2, 3, 9]


def test_cifar_corrupt_archives(tmp_path):
    short = tmp_path / "short.tar.gz"
    _cifar_tar(short, record_extra=5)
    with pytest.raises(DatasetError, match="3073-byte records"):
        cifar.read_cifar10(short)
    missing = tmp_path / "missing.tar.gz"
    _cifar_tar(missing, members=cifar.TRAIN_MEMBERS)
    with pytest.raises(DatasetError, match="test_batch.bin"):
        cifar.read_cifar10(missing)
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"this is not a tar file at all" * 10)
    with pytest.raises(DatasetError, match="junk.tar.gz"):
        cifar.read_cifar10(junk)
    with pytest.raises(DatasetError, match="label 200"):
        cifar.parse_batch(bytes([200]) + bytes(3072), "x.bin")


# ----------------------------------------------------------------------------------------------
# real MNIST and Fashion-MNIST, when the shared copies are present

REAL_COUNTS = {
    "mnist": [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
    "fashion-mnist": [6000] * 10,
}


@pytest.mark.parametrize("name", ["mnist", "fashion-mnist"])
def test_real_idx_datasets(name):
    if not (SHARED / name / "train-images-idx3-ubyte.gz").is_file():
        pytest.skip(f"no shared copy of {name} in {SHARED}")
    assert is_available(name, data_dir=SHARED)
    ds = load_dataset(name, data_dir=SHARED, download=False)
    assert ds.train_images.shape == (60000, 1, 28, 28)
    assert ds.test_images.shape == (10000, 1, 28, 28)
    assert set(np.unique(ds.train_labels)) == set(range(10))
    assert set(np.unique(ds.test_labels)) == set(range(10))
    assert list(np.bincount(ds.train_labels)) == REAL_COUNTS[name]
    mean = ds.train_images.mean() / 255
    assert abs(mean - ds.normalization.mean[0]) < 1e-3


def _strip_gzip_header(data: bytes) -> bytes:
    """What Debian's strip-nondeterminism does: zero MTIME and drop the file name."""
    assert data[:3] == b"\x1f\x8b\x08"
    flags, pos = data[3], 10
    if flags & 4:  # FEXTRA
        pos += 2 + int.from_bytes(data[pos : pos + 2], "little")
    for bit in (8, 16):  # FNAME, FCOMMENT
        if flags & bit:
            pos = data.index(b"\0", pos) + 1
    if flags & 2:  # FHCRC
        pos += 2
    return b"\x1f\x8b\x08\x00\x00\x00\x00\x00" + data[8:10] + data[pos:]


def test_repackaged_system_copy_is_used(tmp_path, monkeypatch):
    """Debian rewrites the gzip headers: the .gz checksum differs but the data is the same."""
    src = SHARED / "fashion-mnist"
    if not (src / "train-images-idx3-ubyte.gz").is_file():
        pytest.skip(f"no shared copy of fashion-mnist in {SHARED}")
    system = tmp_path / "usr-share-datasets-fashion-mnist"
    system.mkdir()
    for f in src.iterdir():
        (system / f.name).write_bytes(_strip_gzip_header(f.read_bytes()))
        assert (system / f.name).read_bytes() != f.read_bytes()
    monkeypatch.setattr(paths, "SYSTEM_DIRS", {"fashion-mnist": (str(system),)})
    assert is_available("fashion-mnist")
    ds = load_dataset("fashion-mnist", download=False)
    assert ds.train_images.shape == (60000, 1, 28, 28)
    assert not (data_dir() / "fashion-mnist").exists()  # nothing copied into the cache
    # the same repackaged files copied into the cache by hand are recognised too
    monkeypatch.setattr(paths, "SYSTEM_DIRS", {})
    (data_dir() / "fashion-mnist").mkdir(parents=True)
    for f in system.iterdir():
        (data_dir() / "fashion-mnist" / f.name).write_bytes(f.read_bytes())
    assert is_available("fashion-mnist")


def test_system_copy_with_other_content_is_ignored(tmp_path, monkeypatch):
    system = tmp_path / "system"
    system.mkdir()
    for f in registry.get_spec("fashion-mnist").files:
        (system / f.name).write_bytes(gzip.compress(_idx_bytes(np.zeros(3, np.uint8))))
    monkeypatch.setattr(paths, "SYSTEM_DIRS", {"fashion-mnist": (str(system),)})
    assert not is_available("fashion-mnist")


# ----------------------------------------------------------------------------------------------
# image folders


def _write_png(path: Path, pixels: np.ndarray) -> None:
    from PySide6.QtGui import QImage

    path.parent.mkdir(parents=True, exist_ok=True)
    h, w = pixels.shape[:2]
    if pixels.ndim == 2:
        a = np.ascontiguousarray(pixels)
        image = QImage(a.data, w, h, w, QImage.Format.Format_Grayscale8)
    else:
        a = np.ascontiguousarray(pixels)
        image = QImage(a.data, w, h, 3 * w, QImage.Format.Format_RGB888)
    assert image.copy().save(str(path))


def _make_folder(root: Path, classes=("circle", "bar", "dot"), per_class=7, rgb=False, size=20):
    rng = np.random.default_rng(3)
    for c, name in enumerate(classes):
        for i in range(per_class):
            if rgb:
                px = rng.integers(0, 256, (size, size + 4, 3), dtype=np.uint8)
            else:
                px = np.full((size, size + 4), 40 * c, dtype=np.uint8)
                px[i % size] = 255
            _write_png(root / name / f"{i:03d}.png", px)


def test_folder_split_shapes_and_labels(tmp_path):
    root = tmp_path / "imgs"
    _make_folder(root)
    ds = load_dataset(f"folder:{root}")
    assert ds.class_names == ("bar", "circle", "dot")  # sorted folder names
    assert ds.input_shape == (1, 28, 28)
    assert len(ds.train_images) + len(ds.test_images) == 21
    assert len(ds.test_images) == 3  # one in six, per class
    assert sorted(np.bincount(ds.test_labels)) == [1, 1, 1]
    # "bar" is class 0, drawn with value 40 * 1 = 40 as background
    bar = ds.train_images[ds.train_labels == 0]
    assert abs(int(np.median(bar[0])) - 40) <= 1
    again = load_dataset(f"folder:{root}")
    assert np.array_equal(again.test_images, ds.test_images)  # same seed, same split
    assert download_dataset(f"folder:{root}") == [] and download_dataset("edges") == []
    info = dataset_info(f"folder:{root}")
    assert info.kind == "folder" and info.num_classes == 3
    assert is_available(f"folder:{root}") and not is_available(f"folder:{root}/nope")


def test_folder_rgb_sizes_and_train_test_layout(tmp_path):
    root = tmp_path / "rgb"
    _make_folder(root / "train", rgb=True, per_class=4)
    _make_folder(root / "test", rgb=True, per_class=2)
    ds = load_dataset(f"folder:{root}")
    assert ds.input_shape == (3, 32, 32)
    assert len(ds.train_images) == 12 and len(ds.test_images) == 6
    assert ds.normalization.channels == 3
    small = load_dataset(f"folder:{root}", image_size=(12, 10), grayscale=True)
    assert small.input_shape == (1, 12, 10)


def test_folder_errors_name_the_file(tmp_path):
    root = tmp_path / "imgs"
    _make_folder(root, per_class=3)
    broken = root / "dot" / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"not really a png")
    with pytest.raises(DatasetError, match="broken.png"):
        load_dataset(f"folder:{root}")
    with pytest.raises(DatasetError, match="does not exist"):
        load_dataset(f"folder:{tmp_path / 'missing'}")
    (tmp_path / "one" / "only").mkdir(parents=True)
    _write_png(tmp_path / "one" / "only" / "a.png", np.zeros((4, 4), np.uint8))
    with pytest.raises(DatasetError, match="at least two class"):
        load_dataset(f"folder:{tmp_path / 'one'}")


# ----------------------------------------------------------------------------------------------
# registry and paths


def test_unknown_name_is_a_clear_error():
    with pytest.raises(DatasetError, match="unknown dataset 'nope'.*mnist"):
        load_dataset("nope")
    with pytest.raises(DatasetError):
        dataset_info("nope")


def test_data_dir_precedence(tmp_path, monkeypatch):
    assert data_dir("/some/where") == Path("/some/where")
    assert data_dir() == tmp_path / "cache"  # from CNNVIZ_DATA_DIR (set by the fixture)
    monkeypatch.delenv("CNNVIZ_DATA_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert data_dir() == tmp_path / "xdg" / "cnnviz"


def test_list_datasets_names():
    names = [i.name for i in list_datasets()]
    for n in ("synthetic-digits", "shapes", "edges", "mnist", "fashion-mnist", "kmnist", "cifar10"):
        assert n in names
    for i in list_datasets():
        if i.kind == "download":
            assert i.download_bytes > 0 and registry.get_spec(i.name).files


# ----------------------------------------------------------------------------------------------
# the command line


def test_cli_data_list(capsys):
    assert cli_main(["data", "list"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:2] == ["NAME", "KIND"]
    line = next(row for row in out.splitlines() if row.startswith("mnist "))
    assert "60000/10000" in line and "1x28x28" in line and "no (" in line
    assert "built in" in next(r for r in out.splitlines() if r.startswith("synthetic-digits"))


def test_cli_data_info(capsys, tmp_path):
    assert cli_main(["data", "info", "edges"]) == 0
    out = capsys.readouterr().out
    assert "vertical, horizontal" in out and "normalisation" in out and "1x28x28" in out
    assert cli_main(["--data-dir", str(tmp_path / "elsewhere"), "data", "info", "mnist"]) == 0
    out = capsys.readouterr().out
    assert "0.1307" in out and "missing" in out and str(tmp_path / "elsewhere" / "mnist") in out


def test_cli_unknown_name_is_one_line(capsys):
    assert cli_main(["data", "info", "no-such-set"]) == 1
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("cnnviz: error: unknown dataset 'no-such-set'")
    assert "Traceback" not in captured.err
    assert cli_main(["data", "download", "no-such-set"]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_cli_download_builtin_is_a_no_op(capsys):
    assert cli_main(["data", "download", "edges"]) == 0
    assert "nothing to download" in capsys.readouterr().out


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_on_a_terminal():
    from cnnviz.commands.progress import ProgressBar

    stream = _Tty()
    bar = ProgressBar(stream)
    for done in (0, 500_000, 1_000_000):
        bar(done, 1_000_000, "a.gz")
    bar(10, None, "b.gz")
    bar.finish()
    text = stream.getvalue()
    assert "\ra.gz  [" in text and "100%" in text and "\rb.gz" in text
    assert text.endswith("\n") and text.count("\n") == 2  # one line per file
    plain = io.StringIO()
    bar = ProgressBar(plain)
    bar(0, 2_000_000, "a.gz")
    bar(2_000_000, 2_000_000, "a.gz")
    bar.finish()
    assert plain.getvalue() == "downloading a.gz (2.0 MB)\n"


def test_progress_bar_of_a_folder(monkeypatch):
    """A folder's images count on one line labelled with the folder, on a terminal or not."""
    from cnnviz.commands import progress

    stream = _Tty()
    bar = progress.ProgressBar(stream)
    for done in range(1, 101):
        bar(done, 100, "folder:/photos")
    bar.finish()
    text = stream.getvalue()
    assert "/photos  [" in text and "100/100 images" in text and text.count("\n") == 1
    clock = iter(range(0, 1000, 3))  # every call 3 s later: a line every other call
    monkeypatch.setattr(progress.time, "monotonic", lambda: next(clock))
    plain = io.StringIO()
    bar = progress.ProgressBar(plain)
    for done in range(1, 5):
        bar(done, 4, "folder:/photos")
    bar.finish()
    lines = plain.getvalue().splitlines()
    assert lines[0] == "reading 4 images of /photos" and lines[-1].endswith("4/4 images")
    assert len(lines) == 3 and "[" in lines[1]
