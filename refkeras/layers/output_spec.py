"""Symbolic outputs of a layer, from ``compute_output_shape`` when the layer has one.

A layer that defines ``compute_output_shape`` gets its symbolic outputs from
it (cheap, no tracing), in the layer's compute dtype. Others fall back to
tracing ``call`` (``Operation.compute_output_spec``).
"""

from __future__ import annotations

from typing import Any

from refkeras.graph.keras_tensor import KerasTensor
from refkeras.layers.build import shapes_dict, shapes_for
from refkeras.layers.call_spec import CallSpec


def is_shape(x: Any) -> bool:
    """A tuple or list of ints and ``None`` (an empty one is a scalar's shape)."""
    return isinstance(x, (list, tuple)) and all(isinstance(d, (int, type(None))) for d in x)


def map_shapes(fn: Any, structure: Any) -> Any:
    """Applies ``fn`` to each shape in a nest of shapes (lists, tuples, dicts)."""
    if is_shape(structure):
        return fn(structure)
    if isinstance(structure, list):
        return [map_shapes(fn, s) for s in structure]
    if isinstance(structure, tuple):
        return tuple(map_shapes(fn, s) for s in structure)
    if isinstance(structure, dict):
        return {k: map_shapes(fn, structure[k]) for k in structure}
    return fn(structure)


def spec_from_output_shape(layer: Any, args: tuple, kwargs: dict) -> Any:
    """KerasTensor(s) shaped by ``layer.compute_output_shape`` for these call arguments."""
    spec = CallSpec(layer._call_facts, layer._call_context_args, args, dict(kwargs))
    shapes = shapes_for(layer.compute_output_shape, shapes_dict(spec), spec,
                        type(layer).__name__)
    output_shape = layer.compute_output_shape(**shapes)
    if isinstance(output_shape, list) and output_shape and isinstance(
            output_shape[0], (int, type(None))):
        output_shape = tuple(output_shape)
    if not isinstance(output_shape, (list, tuple, dict)):
        try:
            output_shape = tuple(output_shape)
        except Exception:
            raise ValueError(
                f"Method `compute_output_shape()` of layer {type(layer).__name__} is "
                "returning a type that cannot be interpreted as a shape. It should return a "
                f"shape tuple. Received: {output_shape}"
            ) from None
    dtype = layer.compute_dtype
    if isinstance(output_shape, tuple) and output_shape and isinstance(
            output_shape[0], (int, type(None))):
        return KerasTensor(output_shape, dtype=dtype)
    return map_shapes(lambda s: KerasTensor(s, dtype=dtype), output_shape)
