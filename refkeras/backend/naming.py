"""Auto-generated names: ``dense``, ``dense_1``, ... counted per snake_case prefix."""

from __future__ import annotations

import collections
import functools
import re

_COUNTERS: collections.defaultdict[str, int] = collections.defaultdict(int)


@functools.lru_cache(maxsize=4096)
def to_snake_case(name: str) -> str:
    """``"MyDenseLayer"`` -> ``"my_dense_layer"``; non-word characters dropped."""
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def uniquify(name: str) -> str:
    """First use returns ``name``; the n-th later use returns ``f"{name}_{n}"``."""
    count = _COUNTERS[name]
    _COUNTERS[name] = count + 1
    return f"{name}_{count}" if count else name


def auto_name(class_name: str) -> str:
    """A fresh unique name derived from a class name."""
    return uniquify(to_snake_case(class_name))


def get_uid(prefix: str = "") -> int:
    """Increments and returns the counter of ``prefix`` (1 on first use)."""
    _COUNTERS[prefix] += 1
    return _COUNTERS[prefix]


def reset_names() -> None:
    """Forgets all counters (part of ``clear_session``)."""
    _COUNTERS.clear()
