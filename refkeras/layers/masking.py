"""Keras masks: a boolean tensor riding along with a tensor as ``_keras_mask``.

Tensors that accept attributes (TensorFlow tensors, KerasTensors) carry the
mask as an attribute. Those that refuse (``jax.Array``) get it from a side
table keyed by ``id``, emptied when the tensor is garbage collected.
"""

from __future__ import annotations

import weakref
from typing import Any

from refkeras import tree
from refkeras.graph.keras_tensor import KerasTensor

MASK_ATTR = "_keras_mask"

# id(tensor) -> mask, for tensors that cannot take attributes.
_SIDE_TABLE: dict[int, Any] = {}
# Types found to refuse attributes; their masks live in the side table.
_REFUSING_TYPES: set[type] = set()


def get_keras_mask(x: Any) -> Any:
    """The mask attached to ``x``, or None."""
    if type(x) in _REFUSING_TYPES:
        return _SIDE_TABLE.get(id(x)) if _SIDE_TABLE else None
    if isinstance(x, KerasTensor):
        # Slotted: its instance dict is made only when an attribute such as the mask
        # is set, and reading ``__dict__`` would make one.
        return getattr(x, MASK_ATTR, None)
    # Reading the instance dict first avoids the costly failing lookup of TensorFlow
    # tensors' __getattr__ when no mask is attached (the common case).
    attributes = getattr(x, "__dict__", None)
    if attributes is not None:
        return attributes.get(MASK_ATTR)
    return getattr(x, MASK_ATTR, None)


def set_keras_mask(x: Any, mask: Any) -> None:
    """Attaches ``mask`` to ``x`` (None removes it)."""
    if type(x) not in _REFUSING_TYPES:
        try:
            setattr(x, MASK_ATTR, mask)
            return
        except AttributeError:
            _REFUSING_TYPES.add(type(x))
    key = id(x)
    if mask is None:
        _SIDE_TABLE.pop(key, None)
        return
    if key not in _SIDE_TABLE:
        weakref.finalize(x, _SIDE_TABLE.pop, key, None)
    _SIDE_TABLE[key] = mask


def any_mask(masks: Any) -> bool:
    """True when a nest of masks holds at least one mask."""
    if masks is None:
        return False
    return any(m is not None for m in tree.flatten(masks))


def masks_of(structure: Any) -> Any:
    """The masks of a tensor or of a nest of tensors (same nesting, None where absent)."""
    if isinstance(structure, (list, tuple, dict)):
        return tree.map_structure(get_keras_mask, structure)
    return get_keras_mask(structure)


def attach_output_masks(layer: Any, inputs: Any, outputs: Any, previous_mask: Any) -> None:
    """Gives each output without a mask the one ``layer.compute_mask`` returns for it."""
    flat_outputs = tree.flatten(outputs)
    if all(get_keras_mask(x) is not None for x in flat_outputs):
        return  # ``call`` already attached masks itself
    output_masks = layer.compute_mask(inputs, previous_mask)
    if output_masks is None:
        return
    for tensor, mask in zip(flat_outputs, tree.flatten(output_masks)):
        if mask is not None and get_keras_mask(tensor) is None:
            set_keras_mask(tensor, mask)
