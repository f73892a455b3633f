"""A stand-in model with just what callbacks use, recording what they do to it."""

from __future__ import annotations

from typing import Any

import numpy as np

from refkeras.callbacks import CallbackList


class FakeOptimizer:
    def __init__(self, rate: float = 0.1, name: str = "sgd"):
        self.learning_rate: Any = np.float32(rate)
        self.name = name
        self.built = True


class FakeModel:
    def __init__(self, rate: float = 0.1):
        self.stop_training = False
        self.optimizer = FakeOptimizer(rate)
        self.weights = [np.zeros(2, "float32")]
        self.restored: list = []
        self.saved: list = []
        self.loaded: list = []
        self.built = True
        self.trainable_variables: list = []
        self._initial_epoch = None

    def get_weights(self) -> list:
        return [w.copy() for w in self.weights]

    def set_weights(self, weights: list) -> None:
        self.restored.append([w.tolist() for w in weights])

    def save(self, filepath: str, overwrite: bool = True) -> None:
        self.saved.append(filepath)
        with open(filepath, "w") as f:
            f.write("model")

    def save_weights(self, filepath: str, overwrite: bool = True) -> None:
        self.saved.append(filepath)
        with open(filepath, "w") as f:
            f.write(f"epoch marker {self.weights[0][0]}")

    def load_weights(self, filepath: str) -> None:
        with open(filepath) as f:
            self.loaded.append(f.read())


def run_epochs(callbacks: list, model: FakeModel, epoch_logs: list[dict],
               batch_logs: list[dict] | None = None, **params: Any) -> Any:
    """Calls the hooks a fit loop would; epoch ``e`` has weights full of ``e``."""
    hooks = CallbackList(callbacks, add_history=True, model=model,
                         **{"verbose": 0, "epochs": len(epoch_logs), "steps": 2, **params})
    hooks.on_train_begin()
    for epoch, logs in enumerate(epoch_logs):
        model.weights = [np.full(2, epoch, "float32")]
        hooks.on_epoch_begin(epoch)
        for batch, blogs in enumerate(batch_logs or [{"loss": 1.0}]):
            hooks.on_train_batch_begin(batch)
            hooks.on_train_batch_end(batch, blogs)
            if model.stop_training:
                break
        hooks.on_epoch_end(epoch, dict(logs))
        if model.stop_training:
            break
    hooks.on_train_end()
    return hooks
