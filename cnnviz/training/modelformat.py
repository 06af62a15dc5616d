"""The model file format's names and limits, and the helpers its reading and writing share
(the format itself is described in :mod:`cnnviz.training.modelfile`)."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from cnnviz.errors import CnnvizError

FORMAT = "cnnviz-model"
FORMAT_VERSION = 2
EXTENSION = ".cnnviz.npz"

MAX_TOTAL_BYTES = 1 << 30  # uncompressed size of all members together
MAX_META_BYTES = 16 << 20
MAX_MEMBERS = 100_000
MAX_HEADER = 10_000  # bytes of a .npy header, as numpy's own default
MAX_FILE_BYTES = MAX_TOTAL_BYTES + (64 << 20)  # the file itself: members plus zip overhead
MAX_META_DEPTH = 12  # nesting of the metadata JSON (its architecture needs 7)
# names of our temporary files (".model.cnnviz.npz.1a2b3c4d.tmp"), removed when stale
TEMP_PATTERN = re.compile(r"\..+\.npz\.[0-9a-f]{8}(\.probe)?\.tmp")
# metrics series that may hold NaN: the test accuracy and loss of an empty test split
_MAY_BE_NAN = ("test_accuracy", "test_loss")

_GROUPS = ("params/", "buffers/", "velocity/", "optimizer/", "metrics/", "timeline/")
MAX_NOISE_LAYERS = 1_000


class ModelFileError(CnnvizError):
    """A model file that cannot be written or that was refused on loading; one line that names
    the file and the problem."""


def _plain_dtype(dt: np.dtype) -> bool:
    return dt.kind in "biuf" and not dt.hasobject and dt.fields is None and dt.subdtype is None


def _short(exc: BaseException, limit: int = 150) -> str:
    """The first line of an exception's message, without control characters (a hostile file
    chooses some of that text), at most ``limit`` characters."""
    return _printable(str(exc).strip().split("\n", 1)[0] or type(exc).__name__, limit)


def _printable(text: str, limit: int) -> str:
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)
