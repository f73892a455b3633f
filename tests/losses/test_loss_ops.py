"""Unit tests of refkeras.ops.loss_ops (the ops losses and metrics use), eager and symbolic."""

from __future__ import annotations

import numpy as np
import pytest

from refkeras import KerasTensor, backend, ops


def value(x):
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


def test_elementwise():
    x = np.array([-1.5, 0.0, 2.25], "float32")
    np.testing.assert_array_equal(value(ops.maximum(x, 0.0)), [0.0, 0.0, 2.25])
    np.testing.assert_array_equal(value(ops.minimum(x, 0.0)), [-1.5, 0.0, 0.0])
    np.testing.assert_array_equal(value(ops.ceil(x)), [-1.0, 0.0, 3.0])
    np.testing.assert_array_equal(value(ops.divide_no_nan(x, np.array([2.0, 0.0, 0.0]))),
                                  [-0.75, 0.0, 0.0])
    assert backend.standardize_dtype(ops.divide_no_nan(np.int32(3), np.int32(2)).dtype) in (
        "float32", "float64")


def test_shape_ops():
    x = np.arange(6, dtype="float32").reshape(2, 3)
    assert value(ops.broadcast_to(np.ones(3, "float32"), (2, 3))).shape == (2, 3)
    np.testing.assert_array_equal(value(ops.tile(x, (2, 1))), np.tile(x, (2, 1)))
    np.testing.assert_array_equal(value(ops.flip(x)), x[::-1, ::-1])
    np.testing.assert_array_equal(value(ops.cumsum(x, axis=1)), np.cumsum(x, axis=1))


def test_segment_sum_one_hot_top_k():
    data = np.array([1.0, 2.0, 3.0, 4.0], "float32")
    ids = np.array([0, 2, 0, 1], "int32")
    np.testing.assert_array_equal(value(ops.segment_sum(data, ids, num_segments=3)), [4, 4, 2])
    np.testing.assert_array_equal(value(ops.one_hot(np.array([2, 0]), 3)),
                                  [[0, 0, 1], [1, 0, 0]])
    values, indices = ops.top_k(np.array([[0.125, 0.75, 0.5]], "float32"), 2)
    np.testing.assert_array_equal(value(indices), [[1, 2]])
    np.testing.assert_array_equal(value(values), [[0.75, 0.5]])
    hits = ops.in_top_k(np.array([2, 0]), np.array([[0.1, 0.9, 0.5], [0.1, 0.9, 0.5]]), 2)
    np.testing.assert_array_equal(value(hits), [True, False])
    with pytest.raises(ValueError, match="should be an 1-D vector"):
        ops.segment_sum(data, ids.reshape(2, 2), num_segments=3)


def test_crossentropies():
    p = np.array([[0.2, 0.8]], "float32")
    t = np.array([[0.0, 1.0]], "float32")
    np.testing.assert_allclose(value(ops.categorical_crossentropy(t, p)), [-np.log(0.8)],
                               rtol=1e-6)
    np.testing.assert_allclose(value(ops.sparse_categorical_crossentropy(np.array([1]), p)),
                               [-np.log(0.8)], rtol=1e-6)
    np.testing.assert_allclose(value(ops.binary_crossentropy(t, p)),
                               [[-np.log(0.8), -np.log(0.8)]], rtol=1e-6)
    with pytest.raises(ValueError, match="must have the same"):
        ops.binary_crossentropy(np.zeros((2, 3)), np.zeros((2, 4)))


def test_symbolic_shapes():
    x = KerasTensor((None, 4))
    assert ops.maximum(x, 1.0).shape == (None, 4)
    assert ops.categorical_crossentropy(x, x).shape == (None,)
    assert ops.one_hot(KerasTensor((None,), dtype="int32"), 5).shape == (None, 5)
    values, indices = ops.top_k(x, 2)
    assert values.shape == (None, 2) and indices.dtype == "int32"
