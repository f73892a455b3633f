"""The learning rate an optimizer holds: a variable, a schedule, or a callable."""

from __future__ import annotations

from typing import Any

from refkeras import backend
from refkeras.optimizers.schedules.learning_rate_schedule import LearningRateSchedule


def is_dynamic(learning_rate: Any) -> bool:
    """True for schedules and other callables (no variable is kept for them)."""
    return isinstance(learning_rate, LearningRateSchedule) or callable(learning_rate)


def current_value(learning_rate: Any, iterations: Any) -> Any:
    """The rate for the step ``iterations``: the variable itself, a schedule's value, or the
    callable's result."""
    if isinstance(learning_rate, LearningRateSchedule):
        return learning_rate(iterations)
    if isinstance(learning_rate, backend.VariableBase):
        return learning_rate
    return learning_rate() if callable(learning_rate) else learning_rate


def replace(optimizer: Any, new: Any) -> None:
    """``optimizer.learning_rate = new``: a schedule or callable replaces the rate (and the
    variable leaves ``variables``); a number is assigned to the variable."""
    previous = optimizer._learning_rate
    if is_dynamic(new):
        optimizer._learning_rate = new
    elif isinstance(previous, LearningRateSchedule):
        raise TypeError(
            "This optimizer was created with a `LearningRateSchedule` object as its "
            "`learning_rate` constructor argument, hence its learning rate is not settable. If "
            "you need the learning rate to be settable, you should instantiate the optimizer "
            f"with a float `learning_rate` argument. Received: learning_rate={new}"
        )
    else:
        previous.assign(new)
    if (isinstance(previous, backend.VariableBase)
            and not isinstance(optimizer._learning_rate, backend.VariableBase)):
        optimizer._untrack_variable(previous)
