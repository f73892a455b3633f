"""The current distribution: read with ``distribution()``, set with ``set_distribution``.

It lives in a context variable (``backend.scopes.DISTRIBUTION``), so the
backend reads it without importing this package, and each thread or task
sees its own.
"""

from __future__ import annotations

from typing import Any

from refkeras.backend import scopes


def distribution() -> Any:
    """The current distribution, or None when none is set."""
    return scopes.DISTRIBUTION.get()


def set_distribution(value: Any) -> None:
    """Makes ``value`` (a Distribution, or None to clear it) the current distribution.

    Variables created afterwards, and the training steps, follow it.
    """
    scopes.DISTRIBUTION.set(value)
