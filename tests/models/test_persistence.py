"""Model.save / save_weights / load_weights go through refkeras.saving."""

import numpy as np

import refkeras as rk


def _model():
    x = rk.Input((4,))
    return rk.Model(x, rk.layers.Dense(2)(rk.layers.Dense(3, activation="relu")(x)))


def test_save_then_load_model_predicts_the_same(tmp_path):
    model = _model()
    model.save(tmp_path / "m.keras")
    again = rk.saving.load_model(tmp_path / "m.keras")
    x = np.random.default_rng(0).random((5, 4), dtype="float32")
    np.testing.assert_array_equal(np.asarray(again(x)), np.asarray(model(x)))


def test_save_weights_then_load_weights_restores_values(tmp_path):
    model, other = _model(), _model()
    model.save_weights(tmp_path / "m.weights.h5")
    other.load_weights(tmp_path / "m.weights.h5")
    for a, b in zip(model.weights, other.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
