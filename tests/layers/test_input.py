"""InputSpec checks and Input/InputLayer."""

import numpy as np
import pytest

from refkeras.graph import KerasTensor
from refkeras.layers import Input, InputLayer, InputSpec
from refkeras.layers.input_spec import assert_input_compatibility

X = np.zeros((2, 3), "float32")


@pytest.mark.parametrize("spec, phrase", [
    (InputSpec(ndim=3), "expected ndim=3, found ndim=2"),
    (InputSpec(max_ndim=1), "expected max_ndim=1"),
    (InputSpec(min_ndim=3), "expected min_ndim=3"),
    (InputSpec(dtype="int32"), "expected dtype=int32, found dtype=float32"),
    (InputSpec(axes={-1: 4}), "expected axis -1 of input shape to have value 4"),
    (InputSpec(shape=(None, 4)), "expected shape=(None, 4)"),
])
def test_mismatches_are_reported(spec, phrase):
    with pytest.raises(ValueError, match="is incompatible with the layer") as info:
        assert_input_compatibility(spec, X, "layer")
    assert phrase in str(info.value)


def test_compatible_inputs_pass():
    assert_input_compatibility(InputSpec(shape=(None, 3), dtype="float32", ndim=2), X, "l")
    assert_input_compatibility(InputSpec(shape=(2, 3, 1), allow_last_axis_squeeze=True), X, "l")


def test_a_shape_found_compatible_is_rechecked_after_the_spec_changes():
    # A spec remembers the shapes (and dtypes) it accepted; any change to it, including
    # in-place edits of ``axes``, must bring the full check back.
    spec = InputSpec(min_ndim=2, axes={-1: 3})
    assert_input_compatibility(spec, X, "l")
    assert_input_compatibility(spec, X, "l")  # remembered
    with pytest.raises(ValueError, match="expected axis -1"):
        assert_input_compatibility(spec, np.zeros((2, 4), "float32"), "l")
    spec.axes[-1] = 4
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 4"):
        assert_input_compatibility(spec, X, "l")
    spec.axes = {-1: 3}
    assert_input_compatibility(spec, X, "l")
    spec.min_ndim = 3
    with pytest.raises(ValueError, match="expected min_ndim=3"):
        assert_input_compatibility(spec, X, "l")
    typed = InputSpec(dtype="float32")
    assert_input_compatibility(typed, X, "l")
    with pytest.raises(ValueError, match="expected dtype=float32, found dtype=int32"):
        assert_input_compatibility(typed, X.astype("int32"), "l")  # same shape, other dtype
    many = InputSpec(ndim=2)
    for batch in range(1, 200):  # more shapes than it remembers: still all checked
        assert_input_compatibility(many, np.zeros((batch, 3)), "l")
    with pytest.raises(ValueError, match="expected ndim=2"):
        assert_input_compatibility(many, np.zeros((3,)), "l")


def test_named_specs_take_dict_inputs():
    specs = [InputSpec(name="a"), InputSpec(name="b")]
    assert_input_compatibility(specs, {"b": X, "a": X}, "l")
    with pytest.raises(ValueError, match='Missing data for input "b"'):
        assert_input_compatibility(specs, {"a": X}, "l")
    with pytest.raises(ValueError, match="expects 2 named input"):
        assert_input_compatibility(specs, X, "l")


def test_config_round_trip_and_errors():
    spec = InputSpec(shape=(None, 3), axes={1: 3})
    assert spec.get_config() == {"dtype": None, "shape": (None, 3), "ndim": 2, "max_ndim": None,
                                 "min_ndim": None, "axes": {1: 3}, "optional": False}
    assert InputSpec.from_config(spec.get_config()).axes == {1: 3}
    with pytest.raises(TypeError, match="integer keys"):
        InputSpec(axes={"a": 1})
    with pytest.raises(ValueError, match="greater than the maximum allowed value"):
        InputSpec(ndim=2, axes={2: 1})


def test_input_returns_the_tensor_of_a_built_input_layer():
    x = Input((3,), batch_size=4, dtype="int32", name="ids")
    assert isinstance(x, KerasTensor)
    assert (x.shape, x.dtype, x.name) == ((4, 3), "int32", "ids")
    layer = x._keras_history[0]
    assert layer.built and layer.get_config() == {
        "batch_shape": (4, 3), "dtype": "int32", "sparse": False, "ragged": False,
        "name": "ids", "optional": False}


@pytest.mark.parametrize("kwargs, phrase", [
    ({}, "You must pass a `shape` argument"),
    ({"shape": (2,), "batch_shape": (1, 2)}, "both `shape` and `batch_shape`"),
    ({"batch_size": 2, "batch_shape": (1, 2)}, "both `batch_size` and `batch_shape`"),
    ({"input_tensor": 3}, "must be a KerasTensor"),
])
def test_input_layer_errors(kwargs, phrase):
    with pytest.raises(ValueError, match=phrase.replace("(", "\\(").replace(")", "\\)")):
        InputLayer(**kwargs)


def test_wrapping_an_existing_tensor():
    t = KerasTensor((None, 2), dtype="float32")
    assert Input(tensor=t) is t
    with pytest.raises(ValueError, match="incompatible `dtype`"):
        Input(tensor=t, dtype="int32")
