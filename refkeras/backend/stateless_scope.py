"""``StatelessScope``: run code against given variable values without mutating them.

Inside the scope, reading a mapped variable returns the mapped value and
``assign`` records the new value in the scope instead of writing it. This is
what makes a layer call a pure function of its state (``stateless_call``, the
JAX train step).
"""

from __future__ import annotations

from typing import Any

from refkeras.backend import scopes
from refkeras.backend.variable import VariableBase, initialize_all_variables


class StatelessScope:
    """Context manager; ``state_mapping`` is an iterable of ``(variable, value)``.

    >>> with StatelessScope([(v, new_value)]) as scope:  # doctest: +SKIP
    ...     v.assign(v * 2)
    >>> scope.get_current_value(v)                        # doctest: +SKIP
    """

    def __init__(self, state_mapping: Any = None, collect_losses: bool = False,
                 initialize_variables: bool = True):
        self.collect_losses = collect_losses
        self.initialize_variables = initialize_variables
        self.losses: list = []
        self.state_mapping: dict[int, Any] = {}
        for variable, value in state_mapping or ():
            if not isinstance(variable, VariableBase):
                raise ValueError(
                    "Invalid reference variable in StatelessScope: all keys in argument "
                    f"`mapping` must be Variable instances. Received instead: {variable}"
                )
            if isinstance(value, VariableBase):
                value = variable._cast(value.value, variable._dtype)
            else:
                value = variable._convert_to_tensor(value, dtype=variable._dtype)
            if tuple(value.shape) != variable.shape:
                raise ValueError(
                    "Invalid variable value in StatelessScope: all values in argument "
                    "`mapping` must be tensors with a shape that matches the corresponding "
                    f"variable shape. For variable {variable}, received invalid value {value} "
                    f"with shape {tuple(value.shape)}."
                )
            self.state_mapping[id(variable)] = value
        self._token = None

    def __enter__(self) -> StatelessScope:
        self._token = scopes.STATELESS.set(self)
        return self

    def __exit__(self, *exc: Any) -> None:
        scopes.STATELESS.reset(self._token)
        if self.initialize_variables and scopes.STATELESS.get() is None:
            # Back outside every stateless scope: variables created inside get values now.
            initialize_all_variables()

    def add_loss(self, loss: Any) -> None:
        self.losses.append(loss)

    def add_update(self, update: tuple) -> None:
        variable, value = update
        self.state_mapping[id(variable)] = value

    def get_current_value(self, variable: Any, default: Any = None) -> Any:
        """The value ``variable`` has in this scope (``default`` when unmapped)."""
        return self.state_mapping.get(id(variable), default)
