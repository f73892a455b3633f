"""Regularizer lookup: ``get``, ``serialize`` and ``deserialize``.

Names accepted by ``get``: the class names and their snake_case forms
(``"L1L2"``, ``"l1l2"``, ``"l2"``...); a class name gives a default instance.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

from refkeras.backend.naming import to_snake_case
from refkeras.regularizers.regularizer import L1, L1L2, L2, Regularizer
from refkeras.serialization import deserialize_keras_object, serialize_keras_object

_CLASSES = (Regularizer, L1, L2, L1L2)


ALL_OBJECTS_DICT: dict[str, type] = {cls.__name__: cls for cls in _CLASSES}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in _CLASSES})


def serialize(regularizer: Any) -> Any:
    """``{"module": "keras.regularizers", "class_name": ..., "config": ..., ...}``."""
    return serialize_keras_object(regularizer)


def deserialize(config: Any, custom_objects: Mapping[str, Any] | None = None) -> Any:
    """Rebuilds a regularizer from a config or a name."""
    return deserialize_keras_object(config, module_objects=ALL_OBJECTS_DICT,
                                    custom_objects=custom_objects)


def get(identifier: Any) -> Any:
    """A regularizer from None (None), a name, a config dict, a class or a callable.

    >>> get("l2").get_config()
    {'l2': 0.01}
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier)
    else:
        obj = identifier
    if callable(obj):
        return obj() if inspect.isclass(obj) else obj
    raise ValueError(f"Could not interpret regularizer identifier: {identifier}")
