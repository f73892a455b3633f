"""``MonitorCallback``: shared logic of callbacks that watch one logged quantity.

It resolves ``mode`` to a comparison ("less" or "greater") and says whether a value improves
on a reference by more than ``min_delta``.
"""

from __future__ import annotations

import operator
import warnings
from collections.abc import Callable
from typing import Any

from refkeras.callbacks.callback import Callback

_MODES = ("auto", "min", "max")


def _metric_direction(model: Any, name: str) -> str | None:
    """``"up"``/``"down"`` for the compiled metric called ``name``, if the model has one.

    Only metrics inside the model's metric containers (compiled metrics; objects exposing a
    ``metrics`` list) are considered; the last one with that name and a direction wins.
    """
    direction = None
    for container in getattr(model, "metrics", None) or ():
        inner = getattr(container, "metrics", None)
        if not isinstance(inner, (list, tuple)):
            continue
        for metric in inner:
            if getattr(metric, "name", None) == name and hasattr(metric, "_direction"):
                direction = metric._direction
    return direction


class MonitorCallback(Callback):
    """Base of callbacks that compare ``logs[monitor]`` across epochs.

    Args:
        monitor: the logged quantity to watch.
        mode: ``"min"``, ``"max"``, or ``"auto"`` (from the name: losses go down, a compiled
            metric's own direction otherwise). An unknown mode warns and means ``"auto"``.
        baseline: the reference value before any epoch; ``None`` means "any value improves".
        min_delta: the smallest change that counts as an improvement (its magnitude is used).
    """

    def __init__(self, monitor: str = "val_loss", mode: str = "auto", baseline: Any = None,
                 min_delta: float = 0):
        super().__init__()
        if mode not in _MODES:
            warnings.warn(f"{type(self).__name__} mode '{mode}' is unknown, fallback to auto "
                          "mode.", stacklevel=3)
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op: Callable[[Any, Any], Any] | None = None

    def _set_monitor_op(self) -> None:
        """Fixes the comparison once the model's metrics exist (so at the first epoch end)."""
        if self.mode == "min":
            self.monitor_op = operator.lt
        elif self.mode == "max":
            self.monitor_op = operator.gt
        else:
            name = self.monitor.removeprefix("val_")
            if name == "loss":
                self.monitor_op = operator.lt
            direction = _metric_direction(self.model, name)
            if direction is not None:
                self.monitor_op = operator.gt if direction == "up" else operator.lt
            if self.monitor_op is None:
                raise ValueError(
                    f"{type(self).__name__} callback received monitor={self.monitor}, but "
                    "Keras isn't able to automatically determine whether that metric should be "
                    "maximized or minimized. Pass `mode='max'` in order to monitor based on the "
                    "highest metric value, or pass `mode='min'` in order to use the lowest value.")
        if self.monitor_op is operator.lt:
            # Store the delta signed so that one comparison serves both directions.
            self.min_delta *= -1

    def _is_improvement(self, value: Any, reference: Any) -> bool:
        if reference is None:
            return True
        return bool(self.monitor_op(value - self.min_delta, reference))
