"""Function: structures, validation, and replay on concrete arrays."""

import numpy as np
import pytest

from refkeras.graph import Function, KerasTensor
from tests.graph.helpers import Plus, Scale


def _ones(*shape):
    return np.ones(shape, "float32")


def test_nested_dict_and_list_structures_round_trip():
    a, b = KerasTensor((None, 2), name="a"), KerasTensor((None, 2), name="b")
    s = Plus()(a, b)
    fn = Function({"a": a, "b": b}, [s, {"double": Scale(2.0)(s)}])
    out = fn({"a": _ones(1, 2), "b": _ones(1, 2)})
    np.testing.assert_array_equal(np.asarray(out[0]), 2 * _ones(1, 2))
    np.testing.assert_array_equal(np.asarray(out[1]["double"]), 4 * _ones(1, 2))


def test_unused_and_pass_through_inputs_are_allowed():
    a, b = KerasTensor((2,)), KerasTensor((2,))
    y = Scale(3.0)(a)
    Scale()(b)  # gives b a history; b is then unused by the outputs
    fn = Function([a, b], [y, a])
    y_val, a_val = fn([_ones(2), _ones(2)])
    np.testing.assert_array_equal(np.asarray(y_val), [3.0, 3.0])
    np.testing.assert_array_equal(np.asarray(a_val), [1.0, 1.0])


def test_intermediate_tensor_as_input_excludes_what_came_before():
    x = KerasTensor((2,))
    first = Scale(10.0, name="first")
    mid = first(x)
    out = Scale(2.0, name="second")(mid)
    fn = Function(mid, out)
    assert [op.name for op in fn.operations] == ["second"]
    np.testing.assert_array_equal(np.asarray(fn(_ones(2))), [2.0, 2.0])


def test_empty_inputs_or_outputs_raise():
    x = KerasTensor((2,))
    y = Scale()(x)
    with pytest.raises(ValueError, match="`inputs` argument cannot be empty"):
        Function([], y)
    with pytest.raises(ValueError, match="`outputs` argument cannot be empty"):
        Function(x, [])


def test_invalid_structure_and_shape_on_call():
    a, b = KerasTensor((None, 2)), KerasTensor((None, 2))
    fn = Function([a, b], Plus()(a, b))
    with pytest.raises(ValueError, match="invalid input structure"):
        fn(_ones(1, 2))
    with pytest.raises(ValueError, match="incompatible inputs"):
        fn([_ones(1, 3), _ones(1, 2)])


def test_output_not_connected_to_inputs():
    x, stray = KerasTensor((2,)), KerasTensor((2,))
    Plus()(x, stray)  # gives `stray` a history as a graph entry point
    with pytest.raises(ValueError, match="Output with path `1` is not connected to `inputs`"):
        Function(x, [Scale()(x), stray])


def test_output_upstream_of_an_intermediate_input_is_disconnected():
    x = KerasTensor((2,))
    first = Scale()(x)
    second = Scale()(first)
    with pytest.raises(ValueError, match="Graph disconnected"):
        Function(second, [second, first])


def test_symbolic_call_and_output_shape():
    x = KerasTensor((None, 4))
    fn = Function(x, Scale()(x))
    y = fn(KerasTensor((7, 4)))
    assert isinstance(y, KerasTensor) and y.shape == (7, 4)
    assert fn.compute_output_shape((5, 4)) == (5, 4)
