"""The gradients that never reach ``update_step``: missing ones, and those that
replace their variable outright (``variable.overwrite_with_gradient``)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from refkeras import backend, ops


def drop_missing_gradients(grads: Sequence[Any], variables: Sequence[Any]) -> tuple[list, list]:
    """Removes ``None`` gradients with their variables, warning about them.

    Raises ValueError when no gradient at all is left.
    """
    kept_grads, kept_vars, missing = [], [], []
    for grad, variable in zip(grads, variables):
        if grad is None:
            missing.append(getattr(variable, "path", None) or variable.name)
        else:
            kept_grads.append(grad)
            kept_vars.append(variable)
    if not kept_grads:
        raise ValueError(
            "No gradients provided for any variable. Check that the loss depends on the "
            "trainable variables."
        )
    if missing:
        warnings.warn(
            f"Gradients do not exist for variables {missing} when minimizing the loss. If using "
            "`model.compile()`, did you forget to provide a `loss` argument?",
            stacklevel=3,
        )
    return kept_grads, kept_vars


def overwrites_with_gradient(variable: Any) -> bool:
    """True for variables whose new value *is* their gradient (e.g. float8 scales)."""
    return getattr(variable, "overwrite_with_gradient", False)


def apply_overwrites(optimizer: Any, grads: Sequence[Any],
                     variables: Sequence[Any]) -> tuple[list, list]:
    """Assigns gradients to overwrite-with-gradient variables; returns the remaining pairs.

    With gradient accumulation, such a variable keeps the running maximum of its
    gradients and takes it on update steps.
    """
    if not any(overwrites_with_gradient(v) for v in variables):
        return list(grads), list(variables)
    kept_grads, kept_vars = [], []
    for grad, variable in zip(grads, variables):
        if not overwrites_with_gradient(variable):
            kept_grads.append(grad)
            kept_vars.append(variable)
        elif optimizer.gradient_accumulation_steps:
            _overwrite_accumulated(optimizer, grad, variable)
        else:
            variable.assign(grad)
    return kept_grads, kept_vars


def _overwrite_accumulated(optimizer: Any, grad: Any, variable: Any) -> None:
    steps = optimizer.gradient_accumulation_steps
    is_update_step = (optimizer._iterations + 1) % steps == 0
    accumulator = optimizer._accumulated_gradients[optimizer._get_variable_index(variable)]
    running_max = ops.maximum(grad, accumulator)
    new_accumulator = ops.cond(is_update_step, lambda: ops.zeros(grad.shape, dtype=grad.dtype),
                               lambda: running_max)
    new_grad = ops.cond(is_update_step, lambda: running_max, lambda: grad)
    variable.assign(ops.cond(is_update_step, lambda: new_grad, lambda: backend.convert_to_tensor(variable)))
    accumulator.assign(new_accumulator)
