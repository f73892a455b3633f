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
        except Exception as e:
            raise _explain_inference_failure(self, e).with_traceback(e.__traceback__) from None
        return tree.map_structure(_as_keras_tensor, specs)

    # --- configuration --------------------------------------------------------------
    def get_config(self) -> dict:
        """The constructor arguments that recreate this operation."""
        config = {"name": self.name}
        if not getattr(type(self).get_config, AUTO_CONFIG_MARK, False):
            return config  # a subclass builds on this base config
        recorded = self.__dict__.get("_auto_config")
        if recorded is _VARIADIC:
            raise NotImplementedError(textwrap.dedent(f"""
                Object {type(self).__name__} was created by passing
                positional only or variadic positional arguments (e.g.,
                `*args`) to `__init__()`, which is not supported by the
                automatic config generation. Please remove all positional
                only and variadic arguments from `__init__()`
                or override `get_config()` and `from_config()` to make
                the object serializatble."""))
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
        params = _init_parameters(type(self))
        takes_kwargs = "kwargs" in params and params["kwargs"].kind is _VAR_KEYWORD
        if "name" not in params and not takes_kwargs:
            config.pop("name", None)  # the constructor could not take it back
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
            raise AttributeError(
                f"The layer {self.name} has never been called and thus has no defined {label}."
            )
        if len(self._inbound_nodes) <= node_index:
            raise ValueError(
                f"Asked to get {label} at node {node_index}, but the operation has only "
                f"{len(self._inbound_nodes)} inbound nodes."
            )
        values = getattr(self._inbound_nodes[node_index], attr)
        return values[0] if isinstance(values, list) and len(values) == 1 else values


def _explain_inference_failure(op: Operation, error: Exception) -> Exception:
    """``error`` re-raised as its own class, with a message saying what to implement."""
    cls = type(op).__name__
    message = (
        f"Could not automatically infer the output shape / dtype of '{op.name}' (of type "
        f"{cls}). Either the `{cls}.call()` method is incorrect, or you need to implement the "
        f"`{cls}.compute_output_spec() / compute_output_shape()` method. "
        f"Error encountered:\n\n{error}"
    )
    try:
        return type(error)(message)
    except Exception:  # an exception class whose constructor takes other arguments
        return RuntimeError(message)


def _as_keras_tensor(spec: Any) -> Any:
    if isinstance(spec, ShapeDtype):
        return KerasTensor(spec.shape, dtype=spec.dtype, sparse=spec.sparse)
    return spec


_VAR_KEYWORD = inspect.Parameter.VAR_KEYWORD
_VAR_POSITIONAL = inspect.Parameter.VAR_POSITIONAL
_POSITIONAL_ONLY = inspect.Parameter.POSITIONAL_ONLY
# Recorded instead of a config when the constructor took positional-only or *args values.
_VARIADIC = "variadic"


@functools.cache
def _init_parameters(cls: type) -> Any:
    # inspect.signature follows the recording wrapper to the real constructor.
    return inspect.signature(cls.__init__).parameters


def _recording_init(init: Any) -> Any:
    """Wraps a subclass ``__init__`` so the outermost call records its arguments.

    Applied once per class at definition time. Only the most derived
    ``__init__`` records (it runs first); calls up the ``super()`` chain see
    the record already present and skip it. Defaults are recorded too, and
    ``name`` is left to ``get_config``.
    """
    recorder = _ArgumentRecorder(inspect.signature(init))

    @functools.wraps(init)
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if "_auto_config" not in self.__dict__:
            self.__dict__["_auto_config"] = recorder.record(args, kwargs)
        init(self, *args, **kwargs)

    __init__.__refkeras_recording__ = True
    return __init__


