"""JAX numeric kernels named in ``contract.NUMERIC_OPS`` (native arrays in and out).

Most kernels convert their inputs and defer to ``jax.numpy``, whose promotion
is the one refkeras specifies (``backend/promotion.py``). The exceptions are
spelled out where they occur: integer inputs to transcendental functions, the
float32 accumulator of ``mean``, ``int8 @ int8 -> int32``, and the sign of
zero in ``argmax``.
"""

from __future__ import annotations

import functools
import math
import operator
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from refkeras.backend import config
from refkeras.backend.dtypes import standardize_dtype
from refkeras.backend.jax.core import (
    RecurringKeys,
    cast,
    convert_to_tensor,
    in_tracing_scope,
    is_concrete,
    to_device,
)
from refkeras.backend.promotion import result_type

__all__ = [
    "add", "subtract", "multiply", "divide", "true_divide", "negative", "power", "floor_divide",
    "mod", "matmul", "dot", "relu", "sigmoid", "tanh", "softmax", "log_softmax", "exp", "log",
    "sqrt", "square", "abs", "absolute", "round", "clip", "sum", "mean", "max", "min", "argmax",
    "reshape", "transpose", "expand_dims", "squeeze", "concatenate", "stack", "zeros", "ones",
    "eye", "zeros_like", "ones_like", "where", "equal", "not_equal", "less", "less_equal",
    "greater", "greater_equal", "logical_and", "logical_or", "logical_not", "logical_xor",
]


def _binary(jnp_fn: Any, name: str, compile_arrays: bool = False) -> Any:
    # With ``compile_arrays`` (the one-primitive arithmetic ops), operands that convert
    # to concrete arrays (arrays, variables, NumPy, Python scalars as weak arrays) go
    # through a compiled program of the op alone: what eager ``jnp`` runs, after the
    # same promotion, minus the Python cost of its wrapper (~3 us a call).
    compiled = jax.jit(jnp_fn) if compile_arrays else None

    def kernel(x1: Any, x2: Any) -> Any:
        x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
        if compiled is not None and is_concrete(x1) and is_concrete(x2):
            return compiled(x1, x2)
        return jnp_fn(x1, x2)
    kernel.__name__ = kernel.__qualname__ = name
    kernel.__doc__ = f"``jnp.{jnp_fn.__name__}`` on converted inputs (JAX promotion)."
    return kernel


def _unary(jnp_fn: Any, name: str) -> Any:
    def kernel(x: Any) -> Any:
        return jnp_fn(convert_to_tensor(x))
    kernel.__name__ = kernel.__qualname__ = name
    kernel.__doc__ = f"``{jnp_fn.__name__}`` on the converted input."
    return kernel


add = _binary(jnp.add, "add", compile_arrays=True)
subtract = _binary(jnp.subtract, "subtract", compile_arrays=True)
multiply = _binary(jnp.multiply, "multiply", compile_arrays=True)
divide = _binary(jnp.divide, "divide")
true_divide = divide
power = _binary(jnp.power, "power")
floor_divide = _binary(jnp.floor_divide, "floor_divide")
mod = _binary(jnp.mod, "mod")
dot = _binary(jnp.dot, "dot")
equal = _binary(jnp.equal, "equal")
not_equal = _binary(jnp.not_equal, "not_equal")
less = _binary(jnp.less, "less")
less_equal = _binary(jnp.less_equal, "less_equal")
greater = _binary(jnp.greater, "greater")
greater_equal = _binary(jnp.greater_equal, "greater_equal")
logical_and = _binary(jnp.logical_and, "logical_and")
logical_or = _binary(jnp.logical_or, "logical_or")
logical_xor = _binary(jnp.logical_xor, "logical_xor")

negative = _unary(jnp.negative, "negative")
square = _unary(jnp.square, "square")
absolute = _unary(jnp.absolute, "absolute")
abs = absolute  # noqa: A001
logical_not = _unary(jnp.logical_not, "logical_not")
relu = _unary(jax.nn.relu, "relu")
sigmoid = _unary(jax.nn.sigmoid, "sigmoid")


def matmul(x1: Any, x2: Any) -> Any:
    """``jnp.matmul``; two int8 operands accumulate into int32 (fast integer kernels)."""
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    both_int8 = standardize_dtype(x1.dtype) == "int8" and standardize_dtype(x2.dtype) == "int8"
    return jnp.matmul(x1, x2, preferred_element_type="int32" if both_int8 else None)


# --- element-wise math with integer inputs promoted to float -------------------------
def _int64_to_floatx(x: Any) -> Any:
    # JAX would compute int64 (only reachable with x64) in float64; refkeras uses floatx.
    return cast(x, config.floatx()) if standardize_dtype(x.dtype) == "int64" else x


def exp(x: Any) -> Any:
    """``e ** x``; integer and bool inputs compute in ``floatx()``."""
    x = convert_to_tensor(x)
    dtype = standardize_dtype(x.dtype)
    if "int" in dtype or dtype == "bool":
        x = cast(x, config.floatx())
    return jnp.exp(x)


