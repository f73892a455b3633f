"""Training steps on TensorFlow: stateful steps under ``tf.GradientTape``, in ``tf.function``.

A step reads and writes the model's ``tf.Variable``s directly; :class:`StepFunction`
traces ``steps_per_execution`` steps into one ``tf.function`` over a list of batches
(``reduce_retracing`` keeps one trace across batch sizes). Under a
``tf.distribute`` strategy each step runs on every replica through
``strategy.run`` and the logs are reduced across replicas (see ``distribute.py``).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import tensorflow as tf

from refkeras import tree
from refkeras.backend.batch import unpack_x_y_sample_weight
from refkeras.backend.tensorflow import distribute

EMPTY_LOSS_IS_ERROR = True


def unobserved_steps_per_call() -> int:
    """Batches per compiled call when no callback watches individual batches (see
    loops.py): the stacked steps run the same kernels in the same order."""
    return 8


def backend_supports_jit() -> bool:
    from tensorflow.python.framework.config import is_op_determinism_enabled  # noqa: PLC0415

    return not is_op_determinism_enabled()


def auto_jit_compile(model: Any) -> bool:
    """The backend's part of ``jit_compile="auto"`` (the layers must also support jit):
    off on CPU-only machines and under a distribution strategy."""
    has_accelerator = any(d.device_type != "CPU" for d in tf.config.list_physical_devices())
    return has_accelerator and distribute.model_strategy(model) is None


def _batch_size(x: Any) -> Any:
    return tf.shape(next(leaf for leaf in tree.flatten(x) if leaf is not None))[0]


def _forward(model: Any, x: Any, training: bool) -> Any:
    if model._call_facts.has_training:
        return model(x, training=training)
    return model(x)


# --- the default steps (Model.train_step / test_step / predict_step on TensorFlow) -------
def train_step(model: Any, data: Any) -> dict:
    x, y, sample_weight = unpack_x_y_sample_weight(data)
    with tf.GradientTape() as tape:
        y_pred = _forward(model, x, True)
        loss = model._compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight,
                                   training=True)
        model._loss_tracker.update_state(distribute.unscale_loss(loss),
                                         sample_weight=_batch_size(x))
        if model.optimizer is not None:
            loss = model.optimizer.scale_loss(loss)
    trainable = model.trainable_weights
    if trainable:
        grads = tape.gradient(loss, [v._value for v in trainable])
        model.optimizer.apply_gradients(zip(grads, trainable))
    else:
        warnings.warn("The model does not have any trainable weights.", stacklevel=2)
    return model.compute_metrics(x, y, y_pred, sample_weight=sample_weight)


def test_step(model: Any, data: Any) -> dict:
    x, y, sample_weight = unpack_x_y_sample_weight(data)
    y_pred = _forward(model, x, False)
    loss = model._compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight,
                               training=False)
    model._loss_tracker.update_state(distribute.unscale_loss(loss),
                                     sample_weight=_batch_size(x))
    return model.compute_metrics(x, y, y_pred, sample_weight=sample_weight)


def predict_step(model: Any, data: Any) -> Any:
    x, _, _ = unpack_x_y_sample_weight(data)
    return _forward(model, x, False)


# --- compiled step functions ---------------------------------------------------------------
class StepFunction:
    """Runs ``steps_per_execution`` steps per call over a list of batches.

    Train and test chunks whose batches share one shape are stacked into one
    array per input before the call (one host-to-tensor conversion per input
    instead of one per batch), and the steps run in a ``tf.while_loop`` over
    the stacked axis: the same kernels in the same order as separate calls,
    so results do not change. Predictions are concatenated in the graph.
    """

    def __init__(self, model: Any, kind: str):
        self.model = model
        self.kind = kind
        step = getattr(model, f"{kind}_step")
        strategy = distribute.model_strategy(model)
        compiled = not model.run_eagerly
        jit = bool(model.jit_compile) and strategy is None

        def one(data: Any) -> Any:
            if strategy is None:
                return step(data)
            return distribute.run_replicated(strategy, step, data, kind)

        def many(batches: list) -> Any:
            results = [one(data) for data in batches]
            if kind == "predict":
                return tree.map_structure(lambda *parts: tf.concat(parts, axis=0), *results)
            return results[-1]

        def stacked(data: Any) -> Any:
            # data: every leaf has a leading axis of K batches; run the K steps in order.
            count = tf.shape(next(t for t in tree.flatten(data) if t is not None))[0]
            logs = one(tree.map_structure(lambda t: None if t is None else t[0], data))

            def body(i: Any, _: Any) -> tuple:
                batch = tree.map_structure(lambda t: None if t is None else t[i], data)
                return i + 1, one(batch)

            _, logs = tf.while_loop(lambda i, _: i < count, body, (tf.constant(1), logs))
            return logs

        if compiled:
            # autograph=False: steps are not converted, as upstream (do_not_convert); it
            # also spares seconds of source transformation per trace.
            many = tf.function(many, reduce_retracing=True, jit_compile=jit, autograph=False)
            stacked = tf.function(stacked, reduce_retracing=True, jit_compile=jit,
                                  autograph=False)
        self._run = many
        self._run_stacked = stacked if (compiled and kind != "predict"
                                        and strategy is None) else None
        self._strategy = strategy
        self._compiled = compiled
        self._traced: set = set()

    def __call__(self, batches: list) -> Any:
        if self._strategy is not None:
            batches = distribute.distribute_batches(self._strategy, batches)
            return self._run(batches)
        if self._run_stacked is None:
            self._trace_relaxed(self._run, batches, False)
            return self._run(batches)
        logs = None
        for group in _same_shape_runs(batches):
            data = tree.map_structure(_stack, *group)
            self._trace_relaxed(self._run_stacked, data, True)
            logs = self._run_stacked(data)
        return logs

    def _trace_relaxed(self, function: Any, data: Any, stacked: bool) -> None:
        """Traces ``function`` once per input structure with every batch (and stack)
        dimension unknown, so later batch sizes reuse that trace instead of retracing."""
        if not self._compiled:
            return
        key = (stacked, _signature(data, relaxed=True))
        if key not in self._traced:
            self._traced.add(key)
            function.get_concrete_function(tree.map_structure(
                lambda t: _relaxed_spec(t, 2 if stacked else 1), data))

    def sync(self) -> None:
        """Nothing to do: TensorFlow steps update the variables in place."""


def _signature(batch: Any, relaxed: bool = False) -> tuple:
    """Shapes and dtypes of the leaves (ranks instead of shapes when ``relaxed``)."""
    return tuple(None if t is None else
                 (len(t.shape) if relaxed else tuple(t.shape), str(t.dtype))
                 for t in tree.flatten(batch)) + ((repr(tree.map_structure(lambda _: 0, batch)),) if relaxed else ())


def _relaxed_spec(leaf: Any, unknown: int) -> Any:
    """A TensorSpec for ``leaf`` with its first ``unknown`` dimensions left unknown."""
    if leaf is None:
        return None
    shape = tuple(leaf.shape)
    return tf.TensorSpec((None,) * unknown + shape[unknown:], tf.as_dtype(leaf.dtype))


def _same_shape_runs(batches: list) -> list:
    """Consecutive batches grouped while their leaves keep the same shapes and dtypes."""
    runs: list = []
    last = None
    for batch in batches:
        signature = _signature(batch)
        if runs and signature == last:
            runs[-1].append(batch)
        else:
            runs.append([batch])
            last = signature
    return runs


def _stack(*leaves: Any) -> Any:
    if leaves[0] is None:
        return None
    if tf.is_tensor(leaves[0]):
        return tf.stack(leaves)
    return np.stack(leaves)


def to_numpy(value: Any) -> np.ndarray:
    return np.asarray(value)
