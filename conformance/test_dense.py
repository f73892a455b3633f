"""Differential tests of ``layers.Dense`` (and its LoRA) against upstream Keras 3.15.1."""

from __future__ import annotations

import importlib
import json
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import refkeras.layers  # noqa: F401  (not yet exported by refkeras/__init__)
from conformance.rng_support import set_random_seed
from conformance.tolerances import assert_close

ACTIVATIONS = [None, "linear", "relu", "tanh", "sigmoid", "softmax", "gelu", "silu", "elu",
               "softplus", "leaky_relu", "selu"]
INITIALIZERS = ["glorot_uniform", "zeros", "ones", "he_normal", "lecun_uniform",
                "random_normal", "truncated_normal",
                {"class_name": "RandomUniform", "config": {"minval": -1, "maxval": 1, "seed": 5}}]
REGULARIZERS = [None, "l1", "L2", "l1l2", {"class_name": "L2", "config": {"l2": 0.5}}]
CONSTRAINTS = [None, "max_norm", "non_neg", "unit_norm", "min_max_norm"]

names = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
constructor_kwargs = st.fixed_dictionaries(
    {"units": st.integers(1, 16)},
    optional={
        "activation": st.sampled_from(ACTIVATIONS),
        "use_bias": st.booleans(),
        "kernel_initializer": st.sampled_from(INITIALIZERS),
        "bias_initializer": st.sampled_from(INITIALIZERS),
        "kernel_regularizer": st.sampled_from(REGULARIZERS),
        "bias_regularizer": st.sampled_from(REGULARIZERS),
        "activity_regularizer": st.sampled_from(REGULARIZERS),
        "kernel_constraint": st.sampled_from(CONSTRAINTS),
        "bias_constraint": st.sampled_from(CONSTRAINTS),
        "lora_rank": st.one_of(st.none(), st.integers(0, 4)),
        "lora_alpha": st.one_of(st.none(), st.integers(1, 8), st.floats(0.5, 4.0)),
        "quantization_config": st.none(),
        "trainable": st.booleans(),
        "dtype": st.sampled_from([None, "float32", "mixed_float16", "bfloat16"]),
        "name": names,
    },
)
# A small pool of shapes: each new shape costs JAX a compilation of its kernels.
INPUT_SHAPES = [(4, 3), (1, 8), (2, 5, 3), (3, 1, 8), (2, 3, 2, 5), (1, 2, 4, 3)]
UNITS = [1, 4, 7]


def as_json(config: dict) -> Any:
    return json.loads(json.dumps(config))


def to_numpy(x: Any) -> np.ndarray:
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


def serialize(lib: Any, obj: Any) -> Any:
    if lib.__name__ == "refkeras":
        return importlib.import_module("refkeras.serialization").serialize_keras_object(obj)
    return lib.saving.serialize_keras_object(obj)


def pair(impl: Any, upstream: Any, **kwargs: Any) -> tuple[Any, Any]:
    # An explicit name: automatic names depend on how many layers each library made.
    kwargs = {"name": "dense", **kwargs}
    return impl.layers.Dense(**kwargs), upstream.layers.Dense(**kwargs)


def builds_ok(kwargs: dict) -> bool:
    return not (kwargs.get("lora_rank") and kwargs.get("kernel_constraint"))


def built_pair(impl: Any, upstream: Any, input_shape: tuple, **kwargs: Any) -> tuple[Any, Any]:
    """Both layers built for ``input_shape``, ours holding upstream's weight values."""
    ours, theirs = pair(impl, upstream, **kwargs)
    ours.build(input_shape)
    theirs.build(input_shape)
    ours.set_weights(theirs.get_weights())
    return ours, theirs


def random_weights(layer: Any, seed: int) -> list:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(w.shape).astype(w.dtype) for w in layer.weights]


def weight_facts(layer: Any) -> list:
    return [(w.name, w.path, w.trainable, tuple(w.shape), str(np.dtype(w.dtype)))
            for w in layer.weights]


# --- constructor and config ---------------------------------------------------------------
@pytest.mark.spec("dense.config.keys", "dense.constructor.arguments")
@given(constructor_kwargs)
def test_configs_match_before_and_after_build(impl, upstream, kwargs):
    ours, theirs = pair(impl, upstream, **kwargs)
    assert as_json(ours.get_config()) == as_json(theirs.get_config())
    if builds_ok(kwargs):
        ours.build((None, 3))
        theirs.build((None, 3))
        assert as_json(ours.get_config()) == as_json(theirs.get_config())


