"""``Initializer``: the base class of everything that fills a new variable."""

from __future__ import annotations

from typing import Any


class Initializer:
    """A callable ``init(shape, dtype=None)`` returning a tensor of that shape and dtype.

    Subclasses implement ``__call__``; if their constructor arguments are not
    exactly the keys of :meth:`get_config`, they also override :meth:`from_config`.

    >>> class Halves(Initializer):  # doctest: +SKIP
    ...     def __call__(self, shape, dtype=None):
    ...         return refkeras.ops.full(shape, 0.5, dtype=dtype)
    """

    def __call__(self, shape: Any, dtype: Any = None) -> Any:
        raise NotImplementedError(
            "Initializer subclasses must implement the `__call__()` method."
        )

    def get_config(self) -> dict:
        """The constructor arguments as a JSON-friendly dict (empty by default)."""
        return {}

    @classmethod
    def from_config(cls, config: dict) -> Initializer:
        """A new instance built as ``cls(**config)``."""
        return cls(**config)

    def clone(self) -> Initializer:
        """A new instance with the same configuration (and so the same seed)."""
        return type(self).from_config(self.get_config())
