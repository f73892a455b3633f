"""Slot variables: per-trainable-variable optimizer state (momenta, velocities...).

A slot of ``reference`` named ``"momentum"`` is called
``"<reference.path with / replaced by _>_momentum"`` and has the reference's
shape and dtype.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from refkeras import initializers
from refkeras.optimizers.gradient_filtering import overwrites_with_gradient


def slot_name(reference_variable: Any, name: str | None) -> str:
    """The name of ``reference_variable``'s slot ``name`` (default ``"var"``)."""
    name = name or "var"
    if hasattr(reference_variable, "path"):
        return f"{reference_variable.path.replace('/', '_')}_{name}"
    plain = str(reference_variable.name).replace("/", "_").replace(":", "_")
    return f"{plain}_{name}"


def add_slots(optimizer: Any, trainable_variables: Iterable[Any], name: Any,
              initializer: Any) -> Any:
    """``optimizer.add_optimizer_variables``: see its docstring."""
    names = [name] if isinstance(name, str) else list(name)
    if isinstance(name, str):
        inits = [initializer]
    elif isinstance(initializer, (str, initializers.Initializer)):
        inits = [initializer] * len(names)
    else:
        inits = list(initializer)
    if len(names) != len(inits):
        raise ValueError(
            "The number of provided names must match the number of provided "
            f"initializers.  Received name='{name}', initializer='{initializer}'"
        )
    slots: tuple[list, ...] = tuple([] for _ in names)
    for variable in trainable_variables:
        # Interleaved: every slot of the first variable, then of the second, ...
        skip = overwrites_with_gradient(variable)
        for i, (one_name, one_init) in enumerate(zip(names, inits)):
            slots[i].append(None if skip else optimizer.add_variable_from_reference(
                variable, name=one_name, initializer=one_init))
    return slots[0] if isinstance(name, str) else slots
