"""Differential tests of ``regularizers``: configs, lookup and penalties against upstream."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import refkeras.regularizers  # noqa: F401  (not yet exported by refkeras/__init__)
from conformance.tolerances import assert_close

factors = st.one_of(st.none(), st.integers(0, 5), st.floats(0, 10, allow_nan=False),
                    st.sampled_from([0.01, 1e-4, 0.3, 0.0]))
bad_factors = st.sampled_from([-1, -0.5, float("nan"), float("inf"), "0.1", [0.1]])
CLASSES = {"L1": ("l1",), "L2": ("l2",), "L1L2": ("l1", "l2")}


@st.composite
def regularizer_args(draw: Any) -> tuple[str, dict]:
    name = draw(st.sampled_from(sorted(CLASSES)))
    keys = CLASSES[name]
    return name, {k: draw(factors) for k in keys if draw(st.booleans())}


def to_numpy(x: Any) -> np.ndarray:
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


@pytest.mark.spec("layer_utilities.regularizers.configs")
@given(regularizer_args())
def test_configs_and_serialization_match(impl, upstream, args):
    name, kwargs = args
    ours = getattr(impl.regularizers, name)(**kwargs)
    theirs = getattr(upstream.regularizers, name)(**kwargs)
    assert ours.get_config() == theirs.get_config()
    assert impl.regularizers.serialize(ours) == upstream.regularizers.serialize(theirs)
    rebuilt = upstream.regularizers.deserialize(impl.regularizers.serialize(ours))
    assert rebuilt.get_config() == ours.get_config()
    assert type(ours).from_config(ours.get_config()).get_config() == ours.get_config()


@pytest.mark.spec("layer_utilities.regularizers.configs")
@given(st.sampled_from(sorted(CLASSES)), bad_factors)
def test_invalid_factors_raise(impl, upstream, name, bad):
    key = CLASSES[name][0]
    for lib in (impl, upstream):
        with pytest.raises(ValueError, match=f"Invalid value for argument {key}"):
            getattr(lib.regularizers, name)(**{key: bad})


@pytest.mark.spec("layer_utilities.regularizers.values")
@given(regularizer_args(), st.sampled_from(["float32", "float64", "float16"]),
       st.integers(0, 2**16), st.booleans())
def test_penalties_are_bit_identical(impl, upstream, args, dtype, seed, as_tensor):
    name, kwargs = args
    x = (np.random.default_rng(seed).standard_normal((3, 4)) * 2).astype(dtype)
    got = getattr(impl.regularizers, name)(**kwargs)(
        impl.ops.convert_to_tensor(x) if as_tensor else x)
    want = getattr(upstream.regularizers, name)(**kwargs)(
        upstream.ops.convert_to_tensor(x) if as_tensor else x)
    assert_close(to_numpy(got), to_numpy(want), "exact")


@pytest.mark.spec("layer_utilities.regularizers.get")
@pytest.mark.parametrize("identifier", ["L1", "l1", "L2", "l2", "L1L2", "l1l2",
                                        {"class_name": "L2", "config": {"l2": 0.5}},
                                        {"module": "keras.regularizers", "class_name": "L1",
                                         "config": {"l1": 0.25}, "registered_name": None}])
def test_get_matches(impl, upstream, identifier):
    got = impl.regularizers.get(identifier)
    want = upstream.regularizers.get(identifier)
    assert impl.regularizers.serialize(got) == upstream.regularizers.serialize(want)


@pytest.mark.spec("layer_utilities.regularizers.get")
def test_get_edge_cases(impl, upstream):
    assert impl.regularizers.get(None) is None
    instance = impl.regularizers.L2(0.5)
    assert impl.regularizers.get(instance) is instance
    assert isinstance(impl.regularizers.get(impl.regularizers.L1), impl.regularizers.L1)
    for lib in (impl, upstream):
        for bad in ("no_such", 3):
            with pytest.raises(ValueError, match="Could not interpret regularizer identifier"):
                lib.regularizers.get(bad)
