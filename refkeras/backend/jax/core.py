"""JAX storage and conversion: ``Variable``, tensors, dtype casts, shape inference."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import export as jax_export

from refkeras import tree
from refkeras.backend import dtypes
from refkeras.backend.jax import distribution
from refkeras.backend.stateless_scope import StatelessScope
from refkeras.backend.symbolic import ShapeDtype, SymbolicTensor
from refkeras.backend.variable import VariableBase, register_symbolic_dim_check

NAME = "jax"
register_symbolic_dim_check(jax_export.is_symbolic_dim)
SUPPORTS_SPARSE_TENSORS = True
SUPPORTS_RAGGED_TENSORS = False


class Variable(VariableBase):
    """A variable holding a ``jax.Array``; jitted code passes its value explicitly."""

    def _initialize(self, value: Any) -> None:
        self._value = distribution.place_variable(self, value)

    def _direct_assign(self, value: Any) -> None:
        self._value = value

    def _convert_to_tensor(self, value: Any, dtype: Any = None) -> Any:
        return convert_to_tensor(value, dtype=dtype)

    def _cast(self, value: Any, dtype: str) -> Any:
        return value.astype(dtype)

    def __jax_array__(self) -> Any:
        return self.value


def is_tensor(x: Any) -> bool:
    """True for JAX arrays (and tracers)."""
    return isinstance(x, jax.Array)


class RecurringKeys:
    """Tiered compilation for eager work keyed by ``(shape, dtype, ...)``.

    A compiled program is fastest per call (a few microseconds) but costs a
    compilation per key: ~20 ms, and on CPU ~2 MiB of host memory that its
    executable keeps for the life of the process. A key earns its program once it
    has been seen ``threshold`` times; until then the caller takes an uncompiled
    path (a host transfer). The count table is bounded: past ``capacity`` keys it
    starts afresh.
    """

    def __init__(self, threshold: int = 8, capacity: int = 4096):
        self.threshold = threshold
        self.capacity = capacity
        self._counts: dict = {}

    def recurring(self, key: Any) -> bool:
        """Counts one use of ``key``; True once it has ``threshold`` earlier uses."""
        count = self._counts.get(key, 0)
        if count >= self.threshold:
            return True
        if not count and len(self._counts) >= self.capacity:
            self._counts.clear()
        self._counts[key] = count + 1
        return False


def to_device(x: np.ndarray, copy: bool = True) -> Any:
    """A NumPy array on the device, compiling nothing (``jnp.asarray`` and
    ``jnp.array`` compile a staging program per shape and dtype).

    ``jax.device_put`` may keep an aligned array's memory on CPU (even with
    ``may_alias=False``), so a later write to the array would show through: the
    array is copied first unless the caller owns it alone (``copy=False``).
    """
    return jax.device_put(np.array(x, copy=True) if copy else x)


@jax.jit
def _identity(x: Any) -> Any:
    return x


_converted_shapes = RecurringKeys()


@jax.jit
def _probe() -> Any:
    return jnp.zeros((), jnp.int8)


def is_concrete(x: Any) -> bool:
    """True for a ``jax.Array`` holding values (not a tracer under a transformation)."""
    return isinstance(x, jax.Array) and not isinstance(x, jax.core.Tracer)


def in_tracing_scope() -> bool:
    """True inside ``jax.jit`` (or another transformation) where arrays are tracers.

    Asks with a compiled constant: a tracer comes back only under a trace, and the
    eager call costs a few microseconds (an eager ``jnp`` op costs tens).
    """
    return isinstance(_probe(), jax.core.Tracer)


def convert_to_tensor(x: Any, dtype: Any = None, sparse: Any = None) -> Any:
    """``x`` as a ``jax.Array`` of ``dtype`` (default: inferred as JAX does)."""
    if dtype is not None:
        dtype = dtypes.standardize_dtype(dtype)
    if isinstance(x, jax.Array):
        return x if dtype is None or x.dtype == dtype else x.astype(dtype)
    if isinstance(x, VariableBase):
        value = x.value
        return value if dtype is None or value.dtype == dtype else value.astype(dtype)
    if isinstance(x, np.ndarray) and (dtype is None or x.dtype.name == dtype):
        # Eagerly: a recurring shape goes through a compiled identity, whose C++ path
        # moves a NumPy argument to the device at a fraction of ``jnp.asarray``'s
        # cost (which also compiles per shape), into a buffer of its own; a shape seen
        # only a few times is transferred without compiling anything. Under a trace,
        # a constant as before.
        if in_tracing_scope():
            return jnp.asarray(x)
        if _converted_shapes.recurring((x.shape, x.dtype)):
            return _identity(x)
        return to_device(x)
    if dtype == "bfloat16" and not is_tensor(x):
        return jnp.asarray(x).astype(dtype)
    return jnp.asarray(x, dtype=dtype)


def convert_to_numpy(x: Any) -> np.ndarray:
    """``x`` as a new NumPy array (a copy, even when ``x`` already is one)."""
    if isinstance(x, VariableBase):
        x = x.value
    return np.array(x)


def cast(x: Any, dtype: Any) -> Any:
    """``x`` converted to ``dtype``."""
    return convert_to_tensor(x, dtype=dtype)


def shape(x: Any) -> tuple:
    """Static shape of ``x`` as a tuple."""
    return tuple(x.shape)


def _dynamic_dim() -> Any:
    # One shared symbolic size for every unknown dimension, constrained to be >= 2
    # so JAX never treats it as broadcastable or squeezable.
    return jax_export.symbolic_shape("(d)", constraints=["d>=2"])[0]


def dim_size(x: Any, axis: int) -> Any:
    """The size of ``axis`` (always static under JAX tracing)."""
    return x.shape[axis]


def compute_output_spec(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Shapes and dtypes ``fn`` would return for the symbolic leaves in its arguments.

    Unknown (``None``) dimensions are traced as one symbolic size; output
    dimensions that stay symbolic come back as ``None``.
    """
    flat, treedef = _flatten_args(args, kwargs)
    positions = [i for i, leaf in enumerate(flat) if isinstance(leaf, SymbolicTensor)]
    dim = _dynamic_dim()
    specs = [
        jax.ShapeDtypeStruct(tuple(dim if d is None else d for d in flat[i].shape),
                             dtype=flat[i].dtype)
        for i in positions
    ]

    def traced(*values: Any) -> Any:
        leaves = list(flat)
        for i, v in zip(positions, values):
            leaves[i] = v
        call_args, call_kwargs = tree.pack_sequence_as(treedef, leaves)
        with StatelessScope():
            return fn(*call_args, **call_kwargs)

    # The outer scope closes outside the trace, so variables created while tracing
    # (a sub-layer built inside call) are initialized with concrete values.
    with StatelessScope():
        out = jax.eval_shape(traced, *specs)
    return tree.map_structure(_to_shape_dtype, out)


def _flatten_args(args: tuple, kwargs: dict) -> tuple[list, Any]:
    structure = (args, kwargs)
    return tree.flatten(structure), structure


def _to_shape_dtype(x: Any) -> Any:
    if isinstance(x, jax.ShapeDtypeStruct):
        shp = tuple(d if isinstance(d, int) else None for d in x.shape)
        return ShapeDtype(shp, dtypes.standardize_dtype(x.dtype))
    return x
