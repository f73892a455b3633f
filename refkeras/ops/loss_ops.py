"""The ops losses and metrics need beyond the core set.

Element-wise: ``maximum``, ``minimum``, ``divide_no_nan`` (broadcast and
promote like arithmetic; ``divide_no_nan`` gives a float), ``ceil``.
Shape: ``broadcast_to``, ``tile``, ``flip``. Accumulation: ``cumsum``,
``segment_sum``. Classification: ``one_hot``, ``top_k``, ``in_top_k`` and the
cross-entropies ``binary_crossentropy``, ``categorical_crossentropy``,
``sparse_categorical_crossentropy`` (per-sample losses, not reduced over the
batch). Kernels: ``backend/<name>/extra_numeric.py``.

Ops without a shape rule of their own infer their output by tracing the
kernel on placeholders (``Operation.compute_output_spec``).
"""

from __future__ import annotations

from typing import Any

from refkeras.backend import numeric
from refkeras.backend.dtypes import standardize_dtype
from refkeras.backend.promotion import result_type
from refkeras.graph.keras_tensor import any_symbolic_tensors
from refkeras.graph.operation import Operation
from refkeras.ops.arithmetic import BroadcastingBinary

__all__ = [
    "binary_crossentropy", "broadcast_to", "categorical_crossentropy", "ceil", "cumsum",
    "divide_no_nan", "flip", "in_top_k", "maximum", "minimum", "one_hot",
    "segment_sum", "sparse_categorical_crossentropy", "tile", "top_k",
]


class Maximum(BroadcastingBinary):
    kernel = staticmethod(numeric.maximum)

    def result_sparse(self, x1: Any, x2: Any) -> bool:
        return False


class Minimum(Maximum):
    kernel = staticmethod(numeric.minimum)


class DivideNoNan(Maximum):
    kernel = staticmethod(numeric.divide_no_nan)

    def result_dtype(self, dtype1: Any, dtype2: Any) -> str:
        return result_type(dtype1, dtype2, float)


class KernelOp(Operation):
    """An op that calls a backend kernel with fixed keyword arguments.

    Subclasses set ``kernel``; the constructor's keyword arguments are passed
    to it on every call (``TopK(k=3)(x)`` runs ``numeric.top_k(x, k=3)``).
    """

    kernel: Any = None

    def __init__(self, *, name: str | None = None, **static: Any):
        super().__init__(name=name)
        self.static = static

    def call(self, *tensors: Any) -> Any:
        return type(self).kernel(*tensors, **self.static)


def _op_class(class_name: str, kernel: Any) -> type:
    return type(class_name, (KernelOp,), {"kernel": staticmethod(kernel), "__module__": __name__})


Ceil = _op_class("Ceil", numeric.ceil)
BroadcastTo = _op_class("BroadcastTo", numeric.broadcast_to)
Tile = _op_class("Tile", numeric.tile)
Flip = _op_class("Flip", numeric.flip)
Cumsum = _op_class("Cumsum", numeric.cumsum)
SegmentSum = _op_class("SegmentSum", numeric.segment_sum)
OneHot = _op_class("OneHot", numeric.one_hot)
TopK = _op_class("TopK", numeric.top_k)
InTopK = _op_class("InTopK", numeric.in_top_k)
BinaryCrossentropy = _op_class("BinaryCrossentropy", numeric.binary_crossentropy)
CategoricalCrossentropy = _op_class("CategoricalCrossentropy", numeric.categorical_crossentropy)
SparseCategoricalCrossentropy = _op_class("SparseCategoricalCrossentropy",
                                          numeric.sparse_categorical_crossentropy)


def _run(op_class: type, kernel: Any, tensors: tuple, **static: Any) -> Any:
    """Records ``op_class`` when any tensor is symbolic, else runs ``kernel`` now."""
    if any_symbolic_tensors(tensors):
        return op_class(**static).symbolic_call(*tensors)
    return kernel(*tensors, **static)


def maximum(x1: Any, x2: Any) -> Any:
    """Element-wise maximum with broadcasting (a NaN operand gives NaN)."""
    return _run(Maximum, numeric.maximum, (x1, x2))


def minimum(x1: Any, x2: Any) -> Any:
    """Element-wise minimum with broadcasting (a NaN operand gives NaN)."""
    return _run(Minimum, numeric.minimum, (x1, x2))


