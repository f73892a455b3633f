"""Deterministic initializers: ``Constant``, ``Zeros``, ``Ones``, ``Identity``."""

from __future__ import annotations

from typing import Any

from refkeras import backend
from refkeras.initializers.base import Initializer
from refkeras.initializers.config_values import deserialize_value, serialize_value


class Constant(Initializer):
    """Fills the tensor with ``value``, cast to the requested dtype.

    Args:
        value: a scalar (or anything that broadcasts to the shape).

    >>> Constant(3.0)((2, 2))  # doctest: +SKIP
    """

    def __init__(self, value: Any = 0.0):
        self.value = value

    def __call__(self, shape: Any, dtype: Any = None) -> Any:
        dtype = backend.standardize_dtype(dtype)
        # value cast on its own, then broadcast by multiplying with ones (exact).
        return backend.cast(self.value, dtype) * backend.numeric.ones(shape, dtype=dtype)

    def get_config(self) -> dict:
        return {"value": serialize_value(self.value)}

    @classmethod
    def from_config(cls, config: dict) -> Constant:
        return cls(deserialize_value(config["value"]))


class Zeros(Initializer):
    """Fills the tensor with 0 (any numeric or bool dtype)."""

    def __call__(self, shape: Any, dtype: Any = None) -> Any:
        return backend.numeric.zeros(shape, dtype=backend.standardize_dtype(dtype))


class Ones(Initializer):
    """Fills the tensor with 1 (any numeric or bool dtype)."""

    def __call__(self, shape: Any, dtype: Any = None) -> Any:
        return backend.numeric.ones(shape, dtype=backend.standardize_dtype(dtype))


class Identity(Initializer):
    """``gain`` times the identity matrix; only for 2-D shapes (rectangular allowed).

    Note: like upstream Keras 3.15, ``get_config()`` is empty, so ``gain`` is
    not kept by serialization (a deserialized Identity has gain 1).

    Args:
        gain: the value on the diagonal.
    """

    def __init__(self, gain: float = 1.0):
        self.gain = gain

    def __call__(self, shape: Any, dtype: Any = None) -> Any:
        if len(shape) != 2:
            raise ValueError(
                "Identity matrix initializer can only be used for 2D matrices. "
                f"Received: shape={shape} of rank {len(shape)}. "
                "Use it for Dense-style (rows, cols) kernels only."
            )
        dtype = backend.standardize_dtype(dtype)
        # Python scalar times native tensor: the backend's own weak-type rules keep `dtype`.
        return self.gain * backend.numeric.eye(*shape, dtype=dtype)
