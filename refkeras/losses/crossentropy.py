"""Cross-entropy losses: binary, categorical (one-hot or soft labels) and sparse (class ids).

``from_logits=True`` means ``y_pred`` holds unnormalized scores; otherwise it
holds probabilities, which are clipped to ``[epsilon, 1 - epsilon]`` before
the log. ``label_smoothing`` in ``[0, 1]`` moves the labels towards uniform:
``y * (1 - s) + s / num_classes`` (``s / 2`` for binary labels).
"""

from __future__ import annotations

import warnings
from typing import Any

from refkeras import ops
from refkeras.layers.masking import set_keras_mask
from refkeras.losses.wrapper import BuiltinLoss
from refkeras.ops.shapes import canonicalize_axis
from refkeras.serialization import builtin

_LOSS_AND_METRIC = ("keras.losses", "keras.metrics")


def _register(fn: Any) -> Any:
    for module in _LOSS_AND_METRIC:
        builtin(module)(fn)
    return fn


def _check_int_axis(axis: Any) -> None:
    if isinstance(axis, bool):
        raise ValueError(f"`axis` must be of type `int`. Received: axis={axis} of type {type(axis)}")


@_register
def binary_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False,
                        label_smoothing: float = 0.0, axis: int = -1) -> Any:
    """Mean over ``axis`` of the element-wise binary cross-entropy."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return ops.mean(ops.binary_crossentropy(y_true, y_pred, from_logits=from_logits), axis=axis)


@_register
def categorical_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False,
                             label_smoothing: float = 0.0, axis: int = -1) -> Any:
    """Cross-entropy between label distributions and predictions along ``axis``."""
    _check_int_axis(axis)
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    if y_pred.shape[-1] == 1:
        warnings.warn(
            "In loss categorical_crossentropy, expected y_pred.shape to be (batch_size, "
            f"num_classes) with num_classes > 1. Received: y_pred.shape={y_pred.shape}. "
            "Consider using 'binary_crossentropy' if you only have 2 classes.",
            SyntaxWarning,
            stacklevel=2,
        )
    if label_smoothing:
        num_classes = ops.cast(y_true.shape[-1], y_pred.dtype)
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    return ops.categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)


@_register
def sparse_categorical_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False,
                                    ignore_class: int | None = None, axis: int = -1) -> Any:
    """Categorical cross-entropy with integer class ids as labels.

    With ``ignore_class``, samples labelled with that id get a loss of 0 and the
    result carries a Keras mask marking them, so reductions skip them.
    """
    if len(y_true.shape) == len(y_pred.shape) and y_true.shape[axis] == 1:
        y_true = ops.squeeze(y_true, axis=axis)
    if ignore_class is not None:
        class_axis = canonicalize_axis(axis, len(y_pred.shape))
        per_sample_shape = tuple(d for i, d in enumerate(y_pred.shape) if i != class_axis)
        valid = ops.not_equal(y_true, ops.cast(ignore_class, y_pred.dtype))
        y_true = ops.where(valid, y_true, 0)
        y_pred = ops.where(ops.expand_dims(valid, axis), y_pred, 0)
    losses = ops.sparse_categorical_crossentropy(y_true, y_pred, from_logits=from_logits,
                                                 axis=axis)
    if ignore_class is not None:
        if tuple(valid.shape) != per_sample_shape:  # unknown (traced) sizes: already aligned
            valid = ops.reshape(valid, per_sample_shape)
        losses = ops.where(valid, losses, 0.0)
        set_keras_mask(losses, valid)
    return losses


@builtin("keras.losses")
class BinaryCrossentropy(BuiltinLoss):
    """Binary cross-entropy for labels in {0, 1} (see :func:`binary_crossentropy`)."""

    CONFIG_KEYS = ("from_logits", "label_smoothing", "axis")

    def __init__(self, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1,
                 reduction: Any = "sum_over_batch_size", name: str = "binary_crossentropy",
                 dtype: Any = None):
        super().__init__(binary_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


@builtin("keras.losses")
class CategoricalCrossentropy(BuiltinLoss):
    """Cross-entropy for one-hot or soft labels (see :func:`categorical_crossentropy`)."""

    CONFIG_KEYS = ("from_logits", "label_smoothing", "axis")

    def __init__(self, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1,
                 reduction: Any = "sum_over_batch_size",
                 name: str = "categorical_crossentropy", dtype: Any = None):
        super().__init__(categorical_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


@builtin("keras.losses")
class SparseCategoricalCrossentropy(BuiltinLoss):
    """Cross-entropy for integer class ids (see :func:`sparse_categorical_crossentropy`).

    Its config holds ``from_logits`` and ``ignore_class`` but not ``axis`` (as upstream).
    """

    CONFIG_KEYS = ("from_logits", "ignore_class")

    def __init__(self, from_logits: bool = False, ignore_class: int | None = None,
                 reduction: Any = "sum_over_batch_size", axis: int = -1,
                 name: str = "sparse_categorical_crossentropy", dtype: Any = None):
        super().__init__(sparse_categorical_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, from_logits=from_logits, ignore_class=ignore_class,
                         axis=axis)
        self.from_logits = from_logits
        self.ignore_class = ignore_class
