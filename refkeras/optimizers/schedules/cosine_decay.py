"""``CosineDecay``: an optional linear warmup, then a half cosine down to ``alpha``."""

from __future__ import annotations

import math
from typing import Any

from refkeras import ops
from refkeras.backend import name_scope
from refkeras.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule,
    check_decay_steps,
)
from refkeras.serialization import builtin


@builtin("keras.optimizers.schedules")
class CosineDecay(LearningRateSchedule):
    """Cosine annealing, with linear warmup when ``warmup_target`` is set.

    Without warmup, for ``step`` clamped to ``[0, decay_steps]``::

        lr = initial_learning_rate * ((1 - alpha) * 0.5 * (1 + cos(pi * step / decay_steps))
                                      + alpha)

    With ``warmup_target``, the rate first climbs linearly from
    ``initial_learning_rate`` to ``warmup_target`` over ``warmup_steps`` steps, then
    decays from ``warmup_target`` as above over the next ``decay_steps`` steps.
    """

    def __init__(self, initial_learning_rate: Any, decay_steps: Any, alpha: float = 0.0,
                 name: str = "CosineDecay", warmup_target: Any = None, warmup_steps: Any = 0):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target
        check_decay_steps("decay_steps", decay_steps)

    def _decayed(self, step: Any, decay_steps: Any, start: Any, dtype: Any) -> Any:
        # Scalars: step, decay_steps and start share `dtype`.
        with name_scope(self.name):
            fraction = ops.divide(step, decay_steps)
            pi = ops.convert_to_tensor(math.pi, dtype=dtype)
            cosine = 0.5 * (1.0 + ops.cos(ops.multiply(pi, fraction)))
            return ops.multiply(start, (1 - self.alpha) * cosine + self.alpha)

    def _warmed_up(self, step: Any, warmup_steps: Any, target: Any, initial: Any) -> Any:
        with name_scope(self.name):
            return (target - initial) * (step / warmup_steps) + initial

    def __call__(self, step: Any) -> Any:
        with name_scope(self.name):
            initial = ops.convert_to_tensor(self.initial_learning_rate)
            dtype = initial.dtype
            decay_steps = ops.cast(self.decay_steps, dtype)
            step = ops.cast(step, dtype)
            if self.warmup_target is None:
                return self._decayed(ops.minimum(step, decay_steps), decay_steps, initial, dtype)

            target = ops.cast(self.warmup_target, dtype)
            warmup_steps = ops.cast(self.warmup_steps, dtype)
            step = ops.minimum(step, decay_steps + warmup_steps)
            return ops.cond(
                step < warmup_steps,
                lambda: self._warmed_up(step, warmup_steps, target, initial),
                lambda: self._decayed(step - warmup_steps, decay_steps, target, dtype),
            )

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }
