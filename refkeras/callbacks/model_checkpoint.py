"""``ModelCheckpoint``: save the model (or its weights) during training."""

from __future__ import annotations

import os
import warnings

import numpy as np

from refkeras import backend
from refkeras.callbacks.callback import Logs
from refkeras.callbacks.monitor import MonitorCallback
from refkeras.callbacks.save_schedule import BatchSaveCounter, check_save_freq
from refkeras.utils.progbar import write_console


def _check_filepath(filepath: str, save_weights_only: bool) -> None:
    if save_weights_only:
        if not filepath.endswith(".weights.h5"):
            raise ValueError(
                "When using `save_weights_only=True` in `ModelCheckpoint`, the filepath "
                "provided must end in `.weights.h5` (Keras weights format). Received: "
                f"filepath={filepath}")
    elif not filepath.endswith((".keras", ".h5")):
        raise ValueError("The filepath provided must end in `.keras` (Keras model format). "
                         f"Received: filepath={filepath}")


class ModelCheckpoint(MonitorCallback):
    """Saves the model at the end of each epoch, or every ``save_freq`` batches.

    Args:
        filepath: where to save; may hold ``str.format`` fields ``{epoch}`` (1-based),
            ``{batch}`` (1-based, batch-frequency saves only) and any logged name, e.g.
            ``"ckpt/{epoch:02d}-{val_loss:.2f}.keras"``. Must end in ``.keras`` (or ``.h5``),
            or in ``.weights.h5`` when ``save_weights_only``.
        monitor: the logged quantity compared when ``save_best_only``.
        verbose: 1 prints a line per save decision.
        save_best_only: save only when ``monitor`` improves on the best value so far.
        save_weights_only: save with ``model.save_weights`` instead of ``model.save``.
        mode: ``"auto"``, ``"min"`` or ``"max"`` (see ``MonitorCallback``).
        save_freq: ``"epoch"``, or an integer number of batches.
        initial_value_threshold: the value to beat before the first save (``save_best_only``).

    >>> checkpoint = ModelCheckpoint("model.keras", monitor="loss", save_best_only=True)
    """

    def __init__(self, filepath: str | os.PathLike, monitor: str = "val_loss", verbose: int = 0,
                 save_best_only: bool = False, save_weights_only: bool = False,
                 mode: str = "auto", save_freq: str | int = "epoch",
                 initial_value_threshold: float | None = None):
        super().__init__(monitor, mode, initial_value_threshold)
        self.verbose = verbose
        self.filepath = os.fspath(filepath) if isinstance(filepath, os.PathLike) else filepath
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        if not check_save_freq(save_freq):
            raise ValueError(f"Unrecognized save_freq: {save_freq}. Expected save_freq are "
                             "'epoch' or integer values")
        _check_filepath(self.filepath, save_weights_only)
        self._counter = BatchSaveCounter(save_freq) if save_freq != "epoch" else None
        self._current_epoch = 0

    def on_epoch_begin(self, epoch: int, logs: Logs = None) -> None:
        self._current_epoch = epoch

    def on_train_batch_end(self, batch: int, logs: Logs = None) -> None:
        if self._counter is not None and self._counter.due(batch):
            self._save(self._current_epoch, batch, logs)

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        if self.monitor_op is None:
            self._set_monitor_op()
        if self.save_freq == "epoch":
            self._save(epoch, None, logs)

    def _path(self, epoch: int, batch: int | None, logs: dict) -> str:
        fields = dict(logs)
        # A logged "batch" wins over the batch counter.
        if batch is not None and "batch" not in logs:
            fields["batch"] = batch + 1
        try:
            return self.filepath.format(epoch=epoch + 1, **fields)
        except KeyError as error:
            raise KeyError(f'Failed to format this callback filepath: "{self.filepath}". '
                           f"Reason: {error}") from error

    def _should_save(self, epoch: int, logs: dict, filepath: str) -> bool:
        if not self.save_best_only:
            if self.verbose > 0:
                write_console(f"\nEpoch {epoch + 1}: saving model to {filepath}\n")
            return True
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(f"Can save best model only with {self.monitor} available.",
                          stacklevel=2)
            return True
        if (isinstance(current, np.ndarray) or backend.is_tensor(current)) and current.shape:
            warnings.warn("Can save best model only when `monitor` is a scalar value. "
                          f"Received: {current}. Falling back to `save_best_only=False`.",
                          stacklevel=2)
            return True
        best = "None" if self.best is None else f"{self.best:.5f}"
        if not self._is_improvement(current, self.best):
            if self.verbose > 0:
                write_console(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from "
                              f"{best}\n")
            return False
        if self.verbose > 0:
            write_console(f"\nEpoch {epoch + 1}: {self.monitor} improved from {best} to "
                          f"{current:.5f}, saving model to {filepath}\n")
        self.best = current
        return True

    def _save(self, epoch: int, batch: int | None, logs: Logs) -> None:
        logs = logs or {}
        filepath = self._path(epoch, batch, logs)
        if not self._should_save(epoch, logs, filepath):
            return
        directory = os.path.dirname(filepath)
        if directory and not os.path.exists(directory):
            os.makedirs(directory)
        try:
            if self.save_weights_only:
                self.model.save_weights(filepath, overwrite=True)
            else:
                self.model.save(filepath, overwrite=True)
        except IsADirectoryError as error:
            raise OSError("Please specify a non-directory filepath for ModelCheckpoint. "
                          f"Filepath used is an existing directory: {filepath}") from error
        if self.verbose > 0:
            write_console(f"\nEpoch {epoch + 1}: finished saving model to {filepath}\n")
