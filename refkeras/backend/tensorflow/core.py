"""TensorFlow storage and conversion: ``Variable``, tensors, dtype casts, shape inference."""

from __future__ import annotations

from typing import Any

import numpy as np
import tensorflow as tf

from refkeras import tree
from refkeras.backend import dtypes
from refkeras.backend.stateless_scope import StatelessScope
from refkeras.backend.symbolic import ShapeDtype, SymbolicTensor
from refkeras.backend.variable import VariableBase

NAME = "tensorflow"


class Variable(VariableBase):
    """A variable backed by a ``tf.Variable``, so ``tf.function`` tracks it."""

    def _initialize(self, value: Any) -> None:
        self._value = tf.Variable(value, dtype=self._dtype, trainable=self._trainable,
                                  name=self._name)

    def _direct_assign(self, value: Any) -> None:
        self._value.assign(tf.cast(value, self._value.dtype))

    def _convert_to_tensor(self, value: Any, dtype: Any = None) -> Any:
        return convert_to_tensor(value, dtype=dtype)

    def _cast(self, value: Any, dtype: str) -> Any:
        return tf.cast(value, dtype)

    @property
    def value(self) -> Any:
        return super().value

    @VariableBase.trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)

    def numpy(self) -> np.ndarray:
        return np.array(tf.convert_to_tensor(self.value))

    def __tf_tensor__(self, dtype: Any = None, name: Any = None) -> Any:
        return tf.convert_to_tensor(self.value, dtype=dtype, name=name)

    def _dense_var_to_tensor(self, dtype: Any = None, name: Any = None, as_ref: bool = False):
        return tf.convert_to_tensor(self.value, dtype=dtype, name=name)


def _variable_to_tensor(var: Variable, dtype: Any = None, name: Any = None, as_ref: bool = False):
    return tf.convert_to_tensor(var.value, dtype=dtype, name=name)


tf.register_tensor_conversion_function(Variable, _variable_to_tensor)


def is_tensor(x: Any) -> bool:
    """True for ``tf.Tensor`` (and sparse / ragged tensors)."""
    return tf.is_tensor(x)


def convert_to_tensor(x: Any, dtype: Any = None, sparse: Any = None) -> Any:
    """``x`` as a ``tf.Tensor`` of ``dtype``; Python ints become int32 unless asked."""
    if dtype is not None:
        dtype = dtypes.standardize_dtype(dtype)
    if isinstance(x, VariableBase):
        x = x.value
    if tf.is_tensor(x):
        if isinstance(x, tf.Variable):
            x = tf.convert_to_tensor(x)
        return x if dtype is None or x.dtype.name == dtype else tf.cast(x, dtype)
    if dtype is None:
        if isinstance(x, (bool, int, float)) or (isinstance(x, (list, tuple))):
            inferred = np.asarray(x).dtype
            if inferred == np.int64:
                dtype = "int32"
            elif inferred == np.float64:
                dtype = "float32"
    elif not isinstance(x, np.ndarray) and np.asarray(x).dtype != np.dtype(object):
        # Python scalars/lists of another kind are cast after conversion.
        arr = np.asarray(x)
        if arr.dtype.kind != np.dtype(_np_dtype(dtype)).kind:
            return tf.cast(tf.convert_to_tensor(arr), dtype)
    if isinstance(x, np.ndarray) and dtype is not None and x.dtype.name != dtype:
        return tf.cast(tf.convert_to_tensor(x), dtype)
    return tf.convert_to_tensor(x, dtype=dtype)


def _np_dtype(dtype: str) -> Any:
    if dtype == "bfloat16":
        import ml_dtypes  # a declared dependency; numpy lacks bfloat16
        return ml_dtypes.bfloat16
    return dtype


def convert_to_numpy(x: Any) -> np.ndarray:
    """``x`` as a NumPy array."""
    if isinstance(x, VariableBase):
        x = x.value
    if tf.is_tensor(x):
        return np.array(x)
    return np.asarray(x)


def cast(x: Any, dtype: Any) -> Any:
    """``x`` converted to ``dtype``."""
    dtype = dtypes.standardize_dtype(dtype)
    if tf.is_tensor(x) or isinstance(x, VariableBase):
        x = convert_to_tensor(x)
        return x if x.dtype.name == dtype else tf.cast(x, dtype)
    return convert_to_tensor(x, dtype=dtype)


def shape(x: Any) -> tuple:
    """Static shape of ``x`` as a tuple (``None`` for unknown dims)."""
    return tuple(x.shape.as_list()) if hasattr(x.shape, "as_list") else tuple(x.shape)


def compute_output_spec(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Shapes and dtypes ``fn`` would return, traced in a scratch ``tf.function`` graph.

    Symbolic leaves become placeholders with ``None`` kept as unknown dimensions.
    """
    structure = (args, kwargs)
    flat = tree.flatten(structure)
    positions = [i for i, leaf in enumerate(flat) if isinstance(leaf, SymbolicTensor)]
    specs = [tf.TensorSpec(shape=flat[i].shape, dtype=flat[i].dtype) for i in positions]
    captured: list = []

    def traced(*values: Any) -> Any:
        leaves = list(flat)
        for i, v in zip(positions, values):
            leaves[i] = v
        call_args, call_kwargs = tree.pack_sequence_as(structure, leaves)
        with StatelessScope():
            out = fn(*call_args, **call_kwargs)
        captured.append(tree.map_structure(_to_shape_dtype, out))
        return tf.constant(0)

    tf.function(traced, autograph=False).get_concrete_function(*specs)
    return captured[-1]


def _to_shape_dtype(x: Any) -> Any:
    if tf.is_tensor(x):
        sparse = isinstance(x, tf.SparseTensor)
        return ShapeDtype(tuple(x.shape.as_list()) if x.shape.rank is not None else None,
                          dtypes.standardize_dtype(x.dtype), sparse)
    return x
