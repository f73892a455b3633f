"""``Callback``: the base class whose hooks ``fit``, ``evaluate`` and ``predict`` call.

Every hook does nothing by default. ``CallbackList`` asks :func:`overrides` which hooks a
callback really implements and calls only those, so a hook left alone costs nothing per batch.
"""

from __future__ import annotations

from typing import Any

Logs = dict[str, Any] | None

BATCH_HOOKS = (
    "on_batch_begin", "on_batch_end",
    "on_train_batch_begin", "on_train_batch_end",
    "on_test_batch_begin", "on_test_batch_end",
    "on_predict_batch_begin", "on_predict_batch_end",
)
EPOCH_HOOKS = ("on_epoch_begin", "on_epoch_end")
PHASE_HOOKS = (
    "on_train_begin", "on_train_end", "on_test_begin", "on_test_end",
    "on_predict_begin", "on_predict_end",
)
HOOKS = BATCH_HOOKS + EPOCH_HOOKS + PHASE_HOOKS

# The training batch hooks fall back to the generic batch hooks, so overriding the latter
# counts as overriding the former.
_FALLBACK = {"on_train_batch_begin": "on_batch_begin", "on_train_batch_end": "on_batch_end"}


class Callback:
    """Hooks into training, evaluation and prediction; subclass and override the hooks you need.

    Attributes:
        params: the run's parameters (``verbose``, ``epochs``, ``steps``), set by
            :meth:`set_params`.
        model: the model being run, set by :meth:`set_model`.

    >>> class Counter(Callback):
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         self.last = epoch
    """

    def __init__(self) -> None:
        self.params: dict | None = None
        self._model: Any = None

    def set_params(self, params: dict) -> None:
        self.params = params

    def set_model(self, model: Any) -> None:
        self._model = model

    @property
    def model(self) -> Any:
        """The model; on JAX, its variables are first brought up to date with the trainer's state."""
        sync = getattr(self._model, "jax_state_sync", None)
        if sync is not None:
            sync()
        return self._model

    def on_batch_begin(self, batch: int, logs: Logs = None) -> None:
        """Start of a training batch (called by the default :meth:`on_train_batch_begin`)."""

    def on_batch_end(self, batch: int, logs: Logs = None) -> None:
        """End of a training batch (called by the default :meth:`on_train_batch_end`)."""

    def on_epoch_begin(self, epoch: int, logs: Logs = None) -> None:
        """Start of epoch ``epoch`` (0-based) during training."""

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        """End of an epoch; ``logs`` holds the epoch's metrics, validation ones as ``val_*``."""

    def on_train_batch_begin(self, batch: int, logs: Logs = None) -> None:
        """Start of training batch ``batch`` (0-based, within the epoch)."""
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch: int, logs: Logs = None) -> None:
        """End of a training batch; ``logs`` holds the metrics so far in the epoch."""
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch: int, logs: Logs = None) -> None:
        """Start of an evaluation (or validation) batch."""

    def on_test_batch_end(self, batch: int, logs: Logs = None) -> None:
        """End of an evaluation (or validation) batch."""

    def on_predict_batch_begin(self, batch: int, logs: Logs = None) -> None:
        """Start of a prediction batch."""

    def on_predict_batch_end(self, batch: int, logs: Logs = None) -> None:
        """End of a prediction batch; ``logs["outputs"]`` holds the batch's predictions."""

    def on_train_begin(self, logs: Logs = None) -> None:
        """Start of ``fit``."""

    def on_train_end(self, logs: Logs = None) -> None:
        """End of ``fit``."""

    def on_test_begin(self, logs: Logs = None) -> None:
        """Start of ``evaluate`` (or of a validation pass)."""

    def on_test_end(self, logs: Logs = None) -> None:
        """End of ``evaluate`` (or of a validation pass)."""

    def on_predict_begin(self, logs: Logs = None) -> None:
        """Start of ``predict``."""

    def on_predict_end(self, logs: Logs = None) -> None:
        """End of ``predict``."""


def overrides(callback: Any, hook: str) -> bool:
    """Whether calling ``callback``'s ``hook`` could do anything.

    True when the callback's class (or the instance itself, as ``LambdaCallback`` does)
    replaces the base hook, or when the callback is not a :class:`Callback` at all.
    """
    if not isinstance(callback, Callback):
        return True
    if hook in vars(callback) or getattr(type(callback), hook) is not getattr(Callback, hook):
        return True
    fallback = _FALLBACK.get(hook)
    return fallback is not None and overrides(callback, fallback)
