"""convert_to_tensor of NumPy arrays: values, dtypes, and independence from the source."""

from __future__ import annotations

import numpy as np
import pytest

from refkeras import backend


@pytest.mark.parametrize("dtype", ["float32", "int32", "bool", "float16"])
def test_numpy_array_keeps_values_and_dtype(dtype):
    source = (np.arange(6).reshape(2, 3) % 3).astype(dtype)
    tensor = backend.convert_to_tensor(source)
    assert backend.standardize_dtype(tensor.dtype) == dtype
    np.testing.assert_array_equal(backend.convert_to_numpy(tensor), source)


def test_requested_dtype_casts():
    tensor = backend.convert_to_tensor(np.array([1.7, -2.2], "float32"), dtype="float16")
    assert backend.standardize_dtype(tensor.dtype) == "float16"


def test_tensor_does_not_follow_later_writes_to_the_array():
    source = np.ones((4,), "float32")
    tensor = backend.convert_to_tensor(source)
    source[0] = 5.0
    assert backend.convert_to_numpy(tensor).tolist() == [1.0, 1.0, 1.0, 1.0]