def divide_no_nan(x1: Any, x2: Any) -> Any:
    """``x1 / x2`` in a float dtype, with 0 (not NaN or inf) wherever ``x2 == 0``.

    >>> divide_no_nan(np.array([1.0, 2.0]), np.array([2.0, 0.0]))  # doctest: +SKIP
    [0.5, 0.0]
    """
    return _run(DivideNoNan, numeric.divide_no_nan, (x1, x2))


def ceil(x: Any) -> Any:
    """The smallest integer not below ``x``, element-wise, as a float."""
    return _run(Ceil, numeric.ceil, (x,))


def broadcast_to(x: Any, shape: Any) -> Any:
    """``x`` broadcast (NumPy rules) to ``shape``."""
    return _run(BroadcastTo, numeric.broadcast_to, (x,), shape=tuple(shape))


def tile(x: Any, repeats: Any) -> Any:
    """``x`` repeated ``repeats[i]`` times along axis ``i`` (NumPy's ``tile``)."""
    return _run(Tile, numeric.tile, (x,), repeats=repeats)


def flip(x: Any, axis: Any = None) -> Any:
    """``x`` reversed along ``axis`` (an int, a sequence, or None for every axis)."""
    return _run(Flip, numeric.flip, (x,), axis=axis)


def cumsum(x: Any, axis: int | None = None, dtype: Any = None) -> Any:
    """Running sum along ``axis`` (of the flattened ``x`` when None)."""
    return _run(Cumsum, numeric.cumsum, (x,), axis=axis, dtype=dtype)


def segment_sum(data: Any, segment_ids: Any, num_segments: int | None = None,
                sorted: bool = False) -> Any:  # noqa: A002
    """Row ``i`` of the result sums the rows of ``data`` whose segment id is ``i``.

    ``segment_ids`` is a vector as long as ``data``'s first axis.
    """
    if len(segment_ids.shape) > 1:
        raise ValueError(
            "Argument `segment_ids` should be an 1-D vector, got shape: "
            f"{len(segment_ids.shape)}. Consider either flatten input with "
            "segment_ids.reshape((-1)) and data.reshape((-1, ) + "
            "data.shape[len(segment_ids.shape):]) or vectorize with vmap."
        )
    ids_rows, data_rows = segment_ids.shape[0], data.shape[0]
    if ids_rows is not None and data_rows is not None and ids_rows != data_rows:
        raise ValueError(
            "Argument `segment_ids` and `data` should have same leading dimension. "
            f"Got {segment_ids.shape} v.s. {data.shape}."
        )
    return _run(SegmentSum, numeric.segment_sum, (data, segment_ids),
                num_segments=num_segments, sorted=sorted)


def one_hot(x: Any, num_classes: int, axis: int = -1, dtype: Any = None) -> Any:
    """Integer class ids ``x`` as one-hot vectors along a new ``axis`` (``floatx()`` default)."""
    dtype = standardize_dtype(dtype) if dtype is not None else None
    return _run(OneHot, numeric.one_hot, (x,), num_classes=num_classes, axis=axis, dtype=dtype)


def top_k(x: Any, k: int, sorted: bool = True) -> Any:  # noqa: A002
    """``(values, indices)`` of the ``k`` largest entries along the last axis."""
    return _run(TopK, numeric.top_k, (x,), k=k, sorted=sorted)


def in_top_k(targets: Any, predictions: Any, k: int) -> Any:
    """Bools: whether ``predictions[i, targets[i]]`` is among row ``i``'s ``k`` largest."""
    return _run(InTopK, numeric.in_top_k, (targets, predictions), k=k)


def binary_crossentropy(target: Any, output: Any, from_logits: bool = False) -> Any:
    """Element-wise binary cross-entropy; ``target`` and ``output`` share a shape."""
    return _run(BinaryCrossentropy, numeric.binary_crossentropy, (target, output),
                from_logits=from_logits)


def categorical_crossentropy(target: Any, output: Any, from_logits: bool = False,
                             axis: int = -1) -> Any:
    """Cross-entropy between distributions along ``axis`` (that axis is reduced)."""
    return _run(CategoricalCrossentropy, numeric.categorical_crossentropy, (target, output),
                from_logits=from_logits, axis=axis)


def sparse_categorical_crossentropy(target: Any, output: Any, from_logits: bool = False,
                                    axis: int = -1) -> Any:
    """Categorical cross-entropy with integer class ids as ``target``."""
    return _run(SparseCategoricalCrossentropy, numeric.sparse_categorical_crossentropy,
                (target, output), from_logits=from_logits, axis=axis)
