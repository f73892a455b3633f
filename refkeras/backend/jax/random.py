"""JAX random kernels named in ``contract.RANDOM_OPS``: stateless draws from a seed pair.

``seed`` is always a native ``uint32`` array of shape ``(2,)`` (see
``refkeras.random.seeding.draw_seed``). JAX accepts such an array directly as a
raw threefry key, which is how upstream Keras uses it, so the same pair gives
the same bits here and there. (``jax.random.PRNGKey(s)`` would be ``[0, s]``:
a different key.)
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from refkeras.backend import config

__all__ = [
    "RANDOM_SEED_DTYPE", "random_normal", "random_uniform", "random_truncated_normal",
    "random_randint", "random_dropout", "random_shuffle", "seed_framework_rng",
    "in_tracing_scope",
]

RANDOM_SEED_DTYPE = "uint32"


def random_normal(shape: Any, seed: Any, mean: Any = 0.0, stddev: Any = 1.0,
                  dtype: Any = None) -> Any:
    """Normal samples: a standard draw, then scaled and shifted in ``dtype``."""
    sample = jax.random.normal(seed, shape=shape, dtype=dtype or config.floatx())
    return sample * stddev + mean


def random_uniform(shape: Any, seed: Any, minval: Any = 0.0, maxval: Any = 1.0,
                   dtype: Any = None) -> Any:
    """Uniform samples in ``[minval, maxval)``."""
    return jax.random.uniform(seed, shape=shape, dtype=dtype or config.floatx(),
                              minval=minval, maxval=maxval)


def random_truncated_normal(shape: Any, seed: Any, mean: Any = 0.0, stddev: Any = 1.0,
                            dtype: Any = None) -> Any:
    """Normal samples cut at two standard deviations, then scaled and shifted."""
    sample = jax.random.truncated_normal(seed, shape=shape, lower=-2.0, upper=2.0,
                                         dtype=dtype or config.floatx())
    return sample * stddev + mean


def random_randint(shape: Any, seed: Any, minval: Any, maxval: Any,
                   dtype: Any = "int32") -> Any:
    """Integers in ``[minval, maxval)``."""
    return jax.random.randint(seed, shape=shape, dtype=dtype, minval=minval, maxval=maxval)


def random_dropout(inputs: Any, seed: Any, rate: float, noise_shape: Any = None) -> Any:
    """Zeroes entries with probability ``rate`` and scales the kept ones by ``1/(1-rate)``.

    ``noise_shape`` may hold ``None`` for "same as ``inputs``"; the mask is
    drawn at that shape and broadcast.
    """
    keep_prob = 1.0 - rate
    if noise_shape is None:
        noise_shape = inputs.shape
    else:
        noise_shape = [dim if dim is not None else inputs.shape[i]
                       for i, dim in enumerate(noise_shape)]
    mask = jax.random.bernoulli(seed, p=keep_prob, shape=noise_shape)
    mask = jnp.broadcast_to(mask, inputs.shape)
    return jax.lax.select(mask, inputs / keep_prob, jnp.zeros_like(inputs))


def random_shuffle(x: Any, seed: Any, axis: int = 0) -> Any:
    """``x`` with its slices along ``axis`` permuted."""
    return jax.random.permutation(seed, x, axis, independent=True)


def seed_framework_rng(seed: int) -> None:
    """JAX has no global random state, so there is nothing to seed."""
    del seed


def in_tracing_scope() -> bool:
    """True inside ``jax.jit`` (or another transformation) where arrays are tracers."""
    return isinstance(jnp.ones(()), jax.core.Tracer)
