"""Accuracy metrics: exact, binary (thresholded), categorical, sparse and top-k.

Each function returns per-sample matches as ``floatx()`` values (1.0 or 0.0);
each class is the running mean of its function.
"""

from __future__ import annotations

from typing import Any

from refkeras import backend, ops
from refkeras.losses.reduction import squeeze_or_expand_to_same_rank
from refkeras.metrics.reduction_metrics import MeanMetricWrapper
from refkeras.serialization import builtin


def _matches(y_true: Any, y_pred: Any) -> Any:
    return ops.cast(ops.equal(y_true, y_pred), dtype=backend.floatx())


def accuracy(y_true: Any, y_pred: Any) -> Any:
    """1.0 where ``y_true == y_pred`` (after rank alignment), else 0.0."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return _matches(y_true, y_pred)


@builtin("keras.metrics")
def binary_accuracy(y_true: Any, y_pred: Any, threshold: float = 0.5) -> Any:
    """1.0 where ``y_true`` equals ``y_pred > threshold`` (as ``y_true``'s dtype)."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    threshold = ops.convert_to_tensor(threshold)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    y_pred = ops.cast(ops.greater(y_pred, threshold), y_true.dtype)
    return _matches(y_true, y_pred)


@builtin("keras.metrics")
def categorical_accuracy(y_true: Any, y_pred: Any) -> Any:
    """1.0 where the argmax of the one-hot ``y_true`` equals the argmax of ``y_pred``."""
    y_true = ops.argmax(y_true, axis=-1)
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    return _class_id_matches(y_true, y_pred, squeeze_only_size_1=False)


@builtin("keras.metrics")
def sparse_categorical_accuracy(y_true: Any, y_pred: Any) -> Any:
    """1.0 where the class id ``y_true`` equals the argmax of ``y_pred``."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    matches = _class_id_matches(y_true, y_pred, squeeze_only_size_1=True)
    if len(matches.shape) > 1 and matches.shape[-1] == 1:
        matches = ops.squeeze(matches, -1)
    return matches


def _class_id_matches(y_true: Any, y_pred: Any, squeeze_only_size_1: bool) -> Any:
    """Compares class ids ``y_true`` with ``argmax(y_pred, -1)``, keeping ``y_true``'s shape.

    Ids with the same rank as ``y_pred`` carry a trailing class axis: it is
    dropped to compare (only when of size 1 if ``squeeze_only_size_1``), and
    the matches are reshaped back to ``y_true``'s shape.
    """
    restore = len(y_true.shape) == len(y_pred.shape) and (
        not squeeze_only_size_1 or y_true.shape[-1] == 1)
    if restore:
        y_true = ops.squeeze(y_true, -1)
    y_pred = ops.argmax(y_pred, axis=-1)
    if y_pred.dtype is not y_true.dtype:
        y_pred = ops.cast(y_pred, y_true.dtype)
    matches = _matches(y_true, y_pred)
    # The squeezed axis had size 1, so expand_dims restores y_true's shape even
    # when its batch dimension is unknown (TensorFlow steps), where reshape cannot.
    return ops.expand_dims(matches, -1) if restore else matches


@builtin("keras.metrics")
def top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5) -> Any:
    """1.0 where the argmax of the one-hot ``y_true`` is among ``y_pred``'s ``k`` largest."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true = ops.argmax(y_true, axis=-1)
    true_shape = y_true.shape
    # in_top_k works on (batch, classes): fold any extra leading axes into the batch.
    if len(y_pred.shape) > 2:
        y_pred = ops.reshape(y_pred, [-1, y_pred.shape[-1]])
    restore = len(y_true.shape) > 1
    if restore:
        y_true = ops.reshape(y_true, [-1])
    hits = ops.in_top_k(ops.cast(y_true, "int32"), y_pred, k=k)
    matches = ops.cast(hits, dtype=backend.floatx())
    return ops.reshape(matches, true_shape) if restore else matches


class _AccuracyMetric(MeanMetricWrapper):
    """A built-in accuracy metric: higher is better; config lists ``CONFIG_KEYS``."""

    CONFIG_KEYS: tuple[str, ...] = ()

    def __init__(self, fn: Any, name: str, dtype: Any, **kwargs: Any):
        super().__init__(fn=fn, name=name, dtype=dtype, **kwargs)
        self._direction = "up"

    def get_config(self) -> dict:
        config = {"name": self.name, "dtype": self.dtype}
        config.update({key: getattr(self, key) for key in self.CONFIG_KEYS})
        return config


@builtin("keras.metrics")
class Accuracy(_AccuracyMetric):
    """How often predictions equal labels exactly (see :func:`accuracy`)."""

    def __init__(self, name: str = "accuracy", dtype: Any = None):
        super().__init__(accuracy, name=name, dtype=dtype)


@builtin("keras.metrics")
class BinaryAccuracy(_AccuracyMetric):
    """How often ``y_pred > threshold`` equals the binary label (see :func:`binary_accuracy`)."""

    CONFIG_KEYS = ("threshold",)

    def __init__(self, name: str = "binary_accuracy", dtype: Any = None,
                 threshold: float = 0.5):
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold


@builtin("keras.metrics")
class CategoricalAccuracy(_AccuracyMetric):
    """How often the predicted class matches a one-hot label (see :func:`categorical_accuracy`)."""

    def __init__(self, name: str = "categorical_accuracy", dtype: Any = None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)


@builtin("keras.metrics")
class SparseCategoricalAccuracy(_AccuracyMetric):
    """How often the predicted class matches an integer label."""

    def __init__(self, name: str = "sparse_categorical_accuracy", dtype: Any = None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)


@builtin("keras.metrics")
class TopKCategoricalAccuracy(_AccuracyMetric):
    """How often a one-hot label's class is among the ``k`` top predictions."""

    CONFIG_KEYS = ("k",)

    def __init__(self, k: int = 5, name: str = "top_k_categorical_accuracy", dtype: Any = None):
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k
