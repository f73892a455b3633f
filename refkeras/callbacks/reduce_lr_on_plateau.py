"""``ReduceLROnPlateau``: shrink the learning rate when a monitored quantity stalls."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from refkeras.callbacks.callback import Logs
from refkeras.callbacks.learning_rates import current_learning_rate, log_learning_rates
from refkeras.callbacks.monitor import MonitorCallback
from refkeras.utils.progbar import write_console


class ReduceLROnPlateau(MonitorCallback):
    """Multiplies the learning rate by ``factor`` after ``patience`` epochs without improvement.

    Args:
        monitor: the logged quantity to watch.
        factor: the multiplier, below 1.
        patience: epochs without improvement before reducing.
        verbose: 1 prints a line at each reduction.
        mode: ``"auto"``, ``"min"`` or ``"max"`` (see ``MonitorCallback``).
        min_delta: changes smaller than this do not count as improvements.
        cooldown: epochs after a reduction during which stalls are not counted.
        min_lr: the learning rate never goes below this.

    The current learning rate is also written to the epoch logs (``learning_rate``).

    >>> reduce = ReduceLROnPlateau(monitor="loss", factor=0.5, patience=2)
    """

    def __init__(self, monitor: str = "val_loss", factor: float = 0.1, patience: int = 10,
                 verbose: int = 0, mode: str = "auto", min_delta: float = 1e-4,
                 cooldown: int = 0, min_lr: float = 0.0, **kwargs: Any):
        super().__init__(monitor, mode, min_delta=min_delta)
        if factor >= 1.0:
            raise ValueError("ReduceLROnPlateau does not support a factor >= 1.0. "
                             f"Received factor={factor}. Pass a factor below 1.0.")
        self.factor = factor
        self.min_lr = min_lr
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.cooldown_counter = 0
        self.wait = 0

    def _reset(self) -> None:
        self.best = None
        self.cooldown_counter = 0
        self.wait = 0

    def in_cooldown(self) -> bool:
        """Whether the epochs right after a reduction are still running out."""
        return self.cooldown_counter > 0

    def on_train_begin(self, logs: Logs = None) -> None:
        self._reset()

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        if self.monitor_op is None:
            self._set_monitor_op()
        # Empty logs are not shared with later callbacks (a new dict), non-empty ones are.
        logs = logs or {}
        optimizer = self.model.optimizer
        log_learning_rates(optimizer, logs)
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(f"Learning rate reduction is conditioned on metric `{self.monitor}` "
                          f"which is not available. Available metrics are: {','.join(logs)}.",
                          stacklevel=2)
            return
        cooling = self.in_cooldown()
        if cooling:
            # One epoch of the cooldown elapses; no waiting is counted during it.
            self.cooldown_counter, self.wait = self.cooldown_counter - 1, 0
        if self._is_improvement(current, self.best):
            self.best, self.wait = current, 0
            return
        if self.in_cooldown():
            return
        self.wait += 1
        if self.wait < self.patience:
            return
        if self._reduce_all(optimizer, epoch):
            self.cooldown_counter, self.wait = self.cooldown, 0

    def _reduce_all(self, optimizer: Any, epoch: int) -> bool:
        if not hasattr(optimizer, "optimizers"):
            return self._reduce(optimizer, epoch, "")
        reduced = [self._reduce(inner, epoch, f"{inner.name}") for inner in optimizer.optimizers]
        return any(reduced)

    def _reduce(self, optimizer: Any, epoch: int, name: str) -> bool:
        old_lr = current_learning_rate(optimizer)
        # The rate lives in a float32 variable, so the floor is compared at that precision.
        if not old_lr > np.float32(self.min_lr):
            return False
        new_lr = max(old_lr * self.factor, self.min_lr)
        optimizer.learning_rate = new_lr
        if self.verbose > 0:
            label = f" {name}" if name else ""
            write_console(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing{label} learning "
                          f"rate to {new_lr}.\n")
        return True
