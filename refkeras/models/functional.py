"""``Functional``: a Model defined by a graph of layers from inputs to outputs.

It is both a :class:`~refkeras.graph.Function` (the graph, its order and its
replay) and a :class:`~refkeras.models.model.Model` (a layer owning the
graph's layers). ``Model(inputs, outputs)`` creates one.
"""

from __future__ import annotations

import warnings
from typing import Any

from refkeras import tree
from refkeras.graph.function import Function, flatten_tensors
from refkeras.graph.keras_tensor import KerasTensor
from refkeras.layers import InputLayer, InputSpec, Layer
from refkeras.layers.input_spec import assert_input_compatibility
from refkeras.layers.masking import set_keras_mask
from refkeras.layers.tracking import LAYERS
from refkeras.models import functional_config, functional_inputs
from refkeras.models.graph_cloning import clone_graph_nodes, is_input_tensor
from refkeras.models.model import Model, takes_functional_arguments
from refkeras.serialization import register_builtin

# Set by Function.__init__: bookkeeping of the graph, not state of the layer. Stored
# as given (Layer attribute tracking would turn lists into tracking lists, which would
# then leak into the structure of the model's outputs).
_GRAPH_ATTRIBUTES = frozenset({
    "_inputs_struct", "_outputs_struct", "_inputs", "_outputs", "_graph_nodes", "_nodes_by_depth",
    "_operations", "_operations_by_depth", "_schedule",
})


