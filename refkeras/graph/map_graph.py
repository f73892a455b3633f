"""``map_graph``: validate a graph and order its nodes and operations.

Depth counts operations between a node and the outputs (outputs have depth 0;
a node's depth is one more than the deepest node consuming it; an operation
takes the largest depth of its nodes). Operations are listed by decreasing
depth, ties broken by the order in which a depth-first walk from the outputs
first reaches them. That order is what files and configs are keyed on, so it
matches upstream Keras exactly.

Unlike upstream, the walk is iterative (no recursion limit) and every step is
linear in the size of the graph.
"""

from __future__ import annotations

import collections
from typing import Any


def make_node_key(operation: Any, node_index: int) -> str:
    """Identifies node ``node_index`` of ``operation`` within one process."""
    return f"{id(operation)}_ib-{node_index}"


class _Walk:
    """Depth-first walk from the outputs, post-order (inputs first)."""

    def __init__(self, inputs: list):
        self.input_ids = {id(x) for x in inputs}
        self.finished: set = set()
        self.in_progress: set = set()
        self.order: list = []  # nodes, from inputs towards outputs
        self.operation_index: dict = {}  # operation -> rank of first visit

    def enter(self, tensor: Any) -> Any:
        """The node that produced ``tensor`` if the walk must descend into it."""
        history = _history(tensor)
        operation = history.operation
        if operation is None:
            return None
        node = operation._inbound_nodes[history.node_index]
        if node in self.finished:
            return None
        if not node.is_input and id(tensor) in self.input_ids:
            # An intermediate tensor given as an input: the graph starts here.
            self.finished.add(node)
            return None
        if node in self.in_progress:
            raise ValueError(
                f"Tensor {tensor} from operation '{operation.name}' is part of a cycle."
            )
        self.operation_index.setdefault(operation, len(self.operation_index))
        self.in_progress.add(node)
        return node

    def run(self, outputs: list) -> None:
        for output in outputs:
            node = self.enter(output)
            if node is None:
                continue
            stack = [(node, iter(() if node.is_input else node.input_tensors))]
            while stack:
                node, pending = stack[-1]
                for tensor in pending:
                    child = self.enter(tensor)
                    if child is not None:
                        stack.append((child, iter(() if child.is_input else child.input_tensors)))
                        break
                else:
                    stack.pop()
                    self.in_progress.discard(node)
                    self.finished.add(node)
                    self.order.append(node)


def _history(tensor: Any) -> Any:
    try:
        return tensor._keras_history
    except AttributeError:
        raise AttributeError(
            f"'KerasTensor' object has no attribute '_keras_history': the tensor {tensor} was "
            "never produced by or passed to an operation, so it is not part of any graph. "
            "Use it in an operation, or create inputs with keras.Input()."
        ) from None


def map_graph(inputs: list, outputs: list) -> tuple[set, dict, list, dict]:
    """Validates the graph from ``inputs`` to ``outputs`` (flat lists of KerasTensors).

    Returns ``(node_keys, nodes_by_depth, operations, operations_by_depth)``.
    Raises ValueError for a cycle, a disconnected graph, or duplicate operation names.
    """
    walk = _Walk(inputs)
    walk.run(outputs)
    in_graph = set(walk.order)

    node_depth: dict = {}
    operation_depth: dict = {}
    for node in reversed(walk.order):
        depth = max(node_depth.setdefault(node, 0), operation_depth.get(node.operation, 0))
        operation_depth[node.operation] = depth
        node_depth[node] = depth
        for parent in node.parent_nodes:
            if parent in in_graph:
                node_depth[parent] = max(depth + 1, node_depth.get(parent, 0))

    operation_index = walk.operation_index
    for x in inputs:
        history = _history(x)
        operation = history.operation
        if operation is not None and operation not in operation_depth:
            node = operation._inbound_nodes[history.node_index]
            if node.is_input:  # an unused input layer still belongs to the graph
                operation_depth[operation] = 0
                operation_index[operation] = -1
                node_depth[node] = 0

    nodes_by_depth: dict = collections.defaultdict(list)
    for node, depth in node_depth.items():
        nodes_by_depth[depth].append(node)
    operations_by_depth: dict = collections.defaultdict(list)
    for operation, depth in operation_depth.items():
        operations_by_depth[depth].append(operation)

    operations = []
    for depth in sorted(operations_by_depth, reverse=True):
        operations.extend(sorted(operations_by_depth[depth], key=operation_index.__getitem__))

    _check_connected(inputs, nodes_by_depth)
    _check_unique_names(operations)
    return _node_keys(node_depth), nodes_by_depth, operations, operations_by_depth


def _check_connected(inputs: list, nodes_by_depth: dict) -> None:
    computable = set(inputs)
    visited: list[str] = []  # for the error message
    for depth in sorted(nodes_by_depth, reverse=True):
        for node in nodes_by_depth[depth]:
            for x in node.input_tensors:  # already a flat list
                if x not in computable:
                    raise ValueError(
                        f"Graph disconnected: cannot find parent for tensor {x} at operation "
                        f"'{node.operation}'. The following previous operations were accessed "
                        f"without issue: {visited}"
                    )
                visited.append(node.operation.name)
            computable.update(node.outputs)


def _check_unique_names(operations: list) -> None:
    counts = collections.Counter(op.name for op in operations)
    for op in operations:
        if counts[op.name] != 1:
            raise ValueError(
                f'The name "{op.name}" is used {counts[op.name]} times in the model. '
                "All operation names should be unique."
            )


def _node_keys(nodes: dict) -> set:
    index_of: dict = {}
    for operation in {node.operation for node in nodes}:
        for i, node in enumerate(operation._inbound_nodes):
            index_of[node] = i
    return {make_node_key(node.operation, index_of[node]) for node in nodes}
