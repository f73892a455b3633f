"""``EarlyStopping``: stop ``fit`` once a monitored quantity stops improving."""

from __future__ import annotations

import warnings
from typing import Any

from refkeras.callbacks.callback import Logs
from refkeras.callbacks.monitor import MonitorCallback
from refkeras.utils.progbar import write_console


class EarlyStopping(MonitorCallback):
    """Sets ``model.stop_training`` after ``patience`` epochs without improvement.

    Args:
        monitor: the logged quantity to watch.
        min_delta: changes smaller than this do not count as improvements.
        patience: epochs without improvement to allow before stopping.
        verbose: 1 prints a line when stopping and when restoring weights.
        mode: ``"auto"``, ``"min"`` or ``"max"`` (see ``MonitorCallback``).
        baseline: a value to beat; until it is beaten the patience counter keeps running.
        restore_best_weights: at the end of training, put back the weights of the best epoch
            (if training ran at least one counted epoch).
        start_from_epoch: epochs to ignore entirely (warm-up) before watching.

    >>> stopper = EarlyStopping(monitor="loss", patience=3)
    """

    def __init__(self, monitor: str = "val_loss", min_delta: float = 0, patience: int = 0,
                 verbose: int = 0, mode: str = "auto", baseline: float | None = None,
                 restore_best_weights: bool = False, start_from_epoch: int = 0):
        super().__init__(monitor, mode, min_delta=min_delta)
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.wait = 0
        self.stopped_epoch = 0
        self.restore_best_weights = restore_best_weights
        self.best_weights: list | None = None
        self.start_from_epoch = start_from_epoch

    def on_train_begin(self, logs: Logs = None) -> None:
        # A fresh start for every fit() call that reuses this instance.
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        if self.monitor_op is None:
            self._set_monitor_op()  # the model's metrics exist by now
        value = self.get_monitor_value(logs)
        counted = value is not None and epoch >= self.start_from_epoch
        if not counted:
            return
        self._keep_weights_of_first_counted(epoch)
        self.wait += 1
        if not self._is_improvement(value, self.best):
            if epoch > 0 and self.wait >= self.patience:
                self.model.stop_training = True
                self.stopped_epoch = epoch
            return
        self._note_best(value, epoch)
        # An improvement resets the patience only if it also clears the baseline.
        beats_baseline = self.baseline is None or self._is_improvement(value, self.baseline)
        if beats_baseline:
            self.wait = 0

    def _keep_weights_of_first_counted(self, epoch: int) -> None:
        """With restore_best_weights, the first counted epoch's weights stand as the best
        until an epoch improves on them."""
        if self.restore_best_weights and self.best_weights is None:
            self.best_epoch = epoch
            self.best_weights = self.model.get_weights()

    def _note_best(self, value: Any, epoch: int) -> None:
        self.best, self.best_epoch = value, epoch
        if self.restore_best_weights:
            self.best_weights = self.model.get_weights()

    def on_train_end(self, logs: Logs = None) -> None:
        if self.stopped_epoch > 0 and self.verbose > 0:
            write_console(f"Epoch {self.stopped_epoch + 1}: early stopping\n")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                write_console("Restoring model weights from the end of the best epoch: "
                              f"{self.best_epoch + 1}.\n")
            self.model.set_weights(self.best_weights)

    def get_monitor_value(self, logs: Logs) -> Any:
        """``logs[monitor]``, or ``None`` with a warning listing the available names."""
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            warnings.warn(f"Early stopping conditioned on metric `{self.monitor}` which is not "
                          f"available. Available metrics are: {','.join(logs)}", stacklevel=2)
        return value
