"""``get``, ``serialize`` and ``deserialize`` for dtype policies."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from refkeras.backend.dtypes import standardize_dtype
from refkeras.dtype_policies.dtype_policy import DTypePolicy, FloatDTypePolicy, dtype_policy
from refkeras.serialization import deserialize_keras_object, serialize_keras_object

ALL_OBJECTS_DICT = {"DTypePolicy": DTypePolicy, "FloatDTypePolicy": FloatDTypePolicy}

# Upstream's quantized policies are named "<mode>_from_<source>"; refkeras has none.
_QUANTIZATION_MODES = ("int8", "float8", "int4", "gptq", "awq")


def serialize(policy: DTypePolicy) -> dict:
    """``{"module": "keras", "class_name": "DTypePolicy", "config": {"name": ...}, ...}``."""
    return serialize_keras_object(policy)


def deserialize(config: Any, custom_objects: Mapping[str, Any] | None = None) -> Any:
    """Rebuilds a policy from :func:`serialize`'s output (or a bare class name)."""
    return deserialize_keras_object(config, module_objects=ALL_OBJECTS_DICT,
                                    custom_objects=custom_objects)


def get(identifier: Any) -> DTypePolicy:
    """A policy from None (the global one), a name, a config dict, a dtype or a policy.

    >>> get("mixed_bfloat16").compute_dtype
    'bfloat16'
    """
    if identifier is None:
        return dtype_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        if identifier.startswith(_QUANTIZATION_MODES):
            raise ValueError(
                f"Quantized dtype policies are not supported by refkeras. Received: "
                f"dtype={identifier!r}. Use a float policy such as 'float32' or 'mixed_float16'."
            )
        return DTypePolicy(identifier)
    try:
        return DTypePolicy(standardize_dtype(identifier))
    except (TypeError, ValueError):
        raise ValueError(
            "Cannot interpret `dtype` argument. Expected a string or an instance of "
            f"DTypePolicy. Received: dtype={identifier}"
        ) from None
