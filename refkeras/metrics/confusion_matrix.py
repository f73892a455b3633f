"""Thresholded confusion-matrix counts, the state behind Precision, Recall and AUC.

For each threshold ``t``, a prediction counts as positive when ``y_pred > t``
and a label as positive when it is non-zero. The counts (true/false
positives/negatives) are accumulated per threshold, weighted by
``sample_weight`` (and by per-class ``label_weights`` for AUC).

Evenly spaced thresholds over ``[0, 1]`` take a faster route: each prediction
falls in one bucket between thresholds, and counts per threshold are running
sums over the buckets.
"""

from __future__ import annotations

import enum
from typing import Any

import numpy as np

from refkeras import backend, ops
from refkeras.losses.reduction import squeeze_or_expand_to_same_rank

NEG_INF = -1e10  # the score of predictions dropped by `top_k`


class ConfusionMatrix(enum.Enum):
    TRUE_POSITIVES = "tp"
    FALSE_POSITIVES = "fp"
    TRUE_NEGATIVES = "tn"
    FALSE_NEGATIVES = "fn"


def as_list(x: Any) -> list:
    return list(x) if isinstance(x, (list, tuple)) else [x]


def parse_init_thresholds(thresholds: Any, default_threshold: float = 0.5) -> list:
    """``thresholds`` (a float or a list of floats in ``[0, 1]``) as a list."""
    if thresholds is not None:
        invalid = [t for t in as_list(thresholds) if t is None or t < 0 or t > 1]
        if invalid:
            raise ValueError(f"Threshold values must be in [0, 1]. Received: {invalid}")
    return as_list(default_threshold if thresholds is None else thresholds)


def is_evenly_distributed_thresholds(thresholds: Any) -> bool:
    """Whether ``thresholds`` are ``i / (n - 1)`` for ``i`` in ``0..n-1`` (n >= 3), to epsilon."""
    n = len(thresholds)
    if n < 3:
        return False
    even = np.arange(n, dtype=np.float32) / (n - 1)
    return bool(np.allclose(thresholds, even, atol=backend.epsilon()))


def _check_keys(variables_to_update: dict) -> None:
    if not any(key in list(ConfusionMatrix) for key in variables_to_update):
        raise ValueError(
            "Please provide at least one valid confusion matrix variable to update. Valid "
            f'variable key options are: "{list(ConfusionMatrix)}". '
            f'Received: "{variables_to_update.keys()}"'
        )
    invalid = [key for key in variables_to_update if key not in list(ConfusionMatrix)]
    if invalid:
        raise ValueError(
            f'Invalid keys: "{invalid}". Valid variable key options are: '
            f'"{list(ConfusionMatrix)}"'
        )


def update_confusion_matrix_variables(
    variables_to_update: dict | None, y_true: Any, y_pred: Any, thresholds: Any,
    top_k: int | None = None, class_id: int | None = None, sample_weight: Any = None,
    multi_label: bool = False, label_weights: Any = None,
    thresholds_distributed_evenly: bool = False,
) -> None:
    """Adds this batch's counts to ``variables_to_update`` (``{ConfusionMatrix: Variable}``).

    Args:
        y_true, y_pred: ``(batch, ...)``; predictions are expected in ``[0, 1]``.
        thresholds: the thresholds, one count per threshold in each variable.
        top_k: keep only each row's ``top_k`` predictions (others never positive).
        class_id: count only this class (last axis).
        multi_label: count each label (last axis) separately (variables of shape
            ``(num_thresholds, num_labels)``) instead of flattening them together.
        label_weights: per-label weights (not with ``multi_label``).
    """
    if multi_label and label_weights is not None:
        raise ValueError(
            "`label_weights` for multilabel data should be handled outside of "
            "`update_confusion_matrix_variables` when `multi_label` is True."
        )
    if variables_to_update is None:
        return
    _check_keys(variables_to_update)
    dtype = next(iter(variables_to_update.values())).dtype
    y_true = ops.cast(y_true, dtype=dtype)
    y_pred = ops.cast(y_pred, dtype=dtype)
    with_epsilon = thresholds_distributed_evenly and (thresholds[0] < 0.0 or thresholds[-1] > 1.0)
    thresholds = ops.convert_to_tensor(thresholds, dtype=dtype)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = ops.expand_dims(ops.cast(sample_weight, dtype=dtype), axis=-1)
        _, sample_weight = squeeze_or_expand_to_same_rank(y_true, sample_weight,
                                                          expand_rank_1=False)
    if top_k is not None:
        y_pred = _filter_top_k(y_pred, top_k)
    if class_id is not None:
        if len(y_pred.shape) == 1:
            raise ValueError(
                "When class_id is provided, y_pred must be a 2D array with shape "
                f"(num_samples, num_classes), found shape: {y_pred.shape}"
            )
        y_true = y_true[..., class_id, None]
        y_pred = y_pred[..., class_id, None]
    if thresholds_distributed_evenly:
        _update_by_buckets(variables_to_update, y_true, y_pred, thresholds, multi_label,
                           sample_weight, label_weights, with_epsilon)
    else:
        _update_by_comparison(variables_to_update, y_true, y_pred, thresholds, multi_label,
                              sample_weight, label_weights)


