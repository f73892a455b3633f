"""``fit``, ``evaluate`` and ``predict``, written once for every backend.

Each loop walks an ``EpochIterator`` (chunks of ``steps_per_execution``
batches) and hands every chunk to the model's compiled step function
(``make_train_function`` & co., built by the backend's ``StepFunction``),
calling the callbacks around it in upstream's order. On JAX the step
function holds the model state between calls; ``sync()`` writes it back to
the variables at the end of each epoch, and whenever a callback reaches for
``self.model`` (``Callback.model`` calls ``model.jax_state_sync()``).
"""

from __future__ import annotations

import functools
import warnings
from typing import Any

import numpy as np

from refkeras import backend, tree
from refkeras import callbacks as callbacks_lib
from refkeras.callbacks.logs import python_logs
from refkeras.config import max_epochs
from refkeras.training.data import (
    EpochIterator,
    class_weight_to_sample_weight,
    train_validation_split,
    unpack_x_y_sample_weight,
)

_set = object.__setattr__


def _in_model_scope(loop: Any) -> Any:
    """Runs ``loop(model, ...)`` inside the model's distribution scope (tf.distribute)."""
    @functools.wraps(loop)
    def run(model: Any, *args: Any, **kwargs: Any) -> Any:
        with backend.distribution.model_scope(model):
            return loop(model, *args, **kwargs)
    return run


def make_function(model: Any, kind: str, force: bool = False) -> Any:
    """The model's compiled ``kind`` step function ("train", "test", "predict"), cached."""
    attribute = f"{kind}_function"
    function = model.__dict__.get(attribute)
    if function is None or force:
        function = backend.trainer_steps.StepFunction(model, kind)
        _set(model, attribute, function)
    return function


def _callback_list(model: Any, callbacks: Any, verbose: Any, epochs: int, steps: Any,
                   history: bool) -> Any:
    if isinstance(callbacks, callbacks_lib.CallbackList):
        return callbacks
    return callbacks_lib.CallbackList(callbacks, add_history=history,
                                      add_progbar=verbose != 0, verbose=verbose,
                                      epochs=epochs, steps=steps, model=model)


_BATCH_HOOKS = {
    "train": ("on_train_batch_begin", "on_train_batch_end", "on_batch_begin", "on_batch_end"),
    "test": ("on_test_batch_begin", "on_test_batch_end"),
    "predict": ("on_predict_batch_begin", "on_predict_batch_end"),
}


def _steps_per_call(model: Any, callbacks: Any, kind: str, steps: int | None) -> int:
    """Batches per compiled call: ``steps_per_execution``, or the backend's
    ``unobserved_steps_per_call()`` when no callback watches individual batches and
    epochs are whole passes over the data (then nothing can observe the
    difference, and per-call overhead is paid less often). With an explicit step
    count, chunking decides where epochs end, so it is left as the user set it."""
    if steps is not None or callbacks.observes(*_BATCH_HOOKS[kind]):
        return model.steps_per_execution
    return max(model.steps_per_execution, backend.trainer_steps.unobserved_steps_per_call())


def _build(model: Any, iterator: Any) -> None:
    """Builds what is unbuilt from the first batch (read only if needed), then resets
    the iterator so the epoch starts afresh (as upstream, always)."""
    model._symbolic_build(iterator=iterator)
    iterator.reset()


