"""Sampling functions: determinism, dtypes, and statistics.

Statistical checks use a fixed seed, so each outcome is deterministic and CI cannot flake.
The bounds are 6 standard errors: were the seed drawn at random, a correct sampler would fail
one check with probability about 2e-9.
"""

import math

import numpy as np
import pytest

from refkeras import backend
from refkeras import random as rk_random

Z = 6.0  # standard errors allowed (two-sided false-failure rate ~2e-9 per check)
N = 20_000


def sample(fn, *args, **kwargs):
    return np.asarray(fn(*args, **kwargs)).astype("float64")


def test_int_seed_repeats_and_differs_between_seeds():
    a = sample(rk_random.normal, (5,), seed=1)
    np.testing.assert_array_equal(a, sample(rk_random.normal, (5,), seed=1))
    assert not np.array_equal(a, sample(rk_random.normal, (5,), seed=2))


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float32"])
def test_dtype_and_default_floatx(dtype):
    assert backend.standardize_dtype(rk_random.uniform((2,), dtype=dtype, seed=1).dtype) == dtype
    assert backend.standardize_dtype(rk_random.normal((2,), seed=1).dtype) == "float32"


def test_dtype_validation():
    with pytest.raises(ValueError, match="requires a floating point `dtype`"):
        rk_random.uniform((2,), dtype="int32")
    with pytest.raises(ValueError, match="requires an integer `dtype`"):
        rk_random.randint((2,), 0, 4, dtype="float32")


def test_normal_moments():
    rk_random.set_random_seed(1234)
    x = sample(rk_random.normal, (N,), mean=2.0, stddev=3.0)  # seed=None: global generator
    assert abs(x.mean() - 2.0) < Z * 3.0 / math.sqrt(N)
    # Var of the sample variance of a normal is 2 sigma^4 / (N - 1).
    assert abs(x.var() - 9.0) < Z * 9.0 * math.sqrt(2.0 / (N - 1))


def test_truncated_normal_bounds_and_spread():
    x = sample(rk_random.truncated_normal, (N,), mean=1.0, stddev=0.5, seed=77)
    assert x.min() >= 1.0 - 2 * 0.5 and x.max() <= 1.0 + 2 * 0.5
    # A standard normal cut at +-2 has stddev 0.8796; its sample variance has a standard
    # error below sqrt(2 / N) * 0.8796**2, which bounds this check.
    expected = 0.5 * 0.87962566103423978
    assert abs(x.std() - expected) < Z * expected * math.sqrt(2.0 / N)


def test_uniform_bounds_and_mean():
    x = sample(rk_random.uniform, (N,), minval=-1.0, maxval=3.0, seed=5)
    assert x.min() >= -1.0 and x.max() < 3.0
    assert abs(x.mean() - 1.0) < Z * (4.0 / math.sqrt(12)) / math.sqrt(N)


def test_randint_range_covers_all_values():
    x = np.asarray(rk_random.randint((N,), 3, 9, seed=8))
    assert set(x.tolist()) == set(range(3, 9))


def test_dropout_scales_kept_values_and_drops_about_rate():
    x = np.ones((N,), "float32")
    y = np.asarray(rk_random.dropout(x, 0.25, seed=3))
    kept = y[y != 0]
    np.testing.assert_allclose(kept, 1 / 0.75, rtol=1e-6)
    dropped = 1 - kept.size / N
    assert abs(dropped - 0.25) < Z * math.sqrt(0.25 * 0.75 / N)


def test_dropout_noise_shape_shares_the_mask():
    y = np.asarray(rk_random.dropout(np.ones((4, 50), "float32"), 0.5, noise_shape=(None, 1),
                                     seed=1))
    assert all(len(set(row.tolist())) == 1 for row in y)


def test_dropout_rate_zero_and_one_do_not_advance_a_generator():
    gen = rk_random.SeedGenerator(1, name="g")
    x = np.ones((3,), "float32")
    assert rk_random.dropout(x, 0.0, seed=gen) is x
    np.testing.assert_array_equal(np.asarray(rk_random.dropout(x, 1.0, seed=gen)), 0 * x)
    assert gen.state.numpy().tolist() == [1, 0]


def test_shuffle_is_a_permutation_along_axis():
    x = np.arange(12).reshape(3, 4)
    y = np.asarray(rk_random.shuffle(x, axis=1, seed=2))
    # Each row keeps its own values (JAX permutes rows independently, TF alike).
    np.testing.assert_array_equal(np.sort(y, axis=1), x)
    assert not np.array_equal(y, x)