def _update_by_comparison(variables: dict, y_true: Any, y_pred: Any, thresholds: Any,
                          multi_label: bool, sample_weight: Any, label_weights: Any) -> None:
    """Compares every prediction with every threshold: ``(T, M)`` booleans, summed over M.

    M is all flattened predictions, or (``multi_label``) the batch, per label.
    """
    if multi_label:
        preds, labels = ops.expand_dims(y_pred, 0), ops.expand_dims(ops.cast(y_true, "bool"), 0)
        thresholds = ops.reshape(thresholds, (-1, 1, 1))  # (T, 1, 1) against (1, N, L)
    else:
        preds = ops.reshape(y_pred, (1, -1))
        labels = ops.reshape(ops.cast(y_true, "bool"), (1, -1))
        thresholds = ops.reshape(thresholds, (-1, 1))  # (T, 1) against (1, N * L)
    pred_is_pos = ops.greater(preds, thresholds)

    def lift(x: Any) -> Any:  # per-prediction weights, shaped like `preds`
        return ops.expand_dims(x, 0) if multi_label else ops.reshape(x, (1, -1))

    weights = None
    if sample_weight is not None:
        weights = lift(_broadcast_like(ops.cast(sample_weight, y_pred.dtype), y_pred))
    if label_weights is not None and not multi_label:
        per_label = lift(_broadcast_like(ops.expand_dims(label_weights, 0), y_pred))
        weights = per_label if weights is None else ops.multiply(weights, per_label)

    def add_counts(label: Any, pred: Any, variable: Any) -> None:
        both = ops.logical_and(label, pred)  # broadcast to (T, M) or (T, N, L)
        if weights is not None:
            counts = ops.where(both, ops.cast(weights, dtype=variable.dtype), 0)
        else:
            counts = ops.cast(both, dtype=variable.dtype)
        variable.assign(variable + ops.sum(counts, 1))

    conditions = {ConfusionMatrix.TRUE_POSITIVES: (labels, pred_is_pos)}
    if ConfusionMatrix.FALSE_NEGATIVES in variables or ConfusionMatrix.TRUE_NEGATIVES in variables:
        pred_is_neg = ops.logical_not(pred_is_pos)
        conditions[ConfusionMatrix.FALSE_NEGATIVES] = (labels, pred_is_neg)
    if ConfusionMatrix.FALSE_POSITIVES in variables or ConfusionMatrix.TRUE_NEGATIVES in variables:
        label_is_neg = ops.logical_not(labels)
        conditions[ConfusionMatrix.FALSE_POSITIVES] = (label_is_neg, pred_is_pos)
        if ConfusionMatrix.TRUE_NEGATIVES in variables:
            conditions[ConfusionMatrix.TRUE_NEGATIVES] = (label_is_neg, pred_is_neg)
    for key, (label, pred) in conditions.items():
        if key in variables:
            add_counts(label, pred, variables[key])


def _broadcast_like(x: Any, target: Any) -> Any:
    if None not in target.shape:
        return ops.broadcast_to(x, target.shape)
    return x * ops.ones_like(target, dtype=x.dtype)


