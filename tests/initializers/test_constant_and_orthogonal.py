"""Constant, Zeros, Ones, Identity and Orthogonal (first principles)."""

import numpy as np
import pytest

from refkeras import backend, initializers


def test_constant_fills_with_cast_value():
    np.testing.assert_array_equal(np.asarray(initializers.Constant(2.5)((2, 3))),
                                  np.full((2, 3), 2.5, "float32"))
    assert np.asarray(initializers.Constant(2.5)((2,), dtype="int32")).tolist() == [2, 2]


def test_zeros_ones_any_dtype():
    assert np.asarray(initializers.Zeros()((3,), dtype="int64")).tolist() == [0, 0, 0]
    assert np.asarray(initializers.Ones()((2,), dtype="bool")).tolist() == [True, True]
    assert backend.standardize_dtype(initializers.Ones()((2,)).dtype) == "float32"


def test_identity_rectangular_with_gain_and_rank_check():
    np.testing.assert_array_equal(np.asarray(initializers.Identity(3.0)((2, 3))),
                                  3.0 * np.eye(2, 3, dtype="float32"))
    with pytest.raises(ValueError, match="can only be used for 2D matrices"):
        initializers.Identity()((2, 2, 2))
    assert initializers.Identity(3.0).get_config() == {}


@pytest.mark.parametrize("shape", [(6, 3), (3, 6), (2, 3, 4), (5, 5)])
def test_orthogonal_rows_or_columns_are_orthonormal(shape):
    gain = 1.5
    x = np.asarray(initializers.Orthogonal(gain=gain, seed=2)(shape)).astype("float64")
    m = x.reshape(-1, shape[-1]) / gain
    gram = m.T @ m if m.shape[0] >= m.shape[1] else m @ m.T
    np.testing.assert_allclose(gram, np.eye(min(m.shape)), atol=1e-5)


def test_orthogonal_needs_two_dims():
    with pytest.raises(ValueError, match="at least two-dimensional"):
        initializers.Orthogonal(seed=1)((4,))


def test_initializers_work_as_variable_initializers():
    v = backend.Variable(initializers.GlorotUniform(seed=1), shape=(3, 2), dtype="float16")
    assert v.shape == (3, 2) and v.dtype == "float16"
    np.testing.assert_array_equal(v.numpy(),
                                  np.asarray(initializers.GlorotUniform(seed=1)((3, 2), "float16")))
