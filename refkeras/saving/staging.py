"""Staged loading: read every object's values first, assign them only if all succeed.

Each object's ``load_own_variables`` runs inside a ``StagingScope`` (a
``StatelessScope`` that also remembers *which* variables were assigned), so
``variable.assign(value)`` is checked — shape, dtype conversion — and recorded,
but the variable keeps its value. Once every object has loaded without error,
``apply`` writes all the recorded values. A file that fails part-way therefore
leaves the model exactly as it was.

Only variable assignments are staged: an object whose ``load_own_variables``
changes plain Python attributes changes them at once.
"""

from __future__ import annotations

from typing import Any

from refkeras.backend.stateless_scope import StatelessScope


class StagingScope(StatelessScope):
    """A ``StatelessScope`` that keeps the assigned variables in assignment order."""

    def __init__(self) -> None:
        super().__init__()
        self.assigned: dict[int, Any] = {}

    def add_update(self, update: tuple) -> None:
        super().add_update(update)
        variable, _ = update
        self.assigned[id(variable)] = variable


class StagedUpdates:
    """Values read so far, waiting to be assigned: ``stage`` per object, then ``apply``."""

    def __init__(self) -> None:
        self._pending: dict[int, tuple[Any, Any]] = {}

    def stage(self, load: Any, store: Any) -> None:
        """Runs ``load(store)`` (a ``load_own_variables``) and records its assignments.

        Raises what ``load`` raises; nothing is recorded for it then.
        """
        with StagingScope() as scope:
            load(store)
        for key, variable in scope.assigned.items():
            self._pending[key] = (variable, scope.state_mapping[key])

    def apply(self) -> None:
        """Assigns every staged value (each already checked against its variable)."""
        for variable, value in self._pending.values():
            # Staging already converted the value to the variable's dtype and checked
            # its shape (``assign`` inside the StagingScope); write it as it is.
            variable._direct_assign(value)
        self._pending.clear()

    def __len__(self) -> int:
        return len(self._pending)
