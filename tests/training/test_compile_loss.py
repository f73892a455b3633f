"""CompileLoss: forms, weights, targets and per-output trackers (expected values by hand)."""

from __future__ import annotations

import numpy as np
import pytest

from refkeras.training.compile_loss import CompileLoss

Y_TRUE = {"a": np.array([[1.0], [3.0]], "float32"), "b": np.array([[0.0], [0.0]], "float32")}
Y_PRED = {"a": np.zeros((2, 1), "float32"), "b": np.array([[2.0], [2.0]], "float32")}
# mse(a) = (1 + 9) / 2 = 5; mae(b) = 2; mse(b) = 4


def test_one_loss_for_every_output_sums_them():
    loss = CompileLoss("mse", output_names=["a", "b"])
    assert float(loss(Y_TRUE, Y_PRED)) == 9.0
    assert [m.name for m in loss.metrics] == ["a_loss", "b_loss"]


def test_dict_losses_and_weights():
    loss = CompileLoss({"a": "mse", "b": "mae"}, {"a": 0.5, "b": 2.0}, output_names=["a", "b"])
    assert float(loss(Y_TRUE, Y_PRED)) == 0.5 * 5.0 + 2.0 * 2.0
    # trackers record the unweighted per-output losses
    assert [float(m.result()) for m in loss.metrics] == [5.0, 2.0]


def test_missing_dict_key_means_no_loss_for_that_output():
    loss = CompileLoss({"b": "mae"}, output_names=["a", "b"])
    assert float(loss(Y_TRUE, Y_PRED)) == 2.0
    assert loss.metrics == []  # a single loss entry has no per-output tracker


def test_targets_for_only_the_outputs_with_a_loss():
    loss = CompileLoss({"b": "mae"}, output_names=["a", "b"])
    assert float(loss({"b": Y_TRUE["b"]}, Y_PRED)) == 2.0


def test_missing_target_names_the_path():
    loss = CompileLoss("mse", output_names=["a", "b"])
    with pytest.raises(KeyError, match=r"The path: \('a',\)"):
        loss({"a": Y_TRUE["a"]}, Y_PRED)


def test_weight_count_mismatch():
    loss = CompileLoss("mse", [1.0, 2.0, 3.0], output_names=["a", "b"])
    with pytest.raises(ValueError, match="`loss_weights` must match the number of losses"):
        loss(Y_TRUE, Y_PRED)


def test_loss_weights_type_is_checked_at_construction():
    with pytest.raises(ValueError, match="Expected `loss_weights` argument to be a float"):
        CompileLoss("mse", 2)


@pytest.mark.parametrize("alias", ["crossentropy", "ce"])
def test_crossentropy_alias_is_resolved_from_shapes(alias):
    y_true = np.array([1], "int32")
    y_pred = np.array([[0.5, 0.5]], "float32")
    loss = CompileLoss(alias)
    assert float(loss(y_true, y_pred)) == pytest.approx(np.log(2.0), rel=1e-6)


def test_structure_mismatch_is_reported():
    loss = CompileLoss("mse", output_names=["a", "b"])
    with pytest.raises(ValueError, match="different structures"):
        loss([Y_TRUE["a"]] * 3, Y_PRED)
