"""JAX random kernels named in ``contract.RANDOM_OPS``: stateless draws from a seed pair.

``seed`` is always a native ``uint32`` array of shape ``(2,)`` (see
``refkeras.random.seeding.draw_seed``). JAX accepts such an array directly as a
raw threefry key, which is how upstream Keras uses it, so the same pair gives
the same bits here and there. (``jax.random.PRNGKey(s)`` would be ``[0, s]``:
a different key.)
"""

from __future__ import annotations

import functools
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from refkeras.backend import config
from refkeras.backend.jax.core import in_tracing_scope

__all__ = [
    "RANDOM_SEED_DTYPE", "random_normal", "random_uniform", "random_truncated_normal",
    "random_randint", "random_dropout", "random_shuffle", "seed_framework_rng",
    "in_tracing_scope", "advance_seed_state", "seed_from_int",
]

RANDOM_SEED_DTYPE = "uint32"


@functools.partial(jax.jit, static_argnums=(0, 2, 3))
def _draw(sampler: Any, seed: Any, shape: tuple, dtype: str, *bounds: Any) -> Any:
    # ``jax.random``'s samplers are jitted already; calling them through one more
    # (cached) jit skips their eager argument checks, about half the cost of a small
    # draw. The program, and so every bit, is the sampler's own. Only the draw is
    # compiled here: scaling and shifting stay separate ops, as upstream runs them.
    return sampler(seed, shape, dtype, *bounds)


def _truncated_standard_normal(seed: Any, shape: tuple, dtype: str) -> Any:
    return jax.random.truncated_normal(seed, -2.0, 2.0, shape=shape, dtype=dtype)


def _static(shape: Any) -> tuple:
    return tuple(shape)


def random_normal(shape: Any, seed: Any, mean: Any = 0.0, stddev: Any = 1.0,
                  dtype: Any = None) -> Any:
    """Normal samples: a standard draw, then scaled and shifted in ``dtype``."""
    sample = _draw(jax.random.normal, seed, _static(shape), dtype or config.floatx())
    return sample * stddev + mean


def random_uniform(shape: Any, seed: Any, minval: Any = 0.0, maxval: Any = 1.0,
                   dtype: Any = None) -> Any:
    """Uniform samples in ``[minval, maxval)``."""
    return _draw(jax.random.uniform, seed, _static(shape), dtype or config.floatx(),
                 minval, maxval)


def random_truncated_normal(shape: Any, seed: Any, mean: Any = 0.0, stddev: Any = 1.0,
                            dtype: Any = None) -> Any:
    """Normal samples cut at two standard deviations, then scaled and shifted."""
    sample = _draw(_truncated_standard_normal, seed, _static(shape), dtype or config.floatx())
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


@functools.partial(jax.jit, static_argnums=1)
def _advance(state: Any, ordered: bool) -> tuple[Any, Any]:
    # One compiled program instead of three or four eager integer ops; uint32
    # arithmetic wraps the same way in either form.
    if ordered:
        return state * 1, state + jnp.array([0, 1], dtype=state.dtype)
    return state * 1, (state + 1) * 5387 % 933199


def advance_seed_state(state: Any, ordered: bool) -> tuple[Any, Any]:
    """``(a copy of state, the next state)`` for a seed generator (see ``SeedGenerator.next``).

    The copy is a buffer of its own, so a seed handed out stays valid when the
    generator's state is later donated to a jitted step.
    """
    return _advance(state, bool(ordered))


@jax.jit
def _pair_with_zero(seed: Any) -> Any:
    return jnp.stack([seed, jnp.zeros((), seed.dtype)])


def seed_from_int(seed: int) -> Any:
    """The seed pair ``[seed, 0]`` as a ``uint32`` array (one compiled call, no casts)."""
    if 0 <= seed <= np.iinfo(np.uint32).max:
        return _pair_with_zero(np.uint32(seed))
    return jnp.asarray([seed, 0], dtype=RANDOM_SEED_DTYPE)  # raises JAX's overflow error
