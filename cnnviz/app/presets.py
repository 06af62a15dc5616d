"""Lecture presets: which panels, layer, speed, dataset and model a lecture starts with.

A preset is a small JSON file, so a lecturer can prepare one per lecture and open it with one
shortcut (Ctrl+L) or ``cnnviz --preset FILE``. Every field is optional; unknown fields and
wrong types are refused with a one-line error. Example::

    {
      "architecture": "lenet5-1998",
      "dataset": "synthetic-digits",
      "model": "lecture3.cnnviz.npz",
      "speed": "1 phase/s",
      "map_kind": "delta",
      "stage": 2,
      "tab": "Backprop rule",
      "panels": ["Sample", "Progress"],
      "presentation": true,
      "lr": 0.05, "momentum": 0.9, "batch_size": 16
    }

A relative ``model`` path is taken relative to the preset file.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from cnnviz.errors import CnnvizError
from cnnviz.live.session import SPEEDS
from cnnviz.training.stages import MAP_KINDS


class PresetError(CnnvizError):
    """A lecture preset that cannot be read."""


@dataclass
class Preset:
    architecture: str | None = None
    dataset: str | None = None
    model: str | None = None
    speed: str | None = None
    map_kind: str | None = None
    stage: int | None = None
    sample: int | None = None
    tab: str | None = None
    panels: list[str] = field(default_factory=list)
    presentation: bool = False
    lr: float | None = None
    momentum: float | None = None
    batch_size: int | None = None

    def to_json(self) -> str:
        data = {k: v for k, v in asdict(self).items() if v not in (None, [], False)}
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


_TYPES = {
    "architecture": str, "dataset": str, "model": str, "speed": str, "map_kind": str,
    "stage": int, "sample": int, "tab": str, "panels": list, "presentation": bool,
    "lr": float, "momentum": float, "batch_size": int,
}  # fmt: skip


def load_preset(path: str | os.PathLike) -> Preset:
    """Read and validate a preset file."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PresetError(f"cannot read preset {path}: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PresetError(f"preset {path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise PresetError(f"preset {path}: expected a JSON object")
    unknown = set(data) - {f.name for f in fields(Preset)}
    if unknown:
        raise PresetError(f"preset {path}: unknown fields {', '.join(sorted(unknown))}")
    for key, value in data.items():
        want = _TYPES[key]
        ok = isinstance(value, want) and not (want is int and isinstance(value, bool))
        if want is float:
            ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok:
            raise PresetError(f"preset {path}: {key} must be {want.__name__}, got {value!r}")
    preset = Preset(**data)
    if preset.speed is not None and preset.speed not in [s[0] for s in SPEEDS]:
        raise PresetError(f"preset {path}: speed must be one of {', '.join(s[0] for s in SPEEDS)}")
    if preset.map_kind is not None and preset.map_kind not in MAP_KINDS:
        raise PresetError(f"preset {path}: map_kind must be one of {', '.join(MAP_KINDS)}")
    if not all(isinstance(p, str) for p in preset.panels):
        raise PresetError(f"preset {path}: panels must be a list of panel names")
    if preset.model and not Path(preset.model).is_absolute():
        preset.model = str((path.parent / preset.model).resolve())
    return preset


def save_preset(path: str | os.PathLike, preset: Preset) -> None:
    """Write a preset atomically (temporary file, then rename)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".preset-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(preset.to_json())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
