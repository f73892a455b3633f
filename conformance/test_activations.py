"""Differential tests of ``activations``: refkeras against upstream keras on the same backend.

Eager values must be bit-identical (same kernels); symbolic calls must give the same shape,
dtype and recorded op class; lookup and serialization must agree, errors included.
"""

from __future__ import annotations

from typing import Any

import ml_dtypes
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import refkeras.activations  # noqa: F401  (not yet exported by refkeras/__init__)
from conformance.tolerances import assert_close

# name -> strategy for its keyword arguments.
ACTIVATIONS: dict[str, st.SearchStrategy] = {
    "relu": st.fixed_dictionaries({}, optional={
        "negative_slope": st.sampled_from([0.0, 0.1, 0.3]),
        "max_value": st.sampled_from([None, 6.0, 1.5, 6]),
        "threshold": st.sampled_from([0.0, 0.5, -1.0])}),
    "leaky_relu": st.fixed_dictionaries({}, optional={"negative_slope": st.floats(0, 1)}),
    "elu": st.fixed_dictionaries({}, optional={"alpha": st.sampled_from([1.0, 0.5, 2.0])}),
    "celu": st.fixed_dictionaries({}, optional={"alpha": st.sampled_from([1.0, 0.5, 2.0])}),
    "gelu": st.fixed_dictionaries({}, optional={"approximate": st.booleans()}),
    "softmax": st.fixed_dictionaries({}, optional={"axis": st.sampled_from([-1, 0])}),
    "log_softmax": st.fixed_dictionaries({}, optional={"axis": st.sampled_from([-1, 0])}),
    "soft_shrink": st.fixed_dictionaries({}, optional={"threshold": st.floats(0, 2)}),
    "hard_shrink": st.fixed_dictionaries({}, optional={"threshold": st.floats(0, 2)}),
    "threshold": st.fixed_dictionaries({"threshold": st.floats(-1, 1),
                                        "default_value": st.floats(-2, 2)}),
    "squareplus": st.fixed_dictionaries({}, optional={"b": st.sampled_from([4, 1, 0.5])}),
    "glu": st.just({}),
    "sparsemax": st.just({}),
    **{name: st.just({}) for name in (
        "relu6", "selu", "silu", "swish", "hard_sigmoid", "hard_silu", "hard_swish", "sigmoid",
        "tanh", "tanh_shrink", "hard_tanh", "softplus", "softsign", "sparse_plus",
        "sparse_sigmoid", "log_sigmoid", "exponential", "mish", "linear")},
}
# Upstream converts the input with the backend before building a graph op for these, so a
# KerasTensor raises there; refkeras records an op instead (spec: activations.symbolic).
UPSTREAM_NOT_SYMBOLIC = {"mish", "hard_silu", "hard_swish", "sparsemax"}
FLOAT_DTYPES = ("float32", "float64", "float16", "bfloat16")


@st.composite
def inputs(draw: Any) -> np.ndarray:
    """A float array with an even last dimension (for glu), one value at a kink."""
    dtype = draw(st.sampled_from(FLOAT_DTYPES))
    # Few shapes: JAX compiles each kernel once per shape and dtype, which dominates run time.
    shape = draw(st.sampled_from([(6,), (2, 4)]))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    values = rng.standard_normal(shape) * 4
    values.flat[0] = draw(st.sampled_from([0.0, -0.0, 1.0, -1.0, 6.0, -3.0, 3.0]))
    return values.astype(ml_dtypes.bfloat16 if dtype == "bfloat16" else dtype)


def to_numpy(x: Any) -> np.ndarray:
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


def run(lib: Any, name: str, x: Any, kwargs: dict) -> tuple[Any, Any]:
    try:
        return getattr(lib.activations, name)(x, **kwargs), None
    except Exception as e:  # noqa: BLE001  (the exception is the observation)
        return None, e


