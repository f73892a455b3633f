"""``validation_split``: the last samples of in-memory arrays held out for validation."""

from __future__ import annotations

import math
from typing import Any

from refkeras import tree
from refkeras.backend import floatx
from refkeras.training.data.arrays import is_array_like, to_numpy
from refkeras.training.data.tf_support import is_tf_tensor, tensorflow


def _sliceable(x: Any) -> Any:
    """TF tensors stay tensors (cast to floatx if float); anything else becomes NumPy."""
    if not is_tf_tensor(x):
        return to_numpy(x)
    if x.dtype.is_floating and x.dtype.name != floatx():
        return tensorflow().cast(x, floatx())
    return x


def train_validation_split(arrays: Any, validation_split: float) -> tuple[Any, Any]:
    """Splits every array of the nest ``arrays`` at the same sample: the first
    ``floor(n * (1 - validation_split))`` samples train, the rest validate. The split is
    taken before any shuffling, so the validation samples are always the last ones.

    >>> import numpy as np
    >>> train, val = train_validation_split((np.arange(5),), 0.4)
    >>> train[0].tolist(), val[0].tolist()
    ([0, 1, 2], [3, 4])
    """
    leaves = tree.flatten(arrays)
    bad = [type(leaf) for leaf in leaves if not is_array_like(leaf)]
    if bad:
        raise ValueError(
            "Argument `validation_split` is only supported for tensors or NumPy arrays. "
            f"Found incompatible type in the input: {bad}. Split the data yourself and pass "
            "`validation_data` instead."
        )
    present = [leaf for leaf in leaves if leaf is not None]
    if not present:
        return arrays, arrays
    total = int(present[0].shape[0])
    split_at = int(math.floor(total * (1.0 - validation_split)))
    if split_at in (0, total):
        raise ValueError(
            f"Training data contains {total} samples, which is not sufficient to split it "
            "into a validation and training set as specified by "
            f"`validation_split={validation_split}`. Either provide more data, or a "
            "different value for the `validation_split` argument."
        )
    arrays = tree.map_structure(lambda x: None if x is None else _sliceable(x), arrays)
    train = tree.map_structure(lambda x: None if x is None else x[:split_at], arrays)
    val = tree.map_structure(lambda x: None if x is None else x[split_at:total], arrays)
    return train, val
