"""``class_weight`` ({class id: weight}) turned into per-sample weights."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from refkeras import tree
from refkeras.backend import floatx


def check_single_output(y: Any) -> None:
    """``class_weight`` needs one target array; raise for a nest of them."""
    if tree.is_nested(y):
        raise ValueError(
            "`class_weight` is only supported for Models with a single output. Received a "
            f"nested `y` with {len(tree.flatten(y))} arrays; pass per-output `sample_weight` "
            "arrays instead."
        )


def class_ids(y: np.ndarray) -> np.ndarray:
    """The integer class of each sample of ``y``.

    ``y`` of rank 1 holds ids; rank >= 2 with a last axis of size 1 holds ids in that axis;
    otherwise the last axis is one-hot (or probabilities) and the id is its argmax. Ids are
    rounded, so float labels like ``0.9999`` count as ``1``.
    """
    if y.ndim > 1:
        y = y[..., 0] if y.shape[-1] == 1 else np.argmax(y, axis=-1)
    return np.round(y).astype("int32")


def class_weight_to_sample_weight(y: Any, class_weight: Mapping[Any, float]) -> np.ndarray:
    """Per-sample weights of shape ``(num_samples,)``, dtype ``floatx()``: each sample gets
    ``class_weight[its class]``, or 1 for a class the mapping does not name.

    >>> class_weight_to_sample_weight(np.array([0, 1, 1]), {1: 2.0}).tolist()
    [1.0, 2.0, 2.0]
    """
    ids = class_ids(np.asarray(y))
    if ids.ndim != 1:
        raise TypeError(
            "`class_weight` needs one class per sample, but `y` of shape "
            f"{np.shape(y)} gives classes of shape {ids.shape}. Use `sample_weight` for "
            "temporal or multi-dimensional targets."
        )
    weights = np.ones(ids.shape, dtype=floatx())
    for class_id, weight in class_weight.items():
        weights[ids == class_id] = weight
    return weights
