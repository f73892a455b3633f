"""The attribute-path walk: where each saveable object's state lives in a file.

A *saveable* is an Operation (every Layer and model), or any object whose
class declares ``_saveable_kind`` (optimizers, metrics and losses will:
``"Optimizer"``, ``"Metric"``, ``"Loss"``, each registered with
``register_saveable_kind``). The
walk starts at the object being saved (path ``""``) and visits, in order:

1. for Functional and Sequential models, the entries of ``model.layers``;
2. every attribute of the object that a bare object of its kind lacks
   (public names sorted, then private names sorted), reading properties too.

An attribute holding a saveable is visited at ``<path>/<attribute>``. One
holding a list, tuple or dict is a *container*: its items (dict values, in
insertion order) are named after their class in snake case, counted per name
(``dense``, ``dense_1``, ...), and nested containers are named ``container``,
``container_1``, ... Each object is visited once, at the first path that
reaches it. The same walk drives saving and loading, so the two always agree.
See ``specs/saving.md`` (rules ``saving.walk.*``).
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from refkeras.backend.naming import to_snake_case
from refkeras.graph.operation import Operation
from refkeras.layers.layer import Layer
from refkeras.models.functional import Functional
from refkeras.models.sequential import Sequential
from refkeras.optimizers.optimizer import Optimizer

# Public names of upstream's bare Layer that refkeras's Layer lacks. A user attribute
# with one of these names is skipped by upstream, so it is skipped here too.
_UPSTREAM_LAYER_NAMES = frozenset({
    "call_signature_parameters", "quantization_mode", "quantize", "quantized_build",
    "quantized_call", "rematerialized_call", "_self_unconditional_dependency_names",
})

# kind -> (factory of a bare reference object, extra names to skip, names to keep)
_KINDS: dict[str, tuple[Callable[[], Any], frozenset, frozenset]] = {}


class Visit(NamedTuple):
    """One saveable met by the walk.

    ``legacy`` is True when the object sits under a nested container whose
    group the file being read lacks (files written before Keras 3.15).
    """

    path: str
    obj: Any
    legacy: bool = False


def register_saveable_kind(kind: str, make_reference: Callable[[], Any],
                           also_skip: tuple[str, ...] = (), keep: tuple[str, ...] = ()) -> None:
    """Declares a kind of saveable: the walk skips the attributes that
    ``make_reference()`` (a bare object of the kind) has, plus ``also_skip``,
    except the names in ``keep``. Classes opt in with ``_saveable_kind = kind``."""
    _KINDS[kind] = (make_reference, frozenset(also_skip), frozenset(keep))
    skip_set.cache_clear()


def saveable_kind(obj: Any) -> str | None:
    """The kind of ``obj`` ("Layer", "Functional", ...), or None when it is not saveable."""
    kind = getattr(type(obj), "_saveable_kind", None)
    if isinstance(kind, str):
        return kind
    if isinstance(obj, Layer):
        if isinstance(obj, Functional):
            return "Functional"
        return "Sequential" if isinstance(obj, Sequential) else "Layer"
    if isinstance(obj, Operation):
        return "Operation"
    return None


@functools.cache
def skip_set(kind: str) -> frozenset:
    """Attribute names the walk never reads on an object of ``kind``."""
    if kind not in _KINDS:
        raise ValueError(
            f"Unknown saveable kind: {kind!r}. Known kinds: {sorted(_KINDS)}. Declare it "
            "with `refkeras.saving.traversal.register_saveable_kind`."
        )
    make_reference, also_skip, keep = _KINDS[kind]
    return (frozenset(dir(make_reference())) | also_skip) - keep


@functools.cache
def _class_names(cls: type, skip: frozenset) -> frozenset:
    """Names defined on ``cls`` (and its bases) that may hold state: methods are
    left out, since reading one can only give a bound method."""
    names = set()
    for name in dir(cls):
        if name.startswith("__") or name in skip:
            continue
        raw = next((c.__dict__[name] for c in cls.__mro__ if name in c.__dict__), None)
        if isinstance(raw, (types.FunctionType, classmethod, staticmethod)):
            continue
        names.add(name)
    return frozenset(names)


def _name_key(name: str) -> str:
    # "~" sorts after every letter and "_": private names come last.
    return f"~{name}" if name.startswith("_") else name


def children(obj: Any) -> Iterator[tuple[str, Any]]:
    """``(attribute, value)`` pairs of ``obj`` in walk order (see module docstring)."""
    kind = saveable_kind(obj)
    skip = skip_set(kind)
    if kind in ("Functional", "Sequential"):
        yield "layers", obj.layers
    names = set(_class_names(type(obj), skip))
    names.update(k for k in getattr(obj, "__dict__", {})
                 if not k.startswith("__") and k not in skip)
    for name in sorted(names, key=_name_key):
        try:
            value = getattr(obj, name)
        except Exception:  # a property that cannot be read now holds nothing to save
            continue
        yield name, value


def walk(root: Any, visited: set[int] | None = None,
         has_path: Callable[[str], bool] | None = None) -> Iterator[Visit]:
    """Every saveable reachable from ``root``, each once, with its path.

    Args:
        root: the saveable the file describes (path ``""``).
        visited: ids of objects to leave out (and to fill with the visited ones).
        has_path: when reading, whether the file holds a group at a path; nested
            containers missing from the file are then flagged ``legacy``.
    """
    visited = set() if visited is None else visited
    yield from _visit(root, "", visited, has_path, False)


def _join(path: str, name: str) -> str:
    return f"{path}/{name}" if path else name


def _visit(obj: Any, path: str, visited: set[int], has_path: Any,
           legacy: bool) -> Iterator[Visit]:
    if id(obj) in visited:
        return
    visited.add(id(obj))
    yield Visit(path, obj, legacy)
    for name, value in children(obj):
        if saveable_kind(value) is not None:
            yield from _visit(value, _join(path, name), visited, has_path, legacy)
        elif isinstance(value, (list, tuple, dict)):
            yield from _visit_container(value, _join(path, name), visited, has_path, legacy,
                                        set())


def _visit_container(container: Any, path: str, visited: set[int], has_path: Any,
                     legacy: bool, seen: set[int]) -> Iterator[Visit]:
    if id(container) in seen:
        return
    seen.add(id(container))
    counts: dict[str, int] = {}
    items = container.values() if isinstance(container, dict) else container
    for item in items:
        if saveable_kind(item) is not None:
            name = _unique(to_snake_case(type(item).__name__), counts)
            yield from _visit(item, _join(path, name), visited, has_path, legacy)
        elif isinstance(item, (list, tuple, dict)):
            nested = _join(path, _unique("container", counts))
            missing = has_path is not None and not has_path(nested)
            yield from _visit_container(item, nested, visited, has_path, legacy or missing, seen)


def _unique(name: str, counts: dict[str, int]) -> str:
    """``name`` the first time, then ``name_1``, ``name_2``, ..."""
    if name in counts:
        counts[name] += 1
        return f"{name}_{counts[name]}"
    counts[name] = 0
    return name


def _bare_layer() -> Layer:
    return Layer(name="reference_layer")  # an explicit name leaves the name counters alone


def _bare_optimizer() -> Optimizer:
    return Optimizer(1.0, name="reference_optimizer")


register_saveable_kind("Operation", lambda: Operation(name="reference_operation"))
register_saveable_kind("Layer", _bare_layer, tuple(_UPSTREAM_LAYER_NAMES))
register_saveable_kind("Functional", _bare_layer,
                       tuple(_UPSTREAM_LAYER_NAMES) + ("operations", "_operations"))
register_saveable_kind("Sequential", _bare_layer, tuple(_UPSTREAM_LAYER_NAMES) + ("_functional",))
# `variables` stays walkable, as upstream: it only lists variables, so it never adds a
# path, but a subclass could override it with saveables.
register_saveable_kind("Optimizer", _bare_optimizer, keep=("variables",))
