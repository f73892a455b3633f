"""TensorFlow kernels named in ``contract.EXTRA_OPS``: what losses and metrics need beyond the core.

The cross-entropy kernels compute as upstream Keras's TensorFlow backend does:
logits go to TF's fused ``*_cross_entropy_with_logits`` kernels, and a
probability tensor produced by a sigmoid/softmax is traced back to its logits
(through the ``_keras_logits`` tag set by our activations, or, inside a
``tf.function``, through the producing op), which is what keeps training stable.
"""

from __future__ import annotations

import warnings
from typing import Any

import tensorflow as tf

from refkeras.backend import config
from refkeras.backend.dtypes import standardize_dtype
from refkeras.backend.promotion import result_type
from refkeras.backend.tensorflow.core import convert_to_tensor

__all__ = [
    "maximum", "minimum", "divide_no_nan", "broadcast_to", "ceil", "tile", "flip", "cumsum",
    "segment_sum", "one_hot", "top_k", "in_top_k", "binary_crossentropy",
    "categorical_crossentropy", "sparse_categorical_crossentropy",
]


def _promoted(x1: Any, x2: Any, *extra: Any) -> tuple[Any, Any]:
    """Both operands as tensors of their promoted dtype; Python scalars promote weakly."""
    if not isinstance(x1, (int, float)):
        x1 = convert_to_tensor(x1)
    if not isinstance(x2, (int, float)):
        x2 = convert_to_tensor(x2)
    dtype = result_type(getattr(x1, "dtype", type(x1)), getattr(x2, "dtype", type(x2)), *extra)
    return convert_to_tensor(x1, dtype), convert_to_tensor(x2, dtype)


def maximum(x1: Any, x2: Any) -> Any:
    """Element-wise larger value."""
    return tf.maximum(*_promoted(x1, x2))


def minimum(x1: Any, x2: Any) -> Any:
    """Element-wise smaller value."""
    return tf.minimum(*_promoted(x1, x2))


def divide_no_nan(x1: Any, x2: Any) -> Any:
    """``x1 / x2`` in a float dtype, with 0 wherever ``x2 == 0``."""
    return tf.math.divide_no_nan(*_promoted(x1, x2, float))


def broadcast_to(x: Any, shape: Any) -> Any:
    """``x`` broadcast to ``shape``."""
    return tf.broadcast_to(x, shape)


def ceil(x: Any) -> Any:
    """Smallest integer >= x, as a float (int64 inputs compute in ``floatx()``)."""
    x = convert_to_tensor(x)
    dtype = standardize_dtype(x.dtype)
    dtype = config.floatx() if dtype == "int64" else result_type(dtype, float)
    return tf.math.ceil(tf.cast(x, dtype))


def tile(x: Any, repeats: Any) -> Any:
    """``x`` repeated ``repeats[i]`` times along axis ``i`` (NumPy's rank alignment)."""
    x = convert_to_tensor(x)
    repeats = [repeats] if isinstance(repeats, int) else list(repeats)
    # Concrete scalar tensors become ints, so the output shape stays static.
    repeats = [int(r.numpy()) if hasattr(r, "numpy") and r.shape == () else r for r in repeats]
    if len(repeats) < x.shape.rank:
        repeats = [1] * (x.shape.rank - len(repeats)) + repeats
    while len(repeats) > x.shape.rank:
        x = tf.expand_dims(x, 0)
    return tf.tile(x, repeats)


def flip(x: Any, axis: Any = None) -> Any:
    """``x`` with the order of elements reversed along ``axis`` (all axes when None)."""
    x = convert_to_tensor(x)
    rank = x.shape.rank
    if axis is None:
        return tf.reverse(x, tf.range(rank))
    axes = [axis] if isinstance(axis, int) else list(axis)
    return tf.reverse(x, [a + rank if a < 0 else a for a in axes])


def cumsum(x: Any, axis: Any = None, dtype: Any = None) -> Any:
    """Running sum along ``axis`` (over the flattened input when None); bools count as int32."""
    x = convert_to_tensor(x, dtype=dtype)
    if standardize_dtype(x.dtype) == "bool":
        x = tf.cast(x, "int32")
    if axis is None:
        x, axis = tf.reshape(x, [-1]), 0
    return tf.math.cumsum(x, axis=axis)


def segment_sum(data: Any, segment_ids: Any, num_segments: Any = None,
                sorted: bool = False) -> Any:  # noqa: A002
    """Sums of ``data`` rows sharing a segment id."""
    if sorted:
        if num_segments is not None:
            raise ValueError(
                "Argument `num_segments` cannot be set when sorted is True when using the "
                f"tensorflow backend. Received: num_segments={num_segments}, sorted={sorted}."
            )
        return tf.math.segment_sum(data, segment_ids)
    if num_segments is None:
        num_segments = tf.shape(tf.unique(segment_ids)[0])[0]
    return tf.math.unsorted_segment_sum(data, segment_ids, num_segments)


def one_hot(x: Any, num_classes: int, axis: int = -1, dtype: Any = None) -> Any:
    """A new axis of size ``num_classes`` holding 1 at each index of ``x`` (0 elsewhere)."""
    x = convert_to_tensor(x, dtype="int64")
    dtype = standardize_dtype(dtype) if dtype is not None else "float32"
    on_off = (True, False) if dtype == "bool" else (None, None)
    return tf.one_hot(x, num_classes, on_value=on_off[0], off_value=on_off[1], axis=axis,
                      dtype=dtype)


