"""Model: get_layer, subclassing, build configs, JSON (no upstream import)."""

import json
import warnings

import numpy as np
import pytest

from refkeras.layers import Dense, Input
from refkeras.models import Model, model_from_json


def _model():
    x = Input((3,), name="x")
    return Model(x, Dense(2, name="d2")(Dense(4, name="d1")(x)), name="m")


def test_get_layer_by_name_and_index():
    model = _model()
    assert model.get_layer("d1") is model.layers[1]
    assert model.get_layer(index=2).name == "d2"


@pytest.mark.parametrize("kwargs, message", [
    ({"name": "nope"}, r"No such layer: nope. Existing layers are: \['x', 'd1', 'd2'\]."),
    ({"index": 5}, "Was asked to retrieve layer at index 5 but model only has 3 layers."),
    ({}, "Provide either a layer name or layer index at `get_layer`."),
    ({"name": "d1", "index": 0}, "Provide only a layer name or a layer index. Received: "
                                 "index=0, name=d1."),
])
def test_get_layer_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        _model().get_layer(**kwargs)


def test_count_params_counts_kernels_and_biases():
    # d1: 3*4 + 4 = 16; d2: 4*2 + 2 = 10.
    assert _model().count_params() == 26


def test_subclassed_model_tracks_layers_and_calls():
    class Net(Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.inner = Dense(2, kernel_initializer="ones", name="inner")

        def build(self, input_shape):
            self.inner.build(input_shape)

        def call(self, x):
            return self.inner(x)

    net = Net(name="net")
    assert [layer.name for layer in net.layers] == ["inner"]
    np.testing.assert_array_equal(np.asarray(net(np.ones((1, 3), "float32"))), [[3.0, 3.0]])
    assert net.get_build_config() == {"input_shape": (1, 3)}


def test_model_without_call_raises():
    with pytest.raises(NotImplementedError, match="does not have a `call\\(\\)` method"):
        Model().call(np.ones((1, 2)))


def test_build_from_config_warns_when_call_fails():
    class Broken(Model):
        def call(self, x):
            raise RuntimeError("cannot run")

    with pytest.warns(UserWarning, match="cannot be built automatically"):
        Broken().build_from_config({"input_shape": [None, 3]})


def test_build_from_config_uses_a_custom_build():
    class WithBuild(Model):
        def build(self, input_shape):
            self.dense = Dense(2)
            self.dense.build(input_shape)

        def call(self, x):
            return self.dense(x)

    model = WithBuild()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.build_from_config({"input_shape": [None, 3]})
    assert model.dense.kernel.shape == (3, 2)


def test_to_json_names_functional_like_upstream_and_round_trips():
    model = _model()
    data = json.loads(model.to_json())
    assert (data["module"], data["class_name"], data["registered_name"]) == (
        "keras.src.models.functional", "Functional", "Functional")
    assert data["build_config"] == {"input_shape": None}
    again = model_from_json(model.to_json())
    assert again.to_json() == model.to_json()
