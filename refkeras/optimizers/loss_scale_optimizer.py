"""``LossScaleOptimizer``: dynamic loss scaling around another optimizer (mixed precision).

The loss is multiplied by ``dynamic_scale`` before differentiation, and the
gradients divided by it before the inner optimizer sees them. A step whose
gradients are all finite is applied, and after ``dynamic_growth_steps`` such
steps in a row the scale doubles; a step with an inf or NaN gradient is
skipped and halves the scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from refkeras import backend, initializers, ops
from refkeras.ops.optimizer_ops import all_true
from refkeras.optimizers.gradient_filtering import overwrites_with_gradient
from refkeras.optimizers.optimizer import Optimizer
from refkeras.serialization import builtin, deserialize_keras_object, serialize_keras_object

# Shared optimizer arguments older configs still carry; only their defaults are accepted.
_INHERITED_DEFAULTS = {
    "weight_decay": None, "clipnorm": None, "global_clipnorm": None, "clipvalue": None,
    "use_ema": False, "ema_momentum": 0.99, "ema_overwrite_frequency": None,
    "loss_scale_factor": None, "gradient_accumulation_steps": None,
}


def _check_arguments(kwargs: dict) -> None:
    if not kwargs.pop("dynamic", True):
        raise ValueError(
            "LossScaleOptimizer no longer supports `dynamic=False`. Instead, simply set "
            "`loss_scale_factor` directly on the `inner_optimizer`."
        )
    for name, default in _INHERITED_DEFAULTS.items():
        if name in kwargs:
            value = kwargs.pop(name)
            if (default is None and value is not None) or value != default:
                raise ValueError(
                    f"LossScaleOptimizer does not support `{name}`. Instead, set `{name}` on "
                    "the `inner_optimizer`."
                )
    if kwargs:
        raise ValueError(
            f"LossScaleOptimizer does not support arguments: `{'`, `'.join(kwargs.keys())}`."
        )


@builtin("keras.optimizers")
class LossScaleOptimizer(Optimizer):
    """Wraps ``inner_optimizer`` with a dynamic loss scale.

    Args:
        inner_optimizer: the optimizer that applies the unscaled gradients (its
            own ``loss_scale_factor`` is switched off).
        initial_scale: the starting scale.
        dynamic_growth_steps: finite steps in a row after which the scale doubles.
        name: the wrapper's name.

    Its :attr:`variables` are ``iteration``, ``learning_rate``, ``step_counter``,
    ``dynamic_scale``, then the inner optimizer's variables.
    """

    def __init__(self, inner_optimizer: Optimizer, initial_scale: float = 2.0**15,
                 dynamic_growth_steps: int = 2000, name: str | None = None, **kwargs: Any):
        _check_arguments(kwargs)
        super().__init__(learning_rate=0.0, name=name)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = initial_scale
        self.dynamic_growth_steps = dynamic_growth_steps
        self.inner_optimizer.loss_scale_factor = None  # or gradients get unscaled twice

    def build(self, var_list: Sequence[Any]) -> None:
        self.step_counter = self.add_variable(shape=(), dtype="int",
                                              initializer=initializers.Zeros(),
                                              aggregation="none", name="step_counter")
        self.dynamic_scale = self.add_variable(
            shape=(), dtype="float32", initializer=initializers.Constant(self.initial_scale),
            aggregation="none", name="dynamic_scale")
        self.inner_optimizer.build(var_list)
        super().build(var_list)

    @property
    def variables(self) -> list:
        return self._variables + self.inner_optimizer.variables

    def check_finite(self, grads: Sequence[Any]) -> Any:
        """A scalar bool: whether every gradient entry is finite."""
        finite = [all_true(ops.isfinite(g)) for g in grads if g is not None]
        return all_true(ops.convert_to_tensor(finite))

    def apply(self, grads: Sequence[Any], trainable_variables: Sequence[Any] | None = None
              ) -> None:
        if not self.built:
            with backend.name_scope(self.name, caller=self):
                self.build(trainable_variables)
            self.built = True
        # Both outcomes are computed as values (in a StatelessScope) and the right one
        # assigned, so this runs the same eagerly and under jit.
        state = self._trainable_variables + self.variables
        current = [backend.convert_to_tensor(v) for v in state]
        new_values = ops.cond(
            self.check_finite(grads),
            lambda: self._outcome(state, current, lambda: self._finite_step(
                grads, trainable_variables)),
            lambda: self._outcome(state, current, self._skip_step),
        )
        for variable, value in zip(state, new_values):
            variable.assign(value)

    @staticmethod
    def _outcome(state: list, current: list, step: Any) -> list:
        with backend.StatelessScope(list(zip(state, current))) as scope:
            step()
        return [scope.get_current_value(v) for v in state]

    def _finite_step(self, grads: Sequence[Any], trainable_variables: Any) -> None:
        variables = trainable_variables or self._trainable_variables
        unscaled = [g if g is None or overwrites_with_gradient(v)
                    else ops.divide(g, self.dynamic_scale)
                    for g, v in zip(grads, variables)]
        self.inner_optimizer.apply(unscaled, trainable_variables=trainable_variables)
        counter = backend.convert_to_tensor(self.step_counter)
        grow = ops.equal(counter, self.dynamic_growth_steps - 1)
        counter = ops.cond(grow, lambda: ops.zeros_like(counter), lambda: counter + 1)
        scale = ops.cond(grow, lambda: ops.multiply(self.dynamic_scale, 2.0),
                         lambda: backend.convert_to_tensor(self.dynamic_scale))
        self.step_counter.assign(counter)
        self.dynamic_scale.assign(scale)

    def _skip_step(self) -> None:
        self.step_counter.assign(0)
        self.dynamic_scale.assign(ops.multiply(self.dynamic_scale, 0.5))

    @property
    def learning_rate(self) -> Any:
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, learning_rate: Any) -> None:
        self.inner_optimizer.learning_rate = learning_rate

    @property
    def iterations(self) -> Any:
        return self.inner_optimizer.iterations

    def scale_loss(self, loss: Any) -> Any:
        """``loss * dynamic_scale`` (the initial scale before building)."""
        return ops.multiply(loss, self.dynamic_scale if self.built else self.initial_scale)

    def finalize_variable_values(self, var_list: Sequence[Any]) -> None:
        self.inner_optimizer.finalize_variable_values(var_list)

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "inner_optimizer": serialize_keras_object(self.inner_optimizer),
            "initial_scale": self.initial_scale,
            "dynamic_growth_steps": self.dynamic_growth_steps,
        }

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> Any:
        inner = deserialize_keras_object(config.pop("inner_optimizer"),
                                         custom_objects=custom_objects)
        return cls(inner, **config)