@_in_model_scope
def fit(model: Any, x: Any = None, y: Any = None, batch_size: int | None = None,
        epochs: int = 1, verbose: Any = "auto", callbacks: Any = None,
        validation_split: float = 0.0, validation_data: Any = None, shuffle: Any = True,
        class_weight: Any = None, sample_weight: Any = None, initial_epoch: int = 0,
        steps_per_epoch: int | None = None, validation_steps: int | None = None,
        validation_batch_size: int | None = None, validation_freq: Any = 1) -> Any:
    model._assert_compile_called("fit")
    limit = max_epochs()
    if limit and limit < epochs:
        warnings.warn(f"Limiting epochs to {limit}", stacklevel=3)
        epochs = limit
    if validation_split and validation_data is None:
        (x, y, sample_weight), validation_data = train_validation_split(
            (x, y, sample_weight), validation_split=validation_split)
    if validation_data is not None:
        val_x, val_y, val_sample_weight = unpack_x_y_sample_weight(validation_data)
    iterator = EpochIterator(x=x, y=y, sample_weight=sample_weight, batch_size=batch_size,
                             steps_per_epoch=steps_per_epoch, shuffle=shuffle,
                             class_weight=class_weight,
                             steps_per_execution=model.steps_per_execution)
    _build(model, iterator)
    callbacks = _callback_list(model, callbacks, verbose, epochs, iterator.num_batches, True)
    iterator.steps_per_execution = _steps_per_call(model, callbacks, "train",
                                                   steps_per_epoch)
    function = make_function(model, "train")
    _set(model, "stop_training", False)
    eval_iterator = None
    training_logs: Any = {}
    callbacks.on_train_begin()
    initial_epoch = model._initial_epoch or initial_epoch
    try:
        for epoch in range(initial_epoch, epochs):
            model.reset_metrics()
            callbacks.on_epoch_begin(epoch)
            logs: Any = {}
            for begin, end, batches in iterator.enumerate_epoch():
                callbacks.on_train_batch_begin(begin)
                logs = function(batches)
                callbacks.on_train_batch_end(end, logs)
                if model.stop_training:
                    break
            function.sync()
            epoch_logs = dict(model._get_metrics_result_or_logs(logs))
            if validation_data is not None and model._should_eval(epoch, validation_freq):
                if eval_iterator is None:
                    eval_iterator = EpochIterator(
                        x=val_x, y=val_y, sample_weight=val_sample_weight,
                        batch_size=validation_batch_size or batch_size,
                        steps_per_epoch=validation_steps, shuffle=False,
                        steps_per_execution=model.steps_per_execution)
                val_logs = evaluate(model, callbacks=callbacks, return_dict=True,
                                    _epoch_iterator=eval_iterator)
                epoch_logs.update({f"val_{name}": value for name, value in val_logs.items()})
            callbacks.on_epoch_end(epoch, epoch_logs)
            training_logs = epoch_logs
            if model.stop_training:
                break
        if model.optimizer is not None and epochs > 0:
            model.optimizer.finalize_variable_values(model.trainable_weights)
    finally:
        function.sync()
    callbacks.on_train_end(logs=training_logs)
    return model.history


@_in_model_scope
def evaluate(model: Any, x: Any = None, y: Any = None, batch_size: int | None = None,
             verbose: Any = "auto", sample_weight: Any = None, steps: int | None = None,
             callbacks: Any = None, return_dict: bool = False, **kwargs: Any) -> Any:
    model._assert_compile_called("evaluate")
    iterator = kwargs.pop("_epoch_iterator", None)
    if kwargs:
        raise ValueError(f"Arguments not recognized: {kwargs}")
    if iterator is None:
        iterator = EpochIterator(x=x, y=y, sample_weight=sample_weight, batch_size=batch_size,
                                 steps_per_epoch=steps, shuffle=False,
                                 steps_per_execution=model.steps_per_execution)
    _build(model, iterator)
    callbacks = _callback_list(model, callbacks, verbose, 1, iterator.num_batches, False)
    iterator.steps_per_execution = _steps_per_call(model, callbacks, "test", steps)
    function = make_function(model, "test")
    _set(model, "stop_evaluating", False)
    callbacks.on_test_begin()
    logs: Any = {}
    model.reset_metrics()
    try:
        for begin, end, batches in iterator.enumerate_epoch():
            callbacks.on_test_batch_begin(begin)
            logs = function(batches)
            callbacks.on_test_batch_end(end, logs)
            if model.stop_evaluating:
                break
    finally:
        function.sync()
    logs = python_logs(model._get_metrics_result_or_logs(logs))
    callbacks.on_test_end(logs)
    if return_dict:
        return logs
    return model._flatten_metrics_in_order(logs)


