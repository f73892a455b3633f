"""Conversions: ``cast``, ``convert_to_tensor`` and ``convert_to_numpy``."""

from __future__ import annotations

from typing import Any

import numpy as np

from refkeras import backend
from refkeras.backend.dtypes import standardize_dtype
from refkeras.graph.keras_tensor import KerasTensor, any_symbolic_tensors
from refkeras.graph.operation import Operation


class Cast(Operation):
    def __init__(self, dtype: Any, *, name: str | None = None):
        super().__init__(name=name)
        self.dtype = dtype

    def call(self, x: Any) -> Any:
        return backend.cast(x, self.dtype)

    def compute_output_spec(self, x: Any) -> KerasTensor:
        return KerasTensor(x.shape, dtype=self.dtype)


class ConvertToTensor(Operation):
    def __init__(self, dtype: Any = None, sparse: Any = None, ragged: Any = None, *,
                 name: str | None = None):
        super().__init__(name=name)
        self.dtype = dtype
        self.sparse = sparse
        self.ragged = ragged

    def call(self, x: Any) -> Any:
        return backend.convert_to_tensor(x, dtype=self.dtype, sparse=self.sparse)

    def compute_output_spec(self, x: Any) -> KerasTensor:
        dtype = standardize_dtype(x.dtype) if self.dtype is None else self.dtype
        # An explicit `sparse=False` / `ragged=False` densifies; otherwise the kind is kept.
        sparse = False if (self.sparse is not None and not self.sparse) else x.sparse
        ragged = False if (self.ragged is not None and not self.ragged) else x.ragged
        return KerasTensor(x.shape, dtype=dtype, sparse=bool(sparse), ragged=bool(ragged))


def cast(x: Any, dtype: Any) -> Any:
    """``x`` converted to ``dtype`` (floats truncate towards zero when cast to ints)."""
    dtype = standardize_dtype(dtype)
    if any_symbolic_tensors((x,)):
        return Cast(dtype=dtype)(x)
    return backend.cast(x, dtype)


def convert_to_tensor(x: Any, dtype: Any = None, sparse: Any = None, ragged: Any = None) -> Any:
    """``x`` (array-like, scalar or tensor) as a backend tensor, of ``dtype`` if given.

    Backend tensors of the right dtype are returned unchanged.
    """
    dtype = None if dtype is None else standardize_dtype(dtype)
    if any_symbolic_tensors((x,)):
        return ConvertToTensor(dtype=dtype, sparse=sparse, ragged=ragged)(x)
    return backend.convert_to_tensor(x, dtype=dtype, sparse=sparse)


def convert_to_numpy(x: Any) -> np.ndarray:
    """``x`` as a NumPy array; a KerasTensor raises ``ValueError`` (it holds no values)."""
    if isinstance(x, KerasTensor):
        return np.array(x)  # raises KerasTensor's own explanation
    return backend.convert_to_numpy(x)
