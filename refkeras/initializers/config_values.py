"""Turning the values inside initializer configs into JSON-friendly ones and back.

Covers what initializer configs hold: plain Python values, lists/tuples/dicts
of them, NumPy scalars and arrays, backend tensors and ``SeedGenerator``
seeds, each encoded the way upstream Keras writes it (``"__numpy__"``,
``"__tensor__"``, ``{"module": "keras.random", ...}``). Once
``refkeras.serialization`` exists these two functions defer to it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from refkeras import backend
from refkeras.random import SeedGenerator

_PLAIN = (str, int, float, bool)


def serialize_value(value: Any) -> Any:
    """``value`` as JSON-friendly data (tuples stay tuples, as upstream leaves them)."""
    if value is None or isinstance(value, _PLAIN):
        return value
    if isinstance(value, (list, tuple)):
        items = [serialize_value(v) for v in value]
        return tuple(items) if isinstance(value, tuple) else items
    if isinstance(value, dict):
        return {key: serialize_value(v) for key, v in value.items()}
    if isinstance(value, SeedGenerator):
        return {"module": "keras.random", "class_name": "SeedGenerator",
                "config": value.get_config(), "registered_name": None}
    if backend.is_tensor(value):
        return {"class_name": "__tensor__", "config": {
            "value": backend.convert_to_numpy(value).tolist(),
            "dtype": backend.standardize_dtype(value.dtype)}}
    if isinstance(value, np.ndarray) and value.ndim > 0:
        return {"class_name": "__numpy__", "config": {
            "value": value.tolist(), "dtype": backend.standardize_dtype(value.dtype)}}
    if isinstance(value, (np.generic, np.ndarray)):
        return value.item()
    raise TypeError(
        f"Cannot serialize {value!r} (of type {type(value).__name__}) inside an initializer "
        "config. Use Python scalars, lists, NumPy arrays or a SeedGenerator."
    )


def deserialize_value(config: Any) -> Any:
    """Inverse of :func:`serialize_value` (sequences come back as lists, as upstream)."""
    if isinstance(config, (list, tuple)):
        return [deserialize_value(v) for v in config]
    if not isinstance(config, dict):
        return config
    if "class_name" not in config or "config" not in config:
        return {key: deserialize_value(v) for key, v in config.items()}
    class_name, inner = config["class_name"], config["config"] or {}
    if class_name == "__numpy__":
        return np.array(inner["value"], dtype=inner["dtype"])
    if class_name == "__tensor__":
        return backend.convert_to_tensor(inner["value"], dtype=inner["dtype"])
    if class_name == "SeedGenerator":
        return SeedGenerator.from_config(inner)
    raise ValueError(
        f"Cannot deserialize an object of class_name={class_name!r} inside an initializer "
        "config; only '__numpy__', '__tensor__' and 'SeedGenerator' are understood here."
    )
