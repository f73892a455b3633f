"""Functional models: construction, layer order, calls (no upstream import)."""

import numpy as np
import pytest

from refkeras import ops
from refkeras.layers import Dense, Input, InputLayer, Layer
from refkeras.models import Functional, Model


def _ones_dense(units, name):
    return Dense(units, kernel_initializer="ones", bias_initializer="zeros", name=name)


def test_model_with_graph_arguments_is_a_functional():
    x = Input((3,), name="x")
    y = Dense(2, name="d")(x)
    for model in (Model(x, y), Model(x, outputs=y), Model(inputs=x, outputs=y)):
        assert type(model) is Functional
    assert type(Model()) is Model


def test_layers_follow_map_graph_order_not_creation_order():
    # FACTS.md: late, mid, early wired as concat([early(mid(x)), late(x)]).
    x = Input((3,), name="x")
    late, mid, early = Dense(2, name="late"), Dense(2, name="mid"), Dense(2, name="early")
    model = Model(x, ops.concatenate([early(mid(x)), late(x)], axis=-1))
    assert [layer.name for layer in model.layers] == ["x", "mid", "early", "late"]
    assert isinstance(model.layers[0], InputLayer)
    # The concatenate op is an operation, not a layer.
    assert [op.name for op in model.operations][-1].startswith("concatenate")


def test_call_unwraps_a_single_output_and_accepts_input_dicts():
    a, b = Input((2,), name="a"), Input((2,), name="b")
    model = Model([a, b], [ops.add(_ones_dense(1, "da")(a), b)])
    x = np.array([[1.0, 2.0]], "float32")
    y = np.array([[10.0, 20.0]], "float32")
    # ones kernel: (1 + 2) broadcast onto b = [[13, 23]]
    expected = np.array([[13.0, 23.0]], "float32")
    np.testing.assert_array_equal(np.asarray(model([x, y])), expected)
    np.testing.assert_array_equal(np.asarray(model({"a": x, "b": y})), expected)


def test_nested_outputs_keep_their_structure():
    x = Input((2,), name="x")
    model = Model(x, {"p": _ones_dense(1, "p")(x), "q": (_ones_dense(2, "q")(x),)})
    out = model(np.ones((1, 2), "float32"))
    assert set(out) == {"p", "q"} and isinstance(out["q"], tuple)
    np.testing.assert_array_equal(np.asarray(out["q"][0]), [[2.0, 2.0]])


def test_training_reaches_layers_that_take_it():
    seen = []

    class Probe(Layer):
        def call(self, x, training=None):
            seen.append(training)
            return x

    x = Input((2,))
    model = Model(x, Probe()(x))
    model(np.ones((1, 2), "float32"), training=True)
    assert seen[-1] is True


def test_non_tensor_inputs_and_outputs_are_refused():
    x = Input((2,))
    with pytest.raises(ValueError, match="All `inputs` values must be KerasTensors"):
        Model([x, np.ones(2)], x)
    with pytest.raises(ValueError, match="All `outputs` values must be KerasTensors"):
        Model(x, [x, 1.0])


def test_trainable_argument_and_layers_assignment():
    x = Input((2,))
    model = Model(x, Dense(1)(x), trainable=False)
    assert model.trainable is False and model.trainable_weights == []
    with pytest.raises(AttributeError, match="`Model.layers` attribute is reserved"):
        model.layers = []


def test_intermediate_tensors_as_inputs_get_clone_input_layers():
    x = Input((3,), name="x")
    h = Dense(4, name="h1")(x)
    y = Dense(2, name="h2")(h)
    part = Model(h, y)
    assert isinstance(part.layers[0], InputLayer)
    assert part.layers[0].name == f"{h.name}CLONE"
    assert [layer.name for layer in part.layers[1:]] == ["h2"]
    assert len(part.layers[1]._inbound_nodes) == 2  # the original call and its copy
    assert part(np.ones((1, 4), "float32")).shape == (1, 2)


def test_subclass_given_graph_arguments_becomes_functional():
    class Custom(Model):
        def __init__(self, *args, param=1, **kwargs):
            super().__init__(*args, **kwargs)
            self.param = param

        def get_config(self):
            return {**super().get_config(), "param": self.param}

    x = Input((3,), name="x")
    model = Custom(inputs=x, outputs=Dense(2, name="d")(x), param=3)
    assert isinstance(model, Functional) and issubclass(Custom, Functional)
    again = Custom.from_config(model.get_config())
    assert type(again) is Custom and again.param == 3
    assert [layer.name for layer in again.layers] == ["x", "d"]


def test_functional_stays_open_to_new_state_after_building():
    x = Input((2,))
    model = Model(x, Dense(1)(x))
    model.extra = Dense(3)  # upstream allows attaching layers outside the graph
    assert model.extra in model._layers


def test_a_long_chain_builds_and_runs_without_recursion():
    x = h = Input((2,))
    for _ in range(1500):  # upstream's recursive walk fails near 990
        h = _ones_dense(2, None)(h)
    model = Model(x, h)
    assert len(model.layers) == 1501
    np.testing.assert_array_equal(np.asarray(model(np.zeros((1, 2), "float32"))), [[0, 0]])
