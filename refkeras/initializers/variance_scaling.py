"""``VarianceScaling`` and its named presets (Glorot, He, LeCun; normal and uniform).

The variance of the draw is ``scale / n``, with ``n`` the fan-in, fan-out or
their mean (see :func:`~refkeras.initializers.fans.compute_fans`). All the
arithmetic is done in Python floats before the draw, as upstream does, so the
stddev or limit handed to the kernel is bit-identical.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, ClassVar

from refkeras import backend
from refkeras.initializers.fans import compute_fans
from refkeras.initializers.seeded import RandomInitializer
from refkeras.random import draw_seed

MODES = ("fan_in", "fan_out", "fan_avg")
DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")
# Stddev of a standard normal truncated to [-2, 2]; dividing by it makes the truncated
# draw's actual stddev sqrt(scale).
_TRUNCATED_STDDEV = 0.87962566103423978


def _check_arguments(scale: Any, mode: Any, distribution: Any) -> str:
    """Validates the arguments; returns the distribution's canonical name."""
    if scale <= 0.0:
        raise ValueError(
            f"Argument `scale` must be positive float. Received: scale={scale!r}. "
            "Pass a value > 0."
        )
    if mode not in MODES:
        raise ValueError(f"Invalid `mode` argument: {mode!r}. Please use one of {set(MODES)}")
    distribution = distribution.lower()
    if distribution == "normal":  # historical alias
        distribution = "truncated_normal"
    if distribution not in DISTRIBUTIONS:
        raise ValueError(
            f"Invalid `distribution` argument: {distribution!r}. "
            f"Please use one of {set(DISTRIBUTIONS)}"
        )
    return distribution


class VarianceScaling(RandomInitializer):
    """Draws with a variance scaled to the weight's fans.

    ``truncated_normal`` and ``untruncated_normal`` give stddev
    ``sqrt(scale / n)`` (after truncation); ``uniform`` draws from
    ``[-limit, limit]`` with ``limit = sqrt(3 * scale / n)``.

    Args:
        scale: a positive float.
        mode: ``"fan_in"``, ``"fan_out"`` or ``"fan_avg"``: which ``n``.
        distribution: ``"truncated_normal"`` (alias ``"normal"``),
            ``"untruncated_normal"`` or ``"uniform"``.
        seed: an int, None or a ``SeedGenerator``.
        input_axes, output_axes: the axes counted as inputs and outputs when
            computing the fans (both needed; otherwise inferred from the shape).
    """

    def __init__(self, scale: float = 1.0, mode: str = "fan_in",
                 distribution: str = "truncated_normal", seed: Any = None,
                 input_axes: Sequence[int] | None = None,
                 output_axes: Sequence[int] | None = None):
        self.distribution = _check_arguments(scale, mode, distribution)
        self.scale = scale
        self.mode = mode
        self.input_axes = input_axes
        self.output_axes = output_axes
        super().__init__(seed=seed)  # after validation: a failed call draws no default seed

    def __call__(self, shape: Any, dtype: Any = None) -> Any:
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}
        scale = self.scale / max(1.0, fan[self.mode])
        seed = draw_seed(self.seed)
        if self.distribution == "truncated_normal":
            return backend.impl.random_truncated_normal(
                shape, seed, mean=0.0, stddev=math.sqrt(scale) / _TRUNCATED_STDDEV, dtype=dtype)
        if self.distribution == "untruncated_normal":
            return backend.impl.random_normal(shape, seed, mean=0.0, stddev=math.sqrt(scale),
                                              dtype=dtype)
        limit = math.sqrt(3.0 * scale)
        return backend.impl.random_uniform(shape, seed, minval=-limit, maxval=limit, dtype=dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "scale": self.scale, "mode": self.mode,
                "distribution": self.distribution, "input_axes": self.input_axes,
                "output_axes": self.output_axes}


class _Preset(VarianceScaling):
    """A VarianceScaling with fixed ``(scale, mode, distribution)``; only the seed and
    the axes are arguments (and config keys)."""

    PRESET: ClassVar[tuple[float, str, str]]

    def __init__(self, seed: Any = None, input_axes: Sequence[int] | None = None,
                 output_axes: Sequence[int] | None = None):
        scale, mode, distribution = self.PRESET
        super().__init__(scale=scale, mode=mode, distribution=distribution, seed=seed,
                         input_axes=input_axes, output_axes=output_axes)

    def get_config(self) -> dict:
        config = super().get_config()
        return {key: config[key] for key in ("seed", "input_axes", "output_axes")}


class GlorotUniform(_Preset):
    """Glorot (Xavier) uniform: ``limit = sqrt(6 / (fan_in + fan_out))``."""

    PRESET = (1.0, "fan_avg", "uniform")


class GlorotNormal(_Preset):
    """Glorot (Xavier) normal: truncated, ``stddev = sqrt(2 / (fan_in + fan_out))``."""

    PRESET = (1.0, "fan_avg", "truncated_normal")


class LecunUniform(_Preset):
    """LeCun uniform: ``limit = sqrt(3 / fan_in)``."""

    PRESET = (1.0, "fan_in", "uniform")


class LecunNormal(_Preset):
    """LeCun normal: truncated, ``stddev = sqrt(1 / fan_in)``."""

    PRESET = (1.0, "fan_in", "truncated_normal")


class HeUniform(_Preset):
    """He uniform: ``limit = sqrt(6 / fan_in)``."""

    PRESET = (2.0, "fan_in", "uniform")


class HeNormal(_Preset):
    """He normal: truncated, ``stddev = sqrt(2 / fan_in)``."""

    PRESET = (2.0, "fan_in", "truncated_normal")
