"""Metric lookup: ``get``, ``serialize`` and ``deserialize``.

``get`` accepts class names and their snake_case forms (``"AUC"``, ``"auc"``,
``"mean_squared_error"``: default instances) and the aliases ``"mse"``,
``"mae"``, ``"mape"``, ``"msle"`` (and upper-case forms). ``"accuracy"`` and
``"acc"`` in ``compile()`` are resolved by the trainer, not here.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

from refkeras.backend.naming import to_snake_case
from refkeras.metrics import accuracy, auc, confusion_metrics, reduction_metrics
from refkeras.metrics import regression_metrics as regression
from refkeras.metrics.metric import Metric
from refkeras.serialization import deserialize_keras_object, serialize_keras_object

_CLASSES = (
    Metric, reduction_metrics.Mean, reduction_metrics.Sum, reduction_metrics.MeanMetricWrapper,
    regression.MeanSquaredError, regression.MeanAbsoluteError,
    regression.MeanAbsolutePercentageError, regression.MeanSquaredLogarithmicError,
    auc.AUC, confusion_metrics.FalseNegatives, confusion_metrics.FalsePositives,
    confusion_metrics.TrueNegatives, confusion_metrics.TruePositives,
    confusion_metrics.Precision, confusion_metrics.Recall,
    accuracy.Accuracy, accuracy.BinaryAccuracy, accuracy.CategoricalAccuracy,
    accuracy.SparseCategoricalAccuracy, accuracy.TopKCategoricalAccuracy,
)

ALL_OBJECTS_DICT: dict[str, Any] = {cls.__name__: cls for cls in _CLASSES}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in _CLASSES})
for _alias, _cls in (("mse", regression.MeanSquaredError), ("mae", regression.MeanAbsoluteError),
                     ("mape", regression.MeanAbsolutePercentageError),
                     ("msle", regression.MeanSquaredLogarithmicError)):
    ALL_OBJECTS_DICT[_alias] = ALL_OBJECTS_DICT[_alias.upper()] = _cls


def serialize(metric: Any) -> Any:
    """The config of a metric object (or the entry of a metric function)."""
    return serialize_keras_object(metric)


def deserialize(config: Any, custom_objects: Mapping[str, Any] | None = None) -> Any:
    """A metric from :func:`serialize`'s output or a name."""
    return deserialize_keras_object(config, module_objects=ALL_OBJECTS_DICT,
                                    custom_objects=custom_objects)


def get(identifier: Any) -> Any:
    """A metric from None (None), a name, a config dict, a class (instantiated) or a callable.

    >>> get("mse").name  # doctest: +SKIP
    'mean_squared_error'
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier)
    else:
        obj = identifier
    if not callable(obj):
        raise ValueError(f"Could not interpret metric identifier: {identifier}")
    return obj() if inspect.isclass(obj) else obj
