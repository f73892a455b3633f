"""``compute_fans``: how many units feed into, and out of, each weight."""

from __future__ import annotations

import math
from collections.abc import Sequence


def compute_fans(shape: Sequence[int], input_axes: Sequence[int] | None = None,
                 output_axes: Sequence[int] | None = None) -> tuple[int, int]:
    """``(fan_in, fan_out)`` of a weight of ``shape``.

    With both ``input_axes`` and ``output_axes`` given, each fan is the product
    of the sizes on those axes. Otherwise the layout is inferred: a scalar has
    fans ``(1, 1)``, a vector ``(n, n)``, a matrix ``(rows, cols)``, and a
    convolution kernel ``(*spatial, in, out)`` multiplies ``in`` and ``out`` by
    the receptive field size ``prod(spatial)``.

    >>> compute_fans((3, 3, 16, 32))
    (144, 288)
    """
    shape = tuple(shape)
    if input_axes is not None and output_axes is not None:
        fan_in = math.prod(shape[axis] for axis in input_axes)
        fan_out = math.prod(shape[axis] for axis in output_axes)
    elif len(shape) == 0:
        fan_in = fan_out = 1
    elif len(shape) == 1:
        fan_in = fan_out = shape[0]
    elif len(shape) == 2:
        fan_in, fan_out = shape
    else:
        receptive_field = math.prod(shape[:-2])
        fan_in, fan_out = shape[-2] * receptive_field, shape[-1] * receptive_field
    return int(fan_in), int(fan_out)
