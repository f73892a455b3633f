"""State tracking: what a layer owns, found from what is assigned to its attributes.

Assigning a Variable, a Layer, a Metric or a SeedGenerator to a layer attribute
(directly, or inside a list, tuple, dict or set) files it into one of a few
typed stores, PyTorch-``Module`` style. Lists, dicts and sets are replaced by
tracking subclasses, so items added to them later are filed too.

The stores keep first-seen order and never hold one object twice. Once a layer
is built its tracker is locked: filing a *new* object raises ``ValueError``.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from refkeras import tree
from refkeras.backend.variable import VariableBase
from refkeras.random import SeedGenerator

# Store names, in the order a value is tested against them (upstream's order).
TRAINABLE = "trainable_variables"
NON_TRAINABLE = "non_trainable_variables"
METRICS = "metrics"
LAYERS = "layers"
SEED_GENERATORS = "seed_generators"
STORE_NAMES = (TRAINABLE, NON_TRAINABLE, METRICS, LAYERS, SEED_GENERATORS)

LOCKED_MESSAGE = (
    "You cannot add new elements of state (variables or sub-layers) to a layer that is "
    "already built. All state must be created in the `__init__()` method or in the "
    "`build()` method."
)

# Values of these types can never hold state: the common case, answered first.
ATOMIC_TYPES = frozenset({bool, int, float, str, bytes, type(None)})


def store_of(value: Any) -> str | None:
    """The store ``value`` belongs in, or None when it is not state.

    Layers and metrics say which store they belong to with a class attribute
    ``_tracking_store`` (``"layers"`` on Layer; metrics set ``"metrics"``), so
    this module needs to import neither.
    """
    if isinstance(value, VariableBase):
        return TRAINABLE if value.trainable else NON_TRAINABLE
    store = getattr(type(value), "_tracking_store", None)
    if store is not None:
        return store
    if isinstance(value, SeedGenerator):
        return SEED_GENERATORS
    return None


class Tracker:
    """Files state objects into a layer's stores (plain lists, owned by the layer).

    Args:
        stores: store name -> the list that receives its objects.
    """

    def __init__(self, stores: dict[str, list]):
        self.stores = stores
        self._ids: dict[str, set[int]] = {name: set() for name in stores}
        self.locked = False
        self.lock_message = LOCKED_MESSAGE

    def track(self, value: Any) -> Any:
        """Files ``value`` (or the state inside it); returns what the attribute should hold."""
        if type(value) in ATOMIC_TYPES:
            return value
        store = store_of(value)
        if store is not None:
            # A variable already filed as trainable is not filed again as non-trainable
            # after its flag flips; the reverse is allowed (upstream's behaviour).
            if store == NON_TRAINABLE and self.contains(TRAINABLE, value):
                return value
            if not self.contains(store, value):
                self.add(store, value)
            return value
        return self._wrap_container(value)

    def _wrap_container(self, value: Any) -> Any:
        if isinstance(value, tuple):
            if hasattr(value, "_fields"):  # namedtuple: rebuilt field by field
                return type(value)(**{k: self.track(v) for k, v in value._asdict().items()})
            return type(value)([self.track(v) for v in value])
        if isinstance(value, list):
            return TrackedList(value, self)
        if isinstance(value, OrderedDict):
            return TrackedOrderedDict(value, self)
        if isinstance(value, dict):
            return TrackedDict(value, self)
        if isinstance(value, set):
            return TrackedSet(value, self)
        return value

    def add(self, store: str, value: Any) -> None:
        """Appends ``value`` to ``store``; raises ``ValueError`` once locked."""
        if self.locked:
            raise ValueError(self.lock_message)
        self.stores[store].append(value)
        self._ids[store].add(id(value))

    def contains(self, store: str, value: Any) -> bool:
        return id(value) in self._ids[store]

    def untrack(self, value: Any) -> None:
        """Removes ``value`` from every store holding it."""
        for store, ids in self._ids.items():
            if id(value) in ids:
                ids.discard(id(value))
                items = self.stores[store]
                items[:] = [x for x in items if x is not value]

    def lock(self, message: str | None = None) -> None:
        self.locked = True
        if message is not None:
            self.lock_message = message

    def unlock(self) -> None:
        self.locked = False


class TrackedList(list):
    """A list that files state appended to it into its tracker."""

    def __init__(self, values: Any = None, tracker: Tracker | None = None):
        self.tracker = tracker
        values = list(values or ())
        if tracker is not None:
            values = [tracker.track(v) for v in values]
        super().__init__(values)

    def _track(self, value: Any) -> Any:
        return self.tracker.track(value) if self.tracker is not None else value

    def _untrack(self, value: Any) -> None:
        if self.tracker is not None:
            self.tracker.untrack(value)

    def append(self, value: Any) -> None:
        super().append(self._track(value))

    def insert(self, index: Any, value: Any) -> None:
        super().insert(index, self._track(value))

    def extend(self, values: Any) -> None:
        super().extend([self._track(v) for v in values])

    def remove(self, value: Any) -> None:
        self._untrack(value)
        for i, item in enumerate(self):
            if item is value:
                super().__delitem__(i)
                return
        super().remove(value)

    def pop(self, index: Any = -1) -> Any:
        self._untrack(self[index])
        return super().pop(index)

    def clear(self) -> None:
        for value in self:
            self._untrack(value)
        super().clear()

    def __delitem__(self, index: Any) -> None:
        values = self[index] if isinstance(index, slice) else [self[index]]
        super().__delitem__(index)
        for value in values:
            self._untrack(value)


class TrackedDict(dict):
    """A dict that files state stored in it into its tracker."""

    def __init__(self, values: Any = None, tracker: Tracker | None = None):
        self.tracker = tracker
        items = dict(values or {})
        if tracker is not None:
            items = {k: tracker.track(v) for k, v in items.items()}
        super().__init__(items)

    def _untrack(self, value: Any) -> None:
        if self.tracker is not None:
            self.tracker.untrack(value)

    def __setitem__(self, key: Any, value: Any) -> None:
        if self.tracker is not None:
            value = self.tracker.track(value)
        super().__setitem__(key, value)

    def update(self, mapping: Any = (), **kwargs: Any) -> None:
        for key, value in dict(mapping, **kwargs).items():
            self[key] = value

    def setdefault(self, key: Any, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]

    def pop(self, key: Any, *default: Any) -> Any:
        if len(default) > 1:
            raise TypeError(f"pop expected at most 2 arguments, got {1 + len(default)}")
        if key not in self:
            if default:
                return default[0]
            raise KeyError(key)
        value = super().pop(key)
        self._untrack(value)
        return value

    def popitem(self) -> tuple:
        key, value = super().popitem()
        self._untrack(value)
        return key, value

    def clear(self) -> None:
        for value in self.values():
            self._untrack(value)
        super().clear()


class TrackedOrderedDict(OrderedDict):
    """An OrderedDict that files state stored in it into its tracker."""

    def __init__(self, values: Any = None, tracker: Tracker | None = None):
        self.tracker = tracker
        items = OrderedDict(values or {})
        if tracker is not None:
            items = OrderedDict((k, tracker.track(v)) for k, v in items.items())
        super().__init__(items)

    def __setitem__(self, key: Any, value: Any) -> None:
        tracker = getattr(self, "tracker", None)  # OrderedDict.__init__ may call this early
        if tracker is not None:
            value = tracker.track(value)
        super().__setitem__(key, value)

    def pop(self, key: Any, *default: Any) -> Any:
        if key not in self:
            if default:
                return default[0]
            raise KeyError(key)
        value = super().pop(key)
        if self.tracker is not None:
            self.tracker.untrack(value)
        return value

    def popitem(self, last: bool = True) -> tuple:
        key, value = super().popitem(last=last)
        if self.tracker is not None:
            self.tracker.untrack(value)
        return key, value

    def clear(self) -> None:
        if self.tracker is not None:
            for value in self.values():
                self.tracker.untrack(value)
        super().clear()


class TrackedSet(set):
    """A set that files state added to it into its tracker."""

    def __init__(self, values: Any = None, tracker: Tracker | None = None):
        self.tracker = tracker
        values = list(values or ())
        if tracker is not None:
            values = [tracker.track(v) for v in values]
        super().__init__(values)

    def add(self, value: Any) -> None:
        if self.tracker is not None:
            value = self.tracker.track(value)
        super().add(value)

    def update(self, *iterables: Any) -> None:
        for values in iterables:
            for value in values:
                self.add(value)

    def remove(self, value: Any) -> None:
        if self.tracker is not None:
            self.tracker.untrack(value)
        super().remove(value)

    def discard(self, value: Any) -> None:
        if value in self:
            self.remove(value)

    def pop(self) -> Any:
        value = super().pop()
        if self.tracker is not None:
            self.tracker.untrack(value)
        return value

    def clear(self) -> None:
        if self.tracker is not None:
            for value in self:
                self.tracker.untrack(value)
        super().clear()


# The tracking containers flatten like the built-ins they extend (dicts by sorted key,
# OrderedDicts by insertion order); rebuilt ones no longer track.
def _sorted_items(d: dict) -> tuple[list, list]:
    keys = sorted(d.keys())
    return [d[k] for k in keys], keys


tree.register_container(TrackedList, lambda x: (list(x), None),
                        lambda _, children: TrackedList(children))
tree.register_container(TrackedSet, lambda x: (list(x), None),
                        lambda _, children: TrackedSet(children))
tree.register_container(TrackedDict, lambda x: _sorted_items(x),
                        lambda keys, children: TrackedDict(zip(keys, children)))
tree.register_container(TrackedOrderedDict, lambda x: (list(x.values()), list(x.keys())),
                        lambda keys, children: TrackedOrderedDict(zip(keys, children)))
