"""The symbolic graph: KerasTensor, Node, Operation, Function and map_graph."""

from refkeras.graph.function import Function
from refkeras.graph.keras_tensor import KerasTensor, any_symbolic_tensors, is_keras_tensor
from refkeras.graph.map_graph import map_graph
from refkeras.graph.node import KerasHistory, Node
from refkeras.graph.operation import Operation

__all__ = ["Function", "KerasHistory", "KerasTensor", "Node", "Operation", "any_symbolic_tensors",
           "is_keras_tensor", "map_graph"]
