"""Converting the batches of foreign iterables (generators, tf.data, PyDataset) to NumPy."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from refkeras import tree


def leaf_to_numpy(x: Any) -> Any:
    """A NumPy array for any tensor-like leaf (TF, JAX, ...); other leaves pass unchanged.

    Unlike in-memory arrays, batches from iterables keep their dtype (no cast to floatx).
    """
    if x is None or isinstance(x, np.ndarray):
        return x
    if hasattr(x, "numpy"):
        return np.asarray(x.numpy())
    if hasattr(x, "__array__"):
        return np.asarray(x)
    return x


def numpy_batches(batches: Iterable[Any]) -> Iterator[Any]:
    """Yields each batch of ``batches`` with its leaves converted by :func:`leaf_to_numpy`."""
    for batch in batches:
        yield tree.map_structure(leaf_to_numpy, batch)
