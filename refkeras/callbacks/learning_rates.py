"""Reading learning rates for callbacks that log or change them.

A model's optimizer may wrap several optimizers (an ``optimizers`` attribute); each is then
handled on its own and logged as ``learning_rate_<name>``.
"""

from __future__ import annotations

from typing import Any

from refkeras import backend


def current_learning_rate(optimizer: Any) -> float:
    """The optimizer's learning rate now, as a Python float."""
    return float(backend.convert_to_numpy(optimizer.learning_rate))


def log_learning_rates(optimizer: Any, logs: dict) -> None:
    """Writes the learning rate(s) of ``optimizer`` into ``logs``."""
    if hasattr(optimizer, "optimizers"):
        for inner in optimizer.optimizers:
            logs[f"learning_rate_{inner.name}"] = current_learning_rate(inner)
    else:
        logs["learning_rate"] = current_learning_rate(optimizer)
