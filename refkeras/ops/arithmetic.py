"""Binary arithmetic: ``+ - * / // % **`` as ops that broadcast and promote.

Output shape: the broadcast of the operands' shapes. Output dtype: the
promotion of their dtypes (``backend/promotion.py``), Python scalars weak.
"""

from __future__ import annotations

from typing import Any

from refkeras.backend import numeric
from refkeras.backend.promotion import result_type
from refkeras.graph.keras_tensor import KerasTensor, any_symbolic_tensors
from refkeras.graph.operation import Operation
from refkeras.ops.operands import dtype_of, shape_of, sparse_of
from refkeras.ops.shapes import broadcast_shapes


class BroadcastingBinary(Operation):
    """Base of element-wise ops on two broadcast operands.

    Subclasses set ``kernel`` (the backend function) and may override
    ``result_dtype`` and ``result_sparse``.
    """

    kernel: Any = None

    def call(self, x1: Any, x2: Any) -> Any:
        return type(self).kernel(x1, x2)

    def result_dtype(self, dtype1: Any, dtype2: Any) -> str:
        return result_type(dtype1, dtype2)

    def result_sparse(self, x1: Any, x2: Any) -> bool:
        # Adding two sparse tensors keeps the zeros; anything else densifies.
        return sparse_of(x1) and sparse_of(x2)

    def compute_output_spec(self, x1: Any, x2: Any) -> KerasTensor:
        shape = broadcast_shapes(shape_of(x1), shape_of(x2))
        dtype = self.result_dtype(dtype_of(x1), dtype_of(x2))
        return KerasTensor(shape, dtype=dtype, sparse=self.result_sparse(x1, x2))


class Add(BroadcastingBinary):
    kernel = staticmethod(numeric.add)


class Subtract(BroadcastingBinary):
    kernel = staticmethod(numeric.subtract)


class Multiply(BroadcastingBinary):
    kernel = staticmethod(numeric.multiply)

    def result_sparse(self, x1: Any, x2: Any) -> bool:
        # A zero times anything is zero, so one sparse factor keeps the product
        # sparse. Operands without a `sparse` attribute (Python scalars) count
        # as sparse here, as they do upstream.
        return sparse_of(x1, True) or sparse_of(x2, True)


class Divide(BroadcastingBinary):
    kernel = staticmethod(numeric.divide)

    def result_dtype(self, dtype1: Any, dtype2: Any) -> str:
        return result_type(dtype1, dtype2, float)  # true division: ints give floats

    def result_sparse(self, x1: Any, x2: Any) -> bool:
        return sparse_of(x1) and not sparse_of(x2)


class TrueDivide(Divide):
    kernel = staticmethod(numeric.true_divide)


class Power(BroadcastingBinary):
    kernel = staticmethod(numeric.power)

    def result_sparse(self, x1: Any, x2: Any) -> bool:
        return False


class FloorDivide(Power):
    kernel = staticmethod(numeric.floor_divide)


class Mod(Power):
    kernel = staticmethod(numeric.mod)

    def result_dtype(self, dtype1: Any, dtype2: Any) -> str:
        dtype = result_type(dtype1, dtype2)
        return "int32" if dtype == "bool" else dtype


def add(x1: Any, x2: Any) -> Any:
    """``x1 + x2``, element-wise with broadcasting.

    >>> add(ones((2, 3)), 1.0).shape  # doctest: +SKIP
    (2, 3)
    """
    if any_symbolic_tensors((x1, x2)):
        return Add().symbolic_call(x1, x2)
    return numeric.add(x1, x2)


def subtract(x1: Any, x2: Any) -> Any:
    """``x1 - x2``, element-wise with broadcasting."""
    if any_symbolic_tensors((x1, x2)):
        return Subtract().symbolic_call(x1, x2)
    return numeric.subtract(x1, x2)


def multiply(x1: Any, x2: Any) -> Any:
    """``x1 * x2``, element-wise with broadcasting."""
    if any_symbolic_tensors((x1, x2)):
        return Multiply().symbolic_call(x1, x2)
    return numeric.multiply(x1, x2)


def divide(x1: Any, x2: Any) -> Any:
    """``x1 / x2`` (true division: integer operands give a float result)."""
    if any_symbolic_tensors((x1, x2)):
        return Divide().symbolic_call(x1, x2)
    return numeric.divide(x1, x2)


def true_divide(x1: Any, x2: Any) -> Any:
    """Same as :func:`divide`; the op behind ``KerasTensor.__truediv__``."""
    if any_symbolic_tensors((x1, x2)):
        return TrueDivide().symbolic_call(x1, x2)
    return numeric.true_divide(x1, x2)


def power(x1: Any, x2: Any) -> Any:
    """``x1 ** x2``, element-wise with broadcasting."""
    if any_symbolic_tensors((x1, x2)):
        return Power().symbolic_call(x1, x2)
    return numeric.power(x1, x2)


def floor_divide(x1: Any, x2: Any) -> Any:
    """``x1 // x2``: the quotient rounded towards minus infinity."""
    if any_symbolic_tensors((x1, x2)):
        return FloorDivide().symbolic_call(x1, x2)
    return numeric.floor_divide(x1, x2)


def mod(x1: Any, x2: Any) -> Any:
    """``x1 % x2``, with the sign of ``x2`` (as Python's ``%``); bools give int32."""
    if any_symbolic_tensors((x1, x2)):
        return Mod().symbolic_call(x1, x2)
    return numeric.mod(x1, x2)
