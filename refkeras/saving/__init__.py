"""Saving and loading models: ``.keras`` archives and ``.weights.h5`` files.

The files are byte-for-byte readable by upstream Keras 3.15 (and vice versa);
``specs/saving.md`` describes both formats in full.

Public API::

    save_model(model, "m.keras")            model.save("m.keras")
    load_model("m.keras", custom_objects=None, compile=True, safe_mode=True)
    save_weights(model, "m.weights.h5")     model.save_weights(...)
    load_weights(model, "m.weights.h5" | "m.keras", skip_mismatch=False)
"""

import sys

from refkeras.models import persistence
from refkeras.saving.load import load_model as load_model
from refkeras.saving.load import load_weights as load_weights
from refkeras.saving.save import save_model as save_model
from refkeras.saving.save import save_weights as save_weights
from refkeras.serialization import (  # keras.saving also exposes the config API
    CustomObjectScope,
    SafeModeScope,
    custom_object_scope,
    deserialize_keras_object,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    serialize_keras_object,
)

persistence.register(sys.modules[__name__])

__all__ = [
    "CustomObjectScope", "SafeModeScope", "custom_object_scope", "deserialize_keras_object",
    "get_custom_objects", "get_registered_name", "get_registered_object", "load_model",
    "load_weights", "register_keras_serializable", "save_model", "save_weights",
    "serialize_keras_object",
]
