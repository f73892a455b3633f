"""JAX linear-algebra kernels named in ``contract.LINALG_OPS``."""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp

__all__ = ["qr"]

_QR_MODES = ("reduced", "complete")


def qr(x: Any, mode: str = "reduced") -> tuple[Any, Any]:
    """QR decomposition ``(q, r)`` of the last two axes of ``x``."""
    if mode not in _QR_MODES:
        raise ValueError(
            f"`mode` argument value not supported. Expected one of {set(_QR_MODES)}. "
            f"Received: mode={mode!r}"
        )
    return jnp.linalg.qr(x, mode=mode)
