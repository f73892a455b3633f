"""Building: the build wrapper, recorded shapes, build configs, shape matching."""

import numpy as np
import pytest

from refkeras.layers import Layer

X = np.ones((2, 3), "float32")


class Scale(Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")

    def call(self, x):
        return x * self.w


class Wider(Scale):
    def build(self, input_shape):
        super().build(input_shape)  # inner build: must not lock state yet
        self.extra = self.add_weight(shape=(1,), name="extra")


def test_direct_build_marks_built_records_shapes_and_sets_path():
    layer = Scale(name="scale")
    assert layer.path is None and layer.get_build_config() is None
    layer.build((None, 3))
    assert layer.built and layer.path == "scale"
    assert layer.get_build_config() == {"input_shape": (None, 3)}
    assert layer.w.path == "scale/w"


def test_super_build_inside_build_does_not_lock():
    layer = Wider(name="wider")
    layer.build((4, 3))
    assert [v.name for v in layer.weights] == ["w", "extra"]


def test_first_call_builds_with_the_input_shape():
    layer = Scale(name="s")
    layer(X)
    assert layer.get_build_config() == {"input_shape": (2, 3)}


def test_several_build_arguments_match_call_arguments_by_name():
    class Two(Layer):
        def build(self, a_shape, b_shape):
            self.shapes = (a_shape, b_shape)

        def call(self, a, b):
            return a + b

    layer = Two(name="two")
    layer(X, X[:1])
    assert layer.shapes == ((2, 3), (1, 3))
    assert layer.get_build_config() == {"shapes_dict": {"a_shape": (2, 3), "b_shape": (1, 3)}}
    other = Two(name="other")
    other.build_from_config(layer.get_build_config())
    assert other.built and other.shapes == ((2, 3), (1, 3))


def test_build_arguments_must_name_call_arguments():
    class Bad(Layer):
        def build(self, a_shape, c_shape):
            pass

        def call(self, a, b):
            return a

    with pytest.raises(ValueError, match="does not have argument `c`"):
        Bad(name="bad")(X, X)


def test_default_build_warns_when_sublayers_are_unbuilt():
    class Holder(Layer):
        def __init__(self):
            super().__init__(name="holder")
            self.child = Scale(name="child")

    with pytest.warns(UserWarning, match="does not have a `build\\(\\)` method"):
        Holder().build((1, 3))


def test_layer_without_build_builds_its_sublayers_by_calling_itself():
    class Holder(Layer):
        def __init__(self):
            super().__init__(name="holder2")
            self.child = Scale(name="child2")

        def call(self, x):
            return self.child(x)

    holder = Holder()
    np.testing.assert_array_equal(np.asarray(holder(X)), X)
    assert holder.built and holder.child.built
