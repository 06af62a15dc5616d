"""Where dataset files live: the user's cache folder and read-only system folders."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Read-only folders where a system package may have installed a dataset, by dataset name.
# Debian's ``dataset-fashion-mnist`` puts Fashion-MNIST in /usr/share/datasets/fashion-mnist.
# Tests (or packagers) may replace this mapping; ``CNNVIZ_SYSTEM_DATA_DIRS`` (os.pathsep-separated
# folders, each holding one subfolder per dataset name) is searched as well.
SYSTEM_DIRS: dict[str, tuple[str, ...]] = {
    "fashion-mnist": ("/usr/share/datasets/fashion-mnist",),
}


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """The dataset cache folder (not created here).

    In order: ``override`` (the ``--data-dir`` option), the ``CNNVIZ_DATA_DIR`` environment
    variable, then the platform's user cache folder: ``$XDG_CACHE_HOME/cnnviz`` or
    ``~/.cache/cnnviz`` on Linux, ``~/Library/Caches/cnnviz`` on macOS and
    ``%LOCALAPPDATA%\\cnnviz`` on Windows.
    """
    if override:
        return Path(override).expanduser()
    env = os.environ.get("CNNVIZ_DATA_DIR", "").strip()
    if env:
        return Path(env).expanduser()
    home = Path.home()
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA", "").strip()
        return (Path(local) if local else home / "AppData" / "Local") / "cnnviz"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "cnnviz"
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    base = Path(xdg) if xdg and os.path.isabs(xdg) else home / ".cache"
    return base / "cnnviz"


def dataset_dir(name: str, override: str | os.PathLike | None = None) -> Path:
    """The folder of one downloadable dataset inside :func:`data_dir`."""
    return data_dir(override) / name


def system_dirs(name: str) -> list[Path]:
    """Read-only folders that may hold dataset ``name``, in the order they are searched."""
    dirs = [Path(d) for d in SYSTEM_DIRS.get(name, ())]
    env = os.environ.get("CNNVIZ_SYSTEM_DATA_DIRS", "")
    dirs += [Path(d) / name for d in env.split(os.pathsep) if d.strip()]
    return dirs