def log(x: Any) -> Any:
    """Natural logarithm."""
    return jnp.log(_int64_to_floatx(convert_to_tensor(x)))


def sqrt(x: Any) -> Any:
    """Square root."""
    return jnp.sqrt(_int64_to_floatx(convert_to_tensor(x)))


def tanh(x: Any) -> Any:
    """Hyperbolic tangent, computed in the promoted float dtype of ``x``."""
    x = convert_to_tensor(x)
    dtype = standardize_dtype(x.dtype)
    dtype = config.floatx() if dtype == "int64" else result_type(dtype, float)
    return jnp.tanh(cast(x, dtype))


def round(x: Any, decimals: int = 0) -> Any:  # noqa: A001
    """Round half to even at ``decimals`` digits (negative: tens, hundreds, ...)."""
    x = convert_to_tensor(x)
    dtype = standardize_dtype(x.dtype)
    if "int" in dtype and decimals < 0:
        # jnp.round rejects negative decimals for ints: round in floatx, cast back.
        factor = cast(math.pow(10, decimals), config.floatx())
        scaled = jnp.round(jnp.multiply(cast(x, config.floatx()), factor))
        return cast(jnp.divide(scaled, factor), dtype)
    return jnp.round(x, decimals=decimals)


def clip(x: Any, x_min: Any, x_max: Any) -> Any:
    """Limits values to ``[x_min, x_max]``; bool inputs clip as int32."""
    x = convert_to_tensor(x)
    if standardize_dtype(x.dtype) == "bool":
        x = cast(x, "int32")
    return jnp.clip(x, x_min, x_max)


def softmax(x: Any, axis: Any = -1) -> Any:
    """Softmax over ``axis`` (``None``: over all elements).

    Under a trace this is ``jax.nn.softmax`` itself (its custom JVP gives the
    gradient). Eagerly, ``jax.nn.softmax`` is not jitted (JAX keeps it eager
    because one fused program rounds differently) and its custom-JVP wrapper
    costs more than the arithmetic on small inputs. The eager path runs the same
    five steps it evaluates (max, subtract, exp, sum, divide), each as its own
    compiled program exactly as eager JAX compiles them, so the bits are the
    same and no step is fused with another.
    """
    x = convert_to_tensor(x)
    if (isinstance(x, jax.core.Tracer) or x.dtype.name not in _FLOAT_NAMES
            or not isinstance(axis, (int, type(None)))):
        return jax.nn.softmax(x, axis=axis)
    peak, total = _softmax_reductions(axis)
    unnormalized = _exp(subtract(x, peak(x)))  # both concrete: subtract's own program
    return _divide(unnormalized, total(unnormalized))


_FLOAT_NAMES = frozenset({"float16", "bfloat16", "float32", "float64"})
# One compiled program per eager step of ``jax.nn.softmax`` (see ``softmax``).
# (The subtraction is ``subtract``'s compiled program.)
_exp, _divide = jax.jit(jnp.exp), jax.jit(jnp.divide)


@functools.cache
def _softmax_reductions(axis: Any) -> tuple[Any, Any]:
    """The max (from ``-inf``) and the sum over ``axis``, dims kept, as two programs."""
    peak = jax.jit(lambda x: jnp.max(x, axis, initial=-math.inf, keepdims=True))
    total = jax.jit(lambda x: jnp.sum(x, axis, keepdims=True))
    return peak, total


def log_softmax(x: Any, axis: Any = -1) -> Any:
    """Log of the softmax over ``axis``."""
    return jax.nn.log_softmax(convert_to_tensor(x), axis=axis)


# --- reductions -----------------------------------------------------------------------
def sum(x: Any, axis: Any = None, keepdims: bool = False) -> Any:  # noqa: A001
    """Sum; small ints and bool accumulate in (u)int32 as ``jnp.sum`` does."""
    return jnp.sum(convert_to_tensor(x), axis=axis, keepdims=keepdims)


