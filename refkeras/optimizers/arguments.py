"""Checks of the constructor arguments every optimizer shares.

Each checker raises upstream's exception class with a message naming the
argument and the value received.
"""

from __future__ import annotations

import warnings
from typing import Any


def check_no_unknown_kwargs(kwargs: dict) -> None:
    """``decay`` (a Keras 2 argument) is dropped with a warning; anything else is an error."""
    if kwargs.pop("decay", None) is not None:
        warnings.warn("Argument `decay` is no longer supported and will be ignored.",
                      stacklevel=3)
    if kwargs:
        raise ValueError(
            f"Argument(s) not recognized: {kwargs}. Remove them, or pass them to the "
            "optimizer they belong to."
        )


def check_gradient_accumulation_steps(steps: Any) -> None:
    """Accumulating over fewer than 2 steps would be a plain update."""
    if steps and not steps >= 2:
        raise ValueError(
            "`gradient_accumulation_steps` must be an integer >= 2. "
            f"Received: gradient_accumulation_steps={steps}"
        )


def check_ema(use_ema: bool, ema_momentum: Any, ema_overwrite_frequency: Any) -> None:
    """The EMA arguments are only checked when EMA is on, as upstream does."""
    if not use_ema:
        return
    if ema_momentum > 1 or ema_momentum < 0:
        raise ValueError(
            f"`ema_momentum` must be in the range [0, 1]. Received: ema_momentum={ema_momentum}"
        )
    if ema_overwrite_frequency and (not isinstance(ema_overwrite_frequency, int)
                                    or ema_overwrite_frequency < 1):
        raise ValueError(
            "`ema_overwrite_frequency` must be an integer >= 1 or None. "
            f"Received: ema_overwrite_frequency={ema_overwrite_frequency}"
        )


def check_clipping(clipnorm: Any, clipvalue: Any, global_clipnorm: Any) -> None:
    """At most one way of clipping gradients."""
    if sum(a is not None for a in (clipnorm, clipvalue, global_clipnorm)) > 1:
        raise ValueError(
            "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. "
            f"Received: clipnorm={clipnorm}, clipvalue={clipvalue}, "
            f"global_clipnorm={global_clipnorm}"
        )


def check_float_learning_rate(learning_rate: Any) -> None:
    """A learning rate that is neither a schedule nor a callable must be a Python float."""
    if not isinstance(learning_rate, float):
        raise ValueError(
            "Argument `learning_rate` should be float, or an instance of LearningRateSchedule, "
            "or a callable (that takes in the current iteration value and returns the "
            f"corresponding learning rate value). Received instead: learning_rate={learning_rate}"
            f" of type {type(learning_rate).__name__}; pass e.g. learning_rate=0.001."
        )
