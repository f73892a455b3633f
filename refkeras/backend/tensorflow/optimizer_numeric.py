"""TensorFlow kernels named in ``contract.OPTIMIZER_OPS``: what optimizers and schedules
need beyond the numeric kernels (native tensors in and out)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import tensorflow as tf

from refkeras.backend import config
from refkeras.backend.dtypes import standardize_dtype
from refkeras.backend.promotion import result_type
from refkeras.backend.tensorflow.core import convert_to_tensor

__all__ = ["opt_floor", "opt_cos", "opt_isfinite", "opt_all", "opt_cond"]


def _to_float(x: Any) -> Any:
    # int64 computes in floatx; anything else promotes with a weak float (int8 -> float32).
    x = convert_to_tensor(x)
    dtype = standardize_dtype(x.dtype)
    return tf.cast(x, config.floatx() if dtype == "int64" else result_type(dtype, float))


def opt_floor(x: Any) -> Any:
    """Rounds towards minus infinity, in a float dtype."""
    return tf.floor(_to_float(x))


def opt_cos(x: Any) -> Any:
    """Cosine, in a float dtype."""
    return tf.math.cos(_to_float(x))


def opt_isfinite(x: Any) -> Any:
    """True where ``x`` is neither infinite nor NaN (always True for integers)."""
    x = convert_to_tensor(x)
    if not x.dtype.is_floating and not x.dtype.is_complex:
        return tf.ones(tf.shape(x), tf.bool)
    return tf.math.is_finite(x)


def opt_all(x: Any) -> Any:
    """True when every element of ``x`` is truthy (a scalar bool)."""
    return tf.reduce_all(tf.cast(convert_to_tensor(x), "bool"))


def opt_cond(pred: Any, true_fn: Callable[[], Any], false_fn: Callable[[], Any]) -> Any:
    """``true_fn()`` if ``pred`` else ``false_fn()``; a graph conditional inside
    ``tf.function``, a plain branch when run eagerly."""
    return tf.cond(convert_to_tensor(pred), true_fn, false_fn)
