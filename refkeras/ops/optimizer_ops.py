"""The ops optimizers and learning-rate schedules need beyond the core set
(``maximum``/``minimum`` come from ``loss_ops.py``).

``floor``/``cos`` compute in a float dtype (``int64`` gives ``floatx()``);
``isfinite`` gives bools; ``cond`` picks a branch and stays traceable
(``jax.jit``, ``tf.function``). Kernels: ``backend/<name>/optimizer_numeric.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from refkeras.backend import config, numeric
from refkeras.backend.promotion import result_type
from refkeras.graph.keras_tensor import KerasTensor, any_symbolic_tensors
from refkeras.ops.unary import ElementwiseUnary

__all__ = ["cond", "cos", "floor", "isfinite"]


class Floor(ElementwiseUnary):
    kernel = staticmethod(numeric.opt_floor)

    def result_dtype(self, dtype: str) -> str:
        return config.floatx() if dtype == "int64" else result_type(dtype, float)


class Cos(Floor):
    kernel = staticmethod(numeric.opt_cos)
    keeps_sparse = False  # cos(0) == 1


class Isfinite(ElementwiseUnary):
    kernel = staticmethod(numeric.opt_isfinite)
    keeps_sparse = False

    def result_dtype(self, dtype: str) -> str:
        return "bool"


def floor(x: Any) -> Any:
    """The largest integer not above ``x``, element-wise, as a float."""
    if any_symbolic_tensors((x,)):
        return Floor().symbolic_call(x)
    return numeric.opt_floor(x)


def cos(x: Any) -> Any:
    """Cosine element-wise (integer inputs give floats)."""
    if any_symbolic_tensors((x,)):
        return Cos().symbolic_call(x)
    return numeric.opt_cos(x)


def isfinite(x: Any) -> Any:
    """True where ``x`` is neither infinite nor NaN (always True for integers)."""
    if any_symbolic_tensors((x,)):
        return Isfinite().symbolic_call(x)
    return numeric.opt_isfinite(x)


def all_true(x: Any) -> Any:
    """A scalar bool: whether every element of the tensor ``x`` is truthy."""
    return numeric.opt_all(x)


def cond(pred: Any, true_fn: Callable[[], Any], false_fn: Callable[[], Any]) -> Any:
    """``true_fn()`` when the scalar ``pred`` is true, else ``false_fn()``.

    Works on concrete and traced predicates alike; both branches must return
    the same structure of tensors with matching shapes and dtypes.

    >>> cond(x > 0, lambda: x, lambda: -x)  # doctest: +SKIP
    """
    if isinstance(pred, KerasTensor):
        raise ValueError(
            "`cond` needs a concrete or traced predicate; it cannot be recorded in a "
            f"symbolic graph. Received: pred={pred}"
        )
    return numeric.opt_cond(pred, true_fn, false_fn)
