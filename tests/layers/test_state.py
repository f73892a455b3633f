"""Weights: add_weight defaults, lists, get/set, save/load, trainable, stateless_call."""

import numpy as np
import pytest

from refkeras import ops
from refkeras.layers import Layer


class Linear(Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel",
                                      regularizer="l2")
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")
        self.steps = self.add_weight(shape=(), initializer="zeros", trainable=False,
                                     name="steps")

    def call(self, x):
        self.steps.assign(self.steps + 1.0)
        return ops.matmul(x, self.kernel) + self.bias


def built(units=2, name="lin"):
    layer = Linear(units, name=name)
    layer.build((None, 3))
    return layer


def test_add_weight_defaults():
    layer = Layer(name="d", dtype="mixed_float16")
    w = layer.add_weight()
    i = layer.add_weight(shape=(2,), dtype="int32")
    assert (w.shape, w.dtype, w.trainable) == ((), "float32", True)
    np.testing.assert_array_equal(i.numpy(), [0, 0])  # zeros for non-float dtypes


def test_weight_lists_and_counts():
    layer = built()
    assert [v.name for v in layer.weights] == ["kernel", "bias", "steps"]
    assert [v.name for v in layer.trainable_weights] == ["kernel", "bias"]
    assert [v.name for v in layer.non_trainable_weights] == ["steps"]
    assert layer.count_params() == 3 * 2 + 2 + 1


def test_set_and_get_weights_and_their_errors():
    layer = built()
    values = [np.ones((3, 2), "float32"), np.full(2, 0.5, "float32"), np.float32(3.0)]
    layer.set_weights([np.asarray(v) for v in values])
    for got, want in zip(layer.get_weights(), values):
        np.testing.assert_array_equal(got, want)
    with pytest.raises(ValueError, match="with a weight list of length 1"):
        layer.set_weights([values[0]])
    with pytest.raises(ValueError, match="is not compatible with provided weight shape"):
        layer.set_weights([np.ones((2, 2)), values[1], np.asarray(values[2])])


def test_save_and_load_own_variables_use_string_indices():
    layer, other = built(name="a"), built(name="b")
    store = {}
    layer.save_own_variables(store)
    assert sorted(store) == ["0", "1", "2"]
    other.load_own_variables(store)
    np.testing.assert_array_equal(other.kernel.numpy(), layer.kernel.numpy())
    with pytest.raises(ValueError, match="expected 3 variables, but received 1"):
        other.load_own_variables({"0": store["0"]})
    with pytest.raises(ValueError, match="was never built"):
        Linear(2, name="c").load_own_variables(store)


def test_count_params_needs_a_built_layer():
    with pytest.raises(ValueError, match="isn't built"):
        Linear(2, name="u").count_params()


def test_trainable_flag_propagates():
    class Parent(Layer):
        def __init__(self):
            super().__init__(name="parent")
            self.child = built(name="child")

    parent = Parent()
    parent.trainable = False
    assert parent.trainable_weights == [] and not parent.child.trainable
    assert not parent.child.kernel.trainable


def test_stateless_call_leaves_variables_untouched():
    layer = built()
    layer.set_weights([np.ones((3, 2), "float32"), np.zeros(2, "float32"), np.float32(0)])
    x = np.ones((1, 3), "float32")
    doubled = [np.asarray(v.numpy()) * 2 for v in layer.trainable_variables]
    out, state, losses = layer.stateless_call(doubled, [np.float32(5)], x, return_losses=True)
    np.testing.assert_array_equal(np.asarray(out), [[6.0, 6.0]])
    assert float(state[0]) == 6.0 and float(layer.steps.numpy()) == 0.0
    np.testing.assert_allclose(float(losses[0]), 0.01 * 6 * 4, rtol=1e-6)  # l2 on twos
    with pytest.raises(ValueError, match="trainable_variables"):
        layer.stateless_call([], [], x)
    with pytest.raises(ValueError, match="must be built"):
        Linear(2, name="nb").stateless_call([], [], x)


def test_config_and_repr():
    assert Layer(name="plain").get_config()["autocast"] is True
    assert repr(built(name="r")) == "<Linear name=r, built=True>"
    with pytest.raises(ValueError, match="Unrecognized keyword arguments"):
        Layer(foo=1)
    with pytest.warns(UserWarning, match="input_shape"):
        Layer(input_shape=(2,))
