"""``stateless_call``: a layer's ``call`` as a pure function of its state."""

from __future__ import annotations

from typing import Any

from refkeras.backend.stateless_scope import StatelessScope


def _check_lengths(layer: Any, argument: str, given: Any, expected: list) -> None:
    if len(given) != len(expected):
        cls = type(layer).__name__
        raise ValueError(
            f"Argument `{argument}` must be a list of tensors corresponding 1:1 to "
            f"{cls}().{argument}. Received list with length {len(given)}, but expected "
            f"{len(expected)} variables."
        )


def stateless_call(layer: Any, trainable_values: Any, non_trainable_values: Any, args: tuple,
                   kwargs: dict, return_losses: bool) -> tuple:
    """Runs ``layer.call`` with its variables read from the given values.

    Returns ``(outputs, new_non_trainable_values)``, plus the losses when
    ``return_losses``. The layer's variables are left untouched.
    """
    if not layer.built:
        raise ValueError(
            f"To call stateless_call, {type(layer).__name__} must be built (i.e. its "
            "variables must have been already created). You can build it by calling it on "
            "some data."
        )
    trainable = layer.trainable_variables
    non_trainable = layer.non_trainable_variables
    _check_lengths(layer, "trainable_variables", trainable_values, trainable)
    _check_lengths(layer, "non_trainable_variables", non_trainable_values, non_trainable)
    mapping = list(zip(trainable, trainable_values)) + list(
        zip(non_trainable, non_trainable_values))
    losses = None
    with StatelessScope(state_mapping=mapping, collect_losses=return_losses) as scope:
        outputs = layer.call(*args, **kwargs)
        if return_losses:
            losses = layer.losses
    new_values = [scope.get_current_value(v) for v in non_trainable]
    if return_losses:
        return outputs, new_values, losses
    return outputs, new_values
