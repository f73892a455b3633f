"""Unit tests of refkeras.losses: values from first principles, configs and lookup."""

from __future__ import annotations

import math

import numpy as np
import pytest

from refkeras import backend, losses
from refkeras.layers.masking import get_keras_mask

Y_TRUE = np.array([[0.0, 1.0], [1.0, 1.0]], dtype="float32")
Y_PRED = np.array([[0.5, 0.5], [2.0, 0.0]], dtype="float32")


def value(x):
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


def test_regression_losses():
    assert float(value(losses.MeanSquaredError()(Y_TRUE, Y_PRED))) == pytest.approx(
        ((0.25 + 0.25) / 2 + (1 + 1) / 2) / 2)
    assert float(value(losses.MeanAbsoluteError()(Y_TRUE, Y_PRED))) == pytest.approx(
        (0.5 + 1) / 2)
    huber = losses.Huber(delta=1.0, reduction="none")(Y_TRUE, Y_PRED)
    np.testing.assert_allclose(value(huber), [0.125, 0.5], rtol=1e-6)
    mape = losses.mean_absolute_percentage_error(np.array([2.0], "float32"),
                                                 np.array([1.0], "float32"))
    assert float(value(mape)) == pytest.approx(50.0)
    msle = losses.mean_squared_logarithmic_error(np.array([math.e - 1], "float32"),
                                                 np.array([0.0], "float32"))
    assert float(value(msle)) == pytest.approx(1.0, rel=1e-5)


def test_binary_crossentropy_matches_formula():
    t = np.array([[1.0, 0.0]], "float32")
    p = np.array([[0.8, 0.4]], "float32")
    expected = -(math.log(0.8) + math.log(0.6)) / 2
    assert float(value(losses.binary_crossentropy(t, p))[0]) == pytest.approx(expected, rel=1e-6)
    logits = np.log(p / (1 - p))
    got = losses.BinaryCrossentropy(from_logits=True)(t, logits)
    assert float(value(got)) == pytest.approx(expected, rel=1e-5)


def test_label_smoothing():
    t = np.array([[1.0, 0.0]], "float32")
    p = np.array([[0.8, 0.2]], "float32")
    smoothed = np.array([[0.9, 0.1]], "float32")
    a = losses.categorical_crossentropy(t, p, label_smoothing=0.2)
    b = losses.categorical_crossentropy(smoothed, p)
    np.testing.assert_allclose(value(a), value(b), rtol=1e-6)


def test_sparse_and_dense_crossentropy_agree():
    p = np.array([[0.1, 0.7, 0.2], [0.3, 0.3, 0.4]], "float32")
    ids = np.array([1, 2])
    dense = losses.categorical_crossentropy(np.eye(3, dtype="float32")[ids], p)
    sparse = losses.sparse_categorical_crossentropy(ids, p)
    np.testing.assert_allclose(value(sparse), value(dense), rtol=1e-6)
    np.testing.assert_allclose(value(dense), -np.log([0.7, 0.4]), rtol=1e-6)


def test_ignore_class_zeroes_and_masks():
    p = np.array([[0.1, 0.9], [0.6, 0.4], [0.5, 0.5]], "float32")
    ids = np.array([1, 0, 1])
    per_sample = losses.sparse_categorical_crossentropy(ids, p, ignore_class=0)
    assert value(per_sample)[1] == 0.0
    np.testing.assert_array_equal(value(get_keras_mask(per_sample)), [True, False, True])
    mean = losses.SparseCategoricalCrossentropy(ignore_class=0)(ids, p)
    assert float(value(mean)) == pytest.approx(-(math.log(0.9) + math.log(0.5)) / 2, rel=1e-5)


def test_dtype_and_names():
    loss = losses.MeanSquaredError(dtype="float16")
    assert loss.dtype == "float16"
    assert backend.standardize_dtype(loss(Y_TRUE, Y_PRED).dtype) == "float16"
    assert losses.Huber().name == "huber_loss"
    assert losses.Loss().name.startswith("loss")


def test_configs():
    assert losses.Huber(delta=3.0).get_config() == {"name": "huber_loss",
                                                    "reduction": "sum_over_batch_size"}
    assert losses.SparseCategoricalCrossentropy(axis=1).get_config() == {
        "name": "sparse_categorical_crossentropy", "reduction": "sum_over_batch_size",
        "from_logits": False, "ignore_class": None}
    bce = losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1, reduction="sum")
    assert losses.BinaryCrossentropy.from_config(bce.get_config()).get_config() == \
        bce.get_config()


def test_wrapper_round_trip():
    wrapper = losses.LossFunctionWrapper(losses.huber, name="h", delta=2.0)
    config = losses.serialize(wrapper)
    assert config["module"] == "keras.src.losses.losses"
    assert config["config"]["delta"] == 2.0
    rebuilt = losses.deserialize(config)
    assert rebuilt.fn is losses.huber and rebuilt._fn_kwargs == {"delta": 2.0}


def test_get():
    assert losses.get(None) is None
    assert losses.get("mse") is losses.mean_squared_error
    assert losses.get("BCE") is losses.binary_crossentropy
    assert isinstance(losses.get("Huber"), losses.Huber)
    assert isinstance(losses.get(losses.MeanAbsoluteError), losses.MeanAbsoluteError)
    with pytest.raises(ValueError, match="Could not interpret loss identifier: nope"):
        losses.get("nope")


def test_custom_loss_subclass():
    class Cubed(losses.Loss):
        def call(self, y_true, y_pred):
            return (y_pred - y_true) ** 3

    got = Cubed(reduction="sum")(np.zeros(3, "float32"), np.array([1.0, 2.0, 0.0], "float32"))
    assert float(value(got)) == 9.0
