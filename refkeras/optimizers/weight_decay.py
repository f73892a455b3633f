"""Decoupled weight decay: ``v <- v - v * weight_decay * learning_rate`` before each update.

Which variables decay is decided once per variable and cached; a variable is
excluded when it was listed in ``exclude_from_weight_decay(var_list=...)`` or
when one of the ``var_names`` patterns occurs in its name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from refkeras import ops


class WeightDecayExclusions:
    """The variables (by identity) and name patterns spared from weight decay."""

    def __init__(self, var_list: Iterable[Any] | None = None,
                 var_names: Iterable[str] | None = None):
        self._ids = {id(v) for v in var_list} if var_list else set()
        names = set(var_names) if var_names else set()
        # One alternation: a name is excluded when any pattern matches somewhere in it.
        self._pattern = re.compile("|".join(names)) if names else None
        self._cache: dict[int, bool] = {}

    def decays(self, variable: Any) -> bool:
        """Whether ``variable`` receives weight decay."""
        key = id(variable)
        if key not in self._cache:
            excluded = key in self._ids or (
                self._pattern is not None and self._pattern.search(variable.name) is not None)
            self._cache[key] = not excluded
        return self._cache[key]


def apply_weight_decay(variables: Iterable[Any], weight_decay: Any, learning_rate_fn: Any,
                       exclusions: WeightDecayExclusions) -> None:
    """Shrinks each decaying variable in place; ``learning_rate_fn()`` gives the current rate."""
    if weight_decay is None:
        return
    for variable in variables:
        if exclusions.decays(variable):
            lr = ops.cast(learning_rate_fn(), variable.dtype)
            wd = ops.cast(weight_decay, variable.dtype)
            variable.assign(variable - variable * wd * lr)
