"""Names, ``serialize``, ``deserialize`` and ``get`` for initializers.

Built-in initializers serialize exactly as upstream Keras writes them
(``{"module": "keras.initializers", "class_name": ..., "config": ...,
"registered_name": None}``), so files move both ways. This module is the one
place to switch over to ``refkeras.serialization`` once it exists.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from refkeras import backend
from refkeras.backend.naming import to_snake_case
from refkeras.initializers.base import Initializer
from refkeras.initializers.config_values import serialize_value
from refkeras.initializers.constant import Constant, Identity, Ones, Zeros
from refkeras.initializers.orthogonal import Orthogonal
from refkeras.initializers.random_initializers import RandomNormal, RandomUniform, TruncatedNormal
from refkeras.initializers.variance_scaling import (
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    VarianceScaling,
)

PUBLIC_MODULE = "keras.initializers"
BUILTIN_CLASSES: tuple[type[Initializer], ...] = (
    Initializer, Constant, Identity, Ones, Zeros, GlorotNormal, GlorotUniform, HeNormal,
    HeUniform, LecunNormal, LecunUniform, Orthogonal, RandomNormal, RandomUniform,
    TruncatedNormal, VarianceScaling,
)
# Every string `get`/`deserialize` accept: class names, their snake_case forms, and
# upstream's historical aliases.
NAMES: dict[str, type[Initializer]] = {
    **{cls.__name__: cls for cls in BUILTIN_CLASSES},
    **{to_snake_case(cls.__name__): cls for cls in BUILTIN_CLASSES},
    "IdentityInitializer": Identity, "OrthogonalInitializer": Orthogonal,
    "normal": RandomNormal, "uniform": RandomUniform, "one": Ones, "zero": Zeros,
}


def serialize(initializer: Any) -> Any:
    """The JSON-friendly dict of an initializer (None stays None)."""
    if initializer is None:
        return None
    if not isinstance(initializer, Initializer):
        return serialize_value(initializer)
    cls = type(initializer)
    builtin = cls in BUILTIN_CLASSES
    return {
        "module": PUBLIC_MODULE if builtin else cls.__module__,
        "class_name": cls.__name__,
        "config": serialize_value(initializer.get_config()),
        "registered_name": None if builtin else cls.__name__,
    }


def deserialize(config: Any, custom_objects: dict[str, Any] | None = None) -> Any:
    """An initializer from :func:`serialize`'s dict or a name.

    A name or ``class_name`` that is neither built in nor in ``custom_objects``
    comes back unchanged (as upstream does); :func:`get` then rejects it.
    """
    custom_objects = custom_objects or {}
    if config is None:
        return None
    if isinstance(config, (list, tuple)):
        return [deserialize(item, custom_objects) for item in config]
    if isinstance(config, str):
        if config in custom_objects:
            return custom_objects[config]
        return NAMES[config].from_config({}) if config in NAMES else config
    if not isinstance(config, dict):
        return config
    if "class_name" not in config:
        raise ValueError(
            f"Unknown `config` as a `dict`, config={config}. "
            "Expected a dict with a 'class_name' key (and usually 'config')."
        )
    class_name, inner = config["class_name"], config.get("config") or {}
    custom = custom_objects.get(class_name) or custom_objects.get(config.get("registered_name"))
    if custom is not None:
        return custom.from_config(inner)
    if "module" in config and config["module"] is None:
        raise TypeError(
            f"Cannot deserialize object of type `{class_name}`. If `{class_name}` is a custom "
            "class, please register it using the "
            "`@keras.saving.register_keras_serializable()` decorator."
        )
    return NAMES[class_name].from_config(inner) if class_name in NAMES else class_name


def get(identifier: Any) -> Any:
    """An initializer from a name, a config dict, an instance, a class, a callable or
    an array (which then becomes the initial value, for that exact shape).

    >>> get("glorot_uniform")  # doctest: +SKIP
    """
    if identifier is None:
        return None
    if isinstance(identifier, Initializer):
        return identifier  # the common case (add_weight), answered before the tensor check
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = deserialize({"class_name": identifier, "config": {}})
    elif backend.is_tensor(identifier) or isinstance(identifier, (np.generic, np.ndarray)):
        obj = _fixed_value(identifier)
    else:
        obj = identifier
    if not callable(obj):
        raise ValueError(
            f"Could not interpret initializer identifier: {identifier}. Pass an initializer "
            "name such as 'glorot_uniform', a config dict, an Initializer, or a callable."
        )
    return obj() if inspect.isclass(obj) else obj


def _fixed_value(value: Any) -> Any:
    """An initializer returning ``value`` (cast), usable only for ``value``'s own shape."""

    def initialize_fn(shape: Any, dtype: Any = None) -> Any:
        dtype = backend.standardize_dtype(dtype)
        if backend.standardize_shape(shape) != backend.standardize_shape(value.shape):
            raise ValueError(
                f"Expected `shape` to be {value.shape} for direct tensor as initializer. "
                f"Received shape={shape}"
            )
        return backend.cast(value, dtype)

    return initialize_fn
