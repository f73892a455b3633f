"""``AUC``: the area under the ROC or precision-recall curve, by a Riemann sum.

Confusion counts are kept at ``num_thresholds`` thresholds (evenly spaced over
``[0, 1]`` unless ``thresholds`` are given; the outer two sit just outside, at
``-epsilon`` and ``1 + epsilon``). Each threshold gives one point of the curve;
the area sums trapezoids (``"interpolation"``) or lower/upper rectangles
(``"minoring"``/``"majoring"``) between neighbouring points.
"""

from __future__ import annotations

import enum
from typing import Any

import numpy as np

from refkeras import activations, backend, ops
from refkeras.initializers import Zeros
from refkeras.metrics.confusion_matrix import (
    ConfusionMatrix,
    is_evenly_distributed_thresholds,
    update_confusion_matrix_variables,
)
from refkeras.metrics.metric import Metric
from refkeras.serialization import builtin


class AUCCurve(enum.Enum):
    ROC = "ROC"
    PR = "PR"
    PRGAIN = "PRGAIN"

    @staticmethod
    def from_str(key: str) -> AUCCurve:
        for curve in AUCCurve:
            if key in (curve.value, curve.value.lower()):
                return curve
        raise ValueError(
            f'Invalid AUC curve value: "{key}". Expected values are ["PR", "ROC", "PRGAIN"]'
        )


class AUCSummationMethod(enum.Enum):
    INTERPOLATION = "interpolation"
    MAJORING = "majoring"
    MINORING = "minoring"

    @staticmethod
    def from_str(key: str) -> AUCSummationMethod:
        for method in AUCSummationMethod:
            if key in (method.value, method.value.capitalize()):
                return method
        raise ValueError(
            f'Invalid AUC summation method value: "{key}". Expected values are '
            '["interpolation", "majoring", "minoring"]'
        )


