"""Downloads against a loopback HTTP server: checksums, mirrors, broken transfers, cancelling.

The server (http.server in a thread on 127.0.0.1, a free port) serves small generated IDX and
CIFAR files. Paths pick a behaviour::

    /ok/NAME        the file
    /bad/NAME       a different body of the same length (checksum mismatch)
    /short/NAME     Content-Length larger than the body, then the connection closes
    /gone/NAME      half the body, then the connection is reset and the server stops listening
    /stall/NAME     the headers, then nothing until the client times out
    anything else   404
"""

from __future__ import annotations

import hashlib
import http.server
import io
import socket
import struct
import tarfile
import threading
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import tiny_idx_plugin
from tiny_idx_plugin import IDX_NAMES, tiny_idx_files

from cnnviz.cli import main as cli_main
from cnnviz.datasets import (
    DatasetError,
    DatasetSpec,
    DownloadCancelled,
    cifar,
    download,
    download_dataset,
    is_available,
    load_dataset,
    paths,
    registry,
)
from cnnviz.datasets.download import FileSpec

SHARED_MNIST = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "mnist"


def _tiny_cifar() -> bytes:
    rng = np.random.default_rng(1)
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name in cifar.TRAIN_MEMBERS + cifar.TEST_MEMBERS:
            records = rng.integers(0, 256, (4, cifar.RECORD), dtype=np.uint8)
            records[:, 0] %= 10
            data = records.tobytes()
            info = tarfile.TarInfo(f"cifar-10-batches-bin/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


class _Handler(http.server.BaseHTTPRequestHandler):
    files: dict[str, bytes] = {}
    requests: list[str] = []

    def log_message(self, *args):  # keep pytest output clean
        pass

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self.requests.append(self.path)
        parts = self.path.strip("/").split("/")
        mode, name = (parts[0], parts[-1]) if len(parts) >= 2 else ("", "")
        body = self.files.get(name)
        if body is None or mode not in ("ok", "bad", "short", "gone", "stall"):
            self.send_error(404)
            return
        if mode == "bad":
            body = bytes(len(body))
        self.send_response(200)
        length = len(body) + (1000 if mode == "short" else 0)
        self.send_header("Content-Length", str(length))
        self.end_headers()
        if mode == "stall":
            time.sleep(1.5)
            return
        if mode == "gone":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            time.sleep(0.2)  # let the client read some of it
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.server.socket.close()  # the server is gone: later connections are refused
            self.connection.close()
            return
        self.wfile.write(body)
        self.close_connection = True


@pytest.fixture
def server():
    """A loopback HTTP server in a thread; yields its base URL ``http://127.0.0.1:PORT/``."""
    _Handler.files = {**tiny_idx_files(), "cifar-10-binary.tar.gz": _tiny_cifar()}
    _Handler.requests = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNVIZ_DATA_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CNNVIZ_MIRROR", raising=False)
    monkeypatch.delenv("CNNVIZ_SYSTEM_DATA_DIRS", raising=False)
    monkeypatch.setattr(paths, "SYSTEM_DIRS", {})
    monkeypatch.setattr(download, "TIMEOUT", 0.5)


def _register(monkeypatch, mirrors, *, name="tiny-idx", sizes=True) -> DatasetSpec:
    """Register a small IDX dataset whose published checksums are those of the served files
    (and their sizes, unless ``sizes`` is False)."""
    spec = tiny_idx_plugin.spec(mirrors, name, sizes)
    monkeypatch.setitem(registry.REGISTRY, name, spec)
    return spec


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_clean_download_is_verified_and_loads(server, monkeypatch, tmp_path):
    _register(monkeypatch, [server + "ok/"])
    seen = []
    files = download_dataset("tiny-idx", progress=lambda d, t, f: seen.append((d, t, f)))
    folder = tmp_path / "cache" / "tiny-idx"
    assert [p.name for p in files] == list(IDX_NAMES)
    assert _leftovers(folder) == sorted(IDX_NAMES)  # and no temporary files
    for p in files:
        assert p.read_bytes() == _Handler.files[p.name]
    # progress: starts at 0 and ends at the full size, for every file
    big = [s for s in seen if s[2] == IDX_NAMES[0]]
    assert big[0][0] == 0 and big[-1][0] == big[-1][1] == len(_Handler.files[IDX_NAMES[0]])
    assert len(big) > 2
    ds = load_dataset("tiny-idx", download=False)
    assert ds.train_images.shape == (120, 1, 28, 28) and list(ds.test_labels[:3]) == [0, 1, 2]
    assert is_available("tiny-idx")
    n = len(_Handler.requests)
    download_dataset("tiny-idx")  # already here: nothing fetched again
    assert len(_Handler.requests) == n


def test_checksum_mismatch_leaves_nothing(server, monkeypatch, tmp_path):
    _register(monkeypatch, [server + "bad/"])  # same length, other bytes
    with pytest.raises(DatasetError, match="checksum mismatch") as err:
        download_dataset("tiny-idx")
    message = str(err.value)
    assert IDX_NAMES[0] in message and server + "bad/" in message
    assert str(tmp_path / "cache" / "tiny-idx") in message  # where to put the files by hand
    assert "\n" not in message
    assert _leftovers(tmp_path / "cache" / "tiny-idx") == []


def test_transfer_cut_short_leaves_nothing(server, monkeypatch, tmp_path):
    _register(monkeypatch, [server + "short/"], sizes=False)
    with pytest.raises(DatasetError, match=r"transfer cut short: \d+ of \d+ bytes"):
        download_dataset("tiny-idx")
    assert _leftovers(tmp_path / "cache" / "tiny-idx") == []


def test_wrong_size_is_refused_before_the_transfer(server, monkeypatch, tmp_path):
    _register(monkeypatch, [server + "short/"])  # Content-Length differs from the published size
    with pytest.raises(DatasetError, match="serves .* bytes, the published file has"):
        download_dataset("tiny-idx")
    assert _leftovers(tmp_path / "cache" / "tiny-idx") == []


def test_404_on_first_mirror_then_second(server, monkeypatch, tmp_path):
    _register(monkeypatch, [server + "missing/", server + "ok/"])
    files = download_dataset("tiny-idx")
    assert len(files) == 4
    assert any(r.startswith("/missing/") for r in _Handler.requests)
    assert _leftovers(tmp_path / "cache" / "tiny-idx") == sorted(IDX_NAMES)


def test_server_gone_mid_download_leaves_nothing(server, monkeypatch, tmp_path):
    _register(monkeypatch, [server + "gone/", server + "ok/"])
    with pytest.raises(DatasetError) as err:
        download_dataset("tiny-idx")
    message = str(err.value)
    assert "connection lost after" in message and server + "gone/" in message
    assert "after 0 bytes" not in message
    assert server + "ok/" in message  # the second mirror was tried, and refused
    assert _leftovers(tmp_path / "cache" / "tiny-idx") == []


def test_stalled_server_times_out(server, monkeypatch, tmp_path):
    _register(monkeypatch, [server + "stall/"])
    with pytest.raises(DatasetError, match="timed out"):
        download_dataset("tiny-idx")
    assert _leftovers(tmp_path / "cache" / "tiny-idx") == []


def test_cancel_leaves_nothing_partial(server, monkeypatch, tmp_path):
    _register(monkeypatch, [server + "ok/"])
    progress = []
    with pytest.raises(DownloadCancelled):
        download_dataset(
            "tiny-idx",
            progress=lambda d, t, f: progress.append(d),
            cancel=lambda: len(progress) > 1,  # after the first chunk has arrived
        )
    assert max(progress) > 0
    assert _leftovers(tmp_path / "cache" / "tiny-idx") == []


def test_keyboard_interrupt_leaves_nothing(server, monkeypatch, tmp_path):
    _register(monkeypatch, [server + "ok/"])

    def interrupt(done, total, name):
        if done > 0:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        download_dataset("tiny-idx", progress=interrupt)
    assert _leftovers(tmp_path / "cache" / "tiny-idx") == []


def test_env_mirror_is_tried_first(server, monkeypatch):
    _register(monkeypatch, [server + "bad/"])
    monkeypatch.setenv("CNNVIZ_MIRROR", server + "ok")  # no trailing slash on purpose
    download_dataset("tiny-idx")
    assert not any(r.startswith("/bad/") for r in _Handler.requests)


def test_load_dataset_downloads_when_allowed(server, monkeypatch):
    _register(monkeypatch, [server + "ok/"])
    with pytest.raises(DatasetError, match="not downloaded.*cnnviz data download tiny-idx"):
        load_dataset("tiny-idx", download=False)
    ds = load_dataset("tiny-idx")
    assert len(ds.train_images) == 120


def test_hand_placed_files_are_verified(server, monkeypatch, tmp_path):
    spec = _register(monkeypatch, [])  # no mirrors at all: offline
    folder = tmp_path / "cache" / "tiny-idx"
    folder.mkdir(parents=True)
    for name, body in _Handler.files.items():
        if name in IDX_NAMES:
            (folder / name).write_bytes(body)
    assert is_available("tiny-idx")
    assert len(load_dataset("tiny-idx", download=False).test_images) == 20
    # a damaged copy is named, and is not replaced behind the user's back
    bad = folder / IDX_NAMES[3]
    bad.write_bytes(bytes(spec.files[3].size))
    with pytest.raises(DatasetError, match="fails verification") as err:
        download_dataset("tiny-idx")
    assert str(bad) in str(err.value)
    assert bad.read_bytes() == bytes(spec.files[3].size)
    assert not is_available("tiny-idx")


def test_no_mirror_error_says_where_to_put_files(monkeypatch, tmp_path):
    _register(monkeypatch, [])
    with pytest.raises(DatasetError, match="by hand") as err:
        download_dataset("tiny-idx")
    assert all(n in str(err.value) for n in IDX_NAMES)
    assert str(tmp_path / "cache" / "tiny-idx") in str(err.value)


def test_cifar_download_and_read(server, monkeypatch):
    body = _Handler.files["cifar-10-binary.tar.gz"]
    spec = replace(
        registry.get_spec("cifar10"),
        name="tiny-cifar",
        train_size=20,
        test_size=4,
        files=(FileSpec("cifar-10-binary.tar.gz", sha256=hashlib.sha256(body).hexdigest()),),
        mirrors=(server + "ok/",),
    )
    monkeypatch.setitem(registry.REGISTRY, "tiny-cifar", spec)
    ds = load_dataset("tiny-cifar")
    assert ds.train_images.shape == (20, 3, 32, 32) and ds.test_images.shape == (4, 3, 32, 32)
    assert ds.class_names[-1] == "truck"


def test_cli_download_mnist_from_loopback_mirror(monkeypatch, tmp_path, capsys):
    if not all((SHARED_MNIST / n).is_file() for n in IDX_NAMES):
        pytest.skip(f"no shared MNIST in {SHARED_MNIST}")
    _Handler.files = {n: (SHARED_MNIST / n).read_bytes() for n in IDX_NAMES}
    _Handler.requests = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        # the real published checksums; no internet mirror may be tried
        monkeypatch.setitem(
            registry.REGISTRY, "mnist", replace(registry.get_spec("mnist"), mirrors=())
        )
        monkeypatch.setenv("CNNVIZ_MIRROR", f"http://127.0.0.1:{httpd.server_address[1]}/ok/")
        target = tmp_path / "data"
        assert cli_main(["--data-dir", str(target), "data", "download", "mnist"]) == 0
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
    captured = capsys.readouterr()
    assert "4 file(s) verified" in captured.out
    assert captured.err.count("downloading ") == 4  # not a terminal: one line per file
    assert _leftovers(target / "mnist") == sorted(IDX_NAMES)
    for n in IDX_NAMES:
        assert (target / "mnist" / n).read_bytes() == _Handler.files[n]
    ds = load_dataset("mnist", data_dir=target, download=False)
    assert ds.train_images.shape == (60000, 1, 28, 28)
    assert cli_main(["data", "list", "--data-dir", str(target)]) == 0
    line = next(r for r in capsys.readouterr().out.splitlines() if r.startswith("mnist "))
    assert line.rstrip().endswith("yes")


def test_cli_download_failure_is_one_line(monkeypatch, capsys):
    _register(monkeypatch, [])
    assert cli_main(["data", "download", "tiny-idx"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("cnnviz: error: could not download tiny-idx") and err.count("\n") == 1
