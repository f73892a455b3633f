"""TensorFlow activation kernels named in ``contract.NN_OPS`` (native tensors in and out).

Each uses the same ``tf.nn`` / ``tf.math`` primitives, in the same order, as
upstream Keras's TensorFlow backend, so results agree bit for bit.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import tensorflow as tf

from refkeras.backend.tensorflow.core import convert_to_tensor

__all__ = [
    "relu6", "leaky_relu", "elu", "selu", "gelu", "celu", "glu", "silu", "hard_sigmoid",
    "hard_silu", "softplus", "softsign", "soft_shrink", "sparse_plus", "squareplus",
    "log_sigmoid", "tanh_shrink", "hard_tanh", "hard_shrink", "threshold", "sparse_sigmoid",
    "sparsemax",
]


def _from_tf(fn: Any, name: str) -> Any:
    def kernel(x: Any) -> Any:
        return fn(convert_to_tensor(x))
    kernel.__name__ = kernel.__qualname__ = name
    kernel.__doc__ = f"``tf.{fn.__module__.split('.')[-1]}.{fn.__name__}`` on the input."
    return kernel


relu6 = _from_tf(tf.nn.relu6, "relu6")
selu = _from_tf(tf.nn.selu, "selu")
silu = _from_tf(tf.nn.silu, "silu")
softplus = _from_tf(tf.math.softplus, "softplus")
softsign = _from_tf(tf.nn.softsign, "softsign")
log_sigmoid = _from_tf(tf.math.log_sigmoid, "log_sigmoid")


def leaky_relu(x: Any, negative_slope: float = 0.2) -> Any:
    return tf.nn.leaky_relu(convert_to_tensor(x), alpha=negative_slope)


def elu(x: Any, alpha: float = 1.0) -> Any:
    x = convert_to_tensor(x)
    res = tf.nn.elu(x)
    # tf.nn.elu has no alpha: scale the negative side afterwards.
    return res if alpha == 1 else tf.where(x > 0, res, alpha * res)


def gelu(x: Any, approximate: bool = True) -> Any:
    return tf.nn.gelu(convert_to_tensor(x), approximate=approximate)


def celu(x: Any, alpha: float = 1.0) -> Any:
    x = convert_to_tensor(x)
    return tf.maximum(x, 0.0) + alpha * tf.math.expm1(tf.minimum(x, 0.0) / alpha)


def glu(x: Any, axis: int = -1) -> Any:
    """First half of ``x`` along ``axis`` gated by the sigmoid of the second half."""
    x = convert_to_tensor(x)
    if x.shape[axis] % 2 != 0:
        raise ValueError(
            "axis size must be divisible by 2. "
            f"Received: x.shape={x.shape} with axis={axis}"
        )
    first, gate = tf.split(x, num_or_size_splits=2, axis=axis)
    return first * tf.sigmoid(gate)


def hard_sigmoid(x: Any) -> Any:
    """``relu6(x + 3) / 6``."""
    x = convert_to_tensor(x)
    return tf.nn.relu6(x + tf.constant(3.0, x.dtype)) / tf.constant(6.0, x.dtype)


def hard_silu(x: Any) -> Any:
    x = convert_to_tensor(x)
    return x * hard_sigmoid(x)


def squareplus(x: Any, b: float = 4) -> Any:
    x = convert_to_tensor(x)
    b = convert_to_tensor(b, dtype=x.dtype)
    return (x + tf.sqrt(tf.square(x) + b)) / 2


def sparse_plus(x: Any) -> Any:
    x = convert_to_tensor(x)
    smooth = tf.where(x < 1, (1 / 4) * tf.pow(x + 1, 2), x)
    return tf.where(x <= -1, tf.zeros_like(x), smooth)


def sparse_sigmoid(x: Any) -> Any:
    x = convert_to_tensor(x)
    ramp = tf.where(x >= 1, tf.constant(1.0, dtype=x.dtype), 0.5 * (x + 1))
    return tf.where(x <= -1, tf.constant(0.0, dtype=x.dtype), ramp)


def tanh_shrink(x: Any) -> Any:
    x = convert_to_tensor(x)
    return x - tf.math.tanh(x)


def hard_tanh(x: Any) -> Any:
    return tf.clip_by_value(convert_to_tensor(x), clip_value_min=-1.0, clip_value_max=1.0)


def _scalar_operand(x: Any) -> Any:
    """``x`` for arithmetic with a Python scalar threshold.

    A NumPy array stays an array, as upstream's TensorFlow kernels leave it:
    NumPy then applies the scalar at full precision (for bfloat16 inputs this
    differs from TensorFlow, which first rounds the scalar to bfloat16).
    """
    return x if isinstance(x, np.ndarray) else convert_to_tensor(x)


def soft_shrink(x: Any, threshold: float = 0.5) -> Any:
    """Moves values toward zero by ``threshold``; those within it become 0."""
    x = _scalar_operand(x)
    inner = tf.where(x < -threshold, x + threshold, tf.zeros_like(x))
    return tf.where(x > threshold, x - threshold, inner)


def hard_shrink(x: Any, threshold: float = 0.5) -> Any:
    x = convert_to_tensor(x)
    return tf.where(tf.abs(x) > threshold, x, tf.zeros_like(x))


def threshold(x: Any, threshold: float, default_value: float) -> Any:  # noqa: A002
    x = _scalar_operand(x)
    return tf.where(x > threshold, x, default_value)


def sparsemax(x: Any, axis: int = -1) -> Any:
    """Euclidean projection of ``x`` onto the simplex along ``axis`` (sparse softmax)."""
    logits = convert_to_tensor(x)
    ranked = tf.sort(logits, direction="DESCENDING", axis=axis)
    cumulative = tf.cumsum(ranked, axis=axis)
    positions = tf.range(1, tf.shape(logits)[axis] + 1, dtype=logits.dtype)
    shape = [1] * len(logits.shape)
    shape[axis] = -1
    positions = tf.reshape(positions, shape)
    in_support = ranked - (cumulative - 1) / positions > 0
    support_sum = tf.reduce_sum(tf.where(in_support, cumulative, 0.0), axis=axis, keepdims=True)
    support_size = tf.reduce_sum(tf.cast(in_support, logits.dtype), axis=axis, keepdims=True)
    tau = (support_sum - 1) / support_size
    return tf.maximum(logits - tau, 0.0)
