"""``Optimizer``: the state and update loop every optimizer shares.

A subclass creates its slot variables in ``build`` (with
``add_optimizer_variables``) and writes the arithmetic of one variable's update
in ``update_step``. The base class does everything around it, in this order,
for each ``apply(grads, variables)``:

1. build on first use (inside the optimizer's name scope, so slot paths are
   ``"<optimizer name>/<variable path with _>_<slot>"``);
2. drop ``None`` gradients, assign overwrite-with-gradient variables;
3. divide by ``loss_scale_factor``; then, per update, clip, apply weight decay
   and call ``update_step`` (accumulating first, when configured);
4. update the EMA of the variables, apply variable constraints;
5. add one to ``iterations``.

State lives in :attr:`variables`: ``iteration``, ``learning_rate`` (unless a
schedule or callable is used), then the slots in build order. Weight files
store them in that order as datasets ``"0"``, ``"1"``, ...
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from refkeras import backend, initializers, ops
from refkeras.backend.naming import auto_name
from refkeras.optimizers import (
    accumulation,
    arguments,
    clipping,
    gradient_filtering,
    slots,
    state_io,
    stateless,
)
from refkeras.optimizers import learning_rate as learning_rate_lib
from refkeras.optimizers import moving_average as ema
from refkeras.optimizers.optimizer_config import OptimizerConfigMixin
from refkeras.optimizers.weight_decay import WeightDecayExclusions, apply_weight_decay
from refkeras.serialization import builtin


@builtin("keras.optimizers")
class Optimizer(OptimizerConfigMixin):
    """Base class of optimizers; see the module docstring for the update order.

    Args:
        learning_rate: a Python float, a ``LearningRateSchedule`` (called with the
            step count), or a zero-argument callable.
        weight_decay: decoupled weight decay factor, or None.
        clipnorm, clipvalue, global_clipnorm: at most one gradient clipping rule.
        use_ema, ema_momentum, ema_overwrite_frequency: keep an exponential moving
            average of the trained variables (see ``moving_average.py``).
        loss_scale_factor: the loss is multiplied and the gradients divided by it.
        gradient_accumulation_steps: update every that many calls, with the mean
            gradient (an int >= 2, or None).
        name: defaults to the snake_case class name, made unique.
    """

    _saveable_kind = "Optimizer"

    def __init__(self, learning_rate: Any, weight_decay: Any = None, clipnorm: Any = None,
                 clipvalue: Any = None, global_clipnorm: Any = None, use_ema: bool = False,
                 ema_momentum: float = 0.99, ema_overwrite_frequency: int | None = None,
                 loss_scale_factor: Any = None, gradient_accumulation_steps: int | None = None,
                 name: str | None = None, **kwargs: Any):
        self._lock = False  # marks that this __init__ ran (see __setattr__)
        arguments.check_no_unknown_kwargs(kwargs)
        self.name = name if name is not None else auto_name(type(self).__name__)
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.global_clipnorm = global_clipnorm
        self.clipvalue = clipvalue
        self.use_ema = use_ema
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        arguments.check_gradient_accumulation_steps(gradient_accumulation_steps)
        arguments.check_ema(use_ema, ema_momentum, ema_overwrite_frequency)
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        arguments.check_clipping(clipnorm, clipvalue, global_clipnorm)
        self.built = False
        self._variables: list = []
        self._variable_ids: set[int] = set()
        self._trainable_variables: list = []
        self._trainable_variables_indices: dict[int, int] = {}
        self._weight_decay_exclusions = WeightDecayExclusions()

        # `dtype="int"` is int64 on TensorFlow and int32 on JAX, as upstream.
        with backend.name_scope(self.name, caller=self):
            self._iterations = backend.Variable(0, name="iteration", dtype="int",
                                                trainable=False,
                                                aggregation="only_first_replica")
        if learning_rate_lib.is_dynamic(learning_rate):
            self._learning_rate = learning_rate
        else:
            arguments.check_float_learning_rate(learning_rate)
            with backend.name_scope(self.name, caller=self):
                self._learning_rate = backend.Variable(
                    learning_rate, name="learning_rate", dtype=backend.floatx(),
                    trainable=False, aggregation="only_first_replica")

    # --- variable tracking --------------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        if name != "_lock" and "_lock" not in self.__dict__:
            raise RuntimeError(
                f"In optimizer '{type(self).__name__}', you forgot to call "
                "`super().__init__()` as the first statement in the `__init__()` method. "
                "Go add it!"
            )
        # Variables (alone or in a list/tuple) assigned as attributes join `variables`,
        # except the model's own variables, which `build` records without tracking.
        if name != "_trainable_variables":
            if isinstance(value, backend.VariableBase):
                self._track_variable(value)
            elif isinstance(value, (list, tuple)):
                for item in value:
                    if isinstance(item, backend.VariableBase):
                        self._track_variable(item)
        object.__setattr__(self, name, value)

    def _check_super_called(self) -> None:
        if "_lock" not in self.__dict__:
            raise RuntimeError(
                f"In optimizer '{type(self).__name__}', you forgot to call "
                "`super().__init__()` as the first statement in the `__init__()` method. "
                "Go add it!"
            )

    def _track_variable(self, variable: Any) -> None:
        if id(variable) not in self._variable_ids:
            self._variable_ids.add(id(variable))
            self._variables.append(variable)

    def _untrack_variable(self, variable: Any) -> None:
        if id(variable) in self._variable_ids:
            self._variable_ids.discard(id(variable))
            # By identity: `==` on variables compares values element-wise.
            self._variables = [v for v in self._variables if v is not variable]

    @property
    def variables(self) -> list:
        """The optimizer's state, in the order weight files store it."""
        return self._variables[:]

    @property
    def iterations(self) -> Any:
        """Updates applied so far (calls divided by ``gradient_accumulation_steps``)."""
        if self.gradient_accumulation_steps:
            return ops.floor_divide(self._iterations, self.gradient_accumulation_steps)
        return self._iterations

    # --- building -------------------------------------------------------------------
    def build(self, variables: Sequence[Any]) -> None:
        """Creates the state shared by all optimizers for ``variables`` (the trainable
        variables to update); subclasses call it first, then add their slots."""
        if self.use_ema:
            self._model_variables_moving_average = self.add_optimizer_variables(
                variables, "average")
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = []
        for i, variable in enumerate(variables):
            self._trainable_variables_indices[id(variable)] = i
            if self.gradient_accumulation_steps:
                self._accumulated_gradients.append(
                    self.add_variable_from_reference(variable, name="gradient_accumulator"))
        self._trainable_variables = list(variables)
        self.built = True

    def add_variable(self, shape: Any, initializer: Any = "zeros", dtype: Any = None,
                     aggregation: str = "none", layout: Any = None,
                     name: str | None = None) -> Any:
        """A new non-trainable variable in the optimizer's state (and name scope)."""
        self._check_super_called()
        initializer = initializers.get(initializer)
        with backend.name_scope(self.name, caller=self):
            variable = backend.Variable(initializer=initializer, shape=shape, dtype=dtype,
                                        trainable=False, aggregation=aggregation, name=name)
        self._track_variable(variable)
        return variable

    def add_variable_from_reference(self, reference_variable: Any, name: str | None = None,
                                    initializer: Any = "zeros") -> Any:
        """A slot shaped and typed like ``reference_variable`` (name: ``slots.slot_name``)."""
        return self.add_variable(shape=reference_variable.shape, initializer=initializer,
                                 dtype=reference_variable.dtype,
                                 name=slots.slot_name(reference_variable, name))

    def add_optimizer_variables(self, trainable_variables: Iterable[Any], name: Any,
                                initializer: Any = "zeros") -> Any:
        """One slot per trainable variable, for one name or for each of several names.

        Slots of several names are created interleaved (all slots of the first
        variable, then of the second...). Variables that overwrite with their
        gradient get ``None`` instead of a slot. Returns a list for one name, a
        tuple of lists for a list of names.
        """
        return slots.add_slots(self, trainable_variables, name, initializer)

    def _get_variable_index(self, variable: Any) -> int:
        return self._trainable_variables_indices[id(variable)]

    def _check_variables_are_known(self, variables: Iterable[Any]) -> None:
        for v in variables:
            if id(v) not in self._trainable_variables_indices:
                raise ValueError(
                    f"Unknown variable: {v}. This optimizer can only be called for the "
                    "variables it was originally built with. When working with a new set of "
                    "variables, you should recreate a new optimizer instance."
                )

    # --- the update -----------------------------------------------------------------
    def update_step(self, gradient: Any, variable: Any, learning_rate: Any) -> None:
        """Updates one variable (and its slots) from its gradient; subclasses implement it."""
        raise NotImplementedError

    def assign(self, variable: Any, value: Any) -> None:
        """``variable.assign(value)``; the hook ``update_step`` writes through."""
        variable.assign(value)

    def assign_add(self, variable: Any, value: Any) -> None:
        variable.assign_add(value)

    def assign_sub(self, variable: Any, value: Any) -> None:
        variable.assign_sub(value)

    def apply_gradients(self, grads_and_vars: Iterable[tuple[Any, Any]]) -> Any:
        """``apply`` for ``(gradient, variable)`` pairs; returns the ``iterations`` variable."""
        grads, variables = zip(*grads_and_vars)
        self.apply(grads, variables)
        return self._iterations

    def _variables_for(self, grads: Sequence[Any], given: Sequence[Any] | None) -> list:
        """The variables ``grads`` update: those given (building on first use), or else
        the ones the optimizer was built on."""
        if given is None:
            self._check_grads_pair_with_built_variables(grads)
            return self._trainable_variables
        variables = list(given)
        if not self.built:
            with backend.name_scope(self.name, caller=self):
                self.build(variables)
            self.built = True
        self._check_variables_are_known(variables)
        return variables

    def _check_grads_pair_with_built_variables(self, grads: Sequence[Any]) -> None:
        """Gradients given alone must line up with the variables the optimizer was built on."""
        problem = None
        if not self.built:
            problem = ("the optimizer must already be built on a list of variables. Call "
                       "`optimizer.build(trainable_variables)` first.")
        elif len(grads) != len(self._trainable_variables_indices):
            problem = (f"the gradients must match `optimizer.variables` one-to-one. Received a list of "
                       f"{len(grads)} gradients, but the optimizer is tracking "
                       f"{len(self._trainable_variables)} trainable variables.")
        if problem is not None:
            raise ValueError(f"When passing `grads` without `variables`, {problem}")

    def apply(self, grads: Sequence[Any], trainable_variables: Sequence[Any] | None = None
              ) -> None:
        """Updates ``trainable_variables`` from ``grads`` (one gradient per variable).

        Without ``trainable_variables`` the optimizer must be built, and ``grads``
        pairs with the variables it was built with.
        """
        if len(grads) == 0:
            return
        trainable_variables = self._variables_for(grads, trainable_variables)
        if backend.distribution.in_replica_context():  # inside tf.distribute's strategy.run
            backend.distribution.apply_across_replicas(self.apply, list(grads),
                                                       list(trainable_variables))
            return

        with backend.name_scope(self.name, caller=self):
            grads, trainable_variables = gradient_filtering.drop_missing_gradients(
                grads, trainable_variables)
            grads, trainable_variables = gradient_filtering.apply_overwrites(
                self, grads, trainable_variables)
            if grads:
                if self.loss_scale_factor is not None:
                    grads = [g if g is None else g / self.loss_scale_factor for g in grads]
                self._backend_apply_gradients(grads, trainable_variables)
                for variable in trainable_variables:
                    if variable.constraint is not None:
                        variable.assign(variable.constraint(variable))
        self._iterations.assign_add(1)

    def _backend_apply_gradients(self, grads: Sequence[Any], variables: Sequence[Any]) -> None:
        if self.gradient_accumulation_steps:
            accumulation.apply_with_accumulation(self, grads, variables)
        else:
            self._update_variables(grads, variables)
        if self.use_ema:
            ema.update_averages(self._trainable_variables, self._model_variables_moving_average,
                                self.iterations, self.ema_momentum)
            if self.ema_overwrite_frequency:
                ema.overwrite_periodically(self._trainable_variables,
                                           self._model_variables_moving_average,
                                           self.iterations, self.ema_overwrite_frequency)

    def _update_variables(self, grads: Sequence[Any], variables: Sequence[Any]) -> None:
        """Clipping, weight decay, then ``update_step`` for each variable."""
        grads = self._clip_gradients(grads)
        self._apply_weight_decay(variables)
        self._backend_update_step(grads, variables, self.learning_rate)

    def _backend_update_step(self, grads: Sequence[Any], variables: Sequence[Any],
                             learning_rate: Any) -> None:
        for grad, variable in zip(grads, variables):
            self.update_step(grad, variable, learning_rate)

    def _clip_gradients(self, grads: Sequence[Any]) -> list:
        return clipping.clip_gradients(grads, self.clipnorm, self.clipvalue,
                                       self.global_clipnorm)

    def _apply_weight_decay(self, variables: Sequence[Any]) -> None:
        apply_weight_decay(variables, self.weight_decay, lambda: self.learning_rate,
                           self._weight_decay_exclusions)

    def exclude_from_weight_decay(self, var_list: Iterable[Any] | None = None,
                                  var_names: Iterable[str] | None = None) -> None:
        """Spares ``var_list`` (by identity), and variables whose name contains one of the
        ``var_names`` patterns, from weight decay."""
        self._weight_decay_exclusions = WeightDecayExclusions(var_list, var_names)

    def _use_weight_decay(self, variable: Any) -> bool:
        return self._weight_decay_exclusions.decays(variable)

    def stateless_apply(self, optimizer_variables: Sequence[Any], grads: Sequence[Any],
                        trainable_variables: Sequence[Any]) -> tuple[list, list]:
        """``apply`` as a pure function of values: returns ``(new trainable values, new
        optimizer variable values)`` and leaves every variable untouched.

        ``optimizer_variables`` pairs with :attr:`variables`, ``trainable_variables``
        with the variables the optimizer was built with. Safe under ``jax.jit``.
        """
        self._check_super_called()
        return stateless.stateless_apply(self, optimizer_variables, grads, trainable_variables)

    def scale_loss(self, loss: Any) -> Any:
        """``loss * loss_scale_factor`` (unchanged without a factor)."""
        return loss * self.loss_scale_factor if self.loss_scale_factor is not None else loss

    def finalize_variable_values(self, var_list: Sequence[Any]) -> None:
        """End-of-training hook: with EMA, the variables take their moving averages."""
        if self.use_ema:
            ema.overwrite_with_averages(var_list, self._model_variables_moving_average)

    # --- learning rate --------------------------------------------------------------
    @property
    def learning_rate(self) -> Any:
        """The current rate: the variable, or the schedule's value at the current step."""
        return learning_rate_lib.current_value(self._learning_rate, self._iterations)

    @learning_rate.setter
    def learning_rate(self, value: Any) -> None:
        learning_rate_lib.replace(self, value)

    # --- state I/O ------------------------------------------------------------------
    def set_weights(self, weights: Sequence[Any]) -> None:
        """Assigns values to :attr:`variables`, in order."""
        state_io.set_weights(self, weights)

    def save_own_variables(self, store: Any) -> None:
        """Writes :attr:`variables` as ``store["0"], store["1"], ...``."""
        state_io.save_own_variables(self, store)

    def load_own_variables(self, store: Any) -> None:
        """Reads what ``save_own_variables`` wrote; a count mismatch only warns."""
        state_io.load_own_variables(self, store)

    def _obj_type(self) -> str:
        return "Optimizer"