def mean(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Mean accumulated in at least float32 (float16 would overflow), cast back."""
    x = convert_to_tensor(x)
    dtype = standardize_dtype(x.dtype)
    compute = result_type(dtype, "float32")
    out_dtype = compute if ("int" in dtype or dtype == "bool") else dtype
    return cast(jnp.mean(x, axis=axis, keepdims=keepdims, dtype=compute), out_dtype)


def max(x: Any, axis: Any = None, keepdims: bool = False, initial: Any = None) -> Any:  # noqa: A001
    """Maximum over ``axis``; ``initial`` is a lower bound for the result."""
    return jnp.max(convert_to_tensor(x), axis=axis, keepdims=keepdims, initial=initial)


def min(x: Any, axis: Any = None, keepdims: bool = False, initial: Any = None) -> Any:  # noqa: A001
    """Minimum over ``axis``; ``initial`` is an upper bound for the result."""
    return jnp.min(convert_to_tensor(x), axis=axis, keepdims=keepdims, initial=initial)


def _on_cpu(x: Any) -> bool:
    device = getattr(x, "device", None)
    if device is None:  # a tracer: ask where it will run
        return jax.default_backend() == "cpu"
    return isinstance(device, jax.Device) and device.platform == "cpu"


def argmax(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Index of the maximum (int32).

    On CPU, XLA flushes subnormals to zero, which can make ``-0.0`` win over
    a tiny positive value; ``-0.0`` is replaced by ``-tiny`` first so the
    answer matches other devices.
    """
    x = convert_to_tensor(x)
    dtype = standardize_dtype(x.dtype)
    if "float" in dtype and x.ndim > 0 and _on_cpu(x):
        x = cast(x, result_type(dtype, "float32"))
        negative_zero = (x == 0.0) & jnp.signbit(x)
        x = jnp.where(negative_zero, -jnp.finfo(x.dtype).tiny, x)
    return jnp.argmax(x, axis=axis, keepdims=keepdims)


# --- shapes ---------------------------------------------------------------------------
def reshape(x: Any, newshape: Any) -> Any:
    """``x`` with the same elements in ``newshape`` (one ``-1`` is inferred)."""
    return jnp.reshape(convert_to_tensor(x), newshape)


def transpose(x: Any, axes: Any = None) -> Any:
    """Permutes the axes (reverses them when ``axes`` is None)."""
    return jnp.transpose(convert_to_tensor(x), axes=axes)


def expand_dims(x: Any, axis: Any) -> Any:
    """Inserts size-1 axes at ``axis`` (an int or a sequence of ints)."""
    return jnp.expand_dims(convert_to_tensor(x), axis)


def squeeze(x: Any, axis: Any = None) -> Any:
    """Removes size-1 axes (all of them when ``axis`` is None)."""
    return jnp.squeeze(convert_to_tensor(x), axis=axis)


def concatenate(xs: Any, axis: int = 0) -> Any:
    """Joins tensors along an existing axis."""
    return jnp.concatenate([convert_to_tensor(x) for x in xs], axis=axis)


def stack(xs: Any, axis: int = 0) -> Any:
    """Joins same-shaped tensors along a new axis."""
    return jnp.stack([convert_to_tensor(x) for x in xs], axis=axis)


# --- creation -------------------------------------------------------------------------
def zeros(shape: Any, dtype: Any = None) -> Any:
    """A tensor of zeros (``floatx()`` by default)."""
    return _filled(jnp.zeros, np.zeros, shape, dtype)


def ones(shape: Any, dtype: Any = None) -> Any:
    """A tensor of ones (``floatx()`` by default)."""
    return _filled(jnp.ones, np.ones, shape, dtype)


# Fills of a shape seen only a few times come from host memory when small (up to
# HOST_FILL_BYTES): a transfer of a few KiB costs tens of microseconds, with no
# compilation (see core.RecurringKeys). Recurring and large fills run as a
# compiled program on the device.
HOST_FILL_BYTES = 1 << 22
_fill_keys = RecurringKeys()


@functools.partial(jax.jit, static_argnums=(0, 1, 2))
def _filled_kernel(fill: Any, shape: tuple, dtype: str) -> Any:
    return fill(shape, dtype=dtype)


def _filled(fill: Any, host_fill: Any, shape: Any, dtype: Any) -> Any:
    # Eager ``jnp.zeros`` dispatches two primitives (~100 us on CPU) and compiles
    # them per shape. Variable creation (biases, optimizer slots) is where this shows.
    dtype = standardize_dtype(dtype or config.floatx())
    try:
        static = tuple(operator.index(dim) for dim in shape) if isinstance(shape, (tuple, list)) \
            else (operator.index(shape),)
    except TypeError:  # a traced or otherwise non-static shape: let jnp report it
        return fill(shape, dtype=dtype)
    host_dtype = jnp.dtype(dtype)
    if (all(dim >= 0 for dim in static)
            and math.prod(static) * host_dtype.itemsize <= HOST_FILL_BYTES
            and jax.dtypes.canonicalize_dtype(host_dtype) == host_dtype
            and not _fill_keys.recurring((fill, static, dtype))
            and not in_tracing_scope()):
        return to_device(host_fill(static, host_dtype), copy=False)
    return _filled_kernel(fill, static, dtype)


def eye(n: Any, m: Any = None, k: int = 0, dtype: Any = None) -> Any:
    """An ``n x m`` matrix with ones on the ``k``-th diagonal."""
    return jnp.eye(n, M=m, k=k, dtype=dtype or config.floatx())


def zeros_like(x: Any, dtype: Any = None) -> Any:
    """Zeros with the shape (and by default the dtype) of ``x``."""
    return jnp.zeros_like(x, dtype=dtype)


def ones_like(x: Any, dtype: Any = None) -> Any:
    """Ones with the shape (and by default the dtype) of ``x``."""
    return jnp.ones_like(x, dtype=dtype)


def where(condition: Any, x1: Any = None, x2: Any = None) -> Any:
    """``x1`` where ``condition`` holds, else ``x2``; with neither, the indices of true."""
    return jnp.where(condition, x1, x2)

