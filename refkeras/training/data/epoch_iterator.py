"""``EpochIterator``: the batches of each epoch, grouped by ``steps_per_execution``.

How the trainer uses it::

    it = EpochIterator(x, y, batch_size=32, steps_per_epoch=None, steps_per_execution=1)
    batch = it.first_batch()   # optional: only when the model must be built from data
    it.reset()                 # always, once, before the first epoch (as upstream)
    for epoch in range(epochs):
        for begin_step, end_step, batches in it.enumerate_epoch():
            ...                # batches: list of 1..steps_per_execution NumPy batches
        if it.ran_out_of_data:
            ...                # the data ended early this epoch (a warning was issued)

Epoch length and continuity follow upstream Keras 3.15.1:

- Without ``steps_per_epoch``, every epoch is one full pass over a fresh iterator. When the
  length is unknown (generators, some tf.data pipelines) the pass ends when the data does;
  that counts as running out (the warning is issued) and the length seen becomes
  ``num_batches`` for later epochs.
- With ``steps_per_epoch``, one iterator is shared across epochs: epoch 2 continues where
  epoch 1 stopped. When the data's length is known the iterator restarts once all batches
  were seen; an epoch that reaches the end of the data early stops there with the warning.
  ``steps_per_epoch=-1`` (or any value <= 0) reads a fresh pass to its end, like ``None``
  with unknown length.
- A chunk that finds the data ended after at least one batch is returned short, silently;
  a chunk that finds no batch at all ends the epoch: the "ran out of data" warning is issued,
  ``ran_out_of_data`` becomes ``True`` and the next epoch starts a fresh iterator.
- ``end_step`` is ``begin_step + steps_per_execution - 1`` even for a short last chunk.

``ran_out_of_data``: ``True`` after an epoch the data ended early. Upstream's ``fit`` does not
stop on it (it goes on to the next epoch, which may get few or no batches); a trainer that
mirrors upstream reads it only to report, or to skip work for an epoch that saw no batch.

Adapter hooks: ``adapter.on_epoch_begin()`` is called when an epoch starts and
``adapter.on_epoch_end()`` when it ends (normally, or by running out), and by ``reset()``.
An epoch abandoned by the caller (``break``) does not call ``on_epoch_end``, as upstream.

Known difference: upstream's JAX/TF trainers call ``on_train_batch_begin`` before finding that
a chunk has no data; here a chunk is only yielded with its batches.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping
from typing import Any

from refkeras.training.data.data_adapter import DataAdapter
from refkeras.training.data.select_adapter import get_data_adapter

OUT_OF_DATA_MESSAGE = (
    "Your input ran out of data; interrupting training. Make sure that your dataset or "
    "generator can generate at least `steps_per_epoch * epochs` batches. You may need to use "
    "the `.repeat()` function when building your dataset."
)

_END = object()  # marks the end of the data without the cost of catching StopIteration


class EpochIterator:
    """Iterates the batches of each epoch of ``x`` (see the module docstring for the rules).

    >>> import numpy as np
    >>> it = EpochIterator(np.arange(10.0)[:, None], batch_size=4, steps_per_execution=2)
    >>> [(b, e, len(batches)) for b, e, batches in it.enumerate_epoch()]
    [(0, 1, 2), (2, 3, 1)]
    """

    def __init__(self, x: Any, y: Any = None, sample_weight: Any = None,
                 batch_size: int | None = None, steps_per_epoch: int | None = None,
                 shuffle: bool | str = False, class_weight: Mapping[Any, float] | None = None,
                 steps_per_execution: int = 1) -> None:
        self.steps_per_epoch = steps_per_epoch
        self.steps_per_execution = steps_per_execution
        self.adapter: DataAdapter = get_data_adapter(
            x, y, sample_weight=sample_weight, batch_size=batch_size,
            steps_per_epoch=steps_per_epoch, shuffle=shuffle, class_weight=class_weight)
        self._num_batches = self.adapter.num_batches
        self._iterator: Iterator[Any] | None = None  # shared across epochs with steps_per_epoch
        self._steps_seen = 0
        self.ran_out_of_data = False

    @property
    def num_batches(self) -> int | None:
        """Steps per epoch: ``steps_per_epoch`` if set, else the data's length (learned after a
        pass when the data does not tell it), else ``None``."""
        return self.steps_per_epoch or self._num_batches

    def reset(self) -> None:
        """Forgets the shared iterator and learned length, and ends the adapter's epoch."""
        self._iterator = None
        self._num_batches = self.adapter.num_batches
        self._steps_seen = 0
        self.adapter.on_epoch_end()

    def first_batch(self) -> Any:
        """Starts a pass and returns its first batch, as upstream's model build does; call
        :meth:`reset` afterwards."""
        self.adapter.on_epoch_begin()
        return next(iter(self.adapter.get_numpy_iterator()))

    def _new_iterator(self) -> Iterator[Any]:
        return iter(self.adapter.get_numpy_iterator())

    def _next_chunk(self, iterator: Iterator[Any]) -> list | None:
        """Up to ``steps_per_execution`` batches; ``None`` (after the bookkeeping of running
        out) when the data has none left."""
        chunk = []
        for _ in range(self.steps_per_execution):
            batch = next(iterator, _END)
            if batch is _END:
                break
            chunk.append(batch)
        if chunk:
            return chunk
        if self._num_batches is None:
            self._num_batches = self._steps_seen
        warnings.warn(OUT_OF_DATA_MESSAGE, stacklevel=3)
        self.ran_out_of_data = True
        self._iterator = None
        self.adapter.on_epoch_end()
        return None

    def enumerate_epoch(self) -> Iterator[tuple[int, int, list]]:
        """Yields ``(begin_step, end_step, batches)`` for one epoch."""
        self.ran_out_of_data = False
        self.adapter.on_epoch_begin()
        per_call = self.steps_per_execution
        steps = self.steps_per_epoch or self._num_batches or -1
        if steps > 0:
            if self._iterator is None or self.steps_per_epoch is None:
                self._iterator = self._new_iterator()
                self._steps_seen = 0
            for step in range(0, steps, per_call):
                if self._num_batches and self._steps_seen >= self._num_batches:
                    if self.steps_per_epoch:  # asked for more steps than the data holds
                        warnings.warn(OUT_OF_DATA_MESSAGE, stacklevel=2)
                        self.ran_out_of_data = True
                    break
                self._steps_seen += per_call
                chunk = self._next_chunk(self._iterator)
                if chunk is None:
                    return
                yield step, step + per_call - 1, chunk
            if self._num_batches and self._steps_seen >= self._num_batches:
                self._iterator = self._new_iterator()
                self._steps_seen = 0
        else:
            iterator = self._new_iterator()
            step = 0
            while True:
                self._steps_seen = step + per_call
                chunk = self._next_chunk(iterator)
                if chunk is None:
                    return
                yield step, step + per_call - 1, chunk
                step += per_call
        self.adapter.on_epoch_end()
