"""JAX activation kernels named in ``contract.NN_OPS`` (native arrays in and out).

Each uses the same ``jax.nn`` / ``jax.numpy`` primitive as upstream Keras's JAX
backend, so results agree bit for bit on the same JAX install.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from refkeras.backend.jax.core import convert_to_tensor

__all__ = [
    "relu6", "leaky_relu", "elu", "selu", "gelu", "celu", "glu", "silu", "hard_sigmoid",
    "hard_silu", "softplus", "softsign", "soft_shrink", "sparse_plus", "squareplus",
    "log_sigmoid", "tanh_shrink", "hard_tanh", "hard_shrink", "threshold", "sparse_sigmoid",
    "sparsemax",
]


def _from_jax_nn(fn: Any, name: str) -> Any:
    def kernel(x: Any) -> Any:
        return fn(convert_to_tensor(x))
    kernel.__name__ = kernel.__qualname__ = name
    kernel.__doc__ = f"``jax.nn.{fn.__name__}`` on the converted input."
    return kernel


relu6 = _from_jax_nn(jax.nn.relu6, "relu6")
selu = _from_jax_nn(jax.nn.selu, "selu")
silu = _from_jax_nn(jax.nn.silu, "silu")
hard_sigmoid = _from_jax_nn(jax.nn.hard_sigmoid, "hard_sigmoid")
hard_silu = _from_jax_nn(jax.nn.hard_silu, "hard_silu")
softplus = _from_jax_nn(jax.nn.softplus, "softplus")
softsign = _from_jax_nn(jax.nn.soft_sign, "softsign")
sparse_plus = _from_jax_nn(jax.nn.sparse_plus, "sparse_plus")
sparse_sigmoid = _from_jax_nn(jax.nn.sparse_sigmoid, "sparse_sigmoid")
log_sigmoid = _from_jax_nn(jax.nn.log_sigmoid, "log_sigmoid")
hard_tanh = _from_jax_nn(jax.nn.hard_tanh, "hard_tanh")


def leaky_relu(x: Any, negative_slope: float = 0.2) -> Any:
    return jax.nn.leaky_relu(convert_to_tensor(x), negative_slope=negative_slope)


def elu(x: Any, alpha: float = 1.0) -> Any:
    return jax.nn.elu(convert_to_tensor(x), alpha=alpha)


def gelu(x: Any, approximate: bool = True) -> Any:
    return jax.nn.gelu(convert_to_tensor(x), approximate)


def celu(x: Any, alpha: float = 1.0) -> Any:
    return jax.nn.celu(convert_to_tensor(x), alpha=alpha)


def glu(x: Any, axis: int = -1) -> Any:
    """First half of ``x`` along ``axis`` gated by the sigmoid of the second half."""
    return jax.nn.glu(convert_to_tensor(x), axis=axis)


def squareplus(x: Any, b: float = 4) -> Any:
    return jax.nn.squareplus(convert_to_tensor(x), b=b)


def tanh_shrink(x: Any) -> Any:
    x = convert_to_tensor(x)
    return x - jnp.tanh(x)


def soft_shrink(x: Any, threshold: float = 0.5) -> Any:
    """Moves values toward zero by ``threshold``; those within it become 0."""
    x = convert_to_tensor(x)
    inner = jnp.where(x < -threshold, x + threshold, 0.0)
    return jnp.where(x > threshold, x - threshold, inner)


def hard_shrink(x: Any, threshold: float = 0.5) -> Any:
    x = convert_to_tensor(x)
    return jnp.where(jnp.abs(x) > threshold, x, 0.0)


def threshold(x: Any, threshold: float, default_value: float) -> Any:  # noqa: A002
    x = convert_to_tensor(x)
    return jnp.where(x > threshold, x, default_value)


def sparsemax(x: Any, axis: int = -1) -> Any:
    """Euclidean projection of ``x`` onto the simplex along ``axis`` (sparse softmax)."""
    logits = convert_to_tensor(x)
    # Sorted descending; negating twice keeps upstream's exact arithmetic.
    ranked = -1.0 * jnp.sort(logits * -1.0, axis=axis)
    cumulative = jnp.cumsum(ranked, axis=axis)
    positions = jnp.arange(1, logits.shape[axis] + 1)
    shape = [1] * logits.ndim
    shape[axis] = -1
    positions = positions.reshape(shape)
    in_support = ranked - (cumulative - 1) / positions > 0
    support_size = jnp.sum(in_support, axis=axis, keepdims=True)
    support_sum = jnp.sum(jnp.where(in_support, cumulative, 0.0), axis=axis, keepdims=True)
    tau = (support_sum - 1) / support_size
    return jnp.maximum(logits - tau, 0.0)
