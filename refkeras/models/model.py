"""``Model``: a Layer that groups layers, the base of Functional and Sequential.

A Model is made in one of three ways:

- ``Model(inputs, outputs)``: a graph of layers; the object created is a
  :class:`~refkeras.models.functional.Functional`.
- subclassing: layers assigned in ``__init__``, the forward pass in ``call``.
- :class:`~refkeras.models.sequential.Sequential`: a stack of layers.

``compile``/``fit``/``evaluate``/``predict`` come from ``TrainingAPI`` (implemented in
``refkeras.training``); this module keeps to structure: ``layers``, ``get_layer``,
``summary``, configs and JSON.
"""

from __future__ import annotations

import inspect
import json
import warnings
from typing import Any, ClassVar

from refkeras import backend
from refkeras.graph.keras_tensor import KerasTensor
from refkeras.layers import Layer
from refkeras.layers.build import is_default
from refkeras.models import persistence
from refkeras.models import summary as summaries
from refkeras.models.export import export_model
from refkeras.models.training_api import TrainingAPI
from refkeras.serialization import builtin, deserialize_keras_object, serialize_keras_object

# The config keys without which a config cannot describe a functional graph.
FUNCTIONAL_CONFIG_KEYS = ("name", "layers", "input_layers", "output_layers")


def is_functional_call(args: tuple, kwargs: dict) -> bool:
    """Whether constructor arguments describe a graph: ``(inputs, outputs)``
    positionally, ``(inputs, outputs=...)``, or both as keywords."""
    return (len(args) == 2 or (len(args) == 1 and "outputs" in kwargs)
            or ("inputs" in kwargs and "outputs" in kwargs))


