"""The one place the conformance suite reads graph internals.

Upstream keras and refkeras share the names read here (``_keras_history``,
``_inbound_nodes``, ``_outbound_nodes``, a Function's ``_nodes_by_depth`` and
``_operations_by_depth``, and a node's ``operation``); the two names they do not share (the Node class's module,
the node accessor behind ``input``/``output``) are looked up per implementation
below. Everything else goes through public API. A digest turns
a Function into plain data keyed by *labels* the test gave its operations, so
two implementations are compared without ever comparing objects or names.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

# Where each implementation keeps its Node class (needed only to wire a cycle by hand).
_NODE_MODULES = {"keras": "keras.src.ops.node", "refkeras": "refkeras.graph.node"}
# The private accessor behind ``Operation.input``/``output``, (node_index, attr, attr_name).
_NODE_ATTRIBUTE = {"keras": "_get_node_attribute_at_index", "refkeras": "_node_attribute"}

Label = Callable[[Any], str]  # operation -> its test-assigned label
NodeKey = tuple[str, int]  # (operation label, index of the call among the op's nodes)


def history(tensor: Any) -> tuple[Any, int, int] | None:
    """``(operation, node_index, tensor_index)`` of a KerasTensor, None if it has none."""
    found = getattr(tensor, "_keras_history", None)
    return None if found is None else (found[0], int(found[1]), int(found[2]))


def producer(tensor: Any) -> Any:
    """The operation whose call produced ``tensor`` (None for a graph entry point)."""
    found = history(tensor)
    return None if found is None else found[0]


def inbound_nodes(operation: Any) -> list:
    """One node per symbolic call of ``operation``, in call order."""
    return list(operation._inbound_nodes)


def outbound_nodes(operation: Any) -> list:
    """One node per consumption of one of ``operation``'s output tensors."""
    return list(operation._outbound_nodes)


def node_key(node: Any, label: Label) -> NodeKey:
    """A node named by its operation's label and its position among that op's calls."""
    operation = node.operation
    calls = inbound_nodes(operation)
    index = next(i for i, other in enumerate(calls) if other is node)
    return label(operation), index


def node_class(lib: ModuleType) -> type:
    """The Node class of ``lib`` (the keras or refkeras module)."""
    return importlib.import_module(_NODE_MODULES[lib.__name__]).Node


def node_attribute_at(lib: ModuleType, operation: Any, index: int, attr: str,
                      attr_name: str) -> Any:
    """The inputs/outputs (``attr``) of the ``index``-th call, via ``lib``'s private accessor."""
    return getattr(operation, _NODE_ATTRIBUTE[lib.__name__])(index, attr, attr_name)


@dataclass(frozen=True)
class GraphDigest:
    """What a Function's graph looks like, as comparable plain data."""

    operations: tuple[str, ...]  # labels, in ``Function.operations`` order
    depths: tuple[tuple[NodeKey, int], ...]  # every node's depth, sorted by key
    schedule: tuple[NodeKey, ...]  # nodes by decreasing depth, in list order within a depth
    wiring: tuple[tuple[str, int, int], ...]  # (label, #inbound, #outbound) per operation
    # (depth, labels in list order) per depth of the Function's ``_operations_by_depth``
    operations_by_depth: tuple[tuple[int, tuple[str, ...]], ...]


def digest(function: Any, label: Label) -> GraphDigest:
    """Reads ``function``'s graph into a :class:`GraphDigest`."""
    by_depth = {int(depth): list(nodes) for depth, nodes in function._nodes_by_depth.items()}
    depths = {}
    schedule = []
    for depth in sorted(by_depth, reverse=True):
        for node in by_depth[depth]:
            key = node_key(node, label)
            depths[key] = depth
            schedule.append(key)
    operations = function.operations
    return GraphDigest(
        operations=tuple(label(op) for op in operations),
        depths=tuple(sorted(depths.items())),
        schedule=tuple(schedule),
        wiring=tuple(sorted(
            (label(op), len(inbound_nodes(op)), len(outbound_nodes(op))) for op in operations
        )),
        operations_by_depth=tuple(sorted(
            (int(depth), tuple(label(op) for op in ops))
            for depth, ops in function._operations_by_depth.items()
        )),
    )
