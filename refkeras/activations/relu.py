"""``relu`` with its options (leak, cap, threshold) and its graph op ``ReLU``."""

from __future__ import annotations

from typing import Any

from refkeras import backend, ops
from refkeras.backend import numeric
from refkeras.graph.keras_tensor import KerasTensor, any_symbolic_tensors
from refkeras.graph.operation import Operation


def relu(x: Any, negative_slope: float = 0.0, max_value: float | None = None,
         threshold: float = 0.0) -> Any:
    """Rectified linear unit, generalised.

    ``x`` above ``threshold``, 0 at or below it; then capped at ``max_value``
    when given; then, when ``negative_slope`` is set, ``negative_slope *
    (x - threshold)`` added below the threshold.

    >>> import numpy as np
    >>> np.asarray(relu(np.array([-2.0, 0.5, 9.0]), max_value=6.0)).tolist()
    [0.0, 0.5, 6.0]
    """
    if any_symbolic_tensors((x,)):
        return ReLU(negative_slope=negative_slope, max_value=max_value, threshold=threshold)(x)
    return ReLU.static_call(x, negative_slope=negative_slope, max_value=max_value,
                            threshold=threshold)


class ReLU(Operation):
    """The graph op recorded by :func:`relu` on KerasTensors."""

    def __init__(self, negative_slope: float = 0.0, max_value: float | None = None,
                 threshold: float = 0.0, name: str | None = None):
        super().__init__(name=name)
        self.negative_slope = negative_slope
        self.max_value = max_value
        self.threshold = threshold

    def call(self, x: Any) -> Any:
        return self.static_call(x, negative_slope=self.negative_slope,
                                max_value=self.max_value, threshold=self.threshold)

    def compute_output_spec(self, x: Any) -> KerasTensor:
        return KerasTensor(x.shape, x.dtype)

    @staticmethod
    def static_call(x: Any, negative_slope: float = 0.0, max_value: float | None = None,
                    threshold: float = 0.0) -> Any:
        """The eager computation, in upstream's order of operations (for identical bits)."""
        x = backend.convert_to_tensor(x)
        if negative_slope != 0.0:
            if max_value is None and threshold == 0:
                return numeric.leaky_relu(x, negative_slope=negative_slope)
            # The leak, measured from the threshold: relu(threshold - x).
            below = numeric.relu(-x + threshold) if threshold != 0 else numeric.relu(-x)
        else:
            below = 1
        cap = max_value is not None
        if threshold != 0:
            cut = ops.cast(threshold, dtype=x.dtype)
            x = ops.where(numeric.greater(x, cut), x, 0)
        elif max_value == 6:
            x = numeric.relu6(x)  # a dedicated kernel; no separate clip needed
            cap = False
        else:
            x = numeric.relu(x)
        if cap:
            x = numeric.clip(x, ops.cast(0.0, dtype=x.dtype), ops.cast(max_value, dtype=x.dtype))
        if negative_slope != 0.0:
            x -= negative_slope * below
        return x
