"""The activation functions other than ``relu``: thin wrappers over ``refkeras.ops``.

Each works eagerly on tensors and arrays and symbolically on KerasTensors.
``softmax`` and ``sigmoid`` tag their output with ``_keras_logits`` (the
input) where the tensor type allows, so losses can work from logits.
"""

from __future__ import annotations

from typing import Any

from refkeras import backend, ops
from refkeras.backend import numeric
from refkeras.graph.keras_tensor import KerasTensor
from refkeras.graph.operation import Operation


def _keep_logits(output: Any, logits: Any) -> Any:
    try:
        output._keras_logits = logits
    except AttributeError:  # JAX arrays take no new attributes
        pass
    return output


def linear(x: Any) -> Any:
    """Identity: returns ``x`` unchanged."""
    return x


def leaky_relu(x: Any, negative_slope: float = 0.2) -> Any:
    """``x`` for ``x >= 0``, ``negative_slope * x`` below."""
    return ops.leaky_relu(x, negative_slope=negative_slope)


def relu6(x: Any) -> Any:
    """``min(max(x, 0), 6)``."""
    return ops.relu6(x)


def softmax(x: Any, axis: int = -1) -> Any:
    """``exp(x) / sum(exp(x))`` along ``axis``."""
    return _keep_logits(ops.softmax(x, axis=axis), x)


def log_softmax(x: Any, axis: int = -1) -> Any:
    """``log(softmax(x))`` along ``axis``, computed stably."""
    return ops.log_softmax(x, axis=axis)


def sigmoid(x: Any) -> Any:
    """``1 / (1 + exp(-x))``."""
    return _keep_logits(ops.sigmoid(x), x)


def elu(x: Any, alpha: float = 1.0) -> Any:
    """``x`` for ``x > 0``, ``alpha * (exp(x) - 1)`` below."""
    return ops.elu(x, alpha=alpha)


def selu(x: Any) -> Any:
    """Scaled ELU with the self-normalizing constants (alpha ~1.6733, scale ~1.0507)."""
    return ops.selu(x)


def celu(x: Any, alpha: float = 1.0) -> Any:
    """Continuously differentiable ELU."""
    return ops.celu(x, alpha=alpha)


def gelu(x: Any, approximate: bool = False) -> Any:
    """Gaussian error linear unit; exact (erf) unless ``approximate`` (tanh form)."""
    return ops.gelu(x, approximate=approximate)


def glu(x: Any, axis: int = -1) -> Any:
    """Gated linear unit over the two halves of ``axis``."""
    return ops.glu(x, axis=axis)


def silu(x: Any) -> Any:
    """``x * sigmoid(x)`` (also exported as ``swish``)."""
    return ops.silu(x)


def hard_sigmoid(x: Any) -> Any:
    """Piecewise-linear sigmoid: ``relu6(x + 3) / 6``."""
    return ops.hard_sigmoid(x)


def hard_silu(x: Any) -> Any:
    """``x * hard_sigmoid(x)`` (also exported as ``hard_swish``)."""
    return ops.hard_silu(x)


def tanh(x: Any) -> Any:
    """Hyperbolic tangent."""
    return ops.tanh(x)


def tanh_shrink(x: Any) -> Any:
    """``x - tanh(x)``."""
    return ops.tanh_shrink(x)


def hard_tanh(x: Any) -> Any:
    """``x`` clipped to [-1, 1]."""
    return ops.hard_tanh(x)


def softplus(x: Any) -> Any:
    """``log(exp(x) + 1)``."""
    return ops.softplus(x)


def softsign(x: Any) -> Any:
    """``x / (abs(x) + 1)``."""
    return ops.softsign(x)


def soft_shrink(x: Any, threshold: float = 0.5) -> Any:  # noqa: A002
    """Shrinks values toward 0 by ``threshold``."""
    return ops.soft_shrink(x, threshold=threshold)


def hard_shrink(x: Any, threshold: float = 0.5) -> Any:  # noqa: A002
    """Zeroes values with ``abs(x) <= threshold``."""
    return ops.hard_shrink(x, threshold=threshold)


def threshold(x: Any, threshold: float, default_value: float) -> Any:  # noqa: A002
    """``x`` where ``x > threshold``, else ``default_value``."""
    return ops.threshold(x, threshold, default_value)


def sparse_plus(x: Any) -> Any:
    """Piecewise-quadratic softplus."""
    return ops.sparse_plus(x)


def sparse_sigmoid(x: Any) -> Any:
    """Piecewise-linear sigmoid on [-1, 1]."""
    return ops.sparse_sigmoid(x)


def squareplus(x: Any, b: float = 4) -> Any:
    """``(x + sqrt(x**2 + b)) / 2``."""
    return ops.squareplus(x, b=b)


def log_sigmoid(x: Any) -> Any:
    """``log(sigmoid(x))``."""
    return ops.log_sigmoid(x)


def exponential(x: Any) -> Any:
    """``exp(x)``."""
    return ops.exp(x)


def sparsemax(x: Any, axis: int = -1) -> Any:
    """Projection onto the probability simplex along ``axis``."""
    return ops.sparsemax(x, axis)


def mish(x: Any) -> Any:
    """``x * tanh(softplus(x))``."""
    if not _is_concrete(x):
        return Mish()(x)
    return Mish.static_call(backend.convert_to_tensor(x))


class Mish(Operation):
    """The graph op of :func:`mish`. (Upstream's ``mish`` rejects KerasTensors; refkeras
    records this op instead, as it does for every activation.)"""

    def call(self, x: Any) -> Any:
        return self.static_call(x)

    def compute_output_spec(self, x: Any) -> KerasTensor:
        return KerasTensor(x.shape, x.dtype)

    @staticmethod
    def static_call(x: Any) -> Any:
        return x * numeric.tanh(numeric.softplus(x))


def _is_concrete(x: Any) -> bool:
    return not isinstance(x, KerasTensor)
