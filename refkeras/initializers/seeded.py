"""``RandomInitializer``: the seed handling shared by every random initializer.

The seed is fixed at construction: an int is kept, ``None`` is replaced by
:func:`~refkeras.random.make_default_seed` (so each call of the initializer
gives the same values), and a ``SeedGenerator`` advances on every call.
``get_config`` reports the seed as it was given, so ``None`` stays ``None``.
"""

from __future__ import annotations

from typing import Any

from refkeras.initializers.base import Initializer
from refkeras.initializers.config_values import deserialize_value, serialize_value
from refkeras.random import SeedGenerator, make_default_seed


def _resolve_seed(seed: Any) -> int | SeedGenerator:
    if seed is None:
        return make_default_seed()
    if isinstance(seed, dict):
        seed = deserialize_value(seed)
    if not isinstance(seed, (int, SeedGenerator)):
        raise ValueError(
            "`seed` argument should be an instance of `keras.random.SeedGenerator()` or an "
            f"integer. Received: seed={seed!r} (of type {type(seed).__name__}). "
            "Pass a Python int, a SeedGenerator, or None."
        )
    return seed


class RandomInitializer(Initializer):
    """Base of the random initializers: stores ``seed`` as described in the module doc."""

    def __init__(self, seed: Any = None):
        self._init_seed = seed
        self.seed = _resolve_seed(seed)

    def get_config(self) -> dict:
        return {"seed": serialize_value(self._init_seed)}
