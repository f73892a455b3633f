"""SeedGenerator: state variable, next(), config (expected values from first principles)."""

import random as python_random

import numpy as np
import pytest

from refkeras import backend
from refkeras.random import SeedGenerator, make_default_seed


def test_state_starts_at_seed_zero_pair():
    gen = SeedGenerator(42, name="g")
    assert gen.state.numpy().tolist() == [42, 0]
    assert gen.state.shape == (2,) and gen.state.trainable is False
    assert gen.state.dtype == backend.impl.RANDOM_SEED_DTYPE
    assert gen.state.path == "g/seed_generator_state"


def test_ordered_next_returns_then_increments_second_element():
    gen = SeedGenerator(7, name="g")
    pairs = [np.asarray(gen.next()).tolist() for _ in range(3)]
    assert pairs == [[7, 0], [7, 1], [7, 2]]
    assert gen.state.numpy().tolist() == [7, 3]


def test_unordered_next_scrambles_elementwise():
    gen = SeedGenerator(7, name="g")
    assert np.asarray(gen.next(ordered=False)).tolist() == [7, 0]
    assert gen.state.numpy().tolist() == [(8 * 5387) % 933199, 5387 % 933199]


def test_unseeded_generator_uses_make_default_seed():
    python_random.seed(5)
    expected = python_random.randint(1, 10**9)
    python_random.seed(5)
    assert SeedGenerator(name="g").state.numpy().tolist() == [expected, 0]


def test_make_default_seed_range():
    python_random.seed(0)
    seeds = [make_default_seed() for _ in range(1000)]
    assert all(1 <= s <= 10**9 for s in seeds)


@pytest.mark.parametrize("bad", [1.5, "3", np.int64(3)])
def test_non_int_seed_is_rejected(bad):
    with pytest.raises(ValueError, match="Argument `seed` must be an integer"):
        SeedGenerator(bad)


def test_unknown_keyword_is_rejected():
    with pytest.raises(ValueError, match="Unrecognized keyword arguments"):
        SeedGenerator(1, colour="red")


def test_config_round_trip_keeps_none():
    gen = SeedGenerator(name="g")
    assert gen.get_config() == {"seed": None, "name": "g"}
    assert SeedGenerator.from_config({"seed": 3, "name": "h"}).state.numpy().tolist() == [3, 0]


def test_default_names_are_unique():
    a, b = SeedGenerator(1), SeedGenerator(1)
    assert a.name.startswith("seed_generator") and a.name != b.name


def test_unordered_next_wraps_in_the_seed_dtype():
    # (933198 + 1) * 5387 overflows uint32 (JAX's seed dtype) but not int64 (TF's):
    # the scramble wraps exactly as the seed dtype's arithmetic does.
    gen = SeedGenerator(933198, name="g")
    gen.next(ordered=False)
    dtype = np.dtype(backend.impl.RANDOM_SEED_DTYPE)
    with np.errstate(over="ignore"):
        expected = (np.array([933198, 0], dtype) + dtype.type(1)) * dtype.type(5387) \
            % dtype.type(933199)
    assert gen.state.numpy().tolist() == expected.tolist()
    if dtype == np.uint32:
        assert expected[0] == (933199 * 5387 % 2**32) % 933199 != 0


def test_handed_out_pairs_are_copies():
    gen = SeedGenerator(9, name="g")
    first = gen.next()
    gen.state.assign(np.array([1, 1], dtype=backend.impl.RANDOM_SEED_DTYPE))
    assert np.asarray(first).tolist() == [9, 0]
