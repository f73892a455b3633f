"""TensorFlow random kernels named in ``contract.RANDOM_OPS``: stateless draws.

``seed`` is a native ``int64`` tensor of shape ``(2,)`` (an ``int64`` variable
is what a seed generator can keep on any device). ``tf.random.stateless_*``
want ``int32`` seeds to compile under XLA, so each kernel first folds the pair
into ``[0, 2**31 - 2)`` with a floor-mod, as upstream Keras does; equal pairs
therefore give equal bits in both libraries.
"""

from __future__ import annotations

from typing import Any

import tensorflow as tf

from refkeras.backend import config
from refkeras.backend.dtypes import standardize_dtype

__all__ = [
    "RANDOM_SEED_DTYPE", "random_normal", "random_uniform", "random_truncated_normal",
    "random_randint", "random_dropout", "random_shuffle", "seed_framework_rng",
    "in_tracing_scope", "advance_seed_state", "seed_from_int",
]

RANDOM_SEED_DTYPE = "int64"
_SEED_MODULUS = 2**31 - 2  # tf.int32.max - 1


def _int32_seed(seed: Any) -> Any:
    if standardize_dtype(seed.dtype) == "int32":
        return seed
    return tf.cast(tf.math.floormod(seed, _SEED_MODULUS), "int32")


def random_normal(shape: Any, seed: Any, mean: Any = 0.0, stddev: Any = 1.0,
                  dtype: Any = None) -> Any:
    """Normal samples (TF scales and shifts in ``dtype``)."""
    return tf.random.stateless_normal(shape=shape, mean=mean, stddev=stddev,
                                      dtype=dtype or config.floatx(), seed=_int32_seed(seed))


def random_uniform(shape: Any, seed: Any, minval: Any = 0.0, maxval: Any = 1.0,
                   dtype: Any = None) -> Any:
    """Uniform samples in ``[minval, maxval)``; the bounds are cast to ``dtype`` first."""
    dtype = dtype or config.floatx()
    return tf.random.stateless_uniform(shape=shape, minval=tf.cast(minval, dtype),
                                       maxval=tf.cast(maxval, dtype), dtype=dtype,
                                       seed=_int32_seed(seed))


def random_truncated_normal(shape: Any, seed: Any, mean: Any = 0.0, stddev: Any = 1.0,
                            dtype: Any = None) -> Any:
    """Normal samples re-drawn beyond two standard deviations."""
    return tf.random.stateless_truncated_normal(shape=shape, mean=mean, stddev=stddev,
                                                dtype=dtype or config.floatx(),
                                                seed=_int32_seed(seed))


def random_randint(shape: Any, seed: Any, minval: Any, maxval: Any,
                   dtype: Any = "int32") -> Any:
    """Integers in ``[minval, maxval)``; TF draws only int32/int64, so others are cast."""
    draw_dtype = dtype if standardize_dtype(dtype) in ("int32", "int64") else "int64"
    out = tf.random.stateless_uniform(shape=shape, minval=minval, maxval=maxval,
                                      dtype=draw_dtype, seed=_int32_seed(seed))
    return tf.cast(out, dtype)


def random_dropout(inputs: Any, seed: Any, rate: float, noise_shape: Any = None) -> Any:
    """Zeroes entries with probability ``rate`` and scales the kept ones by ``1/(1-rate)``."""
    if noise_shape is None:
        noise_shape = tf.shape(inputs)
    else:
        dynamic = tf.shape(inputs)
        noise_shape = [dynamic[i] if dim is None else dim for i, dim in enumerate(noise_shape)]
    return tf.nn.experimental.stateless_dropout(inputs, rate=rate, noise_shape=noise_shape,
                                                seed=_int32_seed(seed))


def random_shuffle(x: Any, seed: Any, axis: int = 0) -> Any:
    """``x`` with its slices along ``axis`` permuted (argsort of uniform keys)."""
    keys = tf.random.stateless_uniform(shape=[tf.shape(x)[axis]], seed=_int32_seed(seed))
    return tf.gather(x, tf.argsort(keys), axis=axis)


def seed_framework_rng(seed: int) -> None:
    """Seeds TensorFlow's own global generator (used by stateful ``tf.random`` ops)."""
    tf.random.set_seed(seed)


def in_tracing_scope() -> bool:
    """Always False: TensorFlow graphs may use the global seed generator."""
    return False


def advance_seed_state(state: Any, ordered: bool) -> tuple[Any, Any]:
    """``(a copy of state, the next state)`` for a seed generator (see ``SeedGenerator.next``)."""
    current = state * 1  # its own tensor: later assignments to the variable leave it alone
    if ordered:
        return current, state + tf.constant([0, 1], dtype=state.dtype)
    return current, (state + 1) * 5387 % 933199


def seed_from_int(seed: int) -> Any:
    """The seed pair ``[seed, 0]`` as an ``int64`` tensor."""
    return tf.constant([seed, 0], dtype=RANDOM_SEED_DTYPE)
