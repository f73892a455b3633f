"""Configs as JSON-ready data, in upstream Keras 3's format (``specs/serialization.md``).

Public API::

    serialize_keras_object(obj) -> dict | plain value
    deserialize_keras_object(config, custom_objects=None, safe_mode=True)
    register_keras_serializable(package="Custom", name=None)
    CustomObjectScope / custom_object_scope, SafeModeScope, enable_unsafe_deserialization
    get_registered_name, get_registered_object, get_custom_objects

Packages declare their public classes and functions with :func:`builtin`
(``@builtin("keras.regularizers")``) so that configs name them as upstream does.
"""

from refkeras.serialization.builtins import (
    PublicName,
    builtin,
    lookup,
    public_name,
    register_builtin,
)
from refkeras.serialization.deserialize import deserialize_keras_object
from refkeras.serialization.registration import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from refkeras.serialization.safe_mode import (
    SafeModeScope,
    enable_unsafe_deserialization,
    in_safe_mode,
)
from refkeras.serialization.serialize import serialize_dict, serialize_keras_object
from refkeras.serialization.sharing import ObjectSharingScope

__all__ = [
    "CustomObjectScope", "ObjectSharingScope", "PublicName", "SafeModeScope", "builtin",
    "custom_object_scope", "deserialize_keras_object", "enable_unsafe_deserialization",
    "get_custom_objects", "get_registered_name", "get_registered_object", "in_safe_mode",
    "lookup", "public_name", "register_builtin", "register_keras_serializable",
    "serialize_dict", "serialize_keras_object",
]
