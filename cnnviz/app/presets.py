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

A relative ``model`` path is taken relative to the preset file. The file must be a regular
file of at most 1 MiB of UTF-8 JSON, nested no deeper than the format (2 levels); every number
has the range of the control it sets (:data:`RANGES`), and an unknown field is named, with the
field it was probably meant to be.
"""

from __future__ import annotations

import difflib
import json
import math
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from cnnviz.errors import CnnvizError
from cnnviz.live.session import SPEEDS
from cnnviz.safeio import loads_json, printable, read_text
from cnnviz.training.bounds import MAX_LAYERS
from cnnviz.training.stages import MAP_KINDS

MAX_PRESET_BYTES = 1 << 20
MAX_PRESET_DEPTH = 2  # an object holding the list of panels
MAX_TEXT = 4096  # characters of any text field (a model path)
# numeric fields: the range of the control each one sets
RANGES: dict[str, tuple[float, float]] = {
    "stage": (0, 2 * MAX_LAYERS),
    "sample": (0, 10**9),
    "lr": (0.0001, 10.0),
    "momentum": (0.0, 0.99),
    "batch_size": (1, 1024),
}


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
    """Read and validate a preset file; any problem is a :class:`PresetError` naming it."""
    path = Path(path)
    what = f"preset {path}"
    raw = read_text(path, "preset", MAX_PRESET_BYTES, PresetError)
    data = loads_json(raw, what, MAX_PRESET_DEPTH, PresetError)
    if not isinstance(data, dict):
        raise PresetError(f"{what}: expected a JSON object")
    known = [f.name for f in fields(Preset)]
    for key in data:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.7)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise PresetError(f"{what}: unknown field {printable(key, 40)!r}{hint}")
    for key, value in data.items():
        want = _TYPES[key]
        ok = isinstance(value, want) and not (want is int and isinstance(value, bool))
        if want is float:
            ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok:
            shown = printable(repr(value), 40)
            raise PresetError(f"{what}: {key} must be {_KINDS[want]}, got {shown}")
        if key in RANGES:
            lo, hi = RANGES[key]
            if not (math.isfinite(value) and lo <= value <= hi):
                raise PresetError(f"{what}: {key} must lie in [{lo:g}, {hi:g}], got {value:.6g}")
        if want is str and (len(value) > MAX_TEXT or "\0" in value):
            raise PresetError(f"{what}: {key} must be text of at most {MAX_TEXT} characters")
    preset = Preset(**data)
    if preset.speed is not None and preset.speed not in [s[0] for s in SPEEDS]:
        raise PresetError(f"{what}: speed must be one of {', '.join(s[0] for s in SPEEDS)}")
    if preset.map_kind is not None and preset.map_kind not in MAP_KINDS:
        raise PresetError(f"{what}: map_kind must be one of {', '.join(MAP_KINDS)}")
    if len(preset.panels) > 20 or not all(
        isinstance(p, str) and len(p) <= 100 for p in preset.panels
    ):
        raise PresetError(f"{what}: panels must be a list of panel names")
    if preset.model and not Path(preset.model).is_absolute():
        try:
            preset.model = str((path.parent / preset.model).resolve())
        except (OSError, RuntimeError) as exc:  # e.g. a symlink loop
            raise PresetError(f"{what}: model path cannot be resolved ({exc})") from None
    return preset


_KINDS = {str: "text", int: "a whole number", float: "a number", bool: "true or false",
          list: "a list"}  # fmt: skip


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
