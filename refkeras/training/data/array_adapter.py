"""Batches from in-memory arrays (NumPy, JAX, TF, anything with ``__array__``) and nests of them.

The arrays are converted to NumPy once, at construction (floats cast to ``floatx()``). Each
pass then yields one batch per ``batch_size`` samples, the last one possibly smaller. The hot
loop does one slice per array per batch: a contiguous view when not shuffling, one fancy
index into a permutation drawn at the start of the pass otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import optree

from refkeras import tree
from refkeras.training.data.arrays import all_array_like, num_samples, to_numpy
from refkeras.training.data.data_adapter import DataAdapter
from refkeras.training.data.packing import pack_x_y_sample_weight
from refkeras.training.data.sample_weight import standardize_sample_weight
from refkeras.training.data.tf_support import tensorflow

DEFAULT_BATCH_SIZE = 32


class ArrayDataAdapter(DataAdapter):
    """Batches of ``x``, ``(x, y)`` or ``(x, y, sample_weight)`` from arrays.

    Args:
        x, y, sample_weight: arrays or nests of arrays sharing their first axis.
        batch_size: samples per batch; when unset, ``ceil(num_samples / steps)`` if ``steps``
            is given, else 32.
        steps: only used to derive ``batch_size``.
        shuffle: ``True`` draws a new permutation of all samples each pass (from NumPy's
            global RNG); ``"batch"`` keeps batches contiguous and shuffles within each.
        class_weight: ``{class id: weight}``, turned into ``sample_weight``.

    >>> adapter = ArrayDataAdapter(np.zeros((10, 2)), np.zeros(10), batch_size=4)
    >>> [b[0].shape[0] for b in adapter.get_numpy_iterator()]
    [4, 4, 2]
    """

    def __init__(self, x: Any, y: Any = None, sample_weight: Any = None,
                 batch_size: int | None = None, steps: int | None = None,
                 shuffle: bool | str = False,
                 class_weight: Mapping[Any, float] | None = None) -> None:
        if not all_array_like((x, y, sample_weight)):
            raise ValueError(
                f"Expected all elements of `x` to be array-like. Received invalid types: x={x}"
            )
        sample_weight = standardize_sample_weight(y, sample_weight, class_weight)
        parts = tree.map_structure(to_numpy, (x, y, sample_weight))
        self._num_samples = num_samples(parts)
        data = pack_x_y_sample_weight(*parts)
        leaves, self._treedef = optree.tree_flatten(data, none_is_leaf=True,
                                                    namespace="refkeras")
        self._leaves = leaves
        if not batch_size:
            batch_size = math.ceil(self._num_samples / steps) if steps else DEFAULT_BATCH_SIZE
        self._batch_size = int(batch_size)
        # Any other truthy value means a full shuffle, as upstream reads it.
        self._shuffle: bool | str = "batch" if isinstance(shuffle, str) and shuffle == "batch" \
            else bool(shuffle)

    # -- one pass ---------------------------------------------------------------------------

    def get_numpy_iterator(self) -> Iterator[Any]:
        # A generator: the permutation is drawn on the first `next`, as upstream does.
        n, size, shuffle = self._num_samples, self._batch_size, self._shuffle
        unflatten, leaves = self._treedef.unflatten, self._leaves
        order = np.random.permutation(n) if shuffle is True else None
        present = [a for a in leaves if a is not None]
        # Batches are rebuilt from the arrays that are there; `None` leaves keep their slot.
        if len(present) == len(leaves):
            def rebuild(sliced: list) -> Any:
                return unflatten(sliced)
        else:
            def rebuild(sliced: list) -> Any:
                it = iter(sliced)
                return unflatten([None if a is None else next(it) for a in leaves])
        for start in range(0, n, size):
            stop = min(start + size, n)
            if shuffle == "batch":
                index = np.random.permutation(stop - start) + start
            elif order is not None:
                index = order[start:stop]
            else:  # contiguous: views, no copy
                yield rebuild([a[start:stop] for a in present])
                continue
            # ndarray.take is ~3x faster than fancy indexing for a small batch.
            yield rebuild([a.take(index, axis=0) for a in present])

    def get_tf_dataset(self) -> Any:
        """The same batches as a ``tf.data.Dataset``; each iteration draws a new order (with
        TensorFlow's RNG, so shuffled orders differ from the NumPy path)."""
        tf = tensorflow()
        n, size, shuffle = self._num_samples, self._batch_size, self._shuffle
        full = n // size

        def index_batches(_: Any) -> Any:
            order = tf.range(n, dtype=tf.int64)
            if shuffle is True:
                order = tf.random.shuffle(order)
            batches = tf.data.Dataset.from_tensor_slices(tf.reshape(order[:full * size],
                                                                    [full, size]))
            if n % size:
                batches = batches.concatenate(tf.data.Dataset.from_tensors(order[full * size:]))
            return batches

        indices = tf.data.Dataset.range(1).flat_map(index_batches)
        if shuffle == "batch":
            indices = indices.map(tf.random.shuffle)
        data = optree.tree_unflatten(self._treedef, [
            None if a is None else tf.constant(a) for a in self._leaves])
        data = _lists_to_tuples(data)

        def gather(index: Any) -> Any:
            return tree.map_structure(
                lambda a: None if a is None else tf.gather(a, index, axis=0), data)

        dataset = indices.map(gather, num_parallel_calls=tf.data.AUTOTUNE)
        options = tf.data.Options()
        options.experimental_distribute.auto_shard_policy = (
            tf.data.experimental.AutoShardPolicy.DATA)
        return dataset.with_options(options).prefetch(tf.data.AUTOTUNE)

    # -- sizes ------------------------------------------------------------------------------

    @property
    def num_batches(self) -> int:
        return math.ceil(self._num_samples / self._batch_size)

    @property
    def batch_size(self) -> int:
        return self._batch_size

    @property
    def has_partial_batch(self) -> bool:
        return self._num_samples % self._batch_size > 0

    @property
    def partial_batch_size(self) -> int | None:
        return self._num_samples % self._batch_size or None


def _lists_to_tuples(structure: Any) -> Any:
    """tf.data would stack a list of tensors into one; tuples stay separate components."""
    if isinstance(structure, (list, tuple)):
        return tuple(_lists_to_tuples(item) for item in structure)
    if isinstance(structure, dict):
        return {key: _lists_to_tuples(value) for key, value in structure.items()}
    return structure
