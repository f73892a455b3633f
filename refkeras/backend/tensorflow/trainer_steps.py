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
from refkeras.backend.tensorflow import distribute

EMPTY_LOSS_IS_ERROR = True


def backend_supports_jit() -> bool:
    from tensorflow.python.framework.config import is_op_determinism_enabled  # noqa: PLC0415

    return not is_op_determinism_enabled()


def auto_jit_compile(model: Any) -> bool:
    """``jit_compile="auto"``: off on CPU-only machines and under a distribution
    strategy, else on when every layer supports it."""
    if not any(d.device_type != "CPU" for d in tf.config.list_physical_devices()):
        return False
    if distribute.model_strategy(model) is not None:
        return False
    return (all(getattr(layer, "supports_jit", True) for layer in model._flatten_layers())
            and backend_supports_jit())


def _unpack(data: Any) -> tuple:
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    return (tuple(data) + (None, None))[:3]


def _batch_size(x: Any) -> Any:
    return tf.shape(next(leaf for leaf in tree.flatten(x) if leaf is not None))[0]


def _forward(model: Any, x: Any, training: bool) -> Any:
    if model._call_facts.has_training:
        return model(x, training=training)
    return model(x)


# --- the default steps (Model.train_step / test_step / predict_step on TensorFlow) -------
def train_step(model: Any, data: Any) -> dict:
    x, y, sample_weight = _unpack(data)
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
    x, y, sample_weight = _unpack(data)
    y_pred = _forward(model, x, False)
    loss = model._compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight,
                               training=False)
    model._loss_tracker.update_state(distribute.unscale_loss(loss),
                                     sample_weight=_batch_size(x))
    return model.compute_metrics(x, y, y_pred, sample_weight=sample_weight)


def predict_step(model: Any, data: Any) -> Any:
    x, _, _ = _unpack(data)
    return _forward(model, x, False)


# --- compiled step functions ---------------------------------------------------------------
class StepFunction:
    """Runs ``steps_per_execution`` steps per call over a list of batches."""

    def __init__(self, model: Any, kind: str):
        self.model = model
        self.kind = kind
        step = getattr(model, f"{kind}_step")
        strategy = distribute.model_strategy(model)
        compiled = not model.run_eagerly

        def one(data: Any) -> Any:
            if strategy is None:
                return step(data)
            return distribute.run_replicated(strategy, step, data, kind)

        def many(batches: list) -> Any:
            results = [one(data) for data in batches]
            if kind == "predict":
                return tree.map_structure(lambda *parts: tf.concat(parts, axis=0), *results)
            return results[-1]

        if compiled:
            many = tf.function(many, reduce_retracing=True,
                               jit_compile=bool(model.jit_compile) and strategy is None)
        self._run = many
        self._strategy = strategy

    def __call__(self, batches: list) -> Any:
        if self._strategy is not None:
            batches = distribute.distribute_batches(self._strategy, batches)
        return self._run(batches)

    def sync(self) -> None:
        """Nothing to do: TensorFlow steps update the variables in place."""


def to_numpy(value: Any) -> np.ndarray:
    return np.asarray(value)
