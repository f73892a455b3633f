"""``Metric``: a running statistic held in non-trainable variables.

A metric is not a layer. It owns variables created with :meth:`Metric.add_variable`
(or found in its attributes) and sub-metrics assigned to its attributes;
``metric.variables`` lists its own variables first, then each sub-metric's.
Layers file metrics assigned to their attributes into ``layer.metrics``
(the class attribute ``_tracking_store`` tells their tracker where).

The ``stateless_*`` methods run the same code on given variable values and
return new values instead of assigning, which is how a jitted train step
updates metrics.
"""

from __future__ import annotations

from typing import Any

from refkeras import backend, dtype_policies, initializers, ops
from refkeras.backend.naming import auto_name
from refkeras.layers.tracking import Tracker
from refkeras.serialization import builtin


@builtin("keras.metrics")
class Metric:
    """Base class: subclasses create variables in ``__init__`` and implement
    ``update_state(*args, **kwargs)`` and ``result()``.

    Args:
        dtype: the dtype of the metric's computations (a dtype or a policy;
            default ``floatx()``).
        name: defaults to the snake_case class name, made unique.

    >>> class Count(Metric):
    ...     def __init__(self, name="count"):
    ...         super().__init__(name=name)
    ...         self.n = self.add_variable(shape=(), initializer="zeros", name="n")
    ...     def update_state(self, values):
    ...         self.n.assign_add(ops.cast(ops.shape(values)[0], self.dtype))
    ...     def result(self):
    ...         return self.n.value
    """

    _tracking_store = "metrics"  # where a layer's tracker files metric attributes

    def __init__(self, dtype: Any = None, name: str | None = None):
        self.name = name or auto_name(type(self).__name__)
        self._dtype_policy = dtype_policies.get(dtype or backend.floatx())
        self._dtype = self._dtype_policy.compute_dtype
        self._metrics: list = []
        self._variables: list = []
        # Both variable stores feed one list: metric state is never trained.
        self._tracker = Tracker({
            "trainable_variables": self._variables,
            "non_trainable_variables": self._variables,
            "metrics": self._metrics,
            "layers": [],
            "seed_generators": [],
        })

    def __setattr__(self, name: str, value: Any) -> None:
        tracker = self.__dict__.get("_tracker")
        if tracker is not None:
            value = tracker.track(value)
        object.__setattr__(self, name, value)

    def _check_super_called(self) -> None:
        if "_tracker" not in self.__dict__:
            raise RuntimeError(
                "You forgot to call `super().__init__()` in the `__init__()` method. Go add it!"
            )

    # --- state ----------------------------------------------------------------------
    @property
    def dtype(self) -> str:
        """The dtype the metric computes in."""
        return self._dtype

    @property
    def variables(self) -> list:
        """This metric's variables, then those of its sub-metrics."""
        found = list(self._variables)
        for metric in self._metrics:
            found.extend(metric.variables)
        return found

    def add_variable(self, shape: Any, initializer: Any, dtype: Any = None,
                     aggregation: str = "sum", name: str | None = None) -> Any:
        """A non-trainable variable, named under this metric's name, tracked as its state."""
        self._check_super_called()
        with backend.name_scope(self.name.replace("/", ">"), caller=self):
            variable = backend.Variable(
                initializer=initializers.get(initializer), shape=shape, dtype=dtype,
                trainable=False, aggregation=aggregation, synchronization="on_read", name=name,
            )
        self._tracker.track(variable)
        return variable

    def add_weight(self, shape: Any = (), initializer: Any = None, dtype: Any = None,
                   name: str | None = None) -> Any:
        """Alias of :meth:`add_variable` with a scalar default shape."""
        return self.add_variable(shape=shape, initializer=initializer, dtype=dtype, name=name)

    # --- the statistic ---------------------------------------------------------------
    def update_state(self, *args: Any, **kwargs: Any) -> None:
        """Accumulates statistics from one batch; subclasses must implement it."""
        raise NotImplementedError

    def result(self) -> Any:
        """The current value of the metric; subclasses must implement it."""
        raise NotImplementedError

    def reset_state(self) -> None:
        """Sets every variable back to zeros."""
        for variable in self.variables:
            variable.assign(ops.zeros(variable.shape, dtype=variable.dtype))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """``update_state(*args, **kwargs)``, then ``result()``."""
        self._check_super_called()
        self.update_state(*args, **kwargs)
        return self.result()

    # --- functional forms -------------------------------------------------------------
    def _check_values(self, metric_variables: Any) -> None:
        if len(metric_variables) != len(self.variables):
            raise ValueError(
                "Argument `metric_variables` must be a list of tensors corresponding 1:1 to "
                f"{type(self).__name__}().variables. Received list with length "
                f"{len(metric_variables)}, but expected {len(self.variables)} variables."
            )

    def _values_after(self, scope: backend.StatelessScope) -> list:
        return [scope.get_current_value(v, v) for v in self.variables]

    def stateless_update_state(self, metric_variables: Any, *args: Any, **kwargs: Any) -> list:
        """New variable values after ``update_state(*args, **kwargs)`` from ``metric_variables``."""
        self._check_values(metric_variables)
        with backend.StatelessScope(state_mapping=zip(self.variables, metric_variables)) as scope:
            self.update_state(*args, **kwargs)
        return self._values_after(scope)

    def stateless_result(self, metric_variables: Any) -> Any:
        """``result()`` computed from ``metric_variables`` instead of the variables."""
        self._check_values(metric_variables)
        with backend.StatelessScope(state_mapping=zip(self.variables, metric_variables)):
            return self.result()

    def stateless_reset_state(self) -> list:
        """The variable values ``reset_state()`` would set."""
        with backend.StatelessScope() as scope:
            self.reset_state()
        return self._values_after(scope)

    # --- config -----------------------------------------------------------------------
    def get_config(self) -> dict:
        """``{"name", "dtype"}``; subclasses add their constructor arguments."""
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict) -> Metric:
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"

    def __str__(self) -> str:
        return self.__repr__()
