"""Unit tests of refkeras.losses.reduction: weights, masks and reductions from first principles."""

from __future__ import annotations

import numpy as np
import pytest

from refkeras import ops
from refkeras.losses import reduction

V = np.array([1.0, 2.0, 3.0, 6.0], dtype="float32")
W = np.array([1.0, 0.5, 0.0, 2.0], dtype="float32")


def value(x):
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


@pytest.mark.parametrize("name, expected", [
    ("sum", 1 + 1 + 0 + 12),
    ("sum_over_batch_size", 14 / 4),
    ("mean", 14 / 4),
    ("mean_with_sample_weight", 14 / 3.5),
])
def test_reductions(name, expected):
    got = reduction.reduce_weighted_values(V, sample_weight=W, reduction=name)
    assert float(value(got)) == pytest.approx(expected)


def test_no_reduction_keeps_weighted_values():
    for name in ("none", None):
        got = reduction.reduce_weighted_values(V, sample_weight=W, reduction=name)
        np.testing.assert_allclose(value(got), V * W)


def test_mean_with_sample_weight_without_weights_averages():
    got = reduction.reduce_weighted_values(V, reduction="mean_with_sample_weight")
    assert float(value(got)) == pytest.approx(3.0)


def test_zero_divisor_gives_zero():
    got = reduction.reduce_weighted_values(V, sample_weight=np.zeros(4, "float32"),
                                           reduction="mean_with_sample_weight")
    assert float(value(got)) == 0.0


def test_scalars_and_empty_vectors_are_not_reduced():
    assert float(value(reduction.reduce_values(ops.convert_to_tensor(5.0), reduction="sum"))) == 5
    empty = ops.convert_to_tensor(np.zeros((0,), "float32"))
    assert value(reduction.reduce_values(empty)).shape == (0,)


def test_invalid_reduction_names_argument():
    with pytest.raises(ValueError, match="Invalid value for argument `reduction`.*auto"):
        reduction.standardize_reduction("auto")


def test_squeeze_or_expand():
    a, b = np.zeros((4, 1)), np.zeros((4,))
    x, y = reduction.squeeze_or_expand_to_same_rank(ops.convert_to_tensor(a),
                                                     ops.convert_to_tensor(b))
    assert tuple(x.shape) == (4, 1) and tuple(y.shape) == (4, 1)
    x, y = reduction.squeeze_or_expand_to_same_rank(ops.convert_to_tensor(np.zeros((4, 3, 1))),
                                                    ops.convert_to_tensor(np.zeros((4, 3))))
    assert tuple(x.shape) == (4, 3) and tuple(y.shape) == (4, 3)
    x, y = reduction.squeeze_or_expand_to_same_rank(ops.convert_to_tensor(a),
                                                    ops.convert_to_tensor(b), expand_rank_1=False)
    assert tuple(x.shape) == (4,) and tuple(y.shape) == (4,)


def test_mask_averages_over_kept_entries():
    mask = np.array([True, False, True, False])
    got = reduction.reduce_weighted_values(V, mask=mask, reduction="sum_over_batch_size")
    assert float(value(got)) == pytest.approx((1 + 3) / 2)
    got = reduction.reduce_weighted_values(V, mask=mask, reduction="sum")
    assert float(value(got)) == pytest.approx(4.0)
