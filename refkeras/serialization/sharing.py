"""Shared objects: the ``shared_object_id`` of configs written inside model saving.

Outside an ``ObjectSharingScope`` nothing is recorded and no config carries the
key. Inside one, an object met a second time while serializing gets
``"shared_object_id": id(obj)`` on both of its configs; on load, configs with
the same id rebuild one object.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from refkeras.backend.scopes import SHARED_OBJECTS


class _Tables(NamedTuple):
    id_to_object: dict[int, Any]   # filled while deserializing
    id_to_config: dict[int, dict]  # filled while serializing


class ObjectSharingScope:
    """Opens fresh tables for detecting and reusing shared objects (used by model saving)."""

    def __init__(self) -> None:
        self._token = None

    def __enter__(self) -> ObjectSharingScope:
        self._token = SHARED_OBJECTS.set(_Tables({}, {}))
        return self

    def __exit__(self, *exc: Any) -> None:
        SHARED_OBJECTS.reset(self._token)


def record_serialized(obj: Any, config: dict) -> None:
    """Notes ``config`` as ``obj``'s; on a repeat, marks both configs as shared."""
    tables = SHARED_OBJECTS.get()
    if tables is None:
        return
    obj_id = id(obj)
    first = tables.id_to_config.get(obj_id)
    if first is None:
        tables.id_to_config[obj_id] = config
    else:
        config["shared_object_id"] = obj_id
        first["shared_object_id"] = obj_id


def shared_object(obj_id: Any) -> Any:
    """The object already rebuilt for ``obj_id`` in the open scope, or None."""
    tables = SHARED_OBJECTS.get()
    return None if tables is None else tables.id_to_object.get(obj_id)


def record_deserialized(obj: Any, obj_id: Any) -> None:
    """Remembers ``obj`` as the object rebuilt for ``obj_id``."""
    tables = SHARED_OBJECTS.get()
    if tables is not None:
        tables.id_to_object[obj_id] = obj
