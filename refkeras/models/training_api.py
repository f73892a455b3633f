"""``TrainingAPI``: Model's compile/fit/evaluate/predict, forwarded to ``refkeras.training``.

``training`` sits above ``models`` in the import order (it drives models), so
models cannot import it. ``refkeras.training`` registers its ``Trainer`` class
here on import (``refkeras/__init__`` always imports it), and each method below
forwards to the method of the same name with the model as ``self``. Overriding
any of them in a Model subclass works as usual: the loops call them on the model.

The class attributes are the state of a model that was never compiled.
"""

from __future__ import annotations

from typing import Any

from refkeras import backend

_TRAINER: list[type] = []


def register(trainer: type) -> None:
    """Called once by ``refkeras.training`` on import."""
    _TRAINER[:] = [trainer]


def _impl() -> type:
    if not _TRAINER:
        raise RuntimeError("Training is not available: import refkeras (or "
                           "refkeras.training) before compiling or fitting a model.")
    return _TRAINER[0]


class TrainingAPI:
    """The training methods of Model; see the module docstring."""

    compiled = False
    optimizer = None
    loss = None
    steps_per_execution = 1
    stop_training = False
    train_function = None
    test_function = None
    predict_function = None
    _initial_epoch = None
    _compile_loss = None
    _compile_metrics = None
    _loss_tracker = None

    def compile(self, optimizer: Any = "rmsprop", loss: Any = None, loss_weights: Any = None,
                metrics: Any = None, weighted_metrics: Any = None, run_eagerly: bool = False,
                steps_per_execution: int = 1, jit_compile: Any = "auto",
                auto_scale_loss: bool = True) -> None:
        """Configures the model for training (optimizer, loss, metrics, compilation)."""
        _impl().compile(self, optimizer=optimizer, loss=loss, loss_weights=loss_weights,
                        metrics=metrics, weighted_metrics=weighted_metrics,
                        run_eagerly=run_eagerly, steps_per_execution=steps_per_execution,
                        jit_compile=jit_compile, auto_scale_loss=auto_scale_loss)

    def fit(self, x: Any = None, y: Any = None, batch_size: int | None = None, epochs: int = 1,
            verbose: Any = "auto", callbacks: Any = None, validation_split: float = 0.0,
            validation_data: Any = None, shuffle: Any = True, class_weight: Any = None,
            sample_weight: Any = None, initial_epoch: int = 0,
            steps_per_epoch: int | None = None, validation_steps: int | None = None,
            validation_batch_size: int | None = None, validation_freq: Any = 1) -> Any:
        """Trains for ``epochs`` epochs; returns the ``History`` callback."""
        return _impl().fit(self, x=x, y=y, batch_size=batch_size, epochs=epochs,
                           verbose=verbose, callbacks=callbacks,
                           validation_split=validation_split, validation_data=validation_data,
                           shuffle=shuffle, class_weight=class_weight,
                           sample_weight=sample_weight, initial_epoch=initial_epoch,
                           steps_per_epoch=steps_per_epoch, validation_steps=validation_steps,
                           validation_batch_size=validation_batch_size,
                           validation_freq=validation_freq)

    def evaluate(self, x: Any = None, y: Any = None, batch_size: int | None = None,
                 verbose: Any = "auto", sample_weight: Any = None, steps: int | None = None,
                 callbacks: Any = None, return_dict: bool = False, **kwargs: Any) -> Any:
        """The loss and metrics over the data: a scalar, a list, or a dict."""
        return _impl().evaluate(self, x=x, y=y, batch_size=batch_size, verbose=verbose,
                                sample_weight=sample_weight, steps=steps, callbacks=callbacks,
                                return_dict=return_dict, **kwargs)

    def predict(self, x: Any, batch_size: int | None = None, verbose: Any = "auto",
                steps: int | None = None, callbacks: Any = None) -> Any:
        """The model's outputs over the data, as NumPy arrays."""
        return _impl().predict(self, x, batch_size=batch_size, verbose=verbose, steps=steps,
                               callbacks=callbacks)

    def train_on_batch(self, x: Any, y: Any = None, sample_weight: Any = None,
                       class_weight: Any = None, return_dict: bool = False) -> Any:
        """One training step on one batch; returns the metrics after it."""
        return _impl().train_on_batch(self, x, y=y, sample_weight=sample_weight,
                                      class_weight=class_weight, return_dict=return_dict)

    def test_on_batch(self, x: Any, y: Any = None, sample_weight: Any = None,
                      return_dict: bool = False) -> Any:
        """The metrics of one batch (metrics are reset first)."""
        return _impl().test_on_batch(self, x, y=y, sample_weight=sample_weight,
                                     return_dict=return_dict)

    def predict_on_batch(self, x: Any) -> Any:
        """The model's outputs on one batch, as NumPy arrays."""
        return _impl().predict_on_batch(self, x)

    # --- steps (the backend's defaults; override to customize training) -----------------
    def train_step(self, *args: Any) -> Any:
        """One training step. JAX: ``(state, data) -> (logs, state)``; TF: ``data -> logs``."""
        return backend.trainer_steps.train_step(self, *args)

    def test_step(self, *args: Any) -> Any:
        """One evaluation step (same conventions as ``train_step``)."""
        return backend.trainer_steps.test_step(self, *args)

    def predict_step(self, *args: Any) -> Any:
        """One prediction step (same conventions as ``train_step``)."""
        return backend.trainer_steps.predict_step(self, *args)

    def jax_state_sync(self) -> None:
        """Writes state held by the compiled step functions back to the variables
        (JAX steps hold it between calls; elsewhere there is nothing to do)."""
        for function in (self.train_function, self.test_function, self.predict_function):
            if function is not None:
                function.sync()

    def make_train_function(self, force: bool = False) -> Any:
        return _impl().make_function(self, "train", force)

    def make_test_function(self, force: bool = False) -> Any:
        return _impl().make_function(self, "test", force)

    def make_predict_function(self, force: bool = False) -> Any:
        return _impl().make_function(self, "predict", force)

    # --- loss and metrics ---------------------------------------------------------------
    def compute_loss(self, x: Any = None, y: Any = None, y_pred: Any = None,
                     sample_weight: Any = None, training: bool = True) -> Any:
        """The total loss of one batch: compiled loss plus layer losses."""
        return _impl().compute_loss(self, x, y, y_pred, sample_weight, training)

    def _compute_loss(self, *args: Any, **kwargs: Any) -> Any:
        return _impl()._compute_loss(self, *args, **kwargs)

    def stateless_compute_loss(self, *args: Any, **kwargs: Any) -> Any:
        """``compute_loss`` as a pure function of the given variable values."""
        return _impl().stateless_compute_loss(self, *args, **kwargs)

    def compute_metrics(self, x: Any, y: Any, y_pred: Any, sample_weight: Any = None) -> dict:
        """Updates the compiled metrics; returns every metric's current result."""
        return _impl().compute_metrics(self, x, y, y_pred, sample_weight)

    def get_metrics_result(self) -> dict:
        """Every metric's current result, by name."""
        return _impl().get_metrics_result(self)

    def reset_metrics(self) -> None:
        _impl().reset_metrics(self)

    @property
    def metrics(self) -> list:
        return _impl().metrics.fget(self)

    @property
    def metrics_names(self) -> list:
        return [metric.name for metric in self.metrics]

    @property
    def run_eagerly(self) -> bool:
        return self.__dict__.get("_run_eagerly", False)

    @run_eagerly.setter
    def run_eagerly(self, value: bool) -> None:
        object.__setattr__(self, "_run_eagerly", value)

    @property
    def jit_compile(self) -> bool:
        return _impl().jit_compile.fget(self)

    @jit_compile.setter
    def jit_compile(self, value: bool) -> None:
        _impl().jit_compile.fset(self, value)

    # --- configs and loop helpers ----------------------------------------------------------
    def get_compile_config(self) -> dict:
        """``compile``'s arguments, serialized (empty when not compiled)."""
        return _impl().get_compile_config(self)

    def compile_from_config(self, config: dict) -> None:
        """Compiles from a ``get_compile_config()`` result."""
        _impl().compile_from_config(self, config)

    def _should_eval(self, epoch: int, validation_freq: Any) -> bool:
        return _impl()._should_eval(self, epoch, validation_freq)

    def _get_metrics_result_or_logs(self, logs: Any) -> Any:
        return _impl()._get_metrics_result_or_logs(self, logs)

    def _flatten_metrics_in_order(self, logs: dict) -> Any:
        return _impl()._flatten_metrics_in_order(self, logs)

    def _assert_compile_called(self, method_name: str | None = None) -> None:
        _impl()._assert_compile_called(self, method_name)

    def _symbolic_build(self, data_batch: Any = None, iterator: Any = None) -> None:
        _impl()._symbolic_build(self, data_batch, iterator)
