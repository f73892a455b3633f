"""Unit tests of refkeras.dtype_policies."""

from __future__ import annotations

import pytest

import refkeras.dtype_policies as dtype_policies
from refkeras.serialization import serialize_keras_object


@pytest.mark.parametrize("name, compute, variable", [
    ("float32", "float32", "float32"), ("bfloat16", "bfloat16", "bfloat16"),
    ("mixed_float16", "float16", "float32"), ("mixed_bfloat16", "bfloat16", "float32"),
])
def test_dtypes(name, compute, variable):
    policy = dtype_policies.DTypePolicy(name)
    assert (policy.name, policy.compute_dtype, policy.variable_dtype) == (name, compute, variable)
    assert repr(policy) == f'<DTypePolicy "{name}">'


def test_serialized_form():
    assert serialize_keras_object(dtype_policies.DTypePolicy("mixed_float16")) == {
        "module": "keras", "class_name": "DTypePolicy", "config": {"name": "mixed_float16"},
        "registered_name": None}


def test_errors():
    with pytest.raises(ValueError, match="Cannot convert 'nope'"):
        dtype_policies.DTypePolicy("nope")
    with pytest.raises(TypeError, match="'name' must be a string"):
        dtype_policies.DTypePolicy(1)
    with pytest.raises(ValueError, match="Cannot interpret `dtype` argument"):
        dtype_policies.get(1.5)


def test_global_policy():
    before = dtype_policies.dtype_policy()
    try:
        dtype_policies.set_dtype_policy("mixed_bfloat16")
        assert dtype_policies.get(None).name == "mixed_bfloat16"
        assert dtype_policies.DTypePolicy().compute_dtype == "bfloat16"
    finally:
        dtype_policies.set_dtype_policy(before)
