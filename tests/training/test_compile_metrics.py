"""CompileMetrics: alias resolution and log names (no upstream; expected values by hand)."""

from __future__ import annotations

import numpy as np
import pytest

from refkeras import metrics
from refkeras.training.compile_metrics import CompileMetrics, label_kind, resolve_metric


@pytest.mark.parametrize("true_shape,pred_shape,expected", [
    ((4, 1), (4, 1), (True, False)),
    ((4,), (4, 3), (False, True)),
    ((4, 1), (4, 3), (False, True)),
    ((4, 3), (4, 3), (False, False)),
])
def test_label_kind(true_shape, pred_shape, expected):
    assert label_kind(np.zeros(true_shape), np.zeros(pred_shape)) == expected


@pytest.mark.parametrize("pred_shape,true_shape,cls", [
    ((4, 1), (4, 1), metrics.BinaryAccuracy),
    ((4, 3), (4,), metrics.SparseCategoricalAccuracy),
    ((4, 3), (4, 3), metrics.CategoricalAccuracy),
])
@pytest.mark.parametrize("alias", ["accuracy", "acc"])
def test_accuracy_alias_keeps_the_given_name(alias, pred_shape, true_shape, cls):
    metric = resolve_metric(alias, np.zeros(true_shape), np.zeros(pred_shape))
    assert type(metric) is cls and metric.name == alias


def test_resolve_metric_rejects_none():
    with pytest.raises(ValueError, match="Expected metric"):
        resolve_metric(None, np.zeros((2, 1)), np.zeros((2, 1)))


def test_names_are_prefixed_and_weighted_clashes_renamed():
    y = {"a": np.ones((4, 1), "float32"), "b": np.ones((4, 2), "float32")}
    compiled = CompileMetrics({"a": ["mae", "mae"], "b": ["mse"]}, {"a": ["mae"]},
                              output_names=["a", "b"])
    compiled.update_state(y, y)
    assert list(compiled.result()) == ["a_mae", "a_mae_1", "b_mse", "a_weighted_mae"]
    assert all(float(v) == 0.0 for v in compiled.result().values())


def test_weighted_metrics_get_the_sample_weight_and_plain_ones_do_not():
    y_true, y_pred = np.array([[0.0], [2.0]], "float32"), np.zeros((2, 1), "float32")
    compiled = CompileMetrics(["mae"], ["mae"])
    compiled.update_state(y_true, y_pred, sample_weight=np.array([3.0, 1.0], "float32"))
    result = compiled.result()
    assert float(result["mae"]) == 1.0  # (0 + 2) / 2
    assert float(result["weighted_mae"]) == 0.5  # (3*0 + 1*2) / (3 + 1)


@pytest.mark.parametrize("argument", ["metrics", "weighted_metrics"])
def test_non_container_metrics_are_rejected(argument):
    kwargs = {"metrics": None, "weighted_metrics": None, argument: "mae"}
    with pytest.raises(ValueError, match=f"Expected `{argument}` argument to be a list"):
        CompileMetrics(**kwargs)


def test_result_before_build_raises():
    with pytest.raises(ValueError, match="not yet been built"):
        CompileMetrics(["mae"], None).result()


def test_a_list_not_matching_several_outputs_is_invalid():
    y = [np.ones((2, 1), "float32"), np.ones((2, 1), "float32")]
    compiled = CompileMetrics(["mae"], None, output_names=["a", "b"])
    with pytest.raises(ValueError, match="Invalid `metrics`"):
        compiled.update_state(y, y)
