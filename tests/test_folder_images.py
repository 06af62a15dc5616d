"""Image folders as people have them: every format Qt reads, EXIF orientation, progress and
cancelling while decoding, and the cache that makes the second start read one file."""

from __future__ import annotations

import os

import numpy as np
import pytest

pytest.importorskip("PySide6")

from PySide6.QtGui import QColor, QImage, QImageIOHandler, QImageWriter  # noqa: E402

from cnnviz.datasets import DownloadCancelled, folder, load_dataset  # noqa: E402
from cnnviz.datasets.folder import image_extensions, load_folder  # noqa: E402

# the smallest GIF: one white pixel (Qt reads GIF but does not write it)
GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00"
       b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")  # fmt: skip


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNVIZ_DATA_DIR", str(tmp_path / "cache"))


def half_white(width: int = 20, height: int = 20) -> QImage:
    """Left half white, right half black."""
    img = QImage(width, height, QImage.Format.Format_RGB888)
    img.fill(QColor(0, 0, 0))
    for x in range(width // 2):
        for y in range(height):
            img.setPixelColor(x, y, QColor(255, 255, 255))
    return img


def write(img: QImage, path, rotate90: bool = False) -> None:
    w = QImageWriter(str(path))
    if rotate90:
        w.setTransformation(QImageIOHandler.Transformation.TransformationRotate90)
    assert w.write(img), w.errorString()


def make_folder(root, formats=("png",), per_class=3):
    for c in ("a", "b"):
        (root / c).mkdir(parents=True)
        for i in range(per_class):
            fmt = formats[i % len(formats)]
            write(half_white(), root / c / f"{i}.{fmt}")


def test_every_format_qt_reads_is_taken(tmp_path):
    exts = image_extensions()
    assert {".png", ".jpg", ".bmp", ".gif"} <= set(exts) and ".svg" not in exts
    formats = [f for f in ("webp", "tiff", "png") if f".{f}" in exts]
    make_folder(tmp_path / "imgs", formats=formats, per_class=len(formats))
    (tmp_path / "imgs" / "a" / "anim.gif").write_bytes(GIF)
    ds = load_folder(tmp_path / "imgs")
    assert len(ds.train_labels) + len(ds.test_labels) == 2 * len(formats) + 1


def test_exif_orientation_turns_phone_photos_upright(tmp_path):
    root = tmp_path / "photos"
    for c in ("a", "b"):
        (root / c).mkdir(parents=True)
        for i in range(2):  # one upright, one stored sideways with EXIF "rotate 90°"
            write(half_white(), root / c / f"{i}.jpg", rotate90=bool(i))
    ds = load_folder(root, seed=0, use_cache=False)
    images = np.concatenate([ds.train_images, ds.test_images]).astype(float)[:, 0]
    upright = images[:, :, :14].mean(axis=(1, 2)) > images[:, :, 14:].mean(axis=(1, 2)) + 100
    turned = images[:, :14, :].mean(axis=(1, 2)) > images[:, 14:, :].mean(axis=(1, 2)) + 100
    assert upright.sum() == 2 and turned.sum() == 2  # rotated 90° clockwise: left → top


def test_progress_reports_every_image_and_cancel_stops_without_caching(tmp_path):
    make_folder(tmp_path / "imgs", per_class=4)
    seen = []
    load_folder(tmp_path / "imgs", progress=lambda d, t, n: seen.append((d, t)), use_cache=False)
    assert seen == [(i, 8) for i in range(1, 9)]
    calls = []

    def cancel():
        calls.append(1)
        return len(calls) > 3

    cache = tmp_path / "c"
    with pytest.raises(DownloadCancelled, match="cancelled"):
        load_folder(tmp_path / "imgs", cancel=cancel, cache_dir=cache)
    assert not cache.exists() or not any(cache.iterdir())


def test_the_second_start_reads_the_cache_until_the_folder_changes(tmp_path, monkeypatch):
    make_folder(tmp_path / "imgs", per_class=4)
    first = load_dataset(f"folder:{tmp_path / 'imgs'}")
    cached = list((tmp_path / "cache" / "folders").glob("*.npz"))
    assert len(cached) == 1

    decoded = []
    real = folder._decode
    monkeypatch.setattr(folder, "_decode", lambda p, s: decoded.append(p) or real(p, s))
    again = load_dataset(f"folder:{tmp_path / 'imgs'}")
    assert decoded == []  # nothing decoded: the arrays came from the cache
    assert np.array_equal(again.train_images, first.train_images)
    assert np.array_equal(again.test_labels, first.test_labels)
    assert again.normalization == first.normalization

    changed = tmp_path / "imgs" / "a" / "0.png"
    st = changed.stat()
    os.utime(changed, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # a file changed
    load_dataset(f"folder:{tmp_path / 'imgs'}")
    assert len(decoded) == 8

    for f in (tmp_path / "cache" / "folders").glob("*.npz"):
        f.write_bytes(b"not an npz")  # a damaged cache is ignored and rewritten
    decoded.clear()
    assert np.array_equal(load_dataset(f"folder:{tmp_path / 'imgs'}").train_labels,
                          first.train_labels)  # fmt: skip
    assert len(decoded) == 8


def test_load_dataset_reports_a_folder_by_its_name_and_cancels(tmp_path):
    """load_dataset passes progress (labelled folder:PATH) and cancel to the folder, and caches
    under --data-dir when one is given."""
    make_folder(tmp_path / "imgs", per_class=2)
    name = f"folder:{tmp_path / 'imgs'}"
    seen = []
    load_dataset(name, data_dir=tmp_path / "mine", progress=lambda *a: seen.append(a))
    assert seen == [(i, 4, name) for i in range(1, 5)]
    assert len(list((tmp_path / "mine" / "folders").glob("*.npz"))) == 1
    with pytest.raises(DownloadCancelled):
        load_dataset(name, data_dir=tmp_path / "other", cancel=lambda: True)


def test_cli_data_info_shows_the_folder_being_read_then_reads_the_cache(tmp_path, capsys):
    from cnnviz.cli import main as cli_main

    make_folder(tmp_path / "imgs", per_class=3)
    name = f"folder:{tmp_path / 'imgs'}"
    assert cli_main(["data", "info", name]) == 0
    out, err = capsys.readouterr()
    assert f"reading 6 images of {tmp_path / 'imgs'}" in err and "6/6 images" in err
    assert "samples" in out
    assert cli_main(["data", "info", name]) == 0
    assert capsys.readouterr().err == ""  # the second time: from the cache, nothing decoded
