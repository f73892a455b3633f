"""User objects known to deserialization: the global registry and custom-object scopes.

``register_keras_serializable`` files a class or function under the key
``"package>Name"`` for the life of the process; ``CustomObjectScope`` makes a
mapping of names visible only while it is open (a ``contextvars`` scope).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

from refkeras.backend.scopes import CUSTOM_OBJECTS

# Registration is process-wide, as upstream's is: a decorator runs once, at import.
_GLOBAL_OBJECTS: dict[str, Any] = {}
_GLOBAL_NAMES: dict[Any, str] = {}


def register_keras_serializable(package: str = "Custom",
                                name: str | None = None) -> Callable[[Any], Any]:
    """Registers a class or function for (de)serialization as ``"package>name"``.

    ``name`` defaults to the object's ``__name__``. A registered class must have
    ``get_config``. The object is returned unchanged.

    >>> @register_keras_serializable(package="demo")
    ... def scaled(x):
    ...     return 2 * x
    >>> get_registered_name(scaled)
    'demo>scaled'
    """

    def decorate(obj: Any) -> Any:
        key = f"{package}>{name if name is not None else obj.__name__}"
        if inspect.isclass(obj) and not hasattr(obj, "get_config"):
            raise ValueError(
                "Cannot register a class that does not have a get_config() method. "
                f"Received: {obj!r}. Add a `get_config()` method returning its constructor "
                "arguments."
            )
        _GLOBAL_OBJECTS[key] = obj
        _GLOBAL_NAMES[obj] = key
        return obj

    return decorate


def get_registered_name(obj: Any) -> str:
    """The key ``obj`` is registered under, else its ``__name__``."""
    try:
        return _GLOBAL_NAMES[obj]
    except (KeyError, TypeError):
        return obj.__name__


def get_registered_object(name: Any, custom_objects: Mapping[str, Any] | None = None,
                          module_objects: Mapping[str, Any] | None = None) -> Any:
    """The object known as ``name``, or None.

    Looked up in order: the open ``CustomObjectScope``, the global registry,
    ``custom_objects``, then ``module_objects``.
    """
    for table in (scoped_custom_objects(), _GLOBAL_OBJECTS, custom_objects, module_objects):
        if table:
            try:
                if name in table:
                    return table[name]
            except TypeError:  # an unhashable name is never registered
                return None
    return None


def get_custom_objects() -> dict[str, Any]:
    """The live global registry (``"package>Name"`` -> object); scopes are not included."""
    return _GLOBAL_OBJECTS


def scoped_custom_objects() -> dict[str, Any]:
    """The mapping of the innermost open ``CustomObjectScope`` (empty when none)."""
    return CUSTOM_OBJECTS.get() or {}


class CustomObjectScope:
    """Makes ``custom_objects`` visible to deserialization while the scope is open.

    As upstream, an inner scope replaces the outer one's mapping rather than
    extending it.

    >>> def my_fn(x):
    ...     return x
    >>> with CustomObjectScope({"my_fn": my_fn}):
    ...     get_registered_object("my_fn") is my_fn
    True
    """

    def __init__(self, custom_objects: Mapping[str, Any] | None):
        self.custom_objects = dict(custom_objects or {})
        self._token = None

    def __enter__(self) -> CustomObjectScope:
        self._token = CUSTOM_OBJECTS.set(dict(self.custom_objects))
        return self

    def __exit__(self, *exc: Any) -> None:
        CUSTOM_OBJECTS.reset(self._token)


custom_object_scope = CustomObjectScope
