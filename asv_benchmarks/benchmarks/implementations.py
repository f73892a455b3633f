"""The implementations under comparison, and backend helpers shared by benchmarks.

Every benchmark takes the implementation name as its first asv parameter and
imports that module in ``setup``, so refkeras and upstream keras are timed by
the same code in the same run. The backend is not a parameter: it is fixed per
process by ``KERAS_BACKEND`` (run the suite once per backend; ``ratios.py``
does that).
"""

import importlib
import os
from types import ModuleType
from typing import Any

import numpy as np

# Order matters only for display: ratios are always refkeras / keras.
IMPLEMENTATIONS = ["refkeras", "keras"]


def load(name: str) -> ModuleType:
    """Import the implementation called ``name`` ("refkeras" or "keras")."""
    if name not in IMPLEMENTATIONS:
        raise ValueError(
            f"Unknown implementation {name!r}; expected one of {IMPLEMENTATIONS}."
        )
    return importlib.import_module(name)


def backend_name() -> str:
    """The backend both implementations use in this process."""
    return os.environ.get("KERAS_BACKEND", "tensorflow")


def to_backend_tensor(array: np.ndarray) -> Any:
    """Convert ``array`` with the backend library itself, not with either
    implementation, so both get an identical native tensor as input."""
    if backend_name() == "jax":
        return importlib.import_module("jax.numpy").asarray(array)
    return importlib.import_module("tensorflow").convert_to_tensor(array)


def block(result: Any) -> Any:
    """Wait for an eager result: JAX dispatches asynchronously, and a timing
    that stops before the work is done would flatter whichever side queues more."""
    if isinstance(result, (list, tuple)):
        for item in result:
            block(item)
        return result
    ready = getattr(result, "block_until_ready", None)
    if ready is not None:
        ready()
    return result


class ManyProcesses:
    """Sampling for calls of microseconds (asv calibrates how many calls make a
    sample). Two effects swamp them under asv's defaults. A fresh process runs
    them several times slower at first and settles only over about a second
    (samples fall 300, 110, 57, 43, 40 µs for one add), longer than asv's
    default warm-up. And one process's settled speed depends on where the OS
    places the backend's worker threads relative to the caller: on a two-core
    machine one process may run an eager call 1.5x slower throughout while
    another holds the fast figure. So: a warm-up of two seconds, samples of
    50 ms, and four processes (rounds) of five samples each, so that each side's
    minimum comes from a settled, well-placed process."""

    rounds = 4
    repeat = (2, 5, 10.0)
    warmup_time = 2.0
    sample_time = 0.05
