"""TensorFlow as an optional dependency of the data pipeline.

Only ``tf.data`` inputs and :meth:`DataAdapter.get_tf_dataset` need TensorFlow. The checks
below look at ``sys.modules`` first: an object can only be a TensorFlow object if TensorFlow
was already imported, so the JAX backend never pays for importing it.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Any


def tensorflow() -> ModuleType:
    """The ``tensorflow`` module, imported on first use."""
    return importlib.import_module("tensorflow")


def _loaded_tf() -> ModuleType | None:
    return sys.modules.get("tensorflow")


def is_tf_dataset(x: Any) -> bool:
    """True for a ``tf.data.Dataset`` or a distributed dataset."""
    tf = _loaded_tf()
    if tf is None:
        return False
    return isinstance(x, (tf.data.Dataset, tf.distribute.DistributedDataset))


def is_tf_tensor(x: Any) -> bool:
    """True for a dense TensorFlow tensor or variable."""
    tf = _loaded_tf()
    return tf is not None and isinstance(x, (tf.Tensor, tf.Variable))
