"""The ``x`` / ``(x, y)`` / ``(x, y, sample_weight)`` convention of one batch of data.

It lives in the backend package because the backends' training steps unpack
batches; ``refkeras.training.data`` re-exports it.
"""

from __future__ import annotations

from typing import Any


def unpack_x_y_sample_weight(data: Any) -> tuple[Any, Any, Any]:
    """Splits one batch into ``(x, y, sample_weight)``, filling the missing parts with ``None``.

    A tuple (or list) of length 1, 2 or 3 is read positionally; anything else is ``x`` alone.

    >>> unpack_x_y_sample_weight(("features", "labels"))
    ('features', 'labels', None)
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) in (1, 2, 3):
        return (*data, *(None,) * (3 - len(data)))
    raise ValueError(
        "Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`, "
        f"found: {data}. Pass at most three elements: inputs, targets and sample weights."
    )
