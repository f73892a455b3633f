"""From per-sample losses to one number: sample weights, masks and reductions.

A loss's ``call`` returns per-sample values (shape ``(batch, ...)``). They are
multiplied by the sample weights, with any Keras mask folded into the weights,
then reduced:

- ``"sum"``: the sum of the weighted values;
- ``"sum_over_batch_size"`` / ``"mean"``: that sum divided by the number of
  values (not by the sum of the weights);
- ``"mean_with_sample_weight"``: that sum divided by the sum of the weights
  (by the number of values when there are none);
- ``"none"`` / ``None``: no reduction.

A scalar, or a vector of length 0, is returned as is whatever the reduction.
"""

from __future__ import annotations

import math
from typing import Any

from refkeras import backend, ops

REDUCTIONS = ("sum_over_batch_size", "sum", None, "none", "mean", "mean_with_sample_weight")


def standardize_reduction(reduction: Any) -> Any:
    """``reduction`` if it is one of :data:`REDUCTIONS`; raises ``ValueError`` otherwise."""
    if reduction not in REDUCTIONS:
        raise ValueError(
            "Invalid value for argument `reduction`. Expected one of "
            f"{set(REDUCTIONS)}. Received: reduction={reduction}"
        )
    return reduction


def squeeze_or_expand_to_same_rank(x1: Any, x2: Any, expand_rank_1: bool = True) -> tuple:
    """Aligns two tensors whose ranks differ by one through a trailing axis of size 1.

    The tensor with the extra trailing size-1 axis loses it, except that a rank-1
    partner gains one instead (when ``expand_rank_1``): ``(4, 1)`` with ``(4,)``
    gives ``(4, 1)`` and ``(4, 1)``. Any other pair comes back unchanged.
    """
    rank1, rank2 = len(x1.shape), len(x2.shape)
    if rank1 == rank2 + 1 and x1.shape[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            x2 = ops.expand_dims(x2, axis=-1)
        else:
            x1 = ops.squeeze(x1, axis=-1)
    if rank2 == rank1 + 1 and x2.shape[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            x1 = ops.expand_dims(x1, axis=-1)
        else:
            x2 = ops.squeeze(x2, axis=-1)
    return x1, x2


def element_count(x: Any, dtype: str) -> Any:
    """The number of elements of ``x`` as a scalar of ``dtype`` (traced shapes included)."""
    if all(d is not None for d in x.shape):
        return ops.cast(math.prod(x.shape), dtype)
    # Some size is only known at run time (a traced batch axis): count instead.
    return ops.cast(ops.sum(ops.ones_like(x, dtype="int32")), dtype)


def apply_mask(sample_weight: Any, mask: Any, dtype: str, reduction: Any) -> Any:
    """``sample_weight`` with the boolean ``mask`` folded in (either may be None).

    For the averaging reductions, kept entries are scaled by ``total / kept``
    so that dividing by the total count averages over the kept entries only.
    """
    if mask is None:
        return sample_weight
    if reduction in ("mean", "sum_over_batch_size"):
        total = element_count(mask, dtype)
        kept = ops.sum(ops.cast(mask, dtype=dtype))  # may be 0: divide_no_nan
        float_mask = ops.where(ops.cast(mask, "bool"), ops.divide_no_nan(total, kept), 0)
    else:
        float_mask = ops.cast(mask, dtype=dtype)
    if sample_weight is None:
        return float_mask
    sample_weight = ops.cast(sample_weight, dtype=dtype)
    float_mask, sample_weight = squeeze_or_expand_to_same_rank(float_mask, sample_weight)
    return sample_weight * float_mask


def reduce_values(values: Any, sample_weight: Any = None,
                  reduction: Any = "sum_over_batch_size") -> Any:
    """Reduces already-weighted ``values`` (see the module docstring)."""
    if reduction in (None, "none") or tuple(values.shape) in ((), (0,)):
        return values
    loss = ops.sum(values)
    if reduction in ("sum_over_batch_size", "mean", "mean_with_sample_weight"):
        if reduction == "mean_with_sample_weight" and sample_weight is not None:
            divisor = ops.cast(ops.sum(sample_weight), loss.dtype)
        else:
            divisor = element_count(values, loss.dtype)
        loss = ops.divide_no_nan(loss, divisor)
        # Under tf.distribute each replica's mean is its share of the global mean.
        loss = backend.distribution.scale_loss(loss)
    return loss


def reduce_weighted_values(values: Any, sample_weight: Any = None, mask: Any = None,
                           reduction: Any = "sum_over_batch_size", dtype: Any = None) -> Any:
    """Weights ``values`` by ``sample_weight`` and ``mask``, then reduces them.

    Weights broadcast against the values after :func:`squeeze_or_expand_to_same_rank`,
    so per-sample weights of shape ``(batch,)`` or ``(batch, 1)`` both work.
    """
    reduction = standardize_reduction(reduction)
    values = ops.convert_to_tensor(values, dtype=dtype)
    if sample_weight is not None:
        sample_weight = ops.convert_to_tensor(sample_weight, dtype=dtype)
    if mask is not None:
        mask = ops.convert_to_tensor(mask, dtype=dtype)
    sample_weight = apply_mask(sample_weight, mask, dtype=values.dtype, reduction=reduction)
    if sample_weight is not None:
        sample_weight = ops.cast(sample_weight, values.dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)
