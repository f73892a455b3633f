"""``KerasTensor``: a symbolic placeholder for a tensor (a shape and a dtype, no data)."""

from __future__ import annotations

from typing import Any

from refkeras import tree
from refkeras.backend import dtypes
from refkeras.backend.naming import auto_name
from refkeras.backend.symbolic import SymbolicTensor
from refkeras.backend.variable import standardize_shape
from refkeras.graph import operators

_NO_VALUE = (
    "A KerasTensor is symbolic: it's a placeholder for a shape an a dtype. "
    "It doesn't have any actual numerical value. You cannot convert it to {what}."
)
_NOT_FOR_BACKEND = (
    "A KerasTensor cannot be used as input to a {lib} function. A KerasTensor is a symbolic "
    "placeholder for a shape and dtype, used when constructing Keras Functional models or "
    "Keras Functions. You can only use it as input to a Keras layer or a Keras operation "
    "(from the namespaces `keras.layers` and `keras.ops`). Wrap the {lib} code in a layer "
    "and call the layer on the tensor instead:\n\n"
    "class MyLayer(Layer):\n    def call(self, x):\n        return {fn}(x)\n\nx = MyLayer()(x)\n"
)


class KerasTensor(SymbolicTensor):
    """A symbolic tensor: the edges of a graph of Operations.

    Args:
        shape: tuple of ints, ``None`` for unknown dimensions.
        dtype: dtype name (default ``"float32"``).
        sparse, ragged: tensor kind flags (not both).
        record_history: when False, operations called on it record no graph.
        name: defaults to ``"keras_tensor"``, ``"keras_tensor_1"``, ...

    >>> x = KerasTensor((None, 3))
    >>> (x + x).shape
    (None, 3)
    """

    # Graph walks read ``_keras_history`` of every tensor; slots keep it (and the
    # description) in the object itself. ``__dict__`` still takes other attributes.
    __slots__ = ("_shape", "_dtype", "_sparse", "_ragged", "_ragged_rank", "_row_splits_dtype",
                 "name", "record_history", "_keras_history", "__dict__", "__weakref__")

    def __init__(self, shape: Any, dtype: Any = "float32", sparse: bool = False,
                 ragged: bool = False, record_history: bool = True, name: str | None = None,
                 **kwargs: Any):
        ragged_rank = kwargs.pop("ragged_rank", None)
        row_splits_dtype = kwargs.pop("row_splits_dtype", None)
        if kwargs:
            raise TypeError(f"Unexpected keyword arguments: {', '.join(kwargs.keys())}")
        self._shape = standardize_shape(shape)
        self._dtype = dtypes.standardize_dtype(dtype)
        self._sparse = bool(sparse)
        self._ragged = bool(ragged)
        if self._sparse and self._ragged:
            raise ValueError(
                "KerasTensor cannot have `sparse=True` and `ragged=True` at the same time."
            )
        self._ragged_rank = int(ragged_rank) if ragged_rank is not None else None
        self._row_splits_dtype = (dtypes.standardize_dtype(row_splits_dtype)
                                  if row_splits_dtype is not None else None)
        self.name = name or auto_name("KerasTensor")
        self.record_history = record_history

    # --- read-only description (see _read_only below) -------------------------------
    shape: tuple  # shape tuple; None marks unknown dims
    dtype: str
    sparse: bool
    ragged: bool
    ragged_rank: int | None
    row_splits_dtype: str | None

    @property
    def ndim(self) -> int:
        return len(self._shape)

    def reshape(self, newshape: Any) -> KerasTensor:
        return operators.apply("reshape", self, newshape)

    def squeeze(self, axis: Any = None) -> KerasTensor:
        return operators.apply("squeeze", self, axis)

    def __repr__(self) -> str:
        return (f"<KerasTensor shape={self._shape}, dtype={self._dtype}, sparse={self._sparse}, "
                f"ragged={self._ragged}, name={self.name}>")

    # --- things a placeholder cannot do ------------------------------------------
    def __int__(self) -> int:
        raise ValueError(_NO_VALUE.format(what="an int"))

    def __float__(self) -> float:
        raise ValueError(_NO_VALUE.format(what="a float"))

    def __array__(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError(_NO_VALUE.format(what="a NumPy array"))

    def __jax_array__(self) -> Any:
        raise ValueError(_NOT_FOR_BACKEND.format(lib="JAX", fn="jax_fn"))

    def __tf_tensor__(self, dtype: Any = None, name: Any = None) -> Any:
        raise ValueError(_NOT_FOR_BACKEND.format(lib="TensorFlow", fn="tf_fn"))

    def __iter__(self) -> Any:
        raise NotImplementedError("Iterating over a symbolic KerasTensor is not supported.")

    def __bool__(self) -> bool:
        raise TypeError("A symbolic KerasTensor cannot be used as a boolean.")

    def __round__(self, ndigits: int | None = None) -> KerasTensor:
        return operators.apply("round", self, decimals=ndigits or 0)

    def __getitem__(self, key: Any) -> KerasTensor:
        return operators.apply("get_item", self, key)


def _read_only(name: str) -> property:
    def get(self):
        return getattr(self, "_" + name)

    def refuse(self, value):
        raise AttributeError(
            f"The `{name}` attribute of KerasTensor is immutable. One should create a new "
            "instance of KerasTensor for this."
        )

    return property(get, refuse)


for _attr in ("shape", "dtype", "sparse", "ragged", "ragged_rank", "row_splits_dtype"):
    setattr(KerasTensor, _attr, _read_only(_attr))


def _forward(op_name: str):
    def method(self, other):
        return operators.apply(op_name, self, other)
    return method


def _reflected(op_name: str):
    def method(self, other):
        return operators.apply(op_name, other, self)
    return method


def _unary(op_name: str):
    def method(self):
        return operators.apply(op_name, self)
    return method


# Python operator -> op name. ``/`` is true division; the Python-2 ``__div__`` maps to divide.
for _dunder, _name in (("add", "add"), ("sub", "subtract"), ("mul", "multiply"),
                       ("matmul", "matmul"), ("div", "divide"), ("truediv", "true_divide"),
                       ("pow", "power"), ("floordiv", "floor_divide"), ("mod", "mod"),
                       ("and", "logical_and"), ("or", "logical_or"), ("xor", "logical_xor")):
    setattr(KerasTensor, f"__{_dunder}__", _forward(_name))
    setattr(KerasTensor, f"__r{_dunder}__", _reflected(_name))
for _dunder, _name in (("lt", "less"), ("le", "less_equal"), ("gt", "greater"),
                       ("ge", "greater_equal"), ("ne", "not_equal")):
    setattr(KerasTensor, f"__{_dunder}__", _forward(_name))
for _dunder, _name in (("neg", "negative"), ("abs", "absolute"), ("invert", "logical_not")):
    setattr(KerasTensor, f"__{_dunder}__", _unary(_name))
# Equality stays identity-based so tensors can live in sets and dicts.
KerasTensor.__eq__ = object.__eq__
KerasTensor.__hash__ = object.__hash__


def is_keras_tensor(x: Any) -> bool:
    """True when ``x`` is a symbolic KerasTensor."""
    return isinstance(x, KerasTensor)


def any_symbolic_tensors(args: Any = None, kwargs: Any = None) -> bool:
    """True when any leaf of ``args``/``kwargs`` is a KerasTensor."""
    for items in (args or (), kwargs.values() if kwargs else ()):
        for x in items:
            if isinstance(x, KerasTensor):
                return True
            if isinstance(x, (list, tuple, dict)) and any(
                    isinstance(leaf, KerasTensor) for leaf in tree.flatten(x)):
                return True
    return False
