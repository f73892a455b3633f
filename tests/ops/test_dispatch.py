"""``refkeras.ops`` functions: eager on concrete inputs, graph-building on KerasTensors."""

from __future__ import annotations

import numpy as np
import pytest

from refkeras import Function, KerasTensor, ops


def test_eager_call_computes_numpy_semantics():
    x = np.arange(6, dtype="float32").reshape(2, 3)
    np.testing.assert_array_equal(ops.convert_to_numpy(ops.add(x, 1.0)), x + 1)
    np.testing.assert_array_equal(ops.convert_to_numpy(ops.sum(x, axis=0)), x.sum(0))
    np.testing.assert_array_equal(ops.convert_to_numpy(ops.matmul(x, x.T)), x @ x.T)
    np.testing.assert_array_equal(ops.convert_to_numpy(ops.argmax(x, axis=1)), [2, 2])


def test_eager_weak_scalar_keeps_tensor_dtype():
    x = np.ones((2,), dtype="int8")
    assert ops.convert_to_numpy(ops.add(x, 3)).dtype == np.int8
    assert ops.convert_to_numpy(ops.multiply(x, 2.5)).dtype == np.float32
    assert ops.convert_to_numpy(ops.sqrt(x)).dtype == np.float32


def test_symbolic_call_records_an_operation_named_after_the_op():
    x = KerasTensor((None, 3))
    y = ops.add(x, x)
    op = y._keras_history.operation
    assert type(op).__name__ == "Add"
    assert op.name.startswith("add")
    assert type(ops.abs(x)._keras_history.operation).__name__ == "Absolute"
    assert type((x / 2)._keras_history.operation).__name__ == "TrueDivide"
    assert type(x[0]._keras_history.operation).__name__ == "GetItem"


@pytest.mark.parametrize("build, shape, dtype", [
    (lambda x: ops.sum(x, axis=1, keepdims=True), (None, 1), "float32"),
    (lambda x: ops.mean(ops.cast(x, "int8"), axis=-1), (None,), "float32"),
    (lambda x: ops.reshape(x, (-1, 1)), (None, 1), "float32"),
    (lambda x: ops.transpose(ops.expand_dims(x, 0)), (3, None, 1), "float32"),
    (lambda x: ops.concatenate([x, x], axis=1), (None, 6), "float32"),
    (lambda x: ops.stack([x, x], axis=0), (2, None, 3), "float32"),
    (lambda x: ops.argmax(x, axis=-1), (None,), "int32"),
    (lambda x: x < 1, (None, 3), "bool"),
    (lambda x: ops.where(x > 0, x, 0), (None, 3), "float32"),
    (lambda x: ops.matmul(x, KerasTensor((3, 5))), (None, 5), "float32"),
])
def test_symbolic_shapes_and_dtypes(build, shape, dtype):
    out = build(KerasTensor((None, 3)))
    assert out.shape == shape
    assert out.dtype == dtype


def test_function_replays_recorded_options():
    x = KerasTensor((None, 3))
    fn = Function(x, ops.softmax(ops.sum(x, axis=1, keepdims=True) * x, axis=0))
    data = np.arange(6, dtype="float32").reshape(2, 3)
    expected = np.exp(data * data.sum(1, keepdims=True))
    expected /= expected.sum(0, keepdims=True)
    np.testing.assert_allclose(ops.convert_to_numpy(fn(data)), expected, rtol=1e-5)


def test_invalid_symbolic_calls_raise_value_error():
    x = KerasTensor((2, 3))
    with pytest.raises(ValueError, match="Cannot broadcast shape"):
        ops.add(x, KerasTensor((4,)))
    with pytest.raises(ValueError, match="out of bounds"):
        ops.sum(x, axis=2)
    with pytest.raises(ValueError, match="total size of the tensor must be unchanged"):
        ops.reshape(x, (4, 2))
    with pytest.raises(ValueError, match="either both should be `None`"):
        ops.where(x, x)
    with pytest.raises(TypeError, match="Argument `N` must be an integer"):
        ops.eye(2.0)


def test_convert_to_numpy_refuses_keras_tensors():
    with pytest.raises(ValueError, match="symbolic"):
        ops.convert_to_numpy(KerasTensor((2,)))
