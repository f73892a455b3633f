"""Dtype names: one canonical string per dtype, whatever object names it."""

from __future__ import annotations

from typing import Any

from refkeras.backend import config

ALLOWED_DTYPES = (
    "float16", "float32", "float64", "uint8", "uint16", "uint32", "uint64",
    "int8", "int16", "int32", "int64", "bfloat16", "bool", "string",
    "float8_e4m3fn", "float8_e5m2", "complex64", "complex128",
)
FLOAT_TYPES = ("bfloat16", "float16", "float32", "float64")
INT_TYPES = ("uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64")

# Python scalars map to the backend's default width for that kind, as upstream does:
# TensorFlow defaults to 64-bit integers, JAX (x64 disabled) to 32-bit ones.
_INT_DEFAULT = "int64" if config.backend() == "tensorflow" else "int32"
_COMPLEX_DEFAULT = "complex128" if config.backend() == "tensorflow" else "complex64"
_PYTHON_TYPES = {
    bool: "bool", int: _INT_DEFAULT, float: "float32", str: "string",
    "int": _INT_DEFAULT, complex: _COMPLEX_DEFAULT,
}
_CACHE: dict[Any, str] = {}


def standardize_dtype(dtype: Any) -> str:
    """Canonical dtype string for ``dtype`` (a string, numpy/jax/tf dtype or
    Python type); ``None`` means ``floatx()``.

    >>> standardize_dtype("float32"), standardize_dtype(bool)
    ('float32', 'bool')
    """
    if dtype is None:
        return config.floatx()
    # Keyed with the type too: 3 == np.int64(3) == 3.0 must not share an entry.
    key = (type(dtype), dtype)
    try:
        return _CACHE[key]
    except (KeyError, TypeError):
        pass
    name = _PYTHON_TYPES.get(dtype, dtype) if _hashable(dtype) else dtype
    if hasattr(name, "name"):
        name = name.name
    elif hasattr(name, "__name__"):
        name = name.__name__
    elif "jax.numpy" in str(name):
        name = str(name).split(".")[-1]
    if name not in ALLOWED_DTYPES:
        raise ValueError(f"Invalid dtype: {name}")
    if _hashable(dtype):
        _CACHE[key] = name
    return name


def _hashable(x: Any) -> bool:
    try:
        hash(x)
    except TypeError:
        return False
    return True


def is_float_dtype(dtype: Any) -> bool:
    """True for floating dtypes (including bfloat16 and float8 variants)."""
    return standardize_dtype(dtype).startswith(("float", "bfloat"))


def is_int_dtype(dtype: Any) -> bool:
    """True for signed or unsigned integer dtypes."""
    return standardize_dtype(dtype).startswith(("int", "uint"))
