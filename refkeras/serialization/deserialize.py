"""``deserialize_keras_object``: rebuilds objects from upstream-format configs.

Resolution of a ``{"module", "class_name", "config", "registered_name"}``
entry, in order:

1. user objects: the open ``CustomObjectScope``, the global registry, then the
   ``custom_objects`` argument, by ``registered_name`` (classes; it defaults to
   ``class_name`` when the key is absent) or by the name in ``config`` (functions);
2. built-ins, by ``module`` + name, when ``module`` is ``"keras"`` or ``"keras.*"``;
3. for functions written with ``module: "builtins"``, built-in functions by name
   (``builtins.FUNCTION_MODULES``), then custom objects whose key ends in ``">name"``;
4. otherwise ``TypeError("Could not locate class ...")``.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import Any

from refkeras.serialization import builtins, module_objects, sharing, special_values
from refkeras.serialization.registration import (
    CustomObjectScope,
    get_custom_objects,
    get_registered_object,
    scoped_custom_objects,
)
from refkeras.serialization.safe_mode import SafeModeScope, in_safe_mode

PLAIN_TYPES = (str, int, float, bool)

# Public functions that load or save files: never callable from a config (security).
NON_MODELING_APIS = frozenset({
    "keras.backend.clear_session", "keras.config.enable_unsafe_deserialization",
    "keras.models.load_model", "keras.models.model_from_json", "keras.models.save_model",
    "keras.preprocessing.image_dataset_from_directory", "keras.preprocessing.image.load_img",
    "keras.preprocessing.image.save_img", "keras.preprocessing.text_dataset_from_directory",
    "keras.saving.deserialize_keras_object", "keras.saving.load_model",
    "keras.saving.load_weights", "keras.saving.register_keras_serializable",
    "keras.saving.save_model", "keras.saving.save_weights",
    "keras.saving.serialize_keras_object", "keras.utils.audio_dataset_from_directory",
    "keras.utils.clear_session", "keras.utils.deserialize_keras_object",
    "keras.utils.get_file", "keras.utils.image_dataset_from_directory",
    "keras.utils.load_img", "keras.utils.register_keras_serializable",
    "keras.utils.save_img", "keras.utils.serialize_keras_object",
    "keras.utils.text_dataset_from_directory",
})


def deserialize_keras_object(config: Any, custom_objects: Mapping[str, Any] | None = None,
                             safe_mode: bool = True, **kwargs: Any) -> Any:
    """Rebuilds the object (or plain structure) described by ``config``.

    Args:
        config: output of ``serialize_keras_object`` (possibly through JSON).
        custom_objects: ``{name: class_or_function}`` for user objects.
        safe_mode: refuse to rebuild lambdas (overridden by an open
            ``SafeModeScope`` or ``enable_unsafe_deserialization()``).
        module_objects: (keyword) ``{name: object}`` of one package, for the
            short identifiers of ``activations.deserialize`` and the like.

    >>> deserialize_keras_object({"a": [1, 2]})
    {'a': [1, 2]}
    """
    scoped = in_safe_mode()
    safe_mode = scoped if scoped is not None else safe_mode
    table = kwargs.pop("module_objects", None)
    custom_objects = {**(custom_objects or {}), **scoped_custom_objects(), **get_custom_objects()}

    def recurse(value: Any) -> Any:
        return deserialize_keras_object(value, custom_objects=custom_objects, safe_mode=safe_mode)

    if config is None:
        return None
    if isinstance(config, str) and custom_objects.get(config) is not None:
        return custom_objects[config]  # plain names of functions, as older files write them
    if isinstance(config, (list, tuple)):
        return [recurse(x) for x in config]
    if table is not None:
        found = module_objects.resolve(config, table, custom_objects)
        if found is not module_objects.CONTINUE:
            return recurse(found) if isinstance(found, dict) else found
    if isinstance(config, PLAIN_TYPES):
        return config
    if not isinstance(config, dict):
        raise TypeError(f"Could not parse config: {config}")
    if "class_name" not in config or "config" not in config:
        return {key: recurse(value) for key, value in config.items()}

    class_name = config["class_name"]
    inner = config["config"] if config["config"] is not None else {}
    if class_name in special_values.SPECIAL_CLASS_NAMES:
        return special_values.decode(class_name, inner, recurse, safe_mode)

    module = config.get("module")
    registered_name = config.get("registered_name", class_name)
    if class_name == "function":
        if not isinstance(inner, str):
            raise TypeError(
                "Expected 'config' to be a non-null str for a function classname,\n"
                f"instead got {type(inner)}\nFull config: {config}"
            )
        return retrieve(inner, registered_name, module, "function", config, custom_objects)
    if not isinstance(inner, dict):
        raise TypeError(
            f"Expected 'config' to be a dict for {class_name},\n"
            f"instead got {type(inner)}\nFull config: {config}"
        )
    if "shared_object_id" in config:
        shared = sharing.shared_object(config["shared_object_id"])
        if shared is not None:
            return shared
    cls = retrieve(class_name, registered_name, module, "class", config, custom_objects)
    if isinstance(cls, types.FunctionType):
        return cls
    instance = instantiate(cls, inner, config, custom_objects, safe_mode)
    if "shared_object_id" in config:
        sharing.record_deserialized(instance, config["shared_object_id"])
    return instance


def instantiate(cls: Any, inner: dict, config: dict, custom_objects: Mapping[str, Any],
                safe_mode: bool) -> Any:
    """``cls.from_config(inner)`` with the caller's custom objects and safe mode in scope,
    then ``build_from_config`` / ``compile_from_config`` when the config has them."""
    if not hasattr(cls, "from_config"):
        raise TypeError(
            f"Unable to reconstruct an instance of '{config['class_name']}' because the class "
            f"is missing a `from_config()` method. Full object config: {config}"
        )
    with CustomObjectScope(custom_objects), SafeModeScope(safe_mode):
        try:
            instance = cls.from_config(inner)
        except TypeError as e:
            raise TypeError(
                f"{cls} could not be deserialized properly. Please ensure that components "
                "that are Python object instances (layers, models, etc.) returned by "
                "`get_config()` are explicitly deserialized in the model's `from_config()` "
                f"method.\n\nconfig={config}.\n\nException encountered: {e}"
            ) from e
        build_config = config.get("build_config")
        if build_config and not instance.built:
            instance.build_from_config(build_config)
            instance.built = True
        compile_config = config.get("compile_config")
        if compile_config:
            instance.compile_from_config(compile_config)
            instance.compiled = True
    return instance


def retrieve(name: str, registered_name: Any, module: Any, obj_type: str, config: dict,
             custom_objects: Mapping[str, Any]) -> Any:
    """The class or function a config names (resolution order: module docstring)."""
    custom = get_registered_object(name if obj_type == "function" else registered_name,
                                   custom_objects=custom_objects)
    if custom is not None:
        return custom
    if module == "keras" or (isinstance(module, str) and module.startswith("keras.")):
        api_name = f"{module}.{name}"
        if api_name in NON_MODELING_APIS:
            raise ValueError(
                f"Cannot deserialize `{api_name}` because it is not a modeling function. "
                "Non-modeling APIs are disallowed during deserialization for security. Model "
                "configuration should only contains operations, layers, metrics, losses, or "
                "registered custom objects and functions."
            )
        obj = builtins.lookup(module, name)
        if obj is not None:
            _check_builtin_registered_name(config, name, api_name)
            return obj
        # Upstream would import the module here; we can only tell whether it exists.
        if builtins.is_known_module(module):
            raise ValueError(
                f"Could not deserialize '{api_name}' because it is not a KerasSaveable subclass"
            )
        raise TypeError(
            f"Could not deserialize {obj_type} '{name}' because its parent module {module} "
            f"cannot be imported. Full object config: {config}"
        )
    if obj_type == "function" and module == "builtins":
        obj = builtins.lookup_function(name)
        if obj is not None:
            _check_builtin_registered_name(config, name, name)
            return obj
        # Files from Keras <= 3.6 name registered functions without their package.
        if ">" not in name:
            for key, candidate in custom_objects.items():
                if key.endswith(f">{name}"):
                    return candidate
    raise TypeError(
        f"Could not locate {obj_type} '{name}'. Make sure custom classes and functions are "
        "decorated with `@keras.saving.register_keras_serializable()`. If they are already "
        "decorated, make sure they are all imported so that the decorator is run before "
        f"trying to load them. Full object config: {config}"
    )


def _check_builtin_registered_name(config: dict, name: str, resolved: str) -> None:
    explicit = config.get("registered_name")
    if not explicit or explicit in (name, config.get("class_name")):
        return
    raise ValueError(
        f"`registered_name={explicit!r}` was provided in the config, but '{resolved}' resolved "
        "to a Keras built-in and does not use registered names. Remove the `registered_name` "
        f"field from the config. Full object config: {config}"
    )
