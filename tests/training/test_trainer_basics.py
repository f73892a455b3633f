"""Trainer bookkeeping without upstream: compile checks, validation cadence, layer losses."""

from __future__ import annotations

import numpy as np
import pytest

import refkeras as keras


def _model(regularized=False):
    inputs = keras.Input((2,))
    extra = {"kernel_regularizer": keras.regularizers.L2(0.5)} if regularized else {}
    dense = keras.layers.Dense(1, kernel_initializer="ones", bias_initializer="zeros", **extra)
    return keras.Model(inputs, dense(inputs))


@pytest.mark.parametrize("call", ["fit", "evaluate", "train_on_batch", "test_on_batch"])
def test_uncompiled_model_refuses_to_train(call):
    with pytest.raises(ValueError, match="You must call `compile"):
        getattr(_model(), call)(np.ones((2, 2)), np.ones((2, 1)))


@pytest.mark.parametrize("freq,expected", [(1, [True] * 4), (2, [False, True, False, True]),
                                           ([1, 4], [True, False, False, True])])
def test_should_eval(freq, expected):
    assert [_model()._should_eval(e, freq) for e in range(4)] == expected


@pytest.mark.parametrize("freq", ["1", (1,), 1.0])
def test_should_eval_rejects_other_types(freq):
    with pytest.raises(ValueError, match="Expected `validation_freq` to be a list or int"):
        _model()._should_eval(0, freq)


def test_loss_includes_regularization():
    model = _model(regularized=True)
    model.compile(keras.optimizers.SGD(0.0), "mse")
    # predictions are 2 (ones kernel), targets 0: mse 4; L2(0.5) * (1 + 1) = 1
    result = model.evaluate(np.ones((2, 2), "float32"), np.zeros((2, 1), "float32"), verbose=0)
    assert result == pytest.approx(5.0)


def test_evaluate_forms_and_metric_names():
    model = _model()
    model.compile("sgd", "mse", metrics=["mae"])
    assert model.metrics_names == ["loss", "compile_metrics"]
    x, y = np.ones((2, 2), "float32"), np.zeros((2, 1), "float32")
    assert model.evaluate(x, y, verbose=0) == pytest.approx([4.0, 2.0])
    assert model.evaluate(x, y, verbose=0, return_dict=True) == pytest.approx(
        {"loss": 4.0, "mae": 2.0})


def test_compile_config_round_trip():
    model = _model()
    assert model.get_compile_config() == {}
    model.compile("adam", "mse", metrics=["mae"], steps_per_execution=2)
    config = model.get_compile_config()
    again = _model()
    again.compile_from_config(config)
    assert again.get_compile_config() == config
    assert again.steps_per_execution == 2


def test_run_eagerly_disables_jit_with_a_warning():
    model = _model()
    with pytest.warns(UserWarning, match="cannot also be True"):
        model.compile("sgd", "mse", run_eagerly=True, jit_compile=True)
    assert not model.jit_compile


def test_steps_per_execution_does_not_change_training():
    x = np.linspace(-1, 1, 14, dtype="float32").reshape(7, 2)
    y = np.sum(x, axis=1, keepdims=True)
    histories = []
    for steps in (1, 3):
        model = _model()
        model.compile(keras.optimizers.SGD(0.1), "mse", steps_per_execution=steps)
        histories.append(model.fit(x, y, batch_size=2, epochs=2, verbose=0,
                                   shuffle=False).history["loss"])
    assert histories[0] == histories[1]
