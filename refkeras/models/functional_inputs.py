"""What a functional model accepts as call inputs, and how it tidies them.

Before the graph runs, the inputs are brought to the model's own input layout:

- a lone tensor for a model with a one-element list of inputs is wrapped;
- a dict keyed by input names is accepted for list (or single) inputs;
- any other layout mismatch warns (or, when it cannot be reconciled, raises);
- arrays become tensors of each input's dtype (``None`` only for optional inputs);
- a trailing axis of size 1 is added or dropped when that is all that differs.
"""

from __future__ import annotations

import warnings
from typing import Any

from refkeras import backend, ops, tree
from refkeras.graph.keras_tensor import KerasTensor
from refkeras.layers import InputLayer
from refkeras.layers.masking import get_keras_mask, set_keras_mask


def _lists_to_tuples(structure: Any) -> Any:
    if isinstance(structure, (list, tuple)) and not hasattr(structure, "_fields"):
        return tuple(_lists_to_tuples(x) for x in structure)
    if isinstance(structure, dict):
        return {k: _lists_to_tuples(v) for k, v in structure.items()}
    return structure


def standardize_inputs(model: Any, inputs: Any) -> list:
    """The flat list of tensors, one per model input, ready for the graph."""
    layout = model._inputs_struct
    must_match = False
    if isinstance(layout, list) and len(layout) == 1 and backend.is_tensor(inputs):
        inputs = [inputs]
    elif isinstance(inputs, dict) and not isinstance(layout, dict):
        # A dict keyed by input names also fits list or single inputs.
        if hasattr(layout, "__len__") and all(isinstance(x, KerasTensor) for x in layout):
            names = [x.name for x in layout]
            if set(names) <= set(inputs):
                inputs = [inputs[name] for name in names]
            else:
                must_match = True
        elif isinstance(layout, KerasTensor):
            if layout.name in inputs:
                inputs = [inputs[layout.name]]
            else:
                must_match = True
        else:
            must_match = True
    if (isinstance(layout, dict) and not isinstance(inputs, dict)
            and list(layout) != sorted(layout)):
        must_match = True  # the flat order of a list could not follow the dict's order
    _check_layout(layout, inputs, must_match)
    flat = _convert(model, tree.flatten(inputs))
    return _adjust_rank(model, flat)


def _check_layout(layout: Any, inputs: Any, must_match: bool) -> None:
    try:
        tree.assert_same_structure(_lists_to_tuples(inputs), _lists_to_tuples(layout))
    except (ValueError, TypeError):
        expected = tree.map_structure(lambda x: "None" if x is None else x.name, layout)
        received = tree.map_structure(
            lambda x: "None" if x is None else f"Tensor(shape={x.shape})", inputs)
        message = (
            "The structure of `inputs` doesn't match the expected structure.\n"
            f"Expected: {expected}\nReceived: inputs={received}"
        )
        if must_match:
            raise ValueError(message) from None
        warnings.warn(message, stacklevel=4)


def check_not_missing(model: Any, inputs: Any) -> None:
    """``None`` is only accepted for inputs declared ``optional``."""
    for x, ref in zip(tree.flatten(inputs), model._inputs):
        if x is None:
            source = ref._keras_history.operation
            if isinstance(source, InputLayer) and not source.optional:
                raise ValueError(
                    f"The input '{ref.name}' is not optional, but None was passed. "
                    "Please provide a valid tensor."
                )


def _convert(model: Any, flat: list) -> list:
    converted = []
    for x, ref in zip(flat, model._inputs):
        if x is None:
            history = getattr(ref, "_keras_history", None)
            source = history.operation if history else None
            if isinstance(source, InputLayer) and not source.optional:
                raise ValueError(
                    f"The input '{ref.name}' is not optional, but None was passed. "
                    "Please provide a valid tensor."
                )
            converted.append(None)
        elif isinstance(x, KerasTensor):
            converted.append(x)
        else:
            converted.append(ops.convert_to_tensor(x, dtype=ref.dtype, sparse=ref.sparse))
    return converted


def _adjust_rank(model: Any, flat: list) -> list:
    adjusted = []
    for i, x in enumerate(flat):
        ref_shape = model._inputs[i].shape
        if x is None or len(x.shape) == len(ref_shape):
            adjusted.append(x)
        elif len(x.shape) == len(ref_shape) + 1 and x.shape[-1] == 1:
            adjusted.append(ops.squeeze(x, axis=-1))
        elif len(x.shape) == len(ref_shape) - 1 and ref_shape[-1] == 1:
            adjusted.append(ops.expand_dims(x, axis=-1))
        else:
            path = ".".join(str(p) for p in tree.flatten_with_path(model._inputs_struct)[i][0])
            raise ValueError(
                f"Invalid input shape for input {x} with name '{model._inputs[i].name}' and "
                f"path '{path}'. Expected shape {ref_shape}, but input has incompatible "
                f"shape {x.shape}"
            )
    for before, after in zip(flat, adjusted):
        if after is not before and before is not None:
            mask = get_keras_mask(before)
            if mask is not None:
                set_keras_mask(after, mask)
    return adjusted
