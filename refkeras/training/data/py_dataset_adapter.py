"""Batches from a :class:`refkeras.utils.PyDataset`, read in order in the calling thread.

``workers`` and ``use_multiprocessing`` are accepted and read (so a subclass that forgot
``super().__init__()`` still gets upstream's warning) but batches are always produced
sequentially; the batches and their order are the same as with workers.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from refkeras.training.data.class_weight import class_weight_to_sample_weight
from refkeras.training.data.data_adapter import DataAdapter
from refkeras.training.data.numpy_batches import numpy_batches
from refkeras.training.data.tensor_spec import dataset_from_batches, signature_of
from refkeras.training.data.tf_support import tensorflow
from refkeras.utils.py_dataset import PyDataset

SIGNATURE_BATCHES = 2


class PyDatasetAdapter(DataAdapter):
    """Adapter for a ``PyDataset``; ``shuffle`` permutes batch indices each pass (with Python's
    global ``random``), ``class_weight`` adds sample weights to ``(x, y)`` batches."""

    def __init__(self, dataset: PyDataset, class_weight: Mapping[Any, float] | None = None,
                 shuffle: bool = False) -> None:
        self.py_dataset = dataset
        self._class_weight = class_weight
        self._shuffle = shuffle
        self._signature = None
        self._within_epoch = False
        # Read for their side effect: the warning when super().__init__() was not called.
        _ = (dataset.workers, dataset.use_multiprocessing, dataset.max_queue_size)

    def _standardize(self, batch: Any) -> Any:
        """``batch`` as a tuple of 1-3 parts (or a dict), with class weights appended."""
        if isinstance(batch, dict):
            return batch
        if isinstance(batch, np.ndarray):
            batch = (batch,)
        if isinstance(batch, list):
            batch = tuple(batch)
        if not isinstance(batch, tuple) or len(batch) not in (1, 2, 3):
            raise ValueError(
                "PyDataset.__getitem__() must return a tuple or a dict. If a tuple, it must "
                "be ordered either (input,) or (inputs, targets) or (inputs, targets, "
                f"sample_weights). Received: {str(batch)[:100]}... of type {type(batch)}"
            )
        if self._class_weight is not None:
            if len(batch) == 3:
                raise ValueError(
                    "You cannot specify `class_weight` and `sample_weight` at the same time. "
                    "Return only `(inputs, targets)` from the PyDataset, or drop class_weight."
                )
            if len(batch) == 2:
                weights = class_weight_to_sample_weight(np.asarray(batch[1]),
                                                        self._class_weight)
                batch = (*batch, weights)
        return batch

    def _batches(self) -> Iterator[Any]:
        count = self.py_dataset.num_batches
        if count is None:
            indices: Any = itertools.count()
        else:
            indices = list(range(count))
            if self._shuffle:
                random.shuffle(indices)
        for index in indices:
            yield self._standardize(self.py_dataset[index])

    def get_numpy_iterator(self) -> Iterator[Any]:
        return numpy_batches(self._batches())

    def get_tf_dataset(self) -> Any:
        if self._signature is None:
            count = self.py_dataset.num_batches
            peek = SIGNATURE_BATCHES if count is None else min(SIGNATURE_BATCHES, count)
            samples = [self._standardize(self.py_dataset[i]) for i in range(peek)]
            if not samples:
                raise ValueError("The PyDataset has length 0")
            self._signature = signature_of(samples)
        dataset = dataset_from_batches(self._batches, self._signature)
        return dataset.prefetch(tensorflow().data.AUTOTUNE)

    def on_epoch_begin(self) -> None:
        if self._within_epoch:
            raise ValueError(
                "`on_epoch_begin` was called twice without `on_epoch_end` having been called."
            )
        self._within_epoch = True
        self.py_dataset.on_epoch_begin()

    def on_epoch_end(self) -> None:
        self.py_dataset.on_epoch_end()
        self._within_epoch = False

    @property
    def num_batches(self) -> int | None:
        return self.py_dataset.num_batches
