"""Nested structures (lists, tuples, dicts, namedtuples) of leaves.

A thin, explicit layer over ``optree`` with the conventions refkeras relies on
everywhere: ``None`` is a leaf (so optional inputs keep their slot), and dict
leaves come out in sorted-key order, as in upstream Keras.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import optree

_NS = "refkeras"


def is_nested(structure: Any) -> bool:
    """True when ``structure`` is a container rather than a single leaf."""
    return not optree.tree_is_leaf(structure, none_is_leaf=True, namespace=_NS)


def flatten(structure: Any) -> list:
    """Leaves of ``structure`` in canonical order (dicts by sorted key)."""
    return optree.tree_leaves(structure, none_is_leaf=True, namespace=_NS)


def flatten_with_path(structure: Any) -> list[tuple[tuple, Any]]:
    """``(path, leaf)`` pairs; a path is the tuple of keys/indices to the leaf."""
    paths, leaves, _ = optree.tree_flatten_with_path(structure, none_is_leaf=True, namespace=_NS)
    return list(zip(paths, leaves))


def map_structure(func: Callable, *structures: Any) -> Any:
    """Applies ``func`` leaf-wise over structures that share one layout."""
    return optree.tree_map(func, *structures, none_is_leaf=True, namespace=_NS)


def pack_sequence_as(structure: Any, flat_sequence: list) -> Any:
    """Rebuilds ``structure``'s layout from a flat list of leaves."""
    treedef = optree.tree_structure(structure, none_is_leaf=True, namespace=_NS)
    flat_sequence = list(flat_sequence)
    if treedef.num_leaves != len(flat_sequence):
        raise ValueError(
            f"The structure has {treedef.num_leaves} leaves but the flat sequence has "
            f"{len(flat_sequence)} elements. Received: structure={structure}, "
            f"flat_sequence={flat_sequence}"
        )
    return optree.tree_unflatten(treedef, flat_sequence)


def register_container(cls: type, flatten: Callable, unflatten: Callable) -> None:
    """Makes instances of ``cls`` containers rather than leaves for this module.

    ``flatten(obj)`` returns ``(children, metadata)``; ``unflatten(metadata,
    children)`` rebuilds the object. Used for subclasses of list and dict, which
    optree otherwise treats as leaves.
    """
    optree.register_pytree_node(cls, flatten, unflatten, namespace=_NS)


def assert_same_structure(a: Any, b: Any) -> None:
    """Raises ``ValueError`` unless ``a`` and ``b`` nest the same way (same
    container types, same dict keys, leaves in the same places)."""

    def both_leaves(x: Any, y: Any) -> None:
        if is_nested(x) or is_nested(y):
            raise ValueError("Structures don't have the same nested structure.")

    optree.tree_map(both_leaves, a, b, none_is_leaf=True, namespace=_NS)
