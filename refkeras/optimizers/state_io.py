"""Reading and writing an optimizer's variables as a list or a weight-file store."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any


def set_weights(optimizer: Any, weights: Sequence[Any]) -> None:
    """Assigns ``weights`` to ``optimizer.variables`` in order (shapes must match)."""
    if not optimizer.built:
        raise ValueError(
            "You are calling `set_weights()` on an optimizer that has not yet been built. "
            "Please call `optimizer.build(trainable_variables)` to create the optimizer "
            "weights before calling `set_weights()`."
        )
    for variable, weight in zip(optimizer.variables, weights):
        if tuple(variable.shape) != tuple(weight.shape):
            raise ValueError(
                f"Optimizer variable {variable.path} has shape {variable.shape} not "
                f"compatible with provided weight shape {tuple(weight.shape)}."
            )
        variable.assign(weight)


def save_own_variables(optimizer: Any, store: Any) -> None:
    """``store["0"], store["1"], ...`` = the variables' values, in ``variables`` order."""
    for i, variable in enumerate(optimizer.variables):
        store[str(i)] = variable.numpy()


def load_own_variables(optimizer: Any, store: Any) -> None:
    """Assigns what :func:`save_own_variables` wrote; a count mismatch only warns
    (an optimizer that has not been built yet cannot take the state)."""
    variables = optimizer.variables
    if len(store.keys()) != len(variables):
        message = (
            f"Skipping variable loading for optimizer '{optimizer.name}', because it has "
            f"{len(variables)} variables whereas the saved optimizer has "
            f"{len(store.keys())} variables. "
        )
        if not variables:
            message += "This is likely because the optimizer has not been called/built yet."
        warnings.warn(message, stacklevel=3)
        return
    for i, variable in enumerate(variables):
        variable.assign(store[str(i)])
