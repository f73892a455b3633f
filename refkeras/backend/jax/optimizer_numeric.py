"""JAX kernels named in ``contract.OPTIMIZER_OPS``: what optimizers and schedules need
beyond the numeric kernels (native arrays in and out)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp

from refkeras.backend import config
from refkeras.backend.dtypes import standardize_dtype
from refkeras.backend.jax.core import cast, convert_to_tensor
from refkeras.backend.promotion import result_type

__all__ = ["opt_floor", "opt_cos", "opt_isfinite", "opt_all", "opt_cond"]


def _to_float(x: Any) -> Any:
    # int64 computes in floatx; anything else promotes with a weak float (int8 -> float32).
    x = convert_to_tensor(x)
    dtype = standardize_dtype(x.dtype)
    return cast(x, config.floatx() if dtype == "int64" else result_type(dtype, float))


def opt_floor(x: Any) -> Any:
    """Rounds towards minus infinity, in a float dtype."""
    return jnp.floor(_to_float(x))


def opt_cos(x: Any) -> Any:
    """Cosine, in a float dtype."""
    return jnp.cos(_to_float(x))


def opt_isfinite(x: Any) -> Any:
    """True where ``x`` is neither infinite nor NaN."""
    return jnp.isfinite(convert_to_tensor(x))


def opt_all(x: Any) -> Any:
    """True when every element of ``x`` is truthy (a scalar bool)."""
    return jnp.all(convert_to_tensor(x))


def opt_cond(pred: Any, true_fn: Callable[[], Any], false_fn: Callable[[], Any]) -> Any:
    """``true_fn()`` if ``pred`` else ``false_fn()``, traceable under ``jit``.

    Both branches must return the same structure of arrays. ``lax.cond`` also
    runs eagerly, so the branch is compiled the same way in and out of ``jit``.
    """
    return jax.lax.cond(pred, true_fn, false_fn)
