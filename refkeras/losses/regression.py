"""Regression losses: squared, absolute, percentage and log errors, and Huber.

Each function maps ``y_true`` and ``y_pred`` of shape ``(batch, ..., d)`` to
per-sample losses of shape ``(batch, ...)`` (the mean over the last axis).
``y_true`` is converted to ``y_pred``'s dtype first, and a trailing size-1
axis on either side is aligned away. Each class wraps its function.
"""

from __future__ import annotations

from typing import Any

from refkeras import backend, ops
from refkeras.losses.reduction import squeeze_or_expand_to_same_rank
from refkeras.losses.wrapper import BuiltinLoss
from refkeras.serialization import builtin

_LOSS_AND_METRIC = ("keras.losses", "keras.metrics")  # public in both namespaces


def _aligned(y_true: Any, y_pred: Any) -> tuple[Any, Any]:
    """Both as tensors of ``y_pred``'s dtype, ranks aligned."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def _register(*modules: str) -> Any:
    def decorate(fn: Any) -> Any:
        for module in modules:
            builtin(module)(fn)
        return fn
    return decorate


@_register(*_LOSS_AND_METRIC)
def mean_squared_error(y_true: Any, y_pred: Any) -> Any:
    """``mean(square(y_true - y_pred), axis=-1)``."""
    y_true, y_pred = _aligned(y_true, y_pred)
    return ops.mean(ops.square(y_true - y_pred), axis=-1)


@_register(*_LOSS_AND_METRIC)
def mean_absolute_error(y_true: Any, y_pred: Any) -> Any:
    """``mean(abs(y_true - y_pred), axis=-1)``."""
    y_true, y_pred = _aligned(y_true, y_pred)
    return ops.mean(ops.abs(y_true - y_pred), axis=-1)


@_register(*_LOSS_AND_METRIC)
def mean_absolute_percentage_error(y_true: Any, y_pred: Any) -> Any:
    """``100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1)``."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    epsilon = ops.convert_to_tensor(backend.epsilon(), dtype=y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    ratio = ops.abs((y_true - y_pred) / ops.maximum(ops.abs(y_true), epsilon))
    return 100.0 * ops.mean(ratio, axis=-1)


@_register(*_LOSS_AND_METRIC)
def mean_squared_logarithmic_error(y_true: Any, y_pred: Any) -> Any:
    """``mean(square(log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1)), axis=-1)``."""
    epsilon = ops.convert_to_tensor(backend.epsilon())
    y_true, y_pred = _aligned(y_true, y_pred)
    log_pred = ops.log(ops.maximum(y_pred, epsilon) + 1.0)
    log_true = ops.log(ops.maximum(y_true, epsilon) + 1.0)
    return ops.mean(ops.square(log_pred - log_true), axis=-1)


@_register(*_LOSS_AND_METRIC)
def huber(y_true: Any, y_pred: Any, delta: float = 1.0) -> Any:
    """Squared error for ``|error| <= delta``, linear beyond, averaged over the last axis.

    Per element: ``0.5 * e**2`` if ``|e| <= delta``, else ``delta * |e| - 0.5 * delta**2``.
    """
    y_true, y_pred = _aligned(y_true, y_pred)
    delta = ops.convert_to_tensor(delta, dtype=y_pred.dtype)
    error = ops.subtract(y_pred, y_true)
    abs_error = ops.abs(error)
    half = ops.convert_to_tensor(0.5, dtype=abs_error.dtype)
    quadratic = half * ops.square(error)
    linear = delta * abs_error - half * ops.square(delta)
    return ops.mean(ops.where(abs_error <= delta, quadratic, linear), axis=-1)


@_register(*_LOSS_AND_METRIC)
def log_cosh(y_true: Any, y_pred: Any) -> Any:
    """``mean(log(cosh(y_pred - y_true)), axis=-1)``, computed without overflow."""
    y_true, y_pred = _aligned(y_true, y_pred)
    log2 = ops.convert_to_tensor(ops.log(2.0), dtype=y_pred.dtype)
    x = y_pred - y_true
    # log(cosh(x)) = x + log(1 + exp(-2x)) - log(2) = x + softplus(-2x) - log(2)
    return ops.mean(x + ops.softplus(x * -2.0) - log2, axis=-1)


@builtin("keras.losses")
class MeanSquaredError(BuiltinLoss):
    """Mean of squared errors (see :func:`mean_squared_error`)."""

    def __init__(self, reduction: Any = "sum_over_batch_size",
                 name: str = "mean_squared_error", dtype: Any = None):
        super().__init__(mean_squared_error, name=name, reduction=reduction, dtype=dtype)


@builtin("keras.losses")
class MeanAbsoluteError(BuiltinLoss):
    """Mean of absolute errors (see :func:`mean_absolute_error`)."""

    def __init__(self, reduction: Any = "sum_over_batch_size",
                 name: str = "mean_absolute_error", dtype: Any = None):
        super().__init__(mean_absolute_error, name=name, reduction=reduction, dtype=dtype)


@builtin("keras.losses")
class MeanAbsolutePercentageError(BuiltinLoss):
    """Mean absolute percentage error (see :func:`mean_absolute_percentage_error`)."""

    def __init__(self, reduction: Any = "sum_over_batch_size",
                 name: str = "mean_absolute_percentage_error", dtype: Any = None):
        super().__init__(mean_absolute_percentage_error, name=name, reduction=reduction,
                         dtype=dtype)


@builtin("keras.losses")
class MeanSquaredLogarithmicError(BuiltinLoss):
    """Mean squared logarithmic error (see :func:`mean_squared_logarithmic_error`)."""

    def __init__(self, reduction: Any = "sum_over_batch_size",
                 name: str = "mean_squared_logarithmic_error", dtype: Any = None):
        super().__init__(mean_squared_logarithmic_error, name=name, reduction=reduction,
                         dtype=dtype)


@builtin("keras.losses")
class Huber(BuiltinLoss):
    """Huber loss (see :func:`huber`).

    Note: as upstream, the config holds only ``name`` and ``reduction``;
    ``delta`` is not saved.
    """

    def __init__(self, delta: float = 1.0, reduction: Any = "sum_over_batch_size",
                 name: str = "huber_loss", dtype: Any = None):
        super().__init__(huber, name=name, reduction=reduction, dtype=dtype, delta=delta)


@builtin("keras.losses")
class LogCosh(BuiltinLoss):
    """Mean log-cosh error (see :func:`log_cosh`)."""

    def __init__(self, reduction: Any = "sum_over_batch_size", name: str = "log_cosh",
                 dtype: Any = None):
        super().__init__(log_cosh, name=name, reduction=reduction, dtype=dtype)
