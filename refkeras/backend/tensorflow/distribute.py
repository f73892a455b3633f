"""``tf.distribute`` support for the training steps.

A model whose variables were created under a strategy's ``scope()`` trains
with that strategy: each batch is split across the replicas, each replica runs
the step, and the logs are reduced.
"""

from __future__ import annotations

from typing import Any

import tensorflow as tf


def model_strategy(model: Any) -> Any:
    """The non-default strategy the model's variables live under, or None."""
    for variable in model.variables[:1]:
        native = getattr(variable, "_value", None)
        strategy = getattr(native, "_distribute_strategy", None)
        if strategy is not None:
            return strategy
    return None


def unscale_loss(loss: Any) -> Any:
    """The loss as one replica would report it for the whole batch."""
    replicas = tf.distribute.get_strategy().num_replicas_in_sync
    if replicas > 1:
        loss = loss * tf.cast(replicas, loss.dtype)
    return loss


def run_replicated(strategy: Any, step: Any, data: Any, kind: str) -> Any:
    raise NotImplementedError("tf.distribute training is not implemented yet.")


def distribute_batches(strategy: Any, batches: list) -> list:
    raise NotImplementedError("tf.distribute training is not implemented yet.")
