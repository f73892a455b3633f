"""Unit tests of refkeras.regularizers."""

from __future__ import annotations

import numpy as np
import pytest

import refkeras.regularizers as regularizers

W = np.array([[1.0, -2.0], [0.5, 0.0]], dtype="float32")


def value(y):
    return float(np.asarray(y.numpy() if hasattr(y, "numpy") else y))


def test_penalties():
    assert value(regularizers.L1(0.5)(W)) == pytest.approx(0.5 * 3.5)
    assert value(regularizers.L2(0.1)(W)) == pytest.approx(0.1 * 5.25)
    assert value(regularizers.L1L2(0.5, 0.1)(W)) == pytest.approx(0.5 * 3.5 + 0.1 * 5.25)
    assert value(regularizers.L1L2()(W)) == 0.0


def test_configs():
    assert regularizers.L2(0.01).get_config() == {"l2": 0.01}
    assert regularizers.L1(0.5).get_config() == {"l1": 0.5}
    assert regularizers.L1(0.01).get_config() == {"l1": float(np.float32(0.01))}
    assert regularizers.L1L2(None, 2).get_config() == {"l1": 0.0, "l2": 2.0}


@pytest.mark.parametrize("bad", [-1, float("nan"), float("inf"), "x"])
def test_invalid_factor(bad):
    with pytest.raises(ValueError, match="Invalid value for argument l2"):
        regularizers.L2(bad)


def test_get_and_round_trip():
    assert regularizers.get(None) is None
    assert isinstance(regularizers.get("l1l2"), regularizers.L1L2)
    config = regularizers.serialize(regularizers.L1L2(0.25, 0.5))
    assert config == {"module": "keras.regularizers", "class_name": "L1L2",
                      "config": {"l1": 0.25, "l2": 0.5}, "registered_name": None}
    assert regularizers.deserialize(config).get_config() == {"l1": 0.25, "l2": 0.5}
    with pytest.raises(ValueError, match="Could not interpret regularizer identifier"):
        regularizers.get("nope")
