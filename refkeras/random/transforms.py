"""Random functions applied to an input: ``dropout`` and ``shuffle``."""

from __future__ import annotations

from typing import Any

from refkeras import backend
from refkeras.random.seeding import draw_seed


def dropout(inputs: Any, rate: float, noise_shape: Any = None, seed: Any = None) -> Any:
    """Zeroes each entry with probability ``rate``; kept entries are scaled by ``1/(1-rate)``.

    ``noise_shape`` (``None`` entries meaning "as in ``inputs``") shares one
    mask value along its size-1 axes. ``rate`` 0 returns ``inputs`` and rate 1
    returns zeros without consuming a seed.
    """
    if rate == 1.0:
        return backend.numeric.zeros_like(inputs)
    if rate == 0.0:
        return inputs
    # `inputs` goes to the kernel as given: on JAX a NumPy input is scaled by NumPy (true
    # division), a jax.Array by XLA (which may multiply by the reciprocal), as upstream.
    return backend.impl.random_dropout(inputs, draw_seed(seed), rate=rate,
                                       noise_shape=noise_shape)


def shuffle(x: Any, axis: int = 0, seed: Any = None) -> Any:
    """``x`` with its slices along ``axis`` in a random order."""
    return backend.impl.random_shuffle(x, draw_seed(seed), axis=axis)
