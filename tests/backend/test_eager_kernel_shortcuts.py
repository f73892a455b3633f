"""The backends' eager shortcuts (softmax; JAX arithmetic) give the libraries' own bits.

JAX runs eager softmax as five separately compiled steps instead of
``jax.nn.softmax``'s custom-JVP wrapper; TensorFlow calls the Softmax op
without ``tf.nn.softmax``'s wrapper. Both must keep the bits (and, on JAX, the
gradient under a trace) of the library call they stand in for.
"""

from __future__ import annotations

import numpy as np
import pytest

from refkeras import backend
from refkeras.backend import numeric

FLOATS = ["float16", "bfloat16", "float32", "float64"]
SHAPES = [(32, 64), (7,), (3, 5, 11), (1, 9), (0, 4)]


def _reference_softmax(x, axis):
    """The library softmax each backend's kernel shortcuts."""
    if backend.backend() == "jax":
        import jax  # noqa: PLC0415

        return jax.nn.softmax(x, axis=axis)
    import tensorflow as tf  # noqa: PLC0415

    if axis is None:
        return tf.reshape(tf.nn.softmax(tf.reshape(x, [-1])), tf.shape(x))
    return tf.nn.softmax(x, axis=axis)


def _bits(x) -> np.ndarray:
    array = np.asarray(backend.convert_to_numpy(x))
    return array.reshape(-1).view(np.uint8)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("axis", [-1, 0, None])
def test_eager_softmax_is_bit_identical_to_the_library(dtype, shape, axis):
    rng = np.random.default_rng(sum(shape) + len(dtype))
    values = (rng.standard_normal(shape) * 20).astype("float32")
    if values.size > 3:
        values.flat[1], values.flat[2] = np.inf, -np.inf  # NaN rows and zeros, as upstream
    x = backend.cast(backend.convert_to_tensor(values), dtype)
    ours, reference = numeric.softmax(x, axis=axis), _reference_softmax(x, axis)
    assert ours.dtype == reference.dtype  # float64 is float32 on JAX without x64
    np.testing.assert_array_equal(_bits(ours), _bits(reference))


def test_eager_softmax_accepts_numpy():
    values = np.random.default_rng(3).standard_normal((4, 6)).astype("float32")
    ours = backend.convert_to_numpy(numeric.softmax(values))
    expected = np.exp(values - values.max(-1, keepdims=True))
    np.testing.assert_allclose(ours, expected / expected.sum(-1, keepdims=True), rtol=1e-6)


@pytest.mark.skipif(backend.backend() != "jax", reason="the traced path is JAX's")
def test_jax_softmax_under_jit_and_grad_keeps_the_custom_jvp():
    import jax  # noqa: PLC0415
    import jax.numpy as jnp  # noqa: PLC0415

    x = jnp.asarray(np.random.default_rng(4).standard_normal((3, 5)).astype("float32"))

    def first(fn):
        return jax.jit(jax.grad(lambda v: fn(v, axis=-1)[0, 0]))(x)

    np.testing.assert_array_equal(np.asarray(first(numeric.softmax)),
                                  np.asarray(first(jax.nn.softmax)))


@pytest.mark.skipif(backend.backend() != "jax", reason="the compiled arithmetic is JAX's")
@pytest.mark.parametrize("name", ["add", "subtract", "multiply"])
@pytest.mark.parametrize("dtypes", [("float32", "float32"), ("int8", "float16"),
                                    ("bfloat16", "float32"), ("int32", "uint8"),
                                    ("weak", "float16")])
def test_jax_arithmetic_on_arrays_is_the_eager_op(name, dtypes):
    import jax.numpy as jnp  # noqa: PLC0415

    rng = np.random.default_rng(5)

    def operand(dtype, shape):
        if dtype == "weak":
            return jnp.asarray(1.5)  # a weakly typed scalar array
        return jnp.asarray((rng.standard_normal(shape) * 50).astype("float32")).astype(dtype)

    x1, x2 = operand(dtypes[0], (4, 5)), operand(dtypes[1], (5,))
    ours, expected = getattr(numeric, name)(x1, x2), getattr(jnp, name)(x1, x2)
    assert ours.dtype == expected.dtype and ours.weak_type == expected.weak_type
    np.testing.assert_array_equal(_bits(ours), _bits(expected))
    for bad in (jnp.ones((3,)), jnp.ones((2, 3))):  # jnp raises TypeError, then ValueError
        with pytest.raises(Exception) as theirs:
            getattr(jnp, name)(x2, bad)
        with pytest.raises(theirs.type):
            getattr(numeric, name)(x2, bad)


