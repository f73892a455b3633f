"""Dtype promotion (``refkeras.backend.promotion``) from the lattice's definition."""

from __future__ import annotations

import itertools

import pytest

from refkeras.backend import config
from refkeras.backend.promotion import least_upper_bound, result_type

JAX = config.backend() == "jax"
REAL = ("bool", "uint8", "uint16", "uint32", "int8", "int16", "int32", "bfloat16", "float16",
        "float32")


@pytest.mark.parametrize("a, b, expected", [
    ("uint8", "int8", "int16"),          # the smallest signed type holding both ranges
    ("uint16", "int16", "int32"),
    ("uint32", "int32", "int64"),
    ("bfloat16", "float16", "float32"),  # neither holds the other
    ("int64", "float16", "float16"),     # ints meet floats at the float
    ("bool", "uint8", "uint8"),
    ("float32", "complex64", "complex64"),
])
def test_least_upper_bound_of_pairs(a, b, expected):
    assert least_upper_bound(a, b) == expected


@pytest.mark.parametrize("a, b", list(itertools.product(REAL, repeat=2)))
def test_result_type_is_symmetric_and_idempotent(a, b):
    assert result_type(a, b) == result_type(b, a)
    assert result_type(a, a) == a


@pytest.mark.parametrize("dtype", REAL)
def test_weak_python_scalars_keep_the_tensor_dtype(dtype):
    # A weak int leaves any non-bool tensor dtype unchanged; bool meets it at the default int.
    assert result_type(dtype, int) == ("int32" if dtype == "bool" else dtype)
    is_float = "float" in dtype
    assert result_type(dtype, float) == (dtype if is_float else "float32")


def test_weak_only_results_take_floatx_width():
    assert result_type(int) == "int32"
    assert result_type(float, int) == "float32"
    assert result_type() == "float32"
    assert result_type(None) == "float32"
    config.set_floatx("float16")
    try:
        assert result_type(int, int) == "int16"
        assert result_type(float) == "float16"
    finally:
        config.set_floatx("float32")


def test_bool_is_never_weak():
    assert result_type(bool, bool) == "bool"
    assert result_type(bool, "int8") == "int8"


def test_64_bit_results_narrow_by_backend():
    assert result_type("uint64") == "uint32"
    assert result_type("complex128") == "complex64"
    assert result_type("int64") == ("int32" if JAX else "int64")
    assert result_type("float64", "int8") == ("float32" if JAX else "float64")


def test_float8_does_not_promote():
    with pytest.raises(ValueError, match="no implicit conversions from float8"):
        result_type("float8_e4m3fn", "float32")


def test_unknown_dtype_is_a_value_error():
    with pytest.raises(ValueError):
        result_type("string", "int32")
