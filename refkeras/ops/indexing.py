"""``x[key]`` with NumPy basic indexing: ints, slices, ``None`` (new axis) and ``...``."""

from __future__ import annotations

from typing import Any

from refkeras.graph.keras_tensor import KerasTensor, any_symbolic_tensors
from refkeras.graph.operation import Operation


def getitem_shape(shape: tuple, key: Any) -> tuple:
    """The shape of ``x[key]`` for ``x`` of ``shape``.

    An int removes its axis (checked against known sizes), a slice keeps it
    (its length computed when the size is known), ``None`` inserts a size-1
    axis and ``...`` stands for all axes not otherwise indexed.

    >>> getitem_shape((None, 5, 4), (0, slice(1, None), None))
    (4, 1, 4)
    """
    if isinstance(key, int):
        items = [key]
    elif isinstance(key, (tuple, list)):
        items = list(key)
    else:
        raise ValueError(f"Unsupported key type for array slice. Received: `{key}`")
    ellipses = sum(1 for k in items if k is Ellipsis)
    if ellipses > 1:
        raise ValueError(f"Slice should only have one ellipsis. Received: `{key}`")
    if not ellipses:
        items.append(Ellipsis)
    remaining = list(shape)
    out: list = []
    for position, item in enumerate(items):
        if item is Ellipsis:
            # Leave just enough axes for the items still to come.
            later = sum(1 for k in items[position + 1:] if k is not None)
            take = len(remaining) - later
            out += remaining[:take]
            remaining = remaining[take:]
            continue
        if item is None:
            out.append(1)
            continue
        if not remaining:
            raise ValueError(
                f"Array has shape {shape} but slice has to many indices. Received: `{key}`"
            )
        size = remaining.pop(0)
        if isinstance(item, int):
            if size is not None and not -size <= item < size:
                raise ValueError(
                    f"Array has shape {shape} but out-of-bounds index {key} was requested."
                )
        elif isinstance(item, slice):
            out.append(None if size is None else len(range(*item.indices(size))))
        else:
            raise ValueError(f"Unsupported key type for array slice. Received: `{key}`")
    return tuple(out)


class GetItem(Operation):
    def call(self, x: Any, key: Any) -> Any:
        return x[tuple(key) if isinstance(key, list) else key]

    def compute_output_spec(self, x: Any, key: Any) -> KerasTensor:
        return KerasTensor(getitem_shape(x.shape, key), dtype=x.dtype)


def get_item(x: Any, key: Any) -> Any:
    """``x[key]`` (basic indexing); the op behind ``KerasTensor.__getitem__``."""
    if any_symbolic_tensors((x,)):
        return GetItem().symbolic_call(x, key)
    return x[key]
