"""get / serialize / deserialize and seed handling."""

import numpy as np
import pytest

from refkeras import initializers
from refkeras.random import SeedGenerator


@pytest.mark.parametrize("name, cls", [
    ("glorot_uniform", initializers.GlorotUniform), ("GlorotUniform", initializers.GlorotUniform),
    ("zeros", initializers.Zeros), ("zero", initializers.Zeros), ("one", initializers.Ones),
    ("normal", initializers.RandomNormal), ("uniform", initializers.RandomUniform),
    ("he_normal", initializers.HeNormal), ("IdentityInitializer", initializers.Identity),
    ("OrthogonalInitializer", initializers.Orthogonal),
    ("variance_scaling", initializers.VarianceScaling),
])
def test_names(name, cls):
    assert type(initializers.get(name)) is cls


def test_serialize_format_and_round_trip():
    init = initializers.RandomUniform(minval=-1.0, maxval=2.0, seed=5)
    config = initializers.serialize(init)
    assert config == {"module": "keras.initializers", "class_name": "RandomUniform",
                      "config": {"seed": 5, "minval": -1.0, "maxval": 2.0},
                      "registered_name": None}
    back = initializers.deserialize(config)
    np.testing.assert_array_equal(np.asarray(back((3,))), np.asarray(init((3,))))
    assert type(initializers.get({"class_name": "RandomUniform", "config": {}})) is \
        initializers.RandomUniform


def test_get_passthrough_and_errors():
    init = initializers.Ones()
    assert initializers.get(init) is init
    assert initializers.get(None) is None
    with pytest.raises(ValueError, match="Could not interpret initializer identifier"):
        initializers.get("nope")
    with pytest.raises(ValueError, match="Unknown `config` as a `dict`"):
        initializers.deserialize({"config": {}})
    with pytest.raises(TypeError, match="Cannot deserialize object of type"):
        initializers.deserialize({"module": None, "class_name": "Ones", "config": {}})


def test_array_identifier_fixes_the_value_and_shape():
    fn = initializers.get(np.ones((2, 2)))
    assert np.asarray(fn((2, 2), dtype="float16")).dtype == np.float16
    with pytest.raises(ValueError, match="Expected `shape` to be"):
        fn((3,))


def test_generator_seed_serializes_and_advances():
    init = initializers.RandomNormal(seed=SeedGenerator(3, name="g"))
    assert init.get_config()["seed"] == {"module": "keras.random", "class_name": "SeedGenerator",
                                         "config": {"seed": 3, "name": "g"},
                                         "registered_name": None}
    assert not np.array_equal(np.asarray(init((4,))), np.asarray(init((4,))))
    rebuilt = initializers.RandomNormal.from_config(init.get_config())
    assert isinstance(rebuilt.seed, SeedGenerator)


@pytest.mark.parametrize("bad", [1.5, "1", np.int64(1)])
def test_bad_seed(bad):
    with pytest.raises(ValueError, match="`seed` argument should be an instance of"):
        initializers.TruncatedNormal(seed=bad)


def test_clone_and_constant_numpy_value():
    init = initializers.Constant(np.array([1.0, 2.0]))
    assert init.get_config() == {"value": {"class_name": "__numpy__", "config": {
        "value": [1.0, 2.0], "dtype": "float64"}}}
    np.testing.assert_array_equal(np.asarray(init.clone()((2,))), [1.0, 2.0])
