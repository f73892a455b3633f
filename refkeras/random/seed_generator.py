"""``SeedGenerator``: a seed kept in a variable, advanced on every draw.

Random functions in refkeras are stateless: the same integer seed gives the
same values every time. A ``SeedGenerator`` supplies a fresh seed pair per
call instead, and because its state is a ``Variable`` it travels through
``StatelessScope`` and jitted training steps like any other state.
"""

from __future__ import annotations

import random as python_random
from typing import Any

from refkeras import backend
from refkeras.backend.naming import auto_name

# Upstream draws default seeds from Python's global `random` in [1, 10**9]; drawing the
# same way (same call, same range) keeps `set_random_seed` runs identical to upstream's.
_DEFAULT_SEED_RANGE = (1, 10**9)


def make_default_seed() -> int:
    """A fresh integer seed from Python's global ``random`` (reproducible after
    ``set_random_seed``)."""
    return python_random.randint(*_DEFAULT_SEED_RANGE)


def _check_int_seed(seed: Any) -> int:
    if not isinstance(seed, int):
        raise ValueError(
            f"Argument `seed` must be an integer. Received: seed={seed!r} "
            f"(of type {type(seed).__name__}). Pass a Python int, or None for a random one."
        )
    return seed


class SeedGenerator:
    """A stateful source of seeds for the stateless random functions.

    Args:
        seed: the initial integer seed; ``None`` draws one with
            :func:`make_default_seed`.
        name: the generator's name (its state variable lives under it).

    The state is the variable ``state``, shape ``(2,)``, holding ``[seed, 0]``
    at first. :meth:`next` returns the current pair and advances the state.

    >>> gen = SeedGenerator(42)  # doctest: +SKIP
    >>> a = refkeras.random.normal((2,), seed=gen)  # doctest: +SKIP
    >>> b = refkeras.random.normal((2,), seed=gen)  # differs from a  # doctest: +SKIP
    """

    def __init__(self, seed: int | None = None, name: str | None = None, **kwargs: Any):
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments: {kwargs}")
        self.name = name if name is not None else auto_name(type(self).__name__)
        self._initial_seed = seed
        start = _check_int_seed(make_default_seed() if seed is None else seed)

        def initial_state(shape: Any, dtype: Any = None) -> Any:
            return backend.convert_to_tensor([start, 0], dtype=dtype)

        with backend.name_scope(self.name, caller=self):
            self.state = backend.Variable(
                initial_state, shape=(2,), dtype=backend.impl.RANDOM_SEED_DTYPE,
                trainable=False, aggregation="none", name="seed_generator_state",
            )

    def next(self, ordered: bool = True) -> Any:
        """Returns the current seed pair (a native tensor) and advances the state.

        ``ordered=True`` adds 1 to the second element, so successive pairs are
        distinct. ``ordered=False`` (used by the global generator) jumps to
        ``(state + 1) * 5387 % 933199``, a cheap scramble whose pairs rarely repeat.
        """
        current, following = backend.impl.advance_seed_state(self.state.value, ordered)
        self.state.assign(following)
        return current

    def get_config(self) -> dict:
        """The constructor arguments: the initial seed as given (maybe None) and the name."""
        return {"seed": self._initial_seed, "name": self.name}

    @classmethod
    def from_config(cls, config: dict) -> SeedGenerator:
        """A new generator from :meth:`get_config`'s output."""
        return cls(**config)
