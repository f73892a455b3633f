"""Ops that rearrange elements without computing: reshape, transpose, axes, joins.

The dtype is kept, except that joining tensors of different dtypes
(``concatenate``, ``stack``) promotes them to a common one.
"""

from __future__ import annotations

from typing import Any

from refkeras.backend import is_tensor, numeric
from refkeras.backend.promotion import result_type
from refkeras.graph.keras_tensor import KerasTensor, any_symbolic_tensors
from refkeras.graph.operation import Operation
from refkeras.ops import shapes
from refkeras.ops.operands import dtype_of, sparse_of


class Reshape(Operation):
    def __init__(self, newshape: Any, *, name: str | None = None):
        super().__init__(name=name)
        self.newshape = newshape

    def call(self, x: Any) -> Any:
        return numeric.reshape(x, self.newshape)

    def compute_output_spec(self, x: Any) -> KerasTensor:
        shape = shapes.reshape_shape(x.shape, self.newshape, "newshape")
        return KerasTensor(shape, dtype=x.dtype, sparse=sparse_of(x))


class Transpose(Operation):
    def __init__(self, axes: Any = None, *, name: str | None = None):
        super().__init__(name=name)
        self.axes = axes

    def call(self, x: Any) -> Any:
        return numeric.transpose(x, axes=self.axes)

    def compute_output_spec(self, x: Any) -> KerasTensor:
        shape = shapes.transpose_shape(x.shape, self.axes)
        return KerasTensor(shape, dtype=x.dtype, sparse=sparse_of(x))


class ExpandDims(Operation):
    def __init__(self, axis: Any, *, name: str | None = None):
        super().__init__(name=name)
        if not isinstance(axis, (int, tuple, list)):
            raise ValueError(
                "The `axis` argument to `expand_dims` should be an integer, tuple or list. "
                f"Received axis={axis}"
            )
        self.axis = axis

    def call(self, x: Any) -> Any:
        return numeric.expand_dims(x, self.axis)

    def compute_output_spec(self, x: Any) -> KerasTensor:
        shape = shapes.expand_dims_shape(x.shape, self.axis)
        return KerasTensor(shape, dtype=x.dtype, sparse=sparse_of(x))


class Squeeze(Operation):
    def __init__(self, axis: Any = None, *, name: str | None = None):
        super().__init__(name=name)
        self.axis = axis

    def call(self, x: Any) -> Any:
        return numeric.squeeze(x, axis=self.axis)

    def compute_output_spec(self, x: Any) -> KerasTensor:
        shape = shapes.squeeze_shape(x.shape, self.axis)
        return KerasTensor(shape, dtype=x.dtype, sparse=sparse_of(x))


class Concatenate(Operation):
    def __init__(self, axis: int = 0, *, name: str | None = None):
        super().__init__(name=name)
        if axis is None:
            raise ValueError("`axis` cannot be None for `concatenate`.")
        self.axis = axis

    def call(self, xs: Any) -> Any:
        return numeric.concatenate(xs, axis=self.axis)

    def compute_output_spec(self, xs: Any) -> KerasTensor:
        shape = shapes.concatenate_shape([x.shape for x in xs], self.axis)
        dtype = result_type(*(dtype_of(x) for x in xs))
        return KerasTensor(shape, dtype=dtype, sparse=all(sparse_of(x) for x in xs))


class Stack(Operation):
    def __init__(self, axis: int = 0, *, name: str | None = None):
        super().__init__(name=name)
        self.axis = axis

    def call(self, xs: Any) -> Any:
        return numeric.stack(xs, axis=self.axis)

    def compute_output_spec(self, xs: Any) -> KerasTensor:
        shape = shapes.stack_shape([x.shape for x in xs], self.axis)
        return KerasTensor(shape, dtype=result_type(*(dtype_of(x) for x in xs)))


def reshape(x: Any, newshape: Any) -> Any:
    """``x`` with its elements laid out in ``newshape``; one entry may be ``-1`` (inferred)."""
    if not is_tensor(newshape) and not isinstance(newshape, KerasTensor):
        newshape = _as_tuple(newshape)
        shapes.check_reshape_target(newshape)
    if any_symbolic_tensors((x, newshape)):
        return Reshape(newshape).symbolic_call(x)
    return numeric.reshape(x, newshape)


def _as_tuple(newshape: Any) -> tuple:
    try:
        return tuple(newshape)
    except TypeError:  # a single int
        return (newshape,)


def transpose(x: Any, axes: Any = None) -> Any:
    """``x`` with its axes permuted by ``axes`` (reversed when None)."""
    if any_symbolic_tensors((x,)):
        return Transpose(axes=axes).symbolic_call(x)
    return numeric.transpose(x, axes=axes)


def expand_dims(x: Any, axis: Any) -> Any:
    """``x`` with size-1 axes inserted at ``axis`` (an int or a sequence of ints)."""
    if any_symbolic_tensors((x,)):
        return ExpandDims(axis=axis).symbolic_call(x)
    return numeric.expand_dims(x, axis)


def squeeze(x: Any, axis: Any = None) -> Any:
    """``x`` without size-1 axes (only those listed in ``axis`` when given)."""
    if any_symbolic_tensors((x,)):
        return Squeeze(axis=axis).symbolic_call(x)
    return numeric.squeeze(x, axis=axis)


def concatenate(xs: Any, axis: int = 0) -> Any:
    """Joins the tensors ``xs`` along the existing axis ``axis``."""
    if any_symbolic_tensors(xs):
        return Concatenate(axis=axis).symbolic_call(xs)
    return numeric.concatenate(xs, axis=axis)


def stack(x: Any, axis: int = 0) -> Any:
    """Joins the same-shaped tensors ``x`` along a new axis ``axis``."""
    if any_symbolic_tensors((x,)):
        return Stack(axis=axis).symbolic_call(x)
    return numeric.stack(x, axis=axis)
