"""Differential tests of ``dtype_policies``: names, dtypes, configs, lookup and errors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import refkeras.dtype_policies  # noqa: F401  (not yet exported by refkeras/__init__)

NAMES = ("float32", "float16", "bfloat16", "float64", "mixed_float16", "mixed_bfloat16",
         "int32", "bool", "uint8", "int")
BAD_NAMES = ("float", "mixed_float32", "", "Float32")


def policy(lib: Any, name: Any, cls: str = "DTypePolicy") -> Any:
    return getattr(lib.dtype_policies, cls)(name)


@pytest.mark.spec("layer_utilities.dtype_policies.names", "layer_utilities.dtype_policies.config")
@given(st.sampled_from(NAMES), st.sampled_from(["DTypePolicy", "FloatDTypePolicy"]))
def test_policies_match(impl, upstream, name, cls):
    ours, theirs = policy(impl, name, cls), policy(upstream, name, cls)
    for attr in ("name", "compute_dtype", "variable_dtype", "quantization_mode"):
        assert getattr(ours, attr) == getattr(theirs, attr), attr
    assert repr(ours) == repr(theirs)
    assert ours.get_config() == theirs.get_config()
    config = impl.dtype_policies.serialize(ours)
    assert config == upstream.dtype_policies.serialize(theirs)
    assert upstream.dtype_policies.deserialize(config) == theirs
    assert impl.dtype_policies.deserialize(config) == ours
    assert ours == policy(impl, name, "DTypePolicy") and ours != name


@pytest.mark.spec("layer_utilities.dtype_policies.names")
@pytest.mark.parametrize("name, error, phrase", [
    *[(bad, ValueError, "Cannot convert") for bad in BAD_NAMES],
    (3, TypeError, "'name' must be a string"), (np.float32, TypeError, "'name' must be a string"),
])
def test_bad_names_raise(impl, upstream, name, error, phrase):
    for lib in (impl, upstream):
        with pytest.raises(error, match=phrase):
            policy(lib, name)


@pytest.mark.spec("layer_utilities.dtype_policies.get")
@pytest.mark.parametrize("identifier", [
    "float16", "mixed_bfloat16", np.float16, "float64",
    {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "bfloat16"},
     "registered_name": None},
])
def test_get_matches(impl, upstream, identifier):
    assert repr(impl.dtype_policies.get(identifier)) == \
        repr(upstream.dtype_policies.get(identifier))


@pytest.mark.spec("layer_utilities.dtype_policies.get")
def test_get_errors(impl, upstream):
    for lib in (impl, upstream):
        with pytest.raises(ValueError, match="Cannot interpret `dtype` argument"):
            lib.dtype_policies.get(3)
        instance = policy(lib, "float16")
        assert lib.dtype_policies.get(instance) is instance


def global_api(lib: Any) -> tuple[Any, Any]:
    if lib.__name__ == "keras":
        return lib.config.dtype_policy, lib.config.set_dtype_policy
    return lib.dtype_policies.dtype_policy, lib.dtype_policies.set_dtype_policy


@pytest.mark.spec("layer_utilities.dtype_policies.global")
@pytest.mark.parametrize("name", ["mixed_float16", "bfloat16"])
def test_global_policy(impl, upstream, name):
    for lib in (impl, upstream):
        get_global, set_global = global_api(lib)
        before = get_global()
        try:
            set_global(name)
            assert get_global().name == name
            assert policy(lib, None).name == name
            assert lib.dtype_policies.get(None).name == name
            with pytest.raises(ValueError, match="Invalid `policy` argument"):
                set_global(3)
        finally:
            set_global(before)
        assert get_global() is before
