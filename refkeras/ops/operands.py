"""What an op's shape/dtype rules see of an operand, tensor or Python scalar.

A Python scalar has shape ``()``, its Python type as dtype (``int`` and
``float`` then promote as weak types), and is not sparse.
"""

from __future__ import annotations

from typing import Any


def shape_of(x: Any) -> tuple:
    """``x.shape``, or ``()`` for a Python scalar."""
    return getattr(x, "shape", ())


def dtype_of(x: Any) -> Any:
    """``x.dtype``, or ``type(x)`` for a Python scalar (weak for int and float)."""
    return getattr(x, "dtype", type(x))


def sparse_of(x: Any, default: bool = False) -> bool:
    """``x.sparse``; ``default`` for operands without the attribute."""
    return getattr(x, "sparse", default)
