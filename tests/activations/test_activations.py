"""Unit tests of refkeras.activations, with expected values from the formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest

import refkeras.activations as activations
from refkeras.graph import KerasTensor

X = np.array([-3.0, -1.0, -0.25, 0.0, 0.5, 2.0, 7.0], dtype="float32")


def value(y):
    return np.asarray(y.numpy() if hasattr(y, "numpy") else y, dtype="float64")


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


FORMULAS = {
    "relu": lambda x: np.maximum(x, 0),
    "relu6": lambda x: np.clip(x, 0, 6),
    "leaky_relu": lambda x: np.where(x >= 0, x, 0.2 * x),
    "elu": lambda x: np.where(x > 0, x, np.expm1(x)),
    "selu": lambda x: 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * np.expm1(x)),
    "gelu": lambda x: 0.5 * x * (1 + np.vectorize(math.erf)(x / math.sqrt(2))),
    "silu": lambda x: x * sigmoid(x),
    "sigmoid": sigmoid,
    "hard_sigmoid": lambda x: np.clip(x / 6 + 0.5, 0, 1),
    "tanh": np.tanh,
    "softplus": lambda x: np.log1p(np.exp(x)),
    "softsign": lambda x: x / (1 + np.abs(x)),
    "exponential": np.exp,
    "linear": lambda x: x,
    "softmax": lambda x: np.exp(x) / np.exp(x).sum(),
    "log_softmax": lambda x: x - np.log(np.exp(x).sum()),
    "mish": lambda x: x * np.tanh(np.log1p(np.exp(x))),
    "hard_tanh": lambda x: np.clip(x, -1, 1),
    "tanh_shrink": lambda x: x - np.tanh(x),
    "log_sigmoid": lambda x: np.log(sigmoid(x)),
}


@pytest.mark.parametrize("name", sorted(FORMULAS))
def test_values_follow_the_formula(name):
    got = value(activations.get(name)(X))
    np.testing.assert_allclose(got, FORMULAS[name](X.astype("float64")), rtol=2e-6, atol=2e-6)


def test_relu_options():
    got = value(activations.relu(X, negative_slope=0.5, max_value=1.0, threshold=0.25))
    # Above the threshold: x capped at 1; below it: 0.5 * (x - 0.25).
    expected = np.where(X > 0.25, np.minimum(X, 1.0), 0.5 * (X - 0.25))
    np.testing.assert_allclose(got, expected, rtol=1e-6)


@pytest.mark.parametrize("name", sorted(activations.ALL_OBJECTS_DICT))
def test_symbolic_calls_keep_shape_and_dtype(name):
    fn = activations.get(name)
    args = (0.0, 1.0) if name == "threshold" else ()
    y = fn(KerasTensor((None, 4), dtype="float16"), *args)
    assert y.shape == ((None, 2) if name == "glu" else (None, 4))
    assert y.dtype == "float16"


def test_lookup_and_serialization():
    assert activations.get(None) is activations.linear
    assert activations.get("swish") is activations.silu
    assert activations.serialize(activations.swish) == "silu"
    assert activations.deserialize("relu") is activations.relu
    with pytest.raises(ValueError, match="Could not interpret activation function identifier"):
        activations.get("nope")
