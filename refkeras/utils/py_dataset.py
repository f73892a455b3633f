"""``PyDataset``: a dataset written in Python as indexable batches, as ``keras.utils.PyDataset``."""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Iterator
from typing import Any

_DEFAULTS = {"_workers": 1, "_use_multiprocessing": False, "_max_queue_size": 10}


class PyDataset:
    """Base class for datasets that produce whole batches from Python code.

    Subclasses implement ``__getitem__(index)`` returning batch ``index`` (``x``, ``(x,)``,
    ``(x, y)`` or ``(x, y, sample_weight)``, or a dict) and either ``__len__`` (the number of
    batches) or a ``num_batches`` property (``None`` for an endless dataset). Override
    ``on_epoch_begin``/``on_epoch_end`` to change the data between epochs.

    Args:
        workers: parallel readers ``fit`` may use (refkeras reads batches sequentially).
        use_multiprocessing: use processes rather than threads for the workers.
        max_queue_size: batches the workers may prepare ahead.

    >>> class Squares(PyDataset):
    ...     def __len__(self):
    ...         return 2
    ...     def __getitem__(self, i):
    ...         return [[i * i]], [[1.0]]
    >>> [x for x, _ in Squares()]
    [[[0]], [[1]]]
    """

    def __init__(self, workers: int = 1, use_multiprocessing: bool = False,
                 max_queue_size: int = 10) -> None:
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    def _setting(self, name: str) -> Any:
        """A worker setting; subclasses that skipped ``super().__init__()`` get the default
        and a warning."""
        if name not in self.__dict__:
            for attribute, default in _DEFAULTS.items():
                self.__dict__.setdefault(attribute, default)
            warnings.warn(
                "Your `PyDataset` class should call `super().__init__(**kwargs)` in its "
                "constructor. `**kwargs` can include `workers`, `use_multiprocessing`, "
                "`max_queue_size`. Do not pass these arguments to `fit()`, as they will be "
                "ignored.",
                stacklevel=3,
            )
        return self.__dict__[name]

    @property
    def workers(self) -> int:
        return self._setting("_workers")

    @workers.setter
    def workers(self, value: int) -> None:
        self._workers = value

    @property
    def use_multiprocessing(self) -> bool:
        return self._setting("_use_multiprocessing")

    @use_multiprocessing.setter
    def use_multiprocessing(self, value: bool) -> None:
        self._use_multiprocessing = value

    @property
    def max_queue_size(self) -> int:
        return self._setting("_max_queue_size")

    @max_queue_size.setter
    def max_queue_size(self, value: int) -> None:
        self._max_queue_size = value

    def __getitem__(self, index: int) -> Any:
        """Batch number ``index``; subclasses must implement it."""
        raise NotImplementedError

    @property
    def num_batches(self) -> int | None:
        """Batches per epoch (``len(self)`` by default); ``None`` means endless."""
        if hasattr(self, "__len__"):
            return len(self)
        raise NotImplementedError(
            "You need to implement the `num_batches` property:\n\n"
            "@property\ndef num_batches(self):\n  return ..."
        )

    def __iter__(self) -> Iterator[Any]:
        """Yields the batches in order (forever when ``num_batches`` is ``None``)."""
        try:
            count = self.num_batches
        except NotImplementedError:
            count = None
        indices = itertools.count() if count is None else range(count)
        for index in indices:
            yield self[index]

    def on_epoch_begin(self) -> None:
        """Called at the start of every epoch."""

    def on_epoch_end(self) -> None:
        """Called at the end of every epoch."""
