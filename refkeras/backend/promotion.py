"""Dtype promotion: the dtype an op returns when its inputs' dtypes differ.

refkeras promotes the way Keras 3 does on every backend, which is JAX's
scheme: dtypes form a lattice (a partial order, drawn below) and two dtypes
promote to their least upper bound. Python ``int`` and ``float`` are *weak*:
they sit low in the lattice, so ``int8_tensor + 1`` stays ``int8`` and
``bfloat16_tensor * 2.0`` stays ``bfloat16``.

The lattice, each arrow pointing to a strictly wider kind (``int*`` and
``float*`` are the weak Python types)::

    bool -> int*
    int*  -> uint8, int8, complex64
    uint8 -> uint16, int16     uint16 -> uint32, int32     uint32 -> uint64, int64
    int8 -> int16 -> int32 -> int64
    uint64, int64 -> float*    (64-bit integers meet any float at that float)
    float* -> bfloat16, float16 -> float32 -> float64 -> complex128
    float32 -> complex64 -> complex128

After the bound is found, a weak result takes the width of ``floatx()``
(``int*`` -> ``int32`` under the default ``float32``), and 64-bit results
narrow to 32 bits where the backend does: JAX (without x64) narrows
``int64`` and ``float64``; both backends narrow ``uint64`` and ``complex128``.
"""

from __future__ import annotations

import functools
from typing import Any

from refkeras.backend import config, dtypes

WEAK_INT = "int"
WEAK_FLOAT = "float"
FLOAT8_TYPES = ("float8_e4m3fn", "float8_e5m2")

# Each dtype -> the dtypes immediately above it.
_EDGES: dict[str, tuple[str, ...]] = {
    "bool": (WEAK_INT,),
    WEAK_INT: ("uint8", "int8", "complex64"),
    "uint8": ("uint16", "int16"),
    "uint16": ("uint32", "int32"),
    "uint32": ("uint64", "int64"),
    "uint64": (WEAK_FLOAT,),
    "int8": ("int16",),
    "int16": ("int32",),
    "int32": ("int64",),
    "int64": (WEAK_FLOAT,),
    WEAK_FLOAT: ("bfloat16", "float16"),
    "bfloat16": ("float32",),
    "float16": ("float32",),
    "float32": ("float64", "complex64"),
    "float64": ("complex128",),
    "complex64": ("complex128",),
    "complex128": (),
}


def _upper_sets() -> dict[str, frozenset[str]]:
    """For each node, itself and every node reachable upward from it."""
    upper: dict[str, frozenset[str]] = {}

    def visit(node: str) -> frozenset[str]:
        if node not in upper:
            reach = {node}
            for parent in _EDGES[node]:
                reach |= visit(parent)
            upper[node] = frozenset(reach)
        return upper[node]

    for node in _EDGES:
        visit(node)
    return upper


_UPPER = _upper_sets()
_CACHE: dict[Any, str] = {}

# What 64-bit results become on the active backend (see the module docstring).
_NARROW = {"uint64": "uint32", "complex128": "complex64"}
if config.backend() == "jax":
    _NARROW.update({"int64": "int32", "float64": "float32"})


@functools.lru_cache(maxsize=1024)
def least_upper_bound(*nodes: str) -> str:
    """The lowest lattice node above every one of ``nodes`` (weak types allowed).

    >>> least_upper_bound("uint8", "int8")
    'int16'
    """
    try:
        bounds = [_UPPER[n] for n in nodes]
    except KeyError:
        bad = next(n for n in nodes if n not in _UPPER)
        raise ValueError(f"dtype={bad!r} is not a valid dtype for Keras type promotion.") from None
    common = frozenset.intersection(*bounds)
    # The least common bound is the one whose own upper set is all of `common`.
    least = [c for c in common if _UPPER[c] == common]
    if len(least) != 1:
        raise ValueError(
            f"Input dtypes {tuple(nodes)} have no available implicit dtype promotion path. "
            "Try explicitly casting inputs to the desired output type."
        )
    return least[0]


def _as_node(value: Any) -> tuple[str, bool]:
    """``(canonical dtype, is_weak)`` for one argument of :func:`result_type`."""
    if value is None:
        return config.floatx(), False
    # Only the Python types themselves are weak; `bool` never is.
    weak = value is int or value is float
    return dtypes.standardize_dtype(value), weak


def _weak_kind(dtype: str) -> str:
    if dtype.startswith(("float", "bfloat")):
        return WEAK_FLOAT
    if "int" in dtype:
        return WEAK_INT
    return dtype


def _resolve_weak(node: str) -> str:
    """A weak result takes the bit width of ``floatx()`` (``float32`` -> 32)."""
    width = config.floatx()[-2:]
    return f"int{width}" if node == WEAK_INT else f"float{width}"


def result_type(*values: Any) -> str:
    """The dtype an op on inputs of dtypes ``values`` returns.

    Each value is a dtype (string, NumPy/backend dtype), the Python type ``int``
    or ``float`` (weak), or ``None`` (``floatx()``). No values gives
    ``floatx()``.

    >>> result_type("int8", int), result_type("int32", "float16")
    ('int8', 'float16')
    """
    key = (config.floatx(), values)
    try:
        return _CACHE[key]
    except (KeyError, TypeError):
        pass
    if not values:
        return config.floatx()
    for value in values:
        if value in FLOAT8_TYPES:
            raise ValueError(
                "There is no implicit conversions from float8 dtypes to others. "
                f"You must cast it internally. Received: {values}"
            )
    out = _result_type(tuple(_as_node(v) for v in values))
    try:
        _CACHE[key] = out
    except TypeError:  # an unhashable dtype-like value: fine, just not cached
        pass
    return out


def _result_type(nodes: tuple[tuple[str, bool], ...]) -> str:
    names = {name for name, _ in nodes}
    all_weak = all(weak for _, weak in nodes)
    if len(nodes) == 1 or (len(names) == 1 and not all_weak):
        # One dtype (possibly repeated): no lattice walk, which also lets
        # dtypes outside the lattice (float8, string) through.
        out, out_weak = nodes[0][0], len(nodes) == 1 and nodes[0][1]
    elif all_weak:
        out, out_weak = least_upper_bound(*names), True
    else:
        out = least_upper_bound(*{_weak_kind(n) if w else n for n, w in nodes})
        out_weak = out in (WEAK_INT, WEAK_FLOAT)
    if out_weak and out != "bool":
        out = _resolve_weak(_weak_kind(out))
    return _NARROW.get(out, out)
