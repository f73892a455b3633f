"""A functional graph as a config, and back.

The config lists the model's operations in ``layers`` order, each with its
serialized config plus ``name`` and ``inbound_nodes``: one ``{"args", "kwargs"}``
entry per call made *within this model* (calls made elsewhere, e.g. in another
model sharing the layer, are left out). Tensors inside those arguments are
written as ``[layer_name, node_index, tensor_index]`` where ``node_index``
counts only this model's calls of that layer. ``input_layers`` and
``output_layers`` mirror the nesting of the model's inputs and outputs, with
one quirk kept from upstream: there, a nested Functional's calls are counted
from 1, and reading the config subtracts that 1 again.

Reading replays the calls: every layer is created first, then calls are made
in ``layers`` order, postponing any call whose input tensors do not exist yet
(a layer shared at several depths), until all calls are made.
"""

from __future__ import annotations

import copy
from typing import Any

from refkeras import tree
from refkeras.graph.keras_tensor import KerasTensor
from refkeras.graph.map_graph import make_node_key
from refkeras.graph.node import KerasHistory
from refkeras.graph.operation import Operation
from refkeras.serialization import deserialize_keras_object, serialize_keras_object


def _own_node_indices(model: Any, functional: type) -> dict:
    """``node key -> index among this model's calls`` for every node in the model.

    Counting starts at 1 for a nested Functional (upstream's convention for
    ``input_layers``/``output_layers``)."""
    renumbered = {}
    for operation in model.operations:
        kept = 1 if isinstance(operation, functional) else 0
        for i in range(len(operation._inbound_nodes)):
            key = make_node_key(operation, i)
            if key in model._nodes:
                renumbered[key] = kept
                kept += 1
    return renumbered


def _serialize_node(node: Any, own_nodes: set) -> dict | None:
    """A call's arguments, with tensors' node indices counting only ``own_nodes``."""
    if not node.input_tensors:
        return None  # an InputLayer's node: nothing to replay

    def serialize_tensor(x: Any) -> Any:
        if not isinstance(x, KerasTensor):
            return x
        operation, node_index, tensor_index = x._keras_history
        foreign = sum(make_node_key(operation, i) not in own_nodes for i in range(node_index))
        x._keras_history = KerasHistory(operation, node_index - foreign, tensor_index)
        try:
            return serialize_keras_object(x)
        finally:
            x._keras_history = KerasHistory(operation, node_index, tensor_index)

    args = tree.map_structure(serialize_tensor, node.arguments.args)
    kwargs = tree.map_structure(serialize_tensor, node.arguments.kwargs)
    return {"args": serialize_keras_object(args), "kwargs": serialize_keras_object(kwargs)}


def graph_config(model: Any, functional: type) -> dict:
    """``{"name", "trainable", "layers", "input_layers", "output_layers"}``."""
    config = {"name": model.name, "trainable": model.trainable}
    renumbered = _own_node_indices(model, functional)
    own_nodes = model._nodes
    layer_configs = []
    for operation in model.operations:
        nodes = []
        for i, node in enumerate(operation._inbound_nodes):
            if make_node_key(operation, i) in own_nodes:
                data = _serialize_node(node, own_nodes)
                if data is not None:
                    nodes.append(data)
        entry = serialize_keras_object(operation)
        entry["name"] = operation.name
        entry["inbound_nodes"] = nodes
        layer_configs.append(entry)
    config["layers"] = layer_configs

    def tensor_entry(x: KerasTensor) -> list:
        operation, node_index, tensor_index = x._keras_history
        key = make_node_key(operation, node_index)
        if key not in own_nodes:
            raise RuntimeError(f"Internal error: could not find node key {key}.")
        return [operation.name, renumbered[key], tensor_index]

    config["input_layers"] = tree.map_structure(tensor_entry, model._inputs_struct)
    config["output_layers"] = tree.map_structure(tensor_entry, model._outputs_struct)
    return copy.deepcopy(config)


