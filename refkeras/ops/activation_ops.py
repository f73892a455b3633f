"""Activation ops beyond ``nn.py``'s relu/sigmoid/softmax: ``relu6``, ``gelu``, ``elu``, ...

Each function computes eagerly with the backend kernel of the same name
(``backend/<name>/nn.py``) or, given a KerasTensor, records the op class of
upstream's name (``Relu6``, ``Gelu``, ...). All keep the input's shape and
dtype, except ``glu``, which halves ``axis``.
"""

from __future__ import annotations

from typing import Any

from refkeras.backend import numeric
from refkeras.graph.keras_tensor import KerasTensor, any_symbolic_tensors
from refkeras.graph.operation import Operation
from refkeras.ops.shapes import canonicalize_axis

__all__ = [
    "celu", "elu", "gelu", "glu", "hard_shrink", "hard_sigmoid", "hard_silu", "hard_swish",
    "hard_tanh", "leaky_relu", "log_sigmoid", "relu6", "selu", "silu", "soft_shrink",
    "softplus", "softsign", "sparse_plus", "sparse_sigmoid", "sparsemax", "squareplus", "swish",
    "tanh_shrink", "threshold",
]


class ElementwiseActivation(Operation):
    """Applies ``kernel`` to one tensor; ``params`` name the attributes passed to it."""

    kernel_name: str = ""
    params: tuple[str, ...] = ()

    def call(self, x: Any) -> Any:
        kernel = getattr(numeric, self.kernel_name)
        return kernel(x, **{p: getattr(self, p) for p in self.params})

    def compute_output_spec(self, x: Any) -> KerasTensor:
        return KerasTensor(x.shape, dtype=x.dtype)


class Relu6(ElementwiseActivation):
    kernel_name = "relu6"


class Selu(ElementwiseActivation):
    kernel_name = "selu"


class Silu(ElementwiseActivation):
    kernel_name = "silu"


class HardSigmoid(ElementwiseActivation):
    kernel_name = "hard_sigmoid"


class HardSilu(ElementwiseActivation):
    kernel_name = "hard_silu"


class Softplus(ElementwiseActivation):
    kernel_name = "softplus"


class Softsign(ElementwiseActivation):
    kernel_name = "softsign"


class SparsePlus(ElementwiseActivation):
    kernel_name = "sparse_plus"


class SparseSigmoid(ElementwiseActivation):
    kernel_name = "sparse_sigmoid"


class LogSigmoid(ElementwiseActivation):
    kernel_name = "log_sigmoid"


class TanhShrink(ElementwiseActivation):
    kernel_name = "tanh_shrink"


class HardTanh(ElementwiseActivation):
    kernel_name = "hard_tanh"


class LeakyRelu(ElementwiseActivation):
    kernel_name, params = "leaky_relu", ("negative_slope",)

    def __init__(self, negative_slope: float = 0.2, *, name: str | None = None):
        super().__init__(name=name)
        self.negative_slope = negative_slope


class Elu(ElementwiseActivation):
    kernel_name, params = "elu", ("alpha",)

    def __init__(self, alpha: float = 1.0, *, name: str | None = None):
        super().__init__(name=name)
        self.alpha = alpha


class Celu(Elu):
    kernel_name = "celu"


class Gelu(ElementwiseActivation):
    kernel_name, params = "gelu", ("approximate",)

    def __init__(self, approximate: bool = True, *, name: str | None = None):
        super().__init__(name=name)
        self.approximate = approximate


class Squareplus(ElementwiseActivation):
    kernel_name, params = "squareplus", ("b",)

    def __init__(self, b: float = 4, *, name: str | None = None):
        super().__init__(name=name)
        self.b = b


class SoftShrink(ElementwiseActivation):
    kernel_name, params = "soft_shrink", ("threshold",)

    def __init__(self, threshold: float = 0.5, *, name: str | None = None):
        super().__init__(name=name)
        self.threshold = threshold


class HardShrink(SoftShrink):
    kernel_name = "hard_shrink"


class Threshold(ElementwiseActivation):
    kernel_name, params = "threshold", ("threshold", "default_value")

    def __init__(self, threshold: float, default_value: float, *, name: str | None = None):
        super().__init__(name=name)
        self.threshold = threshold
        self.default_value = default_value


class Glu(ElementwiseActivation):
    kernel_name, params = "glu", ("axis",)

    def __init__(self, axis: int = -1, *, name: str | None = None):
        super().__init__(name=name)
        self.axis = axis

    def compute_output_spec(self, x: Any) -> KerasTensor:
        shape = list(x.shape)
        size = shape[self.axis]
        if size is not None:
            if size % 2 != 0:
                raise ValueError(
                    "axis size must be divisible by 2. "
                    f"Received: x.shape={x.shape} with axis={self.axis}"
                )
            shape[self.axis] = size // 2  # (..., 2n, ...) -> (..., n, ...)
        return KerasTensor(shape, dtype=x.dtype)


