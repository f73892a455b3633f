"""``BackupAndRestore``: survive an interrupted ``fit`` by backing up and resuming.

Files in ``backup_dir``: ``latest.weights.h5`` (the model's weights, optimizer included) and
``training_metadata.json`` (``{"epoch": next epoch, "batch": last batch seen}``); with
``double_checkpoint``, the previous pair is kept beside them with a ``.bkp`` suffix.
"""

from __future__ import annotations

import json
import os
import shutil

from refkeras.callbacks.callback import Callback, Logs
from refkeras.callbacks.save_schedule import BatchSaveCounter, check_save_freq


class BackupAndRestore(Callback):
    """Backs training up to ``backup_dir`` and, at the next ``fit``, resumes from the backup.

    Resuming loads the weights and sets ``model._initial_epoch`` to the epoch after the last
    backed-up one; ``fit`` then starts there.

    Args:
        backup_dir: a directory for the backup files (created when needed).
        save_freq: ``"epoch"``, or an integer number of batches between backups.
        double_checkpoint: keep the previous backup too, used when the latest is unreadable.
        delete_checkpoint: remove ``backup_dir`` when training ends normally.

    >>> backup = BackupAndRestore("/tmp/backup")
    """

    def __init__(self, backup_dir: str, save_freq: str | int = "epoch",
                 double_checkpoint: bool = False, delete_checkpoint: bool = True):
        super().__init__()
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        if not backup_dir:
            raise ValueError(f"Empty `backup_dir` argument passed. Received: "
                             f"backup_dir={backup_dir!r}; pass a directory path.")
        self.backup_dir = backup_dir
        self._weights_path = os.path.join(backup_dir, "latest.weights.h5")
        self._training_metadata_path = os.path.join(backup_dir, "training_metadata.json")
        self._prev_weights_path = f"{self._weights_path}.bkp"
        self._prev_training_metadata_path = f"{self._training_metadata_path}.bkp"
        if not check_save_freq(save_freq):
            raise ValueError("Invalid value for argument `save_freq`. "
                             f"Received: save_freq={save_freq}. "
                             "Expected either 'epoch' or an integer value.")
        # Unlike ModelCheckpoint, the count starts as if batch 0 had been seen.
        self._counter = BatchSaveCounter(save_freq, last=0) if save_freq != "epoch" else None
        self._current_epoch = 0

    def on_train_begin(self, logs: Logs = None) -> None:
        try:
            self._restore()
        except OSError:
            # The latest backup may be half-written: fall back to the previous one if kept.
            if not os.path.exists(self._prev_weights_path):
                raise
            shutil.copy(self._prev_weights_path, self._weights_path)
            if os.path.exists(self._prev_training_metadata_path):
                shutil.copy(self._prev_training_metadata_path, self._training_metadata_path)
            elif os.path.exists(self._training_metadata_path):
                os.remove(self._training_metadata_path)
            self._restore()

    def _restore(self) -> None:
        model = self.model
        if not model.built:
            raise ValueError("To use the BackupAndRestore callback, you model must be built "
                             f"before you call `fit()`. Model {model} is unbuilt. You can build "
                             "it beforehand by calling it on a batch of data.")
        if os.path.exists(self._weights_path):
            optimizer = getattr(model, "optimizer", None)
            if optimizer is not None and not optimizer.built:
                # The optimizer's slots must exist for their saved values to load.
                optimizer.build(model.trainable_variables)
            model.load_weights(self._weights_path)
        if os.path.exists(self._training_metadata_path):
            with open(self._training_metadata_path) as f:
                metadata = json.loads(f.read())
            model._initial_epoch = metadata["epoch"]

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        self._current_epoch = epoch + 1
        if self._counter is not None:
            self._counter.last = 0
        if self.save_freq == "epoch":
            self._backup()

    def on_train_batch_end(self, batch: int, logs: Logs = None) -> None:
        if self._counter is not None and self._counter.due(batch):
            self._backup()

    def _backup(self) -> None:
        if not os.path.exists(self.backup_dir):
            os.makedirs(self.backup_dir)
        if self.double_checkpoint:
            for latest, previous in ((self._weights_path, self._prev_weights_path),
                                     (self._training_metadata_path,
                                      self._prev_training_metadata_path)):
                if os.path.exists(latest):
                    shutil.copy(latest, previous)
        self.model.save_weights(filepath=self._weights_path, overwrite=True)
        last_batch = self._counter.last if self._counter is not None else 0
        with open(self._training_metadata_path, "w") as f:
            f.write(json.dumps({"epoch": self._current_epoch, "batch": last_batch}))

    def on_train_end(self, logs: Logs = None) -> None:
        if self.delete_checkpoint and os.path.exists(self.backup_dir):
            shutil.rmtree(self.backup_dir)
