"""The arguments of one recorded call: which of them are KerasTensors, and how to
substitute concrete values for them when the graph is run again."""

from __future__ import annotations

from typing import Any

from refkeras import tree
from refkeras.graph.keras_tensor import KerasTensor


class SymbolicArguments:
    """``args``/``kwargs`` of a call, with the KerasTensors among them listed in order."""

    __slots__ = ("args", "kwargs", "keras_tensors", "_single")

    def __init__(self, *args: Any, **kwargs: Any):
        self.args = args
        self.kwargs = kwargs
        # The common case, one positional tensor, gets a fast path in fill_in.
        if not kwargs and len(args) == 1 and isinstance(args[0], KerasTensor):
            self._single = args[0]
            self.keras_tensors = [args[0]]
        else:
            self._single = None
            self.keras_tensors = [x for x in tree.flatten((args, kwargs))
                                  if isinstance(x, KerasTensor)]

    def convert(self, conversion_fn: Any) -> tuple[tuple, dict]:
        """``(args, kwargs)`` with ``conversion_fn`` applied to every leaf."""
        return (tree.map_structure(conversion_fn, self.args),
                tree.map_structure(conversion_fn, self.kwargs))

    def fill_in(self, tensor_dict: dict[int, Any]) -> tuple[tuple, dict]:
        """``(args, kwargs)`` with each KerasTensor replaced by ``tensor_dict[id(tensor)]``
        (``None`` when absent)."""
        if self._single is not None:
            return (tensor_dict[id(self._single)],), {}

        def substitute(x: Any) -> Any:
            return tensor_dict.get(id(x)) if isinstance(x, KerasTensor) else x

        return self.convert(substitute)
