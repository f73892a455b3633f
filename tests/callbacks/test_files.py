"""CSVLogger, ModelCheckpoint and BackupAndRestore: the files they write and read."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from refkeras.callbacks import (
    BackupAndRestore,
    Callback,
    CallbackList,
    CSVLogger,
    ModelCheckpoint,
)
from tests.callbacks.fakes import FakeModel, run_epochs


def test_csv_text_with_val_twins_na_and_arrays(tmp_path):
    path = tmp_path / "log.csv"
    logs = [{"loss": 0.5, "acc": np.array([1, 2])}, {"loss": 0.25, "acc": "x"}]
    run_epochs([CSVLogger(path)], FakeModel(), logs)
    # Excel dialect: \r\n line ends; the quoted list gets its quotes doubled and is quoted.
    assert path.read_bytes() == (b"epoch,acc,loss,val_acc,val_loss\r\n"
                                 b'0,"""[1, 2]""",0.5,NA,NA\r\n'
                                 b"1,x,0.25,NA,NA\r\n")


def test_csv_append_keeps_one_header_and_separator(tmp_path):
    path = tmp_path / "log.csv"
    for _ in range(2):
        run_epochs([CSVLogger(path, separator=";", append=True)], FakeModel(),
                   [{"loss": 1.0, "val_loss": 2.0}])
    assert path.read_bytes() == b"epoch;loss;val_loss\r\n0;1.0;2.0\r\n0;1.0;2.0\r\n"


def test_checkpoint_formats_paths_and_saves_best(tmp_path):
    model = FakeModel()
    pattern = str(tmp_path / "sub" / "{epoch:02d}-{loss:.1f}.keras")
    checkpoint = ModelCheckpoint(pattern, monitor="loss", save_best_only=True)
    run_epochs([checkpoint], model, [{"loss": 0.5}, {"loss": 0.7}, {"loss": 0.2}])
    assert [os.path.basename(p) for p in model.saved] == ["01-0.5.keras", "03-0.2.keras"]
    assert checkpoint.best == 0.2


def test_checkpoint_every_n_batches_counts_skipped_indices(tmp_path):
    model = FakeModel()
    checkpoint = ModelCheckpoint(str(tmp_path / "e{epoch}b{batch}.weights.h5"),
                                 save_weights_only=True, save_freq=3)
    hooks = CallbackList([checkpoint], model=model)
    hooks.on_epoch_begin(0)
    for batch in (1, 3, 5):  # steps_per_execution=2 reports every other batch
        hooks.on_train_batch_end(batch, {"loss": 1.0})
    assert [os.path.basename(p) for p in model.saved] == ["e1b4.weights.h5"]


@pytest.mark.parametrize("kwargs, match", [
    ({"filepath": "m.keras", "save_freq": "often"}, "Unrecognized save_freq"),
    ({"filepath": "m.keras", "save_weights_only": True}, r"must end in `\.weights\.h5`"),
    ({"filepath": "m.ckpt"}, r"must end in `\.keras`"),
])
def test_checkpoint_argument_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ModelCheckpoint(**kwargs)


def test_checkpoint_missing_format_key():
    checkpoint = ModelCheckpoint("{val_acc}.keras")
    checkpoint.set_model(FakeModel())
    with pytest.raises(KeyError, match="Failed to format this callback filepath"):
        checkpoint.on_epoch_end(0, {"loss": 1.0})


def test_backup_writes_metadata_and_resume_sets_initial_epoch(tmp_path):
    backup = tmp_path / "bk"

    class Crash(Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 2:
                raise KeyboardInterrupt

    model = FakeModel()
    with pytest.raises(KeyboardInterrupt):
        run_epochs([BackupAndRestore(str(backup), double_checkpoint=True), Crash()], model,
                   [{"loss": 1.0}] * 4)
    assert sorted(os.listdir(backup)) == ["latest.weights.h5", "latest.weights.h5.bkp",
                                          "training_metadata.json", "training_metadata.json.bkp"]
    assert json.loads((backup / "training_metadata.json").read_text()) == {"epoch": 3, "batch": 0}
    resumed = FakeModel()
    again = BackupAndRestore(str(backup))
    CallbackList([again], model=resumed).on_train_begin()
    assert resumed._initial_epoch == 3 and resumed.loaded == ["epoch marker 2.0"]
    again.on_train_end()
    assert not backup.exists()


def test_backup_errors(tmp_path):
    with pytest.raises(ValueError, match="Empty `backup_dir`"):
        BackupAndRestore("")
    with pytest.raises(ValueError, match="Invalid value for argument `save_freq`"):
        BackupAndRestore(str(tmp_path), save_freq=1.5)
