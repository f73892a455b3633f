"""VarianceScaling and presets: validation, config, and the variance they produce.

Statistical checks use fixed seeds, so they are deterministic; bounds are 6 standard errors
(a correct initializer with a random seed would fail one with probability about 2e-9).
"""

import math

import numpy as np
import pytest

from refkeras import initializers
from refkeras.random import set_random_seed

Z = 6.0


def draw(init, shape):
    return np.asarray(init(shape)).astype("float64")


@pytest.mark.parametrize("kwargs, phrase", [
    ({"scale": 0.0}, "Argument `scale` must be positive"),
    ({"mode": "fan"}, "Invalid `mode` argument"),
    ({"distribution": "cauchy"}, "Invalid `distribution` argument"),
])
def test_validation(kwargs, phrase):
    with pytest.raises(ValueError, match=phrase):
        initializers.VarianceScaling(**kwargs)


def test_normal_alias_and_case():
    assert initializers.VarianceScaling(distribution="Normal").distribution == "truncated_normal"


def test_config_keeps_seed_as_given():
    init = initializers.VarianceScaling(scale=2.0, mode="fan_out", input_axes=[0],
                                        output_axes=[1])
    assert init.get_config() == {"seed": None, "scale": 2.0, "mode": "fan_out",
                                 "distribution": "truncated_normal", "input_axes": [0],
                                 "output_axes": [1]}
    assert initializers.GlorotUniform(seed=4).get_config() == {
        "seed": 4, "input_axes": None, "output_axes": None}


@pytest.mark.parametrize("cls, scale, mode, distribution", [
    (initializers.GlorotUniform, 1.0, "fan_avg", "uniform"),
    (initializers.GlorotNormal, 1.0, "fan_avg", "truncated_normal"),
    (initializers.LecunUniform, 1.0, "fan_in", "uniform"),
    (initializers.LecunNormal, 1.0, "fan_in", "truncated_normal"),
    (initializers.HeUniform, 2.0, "fan_in", "uniform"),
    (initializers.HeNormal, 2.0, "fan_in", "truncated_normal"),
])
def test_presets(cls, scale, mode, distribution):
    init = cls(seed=1)
    assert isinstance(init, initializers.VarianceScaling)
    assert (init.scale, init.mode, init.distribution) == (scale, mode, distribution)


def test_uniform_limit_and_variance():
    shape = (200, 100)  # fan_avg = 150
    x = draw(initializers.GlorotUniform(seed=3), shape)
    limit = math.sqrt(3.0 / 150)
    assert np.abs(x).max() <= limit
    var = limit**2 / 3  # variance of U(-l, l); the sample variance's std error ~ var*sqrt(.8/N)
    assert abs(x.var() - var) < Z * var * math.sqrt(0.8 / x.size)


@pytest.mark.parametrize("distribution", ["truncated_normal", "untruncated_normal"])
def test_normal_variance_is_scale_over_fan(distribution):
    set_random_seed(99)  # seed=None below: the default seed comes from this
    init = initializers.VarianceScaling(scale=2.0, mode="fan_in", distribution=distribution)
    x = draw(init, (400, 50))  # fan_in = 400
    var = 2.0 / 400
    # Normal sample variance has std error var*sqrt(2/N); truncation only lowers the kurtosis.
    assert abs(x.var() - var) < Z * var * math.sqrt(2.0 / x.size)
    if distribution == "truncated_normal":
        assert np.abs(x).max() <= 2 * math.sqrt(var) / 0.87962566103423978


def test_unseeded_initializer_is_fixed_at_construction():
    init = initializers.HeNormal()
    np.testing.assert_array_equal(draw(init, (3, 4)), draw(init, (3, 4)))
