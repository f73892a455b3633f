"""JAX kernels named in ``contract.EXTRA_OPS``: what losses and metrics need beyond the core.

Element-wise extrema, safe division, broadcasting and tiling, cumulative and
segment sums, top-k, one-hot, and the three cross-entropies. The cross-entropy
kernels compute exactly as upstream Keras's JAX backend does (probabilities are
renormalized and clipped to ``[epsilon, 1 - epsilon]`` before the log), so
losses agree bit for bit.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from refkeras.backend import config
from refkeras.backend.dtypes import standardize_dtype
from refkeras.backend.jax.core import cast, convert_to_tensor, is_concrete
from refkeras.backend.promotion import result_type

__all__ = [
    "maximum", "minimum", "divide_no_nan", "broadcast_to", "ceil", "tile", "flip", "cumsum",
    "segment_sum", "one_hot", "top_k", "in_top_k", "binary_crossentropy",
    "categorical_crossentropy", "sparse_categorical_crossentropy",
]


def maximum(x1: Any, x2: Any) -> Any:
    """Element-wise larger value (JAX promotion)."""
    return jnp.maximum(convert_to_tensor(x1), convert_to_tensor(x2))


def minimum(x1: Any, x2: Any) -> Any:
    """Element-wise smaller value (JAX promotion)."""
    return jnp.minimum(convert_to_tensor(x1), convert_to_tensor(x2))


def _divide_no_nan(x1: Any, x2: Any) -> Any:
    # Divide by 1 where x2 is 0 so the discarded branch holds no inf/nan (keeps grads finite).
    safe_x2 = jnp.where(x2 == 0, 1, x2)
    return jnp.where(x2 == 0, 0, jnp.divide(x1, safe_x2))


# Eagerly (a metric's result at the end of every epoch), one compiled program
# instead of three primitives each compiled and dispatched on its own.
_divide_no_nan_compiled = jax.jit(_divide_no_nan)


def divide_no_nan(x1: Any, x2: Any) -> Any:
    """``x1 / x2``, with 0 wherever ``x2 == 0``."""
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    if is_concrete(x1) and is_concrete(x2):
        return _divide_no_nan_compiled(x1, x2)
    return _divide_no_nan(x1, x2)


def broadcast_to(x: Any, shape: Any) -> Any:
    """``x`` broadcast to ``shape``."""
    return jnp.broadcast_to(convert_to_tensor(x), shape)


def ceil(x: Any) -> Any:
    """Smallest integer >= x, as a float (int64 inputs compute in ``floatx()``)."""
    x = convert_to_tensor(x)
    dtype = standardize_dtype(x.dtype)
    dtype = config.floatx() if dtype == "int64" else result_type(dtype, float)
    return jnp.ceil(cast(x, dtype))


def tile(x: Any, repeats: Any) -> Any:
    """``x`` repeated ``repeats[i]`` times along axis ``i``."""
    return jnp.tile(convert_to_tensor(x), repeats)


def flip(x: Any, axis: Any = None) -> Any:
    """``x`` with the order of elements reversed along ``axis`` (all axes when None)."""
    return jnp.flip(convert_to_tensor(x), axis=axis)


def cumsum(x: Any, axis: Any = None, dtype: Any = None) -> Any:
    """Running sum along ``axis`` (over the flattened input when None)."""
    return jnp.cumsum(convert_to_tensor(x), axis=axis, dtype=dtype)


def segment_sum(data: Any, segment_ids: Any, num_segments: Any = None,
                sorted: bool = False) -> Any:  # noqa: A002
    """Sums of ``data`` rows sharing a segment id; ``num_segments`` is required under JAX."""
    if num_segments is None:
        raise ValueError(
            "Argument `num_segments` must be set when using the JAX backend. "
            "Received: num_segments=None"
        )
    return jax.ops.segment_sum(convert_to_tensor(data), convert_to_tensor(segment_ids),
                               num_segments, indices_are_sorted=sorted)


def one_hot(x: Any, num_classes: int, axis: int = -1, dtype: Any = None) -> Any:
    """A new axis of size ``num_classes`` holding 1 at each index of ``x`` (0 elsewhere)."""
    return jax.nn.one_hot(convert_to_tensor(x), num_classes, axis=axis,
                          dtype=dtype or config.floatx())


def top_k(x: Any, k: int, sorted: bool = True) -> Any:  # noqa: A002
    """``(values, indices)`` of the ``k`` largest entries of the last axis (always sorted)."""
    return jax.lax.top_k(convert_to_tensor(x), k)


def in_top_k(targets: Any, predictions: Any, k: int) -> Any:
    """Whether each target's prediction ranks within the top ``k`` of its row.

    Ties count in the target's favour: the rank is 1 + the number of strictly
    larger predictions. A NaN prediction at the target never counts.
    """
    targets, predictions = convert_to_tensor(targets), convert_to_tensor(predictions)
    at_target = jnp.take_along_axis(predictions, jnp.expand_dims(targets, axis=-1), axis=-1)
    at_target = jnp.where(jnp.isnan(at_target), -jnp.inf, at_target)
    rank = 1 + jnp.sum(jnp.greater(predictions, at_target), axis=-1)
    return jnp.less_equal(rank, k)


def _same_shape(target: Any, output: Any) -> None:
    if target.shape != output.shape:
        raise ValueError(
            "Arguments `target` and `output` must have the same shape. "
            f"Received: target.shape={target.shape}, output.shape={output.shape}"
        )


def _log_probabilities(output: Any, from_logits: bool, axis: int) -> Any:
    """log p along ``axis``: log-softmax of logits, or renormalized, clipped probabilities."""
    if from_logits:
        return jax.nn.log_softmax(output, axis=axis)
    output = output / jnp.sum(output, axis, keepdims=True)
    epsilon = config.epsilon()
    return jnp.log(jnp.clip(output, epsilon, 1.0 - epsilon))


def binary_crossentropy(target: Any, output: Any, from_logits: bool = False) -> Any:
    """Element-wise ``-(t log p + (1 - t) log(1 - p))``."""
    target, output = jnp.array(target), jnp.array(output)
    _same_shape(target, output)
    if from_logits:
        return (-1.0 * target * jax.nn.log_sigmoid(output)
                - (1.0 - target) * jax.nn.log_sigmoid(-output))
    epsilon = config.epsilon()
    output = jnp.clip(output, epsilon, 1.0 - epsilon)
    bce = target * jnp.log(output)
    bce += (1.0 - target) * jnp.log(1.0 - output)
    return -bce


def categorical_crossentropy(target: Any, output: Any, from_logits: bool = False,
                             axis: int = -1) -> Any:
    """``-sum(t * log p)`` over ``axis``; ``target`` holds one distribution per row."""
    target, output = jnp.array(target), jnp.array(output)
    _same_shape(target, output)
    if len(target.shape) < 1:
        raise ValueError(
            "Arguments `target` and `output` must be at least rank 1. "
            f"Received: target.shape={target.shape}, output.shape={output.shape}"
        )
    return -jnp.sum(target * _log_probabilities(output, from_logits, axis), axis=axis)


def sparse_categorical_crossentropy(target: Any, output: Any, from_logits: bool = False,
                                    axis: int = -1) -> Any:
    """Categorical cross-entropy with integer class ids as ``target``."""
    target, output = jnp.array(target, dtype="int32"), jnp.array(output)
    if len(target.shape) == len(output.shape) and target.shape[-1] == 1:
        target = jnp.squeeze(target, axis=-1)
    if len(output.shape) < 1:
        raise ValueError(
            f"Argument `output` must be at least rank 1. Received: output.shape={output.shape}"
        )
    if target.shape != output.shape[:-1]:
        raise ValueError(
            "Arguments `target` and `output` must have the same shape up until the last "
            f"dimension: target.shape={target.shape}, output.shape={output.shape}"
        )
    log_prob = _log_probabilities(output, from_logits, axis)
    one_hot_target = jax.nn.one_hot(target, output.shape[axis], axis=axis)
    return -jnp.sum(one_hot_target * log_prob, axis=axis)
