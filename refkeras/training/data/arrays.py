"""Array-like leaves: what counts as one, and how it becomes the NumPy array we slice."""

from __future__ import annotations

from typing import Any

import numpy as np

from refkeras import tree
from refkeras.backend import floatx
from refkeras.training.data.tf_support import is_tf_tensor


def is_array_like(x: Any) -> bool:
    """True for ``None`` and anything NumPy can view as an array (NumPy, JAX, TF, pandas).

    Python scalars and strings are not array-like: a list of numbers is a nest of scalars,
    not an array, as upstream reads it.
    """
    return x is None or isinstance(x, np.ndarray) or is_tf_tensor(x) or hasattr(x, "__array__")


def all_array_like(structure: Any) -> bool:
    """True when every leaf of ``structure`` is array-like (or ``None``)."""
    return all(is_array_like(leaf) for leaf in tree.flatten(structure))


def _is_float(dtype: np.dtype) -> bool:
    return str(dtype).startswith(("float", "bfloat"))


def to_numpy(x: Any) -> Any:
    """``x`` as a NumPy array, floats cast to ``floatx()``; ``None`` stays ``None``."""
    if x is None:
        return None
    array = x.numpy() if is_tf_tensor(x) else np.asarray(x)
    if _is_float(array.dtype) and str(array.dtype) != floatx():
        array = array.astype(floatx())
    return array


def num_samples(structure: Any, names: tuple[str, ...] = ("x", "y", "sample_weight")) -> int:
    """The shared first-axis size of the leaves of ``structure`` (a tuple of parts).

    Raises ``ValueError`` naming each part's sizes when they disagree.
    """
    sizes = {int(leaf.shape[0]) for leaf in tree.flatten(structure) if leaf is not None}
    if len(sizes) > 1:
        lines = []
        for name, part in zip(names, structure):
            part_sizes = ", ".join(str(leaf.shape[0]) for leaf in tree.flatten(part)
                                   if leaf is not None)
            lines.append(f"'{name}' sizes: {part_sizes}\n")
        raise ValueError(
            "Data cardinality is ambiguous. Make sure all arrays contain the same number of "
            "samples." + "".join(lines)
        )
    if not sizes:
        raise ValueError(f"Expected at least one array in the data, received: {structure}")
    return sizes.pop()
