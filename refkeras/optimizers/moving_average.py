"""Exponential moving average (EMA) of the trained variables, kept by the optimizer.

After each update, ``average <- m * average + (1 - m) * variable`` with
``m = ema_momentum``, except on the very first step where ``m = 0`` (the
average starts at the variable). Every ``ema_overwrite_frequency`` steps, and
in ``finalize_variable_values``, the variables take their averages' values.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from refkeras import backend, ops


def update_averages(variables: Sequence[Any], averages: Sequence[Any], iterations: Any,
                    momentum: float) -> None:
    """One EMA step for each ``(variable, average)`` pair (``None`` averages skipped)."""
    for variable, average in zip(variables, averages):
        if average is None:
            continue
        not_first_step = ops.not_equal(iterations, 0)
        m = ops.multiply(ops.cast(not_first_step, variable.dtype), momentum)
        average.assign(ops.add(ops.multiply(m, average),
                               ops.multiply(ops.subtract(1, m), variable)))


def overwrite_with_averages(variables: Sequence[Any], averages: Sequence[Any]) -> None:
    """Each variable takes its average's value; the lists must pair up one to one."""
    if len(variables) != len(averages):
        raise ValueError(
            f"The length of model variables ({len(variables)}) to override does not match the "
            f"length of model variables stored in the optimizer ({len(averages)}). Please "
            "check if the optimizer was called on your model."
        )
    for variable, average in zip(variables, averages):
        if average is not None:
            variable.assign(average)


def overwrite_periodically(variables: Sequence[Any], averages: Sequence[Any], iterations: Any,
                           frequency: int) -> None:
    """:func:`overwrite_with_averages` when ``iterations + 1`` is a multiple of ``frequency``.

    The choice is a traced conditional on the values, so it also runs under ``jit``.
    """
    due = (iterations + 1) % frequency == 0
    current = [backend.convert_to_tensor(v) for v in variables]
    chosen = [c if a is None else backend.convert_to_tensor(a) for c, a in zip(current, averages)]
    new_values = ops.cond(due, lambda: list(chosen), lambda: list(current))
    for variable, value in zip(variables, new_values):
        variable.assign(value)
