"""Gradient accumulation: update every ``steps`` calls with the mean of the gradients.

On calls that are not update steps the gradient is added to a per-variable
accumulator and nothing else changes. On update steps the optimizer runs its
usual update (clipping, weight decay, ``update_step``) with
``(gradient + accumulator) / steps`` and the accumulators are reset to zero.

The update is always computed and then kept or discarded with a traced
conditional, so the same code runs eagerly, under ``jax.jit`` (where a branch
cannot assign variables) and inside ``tf.function``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from refkeras import backend, ops


def apply_with_accumulation(optimizer: Any, grads: Sequence[Any],
                            variables: Sequence[Any]) -> None:
    """One ``apply`` call's worth of work for an accumulating optimizer."""
    steps = optimizer.gradient_accumulation_steps
    is_update_step = (optimizer._iterations + 1) % steps == 0
    # `variables` may be a filtered subset: look each accumulator up by variable.
    accumulators = [optimizer._accumulated_gradients[optimizer._get_variable_index(v)]
                    for v in variables]
    state = list(optimizer.variables)
    # Snapshots as tensors: a TF variable's `.value` is the live variable itself.
    before_vars = [backend.convert_to_tensor(v) for v in variables]
    before_state = [backend.convert_to_tensor(v) for v in state]

    new_accumulators = ops.cond(
        is_update_step,
        lambda: [ops.zeros(a.shape, dtype=a.dtype) for a in accumulators],
        lambda: [g + backend.convert_to_tensor(a) for g, a in zip(grads, accumulators)],
    )
    grads = ops.cond(
        is_update_step,
        lambda: [(g + backend.convert_to_tensor(a)) / steps for g, a in zip(grads, accumulators)],
        lambda: list(grads),
    )
    optimizer._update_variables(grads, variables)

    after_vars = ops.cond(is_update_step,
                          lambda: [backend.convert_to_tensor(v) for v in variables],
                          lambda: before_vars)
    after_state = ops.cond(is_update_step, lambda: [backend.convert_to_tensor(v) for v in state],
                           lambda: before_state)
    for variable, value in zip(variables, after_vars):
        variable.assign(value)
    for variable, value in zip(state, after_state):
        variable.assign(value)
    for accumulator, value in zip(accumulators, new_accumulators):
        accumulator.assign(value)
