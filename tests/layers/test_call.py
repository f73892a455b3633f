"""The call pipeline: conversion, training resolution, masks, symbolic calls, losses."""

import numpy as np
import pytest

from refkeras import backend, ops
from refkeras.graph import KerasTensor
from refkeras.layers import Input, Layer
from refkeras.layers.masking import get_keras_mask, set_keras_mask

X = np.ones((2, 3), "float32")


class Log(Layer):
    def __init__(self, log, tag, children=(), **kwargs):
        super().__init__(**kwargs)
        # A list attribute would become a tracking copy: keep the bound append instead.
        self.record, self.tag, self.kids = log.append, tag, list(children)

    def call(self, x, training=None):
        self.record((self.tag, training))
        for kid in self.kids:
            x = kid(x)
        return x

    def build(self, input_shape):
        pass


def test_training_comes_from_the_outer_call():
    log = []
    outer = Log(log, "outer", [Log(log, "inner")], name="outer")
    outer(X, training=True)
    assert log == [("outer", True), ("inner", True)]
    log.clear()
    outer(X)
    assert log == [("outer", None), ("inner", None)]


def test_explicit_training_wins_and_is_passed_on():
    log = []

    class Parent(Log):
        def call(self, x, training=None):
            self.record((self.tag, training))
            x = self.kids[0](x, training=False)
            return self.kids[1](x)

    parent = Parent(log, "p", [Log(log, "a"), Log(log, "b")], name="parent")
    parent(X, training=True)
    # "b" inherits the value "a" left in the shared context, not the outer one.
    assert log == [("p", True), ("a", False), ("b", False)]


def test_signature_default_is_used_last():
    seen = []

    class Default(Layer):
        def call(self, x, training=True):
            seen.append(training)
            return x

    Default(name="d")(X)
    assert seen == [True]


def test_numpy_floats_are_cast_to_the_compute_dtype_and_ints_are_kept():
    class Echo(Layer):
        def call(self, x):
            return x

    assert backend.standardize_dtype(Echo(name="e")(X.astype("float64")).dtype) == "float32"
    assert backend.standardize_dtype(Echo(name="e2", dtype="float16")(X).dtype) == "float16"
    assert backend.standardize_dtype(Echo(name="e3")(np.ones(2, "int32")).dtype) == "int32"
    kept = Echo(name="e4", autocast=False)(backend.convert_to_tensor(X, "float16"))
    assert backend.standardize_dtype(kept.dtype) == "float16"


def test_non_tensor_positional_argument_is_refused():
    with pytest.raises(ValueError, match="Only input tensors may be passed as positional"):
        Log([], "t", name="t")(X, 3)


def test_masks_flow_through_layers_that_support_them():
    class Masker(Layer):
        def call(self, x):
            return x * 1.0

        def compute_mask(self, x, previous_mask=None):
            return ops.not_equal(x, 0)

    class Pass(Layer):
        def __init__(self):
            super().__init__(name="pass")
            self.supports_masking = True

        def call(self, x, mask=None):
            self.got = mask
            return x + 0.0

    data = np.array([[1.0, 0.0]], "float32")
    masked = Masker(name="masker")(data)
    passer = Pass()
    out = passer(masked)
    expected = [[True, False]]
    np.testing.assert_array_equal(np.asarray(passer.got), expected)
    np.testing.assert_array_equal(np.asarray(get_keras_mask(out)), expected)


def test_mask_side_table_works_for_any_tensor():
    t = backend.convert_to_tensor(X)
    set_keras_mask(t, "m")
    assert get_keras_mask(t) == "m"
    set_keras_mask(t, None)
    assert get_keras_mask(t) is None


def test_symbolic_call_uses_compute_output_shape_and_records_a_node():
    class Shaped(Layer):
        def call(self, x):
            raise AssertionError("not traced when compute_output_shape exists")

        def compute_output_shape(self, input_shape):
            return (input_shape[0], 5)

    x = Input((3,), name="x_in")
    layer = Shaped(name="shaped", dtype="float16")
    y = layer(x)
    assert isinstance(y, KerasTensor)
    assert (y.shape, y.dtype) == ((None, 5), "float16")
    assert len(layer._inbound_nodes) == 1 and y._keras_history[0] is layer


def test_losses_are_cleared_by_each_outer_call_and_collected_from_sublayers():
    class Lossy(Layer):
        def call(self, x):
            self.add_loss(ops.sum(x))
            return x

    class Parent(Layer):
        def __init__(self):
            super().__init__(name="parent")
            self.child = Lossy(name="lossy")

        def build(self, input_shape):
            pass

        def call(self, x):
            self.add_loss(ops.mean(x))
            return self.child(x)

    parent = Parent()
    parent(X)
    parent(X)
    assert [float(v) for v in parent.losses] == [1.0, 6.0]


def test_activity_regularizer_divides_by_batch_size():
    class Echo(Layer):
        def call(self, x):
            return x

    layer = Echo(name="act", activity_regularizer="l1")
    layer(X)
    # l1 with factor 0.01 on six ones, divided by the batch of 2.
    np.testing.assert_allclose(float(layer.losses[0]), 0.01 * 6 / 2, rtol=1e-6)


def test_call_without_super_init_raises_runtime_error():
    class NoSuper(Layer):
        def __init__(self):
            pass

    with pytest.raises(RuntimeError, match="forgot to call `super\\(\\).__init__\\(\\)`"):
        NoSuper()(X)
