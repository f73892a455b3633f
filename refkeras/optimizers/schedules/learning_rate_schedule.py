"""``LearningRateSchedule``: a serializable function from the step count to a learning rate."""

from __future__ import annotations

from typing import Any

from refkeras.serialization import builtin


@builtin("keras.optimizers.schedules")
class LearningRateSchedule:
    """Base of learning-rate schedules.

    A schedule is called with the optimizer's step counter (a scalar
    integer tensor or variable) and returns the learning rate for that step.
    Subclasses implement ``__call__(step)`` and ``get_config()``; pass an
    instance as an optimizer's ``learning_rate``.

    >>> class Halving(LearningRateSchedule):  # doctest: +SKIP
    ...     def __call__(self, step):
    ...         return 0.1 * ops.power(0.5, ops.cast(step, "float32"))
    ...     def get_config(self):
    ...         return {}
    """

    def __call__(self, step: Any) -> Any:
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `__call__(self, step)`."
        )

    def get_config(self) -> dict:
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `get_config()` in "
            "order to be serializable."
        )

    @classmethod
    def from_config(cls, config: dict) -> LearningRateSchedule:
        """Rebuilds the schedule from ``get_config()``'s dict."""
        return cls(**config)


def check_decay_steps(name: str, value: Any) -> None:
    """Decay lengths must be positive; the message names the argument and the value."""
    if value <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value}")