@builtin("keras.metrics")
class AUC(Metric):
    """Area under the ROC (default), PR or PR-gain curve.

    Args:
        num_thresholds: number of thresholds (> 1) when ``thresholds`` is None.
        curve: ``"ROC"``, ``"PR"`` or ``"PRGAIN"``.
        summation_method: ``"interpolation"``, ``"minoring"`` or ``"majoring"``.
        thresholds: explicit inner thresholds in ``[0, 1]`` (``num_thresholds``
            is then their count + 2).
        multi_label: keep one curve per label (last axis of a rank-2 ``y_pred``)
            and average their areas (weighted by ``label_weights`` if given),
            instead of flattening all labels into one curve.
        num_labels: the label count with ``multi_label``, to create the
            variables now rather than at the first update.
        label_weights: per-label weights of the counts (single curve) or of the
            areas (``multi_label``).
        from_logits: apply a sigmoid to ``y_pred`` first.
    """

    def __init__(self, num_thresholds: int = 200, curve: Any = "ROC",
                 summation_method: Any = "interpolation", name: str | None = None,
                 dtype: Any = None, thresholds: Any = None, multi_label: bool = False,
                 num_labels: int | None = None, label_weights: Any = None,
                 from_logits: bool = False):
        self._direction = "up"
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            self.num_thresholds = len(thresholds) + 2
            inner = sorted(thresholds)
            self._thresholds_distributed_evenly = is_evenly_distributed_thresholds(
                np.array([0.0] + inner + [1.0]))
        else:
            if num_thresholds <= 1:
                raise ValueError(
                    "Argument `num_thresholds` must be an integer > 1. "
                    f"Received: num_thresholds={num_thresholds}"
                )
            self.num_thresholds = num_thresholds
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._thresholds_distributed_evenly = True
        epsilon = backend.epsilon()
        self._thresholds = np.array([0.0 - epsilon] + inner + [1.0 + epsilon])
        self.curve = curve if isinstance(curve, AUCCurve) else AUCCurve.from_str(curve)
        self.summation_method = (summation_method
                                 if isinstance(summation_method, AUCSummationMethod)
                                 else AUCSummationMethod.from_str(summation_method))
        super().__init__(name=name, dtype=dtype)
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = (None if label_weights is None
                              else ops.convert_to_tensor(label_weights, dtype=self.dtype))
        self._from_logits = from_logits
        self._built = False
        if multi_label:
            if num_labels:
                self._build([None, num_labels])
        elif num_labels:
            raise ValueError("`num_labels` is needed only when `multi_label` is True.")
        else:
            self._build(None)

    @property
    def thresholds(self) -> list:
        """All thresholds, the two outer ones included."""
        return list(self._thresholds)

    def _build(self, shape: Any) -> None:
        if self.multi_label:
            if len(shape) != 2:
                raise ValueError(
                    "`y_pred` must have rank 2 when `multi_label=True`. Found rank "
                    f"{len(shape)}. Full shape received for `y_pred`: {shape}"
                )
            self._num_labels = shape[1]
            variable_shape = [self.num_thresholds, self._num_labels]
        else:
            variable_shape = [self.num_thresholds]
        self._build_input_shape = shape
        for name in ("true_positives", "false_positives", "true_negatives", "false_negatives"):
            setattr(self, name, self.add_variable(shape=variable_shape, initializer=Zeros(),
                                                  name=name))
        self._built = True

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        if not self._built:
            self._build(y_pred.shape)
        if self._from_logits:
            y_pred = activations.sigmoid(y_pred)
        update_confusion_matrix_variables(
            {ConfusionMatrix.TRUE_POSITIVES: self.true_positives,
             ConfusionMatrix.TRUE_NEGATIVES: self.true_negatives,
             ConfusionMatrix.FALSE_POSITIVES: self.false_positives,
             ConfusionMatrix.FALSE_NEGATIVES: self.false_negatives},
            y_true, y_pred, self._thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            sample_weight=sample_weight, multi_label=self.multi_label,
            label_weights=None if self.multi_label else self.label_weights,
        )

    def _total_area(self, increments: Any) -> Any:
        """Sums increments over thresholds; with ``multi_label``, averages the label areas."""
        if not self.multi_label:
            return ops.sum(increments)
        by_label = ops.sum(increments, axis=0)
        if self.label_weights is None:
            return ops.mean(by_label)
        return ops.divide_no_nan(ops.sum(ops.multiply(by_label, self.label_weights)),
                                 ops.sum(self.label_weights))

    def interpolate_pr_auc(self) -> Any:
        """PR-AUC integrated exactly between thresholds, precision interpolated in
        true/false positive counts (Davis & Goadrich, 2006), not linearly in recall."""
        n = self.num_thresholds
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        dtp = ops.subtract(tp[: n - 1], tp[1:])
        p = ops.add(tp, fp)
        dp = ops.subtract(p[: n - 1], p[1:])
        slope = ops.divide_no_nan(dtp, ops.maximum(dp, 0))
        intercept = ops.subtract(tp[1:], ops.multiply(slope, p[1:]))
        both_positive = ops.logical_and(p[: n - 1] > 0, p[1:] > 0)
        p_ratio = ops.where(both_positive, ops.divide_no_nan(p[: n - 1], ops.maximum(p[1:], 0)),
                            ops.ones_like(p[1:]))
        increments = ops.divide_no_nan(
            ops.multiply(slope, ops.add(dtp, ops.multiply(intercept, ops.log(p_ratio)))),
            ops.maximum(ops.add(tp[1:], fn[1:]), 0),
        )
        return self._total_area(increments)

    def _curve_points(self) -> tuple[Any, Any]:
        tp, fp = self.true_positives, self.false_positives
        tn, fn = self.true_negatives, self.false_negatives
        recall = ops.divide_no_nan(tp, ops.add(tp, fn))
        if self.curve == AUCCurve.ROC:
            return ops.divide_no_nan(fp, ops.add(fp, tn)), recall
        if self.curve == AUCCurve.PR:
            return recall, ops.divide_no_nan(tp, ops.add(tp, fp))
        scale = ops.divide_no_nan(ops.add(tp, fn), ops.add(tn, fp))
        recall_gain = 1.0 - scale * ops.divide_no_nan(fn, tp)
        precision_gain = 1.0 - scale * ops.divide_no_nan(fp, tp)
        no_tp = ops.equal(tp, 0.0)
        recall_gain = ops.maximum(ops.where(no_tp, 0.0, recall_gain), 0.0)
        precision_gain = ops.where(no_tp, 1.0, precision_gain)
        return recall_gain, precision_gain

    def result(self) -> Any:
        if (self.curve == AUCCurve.PR
                and self.summation_method == AUCSummationMethod.INTERPOLATION):
            return self.interpolate_pr_auc()
        x, y = self._curve_points()
        n = self.num_thresholds
        if self.summation_method == AUCSummationMethod.INTERPOLATION:
            heights = ops.divide(ops.add(y[: n - 1], y[1:]), 2.0)
        elif self.summation_method == AUCSummationMethod.MINORING:
            heights = ops.minimum(y[: n - 1], y[1:])
        else:
            heights = ops.maximum(y[: n - 1], y[1:])
        return self._total_area(ops.multiply(ops.subtract(x[: n - 1], x[1:]), heights))

    def reset_state(self) -> None:
        if not self._built:
            return
        shape = ((self.num_thresholds, self._num_labels) if self.multi_label
                 else (self.num_thresholds,))
        for variable in (self.true_positives, self.false_positives, self.true_negatives,
                         self.false_negatives):
            variable.assign(ops.zeros(shape))

    def get_config(self) -> dict:
        config = {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "curve": self.curve.value,
            "summation_method": self.summation_method.value,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": self.label_weights,
            "from_logits": self._from_logits,
        }
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return config
