"""``Layer``: the base class of all layers.

The class is a shell: each concern lives in its own module, and the methods
here say what they do and hand over.

- ``tracking``: variables and sub-layers found from attribute assignments.
- ``build``: building on first call, build configs, the state lock.
- ``call_pipeline``: the steps of ``__call__``.
- ``weights``: ``add_weight`` and the weight lists, ``get/set_weights``, saving.
- ``losses``, ``masking``, ``stateless``, ``output_spec``.
"""

from __future__ import annotations

import warnings
from typing import Any

from refkeras import dtype_policies, regularizers
from refkeras.graph.operation import Operation, automatic_config
from refkeras.layers import build as building
from refkeras.layers import call_pipeline, losses, stateless, tracking, weights
from refkeras.layers.call_spec import signature_facts
from refkeras.layers.input_spec import assert_input_compatibility
from refkeras.layers.output_spec import spec_from_output_shape
from refkeras.serialization import builtin, register_builtin


@builtin("keras")
class Layer(Operation):
    """A callable unit holding state (variables) and computation (``call``).

    Subclasses create state in ``__init__`` or in ``build(input_shape)``
    (run on the first call, with the input's shape) and compute in
    ``call(inputs, ...)``. Variables and layers assigned to attributes are
    tracked: they appear in ``weights``, ``trainable_weights``, ...

    Args:
        activity_regularizer: a penalty on the outputs, added to ``losses``.
        trainable: whether the layer's variables are trained.
        dtype: a dtype policy or dtype name (default: the global policy).
        autocast: whether float inputs are cast to the compute dtype.
        name: the layer's name (default: from the class name).

    >>> class Scale(Layer):
    ...     def build(self, input_shape):
    ...         self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")
    ...     def call(self, x):
    ...         return x * self.w
    """

    _tracking_store = tracking.LAYERS  # where a parent layer files this layer
    _super_called = False  # set by Layer.__init__; checked before any use
    _called = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        building.wrap_build(cls)

    def __init__(self, *, activity_regularizer: Any = None, trainable: bool = True,
                 dtype: Any = None, autocast: bool = True, name: str | None = None,
                 **kwargs: Any):
        _ensure_tracker(self)
        object.__setattr__(self, "_super_called", True)
        Operation.__init__(self, name=name)
        self._dtype_policy = dtype_policies.get(dtype)
        self.activity_regularizer = regularizers.get(activity_regularizer)
        input_dim = kwargs.pop("input_dim", None)
        input_shape = (input_dim,) if input_dim is not None else kwargs.pop("input_shape", None)
        if input_shape is not None:
            warnings.warn(
                "Do not pass an `input_shape`/`input_dim` argument to a layer. When using "
                "Sequential models, prefer using an `Input(shape)` object as the first layer "
                "in the model instead.",
                stacklevel=2,
            )
            self._input_shape_arg = input_shape
        if kwargs:
            raise ValueError(
                f"Unrecognized keyword arguments passed to {type(self).__name__}: {kwargs}. "
                "Remove them, or accept them in your layer's `__init__`."
            )
        if not isinstance(trainable, bool):
            raise ValueError(
                "Expected `trainable` to be a boolean. "
                f"Received: trainable={trainable} (of type {type(trainable)})"
            )
        self._path = None
        self.built = False
        self.autocast = autocast
        self._input_spec = None
        self.supports_jit = True
        self._trainable = trainable
        self._losses: list = []
        self._loss_ids: set[int] = set()
        self._losses_override: list = []
        self._call_facts = signature_facts(self.call)
        self._call_context_args = ("training",)
        self._supports_masking = not building.is_default(type(self).compute_mask)
        self._convert_input_args = True  # convert and autocast call arguments
        self._allow_non_tensor_positional_args = False
        self._build_shapes_dict = None
        self._parent_path = None

    # --- attribute tracking ---------------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        if type(value) in tracking.ATOMIC_TYPES:  # never state: the common case, kept cheap
            object.__setattr__(self, name, value)
            return
        tracker = self.__dict__.get("_tracker") or _ensure_tracker(self)
        object.__setattr__(self, name, tracker.track(value))

    def __delattr__(self, name: str) -> None:
        value = getattr(self, name)
        if tracking.store_of(value) in (tracking.TRAINABLE, tracking.NON_TRAINABLE):
            self._tracker.untrack(value)
        object.__delattr__(self, name)

    def _check_super_called(self) -> None:
        if not self._super_called:
            raise RuntimeError(
                f"In layer '{type(self).__name__}', you forgot to call `super().__init__()` "
                "as the first statement in the `__init__()` method. Go add it!"
            )

    # --- calling ----------------------------------------------------------------------
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return call_pipeline.call_layer(self, args, kwargs)

    def call(self, *args: Any, **kwargs: Any) -> Any:
        """The layer's computation; subclasses implement it."""
        raise NotImplementedError(
            f"Layer {type(self).__name__} does not have a `call` method implemented."
        )

    def symbolic_call(self, *args: Any, **kwargs: Any) -> Any:
        # __call__ records the Node itself, with the arguments as the caller passed them.
        return self.compute_output_spec(*args, **kwargs)

    def stateless_call(self, trainable_variables: Any, non_trainable_variables: Any,
                       *args: Any, return_losses: bool = False, **kwargs: Any) -> tuple:
        """``call`` with the variables read from the given values; nothing is mutated.

        Returns ``(outputs, non_trainable_values)``, and the losses as a third
        element when ``return_losses=True``.
        """
        self._check_super_called()
        return stateless.stateless_call(self, trainable_variables, non_trainable_variables,
                                        args, kwargs, return_losses)

    def compute_output_spec(self, *args: Any, **kwargs: Any) -> Any:
        if building.is_default(self.compute_output_shape):
            return super().compute_output_spec(*args, **kwargs)
        return spec_from_output_shape(self, args, kwargs)

    @building.default_method
    def compute_output_shape(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(
            f"Layer {type(self).__name__} does not have a `compute_output_shape` method "
            "implemented. Should implement `def compute_output_shape(self, input_shape)`."
        )

    @building.default_method
    def compute_mask(self, inputs: Any, previous_mask: Any) -> Any:
        """The mask of the outputs; by default the input's mask passes through."""
        return previous_mask

    @property
    def supports_masking(self) -> bool:
        """Whether output masks are computed with ``compute_mask``."""
        return self._supports_masking

    @supports_masking.setter
    def supports_masking(self, value: bool) -> None:
        self._supports_masking = value

    @property
    def input_spec(self) -> Any:
        """``InputSpec`` (or a nest of them) checked against the first call argument."""
        return self._input_spec

    @input_spec.setter
    def input_spec(self, value: Any) -> None:
        self._input_spec = value

    def _check_input_spec(self, first_arg: Any) -> None:
        if self.input_spec:
            assert_input_compatibility(self.input_spec, first_arg, layer_name=self.name)

    # --- building ---------------------------------------------------------------------
    @building.default_method
    def build(self, input_shape: Any) -> None:
        """Creates the layer's state for inputs of ``input_shape``; marks it built."""
        self._check_super_called()
        if building.is_default(self.build):
            building.warn_default_build(self)
        self.built = True

    def _lock_state(self) -> None:
        """Called after the outermost build: from now on new state is an error.
        Models that stay editable (Functional, Sequential) override this."""
        building.lock_state(self)

    def get_build_config(self) -> dict | None:
        """The shapes the layer was built with: ``{"input_shape": ...}`` or
        ``{"shapes_dict": {...}}``; None before building."""
        return building.get_build_config(self)

    def build_from_config(self, config: dict | None) -> None:
        """Rebuilds the state from ``get_build_config()``'s output."""
        building.build_from_config(self, config)

    @property
    def path(self) -> str | None:
        """Where the layer lives (``outer/inner``); None until built."""
        return self._path

    # --- state ------------------------------------------------------------------------
    def add_weight(self, *args: Any, shape: Any = None, initializer: Any = None,
                   dtype: Any = None, trainable: bool = True, autocast: bool = True,
                   regularizer: Any = None, constraint: Any = None, aggregation: str = "none",
                   overwrite_with_gradient: bool = False, name: str | None = None) -> Any:
        """Creates and tracks a variable (default initializer: ``glorot_uniform`` for
        floats, ``zeros`` otherwise; default dtype: the policy's variable dtype)."""
        self._check_super_called()
        if args:
            shape, initializer, dtype = weights.legacy_positional(args, shape, initializer,
                                                                  dtype)
        return weights.add_weight(self, shape, initializer, dtype, trainable, autocast,
                                  regularizer, constraint, aggregation,
                                  overwrite_with_gradient, name)

    def add_variable(self, shape: Any, initializer: Any, dtype: Any = None,
                     trainable: bool = True, autocast: bool = True, regularizer: Any = None,
                     constraint: Any = None, name: str | None = None) -> Any:
        """Alias of ``add_weight``."""
        return self.add_weight(shape=shape, initializer=initializer, dtype=dtype,
                               trainable=trainable, autocast=autocast,
                               regularizer=regularizer, constraint=constraint, name=name)

    @property
    def trainable(self) -> bool:
        """Whether the layer trains; setting it also sets its variables and sub-layers."""
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        value = bool(value)
        self._trainable = value
        for v in self._trainable_variables:
            v.trainable = value
        for layer in self._layers:
            layer.trainable = value

    @property
    def variables(self) -> list:
        """All state: weights and seed-generator states (metric variables excluded)."""
        return weights.collect_variables(self)

    @property
    def trainable_variables(self) -> list:
        return [v for v in self.variables if v.trainable] if self.trainable else []

    @property
    def non_trainable_variables(self) -> list:
        if not self.trainable:
            return self.variables
        return [v for v in self.variables if not v.trainable]

    @property
    def weights(self) -> list:
        """The layer's variables then its sub-layers', each once."""
        return weights.collect_weights(self)

    @property
    def trainable_weights(self) -> list:
        return [v for v in self.weights if v.trainable] if self.trainable else []

    @property
    def non_trainable_weights(self) -> list:
        if not self.trainable:
            return self.weights
        return [v for v in self.weights if not v.trainable]

    @property
    def metrics(self) -> list:
        found = list(self._metrics)
        for layer in self._layers:
            found.extend(layer.metrics)
        return found

    @property
    def metrics_variables(self) -> list:
        return [v for metric in self.metrics for v in metric.variables]

    def get_weights(self) -> list:
        """The values of ``weights`` as NumPy arrays."""
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights_values: list) -> None:
        """Assigns NumPy arrays to ``weights``, in order."""
        weights.set_weights(self, weights_values)

    def count_params(self) -> int:
        """The number of scalars in ``weights``; the layer must be built."""
        return weights.count_params(self)

    def save_own_variables(self, store: Any) -> None:
        weights.save_own_variables(self, store)

    def load_own_variables(self, store: Any) -> None:
        weights.load_own_variables(self, store)

    # --- losses -----------------------------------------------------------------------
    def add_loss(self, loss: Any) -> None:
        """Adds a scalar loss computed in ``call`` (eager tensors only)."""
        losses.add_loss(self, loss)

    @property
    def losses(self) -> list:
        """Losses from ``add_loss`` here and in sub-layers, then weight penalties."""
        return losses.all_losses(self)

    def _clear_losses(self) -> None:
        losses.clear_losses(self)

    def _flatten_layers(self, include_self: bool = True, recursive: bool = True) -> list:
        return losses.flatten_layers(self, include_self, recursive)

    def add_metric(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError(
            "Layer `add_metric()` method is deprecated. Add your metric in "
            "`Model.compile(metrics=[...])`, or create metric trackers in init() or build() "
            "when subclassing the layer or model, then call `metric.update_state()` "
            "whenever necessary."
        )

    # --- dtypes -----------------------------------------------------------------------
    @property
    def dtype_policy(self) -> Any:
        return self._dtype_policy

    @dtype_policy.setter
    def dtype_policy(self, value: Any) -> None:
        self._dtype_policy = dtype_policies.get(value)

    @property
    def dtype(self) -> str:
        """Alias of ``variable_dtype``."""
        return self._dtype_policy.variable_dtype

    @property
    def compute_dtype(self) -> str:
        return self._dtype_policy.compute_dtype

    @property
    def variable_dtype(self) -> str:
        return self._dtype_policy.variable_dtype

    @property
    def input_dtype(self) -> str:
        """The dtype float inputs are cast to."""
        return self._dtype_policy.compute_dtype

    # --- configuration ----------------------------------------------------------------
    @automatic_config
    def get_config(self) -> dict:
        self._check_super_called()
        config = super().get_config()
        config.update(trainable=self.trainable,
                      dtype=dtype_policies.serialize(self.dtype_policy))
        if self.activity_regularizer is not None:
            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return config

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"

    def __str__(self) -> str:
        return self.__repr__()


def _ensure_tracker(layer: Layer) -> tracking.Tracker:
    """Creates the layer's stores and tracker (once; also when ``__init__`` was skipped)."""
    tracker = layer.__dict__.get("_tracker")
    if tracker is None:
        stores = {name: [] for name in tracking.STORE_NAMES}
        tracker = tracking.Tracker(stores)
        for name, items in stores.items():
            object.__setattr__(layer, f"_{name}", items)
        object.__setattr__(layer, "_tracker", tracker)
    return tracker


# The base build is wrapped like any subclass's: building records shapes and locks state.
Layer.build = building.recording_build(Layer.__dict__["build"])
register_builtin("keras.layers", Layer)
