"""Safe mode: whether deserialization may rebuild Python lambdas (arbitrary code).

The flag a load runs under is, in order: the innermost ``SafeModeScope``, then
the process-wide switch ``enable_unsafe_deserialization()``, then the
``safe_mode`` argument of the load (True by default).
"""

from __future__ import annotations

from typing import Any

from refkeras.backend.scopes import SAFE_MODE

# Set once by ``enable_unsafe_deserialization``; upstream's switch is process-wide too.
_global_safe_mode: bool | None = None

LAMBDA_REFUSED = (
    "Requested the deserialization of a Python lambda. This carries a potential risk of "
    "arbitrary code execution and thus it is disallowed by default. If you trust the source "
    "of the artifact, you can override this error by passing `safe_mode=False` to the loading "
    "function, or calling `keras.config.enable_unsafe_deserialization()."
)


class SafeModeScope:
    """Within it, nested deserialization calls use ``safe_mode`` whatever they are passed."""

    def __init__(self, safe_mode: bool | None = True):
        self.safe_mode = safe_mode
        self._token = None

    def __enter__(self) -> SafeModeScope:
        self._token = SAFE_MODE.set(self.safe_mode)
        return self

    def __exit__(self, *exc: Any) -> None:
        SAFE_MODE.reset(self._token)


def enable_unsafe_deserialization() -> None:
    """Allows lambdas to be deserialized everywhere in this process, from now on."""
    global _global_safe_mode
    _global_safe_mode = False


def in_safe_mode() -> bool | None:
    """The safe-mode flag set by a scope or the global switch; None when neither set it."""
    scoped = SAFE_MODE.get()
    return scoped if scoped is not None else _global_safe_mode
