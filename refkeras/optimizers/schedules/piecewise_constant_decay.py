"""``PiecewiseConstantDecay``: a step function of the step count."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from refkeras import ops
from refkeras.backend import name_scope
from refkeras.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
from refkeras.serialization import builtin


@builtin("keras.optimizers.schedules")
class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[0]`` up to and including ``boundaries[0]``, ``values[i]`` on
    ``(boundaries[i-1], boundaries[i]]``, and ``values[-1]`` after the last boundary.

    >>> s = PiecewiseConstantDecay([100, 200], [1.0, 0.5, 0.1])  # doctest: +SKIP
    >>> s(100), s(101), s(500)                                     # doctest: +SKIP
    (1.0, 0.5, 0.1)
    """

    def __init__(self, boundaries: Sequence[Any], values: Sequence[Any],
                 name: str = "PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. "
                f"Received: boundaries={boundaries} of length {len(boundaries)}, and "
                f"values={values} of length {len(values)}."
            )
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step: Any) -> Any:
        with name_scope(self.name):
            step = ops.convert_to_tensor(step)
            # Boundaries compare in the step's dtype; the result has the values' dtype.
            bounds = [ops.cast(ops.convert_to_tensor(b), step.dtype) for b in self.boundaries]
            values = [ops.convert_to_tensor(v) for v in self.values]
            dtype = values[0].dtype
            # Sum of indicator(step in piece) * value over the pieces: branch-free, so it
            # traces without control flow.
            result = ops.convert_to_tensor(0, dtype=dtype)
            result += ops.cast(step <= bounds[0], dtype) * values[0]
            result += ops.cast(step > bounds[-1], dtype) * values[-1]
            for low, high, value in zip(bounds[:-1], bounds[1:], values[1:-1]):
                result += ops.cast((step > low) & (step <= high), dtype) * value
            return result

    def get_config(self) -> dict:
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}
