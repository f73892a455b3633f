"""Unit tests of accuracy, confusion-matrix and AUC metrics (first-principles values)."""

from __future__ import annotations

import numpy as np
import pytest

from refkeras import metrics

LABELS = np.array([1.0, 0.0, 1.0, 1.0], "float32")
SCORES = np.array([0.9, 0.6, 0.4, 0.8], "float32")


def value(x):
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


def test_accuracy_functions():
    np.testing.assert_array_equal(value(metrics.binary_accuracy(LABELS, SCORES)), [1, 0, 0, 1])
    probs = np.array([[0.1, 0.6, 0.3], [0.5, 0.2, 0.3]], "float32")
    onehot = np.array([[0, 1, 0], [0, 0, 1]], "float32")
    np.testing.assert_array_equal(value(metrics.categorical_accuracy(onehot, probs)), [1, 0])
    np.testing.assert_array_equal(
        value(metrics.sparse_categorical_accuracy(np.array([1, 2]), probs)), [1, 0])
    np.testing.assert_array_equal(
        value(metrics.top_k_categorical_accuracy(onehot, probs, k=2)), [1, 1])


def test_accuracy_classes_and_configs():
    m = metrics.BinaryAccuracy(threshold=0.7)
    m.update_state(LABELS, SCORES)
    assert float(value(m.result())) == pytest.approx(0.75)
    assert m.get_config() == {"name": "binary_accuracy", "dtype": "float32", "threshold": 0.7}
    assert metrics.TopKCategoricalAccuracy(k=3).get_config()["k"] == 3


def test_precision_recall_and_counts():
    precision, recall = metrics.Precision(), metrics.Recall()
    precision.update_state(LABELS, SCORES)
    recall.update_state(LABELS, SCORES)
    # Predicted positive (> 0.5): 0.9, 0.6, 0.8 -> 2 true positives, 1 false positive.
    assert float(value(precision.result())) == pytest.approx(2 / 3)
    assert float(value(recall.result())) == pytest.approx(2 / 3)
    counts = metrics.TruePositives(thresholds=[0.3, 0.85])
    counts.update_state(LABELS, SCORES)
    np.testing.assert_array_equal(value(counts.result()), [3.0, 1.0])
    assert precision.get_config() == {"name": "precision", "dtype": "float32",
                                      "thresholds": None, "top_k": None, "class_id": None}


def test_auc_of_a_perfect_and_a_reversed_ranking():
    labels = np.array([0, 0, 1, 1], "float32")
    good = metrics.AUC(num_thresholds=201)
    good.update_state(labels, np.array([0.1, 0.2, 0.8, 0.9], "float32"))
    assert float(value(good.result())) == pytest.approx(1.0, abs=1e-6)
    bad = metrics.AUC(num_thresholds=201)
    bad.update_state(labels, np.array([0.9, 0.8, 0.2, 0.1], "float32"))
    assert float(value(bad.result())) == pytest.approx(0.0, abs=1e-6)
    assert len(good.thresholds) == 201 and good.thresholds[0] < 0 < 1 < good.thresholds[-1]


def test_auc_config_and_errors():
    auc = metrics.AUC(thresholds=[0.5, 0.25], curve="pr")
    config = auc.get_config()
    assert config["num_thresholds"] == 4 and config["curve"] == "PR"
    assert config["thresholds"] == [0.25, 0.5]
    with pytest.raises(ValueError, match="num_thresholds=1"):
        metrics.AUC(num_thresholds=1)
    with pytest.raises(ValueError, match="Threshold values must be in \\[0, 1\\]"):
        metrics.Precision(thresholds=[1.2])


def test_multi_label_auc_builds_lazily():
    auc = metrics.AUC(multi_label=True)
    assert auc.variables == []
    auc.update_state(np.array([[1, 0], [0, 1]], "float32"),
                     np.array([[0.9, 0.1], [0.2, 0.7]], "float32"))
    assert auc.true_positives.shape == (200, 2)
    assert float(value(auc.result())) == pytest.approx(1.0, abs=1e-6)


def test_get():
    assert isinstance(metrics.get("mse"), metrics.MeanSquaredError)
    assert isinstance(metrics.get("auc"), metrics.AUC)
    assert metrics.get(None) is None
    with pytest.raises(ValueError, match="Could not interpret metric identifier"):
        metrics.get("nope")
