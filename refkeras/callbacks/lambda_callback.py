"""``LambdaCallback``: a callback assembled from plain functions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from refkeras.callbacks.callback import Callback

_NAMED = ("on_epoch_begin", "on_epoch_end", "on_train_begin", "on_train_end",
          "on_train_batch_begin", "on_train_batch_end")


class LambdaCallback(Callback):
    """Runs the functions given for the matching hooks.

    Epoch hooks are called as ``f(epoch, logs)``, batch hooks as ``f(batch, logs=logs)`` and
    begin/end hooks as ``f(logs)``. Other hooks (``on_test_begin=...`` etc.) and any other
    attributes may be passed as keyword arguments too.

    >>> printer = LambdaCallback(on_epoch_end=lambda epoch, logs: print(epoch))
    """

    def __init__(self, on_epoch_begin: Callable | None = None,
                 on_epoch_end: Callable | None = None, on_train_begin: Callable | None = None,
                 on_train_end: Callable | None = None, on_train_batch_begin: Callable | None = None,
                 on_train_batch_end: Callable | None = None, **kwargs: Any):
        super().__init__()
        # The functions become instance attributes that shadow the inherited hooks.
        vars(self).update(kwargs)
        named = dict(zip(_NAMED, (on_epoch_begin, on_epoch_end, on_train_begin, on_train_end,
                                  on_train_batch_begin, on_train_batch_end)))
        for hook, function in named.items():
            if function is not None:
                setattr(self, hook, function)
