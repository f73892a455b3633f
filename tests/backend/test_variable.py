"""Variable: naming, assignment, scopes, and arithmetic, on the active backend."""

import numpy as np
import pytest

from refkeras import backend
from refkeras.backend import AutocastScope, StatelessScope, Variable, name_scope


def test_name_path_shape_dtype():
    with name_scope("block"):
        v = Variable(np.zeros((2, 3)), name="w", dtype="float32")
    assert (v.name, v.path, v.shape, v.dtype, v.ndim, v.trainable) == (
        "w", "block/w", (2, 3), "float32", 2, True)


def test_callable_initializer_needs_shape():
    with pytest.raises(ValueError, match="`shape` argument should be specified"):
        Variable(lambda shape, dtype: np.zeros(shape))
    v = Variable(lambda shape, dtype: np.full(shape, 2.0), shape=(2,))
    np.testing.assert_array_equal(v.numpy(), [2.0, 2.0])


def test_assign_family_and_shape_check():
    v = Variable(np.ones((2,)), name="v")
    v.assign([3.0, 4.0])
    v.assign_add([1.0, 1.0])
    v.assign_sub([0.5, 0.5])
    np.testing.assert_array_equal(v.numpy(), [3.5, 4.5])
    with pytest.raises(ValueError, match="must match"):
        v.assign(np.ones((3,)))


def test_arithmetic_uses_the_value():
    v = Variable(np.array([1.0, 2.0]), name="v")
    np.testing.assert_array_equal(backend.convert_to_numpy(v * 2 + 1), [3.0, 5.0])
    np.testing.assert_array_equal(backend.convert_to_numpy(-v), [-1.0, -2.0])


def test_stateless_scope_reads_mapping_and_records_updates():
    v = Variable(np.zeros((2,)), name="v")
    with StatelessScope([(v, np.ones((2,)))]) as scope:
        np.testing.assert_array_equal(backend.convert_to_numpy(v.value), [1.0, 1.0])
        v.assign(np.full((2,), 5.0))
    np.testing.assert_array_equal(v.numpy(), [0.0, 0.0])
    np.testing.assert_array_equal(backend.convert_to_numpy(scope.get_current_value(v)), [5, 5])


def test_autocast_scope_casts_float_variables_only():
    f = Variable(np.zeros((2,)), dtype="float32", name="f")
    i = Variable(np.zeros((2,)), dtype="int32", name="i")
    with AutocastScope("float16"):
        assert f.dtype == "float16"
        assert backend.standardize_dtype(f.value.dtype) == "float16"
        assert i.dtype == "int32"
    assert f.dtype == "float32"


def test_invalid_arguments():
    with pytest.raises(ValueError, match="cannot contain character `/`"):
        Variable(np.zeros(()), name="a/b")
    with pytest.raises(ValueError, match="aggregation"):
        Variable(np.zeros(()), aggregation="max")
    with pytest.raises(ValueError, match="synchronization"):
        Variable(np.zeros(()), synchronization="always")
