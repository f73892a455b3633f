"""Activations: ``relu``, ``sigmoid``, ``softmax``, ``log_softmax`` (shape and dtype kept)."""

from __future__ import annotations

import warnings
from typing import Any

from refkeras.backend import numeric
from refkeras.graph.keras_tensor import KerasTensor, any_symbolic_tensors
from refkeras.graph.operation import Operation
from refkeras.ops.shapes import as_axes, canonicalize_axis


class Relu(Operation):
    def call(self, x: Any) -> Any:
        return numeric.relu(x)

    def compute_output_spec(self, x: Any) -> KerasTensor:
        return KerasTensor(x.shape, dtype=x.dtype)


class Sigmoid(Relu):
    def call(self, x: Any) -> Any:
        return numeric.sigmoid(x)


class Softmax(Operation):
    kernel = staticmethod(numeric.softmax)

    def __init__(self, axis: Any = -1, *, name: str | None = None):
        super().__init__(name=name)
        self.axis = axis

    def call(self, x: Any) -> Any:
        return type(self).kernel(x, axis=self.axis)

    def compute_output_spec(self, x: Any) -> KerasTensor:
        if self.axis is not None:
            for a in as_axes(self.axis):  # validation only: axes must exist
                canonicalize_axis(a, len(x.shape))
        return KerasTensor(x.shape, dtype=x.dtype)


class LogSoftmax(Softmax):
    kernel = staticmethod(numeric.log_softmax)


def relu(x: Any) -> Any:
    """``max(x, 0)`` element-wise."""
    if any_symbolic_tensors((x,)):
        return Relu().symbolic_call(x)
    return numeric.relu(x)


def sigmoid(x: Any) -> Any:
    """``1 / (1 + exp(-x))`` element-wise."""
    if any_symbolic_tensors((x,)):
        return Sigmoid().symbolic_call(x)
    return numeric.sigmoid(x)


def _over_axes(kernel: Any, x: Any, axes: tuple) -> Any:
    """``kernel`` over several axes at once: move them last, merge, apply, undo."""
    kept = [a for a in range(len(x.shape)) if a not in axes]
    order = (*kept, *axes)
    moved = numeric.transpose(x, axes=order)
    merged = numeric.reshape(moved, (*[x.shape[a] for a in kept], -1))
    out = numeric.reshape(kernel(merged, axis=-1), moved.shape)
    inverse = sorted(range(len(order)), key=order.__getitem__)
    return numeric.transpose(out, axes=inverse)


def softmax(x: Any, axis: Any = -1) -> Any:
    """``exp(x) / sum(exp(x))`` over ``axis`` (an int, a tuple of ints, or None for all).

    Warns when ``axis`` has size 1: the result would be all ones.
    """
    if isinstance(axis, int) and -len(x.shape) <= axis < len(x.shape) and x.shape[axis] == 1:
        warnings.warn(
            f"You are using a softmax over axis {axis} of a tensor of shape {x.shape}. This "
            "axis has size 1. The softmax operation will always return the value 1, which is "
            "likely not what you intended. Did you mean to use a sigmoid instead?",
            stacklevel=2,
        )
    if any_symbolic_tensors((x,)):
        return Softmax(axis).symbolic_call(x)
    if isinstance(axis, tuple):
        return _over_axes(numeric.softmax, x, axis)
    return numeric.softmax(x, axis=axis)


def log_softmax(x: Any, axis: Any = -1) -> Any:
    """``log(softmax(x))`` over ``axis``, computed stably."""
    if any_symbolic_tensors((x,)):
        return LogSoftmax(axis).symbolic_call(x)
    if isinstance(axis, tuple):
        return _over_axes(numeric.log_softmax, x, axis)
    return numeric.log_softmax(x, axis=axis)
