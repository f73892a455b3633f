"""Seed handling: the global seed generator, ``draw_seed`` and ``set_random_seed``.

Every random function takes ``seed`` as an int (fixed values), a
``SeedGenerator`` (a new pair per call) or ``None`` (the global generator,
created on first use and dropped by :func:`set_random_seed`).
"""

from __future__ import annotations

import contextvars
import random as python_random
from typing import Any

import numpy as np

from refkeras import backend
from refkeras.random.seed_generator import SeedGenerator

# Per thread, like upstream's global state: a new thread starts with no global generator
# and no recorded seed (threads begin with an empty context).
_GLOBAL_GENERATOR: contextvars.ContextVar[SeedGenerator | None] = contextvars.ContextVar(
    "global_seed_generator", default=None)
_GLOBAL_SEED: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "global_random_seed", default=None)


def set_random_seed(seed: int) -> None:
    """Seeds Python's ``random``, NumPy, the backend framework, and refkeras's global generator.

    After ``set_random_seed(s)``, unseeded initializers and random calls made
    in the same order give the same values on every run (and the same values
    as upstream Keras after ``keras.utils.set_random_seed(s)``).
    """
    if not isinstance(seed, int):
        raise ValueError(
            "Expected `seed` argument to be an integer. "
            f"Received: seed={seed!r} (of type {type(seed)}). Pass a Python int."
        )
    _GLOBAL_SEED.set(seed)
    _GLOBAL_GENERATOR.set(None)  # re-created, from the newly seeded `random`, on next use
    python_random.seed(seed)
    np.random.seed(seed)
    backend.impl.seed_framework_rng(seed)


def get_random_seed() -> int | None:
    """The seed last given to :func:`set_random_seed` in this thread, else None."""
    return _GLOBAL_SEED.get()


def global_seed_generator() -> SeedGenerator:
    """The generator behind ``seed=None`` (created on first use)."""
    if backend.impl.in_tracing_scope():
        raise ValueError(
            "[JAX RNG] When tracing a JAX function, you should only use seeded random ops: "
            "unseeded ones would be traced as constants. Create a "
            "`refkeras.random.SeedGenerator(seed=1337)`, keep it as a layer attribute, and "
            "pass it as `seed=` to the random op."
        )
    generator = _GLOBAL_GENERATOR.get()
    if generator is None:
        generator = SeedGenerator()
        _GLOBAL_GENERATOR.set(generator)
    return generator


def draw_seed(seed: Any) -> Any:
    """The native seed pair for one draw, from an int, a ``SeedGenerator`` or None.

    An int ``s`` gives ``[s, 0]`` (the backend's ``RANDOM_SEED_DTYPE``); a
    generator gives its next pair; None uses the global generator.
    """
    if isinstance(seed, SeedGenerator):
        return seed.next()
    if isinstance(seed, int):
        return backend.impl.seed_from_int(seed)
    if seed is None:
        return global_seed_generator().next(ordered=False)
    raise ValueError(
        "Argument `seed` must be either an integer or an instance of `SeedGenerator`. "
        f"Received: seed={seed!r} (of type {type(seed)}). Pass an int for repeatable values, "
        "a SeedGenerator for fresh values per call, or None."
    )
