"""``Model.summary()``: one table row per layer, then the parameter totals.

The text matches upstream Keras character for character (upstream renders
with ``rich``; :mod:`refkeras.models.summary_table` draws the same table).
A model reads as "sequential" (three columns) unless it is a functional graph
where some depth holds several nodes, some node has several inputs, or some
layer is called more than once; then a fourth column, "Connected to", lists
each layer's inputs as ``name[node_index][tensor_index]``.
"""

from __future__ import annotations

import math
import re
import shutil
import sys
from collections.abc import Callable
from typing import Any

from refkeras import backend
from refkeras.models.summary_table import Column, console_width, crop, render_table, wrap

# Bits per scalar, for the memory sizes printed after the totals.
_DTYPE_BITS = {
    **{f"float{i}": i for i in (16, 32, 64)},
    **{f"int{i}": i for i in (8, 16, 32, 64)},
    **{f"uint{i}": i for i in (8, 16, 32, 64)},
    "bfloat16": 16,
    "bool": 1,
}


def print_summary(model: Any, line_length: int | None = None, positions: Any = None,
                  print_fn: Callable[..., Any] | None = None, expand_nested: bool = False,
                  show_trainable: bool = False, layer_range: Any = None) -> None:
    """Prints (or hands to ``print_fn`` as one string) the summary of ``model``."""
    text = summary_text(model, line_length, positions, expand_nested, show_trainable,
                        layer_range)
    if print_fn is not None:
        print_fn(text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def summary_text(model: Any, line_length: int | None = None, positions: Any = None,
                 expand_nested: bool = False, show_trainable: bool = False,
                 layer_range: Any = None) -> str:
    """The summary as one string, each line ending in a newline."""
    layers, nodes_by_depth = model._summary_entries()
    graph_nodes = _graph_nodes(nodes_by_depth)
    plain = nodes_by_depth is None or _reads_as_sequential(model, nodes_by_depth, graph_nodes)
    if plain:
        default_length, positions = 88, positions or [0.45, 0.80, 1.0]
        header, justify = ["Layer (type)", "Output Shape", "Param #"], ["left", "left", "right"]
    else:
        default_length, positions = 108, positions or [0.3, 0.56, 0.74, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
        justify = ["left", "left", "right", "left"]
    if show_trainable:
        default_length += 12
        positions = [p * 0.90 for p in positions] + [1.0]
        header.append("Trainable")
        justify.append("center")

    default_length = min(default_length, shutil.get_terminal_size().columns - 4)
    line_length = line_length or default_length
    columns = [Column(name, width, how) for name, width, how in
               zip(header, _column_widths(positions, line_length), justify)]

    def row_of(layer: Any, prefix: str) -> list[str]:
        row = [f"{prefix}{layer.name} ({type(layer).__name__})", _output_shape(layer),
               _param_count(layer)]
        if not plain:
            row.append(_connections(layer, graph_nodes))
        if show_trainable:
            row.append(_trainable_mark(layer))
        return row

    rows: list[list[str]] = []
    # Nested models are walked with an explicit stack: depth is unbounded.
    start, stop = layer_index_range(layers, layer_range)
    stack = [(layer, 0) for layer in reversed(layers[start:stop])]
    while stack:
        layer, level = stack.pop()
        rows.append(row_of(layer, "   " * level + "└ " if level else ""))
        if expand_nested:
            inner = getattr(layer, "layers", None)
            if inner:
                stack.extend((sub, level + 1) for sub in reversed(inner))

    width = console_width()
    lines = wrap(f'Model: "{model.name}"', width)
    lines += [crop(line, width) for line in render_table(columns, rows, line_length)]
    for label, count, size in _totals(model):
        lines += wrap(f" {label}: {count:,} ({readable_memory_size(size)})", width)
    return "".join(line + "\n" for line in lines)


def _column_widths(positions: list, line_length: int) -> list[int]:
    widths, current = [], 0
    for position in positions:
        width = int(position * line_length) - current
        if width < 4:
            raise ValueError("Insufficient console width to print summary.")
        widths.append(width)
        current += width
    return widths


def _graph_nodes(nodes_by_depth: dict | None) -> set:
    if nodes_by_depth is None:
        return set()
    return {node for nodes in nodes_by_depth.values() for node in nodes}


def _reads_as_sequential(model: Any, nodes_by_depth: dict, graph_nodes: set) -> bool:
    """No branching, no multi-input node and no layer used twice within the graph."""
    for nodes in nodes_by_depth.values():
        if len(nodes) > 1 or (len(nodes) == 1 and len(nodes[0].input_tensors) > 1):
            return False
    for layer in model.layers:
        if sum(node in graph_nodes for node in layer._inbound_nodes) > 1:
            return False
    return True


def _format_shape(shape: Any) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ")"


def _output_shape(layer: Any) -> str:
    nodes = layer._inbound_nodes
    if not nodes and not getattr(layer, "_build_shapes_dict", None):
        return "?"
    if nodes:
        # Upstream reports the outputs of the layer's most recent call.
        shapes = [_format_shape(x.shape) for x in nodes[-1].output_tensors]
    else:
        try:
            if hasattr(layer, "output_shape"):
                shapes = [_format_shape(layer.output_shape)]
            else:
                out = layer.compute_output_shape(**layer._build_shapes_dict)
                shapes = [_format_shape(s) for s in _flatten_shapes(out)]
        except NotImplementedError:
            return "?"
    if len(shapes) == 1:
        return shapes[0]
    return "[" + ", ".join(shapes) + "]"


def _flatten_shapes(shapes: Any) -> list:
    """Leaves of a nest of shapes, a shape being a tuple/list of ints and Nones."""
    if isinstance(shapes, (tuple, list)) and all(d is None or isinstance(d, int)
                                                 for d in shapes):
        return [shapes]
    if isinstance(shapes, dict):
        return [s for key in sorted(shapes) for s in _flatten_shapes(shapes[key])]
    return [s for item in shapes for s in _flatten_shapes(item)]


def _param_count(layer: Any) -> str:
    if not hasattr(layer, "built"):
        return "0"  # a plain operation: no weights
    if not layer.built:
        return "0 (unbuilt)"
    return f"{layer.count_params():,}"


def _connections(layer: Any, graph_nodes: set) -> str:
    found = []
    for node in layer._inbound_nodes:
        if graph_nodes and node not in graph_nodes:
            continue  # a call made outside this model
        for x in node.input_tensors:
            operation, node_index, tensor_index = x._keras_history
            found.append(f"{operation.name}[{node_index}][{tensor_index}]")
    return ", ".join(found) or "-"


def _trainable_mark(layer: Any) -> str:
    if getattr(layer, "weights", None):
        return "Y" if layer.trainable else "N"
    return "-"


def _totals(model: Any) -> list[tuple[str, int, float]]:
    trainable, non_trainable = model.trainable_weights, model.non_trainable_weights
    rows = [("Total params", 0, 0.0),
            ("Trainable params", count_params(trainable), weight_memory_size(trainable)),
            ("Non-trainable params", count_params(non_trainable),
             weight_memory_size(non_trainable))]
    optimizer = getattr(model, "optimizer", None)
    if getattr(model, "compiled", False) and optimizer and getattr(optimizer, "built", False):
        variables = optimizer.variables
        rows.append(("Optimizer params", count_params(variables),
                     weight_memory_size(variables)))
    rows[0] = ("Total params", sum(r[1] for r in rows[1:]), sum(r[2] for r in rows[1:]))
    return rows


def count_params(weights: list) -> int:
    return int(sum(math.prod(w.shape) for w in weights))


def weight_memory_size(weights: list) -> float:
    """Bytes taken by ``weights`` (each counted once)."""
    unique = {id(w): w for w in weights}.values()
    bits = 0
    for w in unique:
        dtype = backend.standardize_dtype(w.dtype)
        if dtype not in _DTYPE_BITS:
            raise ValueError(f"Invalid dtype: {dtype}")
        bits += math.prod(w.shape) * _DTYPE_BITS[dtype]
    return bits / 8


def readable_memory_size(size: float) -> str:
    """``size`` bytes as "104.00 B", "1.50 KB", ... (powers of 1024)."""
    for unit in ("B", "KB", "MB", "GB", "TB", "PB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


def layer_index_range(layers: list, layer_range: Any = None) -> tuple[int, int]:
    """``(first, last + 1)``: the slice of ``layers`` whose names the two patterns of
    ``layer_range`` match (regular expressions, matched at the start of the name)."""
    if layer_range is None:
        return 0, len(layers)
    if len(layer_range) != 2:
        raise ValueError(
            "layer_range must be a list or tuple of length 2. Received: "
            f"layer_range = {layer_range} of length {len(layer_range)}"
        )
    if not isinstance(layer_range[0], str) or not isinstance(layer_range[1], str):
        raise ValueError(f"layer_range should contain string type only. Received: {layer_range}")
    lower = [i for i, layer in enumerate(layers) if re.match(layer_range[0], layer.name)]
    upper = [i for i, layer in enumerate(layers) if re.match(layer_range[1], layer.name)]
    if not lower or not upper:
        raise ValueError(
            f"Passed layer_names do not match the layer names in the model. Received: "
            f"{layer_range}"
        )
    if min(lower) > max(upper):
        return min(upper), max(lower) + 1
    return min(lower), max(upper) + 1
