"""Differential tests of ``metrics``: state, results, stateless forms, configs, lookup."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import refkeras.metrics  # noqa: F401  (not yet exported by refkeras/__init__)
from conformance.tolerances import assert_close

thresholds = st.one_of(st.none(), st.sampled_from([0.3, [0.2, 0.5, 0.9], [0.0, 0.5, 1.0]]))
# Constructor arguments and the kind of data each metric reads.
METRICS = {
    "Mean": (st.just({}), "values"),
    "Sum": (st.just({}), "values"),
    "MeanSquaredError": (st.just({}), "regression"),
    "MeanAbsoluteError": (st.just({}), "regression"),
    "MeanAbsolutePercentageError": (st.just({}), "regression"),
    "MeanSquaredLogarithmicError": (st.just({}), "regression"),
    "Accuracy": (st.just({}), "ids"),
    "BinaryAccuracy": (st.fixed_dictionaries({}, optional={
        "threshold": st.sampled_from([0.3, 0.5, 0.8])}), "binary"),
    "CategoricalAccuracy": (st.just({}), "onehot"),
    "SparseCategoricalAccuracy": (st.just({}), "sparse"),
    "TopKCategoricalAccuracy": (st.fixed_dictionaries({}, optional={
        "k": st.integers(1, 4)}), "onehot"),
    "Precision": (st.fixed_dictionaries({}, optional={
        "thresholds": thresholds, "top_k": st.sampled_from([None, 1, 2]),
        "class_id": st.sampled_from([None, 0, 1])}), "binary"),
    "Recall": (st.fixed_dictionaries({}, optional={
        "thresholds": thresholds, "top_k": st.sampled_from([None, 1, 2]),
        "class_id": st.sampled_from([None, 0, 1])}), "binary"),
    "TruePositives": (st.fixed_dictionaries({}, optional={"thresholds": thresholds}), "binary"),
    "FalsePositives": (st.fixed_dictionaries({}, optional={"thresholds": thresholds}), "binary"),
    "TrueNegatives": (st.fixed_dictionaries({}, optional={"thresholds": thresholds}), "binary"),
    "FalseNegatives": (st.fixed_dictionaries({}, optional={"thresholds": thresholds}), "binary"),
    "AUC": (st.fixed_dictionaries({}, optional={
        "num_thresholds": st.sampled_from([3, 7, 200]),
        "curve": st.sampled_from(["ROC", "PR", "PRGAIN", "pr"]),
        "summation_method": st.sampled_from(["interpolation", "minoring", "majoring"]),
        "thresholds": st.sampled_from([None, [0.1, 0.4, 0.8], [0.25, 0.5, 0.75]]),
        "multi_label": st.booleans(),
        "from_logits": st.booleans()}), "binary"),
}
COUNTS = ("TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives")


def to_numpy(x: Any) -> np.ndarray:
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


def batch(rng: Any, kind: str, size: int, classes: int, weighted: bool) -> tuple:
    """The positional arguments of one ``update_state`` call."""
    shape = (size, classes)
    weights = (rng.random(size).astype("float32"),) if weighted else ()
    if kind == "values":
        return (rng.standard_normal(shape).astype("float32"), *weights)
    probs = rng.random(shape).astype("float32")
    if kind == "regression":
        labels = rng.standard_normal(shape).astype("float32")
        probs = probs * 3
    elif kind == "ids":
        labels = rng.integers(0, 3, shape).astype("float32")
        probs = rng.integers(0, 3, shape).astype("float32")
    elif kind == "binary":
        labels = (rng.random(shape) > 0.5).astype("float32")
    elif kind == "onehot":
        labels = np.eye(classes, dtype="float32")[rng.integers(0, classes, size)]
    else:  # sparse ids
        labels = rng.integers(0, classes, (size, 1) if rng.random() > 0.5 else (size,))
    return (labels, probs, *weights)


@st.composite
def metric_case(draw: Any) -> tuple[str, dict, list]:
    name = draw(st.sampled_from(sorted(METRICS)))
    args, kind = METRICS[name]
    kwargs = draw(args)
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    classes = draw(st.integers(2, 5))
    if kwargs.get("top_k"):
        classes = max(classes, kwargs["top_k"] + 1)
    calls = [batch(rng, kind, draw(st.integers(1, 6)), classes, draw(st.booleans()))
             for _ in range(draw(st.integers(1, 3)))]
    return name, kwargs, calls


def build_both(impl: Any, upstream: Any, name: str, kwargs: dict) -> tuple:
    return getattr(impl.metrics, name)(**kwargs), getattr(upstream.metrics, name)(**kwargs)


def config_without_unique_name(metric: Any) -> dict:
    """The config with an auto-generated name (``auc_3``: counted per library and process)
    reduced to its prefix, so libraries that created different numbers of metrics compare."""
    config = dict(metric.get_config())
    config["name"] = config["name"].rsplit("_", 1)[0] if config["name"][-1].isdigit() else \
        config["name"]
    return config


@pytest.mark.spec("metrics.values.update", "metrics.values.reset", "metrics.values.mean",
                  "metrics.values.accuracy", "metrics.values.confusion", "metrics.values.auc",
                  "metrics.state.variables")
@given(metric_case())
def test_results_are_bit_identical(impl, upstream, case):
    name, kwargs, calls = case
    ours, theirs = build_both(impl, upstream, name, {**kwargs, "name": "m"})
    for args in calls:
        ours.update_state(*args)
        theirs.update_state(*args)
        assert_close(to_numpy(ours.result()), to_numpy(theirs.result()), "exact")
    assert [v.path for v in ours.variables] == [v.path for v in theirs.variables]
    assert [v.trainable for v in ours.variables] == [v.trainable for v in theirs.variables]
    ours.reset_state()
    theirs.reset_state()
    assert_close(to_numpy(ours.result()), to_numpy(theirs.result()), "exact")


@pytest.mark.spec("metrics.values.stateless")
@given(metric_case())
def test_stateless_forms_are_bit_identical(impl, upstream, case):
    name, kwargs, calls = case
    ours, theirs = build_both(impl, upstream, name, kwargs)
    ours.update_state(*calls[0])  # builds lazily created state (AUC with multi_label)
    theirs.update_state(*calls[0])
    ours_values = [to_numpy(v) for v in ours.variables]
    theirs_values = [to_numpy(v) for v in theirs.variables]
    for args in calls:
        ours_values = ours.stateless_update_state(ours_values, *args)
        theirs_values = theirs.stateless_update_state(theirs_values, *args)
    for got, want in zip(ours_values, theirs_values):
        assert_close(to_numpy(got), to_numpy(want), "exact")
    upstream_returns_variable = (name in COUNTS and upstream.backend.backend() == "tensorflow")
    if not upstream_returns_variable:  # see [metrics.values.stateless]
        assert_close(to_numpy(ours.stateless_result(ours_values)),
                     to_numpy(theirs.stateless_result(theirs_values)), "exact")
    for got, want in zip(ours.stateless_reset_state(), theirs.stateless_reset_state()):
        assert_close(to_numpy(got), to_numpy(want), "exact")
    for lib_metric in (ours, theirs):
        with pytest.raises(ValueError, match="must be a list of tensors corresponding 1:1"):
            lib_metric.stateless_result(ours_values[:-1] if len(ours_values) > 1 else [])


@pytest.mark.spec("metrics.config.keys", "metrics.serialize.format")
@given(metric_case(), st.sampled_from([None, "my_metric"]))
def test_configs_and_serialization_match(impl, upstream, case, name_arg):
    name, kwargs, _ = case
    if name_arg is not None:
        kwargs = {**kwargs, "name": name_arg}
    ours, theirs = build_both(impl, upstream, name, kwargs)
    assert json.dumps(config_without_unique_name(ours)) == json.dumps(
        config_without_unique_name(theirs))
    ours, theirs = build_both(impl, upstream, name, {**kwargs, "name": name_arg or "m"})
    assert json.dumps(ours.get_config()) == json.dumps(theirs.get_config())
    ours_dict = json.loads(json.dumps(impl.metrics.serialize(ours)))
    theirs_dict = json.loads(json.dumps(upstream.metrics.serialize(theirs)))
    assert ours_dict == theirs_dict
    assert upstream.metrics.deserialize(ours_dict).get_config() == ours.get_config()
    assert impl.metrics.deserialize(theirs_dict).get_config() == theirs.get_config()


@pytest.mark.spec("metrics.config.keys", "metrics.serialize.format", "metrics.values.mean")
@pytest.mark.parametrize("fn, kwargs", [("mean_squared_error", {}), ("binary_accuracy",
                                        {"threshold": 0.7}), ("huber", {"delta": 2.0})])
def test_mean_metric_wrapper_matches(impl, upstream, fn, kwargs):
    ours = impl.metrics.MeanMetricWrapper(getattr(impl.metrics, fn), name="w", **kwargs)
    theirs = upstream.metrics.MeanMetricWrapper(getattr(upstream.metrics, fn), name="w", **kwargs)
    ours_dict = json.loads(json.dumps(impl.metrics.serialize(ours)))
    theirs_dict = json.loads(json.dumps(upstream.metrics.serialize(theirs)))
    assert ours_dict == theirs_dict
    back = impl.metrics.deserialize(theirs_dict)
    rng = np.random.default_rng(1)
    y_true, y_pred = (rng.random((5, 3)) > 0.5).astype("float32"), rng.random((5, 3))
    assert_close(to_numpy(back(y_true, y_pred)), to_numpy(theirs(y_true, y_pred)), "exact")


IDENTIFIERS = ["mse", "MSE", "mae", "mape", "msle", "AUC", "auc", "Precision", "recall",
               "mean_squared_error", "BinaryAccuracy", "binary_accuracy", "accuracy",
               "sparse_categorical_accuracy", "TopKCategoricalAccuracy", "sum", "Mean",
               {"class_name": "AUC", "config": {"name": "a", "num_thresholds": 5}}]


@pytest.mark.spec("metrics.get.identifiers")
@pytest.mark.parametrize("identifier", IDENTIFIERS)
def test_get_matches(impl, upstream, identifier):
    got, want = impl.metrics.get(identifier), upstream.metrics.get(identifier)
    got_config = impl.metrics.serialize(got)
    want_config = upstream.metrics.serialize(want)
    # Default names are made unique per process (`mean_1`...): compare everything else.
    got_config["config"].pop("name"), want_config["config"].pop("name")
    assert got_config == want_config


@pytest.mark.spec("metrics.get.identifiers")
def test_get_edge_cases(impl, upstream):
    for lib in (impl, upstream):
        assert lib.metrics.get(None) is None
        assert lib.metrics.get(lib.metrics.Sum).name.startswith("sum")
        for bad in ("no_such_metric", 3):
            with pytest.raises(ValueError, match="Could not interpret metric identifier"):
                lib.metrics.get(bad)


BAD_ARGUMENTS = [
    ("Precision", {"thresholds": 1.5}, "Threshold values must be in"),
    ("Recall", {"thresholds": [0.2, -0.1]}, "Threshold values must be in"),
    ("TruePositives", {"thresholds": [None]}, "Threshold values must be in"),
    ("AUC", {"num_thresholds": 1}, "num_thresholds"),
    ("AUC", {"curve": "XY"}, "Invalid AUC curve value"),
    ("AUC", {"summation_method": "mid"}, "Invalid AUC summation method value"),
    ("AUC", {"num_labels": 3}, "`num_labels` is needed only when `multi_label` is True"),
]


@pytest.mark.spec("metrics.errors.arguments")
@pytest.mark.parametrize("name, kwargs, message", BAD_ARGUMENTS)
def test_bad_arguments_raise(impl, upstream, name, kwargs, message):
    for lib in (impl, upstream):
        with pytest.raises(ValueError, match=message):
            getattr(lib.metrics, name)(**kwargs)


@pytest.mark.spec("metrics.state.super_init")
def test_missing_super_init_raises(impl, upstream):
    for lib in (impl, upstream):
        class Forgetful(lib.metrics.Metric):
            def __init__(self):  # no super().__init__()
                self.total = self.add_variable(shape=(), initializer="zeros", name="total")

        with pytest.raises(RuntimeError, match="forgot to call `super\\(\\).__init__\\(\\)`"):
            Forgetful()


@pytest.mark.spec("metrics.state.tracking")
def test_layers_track_metric_attributes(impl, upstream):
    names = []
    for lib in (impl, upstream):
        class Holder(lib.layers.Layer):
            def __init__(self, lib=lib):
                super().__init__(name="holder")
                self.tracker = lib.metrics.Mean(name="held")
                self.w = self.add_weight(shape=(2,), name="w")

        layer = Holder()
        assert layer.metrics == [layer.tracker]
        assert layer.metrics_variables == layer.tracker.variables
        names.append(([v.path for v in layer.metrics_variables], [v.path for v in layer.weights]))
    assert names[0] == names[1]
