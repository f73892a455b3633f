"""``serialize_keras_object``: any config value to JSON-ready data, in upstream's format.

An object with ``get_config`` becomes::

    {"module": ..., "class_name": ..., "config": {...}, "registered_name": ...}

(plus ``build_config`` / ``compile_config`` when it has them). Built-ins are
named by upstream's public module (``"keras.layers"``) with ``registered_name``
null; anything else by its Python module and class, with ``registered_name``
its ``register_keras_serializable`` key or, unregistered, its class name.
Functions are ``{"module": "builtins", "class_name": "function", "config":
<name>, "registered_name": "function"}``.
"""

from __future__ import annotations

import types
from typing import Any

from refkeras.serialization import builtins, registration, sharing, special_values

PLAIN_TYPES = (str, int, float, bool)


def serialize_keras_object(obj: Any) -> Any:
    """The JSON-ready description of ``obj`` (see the module docstring).

    Plain values (None, str, int, float, bool) come back unchanged; lists,
    tuples and dicts are serialized item by item (tuples stay tuples).

    >>> serialize_keras_object({"units": 3, "rate": (0.5,)})
    {'units': 3, 'rate': (0.5,)}
    """
    if obj is None or isinstance(obj, PLAIN_TYPES):
        return obj
    if isinstance(obj, (list, tuple)):
        items = [serialize_keras_object(x) for x in obj]
        return tuple(items) if isinstance(obj, tuple) else items
    if isinstance(obj, dict):
        return serialize_dict(obj)
    special = special_values.encode(obj, serialize_keras_object)
    if special_values.is_special(special):
        return special

    inner = _inner_config(obj)
    module, class_name, registered_name = _class_entry(type(obj))
    config = {"module": module, "class_name": class_name, "config": inner,
              "registered_name": registered_name}
    _add_build_and_compile_config(obj, config)
    if config["module"] == "__main__":
        config["module"] = None  # upstream writes no module for scripts' own classes
    sharing.record_serialized(obj, config)
    return config


def serialize_dict(obj: dict) -> dict:
    """Serializes the values of ``obj``, keeping its keys."""
    return {key: serialize_keras_object(value) for key, value in obj.items()}


def _class_entry(cls: type) -> builtins.PublicName:
    """``module``, ``class_name`` and ``registered_name`` written for instances of ``cls``."""
    public = builtins.public_name(cls)
    if public is not None:
        return public
    return builtins.PublicName(cls.__module__, cls.__name__,
                              registration.get_registered_name(cls))


def _inner_config(obj: Any) -> Any:
    if isinstance(obj, types.FunctionType):
        return registration.get_registered_name(obj)
    if hasattr(obj, "get_config"):
        config = obj.get_config()
        if not isinstance(config, dict):
            raise TypeError(
                f"The `get_config()` method of {obj} should return a dict. "
                f"It returned: {config}"
            )
        return serialize_dict(config)
    if hasattr(obj, "__name__"):  # classes and other named callables
        return registration.get_registered_name(obj)
    raise TypeError(
        f"Cannot serialize object {obj} of type {type(obj)}. To be serializable, a class "
        "must implement the `get_config()` method."
    )


def _add_build_and_compile_config(obj: Any, config: dict) -> None:
    for key, getter in (("build_config", "get_build_config"),
                        ("compile_config", "get_compile_config")):
        method = getattr(obj, getter, None)
        if method is None:
            continue
        value = method()
        if value is not None:
            config[key] = serialize_dict(value)
