"""``Regularizer`` (the base) and the norm penalties ``L1``, ``L2``, ``L1L2``.

A regularizer is called on a weight tensor and returns a scalar loss term.
Factors are validated as finite non-negative numbers and stored as Python
floats. ``L1`` stores its factor rounded to float32, as upstream does (so
``L1(0.01).get_config()`` gives ``{"l1": 0.009999999776482582}``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from refkeras import ops
from refkeras.serialization import builtin


@builtin("keras.regularizers")
class Regularizer:
    """Base class: subclasses implement ``__call__(x)`` and ``get_config()``."""

    def __call__(self, x: Any) -> Any:
        return 0.0

    @classmethod
    def from_config(cls, config: dict) -> Regularizer:
        return cls(**config)

    def get_config(self) -> dict:
        raise NotImplementedError(f"{self} does not implement get_config()")


@builtin("keras.regularizers")
class L1L2(Regularizer):
    """``l1 * sum(abs(x)) + l2 * sum(square(x))``; None factors count as 0."""

    def __init__(self, l1: float = 0.0, l2: float = 0.0):
        self.l1 = validate_float_arg(0.0 if l1 is None else l1, name="l1")
        self.l2 = validate_float_arg(0.0 if l2 is None else l2, name="l2")

    def __call__(self, x: Any) -> Any:
        penalty = ops.convert_to_tensor(0.0, dtype=x.dtype)
        if self.l1 != 0.0:
            penalty += ops.cast(self.l1, dtype=x.dtype) * ops.sum(ops.absolute(x))
        if self.l2 != 0.0:
            penalty += ops.cast(self.l2, dtype=x.dtype) * ops.sum(ops.square(x))
        return penalty

    def get_config(self) -> dict:
        return {"l1": self.l1, "l2": self.l2}


@builtin("keras.regularizers")
class L1(Regularizer):
    """``l1 * sum(abs(x))``."""

    def __init__(self, l1: float = 0.01):
        l1 = validate_float_arg(0.01 if l1 is None else l1, name="l1")
        self.l1 = float(np.float32(l1))  # upstream keeps it as a float32 tensor

    def __call__(self, x: Any) -> Any:
        return ops.cast(self.l1, dtype=x.dtype) * ops.sum(ops.absolute(x))

    def get_config(self) -> dict:
        return {"l1": self.l1}


@builtin("keras.regularizers")
class L2(Regularizer):
    """``l2 * sum(square(x))``."""

    def __init__(self, l2: float = 0.01):
        self.l2 = validate_float_arg(0.01 if l2 is None else l2, name="l2")

    def __call__(self, x: Any) -> Any:
        return ops.cast(self.l2, dtype=x.dtype) * ops.sum(ops.square(x))

    def get_config(self) -> dict:
        return {"l2": self.l2}


def validate_float_arg(value: Any, name: str) -> float:
    """``value`` as a float, if it is a finite, non-negative int or float."""
    if (not isinstance(value, (float, int)) or math.isinf(value) or math.isnan(value)
            or value < 0):
        raise ValueError(
            f"Invalid value for argument {name}: expected a non-negative float."
            f"Received: {name}={value}"
        )
    return float(value)