class _ArgumentRecorder:
    """Turns one constructor call's arguments into a config, as ``Signature.bind``
    plus ``apply_defaults`` would, but with the signature analysed once per class
    (construction is on the hot path of graph building)."""

    _NAMED = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)

    def __init__(self, signature: inspect.Signature):
        self.signature = signature
        params = list(signature.parameters.values())[1:]
        self.variadic = any(p.kind in (_POSITIONAL_ONLY, _VAR_POSITIONAL) for p in params)
        self.positional = [p.name for p in params if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
        self.named = [p.name for p in params if p.kind in self._NAMED]
        self.known = frozenset(self.named)
        self.defaults = {p.name: p.default for p in params
                         if p.kind in self._NAMED and p.default is not p.empty}
        self.takes_kwargs = any(p.kind is _VAR_KEYWORD for p in params)

    def record(self, args: tuple, kwargs: dict) -> Any:
        if self.variadic:
            return _record(self.signature, args, kwargs)
        if len(args) > len(self.positional):
            return None  # the constructor itself will raise
        given = dict(zip(self.positional, args))
        extra = {}
        for key, value in kwargs.items():
            if key in given:
                return None
            if key in self.known:
                given[key] = value
            elif self.takes_kwargs:
                extra[key] = value
            else:
                return None
        config = {}
        for key in self.named:
            if key in given:
                config[key] = given[key]
            elif key in self.defaults:
                config[key] = self.defaults[key]
            else:
                return None  # a required argument is missing
        config.update(extra)
        config.pop("name", None)
        return _if_replayable(config)


def _record(signature: inspect.Signature, args: tuple, kwargs: dict) -> Any:
    """The constructor arguments as a config; None when they cannot be replayed,
    ``_VARIADIC`` when the constructor takes positional-only or ``*args`` values."""
    try:
        bound = signature.bind(None, *args, **kwargs)
    except TypeError:
        return None  # the constructor itself will raise
    params = list(signature.parameters.values())
    if any(p.kind is _POSITIONAL_ONLY for p in params[1:]):
        return _VARIADIC
    bound.apply_defaults()
    config = dict(bound.arguments)
    config.pop(params[0].name)  # self
    for p in params:
        if p.kind is _VAR_KEYWORD:
            config.update(config.pop(p.name))
        elif p.kind is _VAR_POSITIONAL and config.pop(p.name):
            return _VARIADIC
    config.pop("name", None)
    return _if_replayable(config)


def _if_replayable(config: dict) -> dict | None:
    """``config`` when every value (nested values too) is a plain scalar, else None."""
    return config if _plain_leaves(list(config.values())) else None


def _plain_leaves(structure: Any) -> bool:
    """Whether every leaf of ``structure`` is a plain scalar. Stops at the first leaf
    that is not: a Function's constructor gets every output tensor of its graph, and
    the first one settles it."""
    pending = [structure]
    while pending:
        value = pending.pop()
        kind = type(value)
        if kind in _SCALAR_TYPES:
            continue
        if kind is list or kind is tuple:
            pending.extend(reversed(value))
        elif kind is dict:
            pending.extend(reversed(value.values()))
        else:  # another container the tree module knows (namedtuple, deque, ...), or a leaf
            try:
                leaves = tree.flatten(value)
            except TypeError:
                return False
            if len(leaves) == 1 and leaves[0] is value:
                if not isinstance(value, _AUTO_CONFIG_TYPES):
                    return False
            else:
                pending.extend(leaves)
    return True


_SCALAR_TYPES = frozenset(_AUTO_CONFIG_TYPES)


def automatic_config(method: Any) -> Any:
    """Marks a ``get_config`` that base classes may define (``Layer.get_config``)
    as still automatic: a class that does not override it gets the recorded
    constructor arguments."""
    setattr(method, AUTO_CONFIG_MARK, True)
    return method


AUTO_CONFIG_MARK = "__refkeras_automatic_config__"
automatic_config(Operation.get_config)

# The base constructor records too, so subclasses without their own __init__ get a config.
Operation.__init__ = _recording_init(Operation.__init__)
