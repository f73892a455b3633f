"""TensorFlow numeric kernels named in ``contract.NUMERIC_OPS`` (native tensors in and out).

TensorFlow ops require both operands to share a dtype and never promote, so
the binary kernels first compute the result dtype with refkeras's promotion
rules (``backend/promotion.py``) and cast both operands to it. Python ``int``
and ``float`` operands are left unconverted until then, so they promote as
weak types (``int8_tensor + 1`` stays ``int8``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import tensorflow as tf
from tensorflow.python.ops import gen_math_ops, gen_nn_ops

from refkeras import tree
from refkeras.backend import config
from refkeras.backend.dtypes import standardize_dtype
from refkeras.backend.promotion import result_type
from refkeras.backend.tensorflow.core import convert_to_tensor

__all__ = [
    "add", "subtract", "multiply", "divide", "true_divide", "negative", "power", "floor_divide",
    "mod", "matmul", "dot", "relu", "sigmoid", "tanh", "softmax", "log_softmax", "exp", "log",
    "sqrt", "square", "abs", "absolute", "round", "clip", "sum", "mean", "max", "min", "argmax",
    "reshape", "transpose", "expand_dims", "squeeze", "concatenate", "stack", "zeros", "ones",
    "eye", "zeros_like", "ones_like", "where", "equal", "not_equal", "less", "less_equal",
    "greater", "greater_equal", "logical_and", "logical_or", "logical_not", "logical_xor",
]


def _dtype_of(x: Any) -> Any:
    # A tensor's dtype, or the Python type itself for a scalar (weak in promotion).
    return getattr(x, "dtype", type(x))


def _promote_weak(x1: Any, x2: Any, *extra: Any) -> tuple[Any, Any]:
    """Both operands as tensors of their promoted dtype; Python scalars stay weak."""
    if not isinstance(x1, (int, float)):
        x1 = convert_to_tensor(x1)
    if not isinstance(x2, (int, float)):
        x2 = convert_to_tensor(x2)
        if not extra and getattr(x1, "dtype", None) == x2.dtype:
            return x1, x2  # two tensors of one dtype: nothing to promote
    dtype = result_type(_dtype_of(x1), _dtype_of(x2), *extra)
    return convert_to_tensor(x1, dtype), convert_to_tensor(x2, dtype)


def _promote_strong(x1: Any, x2: Any) -> tuple[Any, Any]:
    """Both operands converted first (scalars get TF's default dtype), then promoted."""
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    dtype = result_type(x1.dtype, x2.dtype)
    return tf.cast(x1, dtype), tf.cast(x2, dtype)


def add(x1: Any, x2: Any) -> Any:
    """Element-wise sum; a vector added to a matrix's channel axis uses ``bias_add``."""
    x1, x2 = _promote_weak(x1, x2)
    # `bias_add` lets TF fuse the add into a preceding MatMul/Conv kernel; it
    # applies when x2 is a vector (after dropping size-1 dims) matching
    # x1's first-channel (NCHW) or last (NHWC) axis.
    if (x2.shape.rank == 1 and x1.shape.rank == 2 and x2.shape[0] == x1.shape[1]
            and x1.shape[1] is not None and x1.shape[1] > 1):
        # The Dense case, decided without listing shapes; the op itself, as
        # ``tf.nn.bias_add`` runs it, without that wrapper's name scope (~30 us eagerly).
        return gen_nn_ops.bias_add(x1, x2)
    bias_dims = [d for d in x2.shape.as_list() if d is None or d > 1]
    x1_dims = x1.shape.as_list()
    if (len(bias_dims) == 1 and len(x1_dims) > 1 and bias_dims[0] is not None
            and bias_dims[0] in {x1_dims[1], x1_dims[-1]}):
        data_format = "NHWC" if x1_dims[-1] == bias_dims[0] else "NCHW"
        if len(x2.shape) > 1:
            x2 = tf.squeeze(x2)
        return tf.nn.bias_add(x1, x2, data_format=data_format)
    return tf.add(x1, x2)


def subtract(x1: Any, x2: Any) -> Any:
    x1, x2 = _promote_weak(x1, x2)
    return tf.subtract(x1, x2)


def multiply(x1: Any, x2: Any) -> Any:
    x1, x2 = _promote_weak(x1, x2)
    return tf.multiply(x1, x2)


def divide(x1: Any, x2: Any) -> Any:
    """True division; integer operands divide in the promoted float dtype."""
    x1, x2 = _promote_weak(x1, x2, float)
    return tf.divide(x1, x2)


true_divide = divide


def power(x1: Any, x2: Any) -> Any:
    """``x1 ** x2``; unsigned ints go through int32 (``tf.pow`` lacks them)."""
    if not isinstance(x1, (int, float)):
        x1 = convert_to_tensor(x1)
    if not isinstance(x2, (int, float)):
        x2 = convert_to_tensor(x2)
    dtype = result_type(_dtype_of(x1), _dtype_of(x2))
    if "uint" in dtype:
        out = tf.pow(convert_to_tensor(x1, "int32"), convert_to_tensor(x2, "int32"))
        return tf.cast(out, dtype)
    return tf.pow(convert_to_tensor(x1, dtype), convert_to_tensor(x2, dtype))


def floor_divide(x1: Any, x2: Any) -> Any:
    x1, x2 = _promote_weak(x1, x2)
    return tf.math.floordiv(x1, x2)


def mod(x1: Any, x2: Any) -> Any:
    """Remainder with the sign of the divisor; bools compute as int32."""
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    dtype = result_type(x1.dtype, x2.dtype)
    dtype = "int32" if dtype == "bool" else dtype
    return tf.math.floormod(tf.cast(x1, dtype), tf.cast(x2, dtype))


def _comparison(tf_fn: Any, name: str) -> Any:
    def kernel(x1: Any, x2: Any) -> Any:
        return tf_fn(*_promote_strong(x1, x2))
    kernel.__name__ = kernel.__qualname__ = name
    kernel.__doc__ = f"``tf.{tf_fn.__name__}`` after promoting both operands (bool result)."
    return kernel


equal = _comparison(tf.equal, "equal")
not_equal = _comparison(tf.not_equal, "not_equal")
less = _comparison(tf.less, "less")
less_equal = _comparison(tf.less_equal, "less_equal")
greater = _comparison(tf.greater, "greater")
greater_equal = _comparison(tf.greater_equal, "greater_equal")


def _logical(tf_fn: Any, name: str) -> Any:
    def kernel(x1: Any, x2: Any) -> Any:
        return tf_fn(tf.cast(x1, "bool"), tf.cast(x2, "bool"))
    kernel.__name__ = kernel.__qualname__ = name
    kernel.__doc__ = f"``tf.{tf_fn.__name__}`` of the operands' truth values."
    return kernel


logical_and = _logical(tf.logical_and, "logical_and")
logical_or = _logical(tf.logical_or, "logical_or")
logical_xor = _logical(tf.math.logical_xor, "logical_xor")


def logical_not(x: Any) -> Any:
    return tf.logical_not(tf.cast(x, "bool"))


def negative(x: Any) -> Any:
    return tf.negative(x)


def absolute(x: Any) -> Any:
    """``|x|``; unsigned and bool values are returned as they are."""
    x = convert_to_tensor(x)
    dtype = standardize_dtype(x.dtype)
    return x if ("uint" in dtype or dtype == "bool") else tf.abs(x)


abs = absolute  # noqa: A001


def square(x: Any) -> Any:
    """``x * x``; bools square as int32."""
    x = convert_to_tensor(x)
    if standardize_dtype(x.dtype) == "bool":
        x = tf.cast(x, "int32")
    return tf.square(x)


def _float_input(x: Any) -> Any:
    """``x`` in the float dtype a transcendental function computes in."""
    x = convert_to_tensor(x)
    dtype = standardize_dtype(x.dtype)
    return tf.cast(x, config.floatx() if dtype == "int64" else result_type(dtype, float))


def log(x: Any) -> Any:
    return tf.math.log(_float_input(x))


def sqrt(x: Any) -> Any:
    return tf.math.sqrt(_float_input(x))


def tanh(x: Any) -> Any:
    return tf.math.tanh(_float_input(x))


def exp(x: Any) -> Any:
    """``e ** x``; integer and bool inputs compute in ``floatx()``."""
    x = convert_to_tensor(x)
    dtype = standardize_dtype(x.dtype)
    if "int" in dtype or dtype == "bool":
        x = tf.cast(x, config.floatx())
    return tf.exp(x)


def round(x: Any, decimals: int = 0) -> Any:  # noqa: A001
    """Round half to even at ``decimals`` digits."""
    if decimals == 0:
        return tf.round(x)
    dtype = x.dtype
    if tf.as_dtype(dtype).is_integer:
        if decimals > 0:
            return x
        factor = tf.cast(math.pow(10, decimals), config.floatx())
        x = tf.cast(x, config.floatx())
    else:
        factor = tf.cast(math.pow(10, decimals), dtype)
    return tf.cast(tf.divide(tf.round(tf.multiply(x, factor)), factor), dtype)


def clip(x: Any, x_min: Any, x_max: Any) -> Any:
    """Limits values to ``[x_min, x_max]``; bool inputs clip as int32."""
    if standardize_dtype(x.dtype) == "bool":
        x = tf.cast(x, "int32")
    return tf.clip_by_value(x, x_min, x_max)


def relu(x: Any) -> Any:
    return tf.nn.relu(x)


def sigmoid(x: Any) -> Any:
    out = tf.nn.sigmoid(x)
    # Losses read this to compute cross-entropy from logits, which is more stable.
    out._keras_logits = x
    return out


def _is_last_float_axis(x: Any, axis: Any) -> bool:
    """True when the tensor ``x`` is float, of known rank >= 1, and ``axis`` is its last."""
    if not isinstance(x, tf.Tensor) or not x.dtype.is_floating:
        return False  # sparse and ragged tensors keep tf.nn.softmax's own handling
    rank = x.shape.rank
    return rank is not None and rank >= 1 and axis in (-1, rank - 1)


def softmax(x: Any, axis: Any = -1) -> Any:
    """Softmax over ``axis``; ``None`` means all elements (TF alone would use -1)."""
    x = convert_to_tensor(x)
    if axis is None:
        out = tf.reshape(tf.nn.softmax(tf.reshape(x, [-1]), axis=-1), tf.shape(x))
    elif _is_last_float_axis(x, axis):
        # The Softmax op ``tf.nn.softmax`` runs for the last axis, without its wrapper.
        out = gen_nn_ops.softmax(x)
    else:
        out = tf.nn.softmax(x, axis=axis)
    out._keras_logits = x  # see `sigmoid`
    return out


def log_softmax(x: Any, axis: Any = -1) -> Any:
    if axis is None:
        return tf.reshape(tf.nn.log_softmax(tf.reshape(x, [-1]), axis=-1), tf.shape(x))
    return tf.nn.log_softmax(x, axis=axis)


def matmul(x1: Any, x2: Any) -> Any:
    """Matrix product; integer operands multiply in float (GPU kernels), int8 @ int8 -> int32."""
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    if x1.dtype == x2.dtype and x1.dtype.is_floating and x1.shape.rank == x2.shape.rank == 2:
        # The common case, nothing to promote or cast: the MatMul op ``tf.matmul``
        # runs for two 2-D operands of one dtype, without its wrapper (~35 us eagerly).
        return gen_math_ops.mat_mul(x1, x2)
    rank1, rank2 = x1.shape.rank, x2.shape.rank
    int8 = standardize_dtype(x1.dtype) == "int8" and standardize_dtype(x2.dtype) == "int8"
    if int8 and rank1 != 1 and rank2 != 1:
        compute, out_dtype, output_type = "int8", "int32", "int32"
    else:
        compute = result_type(x1.dtype, x2.dtype, float)
        out_dtype, output_type = result_type(x1.dtype, x2.dtype), None
    x1, x2 = _cast_if_needed(x1, compute), _cast_if_needed(x2, compute)
    if rank1 == 2 and rank2 == 2:
        out = tf.matmul(x1, x2, output_type=output_type)
    elif rank2 == 1:
        out = tf.tensordot(x1, x2, axes=1)
    elif rank1 == 1:
        out = tf.tensordot(x1, x2, axes=[[0], [-2]])
    elif rank2 == 2 and rank1 is not None and rank1 > 2 and output_type is None:
        out = tf.tensordot(x1, x2, axes=[[-1], [0]])
    else:
        out = tf.matmul(x1, x2, output_type=output_type)
    return _cast_if_needed(out, out_dtype)


def _cast_if_needed(x: Any, dtype: str) -> Any:
    # tf.cast to the same dtype returns its input, after ~5 us of dispatch.
    return x if x.dtype.name == dtype else tf.cast(x, dtype)


def dot(x1: Any, x2: Any) -> Any:
    """``np.dot``: contracts the last axis of ``x1`` with the second-last of ``x2``."""
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    out_dtype = result_type(x1.dtype, x2.dtype)
    compute = result_type(out_dtype, float)
    x1, x2 = tf.cast(x1, compute), tf.cast(x2, compute)
    if x1.shape.rank == 0 or x2.shape.rank == 0:
        out = x1 * x2
    elif x2.shape.rank == 1:
        out = tf.tensordot(x1, x2, axes=[[-1], [-1]])
    else:
        out = tf.tensordot(x1, x2, axes=[[-1], [-2]])
    return tf.cast(out, out_dtype)


# --- reductions -----------------------------------------------------------------------
def sum(x: Any, axis: Any = None, keepdims: bool = False) -> Any:  # noqa: A001
    """Sum; bool/int8/int16 accumulate in int32 and uint8/uint16 in uint32 (as JAX does)."""
    x = convert_to_tensor(x)
    dtype = standardize_dtype(x.dtype)
    if dtype in ("bool", "int8", "int16"):
        dtype = "int32"
    elif dtype in ("uint8", "uint16"):
        dtype = "uint32"
    return tf.reduce_sum(tf.cast(x, dtype), axis=axis, keepdims=keepdims)


def mean(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Mean accumulated in at least float32 (float16 would overflow), cast back."""
    x = convert_to_tensor(x)
    dtype = standardize_dtype(x.dtype)
    compute = result_type(dtype, "float32")
    out_dtype = compute if ("int" in dtype or dtype == "bool") else dtype
    out = tf.reduce_mean(tf.cast(x, compute), axis=axis, keepdims=keepdims)
    return tf.cast(out, out_dtype)


def _extremum(x: Any, axis: Any, keepdims: bool, initial: Any, which: str) -> Any:
    x = convert_to_tensor(x)
    is_bool = standardize_dtype(x.dtype) == "bool"
    reduce = {"max": tf.reduce_any if is_bool else tf.reduce_max,
              "min": tf.reduce_all if is_bool else tf.reduce_min}[which]
    bound = tf.math.maximum if which == "max" else tf.math.minimum
    if initial is not None:
        out = reduce(x, axis=axis, keepdims=keepdims)
        if is_bool:
            return tf.cast(bound(tf.cast(out, "int32"), tf.cast(initial, "int32")), "bool")
        return bound(out, initial)
    if tf.executing_eagerly():
        # TF would return -inf/inf for an empty tensor; refkeras raises as NumPy does.
        size = tf.size(x)
        tf.debugging.assert_greater(size, tf.constant(0, dtype=size.dtype),
                                    message=f"Cannot compute the {which} of an empty tensor.")
    return reduce(x, axis=axis, keepdims=keepdims)


def max(x: Any, axis: Any = None, keepdims: bool = False, initial: Any = None) -> Any:  # noqa: A001
    """Maximum over ``axis`` (``any`` for bools); ``initial`` bounds it from below."""
    return _extremum(x, axis, keepdims, initial, "max")


def min(x: Any, axis: Any = None, keepdims: bool = False, initial: Any = None) -> Any:  # noqa: A001
    """Minimum over ``axis`` (``all`` for bools); ``initial`` bounds it from above."""
    return _extremum(x, axis, keepdims, initial, "min")


def _signbit(x: Any) -> Any:
    # The float32 sign bit, read through an int32 view (works for -0.0).
    bits = tf.bitcast(tf.cast(x, "float32"), tf.int32)
    return tf.less(tf.bitwise.bitwise_and(bits, tf.constant(tf.int32.min, dtype=tf.int32)), 0)


def argmax(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Index of the maximum (int32); ``-0.0`` counts as below the smallest positive float."""
    x = convert_to_tensor(x)
    dtype = standardize_dtype(x.dtype)
    if "float" in dtype and x.ndim > 0:
        # Same tie-break as the JAX kernel, whose CPU flushes subnormals to zero.
        x = tf.cast(x, result_type(dtype, "float32"))
        negative_zero = tf.logical_and(tf.equal(x, 0.0), _signbit(x))
        x = tf.where(negative_zero, -np.finfo(standardize_dtype(x.dtype)).tiny, x)
    flat = tf.reshape(x, [-1]) if axis is None else x
    out = tf.argmax(flat, axis=axis, output_type="int32")
    if keepdims:
        shape = [1] * len(x.shape) if axis is None else list(_dynamic_shape(x))
        if axis is not None:
            for a in tree.flatten(axis):
                shape[a] = 1
        out = tf.reshape(out, shape)
    return out


def _dynamic_shape(x: Any) -> tuple:
    static = x.shape.as_list()
    dynamic = tf.shape(x)
    return tuple(dynamic[i] if d is None else d for i, d in enumerate(static))


# --- shapes ---------------------------------------------------------------------------
def _canonical_axis(axis: int, ndim: int) -> int:
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis {axis} is out of bounds for an array with dimension {ndim}.")
    return axis + ndim if axis < 0 else axis


def reshape(x: Any, newshape: Any) -> Any:
    return tf.reshape(convert_to_tensor(x), newshape)


def transpose(x: Any, axes: Any = None) -> Any:
    """Permutes the axes; duplicated axes raise ``ValueError`` (not a TF runtime error)."""
    if axes:
        axes = tuple(_canonical_axis(a, len(x.shape)) for a in axes)
        if len(set(axes)) != len(axes):
            raise ValueError(
                "`axes` must be a valid permutation of the input dimensions (no duplicates). "
                f"Received: axes={list(axes)} for input of rank {len(x.shape)}."
            )
    return tf.transpose(x, perm=axes)


def expand_dims(x: Any, axis: Any) -> Any:
    """Inserts size-1 axes; several axes are inserted in increasing order."""
    x = convert_to_tensor(x)
    axes = (axis,) if isinstance(axis, int) else axis
    ndim = len(x.shape) + len(axes)
    for a in sorted(_canonical_axis(a, ndim) for a in axes):
        x = tf.expand_dims(x, a)
    return x


def squeeze(x: Any, axis: Any = None) -> Any:
    """Removes size-1 axes; naming an axis whose size is not 1 raises ``ValueError``."""
    x = convert_to_tensor(x)
    if axis is not None:
        axes = (axis,) if isinstance(axis, int) else axis
        static = x.shape.as_list()
        for a in axes:
            if static[a] != 1:
                raise ValueError(f"Cannot squeeze axis={a}, because the dimension is not 1.")
        axis = sorted(_canonical_axis(a, len(static)) for a in axes)
    return tf.squeeze(x, axis=axis)


def concatenate(xs: Any, axis: int = 0) -> Any:
    """Joins tensors along an existing axis, promoting mixed dtypes."""
    xs = [convert_to_tensor(x) for x in xs]
    kinds = {x.dtype for x in xs}
    if len(kinds) > 1:
        dtype = result_type(*kinds)
        xs = [tf.cast(x, dtype) for x in xs]
    return tf.concat(xs, axis=axis)


def stack(xs: Any, axis: int = 0) -> Any:
    """Joins same-shaped tensors along a new axis, promoting mixed dtypes."""
    kinds = {_dtype_of(x) for x in xs}
    if len(kinds) > 1:
        dtype = result_type(*kinds)
        xs = [convert_to_tensor(x, dtype) for x in xs]
    return tf.stack(xs, axis=axis)


# --- creation -------------------------------------------------------------------------
def zeros(shape: Any, dtype: Any = None) -> Any:
    return tf.zeros(shape, dtype=dtype or config.floatx())


def ones(shape: Any, dtype: Any = None) -> Any:
    return tf.ones(shape, dtype=dtype or config.floatx())


def eye(n: Any, m: Any = None, k: int = 0, dtype: Any = None) -> Any:
    """An ``n x m`` matrix with ones on the ``k``-th diagonal."""
    dtype = dtype or config.floatx()
    m = n if m is None else m
    if isinstance(k, int) and k == 0:
        return tf.eye(n, m, dtype=dtype)
    # tf.eye has no diagonal offset: pad a smaller identity into place.
    inner = tf.eye(tf.minimum(m - k, n + k), dtype=dtype)
    paddings = ((tf.maximum(-k, 0), tf.maximum(n - m + k, 0)),
                (tf.maximum(k, 0), tf.maximum(m - n - k, 0)))
    return tf.pad(inner, paddings=paddings)


def zeros_like(x: Any, dtype: Any = None) -> Any:
    return tf.zeros_like(x, dtype=dtype)


def ones_like(x: Any, dtype: Any = None) -> Any:
    return tf.ones_like(x, dtype=dtype)


def where(condition: Any, x1: Any = None, x2: Any = None) -> Any:
    """``x1`` where ``condition`` holds, else ``x2`` (promoted); with neither, true indices."""
    condition = tf.cast(condition, "bool")
    if x1 is not None and x2 is not None:
        x1, x2 = _promote_weak(x1, x2)
        return tf.where(condition, x1, x2)
    if x1 is None and x2 is None:
        indices = tf.unstack(tf.where(condition), condition.shape.rank, axis=1)
        return [tf.cast(i, "int32") for i in indices]
    raise ValueError("`x1` and `x2` either both should be `None` or both should have non-None value.")

