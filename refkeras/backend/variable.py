"""The backend-independent half of ``Variable``: naming, validation, scopes.

A backend subclasses :class:`VariableBase` and supplies storage through four
hooks: ``_initialize(value)``, ``_direct_assign(value)``,
``_convert_to_tensor(value, dtype)`` and ``_cast(value, dtype)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from refkeras.backend import dtypes, scopes
from refkeras.backend.naming import auto_name

# Variables created inside a StatelessScope, initialized when the outermost one closes.
_UNINITIALIZED: list = []

_AGGREGATIONS = (None, "none", "mean", "sum", "only_first_replica")
_SYNCHRONIZATIONS = (None, "none", "on_read", "on_write", "auto")


# Backends register predicates recognising their own symbolic sizes (a JAX shape
# polymorphism dimension while tracing); such sizes read as None (unknown).
_SYMBOLIC_DIM_CHECKS: list = []


def register_symbolic_dim_check(check: Any) -> None:
    """Makes ``standardize_shape`` read dimensions for which ``check(dim)`` is true as None."""
    _SYMBOLIC_DIM_CHECKS.append(check)


def standardize_shape(shape: Any) -> tuple:
    """A shape as a tuple of ints and ``None``; raises ValueError otherwise."""
    if shape is None:
        raise ValueError("Undefined shapes are not supported.")
    if not isinstance(shape, tuple):
        if not hasattr(shape, "__iter__"):
            raise ValueError(f"Cannot convert '{shape}' to a shape.")
        if hasattr(shape, "as_list"):  # tf.TensorShape
            shape = shape.as_list()
        shape = tuple(shape)
    out = []
    for dim in shape:
        if dim is None:
            out.append(None)
            continue
        if not isinstance(dim, (int, np.integer)) or isinstance(dim, bool):
            if any(check(dim) for check in _SYMBOLIC_DIM_CHECKS):
                out.append(None)
                continue
            raise ValueError(
                f"Cannot convert '{shape}' to a shape. Found invalid dimension '{dim}' "
                f"of type '{type(dim)}'. "
            )
        if dim < 0:
            raise ValueError(
                f"Cannot convert '{shape}' to a shape. Negative dimensions are not allowed."
            )
        out.append(int(dim))
    return tuple(out)


class VariableBase:
    """A named, mutable tensor: the state of layers, metrics and optimizers.

    Args:
        initializer: an initial value (array-like), or a callable
            ``initializer(shape, dtype)``; a callable needs ``shape``.
        shape: the variable's shape; taken from the value when omitted.
        dtype: defaults to ``floatx()``.
        trainable: whether optimizers update it.
        autocast: whether it reads as the compute dtype inside an ``AutocastScope``.
        aggregation, synchronization: distribution annotations.
        name: defaults to an auto-generated ``"variable"``, ``"variable_1"``, ...

    >>> v = Variable(np.ones((2, 2)), name="w")  # doctest: +SKIP
    >>> v.assign_add(np.ones((2, 2))); v.numpy()  # doctest: +SKIP
    """

    def __init__(self, initializer: Any, shape: Any = None, dtype: Any = None,
                 trainable: bool = True, autocast: bool = True, aggregation: str = "none",
                 synchronization: str = "auto", name: str | None = None, **kwargs: Any):
        name = name or auto_name(type(self).__name__)
        if not isinstance(name, str) or "/" in name:
            raise ValueError(
                "Argument `name` must be a string and cannot contain character `/`. "
                f"Received: name={name}"
            )
        if aggregation not in _AGGREGATIONS:
            raise ValueError(
                "Invalid value for argument `aggregation`. Expected one of `None`, `'none'`, "
                f"`'mean'`, `'sum'`, `'only_first_replica'`. Received: aggregation={aggregation}"
            )
        if synchronization not in _SYNCHRONIZATIONS:
            raise ValueError(
                "Invalid value for argument `synchronization`. Expected one of `None`, "
                "`'none'`, `'on_read'`, `'on_write'`, `'auto'`. "
                f"Received: synchronization={synchronization}"
            )
        self._name = name
        parent = scopes.current_path()
        self._path = f"{parent}/{name}" if parent else name
        self._trainable = bool(trainable)
        self._autocast = bool(autocast)
        self._aggregation = aggregation or "none"
        self._synchronization = synchronization or "none"
        self._regularizer = None
        self._constraint = None
        self._overwrite_with_gradient = False
        self._initializer = None
        self._value = None
        if callable(initializer):
            if shape is None:
                raise ValueError(
                    "When creating a Variable from an initializer, the `shape` argument "
                    f"should be specified. Received: initializer={initializer} and shape={shape}"
                )
            self._dtype = dtypes.standardize_dtype(dtype)
            self._shape = standardize_shape(shape)
            if scopes.STATELESS.get() is not None:
                # Created while tracing (a symbolic build or a stateless call): keep the
                # initializer and create the value once the outermost scope closes, so
                # no traced value ever becomes a variable's state.
                self._initializer = initializer
                _UNINITIALIZED.append(self)
                return
            self._initialize(self._convert_to_tensor(initializer(self._shape, dtype=self._dtype),
                                                     dtype=self._dtype))
            return
        if scopes.STATELESS.get() is not None:
            raise ValueError(
                "You are attempting to create a variable while in a stateless scope. This is "
                "disallowed. Make sure that all variables are created before you start using "
                "your layer/model objects. You may need to implement a `def build(self, "
                "input_shape)` method on your layer, or to create variables with "
                "`self.add_weight()` (with a `shape` and an `initializer`)."
            )
        # From a value: without an explicit dtype the value's own dtype is kept.
        value = self._convert_to_tensor(initializer, dtype=dtype)
        self._dtype = dtypes.standardize_dtype(value.dtype if dtype is None else dtype)
        if shape is not None and tuple(value.shape) != standardize_shape(shape):
            raise ValueError(
                f"Initial value has shape {tuple(value.shape)}, but the `shape` argument is "
                f"{standardize_shape(shape)}."
            )
        self._shape = standardize_shape(tuple(value.shape))
        self._initialize(value)

    def _deferred_initialize(self) -> None:
        if self._value is not None:
            raise ValueError(f"Variable {self.path} is already initialized.")
        if scopes.STATELESS.get() is not None:
            raise ValueError(
                "You are attempting to initialize a variable while in a stateless scope. This "
                "is disallowed. Make sure that all variables are initialized before you start "
                "using your layer/model objects."
            )
        value = self._initializer(self._shape, dtype=self._dtype)
        self._initializer = None
        self._initialize(self._convert_to_tensor(value, dtype=self._dtype))

    # --- hooks a backend supplies -------------------------------------------------
    def _initialize(self, value: Any) -> None:
        raise NotImplementedError

    def _direct_assign(self, value: Any) -> None:
        raise NotImplementedError

    def _convert_to_tensor(self, value: Any, dtype: Any = None) -> Any:
        raise NotImplementedError

    def _cast(self, value: Any, dtype: str) -> Any:
        raise NotImplementedError

    # --- reading ------------------------------------------------------------------
    @property
    def value(self) -> Any:
        """The current value, honouring an open StatelessScope and AutocastScope."""
        scope = scopes.STATELESS.get()
        value = None if scope is None else scope.get_current_value(self)
        if value is None:
            value = self._value
            if value is None:  # deferred: a placeholder, only ever seen while tracing
                value = self._convert_to_tensor(
                    self._initializer(self._shape, dtype=self._dtype), dtype=self._dtype)
        autocast = scopes.AUTOCAST.get()
        if autocast is not None and self._autocast and autocast.dtype is not None:
            if autocast.dtype != self._dtype and dtypes.is_float_dtype(self._dtype):
                return self._cast(value, autocast.dtype)
        return value

    def numpy(self) -> np.ndarray:
        """The value as a NumPy array."""
        return np.array(self.value)

    # --- writing ------------------------------------------------------------------
    def assign(self, value: Any) -> Any:
        """Replaces the value; inside a StatelessScope the update is recorded there."""
        value = self._convert_to_tensor(value, dtype=self._dtype)
        if tuple(value.shape) != self._shape:
            raise ValueError(
                "The shape of the target variable and the shape of the target value in "
                "`variable.assign(value)` must match. "
                f"variable.shape={self._shape}, Received: value.shape={tuple(value.shape)}. "
                f"Target variable: {self}"
            )
        scope = scopes.STATELESS.get()
        if scope is not None:
            scope.add_update((self, value))
        else:
            self._direct_assign(value)
        return value

    def assign_add(self, value: Any) -> Any:
        """``self.assign(self + value)``."""
        return self.assign(self + value)

    def assign_sub(self, value: Any) -> Any:
        """``self.assign(self - value)``."""
        return self.assign(self - value)

    # --- attributes ---------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._name

    @property
    def path(self) -> str:
        """The variable's name prefixed by the name scopes open at creation."""
        return self._path

    @property
    def dtype(self) -> str:
        """The dtype the variable is read as (the autocast dtype inside a scope)."""
        autocast = scopes.AUTOCAST.get()
        if (autocast is not None and autocast.dtype is not None and self._autocast
                and dtypes.is_float_dtype(self._dtype)):
            return autocast.dtype
        return self._dtype

    @property
    def shape(self) -> tuple:
        return self._shape

    @property
    def ndim(self) -> int:
        return len(self._shape)

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)

    @property
    def autocast(self) -> bool:
        return self._autocast

    @property
    def aggregation(self) -> str:
        return self._aggregation

    @property
    def synchronization(self) -> str:
        return self._synchronization

    @property
    def overwrite_with_gradient(self) -> bool:
        """When True, optimizers replace the value with the gradient (float8 scales)."""
        return self._overwrite_with_gradient

    @overwrite_with_gradient.setter
    def overwrite_with_gradient(self, value: bool) -> None:
        if not isinstance(value, bool):
            raise TypeError(
                "`overwrite_with_gradient` must be a boolean. "
                f"Received: {value}"
            )
        self._overwrite_with_gradient = value

    @property
    def regularizer(self) -> Any:
        return self._regularizer

    @regularizer.setter
    def regularizer(self, value: Any) -> None:
        if value is not None and not callable(value):
            raise ValueError(
                "Invalid value for attribute `regularizer`. Expected an instance of "
                f"`keras.regularizers.Regularizer`, or `None`. Received: regularizer={value}"
            )
        self._regularizer = value

    @property
    def constraint(self) -> Any:
        return self._constraint

    @constraint.setter
    def constraint(self, value: Any) -> None:
        if value is not None and not callable(value):
            raise ValueError(
                "Invalid value for attribute `constraint`. Expected an instance of "
                f"`keras.constraints.Constraint`, or `None`. Received: constraint={value}"
            )
        self._constraint = value

    def __repr__(self) -> str:
        value = self.numpy() if getattr(self, "_value", None) is not None else None
        return (f"<{type(self).__name__} path={self.path}, shape={self.shape}, "
                f"dtype={self.dtype}, value={value}>")

    # --- Python protocol: a variable reads as its value ---------------------------
    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return np.asarray(self.numpy(), dtype=dtype)

    def __getitem__(self, idx: Any) -> Any:
        return self.value.__getitem__(idx)

    def __int__(self) -> int:
        if self.ndim > 0:
            raise TypeError(
                "Only scalar arrays can be converted to Python scalars. "
                f"Got: shape={self.shape}"
            )
        return int(self.numpy())

    def __float__(self) -> float:
        if self.ndim > 0:
            raise TypeError(
                "Only scalar arrays can be converted to Python scalars. "
                f"Got: shape={self.shape}"
            )
        return float(self.numpy())

    def __bool__(self) -> bool:
        raise TypeError("A Keras Variable cannot be used as a boolean.")

    def __hash__(self) -> int:
        return id(self)


def _binary(name: str):
    def method(self, other):
        value = self.value
        return getattr(value, name)(self._convert_to_tensor(other, dtype=value.dtype))
    method.__name__ = name
    return method


def _unary(name: str):
    def method(self):
        return getattr(self.value, name)()
    method.__name__ = name
    return method


for _op in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or",
            "xor"):
    setattr(VariableBase, f"__{_op}__", _binary(f"__{_op}__"))
    setattr(VariableBase, f"__r{_op}__", _binary(f"__r{_op}__"))
for _op in ("eq", "ne", "lt", "le", "gt", "ge"):
    setattr(VariableBase, f"__{_op}__", _binary(f"__{_op}__"))
for _op in ("neg", "pos", "abs", "invert"):
    setattr(VariableBase, f"__{_op}__", _unary(f"__{_op}__"))
VariableBase.__hash__ = lambda self: id(self)  # __eq__ is element-wise, keep identity hashing


def initialize_all_variables() -> None:
    """Gives every variable created inside a stateless scope its value."""
    pending = list(_UNINITIALIZED)
    _UNINITIALIZED.clear()
    for variable in pending:
        variable._deferred_initialize()
