"""Re-rooting a graph at intermediate tensors, for ``Model(intermediate, outputs)``.

When some of a functional model's inputs are not ``Input()`` tensors, upstream
Keras gives each such tensor a new ``InputLayer`` (named ``<tensor>CLONE``) and
records a copy of every call between the inputs and the outputs, on fresh
KerasTensors, so the original graph's tensors keep their history. The new
model's ``layers`` then start with those input layers, and its layers gain
inbound nodes: both are visible, so refkeras does the same.
"""

from __future__ import annotations

from typing import Any

from refkeras import tree
from refkeras.graph.keras_tensor import KerasTensor
from refkeras.graph.node import Node
from refkeras.layers import Input, InputLayer


def is_input_tensor(x: KerasTensor) -> bool:
    """Whether ``x`` is the output of an ``InputLayer`` (a graph entry point)."""
    operation, node_index, _ = x._keras_history
    return operation._inbound_nodes[node_index].is_input


def nodes_between(inputs: list, outputs: list) -> list:
    """The nodes from ``inputs`` to ``outputs``, each after the nodes it consumes
    (the post-order of a depth-first walk from the outputs; iterative)."""
    input_ids = {id(x) for x in inputs}
    finished: set = set()
    in_progress: set = set()  # a cycle is reported later, by map_graph
    order: list = []

    def enter(x: KerasTensor) -> Any:
        operation, node_index, _ = x._keras_history
        if operation is None:
            return None
        node = operation._inbound_nodes[node_index]
        if node in finished or node in in_progress:
            return None
        if not node.is_input and id(x) in input_ids:
            finished.add(node)  # the graph starts at this tensor
            return None
        return node

    for output in outputs:
        root = enter(output)
        if root is None:
            continue
        in_progress.add(root)
        stack = [(root, iter(() if root.is_input else root.input_tensors))]
        while stack:
            node, pending = stack[-1]
            for x in pending:
                child = enter(x)
                if child is not None:
                    in_progress.add(child)
                    stack.append((child, iter(() if child.is_input else child.input_tensors)))
                    break
            else:
                stack.pop()
                in_progress.discard(node)
                finished.add(node)
                order.append(node)
    return order


def _copy(x: KerasTensor) -> KerasTensor:
    return KerasTensor(shape=x.shape, dtype=x.dtype, sparse=x.sparse, name=f"{x.name}_clone")


def clone_graph_nodes(inputs: Any, outputs: Any) -> tuple[Any, Any]:
    """New ``(inputs, outputs)`` (same structures) whose graph is a copy of the calls
    between the given ones, rooted at ``Input()`` tensors."""
    flat_inputs, flat_outputs = tree.flatten(inputs), tree.flatten(outputs)
    to_clone = nodes_between(flat_inputs, flat_outputs)
    replacement: dict[int, KerasTensor] = {}  # id(original tensor) -> its copy
    new_operation: dict[int, Any] = {}  # id(operation behind an input) -> its InputLayer
    new_inputs = []
    for x in flat_inputs:
        if is_input_tensor(x):
            copy = x
        else:
            source = x._keras_history.operation
            copy = Input(batch_shape=x.shape, dtype=x.dtype, sparse=x.sparse,
                         name=f"{x.name}CLONE",
                         optional=isinstance(source, InputLayer) and source.optional)
            new_operation[id(source)] = copy._keras_history.operation
        replacement[id(x)] = copy
        new_inputs.append(copy)
    new_outputs = []
    for x in flat_outputs:
        copy = _copy(x)
        # Keeps pointing at the old node until that node's copy is recorded below.
        copy._keras_history = x._keras_history
        replacement[id(x)] = copy
        new_outputs.append(copy)

    def swap(x: Any) -> Any:
        if not isinstance(x, KerasTensor):
            return x
        if id(x) not in replacement:
            replacement[id(x)] = _copy(x)
        return replacement[id(x)]

    for node in to_clone:
        operation = new_operation.get(id(node.operation), node.operation)
        outputs_copy = [swap(x) for x in node.outputs]
        if isinstance(operation, InputLayer):
            args, kwargs = (), {}
        else:
            args = tree.map_structure(swap, node.arguments.args)
            kwargs = tree.map_structure(swap, node.arguments.kwargs)
        Node(operation, call_args=args, call_kwargs=kwargs, outputs=outputs_copy)
    return (tree.pack_sequence_as(inputs, new_inputs),
            tree.pack_sequence_as(outputs, new_outputs))
