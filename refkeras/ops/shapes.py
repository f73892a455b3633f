"""Output-shape rules of the ops, in pure Python (no backend, no tracing).

Shapes are tuples of ints and ``None`` (unknown size). Every rule accepts
unknown sizes and only raises when the known sizes make the call impossible;
the errors are ``ValueError`` with the messages upstream Keras uses.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from typing import Any

import numpy as np

Shape = tuple  # tuple[int | None, ...]


def canonicalize_axis(axis: int, ndim: int) -> int:
    """``axis`` in ``[-ndim, ndim)`` mapped to ``[0, ndim)``.

    >>> canonicalize_axis(-1, 3)
    2
    """
    axis = operator.index(axis)
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis {axis} is out of bounds for an array with dimension {ndim}.")
    return axis + ndim if axis < 0 else axis


def as_axes(axis: Any) -> tuple | None:
    """``None``, or ``axis`` (an int or a sequence of ints) as a tuple."""
    if axis is None:
        return None
    if isinstance(axis, int):
        return (axis,)
    if isinstance(axis, (tuple, list)):
        return tuple(axis)
    raise ValueError(f"`value` must be an integer, tuple or list. Received: value={axis}")


def broadcast_shapes(shape1: Sequence, shape2: Sequence) -> Shape:
    """The NumPy broadcast of two shapes, right-aligned.

    A size 1 takes the other side's size; an unknown size against a known
    one (other than 1) is taken to be that size.

    >>> broadcast_shapes((5, 1), (None, 3))
    (5, 3)
    """
    rank = max(len(shape1), len(shape2))
    a = (1,) * (rank - len(shape1)) + tuple(shape1)
    b = (1,) * (rank - len(shape2)) + tuple(shape2)
    out = []
    for d1, d2 in zip(a, b):
        if d1 == 1:
            out.append(d2)
        elif d1 is None:
            out.append(None if d2 == 1 else d2)
        elif d2 == 1 or d2 is None or d2 == d1:
            out.append(d1)
        else:
            raise ValueError(
                f"Cannot broadcast shape, the failure dim has value {d1}, which cannot be "
                f"broadcasted to {d2}. Input shapes are: {list(shape1)} and {list(shape2)}."
            )
    return tuple(out)


def reduce_shape(shape: Sequence, axis: Any = None, keepdims: bool = False) -> Shape:
    """The shape left after reducing over ``axis`` (all axes when None).

    >>> reduce_shape((2, 3, 4), axis=(0, -1)), reduce_shape((2, 3), keepdims=True)
    ((3,), (1, 1))
    """
    if axis is None:
        return (1,) * len(shape) if keepdims else ()
    axes = [canonicalize_axis(a, len(shape)) for a in as_axes(axis)]
    out = list(shape)
    if keepdims:
        for a in axes:
            out[a] = 1
    else:
        for a in sorted(axes, reverse=True):
            del out[a]
    return tuple(out)


def expand_dims_shape(shape: Sequence, axis: Any) -> Shape:
    """``shape`` with a 1 inserted at each of ``axis`` (positions in the output)."""
    axes = as_axes(len(shape) if axis is None else axis)
    rank = len(shape) + len(axes)
    new = {canonicalize_axis(a, rank) for a in axes}
    rest = iter(shape)
    out = []
    for i in range(rank):
        # A repeated axis leaves too few input sizes: `next` raises StopIteration, as upstream.
        out.append(1 if i in new else next(rest))
    return tuple(out)


def squeeze_shape(shape: Sequence, axis: Any = None) -> Shape:
    """``shape`` without its size-1 axes (only those in ``axis`` when given)."""
    if axis is None:
        return tuple(d for d in shape if d != 1)
    axes = as_axes(axis)
    for a in axes:
        if shape[a] != 1:
            raise ValueError(f"Cannot squeeze axis {a}, because the dimension is not 1.")
    out = list(shape)
    # Deleting from the back keeps earlier positions valid. A repeated axis deletes
    # twice (as upstream's symbolic rule does).
    for a in sorted((canonicalize_axis(a, len(shape)) for a in axes), reverse=True):
        del out[a]
    return tuple(out)


def transpose_shape(shape: Sequence, axes: Any = None) -> Shape:
    """``shape`` permuted by ``axes`` (reversed when None)."""
    if axes is None:
        return tuple(reversed(shape))
    ndim = len(shape)
    if len(axes) != ndim:
        raise ValueError(
            "axis must be a list of the same length as the input shape, "
            f"expected {ndim}, but received {len(axes)}."
        )
    for a in axes:
        if not isinstance(a, int) or not -ndim <= a < ndim:
            raise ValueError(
                f"Each axis in `axes` must be an integer in [-{ndim}, {ndim}). "
                f"Received: axes={list(axes)}."
            )
    perm = [a % ndim for a in axes]
    if len(set(perm)) != ndim:
        raise ValueError(
            "`axes` must be a valid permutation of the input dimensions (no duplicates). "
            f"Received: axes={list(axes)} for input of rank {ndim}."
        )
    return tuple(shape[a] for a in perm)


def matmul_shape(shape1: Sequence, shape2: Sequence) -> Shape:
    """``np.matmul``'s output shape: batch dims broadcast, 1-D operands get a temporary axis.

    >>> matmul_shape((None, 2, 3), (3, 4))
    (None, 2, 4)
    """
    a = (1, shape1[0]) if len(shape1) == 1 else tuple(shape1)
    b = (shape2[0], 1) if len(shape2) == 1 else tuple(shape2)
    if a[-1] is not None and b[-2] is not None and a[-1] != b[-2]:
        raise ValueError(
            "Inner dimensions (`x1.shape[-1]` and `x2.shape[-2]`) must be equal, but "
            f"received `x1.shape={a}` and `x2.shape={b}`."
        )
    out = list(broadcast_shapes(a[:-2], b[:-2])) + [a[-2], b[-1]]
    if len(shape1) == 1:
        del out[-2]
    if len(shape2) == 1:
        del out[-1]
    return tuple(out)


def dot_shape(shape1: Sequence, shape2: Sequence) -> Shape:
    """``np.dot``'s output shape for operands of rank >= 1 (scalars multiply instead)."""
    if len(shape1) == 1 and len(shape2) == 1:
        return ()
    if len(shape2) == 1:
        if shape1[-1] != shape2[0]:
            raise ValueError(
                "Shape must match on the last axis of `x1` and `x2` when `x1` is N-d array "
                f"while `x2` is 1-D, but receive shape `x1.shape={tuple(shape1)}` and "
                f"x2.shape=`{tuple(shape2)}`."
            )
        return tuple(shape1[:-1])
    inner1, inner2 = shape1[-1], shape2[-2]
    if inner1 is None or inner2 is None or inner1 == inner2:
        return tuple(shape1[:-1]) + tuple(shape2[:-2]) + (shape2[-1],)
    raise ValueError(
        "Shape must match on the last axis of `x1` and second last axis of `x2` when `x1` "
        f"is N-d array while `x2` is M-D, but received `x1.shape={tuple(shape1)}` and "
        f"x2.shape=`{tuple(shape2)}`."
    )