class Sparsemax(Glu):
    kernel_name = "sparsemax"

    def compute_output_spec(self, x: Any) -> KerasTensor:
        canonicalize_axis(self.axis, len(x.shape))  # validates the axis
        return KerasTensor(x.shape, dtype=x.dtype)


def _run(op_class: type, x: Any, *args: Any) -> Any:
    """Records ``op_class(*args)`` on a KerasTensor, else runs its kernel eagerly."""
    if any_symbolic_tensors((x,)):
        return op_class(*args).symbolic_call(x)
    kernel = getattr(numeric, op_class.kernel_name)
    return kernel(x, *args)


def relu6(x: Any) -> Any:
    """``min(max(x, 0), 6)``."""
    return _run(Relu6, x)


def selu(x: Any) -> Any:
    """Scaled ELU: ``scale * elu(x, alpha)`` with the self-normalizing constants."""
    return _run(Selu, x)


def silu(x: Any) -> Any:
    """``x * sigmoid(x)`` (also called swish)."""
    return _run(Silu, x)


swish = silu


def hard_sigmoid(x: Any) -> Any:
    """Piecewise-linear sigmoid: ``relu6(x + 3) / 6``."""
    return _run(HardSigmoid, x)


def hard_silu(x: Any) -> Any:
    """``x * hard_sigmoid(x)`` (also called hard swish)."""
    return _run(HardSilu, x)


hard_swish = hard_silu


def softplus(x: Any) -> Any:
    """``log(exp(x) + 1)``."""
    return _run(Softplus, x)


def softsign(x: Any) -> Any:
    """``x / (abs(x) + 1)``."""
    return _run(Softsign, x)


def sparse_plus(x: Any) -> Any:
    """0 below -1, ``(x + 1)**2 / 4`` on (-1, 1), ``x`` above."""
    return _run(SparsePlus, x)


def sparse_sigmoid(x: Any) -> Any:
    """0 below -1, ``(x + 1) / 2`` on (-1, 1), 1 above."""
    return _run(SparseSigmoid, x)


def log_sigmoid(x: Any) -> Any:
    """``log(sigmoid(x))``, computed stably."""
    return _run(LogSigmoid, x)


def tanh_shrink(x: Any) -> Any:
    """``x - tanh(x)``."""
    return _run(TanhShrink, x)


def hard_tanh(x: Any) -> Any:
    """``x`` clipped to [-1, 1]."""
    return _run(HardTanh, x)


def leaky_relu(x: Any, negative_slope: float = 0.2) -> Any:
    """``x`` for ``x >= 0``, ``negative_slope * x`` below."""
    return _run(LeakyRelu, x, negative_slope)


def elu(x: Any, alpha: float = 1.0) -> Any:
    """``x`` for ``x > 0``, ``alpha * (exp(x) - 1)`` below."""
    return _run(Elu, x, alpha)


def celu(x: Any, alpha: float = 1.0) -> Any:
    """``max(x, 0) + alpha * (exp(min(x, 0) / alpha) - 1)``."""
    return _run(Celu, x, alpha)


def gelu(x: Any, approximate: bool = True) -> Any:
    """``x * P(X <= x)`` for standard normal X; ``approximate`` uses the tanh form."""
    return _run(Gelu, x, approximate)


def squareplus(x: Any, b: float = 4) -> Any:
    """``(x + sqrt(x**2 + b)) / 2``."""
    return _run(Squareplus, x, b)


def soft_shrink(x: Any, threshold: float = 0.5) -> Any:  # noqa: A002
    """``x - threshold`` above it, ``x + threshold`` below ``-threshold``, else 0."""
    return _run(SoftShrink, x, threshold)


def hard_shrink(x: Any, threshold: float = 0.5) -> Any:  # noqa: A002
    """``x`` where ``abs(x) > threshold``, else 0."""
    return _run(HardShrink, x, threshold)


def threshold(x: Any, threshold: float, default_value: float) -> Any:  # noqa: A002
    """``x`` where ``x > threshold``, else ``default_value``."""
    return _run(Threshold, x, threshold, default_value)


def glu(x: Any, axis: int = -1) -> Any:
    """Gated linear unit: ``a * sigmoid(b)`` with ``x`` split in halves ``a, b`` on ``axis``."""
    return _run(Glu, x, axis)


def sparsemax(x: Any, axis: int = -1) -> Any:
    """Projection of ``x`` onto the probability simplex along ``axis`` (sparse softmax)."""
    return _run(Sparsemax, x, axis)
