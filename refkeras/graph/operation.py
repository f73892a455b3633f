"""``Operation``: the unit of computation in a refkeras graph.

Called on concrete tensors it computes (``call``); called on KerasTensors it
infers output shapes and dtypes (``compute_output_spec``) and records a Node.
"""

from __future__ import annotations

import functools
import inspect
import textwrap
from typing import Any

from refkeras import backend, tree
from refkeras.backend.naming import auto_name
from refkeras.backend.symbolic import ShapeDtype
from refkeras.graph.keras_tensor import KerasTensor, any_symbolic_tensors
from refkeras.graph.node import Node

# Constructor arguments of these types can be replayed from a config.
_AUTO_CONFIG_TYPES = (str, int, float, bool, type(None))


class Operation:
    """Base class of ops, layers and functions.

    Subclasses implement ``call(*args, **kwargs)``, and optionally
    ``compute_output_spec`` (by default inferred by tracing ``call``).
    Constructor arguments that are plain Python scalars are recorded, so
    ``get_config`` works without being overridden.

    >>> class Double(Operation):
    ...     def call(self, x):
    ...         return x * 2
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "__init__" in cls.__dict__:
            cls.__init__ = _recording_init(cls.__init__)

    def __init__(self, name: str | None = None):
        if name is None:
            name = auto_name(type(self).__name__)
        if not isinstance(name, str) or "/" in name:
            raise ValueError(
                "Argument `name` must be a string and cannot contain character `/`. "
                f"Received: name={name} (of type {type(name)})"
            )
        self.name = name
        self._inbound_nodes: list[Node] = []
        self._outbound_nodes: list[Node] = []

    # --- calling --------------------------------------------------------------------
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if any_symbolic_tensors(args, kwargs):
            return self.symbolic_call(*args, **kwargs)
        return self.call(*args, **kwargs)

    def symbolic_call(self, *args: Any, **kwargs: Any) -> Any:
        """Infers the outputs' specs and records the call as a Node."""
        outputs = self.compute_output_spec(*args, **kwargs)
        Node(self, call_args=args, call_kwargs=kwargs, outputs=outputs)
        return outputs

    def call(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    def compute_output_spec(self, *args: Any, **kwargs: Any) -> Any:
        """Output KerasTensor(s) for symbolic inputs, found by tracing ``call``."""
        try:
            specs = backend.compute_output_spec(self.call, *args, **kwargs)
        except TypeError:
            raise
        except Exception as e:
            cls = type(self).__name__
            raise RuntimeError(
                f"Could not automatically infer the output shape / dtype of '{self.name}' "
                f"(of type {cls}). Either the `{cls}.call()` method is incorrect, or you need "
                f"to implement the `{cls}.compute_output_spec() / compute_output_shape()` "
                f"method. Error encountered:\n\n{e}"
            ).with_traceback(e.__traceback__) from None
        return tree.map_structure(_as_keras_tensor, specs)

    # --- configuration --------------------------------------------------------------
    def get_config(self) -> dict:
        """The constructor arguments that recreate this operation."""
        config = {"name": self.name}
        if type(self).get_config is not Operation.get_config:
            return config  # a subclass builds on this base config
        recorded = self.__dict__.get("_auto_config")
        if recorded is None:
            raise NotImplementedError(textwrap.dedent(f"""
                Object {type(self).__name__} was created by passing
                non-serializable argument values in `__init__()`,
                and therefore the object must override `get_config()` in
                order to be serializable. Please implement `get_config()`.

                Example:

                class CustomLayer(keras.layers.Layer):
                    def __init__(self, arg1, arg2, **kwargs):
                        super().__init__(**kwargs)
                        self.arg1 = arg1
                        self.arg2 = arg2

                    def get_config(self):
                        config = super().get_config()
                        config.update({{"arg1": self.arg1, "arg2": self.arg2}})
                        return config"""))
        config.update(recorded)
        spec = _init_argspec(type(self))
        if spec.varkw != "kwargs" and "name" not in spec.args[1:]:
            config.pop("name", None)
        return config

    @classmethod
    def from_config(cls, config: dict) -> Operation:
        """Recreates an operation from ``get_config()``'s output."""
        try:
            return cls(**config)
        except Exception as e:
            raise TypeError(
                f"Error when deserializing class '{cls.__name__}' using config={config}.\n\n"
                f"Exception encountered: {e}"
            ) from e

    def __repr__(self) -> str:
        return f"<Operation name={self.name}>"

    # --- symbolic inputs and outputs --------------------------------------------------
    @property
    def input(self) -> Any:
        """The input tensor(s) of the first call."""
        return self._node_attribute(0, "input_tensors", "input")

    @property
    def output(self) -> Any:
        """The output tensor(s) of the first call."""
        return self._node_attribute(0, "output_tensors", "output")

    def _node_attribute(self, node_index: int, attr: str, label: str) -> Any:
        if not self._inbound_nodes:
            raise ValueError(
                f"The layer {self.name} has never been called and thus has no defined {label}."
            )
        if len(self._inbound_nodes) <= node_index:
            raise ValueError(
                f"Asked to get {label} at node {node_index}, but the operation has only "
                f"{len(self._inbound_nodes)} inbound nodes."
            )
        values = getattr(self._inbound_nodes[node_index], attr)
        return values[0] if isinstance(values, list) and len(values) == 1 else values


def _as_keras_tensor(spec: Any) -> Any:
    if isinstance(spec, ShapeDtype):
        return KerasTensor(spec.shape, dtype=spec.dtype, sparse=spec.sparse)
    return spec


@functools.cache
def _init_argspec(cls: type) -> inspect.FullArgSpec:
    return inspect.getfullargspec(cls.__init__)


def _recording_init(init: Any) -> Any:
    """Wraps a subclass ``__init__`` so the outermost call records its arguments.

    Applied once per class at definition time. Only the most derived
    ``__init__`` records (it runs first); calls up the ``super()`` chain see
    the record already present and skip it.
    """
    names = inspect.getfullargspec(init).args[1:]

    @functools.wraps(init)
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if "_auto_config" not in self.__dict__:
            self.__dict__["_auto_config"] = _record(names, args, kwargs)
        init(self, *args, **kwargs)

    __init__.__refkeras_recording__ = True
    return __init__


def _record(names: list[str], args: tuple, kwargs: dict) -> dict | None:
    config = dict(kwargs)
    config.update(zip(names, args))
    try:
        leaves = tree.flatten(config)
    except TypeError:
        return None
    if all(isinstance(x, _AUTO_CONFIG_TYPES) for x in leaves):
        return config
    return None


# The base constructor records too, so subclasses without their own __init__ get a config.
Operation.__init__ = _recording_init(Operation.__init__)