# --- reading --------------------------------------------------------------------------------
def _revived_arguments(node_data: Any, created: dict) -> tuple[Any, Any]:
    """``(args, kwargs)`` of a recorded call, tensors looked up among ``created``'s nodes.
    Raises IndexError when a needed call has not been replayed yet."""
    if not node_data:
        return [], {}
    if isinstance(node_data, list):  # Keras 2 style: [[name, node, tensor, kwargs?], ...]
        tensors, kwargs = [], {}
        for entry in node_data:
            if len(entry) not in (3, 4):
                raise ValueError("Cannot deserialize the model (invalid config data?)")
            name, node_index, tensor_index = entry[:3]
            kwargs = entry[3] if len(entry) == 4 else {}
            if name not in created:
                raise ValueError(
                    f"Invalid Functional model configuration. Missing node: {name}")
            tensors.append(_output_of(created[name], node_index, tensor_index))
        return [tensors[0] if len(tensors) == 1 else tensors], kwargs
    args = deserialize_keras_object(node_data["args"])
    kwargs = deserialize_keras_object(node_data["kwargs"])

    def revive(x: Any) -> Any:
        if not isinstance(x, KerasTensor):
            return x
        history = getattr(x, "_pre_serialization_keras_history", None)
        if history is None:
            return x
        operation = created.get(history[0])
        if operation is None:
            raise ValueError(f"Unknown layer: {history[0]}")
        return _output_of(operation, history[1], history[2])

    return tree.map_structure(revive, args), tree.map_structure(revive, kwargs)


def _output_of(operation: Any, node_index: int, tensor_index: int) -> Any:
    if len(operation._inbound_nodes) <= node_index:
        raise IndexError(
            f"Layer node index out of bounds.\ninbound_layer = {operation}\n"
            f"inbound_layer._inbound_nodes = {operation._inbound_nodes}\n"
            f"inbound_node_index = {node_index}"
        )
    return operation._inbound_nodes[node_index].output_tensors[tensor_index]


def revive_graph(cls: type, config: dict, custom_objects: dict | None,
                 functional: type) -> Any:
    """An instance of ``cls`` rebuilt from ``graph_config()``'s output."""
    config = dict(config)
    layer_configs = config.pop("layers")
    input_layers, output_layers = config.pop("input_layers"), config.pop("output_layers")
    name, trainable = config.pop("name", None), config.pop("trainable", None)

    created: dict[str, Any] = {}
    pending: dict[str, list] = {}  # layer name -> its calls not yet replayed
    for layer_data in layer_configs:
        operation = deserialize_keras_object(layer_data, custom_objects=custom_objects)
        if not isinstance(operation, Operation):
            raise ValueError(
                "Unexpected object from deserialization, expected a layer or operation, "
                f"got a {type(operation)}"
            )
        created[layer_data["name"]] = operation
        if layer_data["inbound_nodes"]:
            pending[layer_data["name"]] = list(layer_data["inbound_nodes"])

    while pending:
        progressed = False
        for layer_data in layer_configs:
            layer_name = layer_data["name"]
            calls = pending.get(layer_name)
            if not calls:
                continue
            done = 0
            for node_data in calls:
                try:
                    args, kwargs = _revived_arguments(node_data, created)
                except IndexError:
                    break  # an input is made by a call replayed later
                created[layer_name](*args, **kwargs)
                done += 1
            if done:
                progressed = True
                if done == len(calls):
                    del pending[layer_name]
                else:
                    pending[layer_name] = calls[done:]
        if not progressed:
            raise ValueError(
                "Invalid Functional model configuration. The graph of the Functional model "
                "either has loops or disconnected nodes. The following nodes failed to be "
                f"resolved: {pending}"
            )

    def tensor(entry: list) -> Any:
        layer_name, node_index, tensor_index = entry
        if layer_name not in created:
            raise RuntimeError(f"Internal error: could not find layer {layer_name}.")
        operation = created[layer_name]
        if isinstance(operation, functional):
            node_index -= 1  # see the module docstring
        return operation._inbound_nodes[node_index].output_tensors[tensor_index]

    def tensors(structure: Any) -> Any:
        if (isinstance(structure, list) and len(structure) == 3
                and isinstance(structure[0], str)):
            return tensor(structure)
        if isinstance(structure, dict):
            return {k: tensors(v) for k, v in structure.items()}
        if isinstance(structure, tuple):
            return tuple(tensors(v) for v in structure)
        return [tensors(v) for v in structure]

    return cls(inputs=tensors(input_layers), outputs=tensors(output_layers), name=name,
               trainable=trainable, **config)
