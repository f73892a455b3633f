"""refkeras: a clean-room implementation of the core of Keras 3.

Use it as ``import refkeras as keras``. The backend (TensorFlow or JAX) is
chosen from the ``KERAS_BACKEND`` environment variable at import.
"""

from refkeras import (
    activations,
    backend,
    callbacks,
    config,
    constraints,
    distribution,
    dtype_policies,
    initializers,
    layers,
    losses,
    metrics,
    models,
    ops,
    optimizers,
    random,
    regularizers,
    saving,
    serialization,
    training,
    tree,
    utils,
)
from refkeras.backend import StatelessScope, Variable, name_scope
from refkeras.dtype_policies import DTypePolicy, FloatDTypePolicy
from refkeras.graph import Function, KerasTensor, Operation
from refkeras.layers import Input, InputSpec, Layer
from refkeras.losses import Loss
from refkeras.metrics import Metric
from refkeras.models import Model, Sequential
from refkeras.optimizers import Optimizer

__version__ = "0.1.0"


def version() -> str:
    """The refkeras version string."""
    return __version__


__all__ = [
    "DTypePolicy", "FloatDTypePolicy", "Function", "Input", "InputSpec", "KerasTensor", "Layer", "Loss",
    "Metric", "Model", "Operation", "Optimizer", "Sequential", "StatelessScope", "Variable", "activations",
    "backend", "callbacks", "config", "constraints", "distribution", "dtype_policies", "initializers", "layers", "losses", "metrics", "models",
    "name_scope", "ops", "optimizers", "random", "regularizers", "saving", "serialization", "training", "tree", "utils",
    "version", "__version__",
]
