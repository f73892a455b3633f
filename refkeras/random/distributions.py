"""Sampling functions: ``normal``, ``uniform``, ``truncated_normal``, ``randint``.

Each draws a seed pair with :func:`~refkeras.random.seeding.draw_seed` and hands
it to the backend's stateless kernel, so an int seed always gives the same
values, on the same backend install the same bits as upstream Keras.
"""

from __future__ import annotations

from typing import Any

from refkeras import backend
from refkeras.random.seeding import draw_seed

Seed = Any  # int | SeedGenerator | None


def normal(shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None,
           seed: Seed = None) -> Any:
    """Samples from a normal distribution.

    Args:
        shape: the output shape.
        mean, stddev: the distribution's parameters.
        dtype: a float dtype; defaults to ``floatx()``.
        seed: an int (same values every call), a ``SeedGenerator`` (new
            values every call) or None (the global generator).

    >>> refkeras.random.normal((2, 3), seed=1)  # doctest: +SKIP
    """
    return backend.impl.random_normal(shape, draw_seed(seed), mean=mean, stddev=stddev,
                                      dtype=dtype)


def uniform(shape: Any, minval: float = 0.0, maxval: float = 1.0, dtype: Any = None,
            seed: Seed = None) -> Any:
    """Samples uniformly from ``[minval, maxval)``; ``dtype`` must be a float dtype."""
    if dtype and not backend.is_float_dtype(dtype):
        raise ValueError(
            "`keras.random.uniform` requires a floating point `dtype`. "
            f"Received: dtype={dtype} . Use e.g. dtype='float32', or `randint` for integers."
        )
    return backend.impl.random_uniform(shape, draw_seed(seed), minval=minval, maxval=maxval,
                                       dtype=dtype)


def truncated_normal(shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None,
                     seed: Seed = None) -> Any:
    """Samples from a normal distribution, re-drawing values beyond two ``stddev``."""
    return backend.impl.random_truncated_normal(shape, draw_seed(seed), mean=mean,
                                                stddev=stddev, dtype=dtype)


def randint(shape: Any, minval: int, maxval: int, dtype: Any = "int32",
            seed: Seed = None) -> Any:
    """Samples integers uniformly from ``[minval, maxval)``; ``dtype`` must be an int dtype."""
    if dtype and not backend.is_int_dtype(dtype):
        raise ValueError(
            "`keras.random.randint` requires an integer `dtype`. "
            f"Received: dtype={dtype} . Use e.g. dtype='int32', or `uniform` for floats."
        )
    return backend.impl.random_randint(shape, draw_seed(seed), minval=minval, maxval=maxval,
                                       dtype=dtype)
