"""Observers: the trainer and the sessions tell whoever subscribed, and know nothing of them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Observable:
    """``subscribe(event, fn)`` and ``_emit(event, payload)`` calling ``fn(payload)`` on the
    emitting thread, in subscription order."""

    _listeners: dict[str, list[Callable]]

    def subscribe(self, event: str, fn: Callable) -> Callable[[], None]:
        """Call ``fn(payload)`` on ``event``; returns a function that unsubscribes."""
        listeners = self.__dict__.setdefault("_listeners", {})
        listeners.setdefault(event, []).append(fn)
        return lambda: listeners[event].remove(fn)

    def _has_listeners(self, event: str) -> bool:
        return bool(self.__dict__.get("_listeners", {}).get(event))

    def _emit(self, event: str, payload: Any = None) -> None:
        for fn in list(self.__dict__.get("_listeners", {}).get(event, ())):
            fn(payload)
