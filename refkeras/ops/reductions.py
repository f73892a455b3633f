"""Reductions over axes: ``sum``, ``mean``, ``max``, ``min``, ``argmax``.

``axis=None`` reduces over every axis; ``keepdims=True`` keeps reduced axes
with size 1. Dtypes: ``sum`` widens bool/int8/int16 to int32 and
uint8/uint16 to uint32; ``mean`` of integers or bools is a float (at least
float32); ``max``/``min`` keep the dtype; ``argmax`` gives int32.
"""

from __future__ import annotations

from typing import Any

from refkeras.backend import numeric
from refkeras.backend.dtypes import standardize_dtype
from refkeras.backend.promotion import result_type
from refkeras.graph.keras_tensor import KerasTensor, any_symbolic_tensors
from refkeras.graph.operation import Operation
from refkeras.ops.operands import sparse_of
from refkeras.ops.shapes import reduce_shape

_SUM_ACCUMULATOR = {"bool": "int32", "int8": "int32", "int16": "int32",
                    "uint8": "uint32", "uint16": "uint32"}


class Reduction(Operation):
    """Base of reductions; ``axis`` is stored as a list (an int becomes ``[axis]``)."""

    kernel: Any = None
    keeps_sparse = False

    def __init__(self, axis: Any = None, keepdims: bool = False, *, name: str | None = None):
        super().__init__(name=name)
        self.axis = [axis] if isinstance(axis, int) else axis
        self.keepdims = keepdims

    def call(self, x: Any) -> Any:
        return type(self).kernel(x, axis=self.axis, keepdims=self.keepdims)

    def result_dtype(self, dtype: str) -> str:
        return dtype

    def compute_output_spec(self, x: Any) -> KerasTensor:
        shape = reduce_shape(x.shape, axis=self.axis, keepdims=self.keepdims)
        sparse = self.keeps_sparse and sparse_of(x)
        return KerasTensor(shape, dtype=self.result_dtype(x.dtype), sparse=sparse)


class Sum(Reduction):
    kernel = staticmethod(numeric.sum)
    keeps_sparse = True

    def result_dtype(self, dtype: str) -> str:
        dtype = result_type(dtype)
        return _SUM_ACCUMULATOR.get(dtype, dtype)


class Mean(Reduction):
    kernel = staticmethod(numeric.mean)
    keeps_sparse = True

    def result_dtype(self, dtype: str) -> str:
        dtype = standardize_dtype(dtype)
        if "int" in dtype or dtype == "bool":
            return result_type(dtype, "float32")
        return dtype


class _Extremum(Reduction):
    def __init__(self, axis: Any = None, keepdims: bool = False, initial: Any = None, *,
                 name: str | None = None):
        super().__init__(axis=axis, keepdims=keepdims, name=name)
        self.initial = initial

    def call(self, x: Any) -> Any:
        return type(self).kernel(x, axis=self.axis, keepdims=self.keepdims,
                                 initial=self.initial)


class Max(_Extremum):
    kernel = staticmethod(numeric.max)


class Min(_Extremum):
    kernel = staticmethod(numeric.min)


class Argmax(Reduction):
    kernel = staticmethod(numeric.argmax)

    def __init__(self, axis: Any = None, keepdims: bool = False, *, name: str | None = None):
        super().__init__(axis=axis, keepdims=keepdims, name=name)
        self.axis = axis  # a single axis, passed through as given

    def result_dtype(self, dtype: str) -> str:
        return "int32"


def sum(x: Any, axis: Any = None, keepdims: bool = False) -> Any:  # noqa: A001
    """Sum of the elements over ``axis`` (all axes when None)."""
    if any_symbolic_tensors((x,)):
        return Sum(axis=axis, keepdims=keepdims).symbolic_call(x)
    return numeric.sum(x, axis=axis, keepdims=keepdims)


def mean(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Arithmetic mean over ``axis``, accumulated in at least float32."""
    if any_symbolic_tensors((x,)):
        return Mean(axis=axis, keepdims=keepdims).symbolic_call(x)
    return numeric.mean(x, axis=axis, keepdims=keepdims)


def max(x: Any, axis: Any = None, keepdims: bool = False, initial: Any = None) -> Any:  # noqa: A001
    """Maximum over ``axis``; ``initial`` (if given) is included as a candidate."""
    if any_symbolic_tensors((x,)):
        return Max(axis=axis, keepdims=keepdims, initial=initial).symbolic_call(x)
    return numeric.max(x, axis=axis, keepdims=keepdims, initial=initial)


def min(x: Any, axis: Any = None, keepdims: bool = False, initial: Any = None) -> Any:  # noqa: A001
    """Minimum over ``axis``; ``initial`` (if given) is included as a candidate."""
    if any_symbolic_tensors((x,)):
        return Min(axis=axis, keepdims=keepdims, initial=initial).symbolic_call(x)
    return numeric.min(x, axis=axis, keepdims=keepdims, initial=initial)


def argmax(x: Any, axis: int | None = None, keepdims: bool = False) -> Any:
    """Index (int32) of the largest element along ``axis`` (of the flattened ``x`` if None)."""
    if any_symbolic_tensors((x,)):
        return Argmax(axis=axis, keepdims=keepdims).symbolic_call(x)
    return numeric.argmax(x, axis=axis, keepdims=keepdims)
