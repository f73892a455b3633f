"""``stateless_apply``: one optimizer step as a pure function of variable values."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from refkeras import backend


def check_stateless_arguments(optimizer: Any, optimizer_variables: Sequence[Any],
                              trainable_variables: Sequence[Any]) -> None:
    """The optimizer must be built, and both value lists must pair up with its variables."""
    name = type(optimizer).__name__
    if not optimizer.built:
        raise ValueError(
            f"To call `stateless_apply`, {name} must be built (i.e. its variables must have "
            "been created). You can build it via `optimizer.build(trainable_variables)`."
        )
    if len(optimizer_variables) != len(optimizer.variables):
        raise ValueError(
            "Argument `optimizer_variables` must be a list of tensors corresponding 1:1 to "
            f"{name}().variables. Received list with length {len(optimizer_variables)}, but "
            f"expected {len(optimizer.variables)} variables."
        )
    if len(trainable_variables) != len(optimizer._trainable_variables):
        raise ValueError(
            "Argument `optimizer_variables` must be a list of tensors corresponding 1:1 to the "
            "trainable variables list that the optimizer was built with. Received "
            f"len(trainable_variables) == {len(trainable_variables)} whereas the optimizer was "
            f"built with {len(optimizer._trainable_variables)} variables."
        )


def stateless_apply(optimizer: Any, optimizer_variables: Sequence[Any], grads: Sequence[Any],
                    trainable_variables: Sequence[Any]) -> tuple[list, list]:
    """Runs ``optimizer.apply(grads)`` inside a StatelessScope seeded with the given values
    and returns the values the variables would have afterwards."""
    check_stateless_arguments(optimizer, optimizer_variables, trainable_variables)
    model_variables = optimizer._trainable_variables
    own_variables = optimizer.variables
    mapping = (list(zip(model_variables, trainable_variables))
               + list(zip(own_variables, optimizer_variables)))
    with backend.StatelessScope(state_mapping=mapping) as scope:
        optimizer.apply(grads)
    return ([scope.get_current_value(v) for v in model_variables],
            [scope.get_current_value(v) for v in own_variables])
