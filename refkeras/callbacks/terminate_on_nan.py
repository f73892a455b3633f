"""``TerminateOnNaN``: stop training as soon as the batch loss is NaN or infinite."""

from __future__ import annotations

import math

from refkeras.callbacks.callback import Callback, Logs
from refkeras.utils.progbar import write_console


class TerminateOnNaN(Callback):
    """Stops training when ``logs["loss"]`` becomes NaN or ±inf at the end of a training batch.

    Args:
        raise_error: raise ``RuntimeError`` at once instead of setting
            ``model.stop_training`` (other callbacks then get no ``on_train_end``).
    """

    def __init__(self, raise_error: bool = False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch: int, logs: Logs = None) -> None:
        loss = (logs or {}).get("loss")
        if loss is None or math.isfinite(loss):
            return
        if self.raise_error:
            raise RuntimeError(f"NaN or Inf loss encountered at batch {batch}. "
                               f"Loss value: {loss}. Terminating training immediately.")
        write_console(f"Batch {batch}: Invalid loss, terminating training\n")
        self.model.stop_training = True
