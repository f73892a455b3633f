"""Helpers shared by ``test_random.py`` and ``test_initializers.py``.

Each library (refkeras or keras) is reached through the same public names:
``<lib>.random``, ``<lib>.initializers``, and ``set_random_seed`` from
``<lib>.utils`` (refkeras falls back to ``refkeras.random`` until its
``utils`` package exports it).
"""

from __future__ import annotations

import importlib
import os
import warnings
from types import ModuleType
from typing import Any

import numpy as np

from conformance.tolerances import assert_close

BACKEND = os.environ.get("KERAS_BACKEND") or "tensorflow"
FLOAT_DTYPES = ("float32", "float16", "bfloat16", "float64")
# Shapes of rank 1 to 4, from a fixed pool: each new (shape, dtype) costs JAX a compilation of
# its sampler (about a second), so drawing from a pool keeps the suite fast while hypothesis
# still varies seeds, arguments and combinations.
SHAPES = ((7,), (3, 4), (5, 1), (2, 3, 4), (1, 4, 2), (2, 2, 3, 2))
# Largest int seed both backends accept (JAX stores the pair as uint32).
MAX_SEED = 2**32 - 1


def random_module(lib: ModuleType) -> ModuleType:
    return importlib.import_module(f"{lib.__name__}.random")


def initializers_module(lib: ModuleType) -> ModuleType:
    return importlib.import_module(f"{lib.__name__}.initializers")


def set_random_seed(lib: ModuleType, seed: int) -> None:
    try:
        fn = importlib.import_module(f"{lib.__name__}.utils").set_random_seed
    except (ImportError, AttributeError):
        fn = random_module(lib).set_random_seed
    fn(seed)


def to_numpy(x: Any) -> np.ndarray:
    """A backend tensor (or array) as NumPy, keeping bfloat16 as ml_dtypes' bfloat16."""
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


def assert_bitwise(actual: Any, expected: Any) -> None:
    """Same shape, dtype and bits (so -0.0 differs from 0.0 and NaN payloads count)."""
    actual, expected = to_numpy(actual), to_numpy(expected)
    assert_close(actual, expected, "exact")
    assert actual.tobytes() == expected.tobytes(), "values equal but bit patterns differ"


def outcome(fn: Any) -> tuple[str, Any]:
    """``("ok", result)`` or ``("raised", exception)``, with JAX's float64 warning muted."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # JAX: float64 requested without x64
        try:
            return "ok", fn()
        except Exception as exc:  # noqa: BLE001 - the exception class is what gets compared
            return "raised", exc


def assert_same_outcome(ours: tuple[str, Any], theirs: tuple[str, Any]) -> None:
    """Both returned bit-identical tensors, or both raised the same exception class."""
    if theirs[0] == "raised":
        assert ours[0] == "raised", f"upstream raised {theirs[1]!r}, we returned a value"
        assert type(ours[1]) is type(theirs[1]), f"{ours[1]!r} vs upstream {theirs[1]!r}"
        return
    assert ours[0] == "ok", f"we raised {ours[1]!r}, upstream returned a value"
    assert_bitwise(ours[1], theirs[1])
