"""The ``x`` / ``(x, y)`` / ``(x, y, sample_weight)`` convention of one batch of data."""

from __future__ import annotations

from typing import Any

# Defined with the backend's training steps, which unpack batches too and sit below this package.
from refkeras.backend.batch import unpack_x_y_sample_weight as unpack_x_y_sample_weight


def pack_x_y_sample_weight(x: Any, y: Any = None, sample_weight: Any = None) -> Any:
    """The inverse of :func:`unpack_x_y_sample_weight`: the shortest form that keeps the data.

    ``x`` alone stays bare unless it is itself a list or tuple (then it becomes ``(x,)``, so
    that it is not mistaken for ``(x, y)``). ``sample_weight`` without ``y`` is dropped.

    >>> pack_x_y_sample_weight("features", "labels")
    ('features', 'labels')
    """
    if y is None:
        return (x,) if isinstance(x, (list, tuple)) else x
    if sample_weight is None:
        return x, y
    return x, y, sample_weight
