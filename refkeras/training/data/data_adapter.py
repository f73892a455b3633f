"""The interface every data adapter offers to the epoch iterator and the trainer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


class DataAdapter:
    """Turns one kind of user data into batches.

    Subclasses implement :meth:`get_numpy_iterator` (one pass over the data, each batch a nest
    of NumPy arrays in the ``x`` / ``(x, y)`` / ``(x, y, sample_weight)`` layout) and
    :meth:`get_tf_dataset` (the same batches as a batched ``tf.data.Dataset``, for
    ``tf.distribute``). Sizes are ``None`` where the data does not tell them.
    """

    def get_numpy_iterator(self) -> Iterator[Any]:
        """A fresh iterator over one pass of batches."""
        raise NotImplementedError

    def get_tf_dataset(self) -> Any:
        """A batched ``tf.data.Dataset`` of the same batches (one pass per iteration)."""
        raise NotImplementedError

    @property
    def num_batches(self) -> int | None:
        """Batches in one pass, or ``None`` when unknown or infinite."""
        raise NotImplementedError

    @property
    def batch_size(self) -> int | None:
        """Samples per full batch, or ``None`` when unknown."""
        return None

    @property
    def has_partial_batch(self) -> bool | None:
        """Whether the last batch is smaller than the others (``None``: unknown)."""
        return None

    @property
    def partial_batch_size(self) -> int | None:
        """Size of the smaller last batch, or ``None`` if there is none or it is unknown."""
        return None

    def on_epoch_begin(self) -> None:
        """Called before each pass over the data."""

    def on_epoch_end(self) -> None:
        """Called after each pass over the data."""
