"""Matrix products: ``matmul`` (``@``, batch dims broadcast) and ``dot`` (NumPy's dot)."""

from __future__ import annotations

from typing import Any

from refkeras.backend import numeric
from refkeras.backend.dtypes import standardize_dtype
from refkeras.backend.promotion import result_type
from refkeras.graph.keras_tensor import KerasTensor, any_symbolic_tensors
from refkeras.graph.operation import Operation
from refkeras.ops.arithmetic import multiply
from refkeras.ops.operands import dtype_of, shape_of, sparse_of
from refkeras.ops.shapes import dot_shape, matmul_shape


class Matmul(Operation):
    def call(self, x1: Any, x2: Any) -> Any:
        return numeric.matmul(x1, x2)

    def compute_output_spec(self, x1: Any, x2: Any) -> KerasTensor:
        shape = matmul_shape(shape_of(x1), shape_of(x2))
        dtype1, dtype2 = standardize_dtype(dtype_of(x1)), standardize_dtype(dtype_of(x2))
        # int8 @ int8 accumulates in int32 (the fast integer kernels do).
        both_int8 = dtype1 == "int8" and dtype2 == "int8"
        dtype = "int32" if both_int8 else result_type(dtype1, dtype2)
        return KerasTensor(shape, dtype=dtype, sparse=sparse_of(x1, True) and sparse_of(x2, True))


class Dot(Operation):
    def call(self, x1: Any, x2: Any) -> Any:
        return numeric.dot(x1, x2)

    def compute_output_spec(self, x1: Any, x2: Any) -> Any:
        shape1, shape2 = shape_of(x1), shape_of(x2)
        if not shape1 or not shape2:
            # A scalar operand makes dot a plain product (recorded as a multiply).
            return multiply(x1, x2)
        dtype = result_type(dtype_of(x1), dtype_of(x2))
        return KerasTensor(dot_shape(shape1, shape2), dtype=dtype)


def matmul(x1: Any, x2: Any) -> Any:
    """Matrix product ``x1 @ x2``; leading (batch) dims broadcast, 1-D operands act as vectors.

    >>> matmul(ones((8, 2, 3)), ones((3, 4))).shape  # doctest: +SKIP
    (8, 2, 4)
    """
    if any_symbolic_tensors((x1, x2)):
        return Matmul().symbolic_call(x1, x2)
    return numeric.matmul(x1, x2)


def dot(x1: Any, x2: Any) -> Any:
    """NumPy's ``dot``: sums over the last axis of ``x1`` and the second-last of ``x2``."""
    if any_symbolic_tensors((x1, x2)):
        return Dot().symbolic_call(x1, x2)
    return numeric.dot(x1, x2)
