"""The registry of refkeras's built-in serializable objects, by upstream public name.

Configs name built-ins the way upstream Keras exports them (``"keras.layers"``,
``"Dense"``), not by refkeras's module paths, so that each library reads the
other's JSON. Each refkeras package declares its public objects here with
:func:`builtin` (or :func:`register_builtin`); the serializer then writes those
names, and the deserializer finds the object from them without importing any
package above ``refkeras.serialization``.

>>> @builtin("keras.constraints")
... class NonNeg: ...
>>> lookup("keras.constraints", "NonNeg") is NonNeg
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

# Upstream resolves a plain function name (``{"module": "builtins", "config": "relu"}``)
# by looking in these public modules; a fixed order keeps the answer deterministic.
FUNCTION_MODULES = (
    "keras.activations", "keras.constraints", "keras.initializers", "keras.losses",
    "keras.metrics", "keras.optimizers", "keras.regularizers",
)


class PublicName(NamedTuple):
    """How a built-in is written in a config."""

    module: str
    name: str
    registered_name: str | None  # None for public API objects


_BY_KEY: dict[tuple[str, str], Any] = {}
_BY_OBJECT: dict[Any, PublicName] = {}


def register_builtin(module: str, obj: Any, name: str | None = None,
                     aliases: Iterable[str] = (), registered_name: str | None = None) -> Any:
    """Declares ``obj`` as the built-in written as ``module`` + ``name``.

    Args:
        module: upstream's public module, e.g. ``"keras.initializers"``.
        obj: the class or function.
        name: its public name (default ``obj.__name__``).
        aliases: further names that resolve to ``obj`` on load (never written).
        registered_name: what the config's ``registered_name`` holds; None for
            public API objects, the class name for upstream's internal classes
            (``Functional`` is written with ``registered_name: "Functional"``).
    """
    name = name or obj.__name__
    key = (module, name)
    previous = _BY_KEY.get(key)
    if previous is not None and previous is not obj:
        raise ValueError(
            f"The built-in name {module}.{name} is already taken by {previous!r}; "
            f"cannot register {obj!r} under it. Choose another `name`."
        )
    _BY_KEY[key] = obj
    for alias in aliases:
        _BY_KEY[(module, alias)] = obj
    # The first registration is canonical, as upstream's first export name is.
    _BY_OBJECT.setdefault(obj, PublicName(module, name, registered_name))
    return obj


def builtin(module: str, name: str | None = None, aliases: Iterable[str] = (),
            registered_name: str | None = None) -> Callable[[Any], Any]:
    """Decorator form of :func:`register_builtin`."""

    def decorate(obj: Any) -> Any:
        return register_builtin(module, obj, name=name, aliases=aliases,
                                registered_name=registered_name)

    return decorate


def public_name(obj: Any) -> PublicName | None:
    """The config name of a built-in class or function, or None for anything else.

    Only exact registrations count: a user subclass of a built-in is not a built-in.
    """
    try:
        return _BY_OBJECT.get(obj)
    except TypeError:  # unhashable objects are never built-ins
        return None


def lookup(module: str, name: str) -> Any:
    """The built-in written as ``module`` + ``name``, or None."""
    return _BY_KEY.get((module, name))


def lookup_function(name: str) -> Any:
    """A built-in function known only by its name, searched in :data:`FUNCTION_MODULES`."""
    for module in FUNCTION_MODULES:
        obj = _BY_KEY.get((module, name))
        if obj is not None:
            return obj
    return None


def is_known_module(module: str) -> bool:
    """True when some built-in is registered under ``module``."""
    return any(key[0] == module for key in _BY_KEY)