@pytest.mark.skipif(backend.backend() != "jax", reason="the compiled arithmetic is JAX's")
@pytest.mark.parametrize("name", ["add", "subtract", "multiply"])
@pytest.mark.parametrize("other", ["variable", "numpy", "float", "int", "bool"])
def test_jax_arithmetic_converts_before_taking_the_compiled_path(name, other):
    # Variables (the Dense bias), NumPy arrays and Python scalars convert to concrete
    # arrays first and then take the compiled program: the result must be the eager
    # op on the same converted operands, weak typing included.
    import jax.numpy as jnp  # noqa: PLC0415

    from refkeras.backend import Variable  # noqa: PLC0415

    x = jnp.asarray(np.random.default_rng(6).standard_normal((3, 4), dtype=np.float32))
    operand = {
        "variable": lambda: Variable(np.full((4,), 0.25, "float32"), name="v"),
        "numpy": lambda: np.arange(4, dtype="int16"),
        "float": lambda: 1.5,
        "int": lambda: 3,
        "bool": lambda: True,
    }[other]()
    for x1, x2 in ((x, operand), (operand, x)):
        ours = getattr(numeric, name)(x1, x2)
        expected = getattr(jnp, name)(backend.convert_to_tensor(x1), backend.convert_to_tensor(x2))
        assert ours.dtype == expected.dtype and ours.weak_type == expected.weak_type
        np.testing.assert_array_equal(_bits(ours), _bits(expected))


FILL_DTYPES = ["float32", "float16", "bfloat16", "bool", "int8", "uint8", "int32", "uint32",
               "int64", "float64"]


@pytest.mark.skipif(backend.backend() != "jax", reason="JAX's fills")
@pytest.mark.parametrize("path", ["host", "compiled", "large"])
@pytest.mark.parametrize("name", ["zeros", "ones"])
@pytest.mark.parametrize("dtype", FILL_DTYPES)
def test_jax_fills_are_jnps(monkeypatch, path, name, dtype):
    import warnings  # noqa: PLC0415

    import jax.numpy as jnp  # noqa: PLC0415

    from refkeras.backend.jax import core  # noqa: PLC0415
    from refkeras.backend.jax import numeric as jax_numeric  # noqa: PLC0415

    # host: every key new; compiled: every key recurring; large: over the host limit.
    threshold = 0 if path == "compiled" else 10**9
    monkeypatch.setattr(jax_numeric, "_fill_keys", core.RecurringKeys(threshold))
    if path == "large":
        monkeypatch.setattr(jax_numeric, "HOST_FILL_BYTES", 0)
    for shape in [(), (0, 3), (5,), (3, 4, 2)]:
        with warnings.catch_warnings():  # int64/float64 without x64: jnp warns and narrows
            warnings.simplefilter("ignore")
            ours, expected = getattr(numeric, name)(shape, dtype), getattr(jnp, name)(shape, dtype)
        assert ours.dtype == expected.dtype and ours.shape == expected.shape
        assert ours.weak_type == expected.weak_type
        np.testing.assert_array_equal(np.asarray(ours), np.asarray(expected))


@pytest.mark.skipif(backend.backend() != "jax", reason="JAX's tiered compilation")
def test_recurring_keys_earn_their_program_after_threshold_uses():
    from refkeras.backend.jax.core import RecurringKeys  # noqa: PLC0415

    keys = RecurringKeys(threshold=3, capacity=2)
    assert [keys.recurring("a") for _ in range(5)] == [False, False, False, True, True]
    assert keys.recurring("b") is False
    assert keys.recurring("c") is False  # a third key: the table starts afresh
    assert keys.recurring("a") is False


