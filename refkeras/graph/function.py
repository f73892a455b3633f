"""``Function``: a reusable graph from input KerasTensors to output KerasTensors."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import Any

from refkeras import tree
from refkeras.graph.keras_tensor import KerasTensor
from refkeras.graph.map_graph import node_keys, plan_graph
from refkeras.graph.operation import Operation


def _copy_structure(structure: Any) -> Any:
    if _is_flat_list_of_tensors(structure):
        return type(structure)(structure)
    return tree.map_structure(lambda x: x, structure)


def _is_flat_list_of_tensors(structure: Any) -> bool:
    # The usual shape of a wide model's outputs; worth skipping optree for.
    return type(structure) in (list, tuple) and all(
        isinstance(x, KerasTensor) for x in structure)


def flatten_tensors(structure: Any) -> list:
    """``tree.flatten(structure)``, quicker for a plain list or tuple of KerasTensors."""
    if _is_flat_list_of_tensors(structure):
        return list(structure)
    return tree.flatten(structure)


class Function(Operation):
    """Captures the computation from ``inputs`` to ``outputs`` and replays it.

    Args:
        inputs: a KerasTensor or a nested structure (list, tuple, dict) of them.
            Inputs may be unused, passed straight to outputs, or intermediate
            tensors of a larger graph (what lies before them is then left out).
        outputs: a KerasTensor or a nested structure of them, computable from
            ``inputs``.
        name: the function's name.

    >>> x = KerasTensor((None, 3))
    >>> f = Function(x, ops.relu(x))                    # doctest: +SKIP
    >>> f(np.array([[-1.0, 0.0, 2.0]]))                 # doctest: +SKIP
    """

    def __init__(self, inputs: Any, outputs: Any, name: str | None = None):
        super().__init__(name=name)
        self._inputs_struct = _copy_structure(inputs)
        self._outputs_struct = _copy_structure(outputs)
        self._inputs = flatten_tensors(inputs)
        self._outputs = flatten_tensors(outputs)
        for label, flat in (("inputs", self._inputs), ("outputs", self._outputs)):
            if not flat:
                raise ValueError(
                    f"`{label}` argument cannot be empty. Received:\n"
                    f"inputs={inputs}\noutputs={outputs}"
                )
        with _collector_paused():
            plan = plan_graph(self._inputs, self._outputs)
        self._graph_nodes = plan.nodes
        self._nodes_by_depth = plan.nodes_by_depth
        self._operations = plan.operations
        self._operations_by_depth = plan.operations_by_depth
        self._schedule = plan.schedule
        if plan.unavailable_outputs:
            paths = tree.flatten_with_path(self._outputs_struct)
            dotted = ".".join(str(p) for p in paths[plan.unavailable_outputs[0]][0])
            raise ValueError(f"Output with path `{dotted}` is not connected to `inputs`")

    @property
    def _nodes(self) -> set:
        """``make_node_key`` of every node of the graph (made on first use: only
        configs need them)."""
        keys = self.__dict__.get("_node_keys")
        if keys is None:
            keys = self.__dict__["_node_keys"] = node_keys(self._graph_nodes)
        return keys

    @property
    def operations(self) -> list:
        """The graph's operations, in map_graph order (a copy)."""
        return self._operations[:]

    @property
    def inputs(self) -> list:
        """Flat list of the symbolic inputs."""
        return self._inputs

    @property
    def outputs(self) -> list:
        """Flat list of the symbolic outputs."""
        return self._outputs

    def call(self, inputs: Any) -> Any:
        """Runs the graph on concrete (or symbolic) ``inputs``."""
        self._assert_input_compatibility(inputs)
        return self._run_through_graph(inputs, lambda op: op)

    def compute_output_spec(self, inputs: Any) -> Any:
        self._assert_input_compatibility(inputs)
        # Same input shapes as the graph was built with: the recorded outputs are the answer.
        if all(x.shape == ref.shape for x, ref in zip(tree.flatten(inputs), self._inputs)):
            return tree.map_structure(lambda x: KerasTensor(x.shape, dtype=x.dtype),
                                      self._outputs_struct)
        return self._run_through_graph(inputs, lambda op: op.compute_output_spec)

    def compute_output_shape(self, input_shape: Any) -> Any:
        specs = [KerasTensor(shape, dtype=ref.dtype, sparse=ref.sparse)
                 for shape, ref in zip(_flatten_shapes(input_shape), self._inputs)]
        out = self.compute_output_spec(tree.pack_sequence_as(self._inputs_struct, specs))
        return tree.map_structure(lambda x: x.shape, out)

    def _run_through_graph(self, inputs: Any, operation_fn: Any) -> Any:
        """Evaluates the schedule, applying ``operation_fn(node.operation)`` at each node."""
        values = {id(x): y for x, y in zip(self._inputs, tree.flatten(inputs))}
        for node in self._schedule:
            args, kwargs = node.arguments.fill_in(values)
            outputs = operation_fn(node.operation)(*args, **kwargs)
            for x, y in zip(node.outputs, tree.flatten(outputs)):
                values[id(x)] = y
        return tree.pack_sequence_as(self._outputs_struct,
                                     [values[id(x)] for x in self._outputs])

    def _assert_input_compatibility(self, inputs: Any) -> None:
        try:
            tree.assert_same_structure(inputs, self._inputs_struct)
        except ValueError:
            raise ValueError(
                "Function was called with an invalid input structure. "
                f"Expected input structure: {self._inputs_struct}\n"
                f"Received input structure: {inputs}"
            ) from None
        for x, ref in zip(tree.flatten(inputs), self._inputs):
            shape = tuple(x.shape)
            if len(shape) != len(ref.shape) or any(
                    d is not None and r is not None and d != r for d, r in zip(shape, ref.shape)):
                raise ValueError(
                    f"{type(self).__name__} was passed incompatible inputs. For input "
                    f"'{ref.name}', expected shape {ref.shape}, but received instead a tensor "
                    f"with shape {x.shape}."
                )


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pauses Python's cyclic garbage collector while a graph is mapped.

    Mapping allocates many short-lived containers; each full collection walks
    the whole heap (which holds the graph), so with the collector running the
    build time grows faster than the graph. Nothing made here forms cycles
    that must be reclaimed promptly.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _flatten_shapes(shapes: Any) -> list:
    """Leaves of a nested structure of shape tuples (a tuple of ints/None is one leaf)."""
    if isinstance(shapes, (tuple, list)) and all(d is None or isinstance(d, int) for d in shapes):
        return [tuple(shapes)]
    if isinstance(shapes, dict):
        return [s for k in sorted(shapes) for s in _flatten_shapes(shapes[k])]
    return [s for item in shapes for s in _flatten_shapes(item)]
