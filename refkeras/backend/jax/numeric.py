"""JAX numeric kernels named in ``contract.NUMERIC_OPS`` (native arrays in and out)."""

from __future__ import annotations

import jax
import jax.numpy as jnp

__all__ = [
    "add", "subtract", "multiply", "divide", "negative", "matmul", "dot", "relu", "sigmoid",
    "tanh", "softmax", "log_softmax", "exp", "log", "sqrt", "square", "abs", "sum", "mean", "max",
    "min", "argmax", "reshape", "transpose", "expand_dims", "squeeze", "concatenate", "stack",
    "zeros", "ones", "eye", "zeros_like", "ones_like", "where", "clip",
]

add = jnp.add
subtract = jnp.subtract
multiply = jnp.multiply
divide = jnp.true_divide
negative = jnp.negative
matmul = jnp.matmul
dot = jnp.dot
relu = jax.nn.relu
sigmoid = jax.nn.sigmoid
tanh = jnp.tanh
exp = jnp.exp
log = jnp.log
sqrt = jnp.sqrt
square = jnp.square
abs = jnp.abs  # noqa: A001
reshape = jnp.reshape
transpose = jnp.transpose
expand_dims = jnp.expand_dims
squeeze = jnp.squeeze
stack = jnp.stack
zeros = jnp.zeros
ones = jnp.ones
eye = jnp.eye
zeros_like = jnp.zeros_like
ones_like = jnp.ones_like
where = jnp.where
clip = jnp.clip


def softmax(x, axis=-1):
    return jax.nn.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    return jax.nn.log_softmax(x, axis=axis)


def sum(x, axis=None, keepdims=False):  # noqa: A001
    return jnp.sum(x, axis=axis, keepdims=keepdims)


def mean(x, axis=None, keepdims=False):
    return jnp.mean(x, axis=axis, keepdims=keepdims)


def max(x, axis=None, keepdims=False):  # noqa: A001
    return jnp.max(x, axis=axis, keepdims=keepdims)


def min(x, axis=None, keepdims=False):  # noqa: A001
    return jnp.min(x, axis=axis, keepdims=keepdims)


def argmax(x, axis=None, keepdims=False):
    return jnp.argmax(x, axis=axis, keepdims=keepdims).astype("int32")


def concatenate(xs, axis=0):
    return jnp.concatenate(xs, axis=axis)