@pytest.mark.spec("dense.config.round_trip")
@given(constructor_kwargs)
def test_from_config_round_trips_within_and_across_libraries(impl, upstream, kwargs):
    ours, theirs = pair(impl, upstream, **kwargs)
    config = as_json(ours.get_config())
    assert as_json(impl.layers.Dense.from_config(config).get_config()) == config
    # Each library rebuilds the other's JSON into the same config.
    assert as_json(upstream.layers.Dense.from_config(config).get_config()) == config
    their_config = as_json(theirs.get_config())
    assert as_json(impl.layers.Dense.from_config(their_config).get_config()) == their_config
    rebuilt = upstream.saving.deserialize_keras_object(as_json(serialize(impl, ours)))
    assert type(rebuilt) is upstream.layers.Dense
    assert as_json(rebuilt.get_config()) == config


@pytest.mark.spec("dense.constructor.units")
@pytest.mark.parametrize("units", [0, -1, 2.0, None, "3", np.int64(3)])
def test_invalid_units_raise_value_error(impl, upstream, units):
    for lib in (impl, upstream):
        with pytest.raises(ValueError, match="invalid value for `units`"):
            lib.layers.Dense(units)


@pytest.mark.spec("dense.constructor.units")
def test_bool_units_are_accepted_like_upstream(impl, upstream):
    assert impl.layers.Dense(True).units == upstream.layers.Dense(True).units


# --- building ---------------------------------------------------------------------------
@pytest.mark.spec("dense.build.weights", "dense.build.input_spec")
@given(st.sampled_from(INPUT_SHAPES), st.sampled_from(UNITS), st.booleans(), st.booleans())
def test_built_state_matches(impl, upstream, shape, units, use_bias, trainable):
    ours, theirs = pair(impl, upstream, units=units, use_bias=use_bias, trainable=trainable)
    for layer in (ours, theirs):
        assert layer.input_spec.min_ndim == 2 and not layer.input_spec.axes
        layer.build((None, *shape[1:]))
    assert weight_facts(ours) == weight_facts(theirs)
    assert [w.path for w in ours.trainable_weights] == [w.path for w in theirs.trainable_weights]
    for a, b in ((ours.input_spec, theirs.input_spec),):
        assert (a.min_ndim, a.ndim, a.axes) == (b.min_ndim, b.ndim, b.axes)
    assert ours.count_params() == theirs.count_params()


@pytest.mark.spec("dense.kernel.unbuilt")
def test_kernel_before_build_raises_attribute_error(impl, upstream):
    for lib in (impl, upstream):
        with pytest.raises(AttributeError, match="must build the layer before accessing"):
            getattr(lib.layers.Dense(3), "kernel")  # noqa: B009  (the read is the test)


@pytest.mark.spec("dense.build.input_spec")
@pytest.mark.parametrize("bad", [(4,), (2, 5)])
def test_incompatible_inputs_raise_value_error(impl, upstream, bad):
    for lib in (impl, upstream):
        layer = lib.layers.Dense(2)
        layer.build((None, 3))
        with pytest.raises(ValueError, match="is incompatible with the layer"):
            layer(np.ones(bad, "float32"))


# --- calling ----------------------------------------------------------------------------
@pytest.mark.spec("dense.call.values")
@given(st.sampled_from(INPUT_SHAPES), st.sampled_from(UNITS), st.sampled_from(ACTIVATIONS),
       st.booleans(), st.integers(0, 2**16))
def test_outputs_are_bit_identical_with_copied_weights(impl, upstream, shape, units, activation,
                                                      use_bias, seed):
    ours, theirs = built_pair(impl, upstream, (None, *shape[1:]), units=units,
                              activation=activation, use_bias=use_bias)
    ours.set_weights(random_weights(theirs, seed))
    theirs.set_weights(random_weights(theirs, seed))
    x = np.random.default_rng(seed + 1).standard_normal(shape).astype("float32")
    assert_close(to_numpy(ours(x)), to_numpy(theirs(x)), "exact")


@pytest.mark.spec("dense.call.shapes")
@given(st.sampled_from(INPUT_SHAPES), st.sampled_from(UNITS), st.booleans())
def test_symbolic_outputs_match(impl, upstream, shape, units, unknown_batch):
    ours, theirs = pair(impl, upstream, units=units)
    input_shape = ((None,) if unknown_batch else shape[:1]) + shape[1:]
    got = ours(impl.KerasTensor(input_shape))
    want = theirs(upstream.KerasTensor(input_shape))
    assert (got.shape, got.dtype) == (want.shape, want.dtype)
    assert ours.compute_output_shape(input_shape) == theirs.compute_output_shape(input_shape)


@pytest.mark.spec("dense.losses")
@given(st.sampled_from(REGULARIZERS), st.sampled_from(REGULARIZERS),
       st.sampled_from(REGULARIZERS), st.booleans(), st.integers(0, 2**16))
