"""Loss lookup: ``get``, ``serialize`` and ``deserialize``.

``get`` accepts the class names (``"MeanSquaredError"``: a default instance),
the function names (``"mean_squared_error"``: the function itself) and the
short aliases ``"mse"``, ``"mae"``, ``"mape"``, ``"msle"``, ``"bce"`` (and
their upper-case forms), which name functions.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

from refkeras.losses import crossentropy, regression
from refkeras.losses.loss import Loss
from refkeras.losses.wrapper import LossFunctionWrapper
from refkeras.serialization import deserialize_keras_object, serialize_keras_object

_OBJECTS = (
    Loss, LossFunctionWrapper,
    regression.MeanSquaredError, regression.MeanAbsoluteError,
    regression.MeanAbsolutePercentageError, regression.MeanSquaredLogarithmicError,
    regression.Huber, regression.LogCosh,
    crossentropy.BinaryCrossentropy, crossentropy.CategoricalCrossentropy,
    crossentropy.SparseCategoricalCrossentropy,
    regression.mean_squared_error, regression.mean_absolute_error,
    regression.mean_absolute_percentage_error, regression.mean_squared_logarithmic_error,
    regression.huber, regression.log_cosh,
    crossentropy.binary_crossentropy, crossentropy.categorical_crossentropy,
    crossentropy.sparse_categorical_crossentropy,
)

ALL_OBJECTS_DICT: dict[str, Any] = {obj.__name__: obj for obj in _OBJECTS}
for _alias, _fn in (("bce", crossentropy.binary_crossentropy),
                    ("mae", regression.mean_absolute_error),
                    ("mse", regression.mean_squared_error),
                    ("mape", regression.mean_absolute_percentage_error),
                    ("msle", regression.mean_squared_logarithmic_error)):
    ALL_OBJECTS_DICT[_alias] = ALL_OBJECTS_DICT[_alias.upper()] = _fn


def serialize(loss: Any) -> Any:
    """The config of a loss object, or the function entry of a loss function."""
    return serialize_keras_object(loss)


def deserialize(name: Any, custom_objects: Mapping[str, Any] | None = None) -> Any:
    """A loss from :func:`serialize`'s output or a name."""
    return deserialize_keras_object(name, module_objects=ALL_OBJECTS_DICT,
                                    custom_objects=custom_objects)


def get(identifier: Any) -> Any:
    """A loss from None (None), a name, a config dict, a class (instantiated) or a callable.

    >>> get("mse").__name__
    'mean_squared_error'
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier)
    else:
        obj = identifier
    if not callable(obj):
        raise ValueError(f"Could not interpret loss identifier: {identifier}")
    return obj() if inspect.isclass(obj) else obj
