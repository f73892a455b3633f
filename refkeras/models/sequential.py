"""``Sequential``: a model that is a plain stack of one-input, one-output layers.

The stack lives in the model's layer store (``_layers``), an ``InputLayer``
first once the input shape is known. Whenever the shape is known (an
``Input()`` first, a first layer with ``input_shape``, ``build()``, or the
first call) the stack is wired into a private Functional model, which then
runs the calls; ``layers`` hides the automatic ``InputLayer``.
"""

from __future__ import annotations

import copy
import inspect
from typing import Any

from refkeras import backend, tree
from refkeras.layers import InputLayer, Layer
from refkeras.layers.masking import get_keras_mask
from refkeras.layers.tracking import LAYERS
from refkeras.models.functional import Functional
from refkeras.models.model import Model
from refkeras.serialization import builtin, deserialize_keras_object, serialize_keras_object


@builtin("keras")
class Sequential(Model):
    """A linear stack of layers.

    Args:
        layers: the layers, in order (an ``Input()`` tensor may come first).
        trainable: whether the model's weights train.
        name: the model's name.

    >>> model = Sequential([Input(shape=(16,)), Dense(8)])          # doctest: +SKIP
    >>> model.add(Dense(4))                                           # doctest: +SKIP
    >>> len(model.weights)                                            # doctest: +SKIP
    4
    """

    def __init__(self, layers: list | None = None, trainable: bool = True,
                 name: str | None = None):
        super().__init__(trainable=trainable, name=name)
        self._set_functional(None)
        if layers:
            for layer in layers:
                self.add(layer, rebuild=False)
            self._maybe_rebuild()

    def _lock_state(self) -> None:
        pass  # a Sequential stays editable after it is built, as upstream's

    def _set_functional(self, functional: Functional | None) -> None:
        # The inner model is a way of running the stack, not a sub-layer: kept out of
        # the layer store so that ``layers``, weights and configs never see it.
        object.__setattr__(self, "_functional", functional)

    # --- the stack ------------------------------------------------------------------------
    def add(self, layer: Any, rebuild: bool = True) -> None:
        """Puts ``layer`` (or the InputLayer behind an ``Input()`` tensor) on top."""
        if not self._layers and getattr(layer, "_input_shape_arg", None) is not None:
            self.add(InputLayer(shape=layer._input_shape_arg))  # legacy ``input_shape=``
        history = getattr(layer, "_keras_history", None)
        if history is not None and isinstance(history.operation, InputLayer):
            layer = history.operation
        if not isinstance(layer, Layer):
            raise ValueError(
                "Only instances of `keras.Layer` can be added to a Sequential model. "
                f"Received: {layer} (of type {type(layer)})"
            )
        if any(other.name == layer.name and other is not layer for other in self._layers):
            raise ValueError(
                "All layers added to a Sequential model should have unique names. Name "
                f"'{layer.name}' is already the name of a layer in this model. Update the "
                "`name` argument to pass a unique name."
            )
        if isinstance(layer, InputLayer) and self._layers and isinstance(self._layers[0],
                                                                         InputLayer):
            raise ValueError(
                f"Sequential model '{self.name}' has already been configured to use input "
                f"shape {self._layers[0].batch_shape}. You cannot add a different Input "
                "layer to it."
            )
        self._push(layer)
        if rebuild:
            self._maybe_rebuild()
        else:
            self.built = False
            self._set_functional(None)

    def _push(self, layer: Layer, front: bool = False) -> None:
        if self._tracker.contains(LAYERS, layer):
            self._layers.append(layer)  # the same layer twice in the stack
        else:
            self._tracker.add(LAYERS, layer)
        if front:
            self._layers.insert(0, self._layers.pop())

    def pop(self, rebuild: bool = True) -> Layer:
        """Removes and returns the top layer."""
        layer = self._layers.pop()
        if not any(other is layer for other in self._layers):
            self._tracker.untrack(layer)
        self.built = False
        self._set_functional(None)
        if rebuild:
            self._maybe_rebuild()
        return layer

    def _maybe_rebuild(self) -> None:
        self.built = False
        self._set_functional(None)
        first = self._layers[0]
        if isinstance(first, InputLayer) and len(self._layers) > 1:
            self.build(first.batch_shape)
        elif hasattr(first, "input_shape") and len(self._layers) > 1:
            self.build(first.input_shape)  # e.g. a functional model first

    @property
    def layers(self) -> list:
        """The stacked layers, without the automatic InputLayer."""
        if self._layers and isinstance(self._layers[0], InputLayer):
            return list(self._layers[1:])
        return list(self._layers)

    @layers.setter
    def layers(self, _: Any) -> None:
        raise AttributeError(
            "`Sequential.layers` attribute is reserved and should not be used. Use `add()` "
            "and `pop()` to change the layers in this model."
        )

    # --- building and running -----------------------------------------------------------
    def build(self, input_shape: Any = None) -> None:
        try:
            input_shape = backend.standardize_shape(input_shape)
        except Exception:
            return  # not a single input shape: the stack runs layer by layer
        if not self._layers:
            raise ValueError(
                f"Sequential model {self.name} cannot be built because it has no layers. "
                "Call `model.add(layer)`."
            )
        if isinstance(self._layers[0], InputLayer):
            if self._layers[0].batch_shape != input_shape:
                raise ValueError(
                    f"Sequential model '{self.name}' has already been configured to use "
                    f"input shape {self._layers[0].batch_shape}. You cannot build it with "
                    f"input_shape {input_shape}"
                )
        else:
            dtype = self._layers[0].compute_dtype
            self._push(InputLayer(batch_shape=input_shape, dtype=dtype), front=True)
        inputs = x = self._layers[0].output
        for layer in self._layers[1:]:
            try:
                x = layer(x)
            except NotImplementedError:
                return  # a layer cannot infer its output shape
            except TypeError as e:
                _explain_signature(layer)
                raise e
        self._set_functional(Functional(inputs=inputs, outputs=x))

    def call(self, inputs: Any, training: Any = None, mask: Any = None, **kwargs: Any) -> Any:
        if self._functional:
            return self._functional.call(inputs, training=training, mask=mask, **kwargs)
        # No graph (nested inputs): apply the layers one after the other.
        outputs = inputs
        for layer in self.layers:
            facts = layer._call_facts
            layer_kwargs = {k: v for k, v in kwargs.items() if k in layer._call_context_args}
            if facts.has_mask:
                layer_kwargs["mask"] = mask
            if facts.has_training and training is not None:
                layer_kwargs["training"] = training
            outputs = layer(inputs, **layer_kwargs)
            inputs = outputs
            mask = tree.map_structure(get_keras_mask, outputs)
        return outputs

    def compute_output_spec(self, inputs: Any, training: Any = None, mask: Any = None,
                            **kwargs: Any) -> Any:
        if self._functional:
            return self._functional.compute_output_spec(inputs, training=training, mask=mask)
        outputs = inputs
        for layer in self.layers:
            outputs = layer.compute_output_spec(inputs, training=training, **kwargs)
            inputs = outputs
        return outputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        if self._functional:
            return self._functional.compute_output_shape(input_shape)
        for layer in self.layers:
            input_shape = layer.compute_output_shape(input_shape)
        return input_shape

    def _graph_attribute(self, name: str) -> Any:
        if self._functional:
            return getattr(self._functional, name)
        raise AttributeError(f"Sequential model '{self.name}' has no defined "
                             f"{name.replace('_', ' ')} yet.")

    input_shape = property(lambda self: self._graph_attribute("input_shape"))
    output_shape = property(lambda self: self._graph_attribute("output_shape"))
    inputs = property(lambda self: self._graph_attribute("inputs"))
    outputs = property(lambda self: self._graph_attribute("outputs"))

    @property
    def input_dtype(self) -> str:
        """Inputs are converted to the InputLayer's dtype when there is one."""
        if self._layers and isinstance(self._layers[0], InputLayer):
            return self._layers[0].dtype
        return super().input_dtype

    # --- configuration --------------------------------------------------------------------
    def get_config(self) -> dict:
        layer_configs = [serialize_keras_object(layer) for layer in Model.layers.fget(self)]
        config = Model.get_config(self)
        config["name"] = self.name
        config["layers"] = copy.deepcopy(layer_configs)
        if self._functional is not None:
            config["build_input_shape"] = self._layers[0].batch_shape
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> Sequential:
        if "name" not in config:
            raise ValueError(
                "A Sequential model configuration must be a dictionary containing the "
                f"'name' and 'layers' keys. Received: config={config}"
            )
        model = cls(name=config["name"])
        for layer_config in config["layers"]:
            model.add(deserialize_keras_object(layer_config, custom_objects=custom_objects))
        shape = config.get("build_input_shape")
        if not model._functional and shape and isinstance(shape, (tuple, list)):
            model.build(shape)
        return model


def _explain_signature(layer: Layer) -> None:
    """Raises a clearer error when a layer's ``call`` cannot take a single tensor."""
    params = inspect.signature(layer.call).parameters.values()
    positional = [p for p in params
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    required = [p for p in positional if p.default is inspect.Parameter.empty]
    if not positional:
        raise ValueError(
            "Layers added to a Sequential model should have a single positional argument, "
            f"the input tensor. Layer {type(layer).__name__} has no positional arguments."
        )
    if len(required) > 1:
        raise ValueError(
            "Layers added to a Sequential model can only have a single required positional "
            f"argument, the input tensor. Layer {type(layer).__name__} has multiple required "
            f"positional arguments: {required}"
        )
