"""Optimizer lookup: ``get``, ``serialize`` and ``deserialize``.

Names are matched case-insensitively against the class names (``"adam"``,
``"RMSprop"``, ``"sgd"``, ``"AdamW"``...), as upstream does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from refkeras.optimizers.adagrad import Adagrad
from refkeras.optimizers.adam import Adam
from refkeras.optimizers.adamw import AdamW
from refkeras.optimizers.loss_scale_optimizer import LossScaleOptimizer
from refkeras.optimizers.optimizer import Optimizer
from refkeras.optimizers.rmsprop import RMSprop
from refkeras.optimizers.sgd import SGD
from refkeras.serialization import deserialize_keras_object, serialize_keras_object

_CLASSES = (Optimizer, Adam, SGD, RMSprop, AdamW, Adagrad, LossScaleOptimizer)
ALL_OBJECTS_DICT: dict[str, type] = {cls.__name__.lower(): cls for cls in _CLASSES}


def serialize(optimizer: Optimizer) -> Any:
    """``{"module": "keras.optimizers", "class_name": ..., "config": ..., ...}``."""
    return serialize_keras_object(optimizer)


def deserialize(config: dict, custom_objects: Mapping[str, Any] | None = None) -> Any:
    """Rebuilds an optimizer from :func:`serialize`'s dict; built-in class names match
    whatever their case."""
    if config["class_name"].lower() in ALL_OBJECTS_DICT:
        config["class_name"] = config["class_name"].lower()
    return deserialize_keras_object(config, module_objects=ALL_OBJECTS_DICT,
                                    custom_objects=custom_objects)


def get(identifier: Any) -> Optimizer | None:
    """An optimizer from None (None), a name, a config dict, or an instance (returned as is).

    >>> get("rmsprop").name  # doctest: +SKIP
    'rmsprop'
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = deserialize({"class_name": identifier, "config": {}})
    else:
        obj = identifier
    if isinstance(obj, Optimizer):
        return obj
    raise ValueError(
        f"Could not interpret optimizer identifier: {identifier}. Pass a name such as "
        "'adam', a config dict, or an Optimizer instance."
    )
