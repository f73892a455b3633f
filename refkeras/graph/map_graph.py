"""``map_graph``: validate a graph and order its nodes and operations.

Depth counts operations between a node and the outputs (outputs have depth 0;
a node's depth is one more than the deepest node consuming it; an operation
takes the largest depth of its nodes). Operations are listed by decreasing
depth, ties broken by the order in which a depth-first walk from the outputs
first reaches them. That order is what files and configs are keyed on, so it
matches upstream Keras exactly.

Unlike upstream, the walk is iterative (no recursion limit) and every step is
linear in the size of the graph: each node and each edge is handled a fixed
number of times, and the only sort is over the distinct depths. Only the walk
reads the graph's objects; the passes after it work on the numbers it gave
nodes and operations (see ``plan_graph``).
"""

from __future__ import annotations

import collections
from typing import Any, NamedTuple


def make_node_key(operation: Any, node_index: int) -> str:
    """Identifies node ``node_index`` of ``operation`` within one process."""
    return f"{id(operation)}_ib-{node_index}"


class GraphPlan(NamedTuple):
    """Everything a Function learns from one walk of its graph.

    ``nodes`` lists every node of the graph; ``schedule`` lists the non-input nodes
    the given inputs can compute, in the order to run them; ``unavailable_outputs``
    holds the positions of the outputs they cannot.
    """

    nodes: list
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
    return (node_keys(plan.nodes), plan.nodes_by_depth, plan.operations,
            plan.operations_by_depth)


def plan_graph(inputs: list, outputs: list) -> GraphPlan:
    """``map_graph``'s validation and orders, plus the run schedule (see GraphPlan).

    The walk is the only pass that reads the graph's objects. It numbers each node
    and operation it reaches, and every later pass works on those numbers in small
    lists: on a wide graph the objects far outgrow the processor's caches, and a
    pass that hashed or re-read each of them would cost a cache miss per node.
    """
    walk = _Walk(inputs)
    walk.run(outputs)
    nodes, node_operation, producers = walk.nodes, walk.node_operation, walk.producers
    operations = walk.operations

    # Depths, visiting nodes from the outputs back (reverse post-order). The order in
    # which nodes first get a depth (possibly as a parent) is the within-depth order of
    # ``nodes_by_depth``, as upstream.
    node_depth = [-1] * len(nodes)  # -1: no depth yet
    operation_depth = [-1] * len(operations)
    node_order: list = []
    for i in reversed(walk.post_order):
        depth = node_depth[i]
        if depth < 0:
            depth = 0
            node_order.append(i)
        o = node_operation[i]
        if operation_depth[o] > depth:
            depth = operation_depth[o]
        operation_depth[o] = node_depth[i] = depth
        depth += 1
        for p in producers[i]:
            if node_depth[p] < depth:
                if node_depth[p] < 0:
                    node_order.append(p)
                node_depth[p] = depth

    # An unused input layer still belongs to the graph: depth 0, ranked before
    # everything else at that depth.
    walked_operations = len(operations)
    first_ranked = []
    for x in inputs:
        operation, node_index, _ = _history(x)
        if operation is not None and operation not in walk.operation_index:
            node = operation._inbound_nodes[node_index]
            if node.is_input:
                o, i = walk.add_unused_input(node, operation)
                operation_depth.append(0)
                first_ranked.append(o)
                node_order.append(i)
                node_depth.append(0)

    nodes_by_depth: dict = collections.defaultdict(list)
    numbers_by_depth: dict = collections.defaultdict(list)
    for i in node_order:
        nodes_by_depth[node_depth[i]].append(nodes[i])
        numbers_by_depth[node_depth[i]].append(i)
    # Within a depth, operations go by first visit (unused input layers first), in
    # ``operations`` and in each list of ``operations_by_depth`` alike.
    operations_by_depth: dict = collections.defaultdict(list)
    for o in first_ranked + list(range(walked_operations)):
        operations_by_depth[operation_depth[o]].append(operations[o])
    ordered = [op for depth in sorted(operations_by_depth, reverse=True)
               for op in operations_by_depth[depth]]

    if walk.simple:
        # Every edge leads to a given input or to a computation node of the graph:
        # the graph is connected and every computation node and output is computable.
        input_numbers = walk.input_numbers
        schedule = [nodes[i] for depth in sorted(numbers_by_depth, reverse=True)
                    for i in numbers_by_depth[depth] if i not in input_numbers]
        unavailable = []
    else:
        schedule, available = _schedule(inputs, nodes_by_depth)
        unavailable = [i for i, x in enumerate(outputs) if id(x) not in available]
    if walk.names_clash:
        _check_unique_names(ordered)
    return GraphPlan(nodes, nodes_by_depth, ordered, operations_by_depth, schedule, unavailable)


