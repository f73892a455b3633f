"""``InputLayer`` and ``Input()``: the entry points of a functional graph."""

from __future__ import annotations

import warnings
from typing import Any

from refkeras import backend
from refkeras.graph.keras_tensor import KerasTensor
from refkeras.graph.node import Node
from refkeras.layers.layer import Layer
from refkeras.serialization import builtin

# Which input kinds the backend accepts, if it says (upstream: sparse on JAX and
# TensorFlow, ragged on TensorFlow only).
_SUPPORTS_SPARSE = backend.impl.SUPPORTS_SPARSE_TENSORS
_SUPPORTS_RAGGED = backend.impl.SUPPORTS_RAGGED_TENSORS


@builtin("keras.layers")
class InputLayer(Layer):
    """A layer with no computation that owns a graph's input KerasTensor (``output``).

    Give ``shape`` (without the batch axis) and optionally ``batch_size``, or
    the full ``batch_shape``, or an existing KerasTensor as ``input_tensor``.
    """

    def __init__(self, shape: Any = None, batch_size: int | None = None, dtype: Any = None,
                 sparse: bool | None = None, ragged: bool | None = None,
                 batch_shape: Any = None, input_tensor: Any = None, optional: bool = False,
                 name: str | None = None, **kwargs: Any):
        super().__init__(name=name)
        if "input_shape" in kwargs:
            warnings.warn("Argument `input_shape` is deprecated. Use `shape` instead.",
                          stacklevel=2)
            shape = kwargs.pop("input_shape")
        if "batch_input_shape" in kwargs:
            batch_shape = kwargs.pop("batch_input_shape")
        if input_tensor is not None:
            _check_against_tensor(input_tensor, shape, batch_size, batch_shape, dtype, sparse)
            batch_shape, dtype, sparse = (input_tensor.shape, input_tensor.dtype,
                                          input_tensor.sparse)
        else:
            batch_shape = _batch_shape(shape, batch_size, batch_shape)
        self._batch_shape = backend.standardize_shape(batch_shape)
        self._dtype = backend.standardize_dtype(dtype)
        self.sparse = bool(sparse)
        if self.sparse and not _SUPPORTS_SPARSE:
            raise ValueError(f"`sparse=True` is not supported with the {backend.backend()} "
                             "backend")
        self.ragged = bool(ragged)
        if self.ragged and not _SUPPORTS_RAGGED:
            raise ValueError(f"`ragged=True` is not supported with the {backend.backend()} "
                             "backend")
        if input_tensor is None:
            input_tensor = KerasTensor(shape=batch_shape, dtype=dtype, sparse=sparse,
                                       ragged=ragged, name=name)
        self._input_tensor = input_tensor
        Node(operation=self, call_args=(), call_kwargs={}, outputs=input_tensor)
        self.built = True
        self.optional = optional

    def call(self) -> None:
        return None

    @property
    def batch_shape(self) -> tuple:
        """The input's shape, batch axis included."""
        return self._batch_shape

    @property
    def dtype(self) -> str:
        return self._dtype

    def get_config(self) -> dict:
        return {"batch_shape": self.batch_shape, "dtype": self.dtype, "sparse": self.sparse,
                "ragged": self.ragged, "name": self.name, "optional": self.optional}


def _batch_shape(shape: Any, batch_size: Any, batch_shape: Any) -> Any:
    if shape is not None and batch_shape is not None:
        raise ValueError("You cannot pass both `shape` and `batch_shape` at the same time.")
    if batch_size is not None and batch_shape is not None:
        raise ValueError("You cannot pass both `batch_size` and `batch_shape` at the same time.")
    if shape is None and batch_shape is None:
        raise ValueError("You must pass a `shape` argument.")
    if shape is not None:
        return (batch_size,) + backend.standardize_shape(shape)
    return batch_shape


def _check_against_tensor(tensor: Any, shape: Any, batch_size: Any, batch_shape: Any,
                          dtype: Any, sparse: Any) -> None:
    if not isinstance(tensor, KerasTensor):
        raise ValueError(
            "Argument `input_tensor` must be a KerasTensor. Received invalid type: "
            f"input_tensor={tensor} (of type {type(tensor)})"
        )
    conflicts = [
        ("batch_size", batch_size is not None
         and (len(tensor.shape) < 1 or tensor.shape[0] != batch_size)),
        ("shape", shape is not None
         and (len(shape) != len(tensor.shape) - 1 or shape != tensor.shape[1:])),
        ("batch_shape", batch_shape is not None and batch_shape != tensor.shape),
        ("dtype", dtype is not None and tensor.dtype != dtype),
        ("sparse", sparse is not None and tensor.sparse != sparse),
    ]
    for argument, conflicting in conflicts:
        if conflicting:
            raise ValueError(
                "When providing the `input_tensor` argument, you cannot provide an "
                f"incompatible `{argument}` argument."
            )


def Input(shape: Any = None, batch_size: int | None = None, dtype: Any = None,
          sparse: bool | None = None, ragged: bool | None = None, batch_shape: Any = None,
          name: str | None = None, tensor: Any = None, optional: bool = False) -> KerasTensor:
    """A symbolic input: the KerasTensor of a new ``InputLayer``.

    >>> x = Input(shape=(32,))
    >>> x.shape
    (None, 32)
    """
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse,
                       ragged=ragged, batch_shape=batch_shape, name=name,
                       input_tensor=tensor, optional=optional)
    return layer.output
