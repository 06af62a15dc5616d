"""Exports for slides: PNG at a scale, SVG, and animated GIFs checked by parsing them back
with an LZW decoder written here (and by Qt's own GIF reader)."""

from __future__ import annotations

import os
import struct
import xml.etree.ElementTree as ET

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PySide6 import QtGui, QtWidgets  # noqa: E402

from cnnviz.app import export  # noqa: E402
from cnnviz.app.widgets.mapgrid import MapGrid  # noqa: E402


# ---------------------------------------------------------------------------------- a GIF reader
def read_sub_blocks(data: bytes, pos: int) -> tuple[bytes, int]:
    out = bytearray()
    while True:
        n = data[pos]
        pos += 1
        if n == 0:
            return bytes(out), pos
        out += data[pos : pos + n]
        pos += n


def lzw_decode(data: bytes, min_code_size: int) -> list[int]:
    """GIF LZW, written from the specification independently of the encoder."""
    clear, end = 1 << min_code_size, (1 << min_code_size) + 1
    bits = int.from_bytes(data, "little")
    total = len(data) * 8
    pos, size = 0, min_code_size + 1
    table: list[list[int]] = []
    prev: list[int] | None = None
    out: list[int] = []
    while pos + size <= total:
        code = (bits >> pos) & ((1 << size) - 1)
        pos += size
        if code == clear:
            table = [[i] for i in range(clear)] + [[], []]
            size, prev = min_code_size + 1, None
            continue
        if code == end:
            return out
        if prev is None:
            entry = table[code]
        elif code < len(table):
            entry = table[code]
            if len(table) < 4096:
                table.append(prev + entry[:1])
        else:
            assert code == len(table), f"code {code} beyond the table ({len(table)})"
            entry = prev + prev[:1]
            table.append(entry)
        out += entry
        prev = entry
        if len(table) == (1 << size) and size < 12:
            size += 1
    raise AssertionError("no end-of-information code")


def parse_gif(data: bytes) -> dict:
    assert data[:6] == b"GIF89a"
    width, height, packed, _bg, _aspect = struct.unpack("<HHBBB", data[6:13])
    pos = 13
    palette = None
    if packed & 0x80:
        n = 2 ** ((packed & 7) + 1)
        palette = np.frombuffer(data[pos : pos + 3 * n], np.uint8).reshape(n, 3)
        pos += 3 * n
    info = {"size": (width, height), "palette": palette, "images": [], "loop": None,
            "delays": []}  # fmt: skip
    while True:
        block = data[pos]
        pos += 1
        if block == 0x3B:
            assert pos == len(data), "bytes after the trailer"
            return info
        if block == 0x21:
            label = data[pos]
            body, pos = read_sub_blocks(data, pos + 1)
            if label == 0xFF and body[:11] == b"NETSCAPE2.0":
                assert body[11] == 1
                info["loop"] = struct.unpack("<H", body[12:14])[0]
            elif label == 0xF9:
                info["delays"].append(struct.unpack("<H", body[1:3])[0])
            continue
        assert block == 0x2C, f"unexpected block {block:#x} at {pos - 1}"
        left, top, w, h, flags = struct.unpack("<HHHHB", data[pos : pos + 9])
        pos += 9
        assert not flags & 0x80, "no local colour tables expected"
        min_code = data[pos]
        lzw, pos = read_sub_blocks(data, pos + 1)
        info["images"].append({"box": (left, top, w, h), "min_code": min_code, "lzw": lzw})


def decoded_frame(info: dict, i: int = 0) -> np.ndarray:
    img = info["images"][i]
    left, top, w, h = img["box"]
    idx = np.array(lzw_decode(img["lzw"], img["min_code"]), dtype=np.intp)
    assert idx.size == w * h
    return info["palette"][idx].reshape(h, w, 3)


def qt_frames(path) -> list[np.ndarray]:
    reader = QtGui.QImageReader(str(path))
    return [export.qimage_to_array(reader.read()) for _ in range(reader.imageCount())]


# ---------------------------------------------------------------------------------- GIF
def few_colour_frames(n=4, h=23, w=37, seed=0):
    r = np.random.default_rng(seed)
    colours = r.integers(0, 256, (12, 3)).astype(np.uint8)
    frames = [colours[r.integers(0, 12, (h, w))] for _ in range(n)]
    frames[2] = frames[1].copy()
    frames[2][3:7, 20:30] = colours[0]  # only a patch changes
    frames[3] = frames[2].copy()  # nothing changes
    return frames


def test_gif_structure_and_exact_colours(tmp_path, qapp):
    frames = few_colour_frames()
    path = tmp_path / "a.gif"
    size = export.write_gif(path, frames, fps=5)
    data = path.read_bytes()
    assert size == len(data)
    info = parse_gif(data)
    assert info["size"] == (37, 23)
    assert info["loop"] == 0
    assert len(info["images"]) == len(frames)
    assert info["delays"] == [20] * 4
    np.testing.assert_array_equal(decoded_frame(info, 0), frames[0])  # ≤ 256 colours: exact
    assert info["images"][0]["box"] == (0, 0, 37, 23)
    assert info["images"][2]["box"] == (20, 3, 10, 4)  # only the rectangle that changed
    np.testing.assert_array_equal(decoded_frame(info, 2), frames[2][3:7, 20:30])
    assert info["images"][3]["box"][2:] == (1, 1)
    for got, want in zip(qt_frames(path), frames, strict=True):  # Qt reads it the same
        np.testing.assert_array_equal(got, want)


