"""sample_weight checks and class_weight -> sample_weight, from first principles."""

from __future__ import annotations

import numpy as np
import pytest

from refkeras.backend import floatx
from refkeras.training.data import ArrayDataAdapter, class_weight_to_sample_weight

CW = {0: 0.5, 2: 3.0}


@pytest.mark.parametrize("y", [
    np.array([0, 1, 2, 0]),                          # ids
    np.array([[0], [1], [2], [0]]),                  # ids in a size-1 last axis
    np.eye(3)[[0, 1, 2, 0]],                         # one-hot: argmax
    np.array([0.1, 0.9, 2.2, -0.4]),                 # float ids are rounded
])
def test_class_rules(y):
    weights = class_weight_to_sample_weight(y, CW)
    assert weights.tolist() == [0.5, 1.0, 3.0, 0.5]
    assert str(weights.dtype) == floatx() and weights.shape == (4,)


def test_class_weight_in_batches():
    adapter = ArrayDataAdapter(np.zeros(4), np.array([2, 2, 0, 1]), class_weight=CW,
                               batch_size=4)
    _, _, weights = next(adapter.get_numpy_iterator())
    assert weights.tolist() == [3.0, 3.0, 0.5, 1.0]


def test_class_weight_errors():
    with pytest.raises(ValueError, match="at the same time"):
        ArrayDataAdapter(np.zeros(2), np.zeros(2), np.ones(2), class_weight=CW)
    with pytest.raises(ValueError, match="single output"):
        ArrayDataAdapter(np.zeros(2), [np.zeros(2), np.zeros(2)], class_weight=CW)
    with pytest.raises(TypeError, match="one class per sample"):
        class_weight_to_sample_weight(np.zeros((2, 3, 4)), CW)


def test_one_sample_weight_is_shared_by_all_outputs():
    y = {"a": np.zeros(3), "b": np.ones(3)}
    sw = np.arange(3.0)
    _, _, weights = next(ArrayDataAdapter(np.zeros(3), y, sw).get_numpy_iterator())
    assert set(weights) == {"a", "b"}
    assert weights["a"].tolist() == weights["b"].tolist() == [0.0, 1.0, 2.0]


def test_temporal_sample_weight_passes_through():
    sw = np.arange(6.0).reshape(3, 2)
    _, _, weights = next(ArrayDataAdapter(np.zeros(3), np.zeros((3, 2)), sw).get_numpy_iterator())
    assert weights.tolist() == sw.tolist()


def test_sample_weight_structure_errors():
    y = [np.zeros(3), np.zeros(3)]
    with pytest.raises(ValueError, match="one `sample_weight` array per output"):
        ArrayDataAdapter(np.zeros(3), y, [np.ones(3)])
    with pytest.raises(ValueError, match="one scalar score per sample"):
        ArrayDataAdapter(np.zeros(3), y, np.ones((3, 2)))