class Functional(Function, Model):
    """A model whose forward pass is the graph from ``inputs`` to ``outputs``.

    Args:
        inputs: the model's input KerasTensor(s), a tensor or a list, tuple or
            dict of them; usually from ``Input()``. Intermediate tensors of a
            larger graph are allowed (the graph is then re-rooted at them).
        outputs: the output KerasTensor(s), any nesting of them.
        name: the model's name.
        trainable: whether the model's weights train.

    >>> inputs = Input(shape=(3,))                                   # doctest: +SKIP
    >>> model = Functional(inputs, Dense(2)(inputs))                  # doctest: +SKIP
    """

    def __init__(self, inputs: Any, outputs: Any, name: str | None = None, **kwargs: Any):
        if isinstance(inputs, dict):
            for key, x in inputs.items():
                if isinstance(x, KerasTensor) and key != x.name:
                    warnings.warn(
                        "When providing `inputs` as a dict, all keys in the dict must match "
                        "the names of the corresponding tensors. Received key "
                        f"'{key}' mapping to value {x} which has name '{x.name}'. Change the "
                        f"tensor name to '{key}' (via `Input(..., name='{key}')`)",
                        stacklevel=2,
                    )
        trainable = kwargs.pop("trainable", None)
        flat_inputs = flatten_tensors(inputs)
        _check_all_keras_tensors("inputs", inputs, flat_inputs)
        _check_all_keras_tensors("outputs", outputs, flatten_tensors(outputs))
        if not all(is_input_tensor(x) for x in flat_inputs):
            inputs, outputs = clone_graph_nodes(inputs, outputs)

        Function.__init__(self, inputs, outputs, name=name)
        if trainable is not None:
            self.trainable = trainable
        tracker = self._tracker
        contains, add = tracker.contains, tracker.add
        for layer in self.layers:  # filed directly: they are known to be layers
            if not contains(LAYERS, layer):
                add(LAYERS, layer)
        self.build(None)
        self._convert_input_args = False  # inputs are converted per input, in call()
        self._allow_non_tensor_positional_args = True
        self.output_names = [x._keras_history.operation.name for x in self.outputs]

    def _lock_state(self) -> None:
        pass  # a functional model stays open to new attributes after building

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _GRAPH_ATTRIBUTES:
            object.__setattr__(self, name, value)
        else:
            super().__setattr__(name, value)

    # --- structure ------------------------------------------------------------------------
    @property
    def layers(self) -> list:
        """The graph's layers in graph order (input layers first; plain ops left out)."""
        return [op for op in self._operations if isinstance(op, Layer)]

    @layers.setter
    def layers(self, _: Any) -> None:
        raise AttributeError(
            "`Model.layers` attribute is reserved and should not be used. "
            "Please use another name."
        )

    def _summary_entries(self) -> tuple[list, dict | None]:
        return self._operations, self._nodes_by_depth

    def build(self, input_shape: Any) -> None:
        self.built = True

    @property
    def input(self) -> Any:
        """The inputs as given to the constructor (same nesting)."""
        return self._inputs_struct

    @property
    def output(self) -> Any:
        """The outputs as given to the constructor (same nesting)."""
        return self._outputs_struct

    @property
    def input_shape(self) -> Any:
        shapes = [x.shape for x in self.inputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self) -> Any:
        shapes = [x.shape for x in self.outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def input_spec(self) -> Any:
        """One InputSpec per input (batch axis free, a trailing 1 may be squeezed)."""
        if "_manual_input_spec" in self.__dict__:
            return self._manual_input_spec
        layout = self._inputs_struct
        if isinstance(layout, dict):
            if not all(isinstance(x, KerasTensor) for x in layout.values()):
                return None  # deeper nesting: not checked
            return [_spec_for(layout[key], key) for key in sorted(layout)]
        return [_spec_for(x) for x in self.inputs]

    @input_spec.setter
    def input_spec(self, value: Any) -> None:
        self.__dict__["_manual_input_spec"] = value

    def add_loss(self, loss: Any) -> None:
        raise NotImplementedError

    # --- running ----------------------------------------------------------------------------
    def call(self, inputs: Any, training: Any = None, mask: Any = None, **kwargs: Any) -> Any:
        self._assert_input_compatibility(inputs)
        flat = functional_inputs.standardize_inputs(self, inputs)
        if mask is not None:
            for x, m in zip(flat, tree.flatten(mask)):
                if m is not None:
                    set_keras_mask(x, m)
        context = {"training": training, **kwargs}
        outputs = self._run_through_graph(flat, lambda op: _with_context(op, context))
        if isinstance(outputs, (list, tuple)) and len(outputs) == 1:
            return outputs[0]
        return outputs

    def compute_output_spec(self, inputs: Any, training: Any = None, mask: Any = None) -> Any:
        return Function.compute_output_spec(self, inputs)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return Function.compute_output_shape(self, input_shape)

    def _assert_input_compatibility(self, inputs: Any) -> None:
        functional_inputs.check_not_missing(self, inputs)
        spec = self.input_spec
        if spec:
            assert_input_compatibility(spec, inputs, layer_name=self.name)

    # --- configuration --------------------------------------------------------------------
    def get_config(self) -> dict:
        if not takes_functional_arguments(type(self), Functional, True):
            # A subclass with its own constructor: its author must write the config.
            return Model.get_config(self)
        return functional_config.graph_config(self, Functional)

    @staticmethod
    def revive(cls: type, config: dict, custom_objects: dict | None = None) -> Any:
        """An instance of ``cls`` (Functional or a subclass) from ``get_config()``."""
        return functional_config.revive_graph(cls, config, custom_objects, Functional)


def _check_all_keras_tensors(label: str, structure: Any, flat: list) -> None:
    for x in flat:
        if not isinstance(x, KerasTensor):
            raise ValueError(
                f"All `{label}` values must be KerasTensors. Received: {label}={structure} "
                f"including invalid value {x} of type {type(x)}"
            )


def _spec_for(x: KerasTensor, name: str | None = None) -> InputSpec:
    source = x._keras_history.operation
    shape = list(x.shape)
    if shape:
        shape[0] = None
    return InputSpec(shape=tuple(shape), allow_last_axis_squeeze=True,
                     name=source.name if name is None else name,
                     optional=isinstance(source, InputLayer) and source.optional)


def _with_context(operation: Any, context: dict) -> Any:
    """``operation`` called with the outer call's ``training`` (and other context
    arguments) added, for operations that take them."""
    accepted = getattr(operation, "_call_context_args", ())
    extra = {k: v for k, v in context.items() if v is not None and k in accepted}
    if not extra:
        return operation

    def call(*args: Any, **kwargs: Any) -> Any:
        return operation(*args, **{**kwargs, **extra})

    return call


Model._functional_class = Functional
register_builtin("keras.src.models.functional", Functional, registered_name="Functional")
