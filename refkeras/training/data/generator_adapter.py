"""Batches from a Python generator.

The first two batches are read at construction (to check the layout and to build a
``tf.data`` signature) and replayed at the start of every pass, as upstream does: a pass
after the generator is exhausted yields just those two batches.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from refkeras.training.data.data_adapter import DataAdapter
from refkeras.training.data.numpy_batches import numpy_batches
from refkeras.training.data.tensor_spec import dataset_from_batches, signature_of
from refkeras.training.data.tf_support import tensorflow

PEEKED_BATCHES = 2


class GeneratorDataAdapter(DataAdapter):
    """Adapter for a generator yielding ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``."""

    def __init__(self, generator: Iterator[Any]) -> None:
        self._peeked = list(itertools.islice(generator, PEEKED_BATCHES))
        self._generator = generator
        if not self._peeked:
            raise ValueError(
                "When passing a Python generator to a Keras model, the generator must yield "
                "at least one batch. Received an empty generator."
            )
        if not isinstance(self._peeked[0], tuple):
            raise ValueError(
                "When passing a Python generator to a Keras model, the generator must return "
                "a tuple, either (input,) or (inputs, targets) or (inputs, targets, "
                f"sample_weights). Received: {self._peeked[0]}"
            )
        self._signature = None

    def _batches(self) -> Iterator[Any]:
        return itertools.chain(self._peeked, self._generator)

    def get_numpy_iterator(self) -> Iterator[Any]:
        return numpy_batches(self._batches())

    def get_tf_dataset(self) -> Any:
        if self._signature is None:
            self._signature = signature_of(self._peeked)
        dataset = dataset_from_batches(self._batches, self._signature)
        return dataset.prefetch(tensorflow().data.AUTOTUNE)

    @property
    def num_batches(self) -> None:
        return None
