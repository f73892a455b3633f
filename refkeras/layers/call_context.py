"""The call context: state shared by all layer calls nested in one outermost call.

The outermost ``Layer.__call__`` opens a context (held in the
``CALL_CONTEXT`` context variable); nested calls read and update it. It is
how ``training=True`` given to a model reaches every layer inside it: each
layer stores the value it resolved, and layers called after it inherit it.
"""

from __future__ import annotations

import contextvars
from typing import Any

from refkeras.backend.scopes import CALL_CONTEXT


class CallContext:
    """Values (``training``, ...) shared across the layer calls of one outer call."""

    __slots__ = ("entry_layer", "values")

    def __init__(self, entry_layer: Any):
        self.entry_layer = entry_layer
        self.values: dict[str, Any] = {}

    @property
    def training(self) -> Any:
        return self.values.get("training")

    def get_value(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def set_value(self, name: str, value: Any) -> None:
        self.values[name] = value


def current_call_context() -> CallContext | None:
    """The context of the layer call in progress, or None outside any call."""
    return CALL_CONTEXT.get()


def enter(layer: Any) -> tuple[CallContext, contextvars.Token | None]:
    """The context in force for ``layer``'s call; opens one (and returns its token)
    when ``layer`` is the outermost call."""
    context = CALL_CONTEXT.get()
    if context is not None:
        return context, None
    context = CallContext(layer)
    return context, CALL_CONTEXT.set(context)


def leave(token: contextvars.Token | None) -> None:
    """Closes the context opened by ``enter`` (no-op for nested calls)."""
    if token is not None:
        CALL_CONTEXT.reset(token)
