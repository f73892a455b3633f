"""Gradient clipping: per tensor by norm, by value, or jointly by global norm."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from refkeras import ops


def clip_by_norm(values: Any, clip_norm: float, axes: Any = None) -> Any:
    """``values`` rescaled so that its L2 norm is at most ``clip_norm``.

    Written so that an all-zero tensor gives zeros, not NaN: the square root
    only ever sees positive sums.
    """
    l2sum = ops.sum(ops.square(values), axes, keepdims=True)
    positive = l2sum > 0
    l2sum_safe = ops.where(positive, l2sum, ops.ones_like(l2sum))
    l2norm = ops.where(positive, ops.sqrt(l2sum_safe), l2sum)
    scaled = ops.convert_to_tensor(ops.multiply(values, clip_norm))
    return scaled / ops.maximum(l2norm, clip_norm)


def global_norm(values: Sequence[Any]) -> Any:
    """The L2 norm of all ``values`` taken together (``None`` entries skipped)."""
    squared = [ops.sum(ops.square(v)) for v in values if v is not None]
    return ops.sqrt(ops.sum(ops.stack(squared)))


def clip_by_global_norm(values: Sequence[Any], clip_norm: float) -> list:
    """Every tensor scaled by ``clip_norm / max(global_norm, clip_norm)``.

    A non-finite global norm makes every output NaN (the ``norm - norm``
    term), so a diverged step is visible rather than silently clipped.
    """
    norm = global_norm(values)
    scale = clip_norm * ops.minimum(1.0 / norm, 1.0 / clip_norm) + (norm - norm)
    return [v * scale if v is not None else v for v in values]


def clip_gradients(grads: Sequence[Any], clipnorm: Any, clipvalue: Any,
                   global_clipnorm: Any) -> list:
    """Applies whichever clipping is configured (a non-positive setting means none)."""
    if clipnorm and clipnorm > 0:
        return [clip_by_norm(g, clipnorm) if g is not None else g for g in grads]
    if global_clipnorm and global_clipnorm > 0:
        return clip_by_global_norm(grads, global_clipnorm)
    if clipvalue and clipvalue > 0:
        return [ops.clip(g, -clipvalue, clipvalue) if g is not None else g for g in grads]
    return list(grads)