@pytest.mark.spec("layer_utilities.activations.names", "layer_utilities.activations.values")
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@given(data=st.data())
def test_eager_values_are_bit_identical(impl, upstream, name, data):
    x = data.draw(inputs())
    kwargs = data.draw(ACTIVATIONS[name])
    as_tensor = data.draw(st.booleans())
    got, got_error = run(impl, name, impl.ops.convert_to_tensor(x) if as_tensor else x, kwargs)
    want, want_error = run(upstream, name,
                           upstream.ops.convert_to_tensor(x) if as_tensor else x, kwargs)
    if want_error is not None:
        assert type(got_error) is type(want_error), f"{got_error!r} vs {want_error!r}"
        return
    assert got_error is None, f"refkeras raised {got_error!r}"
    got, want = to_numpy(got), to_numpy(want)
    assert got.dtype == want.dtype
    if got.dtype == ml_dtypes.bfloat16:
        got, want = got.astype(np.float32), want.astype(np.float32)  # exact widening
    assert_close(got, want, "exact")


@pytest.mark.spec("layer_utilities.activations.symbolic")
@pytest.mark.parametrize("name", sorted(set(ACTIVATIONS) - UPSTREAM_NOT_SYMBOLIC))
@given(data=st.data())
def test_symbolic_calls_record_upstream_ops(impl, upstream, name, data):
    shape = tuple(data.draw(st.lists(st.none() | st.integers(1, 3), min_size=1, max_size=2)))
    shape += (4,)
    dtype = data.draw(st.sampled_from(FLOAT_DTYPES))
    kwargs = data.draw(ACTIVATIONS[name])
    got = getattr(impl.activations, name)(impl.KerasTensor(shape, dtype=dtype), **kwargs)
    want = getattr(upstream.activations, name)(upstream.KerasTensor(shape, dtype=dtype), **kwargs)
    assert tuple(got.shape) == tuple(want.shape) and got.dtype == want.dtype
    want_history = getattr(want, "_keras_history", None)
    if want_history is None:  # linear returns its input
        assert getattr(got, "_keras_history", None) is None
        return
    assert type(got._keras_history[0]).__name__ == type(want_history[0]).__name__


@pytest.mark.spec("layer_utilities.activations.symbolic")
@pytest.mark.parametrize("name", sorted(UPSTREAM_NOT_SYMBOLIC))
def test_refkeras_records_ops_where_upstream_cannot(impl, upstream, name):
    # The spec allows either upstream's ValueError or a recorded op of the input's spec.
    with pytest.raises(ValueError, match="KerasTensor cannot be used as input"):
        getattr(upstream.activations, name)(upstream.KerasTensor((None, 4)))
    try:
        y = getattr(impl.activations, name)(impl.KerasTensor((None, 4), dtype="float16"))
    except ValueError as e:
        assert "KerasTensor cannot be used as input" in str(e)
        return
    assert tuple(y.shape) == (None, 4) and y.dtype == "float16"


@pytest.mark.spec("layer_utilities.activations.serialize", "layer_utilities.activations.get")
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_lookup_and_serialize_match(impl, upstream, name):
    got = impl.activations.serialize(impl.activations.get(name))
    want = upstream.activations.serialize(upstream.activations.get(name))
    assert got == want
    assert impl.activations.get(want) is impl.activations.get(name)


def custom_activation(x):
    return x


@pytest.mark.spec("layer_utilities.activations.serialize", "layer_utilities.activations.get")
def test_get_edge_cases_and_errors(impl, upstream):
    assert impl.activations.get(None) is impl.activations.linear
    assert impl.activations.get(custom_activation) is custom_activation
    assert impl.activations.serialize(custom_activation) == \
        upstream.activations.serialize(custom_activation)
    config = {"module": "builtins", "class_name": "function", "config": "relu",
              "registered_name": "function"}
    assert impl.activations.get(config) is impl.activations.relu
    for bad in ("no_such_activation", 3, 0.5):
        for lib in (impl, upstream):
            with pytest.raises(ValueError, match="Could not interpret activation function"):
                lib.activations.get(bad)
    for lib in (impl, upstream):
        with pytest.raises(TypeError, match="Could not locate function 'no_such'"):
            lib.activations.get({**config, "config": "no_such"})
