"""The link from ``Model.save``/``save_weights``/``load_weights`` to ``refkeras.saving``.

``saving`` sits above ``models`` in the import order (it walks models), so
models cannot import it. ``refkeras.saving`` registers itself here when it is
imported, and ``refkeras/__init__`` always imports it.
"""

from __future__ import annotations

from types import ModuleType

_SAVING: list[ModuleType] = []


def register(saving: ModuleType) -> None:
    """Called once by ``refkeras.saving`` on import."""
    _SAVING[:] = [saving]


def saving() -> ModuleType:
    """The registered ``refkeras.saving`` module."""
    if not _SAVING:
        raise RuntimeError(
            "Saving is not available: import refkeras (or refkeras.saving) before calling "
            "Model.save, Model.save_weights or Model.load_weights."
        )
    return _SAVING[0]