def test_gif_fixed_palette_and_a_full_code_table(tmp_path, qapp):
    noise = np.random.default_rng(1).integers(0, 256, (90, 110, 3)).astype(np.uint8)
    path = tmp_path / "n.gif"
    export.write_gif(path, [noise, noise[::-1].copy()], fps=2, palette="fixed", loop=3)
    info = parse_gif(path.read_bytes())
    assert info["loop"] == 3 and len(info["images"]) == 2 and info["delays"] == [50, 50]
    mapped = export.fixed_palette()[export.map_to_fixed(noise)]
    np.testing.assert_array_equal(decoded_frame(info, 0), mapped)  # > 4096 codes: reset
    assert np.abs(mapped.astype(int) - noise).max() <= 51
    np.testing.assert_array_equal(qt_frames(path)[1], mapped[::-1])


def test_gif_median_cut_for_many_colours(tmp_path):
    y, x = np.mgrid[0:60, 0:80]
    ramp = np.stack([x * 3, y * 4, (x + y) * 2], -1).astype(np.uint8)
    table, indexed = export.adaptive_palette([ramp])
    assert len(table) == 256
    info = parse_gif(export.gif_bytes([ramp]))
    got = decoded_frame(info)
    np.testing.assert_array_equal(got, table[indexed[0]])
    error = np.abs(got.astype(int) - ramp).mean()
    fixed = export.fixed_palette()[export.map_to_fixed(ramp)]
    assert error < 5 and error < np.abs(fixed.astype(int) - ramp).mean() / 2


def test_gif_refuses_bad_frames(tmp_path):
    with pytest.raises(ValueError, match="at least one"):
        export.gif_bytes([])
    with pytest.raises(ValueError, match="one size"):
        export.gif_bytes([np.zeros((4, 4, 3), np.uint8), np.zeros((4, 5, 3), np.uint8)])
    with pytest.raises(ValueError, match="uint8"):
        export.gif_bytes([np.zeros((4, 4, 3))])
    with pytest.raises(export.ExportError, match="could not write"):
        export.write_gif(tmp_path / "no" / "such" / "x.gif", [np.zeros((2, 2, 3), np.uint8)])


def test_lzw_round_trips_edge_cases():
    for data, bits in (([], 2), ([0], 2), ([1, 1, 1, 1, 1], 2), (list(range(256)) * 40, 8)):
        encoded = export.lzw_encode(np.array(data, np.uint8), bits)
        assert lzw_decode(encoded, bits) == data


# ---------------------------------------------------------------------------------- animations
def test_gif_of_filters_has_a_frame_per_entry(tmp_path, qapp):
    r = np.random.default_rng(2)
    steps = np.array([1, 50, 100])
    kernels = r.standard_normal((3, 4, 2, 3, 3)).astype(np.float32)
    path = tmp_path / "f.gif"
    export.gif_of_filters(path, steps, kernels, "C1", fps=4, size=(320, 240))
    info = parse_gif(path.read_bytes())
    assert info["size"] == (320, 240) and len(info["images"]) == 3
    assert info["delays"] == [25, 25, 150]  # the last one lingers
    assert decoded_frame(info).shape == (240, 320, 3)


def test_gif_of_backward_sweep(tmp_path, qapp):
    from helpers import small_trainer

    from cnnviz.training.timeline import backward_sweep

    tr = small_trainer()
    tr.run(max_steps=2)
    sweep = backward_sweep(None, tr, tr.dataset.batch("test", np.array([0]))[0], 1)
    path = tmp_path / "s.gif"
    export.gif_of_backward_sweep(path, sweep, fps=2)
    info = parse_gif(path.read_bytes())
    assert len(info["images"]) == len(sweep) == 3


# ---------------------------------------------------------------------------------- widgets
@pytest.fixture
def grid(qtbot):
    g = MapGrid("Filters of C1", name="W")
    qtbot.addWidget(g)
    g.resize(240, 160)
    g.set_data(np.random.default_rng(0).standard_normal((6, 1, 5, 5)), "weight")
    return g


def test_png_at_scale_two_has_twice_the_pixels(tmp_path, grid):
    path = tmp_path / "g.png"
    export.export_png(grid, path, scale=2.0)
    img = QtGui.QImage(str(path))
    assert (img.width(), img.height()) == (480, 320)
    assert len({img.pixel(x, y) for x in range(0, 480, 7) for y in range(0, 320, 7)}) > 10
    export.export_png(grid, tmp_path / "one.png", scale=1.0)
    assert QtGui.QImage(str(tmp_path / "one.png")).size().toTuple() == (240, 160)


def test_svg_export_is_parseable(tmp_path, grid):
    path = tmp_path / "g.svg"
    export.export_svg(grid, path)
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    assert root.get("viewBox", "").split() == ["0", "0", "240", "160"]
    texts = "".join(root.itertext())
    assert "Filters of C1" in texts or root.find(".//{http://www.w3.org/2000/svg}image") is not None


def test_png_export_of_an_unwritable_path(tmp_path, grid):
    with pytest.raises(export.ExportError, match="could not write"):
        export.export_png(grid, tmp_path / "missing" / "x.png")


def test_render_widget_of_a_hidden_widget(qapp):
    w = QtWidgets.QLabel("hello")
    w.resize(100, 40)
    img = export.render_widget(w, 1.5)
    assert (img.width(), img.height()) == (150, 60)