class _Walk:
    """Depth-first walk from the outputs, post-order (inputs first).

    Numbers the nodes in the order the walk enters them and the operations in the order
    it first reaches them. Per node number it records the node, its operation's number,
    and the numbers of the walked producers of its input tensors (graph entry points
    left out); ``post_order`` lists the node numbers as the walk finishes them. It also
    notes whether two operations share a name, and whether the graph is *simple*: no
    intermediate tensor among the inputs, and no edge (from a node, or from the outputs
    themselves) leading to a tensor that is neither an input nor made by a computation
    node. Only a graph that is not simple can be disconnected or have outputs or nodes
    the inputs cannot compute.
    """

    def __init__(self, inputs: list):
        self.input_ids = {id(x) for x in inputs}
        self.node_index: dict = {}  # node -> its number
        self.nodes: list = []
        self.node_operation: list = []
        self.producers: list = []  # per node number; None while the node is on the stack
        self.post_order: list = []
        self.input_numbers: set = set()  # numbers of input nodes (made by input layers)
        self.operation_index: dict = {}  # operation -> its number
        self.operations: list = []
        self.cut: set = set()  # nodes making an intermediate tensor given as an input
        self.names_clash = False
        self.simple = True

    def add_unused_input(self, node: Any, operation: Any) -> tuple[int, int]:
        """Numbers an unused input layer and its node, which the walk did not reach;
        returns ``(operation number, node number)``."""
        o = self.operation_index[operation] = len(self.operations)
        self.operations.append(operation)
        number = self.node_index[node] = len(self.nodes)
        self.nodes.append(node)
        self.node_operation.append(o)
        self.producers.append([])
        self.input_numbers.add(number)
        return o, number

    def run(self, outputs: list) -> None:
        # One loop for every edge, the outputs being the edges of a root (number -1).
        # It runs once per edge of the graph, so its lookups are inlined.
        input_ids, index, cut = self.input_ids, self.node_index, self.cut
        nodes, node_operation, producers_of = self.nodes, self.node_operation, self.producers
        operation_index, operations = self.operation_index, self.operations
        names: set = set()
        stack = [(-1, iter(outputs), [])]
        while stack:
            number, pending, producers = stack[-1]
            for tensor in pending:
                try:
                    operation, node_index, _ = tensor._keras_history
                except AttributeError:
                    _history(tensor)  # raises the explanatory error
                if operation is None:
                    if id(tensor) not in input_ids:
                        self.simple = False
                    continue
                node = operation._inbound_nodes[node_index]
                is_input = node.is_input
                if is_input and id(tensor) not in input_ids:
                    self.simple = False  # an input layer that is not among the inputs
                known = index.get(node)
                if known is not None and producers_of[known] is not None:  # finished
                    producers.append(known)
                    continue
                if node in cut or (not is_input and id(tensor) in input_ids):
                    # An intermediate tensor given as an input: the graph starts here. A
                    # cut node still on the stack is finished later, so it counts.
                    cut.add(node)
                    self.simple = False
                    if known is not None:
                        producers.append(known)
                    continue
                if known is not None:
                    raise ValueError(
                        f"Tensor {tensor} from operation '{operation.name}' is part of a "
                        "cycle."
                    )
                o = operation_index.get(operation)
                if o is None:
                    o = operation_index[operation] = len(operations)
                    operations.append(operation)
                    name = operation.name
                    if name in names:
                        self.names_clash = True
                    names.add(name)
                known = index[node] = len(nodes)
                nodes.append(node)
                node_operation.append(o)
                producers_of.append(None)
                if is_input:
                    self.input_numbers.add(known)
                producers.append(known)
                stack.append((known, iter(node.arguments.keras_tensors), []))
                break
            else:
                stack.pop()
                if number >= 0:
                    producers_of[number] = producers
                    self.post_order.append(number)


def _history(tensor: Any) -> Any:
    try:
        return tensor._keras_history
    except AttributeError:
        raise AttributeError(
            f"'KerasTensor' object has no attribute '_keras_history': the tensor {tensor} was "
            "never produced by or passed to an operation, so it is not part of any graph. "
            "Use it in an operation, or create inputs with keras.Input()."
        ) from None


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


def node_keys(nodes: list) -> set:
    """``make_node_key`` of every node in ``nodes``."""
    index_of: dict = {}
    for operation in {node.operation for node in nodes}:
        for i, node in enumerate(operation._inbound_nodes):
            index_of[node] = i
    return {make_node_key(node.operation, index_of[node]) for node in nodes}
