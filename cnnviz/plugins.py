"""Plugins: modules named in ``CNNVIZ_PLUGINS`` that extend cnnviz when it starts.

A plugin is an importable Python module that registers things on import, e.g. a dataset::

    # mydatasets.py, somewhere on PYTHONPATH
    from cnnviz.datasets import registry
    registry.REGISTRY["my-digits"] = registry.DatasetSpec(...)

and is named, comma-separated, in the environment: ``CNNVIZ_PLUGINS=mydatasets cnnviz``.
Both the command line and the app (its window and its training process) import them, so a
plugin's datasets can be chosen, downloaded and trained on everywhere. The environment is the
user's own configuration, like ``PYTHONPATH``; files opened by cnnviz never name code.
"""

from __future__ import annotations

import importlib
import os

from .errors import CnnvizError

ENV = "CNNVIZ_PLUGINS"
_loaded: set[str] = set()


class PluginError(CnnvizError):
    """A plugin named in ``CNNVIZ_PLUGINS`` could not be imported."""


def load_plugins() -> list[str]:
    """Import every module named in ``CNNVIZ_PLUGINS`` (once each); their names."""
    names = [n.strip() for n in os.environ.get(ENV, "").split(",") if n.strip()]
    for name in names:
        if name in _loaded:
            continue
        try:
            importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - any failure is the plugin's, named in one line
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise PluginError(f"plugin {name} (from {ENV}) failed to load: {first}") from None
        _loaded.add(name)
    return names
