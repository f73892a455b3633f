"""``ExponentialDecay``: ``initial_learning_rate * decay_rate ** (step / decay_steps)``."""

from __future__ import annotations

from typing import Any

from refkeras import ops
from refkeras.backend import name_scope
from refkeras.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule,
    check_decay_steps,
)
from refkeras.serialization import builtin


@builtin("keras.optimizers.schedules")
class ExponentialDecay(LearningRateSchedule):
    """The learning rate shrinks by ``decay_rate`` every ``decay_steps`` steps.

    With ``staircase=True`` the exponent ``step / decay_steps`` is floored, so
    the rate drops in discrete jumps. The computation runs in the dtype of
    ``initial_learning_rate`` as a tensor (float32 for a Python float).

    >>> ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)(20)  # doctest: +SKIP
    0.025
    """

    def __init__(self, initial_learning_rate: Any, decay_steps: Any, decay_rate: Any,
                 staircase: bool = False, name: str = "ExponentialDecay"):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name
        check_decay_steps("decay_steps", decay_steps)

    def __call__(self, step: Any) -> Any:
        with name_scope(self.name):
            initial = ops.convert_to_tensor(self.initial_learning_rate)
            dtype = initial.dtype
            exponent = ops.cast(step, dtype) / ops.cast(self.decay_steps, dtype)
            if self.staircase:
                exponent = ops.floor(exponent)
            return ops.multiply(initial, ops.power(ops.cast(self.decay_rate, dtype), exponent))

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }
