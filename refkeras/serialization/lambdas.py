"""Python lambdas as data: bytecode (marshal, base64) plus defaults and closure values.

The format is upstream's ``[code, defaults, closure]``; bytecode only loads in
the same Python version that wrote it.
"""

from __future__ import annotations

import base64
import binascii
import marshal
import types
from typing import Any


def dump_function(fn: types.FunctionType) -> tuple:
    """``(base64 bytecode, defaults, closure values)`` of ``fn``."""
    code = base64.encodebytes(marshal.dumps(fn.__code__)).decode("ascii")
    closure = tuple(cell.cell_contents for cell in fn.__closure__) if fn.__closure__ else None
    return code, fn.__defaults__, closure


def load_function(value: Any, globals_: dict | None = None) -> types.FunctionType:
    """Rebuilds a function from :func:`dump_function`'s output (a list after JSON)."""
    if not isinstance(value, (list, tuple)) or len(value) != 3:
        raise ValueError(
            "A serialized lambda must be [code, defaults, closure]. "
            f"Received: value={value!r} (of type {type(value).__name__})"
        )
    code, defaults, closure = value
    try:
        raw = base64.decodebytes(code.encode("ascii"))
    except (UnicodeEncodeError, binascii.Error):
        raw = code.encode("raw_unicode_escape")
    bytecode = marshal.loads(raw)
    cells = tuple(types.CellType(v) for v in closure) if closure is not None else None
    return types.FunctionType(bytecode, globals_ if globals_ is not None else {"__builtins__": __builtins__},
                              name=bytecode.co_name,
                              argdefs=tuple(defaults) if defaults is not None else None,
                              closure=cells)
