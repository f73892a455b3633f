"""The table behind KerasTensor's Python operators (``x + y``, ``x @ w``, ``x[0]``).

``graph`` sits below ``ops`` in the import order, so KerasTensor cannot call
the op functions directly; ``refkeras.ops`` registers one symbolic builder per
operator name when it is imported (``refkeras/__init__`` always imports it).
A builder takes the operands in order and returns the symbolic result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Operator name -> builder(*operands, **kwargs) returning KerasTensor(s).
_BUILDERS: dict[str, Callable[..., Any]] = {}

OPERATOR_NAMES = (
    "add", "subtract", "multiply", "matmul", "divide", "true_divide", "negative", "absolute",
    "power", "floor_divide", "mod", "less", "less_equal", "greater", "greater_equal", "not_equal",
    "logical_and", "logical_or", "logical_not", "logical_xor", "get_item", "round", "reshape", "squeeze",
)


def register(name: str, builder: Callable[..., Any]) -> None:
    """Installs the symbolic builder for operator ``name`` (one of OPERATOR_NAMES)."""
    if name not in OPERATOR_NAMES:
        raise ValueError(f"Unknown operator name {name!r}; expected one of {OPERATOR_NAMES}.")
    _BUILDERS[name] = builder


def apply(name: str, *operands: Any, **kwargs: Any) -> Any:
    """Builds the symbolic result of operator ``name`` on ``operands``."""
    try:
        builder = _BUILDERS[name]
    except KeyError:
        raise NotImplementedError(
            f"The operator {name!r} on KerasTensors needs refkeras.ops; "
            "import refkeras (not only refkeras.graph) before building graphs."
        ) from None
    return builder(*operands, **kwargs)