@pytest.mark.skipif(backend.backend() != "jax", reason="JAX's tiered compilation")
@pytest.mark.parametrize("dtype", ["float32", "float16", "bfloat16", "int8", "uint16", "bool",
                                   "int64", "float64", "complex64"])
def test_jax_numpy_conversion_is_jnp_asarray_on_both_tiers(monkeypatch, jax_compiles, dtype):
    import jax.numpy as jnp  # noqa: PLC0415

    from refkeras.backend.jax import core  # noqa: PLC0415

    original = (np.random.default_rng(8).standard_normal((3, 5)) * 9).astype(jnp.dtype(dtype))
    expected = np.asarray(jnp.asarray(original))
    for threshold in (10**9, 0):  # a shape seen once; a recurring shape
        monkeypatch.setattr(core, "_converted_shapes", core.RecurringKeys(threshold))
        values = original.copy()
        with jax_compiles() as log:
            ours = core.convert_to_tensor(values)
        if threshold:  # one-off shapes compile nothing (but the process's one probe)
            assert [name for name in log.names if name != "jit(_probe)"] == []
        reference = jnp.asarray(values)
        assert ours.dtype == reference.dtype and ours.weak_type == reference.weak_type
        np.testing.assert_array_equal(np.asarray(ours), expected)
        values[...] = 0  # a copy: the array does not alias NumPy memory
        np.testing.assert_array_equal(np.asarray(ours), expected)


@pytest.mark.skipif(backend.backend() != "jax", reason="JAX's fills")
def test_jax_small_fills_of_a_new_shape_compile_nothing(jax_compiles):
    # A compiled fill costs a compilation per (shape, dtype): ~20 ms and ~2 MiB of
    # host memory kept by its executable; an optimizer's slots would pay it per shape.
    with jax_compiles() as log:
        for dims in [(17, 29), (31,), (3, 37, 2)]:
            numeric.zeros(dims)
            numeric.ones(dims, "int32")
    assert [name for name in log.names if name != "jit(_probe)"] == []  # the process's one probe


@pytest.mark.skipif(backend.backend() != "jax", reason="JAX's fills")
def test_jax_fills_under_a_trace_stay_in_the_program():
    import jax  # noqa: PLC0415

    def fill(x):
        return x + numeric.ones((3,)) + numeric.zeros((3,))

    x = np.arange(3, dtype="float32")
    assert jax.make_jaxpr(fill)(x).consts == []  # no host array captured as a constant
    np.testing.assert_array_equal(np.asarray(jax.jit(fill)(x)), [1.0, 2.0, 3.0])


@pytest.mark.skipif(backend.backend() != "jax", reason="JAX's compiled divide_no_nan")
def test_jax_eager_divide_no_nan_is_one_program_with_the_traced_bits(jax_compiles):
    import jax  # noqa: PLC0415
    import jax.numpy as jnp  # noqa: PLC0415

    from refkeras.backend.jax import extra_numeric  # noqa: PLC0415

    rng = np.random.default_rng(7)
    x1 = jnp.asarray(rng.standard_normal((4, 6), dtype=np.float32) * 30)
    x2 = jnp.asarray(np.where(rng.random((4, 6)) < 0.3, 0, rng.standard_normal((4, 6)))
                     .astype("float16"))
    with jax_compiles() as log:
        eager = extra_numeric.divide_no_nan(x1, x2)
    assert len(log.names) <= 1  # one program (none when an earlier test compiled it)
    traced = jax.jit(extra_numeric.divide_no_nan)(x1, x2)
    assert eager.dtype == traced.dtype == jnp.float32
    np.testing.assert_array_equal(_bits(eager), _bits(traced))
    assert np.all(np.asarray(eager)[np.asarray(x2) == 0] == 0)
    np.testing.assert_array_equal(np.asarray(eager), np.asarray(
        jnp.where(x2 == 0, 0, x1 / jnp.where(x2 == 0, 1, x2))))
    grad = jax.grad(lambda a: extra_numeric.divide_no_nan(a, x2).sum())(x1)
    assert np.all(np.isfinite(np.asarray(grad)))
