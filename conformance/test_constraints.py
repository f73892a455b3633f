"""Differential tests of ``constraints``: configs, lookup and projected weights."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import refkeras.constraints  # noqa: F401  (not yet exported by refkeras/__init__)
from conformance.tolerances import assert_close

axes = st.sampled_from([0, 1, -1, [0, 1]])
positive = st.one_of(st.integers(1, 4), st.floats(0.1, 5))
ARGS = {
    "MaxNorm": st.fixed_dictionaries({}, optional={"max_value": positive, "axis": axes}),
    "MinMaxNorm": st.fixed_dictionaries({}, optional={
        "min_value": st.floats(0, 1), "max_value": st.floats(1, 4), "rate": st.floats(0, 1),
        "axis": axes}),
    "UnitNorm": st.fixed_dictionaries({}, optional={"axis": axes}),
    "NonNeg": st.just({}),
    "Constraint": st.just({}),
}


@st.composite
def constraint_args(draw: Any, names: tuple = tuple(sorted(ARGS))) -> tuple[str, dict]:
    name = draw(st.sampled_from(names))
    return name, draw(ARGS[name])


def to_numpy(x: Any) -> np.ndarray:
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


@pytest.mark.spec("layer_utilities.constraints.configs")
@given(constraint_args())
def test_configs_and_serialization_match(impl, upstream, args):
    name, kwargs = args
    ours = getattr(impl.constraints, name)(**kwargs)
    theirs = getattr(upstream.constraints, name)(**kwargs)
    assert ours.get_config() == theirs.get_config()
    assert impl.constraints.serialize(ours) == upstream.constraints.serialize(theirs)
    rebuilt = upstream.constraints.deserialize(impl.constraints.serialize(ours))
    assert rebuilt.get_config() == ours.get_config()
    back = impl.constraints.deserialize(upstream.constraints.serialize(theirs))
    assert back.get_config() == theirs.get_config()


def check_projection(impl: Any, upstream: Any, args: tuple, dtype: str, seed: int) -> None:
    name, kwargs = args
    w = (np.random.default_rng(seed).standard_normal((3, 4)) * 2).astype(dtype)
    got = getattr(impl.constraints, name)(**kwargs)(impl.ops.convert_to_tensor(w))
    want = getattr(upstream.constraints, name)(**kwargs)(upstream.ops.convert_to_tensor(w))
    got, want = to_numpy(got), to_numpy(want)
    assert_close(got, want, "exact")


dtypes = st.sampled_from(["float32", "float64", "float16"])


@pytest.mark.spec("layer_utilities.constraints.values")
@given(constraint_args(("Constraint", "MaxNorm", "MinMaxNorm", "UnitNorm")), dtypes,
       st.integers(0, 2**16))
def test_projections_are_bit_identical(impl, upstream, args, dtype, seed):
    check_projection(impl, upstream, args, dtype, seed)


@pytest.mark.spec("layer_utilities.constraints.values")
@given(dtypes, st.integers(0, 2**16))
def test_non_neg_is_bit_identical(impl, upstream, dtype, seed):
    check_projection(impl, upstream, ("NonNeg", {}), dtype, seed)


@pytest.mark.spec("layer_utilities.constraints.get")
@pytest.mark.parametrize("identifier", ["MaxNorm", "max_norm", "MinMaxNorm", "min_max_norm",
                                        "NonNeg", "non_neg", "UnitNorm", "unit_norm",
                                        "Constraint", "constraint",
                                        {"class_name": "MaxNorm", "config": {"max_value": 3}}])
def test_get_matches(impl, upstream, identifier):
    got = impl.constraints.get(identifier)
    want = upstream.constraints.get(identifier)
    assert impl.constraints.serialize(got) == upstream.constraints.serialize(want)


@pytest.mark.spec("layer_utilities.constraints.get")
def test_get_edge_cases(impl, upstream):
    assert impl.constraints.get(None) is None
    for lib in (impl, upstream):
        for bad in ("no_such", 3):
            with pytest.raises(ValueError, match="Could not interpret constraint identifier"):
                lib.constraints.get(bad)