def top_k(x: Any, k: int, sorted: bool = True) -> Any:  # noqa: A002
    """``(values, indices)`` of the ``k`` largest entries of the last axis."""
    return tf.math.top_k(x, k, sorted=sorted)


def in_top_k(targets: Any, predictions: Any, k: int) -> Any:
    """Whether each target's prediction ranks within the top ``k`` of its row."""
    return tf.math.in_top_k(targets, predictions, k)


# --- cross-entropies ------------------------------------------------------------------
def _logits_behind(output: Any, from_logits: bool, op_type: str, fn_name: str) -> tuple:
    """``(logits, True)`` when ``output`` is known to be ``op_type`` of some logits,
    else ``(output, from_logits)``; warns when logits were promised but not given."""
    tagged = hasattr(output, "_keras_logits")
    from_op = (not tagged and hasattr(output, "op")
               and not isinstance(output, (tf.__internal__.EagerTensor, tf.Variable))
               and output.op.type == op_type)
    if not (tagged or from_op):
        return output, from_logits
    if from_op and len(output.op.inputs) != 1:
        raise ValueError(f"Expected 1 input for {op_type}.")
    if from_logits:
        warnings.warn(
            f'"`{fn_name}` received `from_logits=True`, but the `output` argument was '
            f"produced by a {op_type} activation and thus does not represent logits. "
            "Was this intended?",
            stacklevel=3,
        )
    return (output._keras_logits if tagged else output.op.inputs[0]), True


def _check_same_shape(target: Any, output: Any, rank_message: str) -> None:
    if len(target.shape) != len(output.shape):
        raise ValueError(
            f"{rank_message} Received: target.shape={target.shape}, output.shape={output.shape}"
        )
    for t, o in zip(target.shape, output.shape):
        if t is not None and o is not None and t != o:
            raise ValueError(
                "Arguments `target` and `output` must have the same shape. "
                f"Received: target.shape={target.shape}, output.shape={output.shape}"
            )


def _clipped(output: Any) -> Any:
    epsilon = config.epsilon()
    return tf.clip_by_value(output, epsilon, 1.0 - epsilon)


def binary_crossentropy(target: Any, output: Any, from_logits: bool = False) -> Any:
    """Element-wise ``-(t log p + (1 - t) log(1 - p))``."""
    target, output = tf.convert_to_tensor(target), tf.convert_to_tensor(output)
    _check_same_shape(target, output,
                      "Arguments `target` and `output` must have the same rank (ndim).")
    output, from_logits = _logits_behind(output, from_logits, "Sigmoid", "binary_crossentropy")
    if from_logits:
        return tf.nn.sigmoid_cross_entropy_with_logits(labels=target, logits=output)
    output = _clipped(output)
    bce = target * tf.math.log(output)
    bce += (1 - target) * tf.math.log(1 - output)
    return -bce


def categorical_crossentropy(target: Any, output: Any, from_logits: bool = False,
                             axis: int = -1) -> Any:
    """``-sum(t * log p)`` over ``axis``; ``target`` holds one distribution per row."""
    target, output = tf.convert_to_tensor(target), tf.convert_to_tensor(output)
    if len(target.shape) < 1:
        raise ValueError(
            "Arguments `target` and `output` must be at least rank 1. "
            f"Received: target.shape={target.shape}, output.shape={output.shape}"
        )
    _check_same_shape(target, output,
                      "Arguments `target` and `output` must have the same rank (ndim).")
    output, from_logits = _logits_behind(output, from_logits, "Softmax",
                                         "categorical_crossentropy")
    if from_logits:
        return tf.nn.softmax_cross_entropy_with_logits(labels=target, logits=output, axis=axis)
    # Renormalize so each row sums to 1, then clip away log(0).
    output = _clipped(output / tf.reduce_sum(output, axis, keepdims=True))
    return -tf.reduce_sum(target * tf.math.log(output), axis)


def sparse_categorical_crossentropy(target: Any, output: Any, from_logits: bool = False,
                                    axis: int = -1) -> Any:
    """Categorical cross-entropy with integer class ids as ``target`` (class axis last)."""
    if axis != -1 and axis != len(output.shape) - 1:
        raise ValueError(f"Only axis=-1 is currently supported. Received: axis={axis}")
    output, from_logits = _logits_behind(output, from_logits, "Softmax",
                                         "sparse_categorical_crossentropy")
    target = tf.cast(tf.convert_to_tensor(target), "int64")
    output = tf.convert_to_tensor(output)
    if len(target.shape) == len(output.shape) and target.shape[-1] == 1:
        target = tf.squeeze(target, axis=-1)
    if len(output.shape) < 1:
        raise ValueError(
            f"Argument `output` must be at least rank 1. Received: output.shape={output.shape}"
        )
    if len(target.shape) != len(output.shape[:-1]):
        raise ValueError(
            "Argument `output` must have rank (ndim) `target.ndim - 1`. "
            f"Received: target.shape={target.shape}, output.shape={output.shape}"
        )
    for t, o in zip(target.shape, output.shape[:-1]):
        if t is not None and o is not None and t != o:
            raise ValueError(
                "Arguments `target` and `output` must have the same shape up until the last "
                f"dimension: target.shape={target.shape}, output.shape={output.shape}"
            )
    if not from_logits:
        # Unlike the dense kernel, no renormalization: log p goes straight in as logits.
        output = tf.math.log(_clipped(output))
    return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=target, logits=output)
