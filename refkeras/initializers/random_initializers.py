"""Initializers drawing from a fixed distribution: ``RandomNormal``, ``TruncatedNormal``,
``RandomUniform``."""

from __future__ import annotations

from typing import Any

from refkeras import backend
from refkeras.initializers.seeded import RandomInitializer
from refkeras.random import draw_seed


class RandomNormal(RandomInitializer):
    """Samples from a normal distribution ``N(mean, stddev**2)``.

    Args:
        mean, stddev: the distribution's parameters.
        seed: an int or None (the same values on every call) or a
            ``SeedGenerator`` (new values on every call).

    >>> RandomNormal(stddev=1.0, seed=0)((2, 2))  # doctest: +SKIP
    """

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: Any = None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape: Any, dtype: Any = None) -> Any:
        return backend.impl.random_normal(shape, draw_seed(self.seed), mean=self.mean,
                                          stddev=self.stddev, dtype=dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class TruncatedNormal(RandomInitializer):
    """Like :class:`RandomNormal`, but values more than two ``stddev`` from the mean
    are re-drawn (so the actual standard deviation is about ``0.88 * stddev``)."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: Any = None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape: Any, dtype: Any = None) -> Any:
        return backend.impl.random_truncated_normal(shape, draw_seed(self.seed), mean=self.mean,
                                                    stddev=self.stddev, dtype=dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class RandomUniform(RandomInitializer):
    """Samples uniformly from ``[minval, maxval)``."""

    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed: Any = None):
        self.minval = minval
        self.maxval = maxval
        super().__init__(seed=seed)

    def __call__(self, shape: Any, dtype: Any = None) -> Any:
        return backend.impl.random_uniform(shape, draw_seed(self.seed), minval=self.minval,
                                           maxval=self.maxval, dtype=dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}
