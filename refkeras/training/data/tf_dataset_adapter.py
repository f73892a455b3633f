"""Batches from a (batched) ``tf.data.Dataset``, converted to NumPy for the numpy path."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from refkeras import tree
from refkeras.training.data.class_weight import check_single_output
from refkeras.training.data.data_adapter import DataAdapter
from refkeras.training.data.numpy_batches import numpy_batches
from refkeras.training.data.packing import unpack_x_y_sample_weight
from refkeras.training.data.sample_weight import check_not_both
from refkeras.training.data.tf_support import is_tf_dataset, tensorflow


def class_weight_map_fn(class_weight: Mapping[Any, float]) -> Any:
    """A ``Dataset.map`` function appending per-sample class weights to ``(x, y)`` elements.

    The weights are looked up in a table indexed by class id (ids ``0..max(keys)``; missing
    ids weigh 1). Like upstream, a label past the table's end is an error of the gather.
    """
    tf = tensorflow()
    table = tf.convert_to_tensor(
        [class_weight.get(i, 1.0) for i in range(int(max(class_weight)) + 1)])

    def add_weights(*element: Any) -> Any:
        x, y, sample_weight = unpack_x_y_sample_weight(element)
        check_not_both(sample_weight, class_weight)
        check_single_output(y)
        if y.shape.rank is not None and y.shape.rank >= 2:
            ids = tf.cond(
                tf.shape(y)[-1] > 1,
                lambda: tf.argmax(y, axis=-1, output_type=tf.int32),
                lambda: tf.cast(tf.round(tf.squeeze(y, axis=-1)), tf.int32))
        else:
            ids = tf.cast(tf.round(y), tf.int32)
        return x, y, tf.gather(table, ids)

    return add_weights


class TFDatasetAdapter(DataAdapter):
    """Adapter for an already-batched ``tf.data.Dataset`` (or distributed dataset)."""

    def __init__(self, dataset: Any, class_weight: Mapping[Any, float] | None = None) -> None:
        if not is_tf_dataset(dataset):
            raise ValueError(
                f"Expected argument `dataset` to be a tf.data.Dataset. Received: {dataset}"
            )
        if class_weight is not None:
            tf = tensorflow()
            dataset = dataset.map(class_weight_map_fn(class_weight)).prefetch(
                tf.data.AUTOTUNE)
        self._dataset = dataset

    def get_numpy_iterator(self) -> Iterator[Any]:
        return numpy_batches(self._dataset)

    def get_tf_dataset(self) -> Any:
        return self._dataset

    @property
    def num_batches(self) -> int | None:
        cardinality = self._dataset.cardinality
        # A distributed dataset exposes the number itself; a Dataset a method returning it.
        cardinality = int(cardinality() if callable(cardinality) else cardinality)
        return None if cardinality < 0 else cardinality  # unknown (-2) or infinite (-1)

    @property
    def batch_size(self) -> int | None:
        """The static batch axis of the first component (``None`` unless fixed)."""
        return tree.flatten(self._dataset.element_spec)[0].shape[0]
