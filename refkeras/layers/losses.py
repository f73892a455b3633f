"""Layer losses: ``add_loss`` values, activity and weight regularization.

Outside a StatelessScope a layer keeps the losses added during its last
outermost call in ``_losses``. Inside a StatelessScope that collects losses
(``stateless_call(..., return_losses=True)``), they go to the scope instead
and the layer remembers their ids, so nothing is mutated.
"""

from __future__ import annotations

import collections
from typing import Any

from refkeras import backend, ops, tree


def add_loss(layer: Any, loss: Any) -> None:
    """Records ``loss`` (a tensor or a nest of tensors) for ``layer``."""
    losses = tree.flatten(loss)
    for x in losses:
        if not backend.is_tensor(x):
            raise ValueError(
                "`add_loss()` can only be called from inside `build()` or `call()`, on a "
                f"tensor input. Received invalid value: {x} (of type {type(x)}). Compute "
                "the loss with `keras.ops` on the call's tensors."
            )
    scope = backend.get_stateless_scope()
    if scope is None:
        layer._losses.extend(losses)
    elif scope.collect_losses:
        for x in losses:
            scope.add_loss(x)
            layer._loss_ids.add(id(x))


def own_losses(layer: Any) -> list:
    scope = backend.get_stateless_scope()
    if scope is None:
        return list(layer._losses)
    return [x for x in scope.losses if id(x) in layer._loss_ids]


def regularization_losses(layer: Any) -> list:
    """One penalty per trainable weight that has a regularizer, in weight order."""
    scope = backend.get_stateless_scope()
    penalties = []
    for variable in layer.trainable_weights:
        regularizer = variable.regularizer
        if regularizer is None:
            continue
        value = variable
        if scope is not None:
            value = scope.get_current_value(variable, variable)
        penalties.append(regularizer(value))
    return penalties


def all_losses(layer: Any) -> list:
    """Own losses, then each sub-layer's (``flatten_layers`` order), then weight penalties."""
    override = layer.__dict__.get("_losses_override")
    if override:
        return override
    losses = own_losses(layer)
    for sub in flatten_layers(layer, include_self=False):
        losses.extend(own_losses(sub))
    losses.extend(regularization_losses(layer))
    return losses


def clear_losses(layer: Any) -> None:
    """Forgets the losses of ``layer`` and all its sub-layers (start of an outer call)."""
    scope = backend.get_stateless_scope()
    if scope is not None and scope.collect_losses and layer._loss_ids:
        scope.losses[:] = [x for x in scope.losses if id(x) not in layer._loss_ids]
    if layer._losses:
        layer._losses.clear()
    if layer._loss_ids:
        layer._loss_ids.clear()
    for sub in layer._layers:
        clear_losses(sub)


def flatten_layers(layer: Any, include_self: bool = True, recursive: bool = True) -> list:
    """``layer``'s sub-layers, each once, depth first; a layer's children are visited
    in reverse order of tracking, as upstream's ``deque.extendleft`` walk does."""
    found = [layer] if include_self else []
    seen: set[int] = set()
    pending = collections.deque(layer._layers)
    while pending:
        sub = pending.popleft()
        if id(sub) in seen:
            continue
        seen.add(id(sub))
        found.append(sub)
        if recursive:
            pending.extendleft(sub._layers)
    return found


def activity_penalties(regularizer: Any, outputs: Any) -> list:
    """The activity penalty of each concrete output, divided by its batch size."""
    penalties = []
    for output in tree.flatten(outputs):
        if not backend.is_tensor(output):
            continue
        loss = regularizer(output)
        if len(output.shape) > 0:
            batch = ops.cast(backend.dim_size(output, 0), dtype=loss.dtype)
            # divide-no-nan: an empty batch gives 0, not NaN.
            loss = ops.where(ops.equal(batch, 0), ops.zeros_like(loss), ops.divide(loss, batch))
        penalties.append(loss)
    return penalties
