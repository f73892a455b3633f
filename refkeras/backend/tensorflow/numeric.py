"""TensorFlow numeric kernels named in ``contract.NUMERIC_OPS`` (native tensors in and out)."""

from __future__ import annotations

import tensorflow as tf

__all__ = [
    "add", "subtract", "multiply", "divide", "negative", "matmul", "dot", "relu", "sigmoid",
    "tanh", "softmax", "log_softmax", "exp", "log", "sqrt", "square", "abs", "sum", "mean", "max",
    "min", "argmax", "reshape", "transpose", "expand_dims", "squeeze", "concatenate", "stack",
    "zeros", "ones", "eye", "zeros_like", "ones_like", "where", "clip",
]

add = tf.add
subtract = tf.subtract
multiply = tf.multiply
negative = tf.negative
relu = tf.nn.relu
sigmoid = tf.sigmoid
tanh = tf.tanh
exp = tf.exp
log = tf.math.log
sqrt = tf.sqrt
square = tf.square
abs = tf.abs  # noqa: A001
reshape = tf.reshape
transpose = tf.transpose
expand_dims = tf.expand_dims
stack = tf.stack
zeros_like = tf.zeros_like
ones_like = tf.ones_like
where = tf.where


def divide(x, y):
    return tf.math.truediv(x, y)


def matmul(x, y):
    return tf.linalg.matmul(x, y)


def dot(x, y):
    return tf.tensordot(x, y, axes=[[-1], [-2 if len(y.shape) > 1 else 0]])


def softmax(x, axis=-1):
    return tf.nn.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    return tf.nn.log_softmax(x, axis=axis)


def sum(x, axis=None, keepdims=False):  # noqa: A001
    return tf.reduce_sum(x, axis=axis, keepdims=keepdims)


def mean(x, axis=None, keepdims=False):
    return tf.reduce_mean(x, axis=axis, keepdims=keepdims)


def max(x, axis=None, keepdims=False):  # noqa: A001
    return tf.reduce_max(x, axis=axis, keepdims=keepdims)


def min(x, axis=None, keepdims=False):  # noqa: A001
    return tf.reduce_min(x, axis=axis, keepdims=keepdims)


def argmax(x, axis=None, keepdims=False):
    out = tf.argmax(tf.reshape(x, [-1]) if axis is None else x, axis=0 if axis is None else axis,
                    output_type="int32")
    if keepdims:
        out = tf.expand_dims(out, axis if axis is not None else 0)
    return out


def squeeze(x, axis=None):
    return tf.squeeze(x, axis=axis)


def concatenate(xs, axis=0):
    return tf.concat(xs, axis=axis)


def zeros(shape, dtype=None):
    return tf.zeros(shape, dtype=dtype or "float32")


def ones(shape, dtype=None):
    return tf.ones(shape, dtype=dtype or "float32")


def eye(n, m=None, k=0, dtype=None):
    return tf.eye(n, m, dtype=dtype or "float32")


def clip(x, x_min, x_max):
    return tf.clip_by_value(x, x_min, x_max)
