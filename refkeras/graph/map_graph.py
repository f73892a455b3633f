"""``map_graph``: validate a graph and order its nodes and operations.

Depth counts operations between a node and the outputs (outputs have depth 0;
a node's depth is one more than the deepest node consuming it; an operation
takes the largest depth of its nodes). Operations are listed by decreasing
depth, ties broken by the order in which a depth-first walk from the outputs
first reaches them. That order is what files and configs are keyed on, so it
matches upstream Keras exactly.

Unlike upstream, the walk is iterative (no recursion limit) and every step is
linear in the size of the graph: each node and each edge is handled a fixed
number of times, and the only sort is over the distinct depths.
"""

from __future__ import annotations

import collections
from typing import Any, NamedTuple


def make_node_key(operation: Any, node_index: int) -> str:
    """Identifies node ``node_index`` of ``operation`` within one process."""
    return f"{id(operation)}_ib-{node_index}"


class GraphPlan(NamedTuple):
    """Everything a Function learns from one walk of its graph.

    ``node_depth`` maps each node of the graph to its depth; ``schedule`` lists
    the non-input nodes the given inputs can compute, in the order to run them;
    ``unavailable_outputs`` holds the positions of the outputs they cannot.
    """

    node_depth: dict
    nodes_by_depth: dict
    operations: list
    operations_by_depth: dict
    schedule: list
    unavailable_outputs: list


def map_graph(inputs: list, outputs: list) -> tuple[set, dict, list, dict]:
    """Validates the graph from ``inputs`` to ``outputs`` (flat lists of KerasTensors).

    Returns ``(node_keys, nodes_by_depth, operations, operations_by_depth)``.
    Raises ValueError for a cycle, a disconnected graph, or duplicate operation names.
    """
    plan = plan_graph(inputs, outputs)
    return (node_keys(plan.node_depth), plan.nodes_by_depth, plan.operations,
            plan.operations_by_depth)


def plan_graph(inputs: list, outputs: list) -> GraphPlan:
    """``map_graph``'s validation and orders, plus the run schedule (see GraphPlan)."""
    walk = _Walk(inputs)
    walk.run(outputs)
    parents = walk.parents

    # Depths, visiting nodes from the outputs back (reverse post-order). Insertion
    # order of ``node_depth`` (a node enters when first given a depth, possibly as a
    # parent) is the within-depth order of ``nodes_by_depth``, as upstream.
    node_depth: dict = {}
    operation_depth: dict = {}
    for node in reversed(parents):
        operation = node.operation
        depth = max(node_depth.get(node, 0), operation_depth.get(operation, 0))
        operation_depth[operation] = depth
        node_depth[node] = depth
        depth += 1
        for parent in parents[node]:
            if parent in parents and node_depth.get(parent, -1) < depth:
                node_depth[parent] = depth

    first_ranked = []  # unused input layers sort before everything else at depth 0
    for x in inputs:
        operation, node_index, _ = _history(x)
        if operation is not None and operation not in operation_depth:
            node = operation._inbound_nodes[node_index]
            if node.is_input:  # an unused input layer still belongs to the graph
                operation_depth[operation] = 0
                first_ranked.append(operation)
                node_depth[node] = 0
                walk.input_nodes.add(node)

    nodes_by_depth: dict = collections.defaultdict(list)
    for node, depth in node_depth.items():
        nodes_by_depth[depth].append(node)
    operations_by_depth: dict = collections.defaultdict(list)
    for operation, depth in operation_depth.items():
        operations_by_depth[depth].append(operation)
    # Ties within a depth go by first visit: bucket the operations in that order.
    ranked: dict = collections.defaultdict(list)
    for operation in first_ranked + list(walk.first_seen):
        ranked[operation_depth[operation]].append(operation)
    operations = [op for depth in sorted(ranked, reverse=True) for op in ranked[depth]]

    if walk.simple:
        # Every edge leads to a given input or to a computation node of the graph:
        # the graph is connected and every computation node can run.
        input_nodes = walk.input_nodes
        schedule = [node for depth in sorted(nodes_by_depth, reverse=True)
                    for node in nodes_by_depth[depth] if node not in input_nodes]
        unavailable = [i for i, x in enumerate(outputs) if not walk.is_available(i, x)]
    else:
        schedule, available = _schedule(inputs, nodes_by_depth)
        unavailable = [i for i, x in enumerate(outputs) if id(x) not in available]
    if walk.names_clash:
        _check_unique_names(operations)
    return GraphPlan(node_depth, nodes_by_depth, operations, operations_by_depth, schedule,
                     unavailable)


