"""``Constraint`` (the base) and the weight constraints ``MaxNorm``, ``MinMaxNorm``,
``NonNeg`` and ``UnitNorm``.

A constraint is called on a weight tensor after each optimizer update and
returns the projected weight. Norms are taken over ``axis`` (0 by default: for
a Dense kernel of shape (input_dim, units), the norm of each unit's incoming
weights).
"""

from __future__ import annotations

from typing import Any

from refkeras import backend, ops
from refkeras.serialization import builtin


@builtin("keras.constraints")
class Constraint:
    """Base class: the identity. Subclasses implement ``__call__(w)`` and ``get_config``."""

    def __call__(self, w: Any) -> Any:
        return w

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict) -> Constraint:
        return cls(**config)


def _norms(w: Any, axis: Any) -> Any:
    # L2 norms over `axis`, kept as size-1 dims so they broadcast against `w`.
    return ops.sqrt(ops.sum(ops.square(w), axis=axis, keepdims=True))


@builtin("keras.constraints")
class MaxNorm(Constraint):
    """Rescales weights whose norm over ``axis`` exceeds ``max_value``."""

    def __init__(self, max_value: float = 2, axis: Any = 0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w: Any) -> Any:
        w = backend.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        desired = ops.clip(norms, 0, self.max_value)
        return ops.cast(w, norms.dtype) * (desired / (backend.epsilon() + norms))

    def get_config(self) -> dict:
        return {"max_value": self.max_value, "axis": self.axis}


@builtin("keras.constraints")
class NonNeg(Constraint):
    """Sets negative weights to 0."""

    def __call__(self, w: Any) -> Any:
        return ops.maximum(backend.convert_to_tensor(w), 0)


@builtin("keras.constraints")
class UnitNorm(Constraint):
    """Divides weights by their norm over ``axis``."""

    def __init__(self, axis: Any = 0):
        self.axis = axis

    def __call__(self, w: Any) -> Any:
        w = backend.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        return ops.cast(w, norms.dtype) / (backend.epsilon() + norms)

    def get_config(self) -> dict:
        return {"axis": self.axis}


@builtin("keras.constraints")
class MinMaxNorm(Constraint):
    """Moves each norm over ``axis`` toward ``[min_value, max_value]``, by fraction ``rate``."""

    def __init__(self, min_value: float = 0.0, max_value: float = 1.0, rate: float = 1.0,
                 axis: Any = 0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w: Any) -> Any:
        w = backend.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        clipped = ops.clip(norms, self.min_value, self.max_value)
        desired = self.rate * clipped + (1 - self.rate) * norms
        return ops.cast(w, norms.dtype) * (desired / (backend.epsilon() + norms))

    def get_config(self) -> dict:
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate,
                "axis": self.axis}
