"""Unit tests of the Metric base, Mean, Sum and MeanMetricWrapper (first-principles values)."""

from __future__ import annotations

import numpy as np
import pytest

from refkeras import layers, metrics, ops


def value(x):
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


def test_mean_and_sum_accumulate_and_reset():
    mean, total = metrics.Mean(name="m"), metrics.Sum(name="s")
    for m in (mean, total):
        m.update_state([1.0, 3.0])
        m.update_state([5.0], sample_weight=[2.0])
    assert float(value(mean.result())) == pytest.approx((1 + 3 + 10) / 4)
    assert float(value(total.result())) == pytest.approx(14.0)
    mean.reset_state()
    assert float(value(mean.result())) == 0.0
    assert [v.path for v in mean.variables] == ["m/total", "m/count"]
    assert not any(v.trainable for v in mean.variables)


def test_mean_averages_non_batch_axes_per_sample():
    m = metrics.Mean()
    m.update_state(np.array([[1.0, 3.0], [5.0, 7.0]], "float32"), sample_weight=[1.0, 0.0])
    assert float(value(m.result())) == pytest.approx(2.0)


def test_mean_metric_wrapper_and_config():
    m = metrics.MeanMetricWrapper(metrics.mean_squared_error, name="w")
    m.update_state(np.zeros((2, 2), "float32"), np.array([[1.0, 1.0], [2.0, 0.0]], "float32"))
    assert float(value(m.result())) == pytest.approx((1 + 2) / 2)
    config = m.get_config()
    assert config["fn"]["config"] == "mean_squared_error"
    rebuilt = metrics.MeanMetricWrapper.from_config(config)
    assert rebuilt._fn is metrics.mean_squared_error


def test_stateless_forms_leave_variables_alone():
    m = metrics.Mean(name="m")
    values = m.stateless_update_state([ops.zeros(()), ops.zeros(())], [2.0, 4.0])
    assert [float(value(v)) for v in values] == [6.0, 2.0]
    assert float(value(m.stateless_result(values))) == 3.0
    assert float(value(m.result())) == 0.0
    assert [float(value(v)) for v in m.stateless_reset_state()] == [0.0, 0.0]
    with pytest.raises(ValueError, match="corresponding 1:1 to Mean\\(\\).variables"):
        m.stateless_result([ops.zeros(())])


def test_sub_metrics_and_custom_metrics():
    class Pair(metrics.Metric):
        def __init__(self):
            super().__init__(name="pair")
            self.first = metrics.Sum(name="first")
            self.n = self.add_variable(shape=(), initializer="zeros", name="n")

        def update_state(self, x):
            self.first.update_state(x)
            self.n.assign_add(1.0)

        def result(self):
            return self.first.result() / self.n

    p = Pair()
    p.update_state([1.0, 2.0])
    assert float(value(p.result())) == 3.0
    assert [v.path for v in p.variables] == ["pair/n", "first/total"]


def test_missing_super_init():
    class Broken(metrics.Metric):
        def __init__(self):
            self.v = self.add_variable(shape=(), initializer="zeros")

    with pytest.raises(RuntimeError, match="forgot to call `super"):
        Broken()


def test_layers_track_metrics():
    class Holder(layers.Layer):
        def __init__(self):
            super().__init__()
            self.tracker = metrics.Mean(name="t")

    layer = Holder()
    assert layer.metrics == [layer.tracker]
    assert len(layer.metrics_variables) == 2
    assert layer.weights == []
