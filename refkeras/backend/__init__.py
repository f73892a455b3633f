"""The backend layer: one contract (``contract.py``), two implementations.

The implementation is picked once, from ``KERAS_BACKEND``; this module then
re-exports the contract's names from it, so the rest of refkeras writes
``backend.convert_to_tensor(x)`` and never names a backend.
"""

from __future__ import annotations

import importlib
from typing import Any

from refkeras.backend import contract
from refkeras.backend.config import (
    backend,
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
)
from refkeras.backend.dtypes import is_float_dtype, is_int_dtype, standardize_dtype
from refkeras.backend.naming import get_uid
from refkeras.backend.scopes import (
    AutocastScope,
    current_path,
    get_autocast_scope,
    get_stateless_scope,
    in_stateless_scope,
    name_scope,
)
from refkeras.backend.stateless_scope import StatelessScope
from refkeras.backend.symbolic import ShapeDtype, SymbolicTensor
from refkeras.backend.variable import VariableBase, standardize_shape

impl = importlib.import_module(f"refkeras.backend.{backend()}")
_missing = contract.missing_names(impl)
if _missing:
    raise ImportError(f"Backend {backend()!r} does not implement the contract names {_missing}.")

Variable = impl.Variable
is_tensor = impl.is_tensor
convert_to_tensor = impl.convert_to_tensor
convert_to_numpy = impl.convert_to_numpy
cast = impl.cast
shape = impl.shape
dim_size = impl.dim_size
compute_output_spec = impl.compute_output_spec
numeric = impl
# How training steps are compiled and run (see contract.TRAINER_STEPS).
trainer_steps = importlib.import_module(f"refkeras.backend.{backend()}.trainer_steps")
# Distribution hooks: devices, meshes and layouts, replica-aware loss scaling.
distribution = importlib.import_module(f"refkeras.backend.{backend()}.distribution")


def export_writer() -> Any:
    """The backend's SavedModel writer (``export.py``), imported on first use: on JAX it
    needs TensorFlow and jax2tf, which plain training never loads."""
    return importlib.import_module(f"refkeras.backend.{backend()}.export")


_missing = contract.missing_trainer_names(trainer_steps)
if _missing:
    raise ImportError(f"Backend {backend()!r} trainer_steps lacks the contract names {_missing}.")

__all__ = [
    "AutocastScope", "ShapeDtype", "StatelessScope", "SymbolicTensor", "Variable", "VariableBase",
    "backend", "cast", "compute_output_spec", "convert_to_numpy", "convert_to_tensor",
    "current_path", "dim_size", "distribution", "epsilon", "floatx", "get_autocast_scope", "get_stateless_scope", "get_uid",
    "image_data_format", "impl", "in_stateless_scope", "is_float_dtype", "is_int_dtype",
    "is_tensor", "name_scope", "numeric", "set_epsilon", "set_floatx", "shape", "standardize_dtype",
    "standardize_shape", "trainer_steps", "export_writer",
]