@builtin("keras")
class Model(TrainingAPI, Layer):
    """A layer made of layers, with structure-level tools (see the module docstring).

    >>> inputs = Input(shape=(3,))                                  # doctest: +SKIP
    >>> model = Model(inputs, Dense(2)(inputs))                      # doctest: +SKIP
    >>> type(model).__name__                                        # doctest: +SKIP
    'Functional'
    """

    # Set by refkeras.models.functional, which defines Functional as a subclass of
    # Model and so cannot be imported from here.
    _functional_class: ClassVar[type | None] = None

    def __new__(cls, *args: Any, **kwargs: Any) -> Model:
        # The one piece of class magic in models/: upstream's documented way to make a
        # functional model is ``Model(inputs, outputs)``, and the object must then *be*
        # a Functional (``type(model) is Functional``). Only ``__new__`` can choose the
        # class of the object a constructor call returns; Python then runs
        # ``Functional.__init__`` on it with the same arguments.
        if cls is Model and is_functional_call(args, kwargs):
            cls = Model._functional_class
        return super().__new__(cls)

    def __init__(self, *args: Any, **kwargs: Any):
        functional = Model._functional_class
        if is_functional_call(args, kwargs) and not isinstance(self, functional):
            # A subclass of Model given (inputs, outputs): as upstream, its class becomes
            # a subclass of Functional (see make_functional_subclass).
            make_functional_subclass(type(self), functional)
        if isinstance(self, functional) and is_functional_call(args, kwargs):
            functional.__init__(self, *args, **kwargs)
        else:
            Layer.__init__(self, *args, **kwargs)

    def call(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(
            f"Model {type(self).__name__} does not have a `call()` method implemented."
        )

    # --- structure ----------------------------------------------------------------------
    @property
    def layers(self) -> list:
        """The model's direct sub-layers."""
        return list(self._flatten_layers(include_self=False, recursive=False))

    @layers.setter
    def layers(self, _: Any) -> None:
        raise AttributeError(
            "`Model.layers` attribute is reserved and should not be used. "
            "Please use another name."
        )

    def get_layer(self, name: str | None = None, index: int | None = None) -> Layer:
        """The layer called ``name``, or at position ``index`` of ``layers``."""
        if index is not None and name is not None:
            raise ValueError(
                "Provide only a layer name or a layer index. Received: "
                f"index={index}, name={name}."
            )
        layers = self.layers
        if index is not None:
            if len(layers) <= index:
                raise ValueError(
                    f"Was asked to retrieve layer at index {index} but model only has "
                    f"{len(layers)} layers."
                )
            return layers[index]
        if name is not None:
            for layer in layers:
                if layer.name == name:
                    return layer
            raise ValueError(
                f"No such layer: {name}. Existing layers are: "
                f"{[layer.name for layer in layers]}."
            )
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    def _summary_entries(self) -> tuple[list, dict | None]:
        """The rows ``summary()`` shows, and the graph's nodes by depth (None: no graph)."""
        return self.layers, None

    def summary(self, line_length: int | None = None, positions: list | None = None,
                print_fn: Any = None, expand_nested: bool = False,
                show_trainable: bool = False, layer_range: Any = None) -> None:
        """Prints a table of the layers and the parameter counts.

        Args:
            line_length: width of the table (default: 88, or 108 with a
                "Connected to" column, capped by the terminal width).
            positions: right edge of each column, as fractions of ``line_length``.
            print_fn: called once with the whole text instead of printing it.
            expand_nested: also list the layers inside nested models.
            show_trainable: add a column saying whether each layer trains.
            layer_range: two name patterns (regular expressions); only the
                layers from the first match to the last match are listed.
        """
        summaries.print_summary(self, line_length=line_length, positions=positions,
                                print_fn=print_fn, expand_nested=expand_nested,
                                show_trainable=show_trainable, layer_range=layer_range)

    # --- configs ------------------------------------------------------------------------
    # --- files (implemented in refkeras.saving) ------------------------------------------
    def save(self, filepath: Any, overwrite: bool = True, zipped: bool | None = None,
             **kwargs: Any) -> None:
        """Writes the model (config, weights, assets) to a ``.keras`` file, atomically."""
        persistence.saving().save_model(self, filepath, overwrite=overwrite, zipped=zipped,
                                        **kwargs)

    def save_weights(self, filepath: Any, overwrite: bool = True,
                     max_shard_size: Any = None) -> None:
        """Writes the weights to a ``.weights.h5`` file, atomically."""
        persistence.saving().save_weights(self, filepath, overwrite=overwrite,
                                          max_shard_size=max_shard_size)

    def load_weights(self, filepath: Any, skip_mismatch: bool = False, **kwargs: Any) -> None:
        """Loads weights from a ``.weights.h5`` or ``.keras`` file; all or nothing."""
        persistence.saving().load_weights(self, filepath, skip_mismatch=skip_mismatch, **kwargs)

    def export(self, filepath: Any, format: str = "tf_saved_model", verbose: bool | None = None,
               input_signature: Any = None, **kwargs: Any) -> None:
        """Writes an inference artifact (a TensorFlow SavedModel with a ``serve``
        endpoint); see ``refkeras.models.export``."""
        export_model(self, filepath, format=format, verbose=verbose,
                            input_signature=input_signature, **kwargs)

    def to_json(self, **kwargs: Any) -> str:
        """The serialized model as a JSON string; ``kwargs`` go to ``json.dumps``."""
        return json.dumps(serialize_keras_object(self), **kwargs)

    def build_from_config(self, config: dict | None) -> None:
        """Rebuilds from ``get_build_config()``: by ``build`` when the class defines one,
        else by running ``call`` on symbolic inputs. Warns when that fails."""
        if not config:
            return
        built = False
        if "input_shape" in config:
            shape = config["input_shape"]
            if is_default(self.build):
                built = _trace_call(self, (_symbolic(shape),), {})
            else:
                built = _try(lambda: self.build(shape))
            self._build_shapes_dict = config
        elif "shapes_dict" in config:
            shapes = config["shapes_dict"]
            if is_default(self.build):
                built = all(_is_shape(s) for s in shapes.values()) and _trace_call(
                    self, (), {k.removesuffix("_shape"): KerasTensor(s)
                               for k, s in shapes.items()})
            else:
                built = _try(lambda: self.build(**shapes))
            self._build_shapes_dict = shapes
        if not built:
            warnings.warn(
                f"Model '{self.name}' had a build config, but the model cannot be built "
                "automatically in `build_from_config(config)`. You should implement "
                "`def build_from_config(self, config)`, and you might also want to "
                "implement the method  that generates the config at saving time, "
                "`def get_build_config(self)`. The method `build_from_config()` is meant to "
                "create the state of the model (i.e. its variables) upon deserialization.",
                stacklevel=2,
            )

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> Model:
        """Rebuilds a model: a functional graph when ``config`` describes one and the
        class can take ``(inputs, outputs)``, else ``cls(**config)``."""
        functional = Model._functional_class
        describes_graph = all(key in config for key in FUNCTIONAL_CONFIG_KEYS)
        if describes_graph and takes_functional_arguments(cls, functional, False):
            return functional.revive(cls, config, custom_objects)
        try:
            return cls(**config)
        except TypeError as e:
            raise TypeError(
                "Unable to revive model from config. When overriding the `get_config()` "
                "method, make sure that the returned config contains all items used as "
                f"arguments in the  constructor to {cls}, which is the default behavior. "
                "You can override this default behavior by defining a "
                "`from_config(cls, config)` class method to specify how to create an "
                f"instance of {cls.__name__} from its config.\n\nReceived config={config}"
                f"\n\nError encountered during deserialization: {e}"
            ) from e


def takes_functional_arguments(cls: type, functional: type, any_variadic_names: bool) -> bool:
    """Whether ``cls(inputs=..., outputs=..., name=...)`` builds a graph model: Model and
    Functional themselves, constructors with exactly Functional's named parameters, or
    ``*args, **kwargs`` (spelled so unless ``any_variadic_names``, as upstream checks)."""
    if cls in (Model, functional):
        return True
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    if [p.name for p in params if p.kind is p.POSITIONAL_OR_KEYWORD] == ["inputs", "outputs",
                                                                         "name"]:
        return True
    star = [p.name for p in params if p.kind is p.VAR_POSITIONAL]
    double_star = [p.name for p in params if p.kind is p.VAR_KEYWORD]
    if any_variadic_names:
        return bool(star and double_star)
    return star == ["args"] and double_star == ["kwargs"]


def make_functional_subclass(cls: type, functional: type) -> None:
    """Puts Functional where Model was among the ancestors of ``cls``.

    Upstream behaviour, reproduced because it is observable: after
    ``MyModel(inputs, outputs)``, ``issubclass(MyModel, Functional)`` holds, and
    ``get_config``/``from_config`` of MyModel go through the graph. Classes
    outside the Model hierarchy (mixins) are left alone.
    """
    pending = [cls]
    while pending:
        current = pending.pop()
        if issubclass(current, functional):
            continue
        bases = tuple(functional if base is Model else base for base in current.__bases__)
        if bases != current.__bases__:
            current.__bases__ = bases
        pending.extend(b for b in bases if issubclass(b, Model) and b is not functional)


def _is_shape(value: Any) -> bool:
    return isinstance(value, (tuple, list)) and all(d is None or isinstance(d, int)
                                                   for d in value)


def _symbolic(shapes: Any) -> Any:
    """KerasTensors for a nest of shapes (a shape is a leaf)."""
    if _is_shape(shapes):
        return KerasTensor(tuple(shapes))
    if isinstance(shapes, dict):
        return {k: _symbolic(v) for k, v in shapes.items()}
    return type(shapes)(_symbolic(s) for s in shapes)


def _trace_call(model: Model, args: tuple, kwargs: dict) -> bool:
    """Runs ``call`` on symbolic inputs, which builds the layers it uses."""
    return _try(lambda: backend.compute_output_spec(model.call, *args, **kwargs))


def _try(action: Any) -> bool:
    try:
        action()
    except Exception:
        return False
    return True


def model_from_json(json_string: str, custom_objects: dict | None = None) -> Any:
    """Rebuilds a model from ``Model.to_json()``'s output."""
    return deserialize_keras_object(json.loads(json_string), custom_objects=custom_objects)


__all__ = ["Model", "is_functional_call", "model_from_json"]
