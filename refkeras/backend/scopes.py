"""All scoped state of refkeras, in one place, held in ``contextvars``.

Each scope is a small context manager that sets one ``ContextVar`` on entry
and restores the previous value on exit, so scopes nest, and threads and
asyncio tasks each see their own.

- ``name_scope``: the path prefix given to variables created inside it.
- ``AutocastScope``: the dtype float variables are read as (mixed precision).
- ``StatelessScope`` lives in ``stateless_scope.py`` (it needs ``Variable``);
  its context variable is here.
- ``call_context``: the state of the outermost ``Layer.__call__`` in progress.
"""

from __future__ import annotations

import contextvars
from typing import Any

from refkeras.backend import dtypes

NAME_SCOPE: contextvars.ContextVar[tuple] = contextvars.ContextVar("name_scope", default=())
AUTOCAST: contextvars.ContextVar[Any] = contextvars.ContextVar("autocast", default=None)
STATELESS: contextvars.ContextVar[Any] = contextvars.ContextVar("stateless", default=None)
CALL_CONTEXT: contextvars.ContextVar[Any] = contextvars.ContextVar("call_context", default=None)
# Serialization scopes (opened by ``refkeras.serialization``): custom objects visible by
# name, the safe-mode flag (None: not set by any scope), and shared-object bookkeeping.
CUSTOM_OBJECTS: contextvars.ContextVar[Any] = contextvars.ContextVar("custom_objects", default=None)
SAFE_MODE: contextvars.ContextVar[Any] = contextvars.ContextVar("safe_mode", default=None)
SHARED_OBJECTS: contextvars.ContextVar[Any] = contextvars.ContextVar("shared_objects", default=None)
# The current ``refkeras.distribution`` Distribution (None: everything on one device).
DISTRIBUTION: contextvars.ContextVar[Any] = contextvars.ContextVar("distribution", default=None)


def _check_scope_name(name: Any) -> None:
    if not isinstance(name, str) or "/" in name:
        raise ValueError(
            "Argument `name` must be a string and cannot contain character `/`. "
            f"Received: name={name}"
        )


class name_scope:
    """Opens a sub-namespace for variable paths: ``with name_scope("block"): ...``.

    Args:
        name: the scope's name (a string without ``/``).
        caller: optional object opening the scope; re-entering a scope of the
            same name from the same caller does not nest (``deduplicate``).
        deduplicate: whether that collapsing happens.
        override_parent: an absolute path that replaces the enclosing scopes.
    """

    def __init__(self, name: str, caller: Any = None, deduplicate: bool = True,
                 override_parent: str | None = None):
        _check_scope_name(name)
        self.name = name
        self.caller = caller
        self.deduplicate = deduplicate
        if override_parent is None and deduplicate:
            override_parent = getattr(caller, "_parent_path", None)
        self.override_parent = override_parent
        self._token = None

    def __enter__(self) -> name_scope:
        stack = NAME_SCOPE.get()
        if self.deduplicate and stack and self.caller is not None:
            top = stack[-1]
            if top.caller is self.caller and top.name == self.name:
                return self
        self._token = NAME_SCOPE.set(stack + (self,))
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._token is not None:
            NAME_SCOPE.reset(self._token)
            self._token = None


def current_path() -> str:
    """The ``/``-joined path of the open name scopes ('' when none)."""
    parts: list[str] = []
    for scope in NAME_SCOPE.get():
        if scope.override_parent is not None:
            parts = [p for p in scope.override_parent.split("/") if p]
        parts.append(scope.name)
    return "/".join(parts)


class AutocastScope:
    """Within it, float variables with ``autocast=True`` read as ``dtype``.

    ``AutocastScope(None)`` switches autocasting off inside an outer scope.
    """

    def __init__(self, dtype: Any):
        if dtype is not None:
            dtype = dtypes.standardize_dtype(dtype)
            if not dtypes.is_float_dtype(dtype):
                raise ValueError(
                    "`AutocastScope` can only be used with a floating-point target dtype, "
                    f"such as 'float16'. Received: dtype={dtype}"
                )
        self.dtype = dtype
        self._token = None

    def __enter__(self) -> AutocastScope:
        self._token = AUTOCAST.set(self)
        return self

    def __exit__(self, *exc: Any) -> None:
        AUTOCAST.reset(self._token)


def get_autocast_scope() -> AutocastScope | None:
    """The innermost open ``AutocastScope``, or None."""
    return AUTOCAST.get()


def get_stateless_scope() -> Any:
    """The innermost open ``StatelessScope``, or None."""
    return STATELESS.get()


def in_stateless_scope() -> bool:
    """True inside a ``StatelessScope``."""
    return STATELESS.get() is not None
