"""``serialize`` and ``deserialize`` for learning-rate schedules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from refkeras.optimizers.schedules.cosine_decay import CosineDecay
from refkeras.optimizers.schedules.exponential_decay import ExponentialDecay
from refkeras.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
from refkeras.optimizers.schedules.piecewise_constant_decay import PiecewiseConstantDecay
from refkeras.serialization import deserialize_keras_object, serialize_keras_object

# Short names a config's `class_name` may use.
ALL_OBJECTS_DICT: dict[str, type] = {
    cls.__name__: cls
    for cls in (LearningRateSchedule, ExponentialDecay, CosineDecay, PiecewiseConstantDecay)
}


def serialize(learning_rate_schedule: LearningRateSchedule) -> Any:
    """``{"module": "keras.optimizers.schedules", "class_name": ..., "config": ...}``."""
    return serialize_keras_object(learning_rate_schedule)


def deserialize(config: Any, custom_objects: Mapping[str, Any] | None = None) -> Any:
    """Rebuilds a schedule from :func:`serialize`'s dict."""
    return deserialize_keras_object(config, module_objects=ALL_OBJECTS_DICT,
                                    custom_objects=custom_objects)
