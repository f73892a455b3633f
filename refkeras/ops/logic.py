"""Comparisons, logical connectives and ``where``: element-wise, broadcasting, bool-valued.

Comparisons promote their operands before comparing (so ``int8 < 300``
compares correctly) and return ``bool``; logical ops read each operand as
its truth value.
"""

from __future__ import annotations

from typing import Any

from refkeras.backend import numeric
from refkeras.backend.promotion import result_type
from refkeras.graph.keras_tensor import KerasTensor, any_symbolic_tensors
from refkeras.graph.operation import Operation
from refkeras.ops.arithmetic import BroadcastingBinary
from refkeras.ops.operands import shape_of
from refkeras.ops.shapes import broadcast_shapes


class BooleanBinary(BroadcastingBinary):
    """A broadcasting op whose result is always ``bool`` and dense."""

    def result_dtype(self, dtype1: Any, dtype2: Any) -> str:
        return "bool"

    def result_sparse(self, x1: Any, x2: Any) -> bool:
        return False


class Equal(BooleanBinary):
    kernel = staticmethod(numeric.equal)


class NotEqual(BooleanBinary):
    kernel = staticmethod(numeric.not_equal)


class Less(BooleanBinary):
    kernel = staticmethod(numeric.less)


class LessEqual(BooleanBinary):
    kernel = staticmethod(numeric.less_equal)


class Greater(BooleanBinary):
    kernel = staticmethod(numeric.greater)


class GreaterEqual(BooleanBinary):
    kernel = staticmethod(numeric.greater_equal)


class LogicalAnd(BooleanBinary):
    kernel = staticmethod(numeric.logical_and)


class LogicalOr(BooleanBinary):
    kernel = staticmethod(numeric.logical_or)


class LogicalXor(BooleanBinary):
    kernel = staticmethod(numeric.logical_xor)


class LogicalNot(Operation):
    def call(self, x: Any) -> Any:
        return numeric.logical_not(x)

    def compute_output_spec(self, x: Any) -> KerasTensor:
        return KerasTensor(x.shape, dtype="bool")


class Where(Operation):
    def call(self, condition: Any, x1: Any = None, x2: Any = None) -> Any:
        return numeric.where(condition, x1, x2)

    def compute_output_spec(self, condition: Any, x1: Any, x2: Any) -> KerasTensor:
        shape = broadcast_shapes(shape_of(condition), shape_of(x1))
        shape = broadcast_shapes(shape, shape_of(x2))
        # A missing branch counts as a weak int (the one-argument form gives indices).
        dtype = result_type(*(getattr(x, "dtype", "int" if x is None else type(x))
                              for x in (x1, x2)))
        return KerasTensor(shape, dtype=dtype)


def _binary_op(op_class: type, kernel: Any, name: str, doc: str) -> Any:
    def op(x1: Any, x2: Any) -> Any:
        if any_symbolic_tensors((x1, x2)):
            return op_class().symbolic_call(x1, x2)
        return kernel(x1, x2)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


equal = _binary_op(Equal, numeric.equal, "equal", "``x1 == x2`` element-wise (bool).")
not_equal = _binary_op(NotEqual, numeric.not_equal, "not_equal", "``x1 != x2`` element-wise.")
less = _binary_op(Less, numeric.less, "less", "``x1 < x2`` element-wise (bool).")
less_equal = _binary_op(LessEqual, numeric.less_equal, "less_equal",
                        "``x1 <= x2`` element-wise (bool).")
greater = _binary_op(Greater, numeric.greater, "greater", "``x1 > x2`` element-wise (bool).")
greater_equal = _binary_op(GreaterEqual, numeric.greater_equal, "greater_equal",
                           "``x1 >= x2`` element-wise (bool).")
logical_and = _binary_op(LogicalAnd, numeric.logical_and, "logical_and",
                         "Truth of ``x1 and x2`` element-wise.")
logical_or = _binary_op(LogicalOr, numeric.logical_or, "logical_or",
                        "Truth of ``x1 or x2`` element-wise.")
logical_xor = _binary_op(LogicalXor, numeric.logical_xor, "logical_xor",
                         "Truth of ``bool(x1) != bool(x2)`` element-wise.")


def logical_not(x: Any) -> Any:
    """Truth of ``not x`` element-wise."""
    if any_symbolic_tensors((x,)):
        return LogicalNot().symbolic_call(x)
    return numeric.logical_not(x)


def where(condition: Any, x1: Any = None, x2: Any = None) -> Any:
    """``x1`` where ``condition`` is true, else ``x2`` (both broadcast and promoted).

    With neither ``x1`` nor ``x2``, returns the indices of the true elements.
    """
    if (x1 is None) != (x2 is None):
        raise ValueError(
            "`x1` and `x2` either both should be `None` or both should have non-None value."
        )
    if any_symbolic_tensors((condition, x1, x2)):
        return Where().symbolic_call(condition, x1, x2)
    return numeric.where(condition, x1, x2)
