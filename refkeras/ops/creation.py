"""Tensors made from a shape (``zeros``, ``ones``, ``eye``) or shaped like another."""

from __future__ import annotations

from typing import Any

from refkeras.backend import numeric
from refkeras.backend.dtypes import FLOAT_TYPES, standardize_dtype
from refkeras.graph.keras_tensor import KerasTensor, any_symbolic_tensors
from refkeras.graph.operation import Operation
from refkeras.ops.operands import sparse_of


def zeros(shape: Any, dtype: Any = None) -> Any:
    """A tensor of zeros of ``shape`` (dtype ``floatx()`` unless given)."""
    return numeric.zeros(shape, dtype=dtype)


def ones(shape: Any, dtype: Any = None) -> Any:
    """A tensor of ones of ``shape`` (dtype ``floatx()`` unless given)."""
    return numeric.ones(shape, dtype=dtype)


def _is_float(value: Any) -> bool:
    return isinstance(value, float) or getattr(value, "dtype", None) in FLOAT_TYPES


def eye(N: Any, M: Any = None, k: int = 0, dtype: Any = None) -> Any:  # noqa: N803
    """An ``N x M`` matrix (``M`` defaults to ``N``) with ones on diagonal ``k``.

    >>> eye(2, 3, k=1)  # doctest: +SKIP
    [[0., 1., 0.], [0., 0., 1.]]
    """
    if _is_float(N):
        raise TypeError("Argument `N` must be an integer or an integer tensor.")
    if _is_float(M):
        raise TypeError("Argument `M` must be an integer, an integer tensor, or `None`.")
    return numeric.eye(N, M, k=k, dtype=dtype)


class _Like(Operation):
    def __init__(self, dtype: Any = None, *, name: str | None = None):
        super().__init__(name=name)
        self.dtype = dtype

    def compute_output_spec(self, x: Any) -> KerasTensor:
        dtype = standardize_dtype(x.dtype) if self.dtype is None else self.dtype
        return KerasTensor(x.shape, dtype=dtype, sparse=sparse_of(x))


class ZerosLike(_Like):
    def call(self, x: Any) -> Any:
        return numeric.zeros_like(x, dtype=self.dtype)


class OnesLike(_Like):
    def call(self, x: Any) -> Any:
        return numeric.ones_like(x, dtype=self.dtype)


def zeros_like(x: Any, dtype: Any = None) -> Any:
    """Zeros with the shape of ``x`` and its dtype (or ``dtype``)."""
    dtype = None if dtype is None else standardize_dtype(dtype)
    if any_symbolic_tensors((x,)):
        return ZerosLike(dtype=dtype).symbolic_call(x)
    return numeric.zeros_like(x, dtype=dtype)


def ones_like(x: Any, dtype: Any = None) -> Any:
    """Ones with the shape of ``x`` and its dtype (or ``dtype``)."""
    dtype = None if dtype is None else standardize_dtype(dtype)
    if any_symbolic_tensors((x,)):
        return OnesLike(dtype=dtype).symbolic_call(x)
    return numeric.ones_like(x, dtype=dtype)