def test_regularization_losses_match(impl, upstream, kernel_reg, bias_reg, activity_reg, lora,
                                     seed):
    ours, theirs = built_pair(impl, upstream, (None, 4), units=3,
                              kernel_regularizer=kernel_reg, bias_regularizer=bias_reg,
                              activity_regularizer=activity_reg)
    if lora:
        ours.enable_lora(2)
        theirs.enable_lora(2)
    ours.set_weights(random_weights(theirs, seed))
    theirs.set_weights(random_weights(theirs, seed))
    x = np.random.default_rng(seed).standard_normal((2, 4)).astype("float32")
    ours(x)
    theirs(x)
    assert len(ours.losses) == len(theirs.losses)
    for got, want in zip(ours.losses, theirs.losses):
        assert_close(to_numpy(got), to_numpy(want), "exact")


@pytest.mark.spec("dense.initializers.seeded")
@given(st.sampled_from(["GlorotUniform", "HeNormal", "RandomNormal", "TruncatedNormal",
                        "LecunUniform"]), st.integers(0, 2**31 - 1), st.sampled_from(UNITS))
def test_int_seeded_initializers_give_bitwise_equal_weights(impl, upstream, name, seed, units):
    ours = impl.layers.Dense(units, kernel_initializer=getattr(impl.initializers, name)(seed=seed),
                             bias_initializer=getattr(impl.initializers, name)(seed=seed + 1))
    theirs = upstream.layers.Dense(
        units, kernel_initializer=getattr(upstream.initializers, name)(seed=seed),
        bias_initializer=getattr(upstream.initializers, name)(seed=seed + 1))
    ours.build((None, 5))
    theirs.build((None, 5))
    for got, want in zip(ours.get_weights(), theirs.get_weights()):
        assert_close(got, want, "exact")


@pytest.mark.spec("dense.initializers.seeded", "dense.lora.enable")
@given(st.integers(0, 2**31 - 1))
def test_global_seed_gives_bitwise_equal_weights_and_lora_factors(impl, upstream, seed):
    layers = []
    for lib in (impl, upstream):
        set_random_seed(lib, seed)
        layer = lib.layers.Dense(4, lora_rank=2)
        layer.build((None, 3))
        layers.append(layer)
    for got, want in zip(layers[0].get_weights(), layers[1].get_weights()):
        assert_close(got, want, "exact")


# --- LoRA -------------------------------------------------------------------------------
@pytest.mark.spec("dense.lora.enable", "dense.lora.kernel")
@given(st.sampled_from(INPUT_SHAPES), st.sampled_from(UNITS), st.integers(1, 4),
       st.one_of(st.none(), st.integers(1, 16), st.floats(0.25, 8.0)), st.booleans(),
       st.integers(0, 2**16))
def test_lora_outputs_weights_and_kernel_match(impl, upstream, shape, units, rank, alpha,
                                               use_bias, seed):
    ours, theirs = built_pair(impl, upstream, (None, *shape[1:]), units=units,
                              use_bias=use_bias)
    ours.enable_lora(rank, lora_alpha=alpha)
    theirs.enable_lora(rank, lora_alpha=alpha)
    assert weight_facts(ours) == weight_facts(theirs)
    assert [w.path for w in ours.trainable_weights] == [w.path for w in theirs.trainable_weights]
    assert [w.path for w in ours.non_trainable_weights] == [
        w.path for w in theirs.non_trainable_weights]
    assert as_json(ours.get_config()) == as_json(theirs.get_config())
    ours.set_weights(random_weights(theirs, seed))
    theirs.set_weights(random_weights(theirs, seed))
    assert_close(to_numpy(ours.kernel), to_numpy(theirs.kernel), "exact")
    x = np.random.default_rng(seed + 1).standard_normal(shape).astype("float32")
    assert_close(to_numpy(ours(x)), to_numpy(theirs(x)), "exact")


@pytest.mark.spec("dense.lora.alpha_on_build")
@given(st.integers(1, 4), st.integers(1, 16))
def test_constructor_lora_alpha_is_reset_to_rank_at_build(impl, upstream, rank, alpha):
    ours, theirs = pair(impl, upstream, units=3, lora_rank=rank, lora_alpha=alpha)
    assert ours.get_config()["lora_alpha"] == theirs.get_config()["lora_alpha"] == alpha
    ours.build((None, 2))
    theirs.build((None, 2))
    assert ours.lora_alpha == theirs.lora_alpha
    assert as_json(ours.get_config()) == as_json(theirs.get_config())


