"""TensorFlow storage and conversion: ``Variable``, tensors, dtype casts, shape inference."""

from __future__ import annotations

from typing import Any

import numpy as np
import tensorflow as tf
from tensorflow.python.ops import gen_resource_variable_ops, resource_variable_ops

from refkeras import tree
from refkeras.backend import dtypes
from refkeras.backend.stateless_scope import StatelessScope
from refkeras.backend.symbolic import ShapeDtype, SymbolicTensor
from refkeras.backend.variable import VariableBase

NAME = "tensorflow"
SUPPORTS_SPARSE_TENSORS = True
SUPPORTS_RAGGED_TENSORS = True


_TF_AGGREGATION = {
    "none": tf.VariableAggregation.NONE, "mean": tf.VariableAggregation.MEAN,
    "sum": tf.VariableAggregation.SUM,
    "only_first_replica": tf.VariableAggregation.ONLY_FIRST_REPLICA,
}
_TF_SYNCHRONIZATION = {
    "none": tf.VariableSynchronization.NONE, "on_read": tf.VariableSynchronization.ON_READ,
    "on_write": tf.VariableSynchronization.ON_WRITE, "auto": tf.VariableSynchronization.AUTO,
}


class Variable(VariableBase):
    """A variable backed by a ``tf.Variable``, so ``tf.function`` tracks it."""

    def _initialize(self, value: Any) -> None:
        # The distribution annotations matter under a tf.distribute strategy scope.
        self._value = tf.Variable(
            value, dtype=self._dtype, trainable=self._trainable, name=self._name,
            aggregation=_TF_AGGREGATION[self._aggregation],
            synchronization=_TF_SYNCHRONIZATION[self._synchronization])

    def _direct_assign(self, value: Any) -> None:
        if getattr(value, "dtype", None) != self._value.dtype:
            value = tf.cast(value, self._value.dtype)
        self._value.assign(value)

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


# The class of plain ``tf.Variable``s (strategy-wrapped ones are other classes).
_ResourceVariable = resource_variable_ops.ResourceVariable


def _read_plain_variable(variable: Any) -> Any:
    """``variable.value()`` for a plain ``ResourceVariable``.

    Eagerly, with no cached or device-pinned copy, the read is the two things
    ``value()`` does for a float variable: tell the tape (and any graph being
    built) that the variable was read, then run ``ReadVariableOp``. That skips
    ``value()``'s colocation scope and helper closures (~7 us of ~30 us a read).
    Anything else goes through ``value()``.
    """
    if (variable._cached_value is None and getattr(variable, "_caching_device", None) is None
            and variable.dtype != tf.variant and tf.executing_eagerly()):
        resource_variable_ops.variable_accessed(variable)
        variable._variable_read = True
        return gen_resource_variable_ops.read_variable_op(variable.handle, variable.dtype)
    return variable.value()


# Exact types answered without ``tf.is_tensor``, which is slow on NumPy arrays (it
# checks them against a typing Protocol).
_NOT_TENSORS = (np.ndarray, np.generic, int, float, bool, list, tuple, type(None))


def is_tensor(x: Any) -> bool:
    """True for ``tf.Tensor`` (and sparse / ragged tensors)."""
    if type(x) in _NOT_TENSORS:
        return False
    return tf.is_tensor(x)


def convert_to_tensor(x: Any, dtype: Any = None, sparse: Any = None) -> Any:
    """``x`` as a ``tf.Tensor``; ``dtype`` defaults to what TensorFlow infers.

    TensorFlow refuses to convert Python floats to an int dtype, or ints to
    bool, so for those targets the value is converted as-is and then cast.
    """
    if dtype is not None:
        dtype = dtypes.standardize_dtype(dtype)
    if isinstance(x, VariableBase):
        x = x.value
    if type(x) is np.ndarray:
        if dtype is None or x.dtype.name == dtype:
            return tf.constant(x)  # what tf.convert_to_tensor does, minus its registry lookup
    elif is_tensor(x):
        if type(x) is _ResourceVariable:
            x = _read_plain_variable(x)  # the read the tape watches
        elif isinstance(x, tf.Variable):
            x = tf.convert_to_tensor(x)  # distributed variables read per replica context
        if dtype is None or x.dtype.name == dtype:
            return x
        return tf.cast(x, dtype)
    if dtype == "bool" or (dtype is not None and dtypes.is_int_dtype(dtype)):
        return tf.cast(tf.convert_to_tensor(x), dtype)
    return tf.convert_to_tensor(x, dtype=dtype)


def convert_to_numpy(x: Any) -> np.ndarray:
    """``x`` as a new NumPy array (a copy, even when ``x`` already is one)."""
    if isinstance(x, VariableBase):
        x = x.value
    return np.array(x)


def cast(x: Any, dtype: Any) -> Any:
    """``x`` as a tensor of ``dtype`` (``tf.cast`` semantics: floats truncate to ints)."""
    dtype = dtypes.standardize_dtype(dtype)
    if isinstance(x, VariableBase):
        x = x.value
    return tf.cast(x, dtype)


def shape(x: Any) -> tuple:
    """Static shape of ``x`` as a tuple (``None`` for unknown dims)."""
    return tuple(x.shape.as_list()) if hasattr(x.shape, "as_list") else tuple(x.shape)


def dim_size(x: Any, axis: int) -> Any:
    """The size of ``axis``: an int when static, else a scalar tensor (inside graphs)."""
    size = x.shape[axis]
    return size if size is not None else tf.shape(x)[axis]


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

    # The outer scope closes outside the trace (see the JAX backend).
    with StatelessScope():
        tf.function(traced, autograph=False).get_concrete_function(*specs)
    return captured[-1]


def _to_shape_dtype(x: Any) -> Any:
    if tf.is_tensor(x):
        sparse = isinstance(x, tf.SparseTensor)
        return ShapeDtype(tuple(x.shape.as_list()) if x.shape.rank is not None else None,
                          dtypes.standardize_dtype(x.dtype), sparse)
    return x
