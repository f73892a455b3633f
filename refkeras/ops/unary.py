"""Element-wise functions of one tensor: the shape is kept, the dtype may change.

Dtype rules (``floatx()`` is ``float32`` by default):

- ``negative``, ``absolute``, ``round``: the input's dtype.
- ``square``, ``clip``: the input's dtype, with bool computed as int32.
- ``exp``: integer and bool inputs give ``floatx()``.
- ``log``, ``sqrt``, ``tanh``: ``int64`` gives ``floatx()``; any other input
  promotes with a weak float (``int8 -> float32``, ``float16 -> float16``).
"""

from __future__ import annotations

from typing import Any

from refkeras.backend import config, numeric
from refkeras.backend.dtypes import standardize_dtype
from refkeras.backend.promotion import result_type
from refkeras.graph.keras_tensor import KerasTensor, any_symbolic_tensors
from refkeras.graph.operation import Operation
from refkeras.ops.operands import sparse_of


class ElementwiseUnary(Operation):
    """Base of shape-preserving one-input ops; subclasses set ``kernel``."""

    kernel: Any = None
    keeps_sparse = True  # f(0) == 0, so a sparse input stays sparse

    def call(self, x: Any) -> Any:
        return type(self).kernel(x)

    def result_dtype(self, dtype: str) -> str:
        return dtype

    def compute_output_spec(self, x: Any) -> KerasTensor:
        dtype = self.result_dtype(standardize_dtype(x.dtype))
        sparse = self.keeps_sparse and sparse_of(x)
        return KerasTensor(x.shape, dtype=dtype, sparse=sparse)


def _float_result(dtype: str) -> str:
    return config.floatx() if dtype == "int64" else result_type(dtype, float)


class Negative(ElementwiseUnary):
    kernel = staticmethod(numeric.negative)


class Absolute(ElementwiseUnary):
    kernel = staticmethod(numeric.absolute)


class Square(ElementwiseUnary):
    kernel = staticmethod(numeric.square)

    def result_dtype(self, dtype: str) -> str:
        return "int32" if dtype == "bool" else dtype


class Exp(ElementwiseUnary):
    kernel = staticmethod(numeric.exp)
    keeps_sparse = False  # exp(0) == 1

    def result_dtype(self, dtype: str) -> str:
        return config.floatx() if ("int" in dtype or dtype == "bool") else dtype


class Log(ElementwiseUnary):
    kernel = staticmethod(numeric.log)
    keeps_sparse = False

    def result_dtype(self, dtype: str) -> str:
        return _float_result(dtype)


class Sqrt(ElementwiseUnary):
    kernel = staticmethod(numeric.sqrt)

    def result_dtype(self, dtype: str) -> str:
        return _float_result(dtype)


class Tanh(Sqrt):
    kernel = staticmethod(numeric.tanh)


class Round(ElementwiseUnary):
    def __init__(self, decimals: int = 0, *, name: str | None = None):
        super().__init__(name=name)
        self.decimals = decimals

    def call(self, x: Any) -> Any:
        return numeric.round(x, self.decimals)


class Clip(ElementwiseUnary):
    keeps_sparse = False

    def __init__(self, x_min: Any, x_max: Any, *, name: str | None = None):
        super().__init__(name=name)
        self.x_min = x_min
        self.x_max = x_max

    def call(self, x: Any) -> Any:
        return numeric.clip(x, self.x_min, self.x_max)

    def result_dtype(self, dtype: str) -> str:
        return "int32" if dtype == "bool" else dtype


def negative(x: Any) -> Any:
    """``-x`` element-wise."""
    if any_symbolic_tensors((x,)):
        return Negative().symbolic_call(x)
    return numeric.negative(x)


def absolute(x: Any) -> Any:
    """``|x|`` element-wise; :func:`abs` is the same op."""
    if any_symbolic_tensors((x,)):
        return Absolute().symbolic_call(x)
    return numeric.absolute(x)


def abs(x: Any) -> Any:  # noqa: A001
    """Shorthand for :func:`absolute` (the recorded op is ``absolute``)."""
    return absolute(x)


def square(x: Any) -> Any:
    """``x * x`` element-wise (bool inputs give int32)."""
    if any_symbolic_tensors((x,)):
        return Square().symbolic_call(x)
    return numeric.square(x)


def exp(x: Any) -> Any:
    """``e ** x`` element-wise (integer inputs give ``floatx()``)."""
    if any_symbolic_tensors((x,)):
        return Exp().symbolic_call(x)
    return numeric.exp(x)


def log(x: Any) -> Any:
    """Natural logarithm element-wise."""
    if any_symbolic_tensors((x,)):
        return Log().symbolic_call(x)
    return numeric.log(x)


def sqrt(x: Any) -> Any:
    """Square root element-wise (integer inputs give floats)."""
    if any_symbolic_tensors((x,)):
        return Sqrt().symbolic_call(x)
    return numeric.sqrt(x)


def tanh(x: Any) -> Any:
    """Hyperbolic tangent element-wise."""
    if any_symbolic_tensors((x,)):
        return Tanh().symbolic_call(x)
    return numeric.tanh(x)


def round(x: Any, decimals: int = 0) -> Any:  # noqa: A001
    """Rounds half to even at ``decimals`` decimal digits (negative: tens, hundreds...)."""
    if any_symbolic_tensors((x,)):
        return Round(decimals).symbolic_call(x)
    return numeric.round(x, decimals)


def clip(x: Any, x_min: Any, x_max: Any) -> Any:
    """Limits the values of ``x`` to ``[x_min, x_max]`` (bool inputs give int32)."""
    if any_symbolic_tensors((x,)):
        return Clip(x_min, x_max).symbolic_call(x)
    return numeric.clip(x, x_min, x_max)
