"""Unit tests of refkeras.constraints."""

from __future__ import annotations

import numpy as np
import pytest

import refkeras.constraints as constraints
from refkeras import backend

W = np.array([[3.0, 0.0], [4.0, 0.5]], dtype="float32")  # column norms 5 and 0.5


def value(y):
    return np.asarray(y.numpy() if hasattr(y, "numpy") else y)


def test_max_norm_rescales_only_large_columns():
    got = value(constraints.MaxNorm(1.0)(W))
    eps = backend.epsilon()
    np.testing.assert_allclose(got[:, 0], W[:, 0] / (5 + eps), rtol=1e-6)
    np.testing.assert_allclose(got[:, 1], W[:, 1] * 0.5 / (0.5 + eps), rtol=1e-6)


def test_unit_norm_and_min_max_norm():
    np.testing.assert_allclose(np.linalg.norm(value(constraints.UnitNorm()(W)), axis=0), 1,
                               rtol=1e-5)
    got = value(constraints.MinMaxNorm(1.0, 2.0)(W))
    np.testing.assert_allclose(np.linalg.norm(got, axis=0), [2.0, 1.0], rtol=1e-5)


def test_configs_and_lookup():
    assert constraints.MaxNorm().get_config() == {"max_value": 2, "axis": 0}
    assert constraints.MinMaxNorm().get_config() == {"min_value": 0.0, "max_value": 1.0,
                                                     "rate": 1.0, "axis": 0}
    assert constraints.serialize(constraints.NonNeg())["config"] == {}
    assert isinstance(constraints.get("unit_norm"), constraints.UnitNorm)
    with pytest.raises(ValueError, match="Could not interpret constraint identifier"):
        constraints.get("nope")