@_in_model_scope
def predict(model: Any, x: Any, batch_size: int | None = None, verbose: Any = "auto",
            steps: int | None = None, callbacks: Any = None) -> Any:
    iterator = EpochIterator(x=x, batch_size=batch_size, steps_per_epoch=steps, shuffle=False,
                             steps_per_execution=model.steps_per_execution)
    if not all(layer.built for layer in model._flatten_layers()):
        _build_for_prediction(model, iterator.first_batch())
        iterator.reset()
    callbacks = _callback_list(model, callbacks, verbose, 1, iterator.num_batches, False)
    iterator.steps_per_execution = _steps_per_call(model, callbacks, "predict", steps)
    function = make_function(model, "predict")
    _set(model, "stop_predicting", False)
    callbacks.on_predict_begin()
    outputs: list = []
    try:
        for begin, end, batches in iterator.enumerate_epoch():
            callbacks.on_predict_batch_begin(begin)
            batch_outputs = function(batches)
            outputs.append(batch_outputs)
            callbacks.on_predict_batch_end(end, {"outputs": batch_outputs})
            if model.stop_predicting:
                break
    finally:
        function.sync()
    callbacks.on_predict_end()
    if not outputs:
        raise ValueError(
            "Unexpected result of `predict_function` (Empty batch_outputs). Please use "
            "`Model.compile(..., run_eagerly=True)`, or `tf.config.run_functions_eagerly(True)`"
            " for more information of where went wrong, or file a issue/bug to `keras`."
        )
    return tree.map_structure(_concatenate, *outputs)


def _concatenate(*parts: Any) -> np.ndarray:
    return np.concatenate([backend.trainer_steps.to_numpy(p) for p in parts], axis=0)


def _build_for_prediction(model: Any, batch: Any) -> None:
    if all(layer.built for layer in model._flatten_layers()):
        return
    x, _, _ = unpack_x_y_sample_weight(batch)
    with backend.StatelessScope():
        model(x)


@_in_model_scope
def train_on_batch(model: Any, x: Any, y: Any = None, sample_weight: Any = None,
                   class_weight: Any = None, return_dict: bool = False) -> Any:
    model._assert_compile_called("train_on_batch")
    if class_weight is not None:
        if sample_weight is not None:
            raise ValueError(
                "Arguments `sample_weight` and `class_weight` cannot be specified at the same "
                f"time. Received: sample_weight={sample_weight}, class_weight={class_weight}"
            )
        sample_weight = class_weight_to_sample_weight(y, class_weight)
    return _one_batch(model, "train", (x, y, sample_weight), return_dict)


@_in_model_scope
def test_on_batch(model: Any, x: Any, y: Any = None, sample_weight: Any = None,
                  return_dict: bool = False) -> Any:
    model._assert_compile_called("test_on_batch")
    return _one_batch(model, "test", (x, y, sample_weight), return_dict)


def _one_batch(model: Any, kind: str, batch: tuple, return_dict: bool) -> Any:
    model._symbolic_build(batch)
    function = make_function(model, kind)
    model.reset_metrics()
    try:
        logs = function([batch])
    finally:
        function.sync()
    logs = python_logs(logs)
    if return_dict:
        return logs
    return model._flatten_metrics_in_order(logs)


@_in_model_scope
def predict_on_batch(model: Any, x: Any) -> Any:
    _build_for_prediction(model, (x,))
    function = make_function(model, "predict")
    try:
        outputs = function([(x,)])
    finally:
        function.sync()
    return tree.map_structure(backend.trainer_steps.to_numpy, outputs)
