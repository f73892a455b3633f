"""draw_seed, the global generator and set_random_seed."""

import random as python_random

import numpy as np
import pytest

from refkeras import random as rk_random
from refkeras.random import SeedGenerator, draw_seed, set_random_seed


def test_int_seed_is_the_pair_seed_zero():
    assert np.asarray(draw_seed(12)).tolist() == [12, 0]


def test_generator_seed_advances_the_generator():
    gen = SeedGenerator(3, name="g")
    assert np.asarray(draw_seed(gen)).tolist() == [3, 0]
    assert np.asarray(draw_seed(gen)).tolist() == [3, 1]


@pytest.mark.parametrize("bad", [1.5, "1", np.int32(1), (1, 2)])
def test_other_seeds_are_rejected(bad):
    with pytest.raises(ValueError, match="Argument `seed` must be either an integer"):
        draw_seed(bad)


def test_set_random_seed_resets_the_global_generator_from_python_random():
    set_random_seed(11)
    first = rk_random.global_seed_generator()
    python_random.seed(11)
    expected = python_random.randint(1, 10**9)
    assert first.state.numpy().tolist() == [expected, 0]
    set_random_seed(11)
    assert rk_random.global_seed_generator() is not first


def test_unseeded_draws_repeat_after_reseeding():
    set_random_seed(4)
    a = [np.asarray(rk_random.normal((3,))) for _ in range(2)]
    set_random_seed(4)
    b = [np.asarray(rk_random.normal((3,))) for _ in range(2)]
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], a[1])  # the global generator advanced in between


def test_set_random_seed_seeds_numpy_and_records_the_seed():
    set_random_seed(21)
    value = np.random.rand()
    np.random.seed(21)
    assert value == np.random.rand()
    assert rk_random.get_random_seed() == 21


def test_set_random_seed_rejects_non_int():
    with pytest.raises(ValueError, match="Expected `seed` argument to be an integer"):
        set_random_seed("1")
