"""``Sum``, ``Mean`` and ``MeanMetricWrapper`` (the running mean of a function's values)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from refkeras import backend, initializers, ops
from refkeras.layers.masking import get_keras_mask
from refkeras.losses import identifiers as loss_identifiers
from refkeras.losses.reduction import apply_mask, squeeze_or_expand_to_same_rank
from refkeras.metrics.metric import Metric
from refkeras.serialization import (
    builtin,
    deserialize_keras_object,
    serialize_dict,
    serialize_keras_object,
)


def reduce_to_samplewise_values(values: Any, sample_weight: Any, reduce_fn: Callable,
                                dtype: Any) -> tuple[Any, Any]:
    """Per-sample values (shape ``(batch,)``, or a scalar) and their weights.

    Values are weighted first: axes beyond the weights' rank are reduced with
    ``reduce_fn``, then weights broadcast over the values and multiply them. The
    remaining non-batch axes of values and weights are reduced last. A Keras
    mask on ``values`` is folded into the weights (when weights are given).
    """
    dtype = dtype or backend.floatx()
    mask = get_keras_mask(values)
    values = ops.cast(values, dtype=dtype)
    if sample_weight is not None:
        sample_weight = ops.convert_to_tensor(sample_weight, dtype=dtype)
        if mask is not None:
            sample_weight = apply_mask(sample_weight, mask, dtype=dtype, reduction="sum")
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_rank, values_rank = len(sample_weight.shape), len(values.shape)
        if values_rank > weight_rank:
            values = reduce_fn(values, axis=list(range(weight_rank, values_rank)))
        sample_weight = _broadcast_like(sample_weight, values)
        values = values * sample_weight
        if weight_rank > 1:
            sample_weight = reduce_fn(sample_weight, axis=list(range(1, weight_rank)))
    if len(values.shape) > 1:
        values = reduce_fn(values, axis=list(range(1, len(values.shape))))
    return values, sample_weight


@builtin("keras.metrics")
class Sum(Metric):
    """The running (weighted) sum of all values seen.

    >>> m = Sum(); m.update_state([1.0, 3.0, 5.0]); float(m.result())  # doctest: +SKIP
    9.0
    """

    def __init__(self, name: str = "sum", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer=initializers.Zeros(),
                                       dtype=self.dtype, name="total")

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        values, _ = reduce_to_samplewise_values(values, sample_weight, reduce_fn=ops.sum,
                                                dtype=self.dtype)
        self.total.assign_add(ops.sum(values))

    def reset_state(self) -> None:
        self.total.assign(0)

    def result(self) -> Any:
        return ops.cast(self.total, self.dtype)


@builtin("keras.metrics")
class Mean(Metric):
    """The running (weighted) mean of all values seen: ``total / count``.

    Non-batch axes are averaged per sample first, so each sample counts once
    (with its weight).
    """

    def __init__(self, name: str = "mean", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer=initializers.Zeros(),
                                       dtype=self.dtype, name="total")
        self.count = self.add_variable(shape=(), initializer=initializers.Zeros(),
                                       dtype=self.dtype, name="count")

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        values, sample_weight = reduce_to_samplewise_values(values, sample_weight,
                                                            reduce_fn=ops.mean, dtype=self.dtype)
        self.total.assign_add(ops.sum(values))
        if sample_weight is not None:
            num_samples = ops.sum(sample_weight)
        elif len(values.shape) >= 1:
            num_samples = _batch_size(values)
        else:
            num_samples = 1
        self.count.assign_add(ops.cast(num_samples, dtype=self.dtype))

    def reset_state(self) -> None:
        self.total.assign(0)
        self.count.assign(0)

    def result(self) -> Any:
        return ops.divide_no_nan(self.total, ops.cast(self.count, dtype=self.dtype))


def _batch_size(values: Any) -> Any:
    """The length of the vector ``values`` (counted when only known at run time)."""
    size = values.shape[0]
    return size if size is not None else ops.sum(ops.ones_like(values, dtype="int32"))


def _broadcast_like(x: Any, target: Any) -> Any:
    """``x`` broadcast to ``target``'s shape (by a multiply by ones when it is traced)."""
    if all(d is not None for d in target.shape):
        return ops.broadcast_to(x, target.shape)
    return x * ops.ones_like(target)


@builtin("keras.metrics")
class MeanMetricWrapper(Mean):
    """The running mean of ``fn(y_true, y_pred, **kwargs)``'s per-sample values.

    A Keras mask on ``y_pred`` is folded into the sample weights.

    >>> m = MeanMetricWrapper(mean_squared_error)  # doctest: +SKIP
    """

    def __init__(self, fn: Callable, name: str | None = None, dtype: Any = None,
                 **kwargs: Any):
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs
        # Losses are minimized: callbacks monitoring this metric should look for decreases.
        if _is_builtin_loss(fn):
            self._direction = "down"

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        mask = get_keras_mask(y_pred)
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        sample_weight = apply_mask(sample_weight, mask, dtype=self.dtype, reduction="sum")
        super().update_state(values, sample_weight=sample_weight)

    def get_config(self) -> dict:
        config = super().get_config()
        config["fn"] = serialize_keras_object(self._fn)
        config.update(serialize_dict(self._fn_kwargs))
        return config

    @classmethod
    def from_config(cls, config: dict) -> MeanMetricWrapper:
        if "fn" in config:
            config = deserialize_keras_object(config)
        return cls(**config)


def _is_builtin_loss(fn: Any) -> bool:
    builtin_losses = set(loss_identifiers.ALL_OBJECTS_DICT.values())
    try:
        return fn in builtin_losses or type(fn) in builtin_losses
    except TypeError:  # unhashable callables are never built-in losses
        return False
