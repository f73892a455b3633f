"""Differential tests of ``random``: seeds, SeedGenerator, global seeding, sampled bits."""

from __future__ import annotations

import random as python_random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance.rng_support import (
    BACKEND,
    FLOAT_DTYPES,
    MAX_SEED,
    SHAPES,
    assert_bitwise,
    assert_same_outcome,
    outcome,
    random_module,
    set_random_seed,
    to_numpy,
)

spec = pytest.mark.spec

shapes = st.sampled_from(SHAPES)
seeds = st.integers(0, MAX_SEED)
moments = st.floats(-5, 5, allow_nan=False)
scales = st.floats(0.01, 5, allow_nan=False)


def _sampler_call(data: st.DataObject):
    """Draws one sampler call as (function name, kwargs without seed)."""
    name = data.draw(st.sampled_from(["normal", "uniform", "truncated_normal", "randint"]))
    shape = data.draw(shapes)
    if name == "randint":
        low = data.draw(st.integers(-50, 50))
        return name, dict(shape=shape, minval=low, maxval=low + data.draw(st.integers(1, 100)),
                          dtype=data.draw(st.sampled_from(["int32", "int64", "uint8", "int16"])))
    dtype = data.draw(st.sampled_from(FLOAT_DTYPES))
    if name == "uniform":
        low = data.draw(moments)
        return name, dict(shape=shape, minval=low, maxval=low + data.draw(scales), dtype=dtype)
    return name, dict(shape=shape, mean=data.draw(moments), stddev=data.draw(scales),
                      dtype=dtype)


@spec("random.seed.int_pair", "random.seed.bitwise")
@given(data=st.data(), seed=seeds)
def test_samplers_with_int_seed_match_upstream_bits(impl, upstream, data, seed):
    name, kwargs = _sampler_call(data)
    ours = outcome(lambda: getattr(random_module(impl), name)(seed=seed, **kwargs))
    theirs = outcome(lambda: getattr(upstream.random, name)(seed=seed, **kwargs))
    assert_same_outcome(ours, theirs)
    again = outcome(lambda: getattr(random_module(impl), name)(seed=seed, **kwargs))
    assert_same_outcome(again, ours)  # an int seed gives the same values every time


@spec("random.seed.bitwise", "random.dropout.shortcuts")
@given(shape=shapes, rate=st.sampled_from([0.0, 0.1, 0.5, 0.9, 1.0]), seed=seeds,
       share_axis=st.booleans())
def test_dropout_matches_upstream_bits(impl, upstream, shape, rate, seed, share_axis):
    x = np.arange(1, np.prod(shape) + 1, dtype="float32").reshape(shape)
    noise_shape = (None,) * (len(shape) - 1) + (1,) if share_axis else None
    ours = outcome(lambda: random_module(impl).dropout(x, rate, noise_shape=noise_shape,
                                                       seed=seed))
    theirs = outcome(lambda: upstream.random.dropout(x, rate, noise_shape=noise_shape,
                                                     seed=seed))
    assert_same_outcome(ours, theirs)


@spec("random.seed.bitwise", "random.statistics")
@given(shape=shapes, seed=seeds,
       axis=st.integers(0, 3))
def test_shuffle_matches_upstream_bits(impl, upstream, shape, seed, axis):
    axis = axis % len(shape)
    x = np.arange(np.prod(shape), dtype="int32").reshape(shape)
    ours = random_module(impl).shuffle(x, axis=axis, seed=seed)
    assert_bitwise(ours, upstream.random.shuffle(x, axis=axis, seed=seed))
    assert sorted(to_numpy(ours).ravel()) == list(range(x.size))  # a permutation


@spec("random.seed.forms")
@pytest.mark.parametrize("bad", [1.5, "3", np.int64(3), [1, 2]])
def test_other_seed_types_are_rejected(impl, upstream, bad):
    for lib in (impl, upstream):
        with pytest.raises(ValueError, match="Argument `seed` must be either an integer"):
            random_module(lib).normal((2,), seed=bad)


@spec("random.seed.jax_range")
@pytest.mark.parametrize("seed", [-1, 2**32])
def test_seeds_outside_uint32_on_jax(impl, upstream, seed):
    ours = outcome(lambda: random_module(impl).normal((3,), seed=seed))
    theirs = outcome(lambda: upstream.random.normal((3,), seed=seed))
    assert_same_outcome(ours, theirs)
    if BACKEND == "jax":
        assert isinstance(ours[1], OverflowError)


@spec("random.default_seed")
def test_make_default_seed_draws_randint_from_python_random(impl):
    make = getattr(random_module(impl), "make_default_seed", None)
    if make is None:  # upstream keeps it private; check it through SeedGenerator instead
        from keras.src.random.seed_generator import make_default_seed as make
    python_random.seed(1234)
    drawn = [make() for _ in range(5)]
    python_random.seed(1234)
    assert drawn == [python_random.randint(1, 10**9) for _ in range(5)]


@spec("random.seed_generator.state")
@given(seed=st.integers(0, 2**31 - 1))
def test_seed_generator_state_variable(impl, upstream, seed):
    ours = random_module(impl).SeedGenerator(seed, name="gen")
    theirs = upstream.random.SeedGenerator(seed, name="gen")
    for gen in (ours, theirs):
        assert gen.state.shape == (2,)
        assert gen.state.trainable is False
        assert gen.state.name == "seed_generator_state"
        assert gen.state.path == "gen/seed_generator_state"
    assert ours.state.dtype == theirs.state.dtype
    assert_bitwise(ours.state.numpy(), theirs.state.numpy())


