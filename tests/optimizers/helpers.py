"""Small helpers shared by the optimizer unit tests."""

from __future__ import annotations

from typing import Any

import numpy as np

from refkeras import backend


def values(x: Any) -> np.ndarray:
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


def variable(value: Any, name: str = "w", scope: str = "dense") -> Any:
    with backend.name_scope(scope):
        return backend.Variable(np.asarray(value, dtype="float32"), name=name)


def step(optimizer: Any, pairs: list) -> None:
    optimizer.apply_gradients([(np.asarray(g, dtype="float32"), v) for g, v in pairs])
