"""Thresholded counts and the ratios made from them: ``Precision`` and ``Recall``.

``thresholds`` may be a float or a list of floats in ``[0, 1]``; with one
threshold the result is a scalar, with several a vector (one value per
threshold). Predictions above a threshold count as positive.
"""

from __future__ import annotations

from typing import Any

from refkeras import ops
from refkeras.initializers import Zeros
from refkeras.metrics.confusion_matrix import (
    NEG_INF,
    ConfusionMatrix,
    is_evenly_distributed_thresholds,
    parse_init_thresholds,
    update_confusion_matrix_variables,
)
from refkeras.metrics.metric import Metric
from refkeras.serialization import builtin


class _ConditionCount(Metric):
    """The weighted number of one kind of confusion-matrix entry, per threshold."""

    CONDITION: ConfusionMatrix = ConfusionMatrix.TRUE_POSITIVES

    def __init__(self, thresholds: Any = None, name: str | None = None, dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = parse_init_thresholds(thresholds, default_threshold=0.5)
        self._thresholds_distributed_evenly = is_evenly_distributed_thresholds(self.thresholds)
        self.accumulator = self.add_variable(shape=(len(self.thresholds),), initializer=Zeros(),
                                             name="accumulator")

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        update_confusion_matrix_variables(
            {self.CONDITION: self.accumulator}, y_true, y_pred, thresholds=self.thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            sample_weight=sample_weight,
        )

    def result(self) -> Any:
        value = self.accumulator[0] if len(self.thresholds) == 1 else self.accumulator
        return ops.convert_to_tensor(value)

    def get_config(self) -> dict:
        return {**super().get_config(), "thresholds": self.init_thresholds}


@builtin("keras.metrics")
class TruePositives(_ConditionCount):
    """Weighted count of positive labels predicted positive."""

    CONDITION = ConfusionMatrix.TRUE_POSITIVES


@builtin("keras.metrics")
class FalsePositives(_ConditionCount):
    """Weighted count of negative labels predicted positive."""

    CONDITION = ConfusionMatrix.FALSE_POSITIVES


@builtin("keras.metrics")
class TrueNegatives(_ConditionCount):
    """Weighted count of negative labels predicted negative."""

    CONDITION = ConfusionMatrix.TRUE_NEGATIVES


@builtin("keras.metrics")
class FalseNegatives(_ConditionCount):
    """Weighted count of positive labels predicted negative."""

    CONDITION = ConfusionMatrix.FALSE_NEGATIVES


class _Ratio(Metric):
    """``true_positives / (true_positives + OTHER)``, per threshold (0 when empty).

    Args:
        thresholds: as the module docstring says; default 0.5, or (with
            ``top_k``) no threshold beyond being among the top k.
        top_k: consider only each row's ``top_k`` highest predictions positive.
        class_id: compute the metric for this class (last axis) only.
    """

    OTHER: ConfusionMatrix = ConfusionMatrix.FALSE_POSITIVES
    OTHER_NAME = "false_positives"

    def __init__(self, thresholds: Any = None, top_k: int | None = None,
                 class_id: int | None = None, name: str | None = None, dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = 0.5 if top_k is None else NEG_INF
        self.thresholds = parse_init_thresholds(thresholds, default_threshold=default)
        self._thresholds_distributed_evenly = is_evenly_distributed_thresholds(self.thresholds)
        shape = (len(self.thresholds),)
        self.true_positives = self.add_variable(shape=shape, initializer=Zeros(),
                                                name="true_positives")
        self._other = self.add_variable(shape=shape, initializer=Zeros(), name=self.OTHER_NAME)

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        update_confusion_matrix_variables(
            {ConfusionMatrix.TRUE_POSITIVES: self.true_positives, self.OTHER: self._other},
            y_true, y_pred, thresholds=self.thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            top_k=self.top_k, class_id=self.class_id, sample_weight=sample_weight,
        )

    def result(self) -> Any:
        ratio = ops.divide_no_nan(self.true_positives, ops.add(self.true_positives, self._other))
        return ratio[0] if len(self.thresholds) == 1 else ratio

    def reset_state(self) -> None:
        # One fresh array per variable: JAX steps donate the state buffers, and two
        # variables sharing one buffer cannot both be donated.
        self.true_positives.assign(ops.zeros((len(self.thresholds),)))
        self._other.assign(ops.zeros((len(self.thresholds),)))

    def get_config(self) -> dict:
        return {**super().get_config(), "thresholds": self.init_thresholds,
                "top_k": self.top_k, "class_id": self.class_id}


@builtin("keras.metrics")
class Precision(_Ratio):
    """Of the predictions counted positive, the weighted fraction that are truly positive."""

    @property
    def false_positives(self) -> Any:
        return self._other


@builtin("keras.metrics")
class Recall(_Ratio):
    """Of the truly positive labels, the weighted fraction predicted positive."""

    OTHER = ConfusionMatrix.FALSE_NEGATIVES
    OTHER_NAME = "false_negatives"

    @property
    def false_negatives(self) -> Any:
        return self._other