def _update_by_buckets(variables: dict, y_true: Any, y_pred: Any, thresholds: Any,
                       multi_label: bool, sample_weight: Any, label_weights: Any,
                       with_epsilon: bool) -> None:
    """Evenly spaced thresholds: bucket each prediction, then count by reversed running sums."""
    num_thresholds = thresholds.shape[0]
    flatten = (lambda x: x) if multi_label else (lambda x: ops.reshape(x, (-1,)))
    weights: Any = 1.0
    if sample_weight is not None:
        weights = flatten(_broadcast_like(ops.cast(sample_weight, dtype=y_pred.dtype), y_pred))
    per_label: Any = 1.0
    if label_weights is not None:
        per_label = flatten(_broadcast_like(ops.expand_dims(label_weights, 0), y_pred))
    weights = ops.cast(ops.multiply(weights, per_label), y_true.dtype)
    y_pred = flatten(ops.clip(y_pred, 0.0, 1.0))
    y_true = flatten(ops.cast(ops.cast(y_true, "bool"), y_true.dtype))
    true_labels = ops.multiply(y_true, weights)
    false_labels = ops.multiply(1.0 - y_true, weights)
    # Bucket b holds predictions in (t[b], t[b + 1]]; a prediction of exactly 0 gives -1,
    # moved to bucket 0 when the outer thresholds sit just outside [0, 1].
    buckets = ops.ceil(y_pred * (ops.cast(num_thresholds, dtype=y_pred.dtype) - 1)) - 1
    if with_epsilon:
        buckets = ops.relu(buckets)
    buckets = ops.cast(buckets, "int32")
    if multi_label:
        true_labels, false_labels = ops.transpose(true_labels), ops.transpose(false_labels)
        buckets = ops.transpose(buckets)  # (labels, batch)
        tp_buckets = _segment_sum_per_row(true_labels, buckets, num_thresholds)
        fp_buckets = _segment_sum_per_row(false_labels, buckets, num_thresholds)
        tp = ops.transpose(ops.flip(ops.cumsum(ops.flip(tp_buckets), axis=1)))
        fp = ops.transpose(ops.flip(ops.cumsum(ops.flip(fp_buckets), axis=1)))
    else:
        tp_buckets = ops.segment_sum(true_labels, buckets, num_segments=num_thresholds)
        fp_buckets = ops.segment_sum(false_labels, buckets, num_segments=num_thresholds)
        tp = ops.flip(ops.cumsum(ops.flip(tp_buckets)))
        fp = ops.flip(ops.cumsum(ops.flip(fp_buckets)))
    if ConfusionMatrix.TRUE_NEGATIVES in variables or ConfusionMatrix.FALSE_NEGATIVES in variables:
        axis = 1 if multi_label else None
        total_true = ops.sum(true_labels, axis=axis)
        total_false = ops.sum(false_labels, axis=axis)
    updates = {
        ConfusionMatrix.TRUE_POSITIVES: lambda: tp,
        ConfusionMatrix.FALSE_POSITIVES: lambda: fp,
        ConfusionMatrix.TRUE_NEGATIVES: lambda: total_false - fp,
        ConfusionMatrix.FALSE_NEGATIVES: lambda: total_true - tp,
    }
    for key, delta in updates.items():
        if key in variables:
            variables[key].assign(variables[key] + delta())


def _segment_sum_per_row(data: Any, segment_ids: Any, num_segments: int) -> Any:
    """``segment_sum`` of each row separately: ``(rows, n)`` -> ``(rows, num_segments)``.

    Row ``r``'s ids are offset by ``r * num_segments`` so one flat sum does all rows.
    """
    rows = data.shape[0]
    offsets = np.arange(rows, dtype="int32")[:, None] * num_segments
    flat_ids = ops.reshape(segment_ids + offsets, (-1,))
    sums = ops.segment_sum(ops.reshape(data, (-1,)), flat_ids, num_segments=rows * num_segments)
    return ops.reshape(sums, (rows, num_segments))


def _filter_top_k(x: Any, k: int) -> Any:
    """``x`` with all but each row's ``k`` largest entries replaced by :data:`NEG_INF`."""
    _, top_indices = ops.top_k(x, k)
    kept = ops.sum(ops.one_hot(top_indices, x.shape[-1], axis=-1), axis=-2)
    return x * kept + NEG_INF * (1 - kept)
