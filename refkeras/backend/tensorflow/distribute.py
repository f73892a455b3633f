"""``tf.distribute`` support for the training steps.

A model whose variables were created under a strategy's ``scope()`` trains
with that strategy: each global batch is split across the replicas in order
(the first replicas take one sample more when it does not divide), each
replica runs the step through ``strategy.run``, and the results are reduced:

- logs (train/test): the mean over replicas of each replica's values, as
  upstream's ``reduce_per_replica(..., "auto")``; the epoch logs are read
  afterwards from the metrics, whose ``on_read``/``sum`` variables add up
  across replicas;
- predictions: the replicas' outputs concatenated in replica order.

Losses divide by the number of replicas inside a replica (``scale_loss``),
so that summing the gradients across replicas gives the global batch's mean;
the trackers undo that (``unscale_loss``). The optimizer's update runs in a
cross-replica ``merge_call`` after summing the gradients (``apply_across_replicas``).
"""

from __future__ import annotations

import contextlib
from typing import Any

import numpy as np
import tensorflow as tf

from refkeras import tree


def model_strategy(model: Any) -> Any:
    """The non-default strategy the model's variables live under (or, for a model
    without variables yet, the strategy whose scope is open), else None."""
    for variable in model.variables[:1]:
        native = getattr(variable, "_value", None)
        strategy = getattr(native, "_distribute_strategy", None)
        if strategy is not None:
            return strategy
        return None
    if tf.distribute.has_strategy():
        return tf.distribute.get_strategy()
    return None


def model_scope(model: Any) -> Any:
    """The scope of the model's strategy (a no-op context without one).

    fit/evaluate/predict run inside it so that variables created on the way
    (optimizer slots, metrics) are mirrored like the model's, and metric
    results read outside the steps add up the replicas' shares.
    """
    strategy = model_strategy(model)
    if strategy is None or tf.distribute.get_strategy() is strategy:
        return contextlib.nullcontext()
    return strategy.scope()


def _replicas() -> int:
    return tf.distribute.get_strategy().num_replicas_in_sync


def scale_loss(loss: Any) -> Any:
    """A replica's mean loss as its share of the global mean (divided by the replicas)."""
    replicas = _replicas()
    if replicas > 1:
        loss = loss * tf.cast(1.0 / replicas, loss.dtype)
    return loss


def unscale_loss(loss: Any) -> Any:
    """The loss as one replica would report it for the whole batch."""
    replicas = _replicas()
    if replicas > 1:
        loss = loss * tf.cast(replicas, loss.dtype)
    return loss


def in_replica_context() -> bool:
    """True inside ``strategy.run`` of a strategy with more than one replica."""
    context = tf.distribute.get_replica_context()
    return (context is not None and tf.distribute.has_strategy()
            and context.num_replicas_in_sync > 1)


def apply_across_replicas(apply: Any, grads: list, variables: list) -> None:
    """Runs ``apply(grads, variables)`` once per replica on the summed gradients.

    Called from a replica context: the gradients are summed across replicas,
    then, in a cross-replica ``merge_call``, ``apply`` runs on each device in
    turn inside ``strategy.extended.update``, where reading or assigning a
    mirrored variable touches that device's copy only.
    """
    context = tf.distribute.get_replica_context()
    present = [i for i, g in enumerate(grads) if g is not None]
    summed = context.all_reduce(tf.distribute.ReduceOp.SUM, [grads[i] for i in present])

    def on_each_device(_: Any, *local: Any) -> None:
        local_grads = [None] * len(grads)
        for i, g in zip(present, local):
            local_grads[i] = g
        apply(local_grads, variables)

    def merged(strategy: Any, *summed: Any) -> None:
        strategy.extended.update(variables[present[0]].value, on_each_device,
                                 args=summed, group=False)

    context.merge_call(merged, args=tuple(summed))


def run_replicated(strategy: Any, step: Any, data: Any, kind: str) -> Any:
    """Runs ``step`` on each replica's share of ``data`` and reduces the results."""
    # Not through autograph: the step is plain Python over tensors, and converting it
    # (and everything it calls) costs seconds per trace.
    outputs = strategy.run(tf.autograph.experimental.do_not_convert(step), args=(data,))
    if kind == "predict":
        return tree.map_structure(
            lambda v: tf.concat(strategy.experimental_local_results(v), axis=0), outputs)
    return tree.map_structure(lambda v: _mean_over_replicas(strategy, v), outputs)


def _mean_over_replicas(strategy: Any, value: Any) -> Any:
    parts = strategy.experimental_local_results(value)
    if len(parts) == 1:
        return parts[0]
    return tf.reduce_mean(tf.stack(parts), axis=0)


def _split(value: Any, replicas: int) -> list:
    """``value`` cut along its first axis into ``replicas`` consecutive parts."""
    if value is None:
        return [None] * replicas
    size = int(np.shape(value)[0])
    base, extra = divmod(size, replicas)
    bounds = [i * base + min(i, extra) for i in range(replicas + 1)]
    return [value[bounds[i]:bounds[i + 1]] for i in range(replicas)]


def distribute_batches(strategy: Any, batches: list) -> list:
    """Each global batch as per-replica values, replica ``i`` taking the ``i``-th
    consecutive slice of the samples."""
    replicas = strategy.num_replicas_in_sync
    out = []
    for batch in batches:
        leaves = tree.flatten(batch)
        pieces = [_split(leaf, replicas) for leaf in leaves]

        def replica_value(context: Any, pieces: list = pieces, batch: Any = batch) -> Any:
            index = context.replica_id_in_sync_group
            return tree.pack_sequence_as(
                batch, [None if p[index] is None else tf.convert_to_tensor(p[index])
                        for p in pieces])

        out.append(strategy.experimental_distribute_values_from_function(replica_value))
    return out
