"""Values that are not Keras objects but still appear in configs.

Each is written as ``{"class_name": "__<kind>__", "config": {...}}`` (no
``module``): bytes, slices, Ellipsis, KerasTensors (graph edges in functional
configs), backend tensors, NumPy arrays, and lambdas. NumPy scalars become
plain Python numbers.
"""

from __future__ import annotations

import inspect
import types
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from refkeras import backend
from refkeras.backend.dtypes import standardize_dtype
from refkeras.graph.keras_tensor import KerasTensor
from refkeras.serialization import lambdas
from refkeras.serialization.safe_mode import LAMBDA_REFUSED

SPECIAL_CLASS_NAMES = frozenset({
    "__bytes__", "__slice__", "__ellipsis__", "__keras_tensor__", "__tensor__", "__numpy__",
    "__lambda__",
})

_NOT_SPECIAL = object()


def encode(obj: Any, serialize: Callable[[Any], Any]) -> Any:
    """The config of a special value, or ``_NOT_SPECIAL``. ``serialize`` handles parts."""
    if isinstance(obj, bytes):
        return _special("__bytes__", {"value": obj.decode("utf-8")})
    if isinstance(obj, slice):
        return _special("__slice__", {"start": serialize(obj.start), "stop": serialize(obj.stop),
                                      "step": serialize(obj.step)})
    if obj is Ellipsis:
        return _special("__ellipsis__", {})
    if isinstance(obj, KerasTensor):
        return _special("__keras_tensor__", {"shape": obj.shape, "dtype": obj.dtype,
                                             "keras_history": _history(obj)})
    if backend.is_tensor(obj):
        return _special("__tensor__", {"value": backend.convert_to_numpy(obj).tolist(),
                                       "dtype": standardize_dtype(obj.dtype)})
    if type(obj).__module__ == "numpy":
        if isinstance(obj, np.ndarray) and obj.ndim > 0:
            return _special("__numpy__", {"value": obj.tolist(),
                                          "dtype": standardize_dtype(obj.dtype)})
        return obj.item()  # NumPy scalars and 0-d arrays are plain numbers in JSON
    if isinstance(obj, types.FunctionType) and obj.__name__ == "<lambda>":
        warnings.warn(
            "The object being serialized includes a `lambda`. This is unsafe. In order to "
            "reload the object, you will have to pass `safe_mode=False` to the loading "
            "function. Please avoid using `lambda` in the future, and use named Python "
            f"functions instead. This is the `lambda` being serialized: {_source(obj)}",
            stacklevel=3,
        )
        return _special("__lambda__", {"value": lambdas.dump_function(obj)})
    return _NOT_SPECIAL


def is_special(encoded: Any) -> bool:
    return encoded is not _NOT_SPECIAL


def decode(class_name: str, inner: dict, deserialize: Callable[[Any], Any],
           safe_mode: bool) -> Any:
    """Rebuilds the special value ``class_name`` from its inner config."""
    if class_name == "__keras_tensor__":
        tensor = KerasTensor(inner["shape"], dtype=inner["dtype"])
        # Functional.from_config re-links graph edges from this history.
        tensor._pre_serialization_keras_history = inner["keras_history"]
        return tensor
    if class_name == "__tensor__":
        return backend.convert_to_tensor(inner["value"], dtype=inner["dtype"])
    if class_name == "__numpy__":
        return np.array(inner["value"], dtype=inner["dtype"])
    if class_name == "__bytes__":
        return inner["value"].encode("utf-8")
    if class_name == "__ellipsis__":
        return Ellipsis
    if class_name == "__slice__":
        return slice(deserialize(inner["start"]), deserialize(inner["stop"]),
                     deserialize(inner["step"]))
    if class_name == "__lambda__":
        if safe_mode:
            raise ValueError(LAMBDA_REFUSED)
        return lambdas.load_function(inner["value"])
    raise ValueError(f"Unknown special value class_name={class_name!r}.")


def _special(class_name: str, config: dict) -> dict:
    return {"class_name": class_name, "config": config}


def _history(tensor: KerasTensor) -> list | None:
    history = getattr(tensor, "_keras_history", None)
    if not history:
        return None
    operation, node_index, tensor_index = history
    return [operation.name if operation is not None else None, node_index, tensor_index]


def _source(fn: Any) -> str:
    try:
        return inspect.getsource(fn)
    except (OSError, TypeError):  # defined in a REPL or `python -c`
        return repr(fn)
