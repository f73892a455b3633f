"""Callbacks for ``fit``, ``evaluate`` and ``predict``, as ``keras.callbacks`` (re-exports only)."""

from refkeras.callbacks.backup_and_restore import BackupAndRestore as BackupAndRestore
from refkeras.callbacks.callback import Callback as Callback
from refkeras.callbacks.callback_list import CallbackList as CallbackList
from refkeras.callbacks.csv_logger import CSVLogger as CSVLogger
from refkeras.callbacks.early_stopping import EarlyStopping as EarlyStopping
from refkeras.callbacks.history import History as History
from refkeras.callbacks.lambda_callback import LambdaCallback as LambdaCallback
from refkeras.callbacks.learning_rate_scheduler import (
    LearningRateScheduler as LearningRateScheduler,
)
from refkeras.callbacks.model_checkpoint import ModelCheckpoint as ModelCheckpoint
from refkeras.callbacks.progbar_logger import ProgbarLogger as ProgbarLogger
from refkeras.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau as ReduceLROnPlateau
from refkeras.callbacks.terminate_on_nan import TerminateOnNaN as TerminateOnNaN

__all__ = [
    "BackupAndRestore", "CSVLogger", "Callback", "CallbackList", "EarlyStopping", "History",
    "LambdaCallback", "LearningRateScheduler", "ModelCheckpoint", "ProgbarLogger",
    "ReduceLROnPlateau", "TerminateOnNaN",
]