def check_reshape_target(newshape: Sequence, arg_name: str = "newshape") -> None:
    """Each int in ``newshape`` is >= 0, except at most one ``-1``."""
    ints = [int(d) for d in newshape if isinstance(d, (int, np.integer))]
    if any(d < -1 for d in ints):
        raise ValueError(
            f"Each dimension in `{arg_name}` must be a non-negative integer, or `-1` for a "
            f"single unknown dimension. Received: {arg_name}={newshape}."
        )
    if ints.count(-1) > 1:
        raise ValueError(
            f"There must be at most one unknown dimension (-1) in `{arg_name}`. "
            f"Received: {arg_name}={newshape}."
        )


def reshape_shape(shape: Sequence, newshape: Sequence, arg_name: str = "newshape") -> Shape:
    """The shape ``reshape`` produces; the ``-1`` is solved when all sizes are known.

    >>> reshape_shape((2, 6), (3, -1)), reshape_shape((None, 6), (-1, 3))
    ((3, 4), (None, 3))
    """
    check_reshape_target(newshape, arg_name)
    target = tuple(int(d) if isinstance(d, (int, np.integer)) else None for d in newshape)
    if None in shape or None in target:
        return tuple(None if d == -1 else d for d in target)
    size = math.prod(shape)
    if -1 not in target:
        if size != math.prod(target):
            raise ValueError(
                "The total size of the tensor must be unchanged. Received: "
                f"input_shape={tuple(shape)}, {arg_name}={target}"
            )
        return target
    known = math.prod(d for d in target if d != -1)
    if known == 0 or size % known:
        raise ValueError(
            "The total size of the tensor must be unchanged, however, the input size cannot "
            f"by divided by the specified dimensions in {arg_name}. Received: "
            f"input_shape={tuple(shape)}, {arg_name}={target}"
        )
    return tuple(size // known if d == -1 else d for d in target)


def _same_except(shape: Sequence, first: Sequence, axis: int | None) -> bool:
    # Unknown sizes match anything; `axis` (if any) is not compared.
    if len(shape) != len(first):
        return False
    return all(i == axis or a is None or b is None or a == b
               for i, (a, b) in enumerate(zip(shape, first)))


def concatenate_shape(shapes: Sequence[Sequence], axis: int) -> Shape:
    """Shapes agree off ``axis``; sizes on ``axis`` add up (unknown if any is)."""
    first = tuple(shapes[0])
    axis = canonicalize_axis(axis, len(first))
    total: int | None = 0
    for shape in shapes:
        if not _same_except(shape, first, axis):
            raise ValueError(
                "Every value in `xs` must have the same shape except on the `axis` dim. But "
                f"found element of shape {shape}, which is different from the first element's "
                f"shape {first}."
            )
        total = None if total is None or shape[axis] is None else total + shape[axis]
    return first[:axis] + (total,) + first[axis + 1:]


def stack_shape(shapes: Sequence[Sequence], axis: int) -> Shape:
    """Equal shapes (unknown sizes match anything) with ``len(shapes)`` inserted at ``axis``."""
    first = tuple(shapes[0])
    axis = canonicalize_axis(axis, len(first) + 1)
    for shape in shapes:
        if not _same_except(shape, first, None):
            raise ValueError(
                "Every value in `x` must have the same shape. But found element of shape "
                f"{shape},  which is different from the first element's shape {first}."
            )
    return first[:axis] + (len(shapes),) + first[axis:]
