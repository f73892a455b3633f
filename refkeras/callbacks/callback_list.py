"""``CallbackList``: one object that forwards each hook to many callbacks.

For each hook the list keeps the bound methods of just the callbacks that override it (see
:func:`~refkeras.callbacks.callback.overrides`). A hook nobody implements returns at once,
without converting its logs: ``fit`` calls the batch hooks on every step.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from refkeras import tree
from refkeras.callbacks.callback import HOOKS, Callback, Logs, overrides
from refkeras.callbacks.history import History
from refkeras.callbacks.logs import python_logs
from refkeras.callbacks.progbar_logger import ProgbarLogger


class CallbackList(Callback):
    """Calls a list of callbacks together.

    Args:
        callbacks: callbacks (any nest of them), or ``None``.
        add_history: append a :class:`History` unless the list already holds one.
        add_progbar: append a :class:`ProgbarLogger` unless the list already holds one.
        model: the model given to every callback (``model.history`` is set to the History).
        **params: run parameters (``verbose``, ``epochs``, ``steps``) given to every callback.

    >>> callbacks = CallbackList([History()], model=None, epochs=1)
    >>> callbacks.on_train_begin()
    """

    def __init__(self, callbacks: Any = None, add_history: bool = False,
                 add_progbar: bool = False, model: Any = None, **params: Any):
        super().__init__()
        self.callbacks: list = tree.flatten(callbacks) if callbacks else []
        self._open_blocks = 0  # on_*_begin calls not yet matched by an on_*_end
        self._history = next((c for c in self.callbacks if isinstance(c, History)), None)
        self._progbar = next((c for c in self.callbacks if isinstance(c, ProgbarLogger)), None)
        # History goes before the progress bar, both after the user's callbacks.
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if self._progbar is None and add_progbar:
            self._progbar = ProgbarLogger()
            self.callbacks.append(self._progbar)
        self._refresh()
        self.set_model(model)
        self.set_params(params)

    def append(self, callback: Callback) -> None:
        """Adds ``callback`` at the end; it gets the list's model and params."""
        self.callbacks.append(callback)
        if self._model is not None:
            callback.set_model(self._model)
        if self.params:
            callback.set_params(self.params)
        self._refresh()

    def __iter__(self) -> Iterator[Callback]:
        return iter(self.callbacks)

    def set_params(self, params: dict) -> None:
        self.params = params
        if params:
            for callback in self.callbacks:
                callback.set_params(params)

    def set_model(self, model: Any) -> None:
        if not model:
            return
        super().set_model(model)
        if self._history:
            model.history = self._history
        for callback in self.callbacks:
            callback.set_model(model)

    def _refresh(self) -> None:
        """Recomputes, per hook, the bound methods worth calling."""
        self._targets = {
            hook: tuple(getattr(c, hook) for c in self.callbacks if overrides(c, hook))
            for hook in HOOKS}

    def observes(self, *hooks: str) -> bool:
        """Whether any callback implements one of ``hooks`` (``fit`` may then run
        several steps per compiled call when nobody watches the batches)."""
        return any(self._targets[hook] for hook in hooks)

    def _begin_block(self) -> None:
        self._open_blocks += 1
        # The callbacks (or their methods) may have changed since the last run.
        self._refresh()

    def _end_block(self) -> None:
        self._open_blocks -= 1
        if self._open_blocks < 0:
            raise ValueError("`on_xxx_end` called without corresponding `on_xxx_begin`")

    # Batch hooks: the hot path. Logs are converted only when some callback will read them.
    def _batch(self, hook: str, batch: int, logs: Logs) -> None:
        targets = self._targets[hook]
        if targets:
            logs = python_logs(logs)
            for method in targets:
                method(batch, logs=logs)

    def on_batch_begin(self, batch: int, logs: Logs = None) -> None:
        self._batch("on_batch_begin", batch, logs)

    def on_batch_end(self, batch: int, logs: Logs = None) -> None:
        self._batch("on_batch_end", batch, logs)

    def on_train_batch_begin(self, batch: int, logs: Logs = None) -> None:
        self._batch("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch: int, logs: Logs = None) -> None:
        self._batch("on_train_batch_end", batch, logs)

    def on_test_batch_begin(self, batch: int, logs: Logs = None) -> None:
        self._batch("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch: int, logs: Logs = None) -> None:
        self._batch("on_test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch: int, logs: Logs = None) -> None:
        self._batch("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch: int, logs: Logs = None) -> None:
        self._batch("on_predict_batch_end", batch, logs)

    def _epoch(self, hook: str, epoch: int, logs: Logs) -> None:
        targets = self._targets[hook]
        if targets:
            logs = python_logs(logs)
            for method in targets:
                method(epoch, logs)

    def on_epoch_begin(self, epoch: int, logs: Logs = None) -> None:
        self._refresh()
        self._epoch("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        self._epoch("on_epoch_end", epoch, logs)

    def _phase(self, hook: str, logs: Logs) -> None:
        logs = python_logs(logs)
        for method in self._targets[hook]:
            method(logs)

    def on_train_begin(self, logs: Logs = None) -> None:
        self._begin_block()
        self._phase("on_train_begin", logs)

    def on_train_end(self, logs: Logs = None) -> None:
        self._phase("on_train_end", logs)
        self._end_block()

    def on_test_begin(self, logs: Logs = None) -> None:
        self._begin_block()
        self._phase("on_test_begin", logs)

    def on_test_end(self, logs: Logs = None) -> None:
        self._phase("on_test_end", logs)
        self._end_block()

    def on_predict_begin(self, logs: Logs = None) -> None:
        self._begin_block()
        self._phase("on_predict_begin", logs)

    def on_predict_end(self, logs: Logs = None) -> None:
        self._phase("on_predict_end", logs)
        self._end_block()
