"""What the backend knows of symbolic tensors: a marker base class and a result record.

``graph.KerasTensor`` derives from :class:`SymbolicTensor`; the backend's
``compute_output_spec`` replaces every such leaf with a traced placeholder and
returns :class:`ShapeDtype` records, which the graph layer turns back into
KerasTensors. The backend never imports the graph package.
"""

from __future__ import annotations

from typing import Any


class SymbolicTensor:
    """Marker base: an object with ``shape`` (ints or None), ``dtype`` and ``sparse``."""

    __slots__ = ()
    shape: tuple
    dtype: str
    sparse: bool


class ShapeDtype:
    """The inferred shape (``None`` for unknown dims) and dtype of one output.

    A plain class, not a tuple, so nested-structure utilities treat it as a leaf.
    """

    __slots__ = ("shape", "dtype", "sparse")

    def __init__(self, shape: tuple, dtype: str, sparse: bool = False):
        self.shape = shape
        self.dtype = dtype
        self.sparse = sparse

    def __repr__(self) -> str:
        return f"ShapeDtype(shape={self.shape}, dtype={self.dtype}, sparse={self.sparse})"


def split_symbolic(args: tuple, kwargs: dict, flatten: Any) -> list:
    """The SymbolicTensor leaves of ``(args, kwargs)``, in flatten order."""
    return [x for x in flatten((args, kwargs)) if isinstance(x, SymbolicTensor)]
