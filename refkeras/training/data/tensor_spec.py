"""``tf.TensorSpec`` signatures for ``tf.data.Dataset.from_generator``, read from sample batches."""

from __future__ import annotations

from typing import Any

import numpy as np

from refkeras import tree
from refkeras.backend import standardize_dtype
from refkeras.training.data.tf_support import tensorflow


def _leaf_spec(*samples: Any) -> Any:
    tf = tensorflow()
    first = samples[0]
    if first is None:
        return tf.OptionalSpec(None)
    shapes = [tuple(np.shape(s)) for s in samples]
    if len(shapes[0]) < 1:
        raise ValueError(
            "When passing a dataset to a Keras model, the arrays must be at least rank 1. "
            f"Received: {first} of rank 0. Give each array a batch axis."
        )
    if any(len(s) != len(shapes[0]) for s in shapes):
        raise ValueError(
            "When passing a dataset to a Keras model, the corresponding arrays in each batch "
            f"must have the same rank. Received shapes: {shapes}"
        )
    # A dimension that differs between samples is left unknown; the batch axis always is.
    dims = [dims[0] if len(set(dims)) == 1 else None for dims in zip(*shapes)]
    dims[0] = None
    dtype = standardize_dtype(getattr(first, "dtype", None) or np.asarray(first).dtype)
    return tf.TensorSpec(shape=dims, dtype=dtype)


def signature_of(batches: list[Any]) -> Any:
    """The common spec of ``batches`` (same structure, shapes may vary)."""
    return tree.map_structure(_leaf_spec, *batches)


def dataset_from_batches(make_iterator: Any, signature: Any) -> Any:
    """A ``tf.data.Dataset`` re-running ``make_iterator()`` on each iteration; ``None`` leaves
    travel as empty ``tf.experimental.Optional`` values."""
    tf = tensorflow()

    def to_tf(leaf: Any, spec: Any) -> Any:
        if leaf is None:
            return tf.experimental.Optional.empty(None)
        if not spec.shape.is_compatible_with(np.shape(leaf)):
            raise TypeError(
                f"Generator yielded an element of shape {np.shape(leaf)} where an element of "
                f"shape {spec.shape} was expected. Make sure every batch has the same shape "
                "except along the batch axis and any axis that varied in the first batches."
            )
        return leaf

    def generate() -> Any:
        for batch in make_iterator():
            yield tree.map_structure(to_tf, batch, signature)

    return tf.data.Dataset.from_generator(generate, output_signature=signature)
