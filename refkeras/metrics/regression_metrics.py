"""Regression metrics: running means of the regression loss functions (lower is better)."""

from __future__ import annotations

from typing import Any

from refkeras.losses import regression
from refkeras.metrics.reduction_metrics import MeanMetricWrapper
from refkeras.serialization import builtin


class _ErrorMetric(MeanMetricWrapper):
    """The running mean of a built-in error function; config is ``{"name", "dtype"}``."""

    def __init__(self, fn: Any, name: str, dtype: Any):
        super().__init__(fn, name, dtype=dtype)
        self._direction = "down"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


@builtin("keras.metrics")
class MeanSquaredError(_ErrorMetric):
    """Mean of ``mean_squared_error`` over all samples seen."""

    def __init__(self, name: str = "mean_squared_error", dtype: Any = None):
        super().__init__(regression.mean_squared_error, name=name, dtype=dtype)


@builtin("keras.metrics")
class MeanAbsoluteError(_ErrorMetric):
    """Mean of ``mean_absolute_error`` over all samples seen."""

    def __init__(self, name: str = "mean_absolute_error", dtype: Any = None):
        super().__init__(regression.mean_absolute_error, name=name, dtype=dtype)


@builtin("keras.metrics")
class MeanAbsolutePercentageError(_ErrorMetric):
    """Mean of ``mean_absolute_percentage_error`` over all samples seen."""

    def __init__(self, name: str = "mean_absolute_percentage_error", dtype: Any = None):
        super().__init__(regression.mean_absolute_percentage_error, name=name, dtype=dtype)


@builtin("keras.metrics")
class MeanSquaredLogarithmicError(_ErrorMetric):
    """Mean of ``mean_squared_logarithmic_error`` over all samples seen."""

    def __init__(self, name: str = "mean_squared_logarithmic_error", dtype: Any = None):
        super().__init__(regression.mean_squared_logarithmic_error, name=name, dtype=dtype)
