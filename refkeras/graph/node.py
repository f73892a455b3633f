"""``Node``: the record of one call of an Operation on symbolic tensors.

An Operation called k times has k inbound nodes. Each output KerasTensor
carries a ``KerasHistory(operation, node_index, tensor_index)`` pointing back
at the node that made it, which is how a graph is walked from its outputs.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from refkeras import tree
from refkeras.graph.keras_tensor import KerasTensor
from refkeras.graph.symbolic_arguments import SymbolicArguments


class KerasHistory(NamedTuple):
    """Where a KerasTensor came from: ``operation._inbound_nodes[node_index]``,
    output number ``tensor_index`` (None operation for graph entry points)."""

    operation: Any
    node_index: int
    tensor_index: int


class Node:
    """Wires one call into the graph: appends itself to the operation's inbound
    nodes and to the outbound nodes of the operations that produced its inputs,
    and stamps a KerasHistory on each output."""

    # Graph walks read these for every node; slots keep them in the node itself.
    __slots__ = ("operation", "arguments", "outputs", "is_input", "__weakref__")

    def __init__(self, operation: Any, call_args: tuple | None = None,
                 call_kwargs: dict | None = None, outputs: Any = None):
        self.operation = operation
        self.arguments = SymbolicArguments(*(call_args or ()), **(call_kwargs or {}))
        self.outputs = [] if outputs is None else tree.flatten(outputs)
        for x in self.outputs:
            if not isinstance(x, KerasTensor):
                raise ValueError(
                    "All operation outputs must be tensors. "
                    f"Operation {operation} returned a non-tensor. Non-tensor received: {x}"
                )
        inputs = self.arguments.keras_tensors
        # A tensor built with record_history=False switches recording off for the call.
        record = all(x.record_history for x in inputs)
        if record:
            for x in inputs:
                if not hasattr(x, "_keras_history"):
                    x._keras_history = KerasHistory(None, 0, 0)
        operation._inbound_nodes.append(self)
        for x in inputs:
            history = getattr(x, "_keras_history", None)
            if history is not None and history.operation is not None:
                history.operation._outbound_nodes.append(self)
        if record:
            node_index = len(operation._inbound_nodes) - 1
            for i, x in enumerate(self.outputs):
                x._keras_history = KerasHistory(operation, node_index, i)
        self.is_input = not inputs

    def __repr__(self) -> str:
        return f"<Node operation={self.operation.name}, id={id(self)}>"

    @property
    def input_tensors(self) -> list:
        return self.arguments.keras_tensors

    @property
    def output_tensors(self) -> list:
        return self.outputs

    @property
    def parent_nodes(self) -> list[Node]:
        """The nodes whose outputs this node consumes (graph entry points excluded)."""
        parents = []
        for x in self.arguments.keras_tensors:
            operation, node_index, _ = x._keras_history
            if operation is not None:
                parents.append(operation._inbound_nodes[node_index])
        return parents
