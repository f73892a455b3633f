"""Unit tests of refkeras.layers.Dense and its LoRA (expected values from NumPy)."""

from __future__ import annotations

import numpy as np
import pytest

from refkeras import KerasTensor
from refkeras.layers import Dense

RNG = np.random.default_rng(0)


def values(x):
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


def built(units=3, input_dim=4, **kwargs):
    layer = Dense(units, **kwargs)
    layer.build((None, input_dim))
    return layer


def randomize(layer, seed=1):
    rng = np.random.default_rng(seed)
    layer.set_weights([rng.standard_normal(w.shape).astype("float32") for w in layer.weights])


# --- constructor ------------------------------------------------------------------------
@pytest.mark.parametrize("units", [0, -2, 1.5, None, "4", np.int32(4)])
def test_units_must_be_a_positive_int(units):
    with pytest.raises(ValueError, match=r"invalid value for `units`.*Received: units="):
        Dense(units)


def test_quantization_config_other_than_none_is_not_implemented():
    assert Dense(2, quantization_config=None).quantization_config is None
    with pytest.raises(NotImplementedError, match="quantization_config='int8'"):
        Dense(2, quantization_config="int8")


def test_unknown_keyword_is_refused():
    with pytest.raises(ValueError, match="Unrecognized keyword arguments"):
        Dense(2, unitz=3)


def test_masking_is_supported():
    assert Dense(2).supports_masking


# --- build and call -----------------------------------------------------------------------
def test_build_creates_kernel_then_bias_and_sets_input_spec():
    layer = Dense(3)
    assert layer.input_spec.min_ndim == 2 and not layer.input_spec.axes
    layer.build((None, 4))
    assert [(w.name, tuple(w.shape)) for w in layer.weights] == [("kernel", (4, 3)),
                                                                 ("bias", (3,))]
    assert layer.input_spec.axes == {-1: 4}
    assert layer.kernel is layer._kernel
    assert built(use_bias=False).bias is None
    assert [w.name for w in built(use_bias=False).weights] == ["kernel"]


def test_paths_use_the_layer_name():
    layer = Dense(3, name="head")
    layer.build((None, 2))
    assert [w.path for w in layer.weights] == ["head/kernel", "head/bias"]


def test_kernel_before_build_raises_attribute_error():
    with pytest.raises(AttributeError, match="must build the layer before accessing `kernel`"):
        getattr(Dense(3), "kernel")  # noqa: B009  (the read is the test)


@pytest.mark.parametrize("shape", [(5, 4), (2, 3, 4), (2, 1, 3, 4)])
@pytest.mark.parametrize("activation, fn", [
    (None, lambda z: z), ("relu", lambda z: np.maximum(z, 0)), ("tanh", np.tanh)])
def test_call_is_activation_of_matmul_plus_bias(shape, activation, fn):
    layer = built(activation=activation)
    randomize(layer)
    kernel, bias = layer.get_weights()
    x = RNG.standard_normal(shape).astype("float32")
    np.testing.assert_allclose(values(layer(x)), fn(x @ kernel + bias), rtol=1e-5, atol=1e-6)


def test_call_accepts_training_argument():
    layer = built(use_bias=False)
    x = np.ones((2, 4), "float32")
    np.testing.assert_array_equal(values(layer(x, training=True)), values(layer(x)))


def test_incompatible_inputs_raise():
    layer = built()
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 4"):
        layer(np.ones((2, 5), "float32"))
    with pytest.raises(ValueError, match="expected min_ndim=2"):
        Dense(2)(np.ones((3,), "float32"))


def test_symbolic_call_and_output_shape():
    layer = Dense(7)
    y = layer(KerasTensor((None, 3, 5)))
    assert y.shape == (None, 3, 7) and y.dtype == "float32"
    assert layer.compute_output_shape((2, 9)) == (2, 7)
    assert layer.compute_output_shape([None, 1, 9]) == (None, 1, 7)


def test_regularizers_add_one_loss_per_weight_and_one_for_activity():
    layer = built(kernel_regularizer="l2", bias_regularizer="l1", activity_regularizer="l2")
    layer(np.ones((2, 4), "float32"))
    assert len(layer.losses) == 3


# --- config -------------------------------------------------------------------------------
def test_config_keys_and_round_trip():
    layer = Dense(5, activation="relu", kernel_regularizer="l2", name="d")
    config = layer.get_config()
    assert list(config) == [
        "name", "trainable", "dtype", "units", "activation", "use_bias", "kernel_initializer",
        "bias_initializer", "kernel_regularizer", "bias_regularizer", "kernel_constraint",
        "bias_constraint", "quantization_config"]
    assert config["activation"] == "relu" and config["quantization_config"] is None
    assert Dense.from_config(config).get_config() == config


def test_lora_keys_appear_only_with_a_rank():
    assert "lora_rank" not in Dense(2, lora_rank=0).get_config()
    config = Dense(2, lora_rank=3).get_config()
    assert (config["lora_rank"], config["lora_alpha"]) == (3, 3)
    config = Dense(2, lora_rank=3, lora_alpha=6).get_config()
    assert (config["lora_rank"], config["lora_alpha"]) == (3, 6)


