"""History, TerminateOnNaN, LambdaCallback, LearningRateScheduler, the base Callback."""

from __future__ import annotations

import numpy as np
import pytest

import refkeras.callbacks as callbacks
from refkeras.callbacks import (
    Callback,
    CallbackList,
    History,
    LambdaCallback,
    LearningRateScheduler,
    TerminateOnNaN,
)
from tests.callbacks.fakes import FakeModel, run_epochs


def test_namespace_exports():
    assert set(callbacks.__all__) == {
        "BackupAndRestore", "CSVLogger", "Callback", "CallbackList", "EarlyStopping",
        "History", "LambdaCallback", "LearningRateScheduler", "ModelCheckpoint",
        "ProgbarLogger", "ReduceLROnPlateau", "TerminateOnNaN"}


def test_base_callback_defaults():
    callback = Callback()
    assert callback.params is None and callback.model is None
    for hook in ("on_epoch_begin", "on_train_begin", "on_predict_batch_end"):
        assert hasattr(callback, hook)
    callback.set_params({"epochs": 1})
    assert callback.params == {"epochs": 1}


def test_history_accumulates_across_runs():
    history, model = History(), FakeModel()
    run_epochs([history], model, [{"loss": 1.0}, {"loss": 0.5}])
    run_epochs([history], model, [{"loss": 0.25, "acc": 1.0}])
    assert history.history == {"loss": [1.0, 0.5, 0.25], "acc": [1.0]}
    assert history.epoch == [0] and model.history is history


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_terminate_on_nan(bad, capsys):
    model = FakeModel()
    hooks = run_epochs([TerminateOnNaN()], model, [{}, {}],
                       batch_logs=[{"loss": 1.0}, {"loss": bad}, {"loss": 1.0}])
    assert model.stop_training and hooks.callbacks[-1].epoch == [0]
    assert capsys.readouterr().out == "Batch 1: Invalid loss, terminating training\n"
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 4"):
        CallbackList([TerminateOnNaN(raise_error=True)]).on_train_batch_end(4, {"loss": bad})


def test_lambda_callback_call_conventions():
    seen = []
    callback = LambdaCallback(
        on_epoch_end=lambda epoch, logs: seen.append(("epoch", epoch, logs)),
        on_train_batch_end=lambda batch, logs: seen.append(("batch", batch, logs)),
        on_test_end=lambda logs: seen.append(("test_end", logs)), label="x")
    hooks = CallbackList([callback])
    hooks.on_train_batch_end(2, {"loss": 1})
    hooks.on_epoch_end(0, None)
    hooks.on_test_begin()
    hooks.on_test_end({"a": 2})
    hooks.on_predict_batch_end(0, {})
    assert seen == [("batch", 2, {"loss": 1.0}), ("epoch", 0, {}), ("test_end", {"a": 2.0})]
    assert callback.label == "x"


def test_scheduler_sets_rate_and_logs_it():
    model = FakeModel(rate=1.0)
    scheduler = LearningRateScheduler(lambda epoch, lr: lr / 2)
    hooks = run_epochs([scheduler], model, [{"loss": 1.0}, {"loss": 1.0}])
    assert hooks.callbacks[-1].history["learning_rate"] == [0.5, 0.25]
    one_arg = LearningRateScheduler(lambda epoch: np.float64(epoch + 0.5))
    run_epochs([one_arg], model, [{}, {}])
    assert model.optimizer.learning_rate == 1.5


def test_scheduler_errors():
    scheduler = LearningRateScheduler(lambda epoch, lr: 3)
    scheduler.set_model(FakeModel())
    with pytest.raises(ValueError, match="should be a float. Got: 3"):
        scheduler.on_epoch_begin(0)
    model = FakeModel()
    model.optimizer = object()
    scheduler.set_model(model)
    with pytest.raises(ValueError, match='must have a "learning_rate" attribute'):
        scheduler.on_epoch_begin(0)
