"""Short identifiers of one package (``module_objects``), as ``activations.deserialize`` reads them.

A package passes its ``{name: object}`` table; then ``"relu"``, ``"l2"`` or a
config whose ``class_name`` is in the table resolves through it. Names not in
the table come back unchanged (upstream's behaviour), and configs naming a
user object fall through to the general resolution.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import Any

from refkeras.serialization import builtins
from refkeras.serialization.registration import get_registered_name

CONTINUE = object()  # "not decided here: use the general resolution"


def resolve(config: Any, table: Mapping[str, Any], custom_objects: Mapping[str, Any]) -> Any:
    """The object ``config`` names in ``table``, a full config to deserialize, or CONTINUE."""
    inner = None
    if isinstance(config, dict):
        inner = config.get("config")
        if "class_name" not in config:
            raise ValueError(f"Unknown `config` as a `dict`, config={config}")
        class_name = config["class_name"]
        if _names_custom_object(config, inner, custom_objects):
            return CONTINUE
        if class_name == "function":
            key = config["config"] if config.get("module") == "builtins" else config.get(
                "registered_name")
        else:
            if config.get("module", "_") is None:
                raise TypeError(
                    f"Cannot deserialize object of type `{class_name}`. If `{class_name}` is a "
                    "custom class, please register it using the "
                    "`@keras.saving.register_keras_serializable()` decorator."
                )
            key = class_name
    else:
        key = config
    try:
        obj = table.get(key) if key in table else None
    except TypeError:  # unhashable keys name nothing
        obj = None
    if obj is None:
        return key  # already an object, or a name this package does not know
    if isinstance(obj, types.FunctionType):
        return obj
    return _class_config(obj, inner)


def _names_custom_object(config: dict, inner: Any, custom_objects: Mapping[str, Any]) -> bool:
    if not custom_objects:
        return False
    return (config["class_name"] in custom_objects
            or config.get("registered_name") in custom_objects
            or (isinstance(inner, str) and inner in custom_objects))


def _class_config(cls: type, inner: Any) -> dict:
    public = builtins.public_name(cls)
    if public is not None:
        module, name, registered_name = public
    else:
        module, name, registered_name = cls.__module__, cls.__name__, get_registered_name(cls)
    return {"module": module, "class_name": name, "config": inner,
            "registered_name": registered_name}
