"""Activation lookup: ``get``, ``serialize`` and ``deserialize``.

Built-in activations serialize as their plain name (``"relu"``); other
functions as a ``"function"`` config; activation objects (layers) as their
full config.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping
from typing import Any

from refkeras.activations import standard
from refkeras.activations.relu import relu
from refkeras.serialization import (
    deserialize_keras_object,
    get_registered_name,
    register_builtin,
    serialize_keras_object,
)

_FUNCTIONS = (
    relu, standard.leaky_relu, standard.relu6, standard.softmax, standard.celu, standard.elu,
    standard.selu, standard.softplus, standard.softsign, standard.squareplus,
    standard.soft_shrink, standard.sparse_plus, standard.silu, standard.gelu, standard.glu,
    standard.tanh, standard.tanh_shrink, standard.threshold, standard.sigmoid,
    standard.sparse_sigmoid, standard.exponential, standard.hard_sigmoid, standard.hard_silu,
    standard.hard_tanh, standard.hard_shrink, standard.linear, standard.mish,
    standard.log_softmax, standard.log_sigmoid, standard.sparsemax,
)
_ALIASES = {"swish": standard.silu, "hard_swish": standard.hard_silu}

ALL_OBJECTS_DICT: dict[str, Callable] = {fn.__name__: fn for fn in _FUNCTIONS}
ALL_OBJECTS_DICT.update(_ALIASES)

# Aliases are not registered: upstream resolves only canonical names from configs.
for _fn in _FUNCTIONS:
    register_builtin("keras.activations", _fn)
del _fn


def serialize(activation: Any) -> Any:
    """The plain name of a built-in activation, else its full config.

    >>> serialize(relu)
    'relu'
    """
    config = serialize_keras_object(activation)
    if not isinstance(config, dict) or "config" not in config:
        raise ValueError(
            f"Unknown activation function '{activation}' cannot be serialized due to invalid "
            "function name. Make sure to use an activation name that matches the references "
            "defined in activations.py or use `@keras.saving.register_keras_serializable()`to "
            f"register any custom activations. config={config}"
        )
    if not isinstance(activation, types.FunctionType):
        return config  # an activation object, such as a layer
    name = config["config"]
    if isinstance(name, str) and ALL_OBJECTS_DICT.get(name) is activation:
        return name
    if isinstance(name, str):
        config["config"] = get_registered_name(activation)
    return config


def deserialize(config: Any, custom_objects: Mapping[str, Any] | None = None) -> Any:
    """The activation named or described by ``config``."""
    return deserialize_keras_object(config, module_objects=ALL_OBJECTS_DICT,
                                    custom_objects=custom_objects)


def get(identifier: Any) -> Callable:
    """An activation callable from None (``linear``), a name, a config dict or a callable.

    >>> get("swish") is get("silu")
    True
    """
    if identifier is None:
        return standard.linear
    if isinstance(identifier, dict):
        obj = deserialize_keras_object(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier)
    else:
        obj = identifier
    if callable(obj):
        return obj
    raise ValueError(f"Could not interpret activation function identifier: {identifier}")