class _Walk:
    """Depth-first walk from the outputs, post-order (inputs first).

    Collects each reached node's producers of its input tensors (graph entry points
    left out) in a dict filled in post-order, so it also gives the order; the operations
    in order of first visit (a dict used as an ordered set) and the input nodes;
    notes whether two operations share a name, and whether the graph is *simple*:
    no intermediate tensor among the inputs, and no edge from a tensor that is
    neither an input nor made by a computation node. Only a graph that is not
    simple can be disconnected or have nodes the inputs cannot compute.
    """

    def __init__(self, inputs: list):
        self.input_ids = {id(x) for x in inputs}
        self.parents: dict = {}  # node -> its producers, entered when the node is done
        self.entered: set = set()  # the nodes on the walk's stack: re-entering one is a cycle
        self.cut: set = set()  # nodes making an intermediate tensor given as an input
        self.first_seen: dict = {}
        self.input_nodes: set = set()
        self.names: set = set()
        self.names_clash = False
        self.simple = True
        self.output_nodes: list = []  # the node that made each output (None: entry point)

    def descend(self, tensor: Any, node: Any, operation: Any) -> bool:
        """Whether the walk must enter ``node`` (which made ``tensor``)."""
        if node in self.parents or node in self.cut:
            return False
        if id(tensor) in self.input_ids and not node.is_input:
            # An intermediate tensor given as an input: the graph starts here.
            self.cut.add(node)
            self.simple = False
            return False
        if node in self.entered:
            raise ValueError(
                f"Tensor {tensor} from operation '{operation.name}' is part of a cycle."
            )
        if operation not in self.first_seen:
            self.first_seen[operation] = None
            name = operation.name
            self.names_clash = self.names_clash or name in self.names
            self.names.add(name)
        if node.is_input:
            self.input_nodes.add(node)
        self.entered.add(node)
        return True

    def run(self, outputs: list) -> None:
        parents, entered, input_ids = self.parents, self.entered, self.input_ids
        for output in outputs:
            operation, node_index, _ = _history(output)
            if operation is None:
                self.output_nodes.append(None)
                continue
            node = operation._inbound_nodes[node_index]
            self.output_nodes.append(node)
            if not self.descend(output, node, operation):
                continue
            stack = [(node, iter(node.arguments.keras_tensors), [])]
            while stack:
                node, pending, producers = stack[-1]
                for tensor in pending:
                    # This loop runs once per edge of the graph; lookups are inlined.
                    try:
                        child_operation, node_index, _ = tensor._keras_history
                    except AttributeError:
                        _history(tensor)  # raises the explanatory error
                    if child_operation is None:
                        if id(tensor) not in input_ids:
                            self.simple = False
                        continue
                    child = child_operation._inbound_nodes[node_index]
                    producers.append(child)
                    if id(tensor) not in input_ids and child.is_input:
                        self.simple = False  # an input layer that is not among the inputs
                    if child not in parents and self.descend(tensor, child, child_operation):
                        stack.append((child, iter(child.arguments.keras_tensors), []))
                        break
                else:
                    stack.pop()
                    entered.discard(node)
                    parents[node] = producers

    def is_available(self, index: int, output: Any) -> bool:
        """Whether a simple graph's inputs can compute output number ``index``."""
        if id(output) in self.input_ids:
            return True
        node = self.output_nodes[index]
        return node is not None and node in self.parents and node not in self.input_nodes


def _history(tensor: Any) -> Any:
    try:
        return tensor._keras_history
    except AttributeError:
        raise AttributeError(
            f"'KerasTensor' object has no attribute '_keras_history': the tensor {tensor} was "
            "never produced by or passed to an operation, so it is not part of any graph. "
            "Use it in an operation, or create inputs with keras.Input()."
        ) from None


def _producer(tensor: Any) -> Any:
    """The node that made ``tensor``; None for a graph entry point."""
    operation, node_index, _ = _history(tensor)
    return None if operation is None else operation._inbound_nodes[node_index]


def _schedule(inputs: list, nodes_by_depth: dict) -> tuple[list, set]:
    """The non-input nodes computable from ``inputs``, deepest first, and the ids of
    every tensor they make available. Raises for a node fed by a tensor that no
    node of the graph (nor the inputs) makes."""
    available = {id(x) for x in inputs}
    # Made by the graph, but not from the given inputs: outputs of input layers that
    # are not among them, and of the nodes depending on those (not scheduled).
    unavailable: set = set()
    schedule = []
    for depth in sorted(nodes_by_depth, reverse=True):
        for node in nodes_by_depth[depth]:
            runnable = not node.is_input
            for x in node.input_tensors:
                if id(x) not in available:
                    if id(x) not in unavailable:
                        raise _disconnected(x, node, nodes_by_depth)
                    runnable = False
            if runnable:
                schedule.append(node)
                available.update(map(id, node.outputs))
            else:
                unavailable.update(map(id, node.outputs))
    return schedule, available


def _disconnected(tensor: Any, at: Any, nodes_by_depth: dict) -> ValueError:
    # The operations checked before the failure, one entry per input tensor checked.
    visited: list[str] = []
    for depth in sorted(nodes_by_depth, reverse=True):
        for node in nodes_by_depth[depth]:
            for x in node.input_tensors:
                if node is at and x is tensor:
                    return ValueError(
                        f"Graph disconnected: cannot find parent for tensor {tensor} at "
                        f"operation '{at.operation}'. The following previous operations were "
                        f"accessed without issue: {visited}"
                    )
                visited.append(node.operation.name)
    raise AssertionError("unreachable: the failing node belongs to the graph")


def _check_unique_names(operations: list) -> None:
    names = [op.name for op in operations]
    if len(set(names)) == len(names):
        return
    counts = collections.Counter(names)
    for name in names:
        if counts[name] != 1:
            raise ValueError(
                f'The name "{name}" is used {counts[name]} times in the model. '
                "All operation names should be unique."
            )


def node_keys(node_depth: dict) -> set:
    """``make_node_key`` of every node in ``node_depth``."""
    index_of: dict = {}
    for operation in {node.operation for node in node_depth}:
        for i, node in enumerate(operation._inbound_nodes):
            index_of[node] = i
    return {make_node_key(node.operation, index_of[node]) for node in node_depth}
