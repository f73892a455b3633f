"""``LearningRateScheduler``: set the learning rate from a function of the epoch."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from refkeras.callbacks.callback import Callback, Logs
from refkeras.callbacks.learning_rates import current_learning_rate, log_learning_rates
from refkeras.utils.progbar import write_console


class LearningRateScheduler(Callback):
    """At each epoch start, sets the learning rate to ``schedule(epoch, lr)``.

    Args:
        schedule: ``schedule(epoch, lr) -> float`` (``epoch`` from 0, ``lr`` the current rate
            as a float); a one-argument ``schedule(epoch)`` is accepted too.
        verbose: 1 prints the rate set at each epoch.

    The rate in force is written to the epoch logs (``learning_rate``).

    >>> halve = LearningRateScheduler(lambda epoch, lr: lr * 0.5)
    """

    def __init__(self, schedule: Callable[..., float], verbose: int = 0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def _next_rate(self, optimizer: Any, epoch: int) -> float:
        if not hasattr(optimizer, "learning_rate"):
            raise ValueError('Optimizer must have a "learning_rate" attribute.')
        try:
            rate = self.schedule(epoch, current_learning_rate(optimizer))
        except TypeError:
            # An older, one-argument schedule.
            rate = self.schedule(epoch)
        if not isinstance(rate, (float, np.float32, np.float64)):
            raise ValueError("The output of the `schedule` function should be a float. "
                             f"Got: {rate}")
        optimizer.learning_rate = rate
        return rate

    def on_epoch_begin(self, epoch: int, logs: Logs = None) -> None:
        optimizer = self.model.optimizer
        if hasattr(optimizer, "optimizers"):
            for inner in optimizer.optimizers:
                rate = self._next_rate(inner, epoch)
                if self.verbose > 0:
                    write_console(f"\nEpoch {epoch + 1}: LearningRateScheduler setting "
                                  f"{inner.name} learning rate to {rate}.\n")
            return
        rate = self._next_rate(optimizer, epoch)
        if self.verbose > 0:
            write_console(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate "
                          f"to {rate}.\n")

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        # Empty logs are not shared with later callbacks (a new dict), non-empty ones are.
        log_learning_rates(self.model.optimizer, logs or {})