@pytest.mark.spec("dense.lora.errors")
def test_enable_lora_errors_match(impl, upstream):
    for lib in (impl, upstream):
        with pytest.raises(ValueError, match="isn't yet built"):
            lib.layers.Dense(3).enable_lora(2)
        layer = lib.layers.Dense(3)
        layer.build((None, 2))
        layer.enable_lora(2)
        with pytest.raises(ValueError, match="lora is already enabled"):
            layer.enable_lora(2)
        constrained = lib.layers.Dense(3, kernel_constraint="non_neg")
        # The constraint check comes first, even on an unbuilt layer.
        with pytest.raises(ValueError, match="incompatible with kernel constraints"):
            constrained.enable_lora(2)
        with pytest.raises(ValueError, match="incompatible with kernel constraints"):
            lib.layers.Dense(3, kernel_constraint="non_neg", lora_rank=2).build((None, 2))


@pytest.mark.spec("dense.lora.save", "dense.save.variables")
@given(st.booleans(), st.booleans(), st.integers(0, 2**16))
def test_save_own_variables_match(impl, upstream, use_bias, lora, seed):
    ours, theirs = built_pair(impl, upstream, (None, 4), units=3, use_bias=use_bias)
    if lora:
        ours.enable_lora(2, lora_alpha=3)
        theirs.enable_lora(2, lora_alpha=3)
    ours.set_weights(random_weights(theirs, seed))
    theirs.set_weights(random_weights(theirs, seed))
    got, want = {}, {}
    ours.save_own_variables(got)
    theirs.save_own_variables(want)
    assert sorted(got) == sorted(want)
    for key in want:
        assert_close(to_numpy(got[key]), to_numpy(want[key]), "exact")


@pytest.mark.spec("dense.lora.load", "dense.save.variables")
@given(st.booleans(), st.integers(0, 2**16))
def test_load_own_variables_matches_and_zeroes_lora_factors(impl, upstream, lora, seed):
    ours, theirs = built_pair(impl, upstream, (None, 4), units=3)
    if lora:
        ours.enable_lora(2)
        theirs.enable_lora(2)
    ours.set_weights(random_weights(theirs, seed))
    theirs.set_weights(random_weights(theirs, seed))
    rng = np.random.default_rng(seed + 1)
    store = {"0": rng.standard_normal((4, 3)).astype("float32"),
             "1": rng.standard_normal((3,)).astype("float32")}
    ours.load_own_variables(store)
    theirs.load_own_variables(store)
    for got, want in zip(ours.get_weights(), theirs.get_weights()):
        assert_close(got, want, "exact")


@pytest.mark.spec("dense.save.variables")
def test_load_with_wrong_count_raises_value_error(impl, upstream):
    for lib in (impl, upstream):
        layer = lib.layers.Dense(3)
        layer.build((None, 2))
        with pytest.raises(ValueError, match="expected 2 variables, but received 1"):
            layer.load_own_variables({"0": np.zeros((2, 3), "float32")})


@pytest.mark.spec("dense.lora.merge")
@given(st.integers(1, 4), st.one_of(st.none(), st.integers(1, 8)), st.booleans(),
       st.integers(0, 2**16))
def test_merge_lora_folds_the_delta_upstream_saves(impl, upstream, rank, alpha, use_bias, seed):
    if not hasattr(impl.layers.Dense, "merge_lora"):
        pytest.skip("merge_lora is a refkeras extension; upstream has no such method")
    ours, theirs = built_pair(impl, upstream, (None, 4), units=3, use_bias=use_bias)
    ours.enable_lora(rank, lora_alpha=alpha)
    theirs.enable_lora(rank, lora_alpha=alpha)
    ours.set_weights(random_weights(theirs, seed))
    theirs.set_weights(random_weights(theirs, seed))
    x = np.random.default_rng(seed + 1).standard_normal((2, 4)).astype("float32")
    want_out = to_numpy(theirs(x))
    saved = {}
    theirs.save_own_variables(saved)
    ours.merge_lora()
    # The merged kernel is upstream's saved kernel; the layer is a plain Dense again.
    assert_close(ours.get_weights()[0], to_numpy(saved["0"]), "exact")
    assert_close(to_numpy(ours(x)), want_out, "exact")
    plain = upstream.layers.Dense(3, use_bias=use_bias, name=ours.name)
    plain.build((None, 4))
    assert weight_facts(ours) == weight_facts(plain)
    assert as_json(ours.get_config()) == as_json(plain.get_config())


@pytest.mark.spec("dense.constructor.quantization")
def test_quantization_config_none_is_accepted(impl, upstream):
    ours, theirs = pair(impl, upstream, units=2, quantization_config=None)
    assert ours.get_config()["quantization_config"] is None
    assert theirs.get_config()["quantization_config"] is None
    if impl is not upstream:
        with warnings.catch_warnings(), pytest.raises(NotImplementedError, match="quantiz"):
            impl.layers.Dense(2, quantization_config="int8")