@spec("random.seed_generator.state", "random.default_seed")
def test_unseeded_generator_starts_from_make_default_seed(impl, upstream):
    for lib in (impl, upstream):
        python_random.seed(99)
        expected = python_random.randint(1, 10**9)
        python_random.seed(99)
        gen = random_module(lib).SeedGenerator()
        assert list(to_numpy(gen.state.numpy())) == [expected, 0]
        assert gen.name.startswith("seed_generator")


@spec("random.seed_generator.validation")
def test_seed_generator_validation(impl, upstream):
    for lib in (impl, upstream):
        with pytest.raises(ValueError, match="Argument `seed` must be an integer"):
            random_module(lib).SeedGenerator(1.5)
        with pytest.raises(ValueError, match="Unrecognized keyword arguments"):
            random_module(lib).SeedGenerator(1, colour="red")


@spec("random.seed_generator.next")
@given(seed=st.integers(0, 10**9), steps=st.lists(st.booleans(), min_size=1, max_size=6))
def test_seed_generator_next_sequence(impl, upstream, seed, steps):
    ours = random_module(impl).SeedGenerator(seed, name="gen")
    theirs = upstream.random.SeedGenerator(seed, name="gen")
    for ordered in steps:
        assert_bitwise(ours.next(ordered=ordered), theirs.next(ordered=ordered))
        assert_bitwise(ours.state.numpy(), theirs.state.numpy())


@spec("random.seed_generator.draws", "random.seed.bitwise")
@given(data=st.data(), seed=st.integers(0, 10**9))
def test_draws_from_a_generator_match_upstream(impl, upstream, data, seed):
    ours = random_module(impl).SeedGenerator(seed, name="gen")
    theirs = upstream.random.SeedGenerator(seed, name="gen")
    for _ in range(3):
        name, kwargs = _sampler_call(data)
        a = outcome(lambda n=name, k=kwargs: getattr(random_module(impl), n)(seed=ours, **k))
        b = outcome(lambda n=name, k=kwargs: getattr(upstream.random, n)(seed=theirs, **k))
        assert_same_outcome(a, b)
    first = random_module(impl).normal((8,), seed=ours)
    previous = random_module(impl).normal((8,), seed=ours)
    assert not np.array_equal(to_numpy(first), to_numpy(previous))


@spec("random.seed_generator.config")
@given(seed=st.one_of(st.none(), st.integers(0, 10**9)))
def test_seed_generator_config(impl, upstream, seed):
    ours = random_module(impl).SeedGenerator(seed, name="gen")
    theirs = upstream.random.SeedGenerator(seed, name="gen")
    assert ours.get_config() == theirs.get_config() == {"seed": seed, "name": "gen"}
    rebuilt = type(ours).from_config(ours.get_config())
    assert rebuilt.get_config() == ours.get_config()
    if seed is not None:
        assert_bitwise(rebuilt.state.numpy(), ours.state.numpy())


def _unseeded_sequence(lib, seed: int, calls: list[tuple[str, dict]]) -> list:
    set_random_seed(lib, seed)
    return [getattr(random_module(lib), name)(**kwargs) for name, kwargs in calls]


@spec("random.global_generator", "random.set_random_seed")
@given(data=st.data(), seed=st.integers(0, 2**31 - 1))
def test_unseeded_draws_after_set_random_seed_match_upstream(impl, upstream, data, seed):
    calls = [_sampler_call(data) for _ in range(data.draw(st.integers(1, 4)))]
    calls = [(n, {**k, "dtype": "float32" if n != "randint" else "int32"}) for n, k in calls]
    ours = _unseeded_sequence(impl, seed, calls)
    theirs = _unseeded_sequence(upstream, seed, calls)
    for a, b in zip(ours, theirs):
        assert_bitwise(a, b)


@spec("random.set_random_seed")
def test_set_random_seed_seeds_python_and_numpy(impl, upstream):
    for lib in (impl, upstream):
        set_random_seed(lib, 7)
        got = (python_random.random(), np.random.rand())
        python_random.seed(7)
        np.random.seed(7)
        assert got == (python_random.random(), np.random.rand())
        with pytest.raises(ValueError, match="Expected `seed` argument to be an integer"):
            set_random_seed(lib, 1.5)


@spec("random.global_generator")
def test_unseeded_draws_refused_while_jax_traces(impl, upstream):
    if BACKEND != "jax":
        pytest.skip("only JAX traces random calls into constants")
    import jax

    for lib in (impl, upstream):
        with pytest.raises(ValueError, match=r"\[JAX RNG\]"):
            jax.jit(lambda lib=lib: random_module(lib).normal((2,)))()


@spec("random.dtype_checks")
def test_dtype_checks(impl, upstream):
    for lib in (impl, upstream):
        with pytest.raises(ValueError, match="requires a floating point `dtype`"):
            random_module(lib).uniform((2,), dtype="int32", seed=1)
        with pytest.raises(ValueError, match="requires an integer `dtype`"):
            random_module(lib).randint((2,), 0, 3, dtype="float32", seed=1)
        assert to_numpy(random_module(lib).normal((2,), seed=1)).dtype == np.float32


@spec("random.dropout.shortcuts")
@pytest.mark.parametrize("rate", [0.0, 1.0])
def test_dropout_shortcuts_do_not_advance_a_generator(impl, upstream, rate):
    x = np.ones((2, 3), "float32")
    for lib in (impl, upstream):
        gen = random_module(lib).SeedGenerator(5, name="gen")
        out = to_numpy(random_module(lib).dropout(x, rate, seed=gen))
        np.testing.assert_array_equal(out, x * (1.0 - rate))
        assert list(to_numpy(gen.state.numpy())) == [5, 0]
