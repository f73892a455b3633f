"""EarlyStopping and ReduceLROnPlateau, checked against hand-worked sequences."""

from __future__ import annotations

import pytest

from refkeras.callbacks import EarlyStopping, ReduceLROnPlateau
from tests.callbacks.fakes import FakeModel, run_epochs


def losses(*values: float) -> list[dict]:
    return [{"val_loss": v} for v in values]


def test_stops_after_patience_epochs_without_improvement():
    model = FakeModel()
    stopper = EarlyStopping(patience=2)
    hooks = run_epochs([stopper], model, losses(1.0, 0.5, 0.6, 0.7, 0.1))
    # Best at epoch 1; epochs 2 and 3 do not improve -> stop at epoch 3.
    assert hooks.callbacks[-1].epoch == [0, 1, 2, 3] and stopper.stopped_epoch == 3


def test_min_delta_and_mode_max():
    stopper = EarlyStopping(monitor="acc", mode="max", min_delta=0.1, patience=0)
    hooks = run_epochs([stopper], FakeModel(), [{"acc": 0.5}, {"acc": 0.55}, {"acc": 0.9}])
    assert hooks.callbacks[-1].epoch == [0, 1]  # +0.05 is below min_delta


def test_baseline_must_be_beaten_to_reset_patience():
    stopper = EarlyStopping(patience=2, baseline=0.1)
    hooks = run_epochs([stopper], FakeModel(), losses(1.0, 0.9, 0.95, 0.5))
    # Epochs 0 and 1 improve without beating the baseline, so the count reaches 3 at epoch 2
    # (without a baseline it would be 1 there, and epoch 3 would run).
    assert hooks.callbacks[-1].epoch == [0, 1, 2] and stopper.best == 0.9


def test_restores_best_weights_and_prints(capsys):
    model = FakeModel()
    stopper = EarlyStopping(patience=1, restore_best_weights=True, verbose=1)
    run_epochs([stopper], model, losses(1.0, 0.2, 0.4, 0.5))
    assert model.restored == [[[1.0, 1.0]]]
    assert capsys.readouterr().out == ("Epoch 3: early stopping\n"
                                       "Restoring model weights from the end of the best epoch: 2.\n")


def test_start_from_epoch_and_missing_value_warning():
    stopper = EarlyStopping(patience=0, start_from_epoch=2)
    hooks = run_epochs([stopper], FakeModel(), losses(1.0, 2.0, 3.0, 4.0))
    assert hooks.callbacks[-1].epoch == [0, 1, 2, 3]
    with pytest.warns(UserWarning, match="Available metrics are: loss"):
        run_epochs([EarlyStopping()], FakeModel(), [{"loss": 1.0}])


def test_auto_mode_needs_a_known_direction():
    with pytest.warns(UserWarning, match="mode 'up' is unknown"):
        stopper = EarlyStopping(monitor="f1", mode="up")
    with pytest.raises(ValueError, match="isn't able to automatically determine"):
        run_epochs([stopper], FakeModel(), [{"f1": 1.0}])


def test_auto_mode_reads_the_compiled_metric_direction():
    class Metric:
        name, _direction = "acc", "up"

    class Container:
        metrics = [Metric()]

    model = FakeModel()
    model.metrics = [Container()]
    stopper = EarlyStopping(monitor="val_acc", patience=0)
    hooks = run_epochs([stopper], model, [{"val_acc": 0.5}, {"val_acc": 0.7}, {"val_acc": 0.6}])
    assert hooks.callbacks[-1].epoch == [0, 1, 2]


def test_reduce_lr_reduces_after_patience_then_cools_down():
    model = FakeModel(rate=1.0)
    reducer = ReduceLROnPlateau(factor=0.5, patience=1, cooldown=1, min_lr=0.3)
    hooks = run_epochs([reducer], model, losses(1.0, 1.0, 1.0, 1.0, 1.0, 1.0))
    rates = hooks.callbacks[-1].history["learning_rate"]
    # Each epoch logs the rate before deciding. Epoch 1 stalls -> 0.5. At epoch 2 the cooldown
    # counter drops to 0 first, so that stall counts at once -> max(0.25, 0.3). Then 0.3 is not
    # above float32(0.3), so it stays.
    assert rates == [1.0, 1.0, 0.5, 0.3, 0.3, 0.3]
    assert model.optimizer.learning_rate == 0.3


def test_reduce_lr_rejects_factor_one():
    with pytest.raises(ValueError, match="does not support a factor >= 1.0"):
        ReduceLROnPlateau(factor=1.5)
