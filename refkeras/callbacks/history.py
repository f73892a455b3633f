"""``History``: the per-epoch record that ``fit`` returns."""

from __future__ import annotations

from typing import Any

from refkeras.callbacks.callback import Callback, Logs


class History(Callback):
    """Records each epoch's logs; ``fit`` adds one and returns it.

    Attributes:
        history: metric name -> list of per-epoch values (kept across ``fit`` calls).
        epoch: the epoch indices seen in the current ``fit`` call.

    >>> history = History()
    >>> history.history
    {}
    """

    def __init__(self) -> None:
        super().__init__()
        self.history: dict[str, list[Any]] = {}

    def on_train_begin(self, logs: Logs = None) -> None:
        self.epoch: list[int] = []

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        self.epoch.append(epoch)
        for name, value in (logs or {}).items():
            self.history.setdefault(name, []).append(value)
        # Point the model at this record only once it holds the newest epoch.
        self.model.history = self
