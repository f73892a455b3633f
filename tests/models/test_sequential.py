"""Sequential: stacking, deferred building, configs (no upstream import)."""

import numpy as np
import pytest

from refkeras.layers import Dense, Input, InputLayer
from refkeras.models import Sequential, model_from_json


def test_input_first_builds_at_once_and_is_hidden_from_layers():
    model = Sequential([Input((3,), name="i"), Dense(2, name="a")], name="s")
    assert model.built and len(model.weights) == 2
    assert [layer.name for layer in model.layers] == ["a"]
    assert isinstance(model._layers[0], InputLayer)


def test_deferred_build_on_first_call_uses_the_full_shape():
    model = Sequential([Dense(2, kernel_initializer="ones", name="a")])
    assert not model.built and model.weights == []
    out = model(np.ones((5, 3), "float32"))
    np.testing.assert_array_equal(np.asarray(out), np.full((5, 2), 3.0, "float32"))
    assert model.built and model._layers[0].batch_shape == (5, 3)
    assert model.get_build_config() == {"input_shape": (5, 3)}


def test_build_with_a_shape():
    model = Sequential([Dense(2), Dense(1)])
    model.build((None, 4))
    assert [tuple(w.shape) for w in model.weights] == [(4, 2), (2,), (2, 1), (1,)]
    assert model.input_shape == (None, 4) and model.output_shape == (None, 1)


def test_add_and_pop():
    model = Sequential(name="s")
    model.add(Input((3,)))
    model.add(Dense(2, name="a"))
    model.add(Dense(4, name="b"))
    assert model.output_shape == (None, 4)
    assert model.pop().name == "b"
    assert model.built and model.output_shape == (None, 2)
    assert [layer.name for layer in model.layers] == ["a"]


def test_errors():
    model = Sequential([Input((3,)), Dense(2, name="a")])
    with pytest.raises(ValueError, match="should have unique names"):
        model.add(Dense(1, name="a"))
    with pytest.raises(ValueError, match="already been configured to use input shape"):
        model.add(Input((3,)))
    with pytest.raises(ValueError, match="Only instances of `keras.Layer`"):
        model.add(object())
    with pytest.raises(AttributeError, match="`Sequential.layers` attribute is reserved"):
        model.layers = []
    with pytest.raises(ValueError, match="cannot be built because it has no layers"):
        Sequential().build((None, 3))
    with pytest.raises(AttributeError, match="has no defined input shape yet"):
        _ = Sequential([Dense(1)]).input_shape


def test_config_lists_the_input_layer_first_and_round_trips():
    model = Sequential([Input((3,), name="i"), Dense(2, name="a")], name="s")
    config = model.get_config()
    assert list(config) == ["name", "trainable", "dtype", "layers", "build_input_shape"]
    assert [c["class_name"] for c in config["layers"]] == ["InputLayer", "Dense"]
    assert config["build_input_shape"] == (None, 3)
    again = model_from_json(model.to_json())
    assert type(again) is Sequential and again.to_json() == model.to_json()


def test_unbuilt_config_has_no_build_input_shape():
    config = Sequential([Dense(2, name="a")], name="s").get_config()
    assert "build_input_shape" not in config
