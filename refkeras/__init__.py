"""refkeras: a clean-room implementation of the core of Keras 3.

Use it as ``import refkeras as keras``. The backend (TensorFlow or JAX) is
chosen from the ``KERAS_BACKEND`` environment variable at import.
"""

from refkeras import backend, ops, tree
from refkeras.backend import StatelessScope, Variable, name_scope
from refkeras.graph import Function, KerasTensor, Operation

__version__ = "0.1.0"

__all__ = ["Function", "KerasTensor", "Operation", "StatelessScope", "Variable", "backend",
           "name_scope", "ops", "tree", "__version__"]
