"""``Trainer``: what ``compile`` sets up, and the loss/metric computations steps use.

Model reaches these methods through ``refkeras.models.training_api`` (models sit
below training in the import order; ``refkeras.training`` registers this class
there on import). Every method takes the model as ``self``.

The loops (fit/evaluate/predict) are in ``loops.py``; the backend supplies the
step functions (``refkeras.backend.trainer_steps``).
"""

from __future__ import annotations

import functools
import inspect
import warnings
from typing import Any

from refkeras import backend, ops, optimizers, tree
from refkeras import metrics as metrics_lib
from refkeras.backend import trainer_steps
from refkeras.graph.keras_tensor import KerasTensor
from refkeras.models.training_api import TrainingAPI
from refkeras.serialization import deserialize_keras_object, serialize_keras_object
from refkeras.training import loops
from refkeras.training.compile_loss import CompileLoss
from refkeras.training.compile_metrics import CompileMetrics
from refkeras.training.data import unpack_x_y_sample_weight

# Trainer state lives on the model; written with object.__setattr__ so that the
# layer tracker (which would file metrics as sub-state, and refuses new state
# once the model is built) stays out of it.
_set = object.__setattr__


class Trainer:
    """The training half of ``Model``; see the module docstring."""

    def compile(self, optimizer: Any = "rmsprop", loss: Any = None, loss_weights: Any = None,
                metrics: Any = None, weighted_metrics: Any = None, run_eagerly: bool = False,
                steps_per_execution: int = 1, jit_compile: Any = "auto",
                auto_scale_loss: bool = True) -> None:
        """Configures training: optimizer, loss, metrics, and how steps are compiled."""
        optimizer = optimizers.get(optimizer)
        model_optimizer = optimizer
        if (auto_scale_loss and self.dtype_policy.name == "mixed_float16" and optimizer
                and not isinstance(optimizer, optimizers.LossScaleOptimizer)):
            model_optimizer = optimizers.LossScaleOptimizer(optimizer,
                                                            name="loss_scale_optimizer")
        _set(self, "optimizer", model_optimizer)
        output_names = getattr(self, "output_names", None)
        if loss is not None:
            _set(self, "_compile_loss", CompileLoss(loss, loss_weights,
                                                    output_names=output_names))
            _set(self, "loss", loss)
        if metrics is not None or weighted_metrics is not None:
            _set(self, "_compile_metrics", CompileMetrics(metrics, weighted_metrics,
                                                          output_names=output_names))
        if jit_compile == "auto":
            jit_compile = False if run_eagerly else resolve_auto_jit(self)
        if jit_compile and run_eagerly:
            jit_compile = False
            warnings.warn("If `run_eagerly` is True, then `jit_compile` cannot also be True. "
                          "Disabling `jit_compile`.", stacklevel=2)
        self.jit_compile = jit_compile
        _set(self, "_run_eagerly", run_eagerly)
        _set(self, "stop_training", False)
        _set(self, "compiled", True)
        _set(self, "_loss_tracker", metrics_lib.Mean(name="loss"))
        _set(self, "steps_per_execution", steps_per_execution)
        _set(self, "train_function", None)
        _set(self, "test_function", None)
        _set(self, "predict_function", None)
        _set(self, "_compile_config", {
            "optimizer": optimizer, "loss": loss, "loss_weights": loss_weights,
            "metrics": metrics, "weighted_metrics": weighted_metrics,
            "run_eagerly": run_eagerly, "steps_per_execution": steps_per_execution,
            "jit_compile": jit_compile,
        })

    # The loops, written once for every backend (``loops.py``).
    fit = loops.fit
    evaluate = loops.evaluate
    predict = loops.predict
    train_on_batch = loops.train_on_batch
    test_on_batch = loops.test_on_batch
    predict_on_batch = loops.predict_on_batch
    make_function = loops.make_function

    # --- compile-time settings ---------------------------------------------------------
    @property
    def jit_compile(self) -> bool:
        if self.__dict__.get("_jit_compile") is None:
            _set(self, "_jit_compile", resolve_auto_jit(self))
        return self._jit_compile

    @jit_compile.setter
    def jit_compile(self, value: bool) -> None:
        if value and not supports_jit(self):
            warnings.warn("Model doesn't support `jit_compile=True`. "
                          "Proceeding with `jit_compile=False`.", stacklevel=2)
            value = False
        _set(self, "_jit_compile", value)

    # --- metrics -----------------------------------------------------------------------
    @property
    def metrics(self) -> list:
        """Loss tracker, compiled metrics, per-output loss trackers, then own and
        sub-layer metrics (sub-models' trainer metrics excluded)."""
        found = own_trainer_metrics(self) + list(self._metrics)
        for layer in self._flatten_layers(include_self=False):
            if isinstance(layer, TrainingAPI):
                found.extend(layer._metrics)
                continue
            found.extend(layer.metrics)
        return found

    def reset_metrics(self) -> None:
        for metric in self.metrics:
            metric.reset_state()

    def get_metrics_result(self) -> dict:
        """Each metric's result by name; dict results (compiled metrics) are merged in."""
        results: dict = {}
        for metric in self.metrics:
            value = metric.result()
            if isinstance(value, dict):
                results.update(value)
            else:
                results[metric.name] = value
        return results

    def compute_metrics(self, x: Any, y: Any, y_pred: Any, sample_weight: Any = None) -> dict:
        """Updates the compiled metrics with one batch; returns every metric's result."""
        del x
        if self._compile_metrics is not None:
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    # --- loss ----------------------------------------------------------------------------
    def compute_loss(self, x: Any = None, y: Any = None, y_pred: Any = None,
                     sample_weight: Any = None, training: bool = True) -> Any:
        """The compiled loss plus every layer loss (``model.losses``), summed."""
        del x, training
        values = []
        if self._compile_loss is not None:
            value = self._compile_loss(y, y_pred, sample_weight)
            if value is not None:
                values.append(value)
        for extra in self.losses:
            if not backend.is_float_dtype(extra.dtype):
                extra = ops.cast(extra, backend.floatx())
            values.append(backend.distribution.scale_loss(ops.sum(extra)))
        if not values and trainer_steps.EMPTY_LOSS_IS_ERROR:
            raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")
        if len(values) == 1:
            return values[0]
        if not values:
            return ops.zeros(())
        return ops.sum(values)

    def _compute_loss(self, x: Any = None, y: Any = None, y_pred: Any = None,
                      sample_weight: Any = None, training: bool = True) -> Any:
        """``compute_loss``, passing ``training`` only to overrides that take it."""
        if "training" in _parameters(type(self).compute_loss):
            return self.compute_loss(x, y, y_pred, sample_weight, training=training)
        return self.compute_loss(x, y, y_pred, sample_weight)

    def stateless_compute_loss(self, trainable_variables: list, non_trainable_variables: list,
                               metrics_variables: list, x: Any = None, y: Any = None,
                               y_pred: Any = None, sample_weight: Any = None,
                               training: bool = True) -> tuple:
        """``compute_loss`` as a pure function of the given state.

        Returns ``(loss, (trainable, non_trainable, metrics_variables))`` with
        the values the computation left in the non-trainable and metric variables.
        """
        mapping = (list(zip(self.trainable_variables, trainable_variables))
                   + list(zip(self.non_trainable_variables, non_trainable_variables))
                   + list(zip(self.metrics_variables, metrics_variables)))
        with backend.StatelessScope(state_mapping=mapping) as scope:
            loss = self._compute_loss(x, y, y_pred, sample_weight=sample_weight,
                                      training=training)
        non_trainable = [scope.get_current_value(v) for v in self.non_trainable_variables]
        metric_values = [scope.get_current_value(v) for v in self.metrics_variables]
        return loss, (trainable_variables, non_trainable, metric_values)

    # --- compile configs -----------------------------------------------------------------
    def get_compile_config(self) -> dict:
        """``compile``'s arguments, serialized (empty when not compiled)."""
        if self.compiled and "_compile_config" in self.__dict__:
            return {key: serialize_keras_object(value)
                    for key, value in self._compile_config.items()}
        return {}

    def compile_from_config(self, config: dict) -> None:
        """Calls ``compile`` with a ``get_compile_config()`` result (not for custom compiles)."""
        if type(self).compile is not TrainingAPI.compile:
            warnings.warn(
                "`compile()` was not called as part of model loading because the model's "
                "`compile()` method is custom. All subclassed Models that have `compile()` "
                "overridden should also override `get_compile_config()` and "
                "`compile_from_config(config)`. Alternatively, you can call `compile()` "
                "manually after loading.", stacklevel=2)
            return
        config = {key: deserialize_keras_object(value) for key, value in config.items()}
        self.compile(**config)
        if self.optimizer is not None and self.built:
            self.optimizer.build(self.trainable_variables)

    # --- helpers the loops use -------------------------------------------------------------
    def _should_eval(self, epoch: int, validation_freq: Any) -> bool:
        epoch += 1
        if isinstance(validation_freq, int):
            return epoch % validation_freq == 0
        if isinstance(validation_freq, list):
            return epoch in validation_freq
        raise ValueError(
            "Expected `validation_freq` to be a list or int. Received: "
            f"validation_freq={validation_freq} of the type {type(validation_freq)}."
        )

    def _get_metrics_result_or_logs(self, logs: Any) -> Any:
        """The metrics' results when they name the same values as ``logs`` (a custom
        ``train_step`` may return other logs, which are kept as they are)."""
        results = self.get_metrics_result()
        if isinstance(logs, dict) and set(logs) == set(results):
            return results
        return logs

    def _flatten_metrics_in_order(self, logs: dict) -> Any:
        """``evaluate``'s list form: metric order first, then other keys sorted."""
        names = []
        for metric in self.metrics:
            if isinstance(metric, CompileMetrics):
                names.extend(sub.name for sub in metric.metrics)
            else:
                names.append(metric.name)
        values = [logs[name] for name in names if name in logs]
        values.extend(logs[key] for key in sorted(logs) if key not in names)
        return values[0] if len(values) == 1 else values

    def _assert_compile_called(self, method_name: str | None = None) -> None:
        if not self.compiled:
            # (Upstream also has a check that recompiling is needed after `trainable`
            # changes, but never reaches it; neither do we.)
            raise ValueError("You must call `compile()` before using the model.")

    def _symbolic_build(self, data_batch: Any = None, iterator: Any = None) -> None:
        """Builds the model, compiled loss/metrics and optimizer from one batch's specs
        (``data_batch``, or the first batch of ``iterator``, read only when needed)."""
        model_unbuilt = not all(layer.built for layer in self._flatten_layers())
        metrics_unbuilt = self._compile_metrics is not None and not self._compile_metrics.built
        loss_unbuilt = self._compile_loss is not None and not self._compile_loss.built
        if model_unbuilt or metrics_unbuilt or loss_unbuilt:
            if data_batch is None:
                data_batch = iterator.first_batch()
            specs = tree.map_structure(_symbolic_input, data_batch)
            x, y, sample_weight = unpack_x_y_sample_weight(specs)
            try:
                y_pred = tree.map_structure(
                    _symbolic_input, backend.compute_output_spec(self, x, training=False))
            except Exception as e:
                if isinstance(e, ValueError):
                    raise
                raise RuntimeError(
                    "Unable to automatically build the model. Please build it yourself before "
                    "calling fit/evaluate/predict. A model is 'built' when its variables have "
                    "been created and its `self.built` attribute is True. Usually, calling the "
                    "model on a batch of data is the right way to build it.\n"
                    f"Exception encountered:\n'{e}'") from e
            if metrics_unbuilt:
                backend.compute_output_spec(self.compute_metrics, x, y, y_pred,
                                            sample_weight=sample_weight)
            if loss_unbuilt:
                backend.compute_output_spec(self._compute_loss, x, y, y_pred,
                                            sample_weight=sample_weight, training=False)
        if self.optimizer is not None and not self.optimizer.built:
            self.optimizer.build(self.trainable_variables)


def own_trainer_metrics(model: Any) -> list:
    """The metrics ``compile`` created: loss tracker, compiled metrics, per-output losses."""
    if not model.compiled:
        return []
    found = []
    if model._loss_tracker is not None:
        found.append(model._loss_tracker)
    if model._compile_metrics is not None:
        found.append(model._compile_metrics)
    if model._compile_loss is not None:
        found.extend(model._compile_loss.metrics)
    return found


def _symbolic_input(value: Any) -> Any:
    if value is None:
        return None
    return KerasTensor(tuple(value.shape), backend.standardize_dtype(value.dtype))


@functools.cache
def _parameters(fn: Any) -> frozenset:
    return frozenset(inspect.signature(fn).parameters)


def resolve_auto_jit(model: Any) -> bool:
    """``jit_compile="auto"``: the backend agrees and every layer supports jit."""
    return trainer_steps.auto_jit_compile(model) and supports_jit(model)


def supports_jit(model: Any) -> bool:
    """Every layer supports jit, and the backend agrees (``trainer_steps``)."""
    layers_ok = all(getattr(layer, "supports_jit", True) for layer in model._flatten_layers())
    return layers_ok and trainer_steps.backend_supports_jit()