# --- LoRA ---------------------------------------------------------------------------------
def test_enable_lora_adds_float32_factors_and_freezes_the_kernel():
    layer = built(units=3, input_dim=4, dtype="mixed_float16")
    layer.enable_lora(2)
    assert [(w.name, tuple(w.shape), w.trainable) for w in layer.weights] == [
        ("kernel", (4, 3), False), ("bias", (3,), True),
        ("lora_kernel_a", (4, 2), True), ("lora_kernel_b", (2, 3), True)]
    assert [w.name for w in layer.trainable_weights] == ["bias", "lora_kernel_a", "lora_kernel_b"]
    assert all(str(np.dtype(w.dtype)) == "float32" for w in layer.weights)
    assert (layer.lora_enabled, layer.lora_rank, layer.lora_alpha) == (True, 2, 2)
    assert not values(layer.lora_kernel_b).any()  # zeros: outputs unchanged at first


def test_effective_kernel_is_scaled_low_rank_update():
    layer = built()
    layer.enable_lora(2, lora_alpha=5)
    randomize(layer)
    kernel, bias, a, b = layer.get_weights()
    expected = kernel + (5 / 2) * (a @ b)
    np.testing.assert_allclose(values(layer.kernel), expected, rtol=1e-6, atol=1e-6)
    x = RNG.standard_normal((3, 4)).astype("float32")
    np.testing.assert_allclose(values(layer(x)), x @ expected + bias, rtol=1e-5, atol=1e-5)


def test_lora_regularizer_penalizes_factors_not_the_frozen_kernel():
    layer = built(kernel_regularizer="l2")
    layer.enable_lora(2)
    layer(np.ones((2, 4), "float32"))
    assert len(layer.losses) == 2


def test_constructor_rank_enables_lora_at_build_and_resets_alpha():
    layer = Dense(3, lora_rank=2, lora_alpha=8)
    assert layer.lora_alpha == 8 and not layer.lora_enabled
    layer.build((None, 4))
    # Upstream 3.15.1 enables LoRA with the rank only: alpha falls back to the rank.
    assert (layer.lora_enabled, layer.lora_alpha) == (True, 2)


def test_enable_lora_errors():
    with pytest.raises(ValueError, match="Cannot enable lora on a layer that isn't yet built"):
        Dense(3).enable_lora(2)
    with pytest.raises(ValueError, match="Lora is incompatible with kernel constraints"):
        Dense(3, kernel_constraint="max_norm").enable_lora(2)
    layer = built()
    layer.enable_lora(2)
    with pytest.raises(ValueError, match="lora is already enabled"):
        layer.enable_lora(1)


def test_save_writes_merged_kernel_and_load_zeroes_factors():
    layer = built()
    layer.enable_lora(2)
    randomize(layer)
    kernel, bias, a, b = layer.get_weights()
    store = {}
    layer.save_own_variables(store)
    assert sorted(store) == ["0", "1"]
    np.testing.assert_allclose(values(store["0"]), kernel + a @ b, rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(values(store["1"]), bias)
    new_kernel = RNG.standard_normal((4, 3)).astype("float32")
    layer.load_own_variables({"0": new_kernel, "1": bias})
    got = layer.get_weights()
    np.testing.assert_array_equal(got[0], new_kernel)
    assert not got[2].any() and not got[3].any()
    np.testing.assert_array_equal(values(layer.kernel), new_kernel)


def test_save_and_load_without_lora():
    layer = built(use_bias=False)
    store = {}
    layer.save_own_variables(store)
    assert list(store) == ["0"]
    with pytest.raises(ValueError, match="expected 1 variables, but received 2"):
        layer.load_own_variables({"0": np.zeros((4, 3)), "1": np.zeros((3,))})
    unbuilt = {}
    Dense(2).save_own_variables(unbuilt)
    assert unbuilt == {}


# --- merge_lora (refkeras extension) ------------------------------------------------------
def test_merge_lora_folds_update_and_restores_a_plain_dense():
    layer = built(kernel_regularizer="l2")
    layer.enable_lora(2, lora_alpha=4)
    randomize(layer)
    kernel, bias, a, b = layer.get_weights()
    x = RNG.standard_normal((3, 4)).astype("float32")
    before = values(layer(x))
    layer.merge_lora()
    assert [(w.name, w.trainable) for w in layer.weights] == [("kernel", True), ("bias", True)]
    assert not hasattr(layer, "lora_kernel_a") and not hasattr(layer, "lora_kernel_b")
    assert (layer.lora_enabled, layer.lora_rank, layer.lora_alpha) == (False, None, None)
    assert "lora_rank" not in layer.get_config()
    np.testing.assert_allclose(layer.get_weights()[0], kernel + 2 * (a @ b), rtol=1e-6,
                               atol=1e-6)
    np.testing.assert_allclose(values(layer(x)), before, rtol=1e-6, atol=1e-6)
    layer.enable_lora(1)  # a new adaptation may start
    assert [w.name for w in layer.weights][-2:] == ["lora_kernel_a", "lora_kernel_b"]


def test_merge_lora_keeps_a_frozen_layer_frozen():
    layer = built()
    layer.enable_lora(2)
    layer.trainable = False
    layer.merge_lora()
    assert not layer._kernel.trainable and layer.trainable_weights == []


def test_merge_lora_without_lora_raises():
    with pytest.raises(ValueError, match="LoRA is not enabled on layer"):
        built().merge_lora()
