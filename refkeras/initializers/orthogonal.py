"""``Orthogonal``: a random orthogonal matrix from the QR decomposition of a normal draw."""

from __future__ import annotations

import math
from typing import Any

from refkeras import backend
from refkeras.initializers.seeded import RandomInitializer
from refkeras.random import draw_seed


def _diagonal_signs(r: Any) -> Any:
    """``sign(diag(r))`` for a square ``r`` (n, n), built from contract kernels only.

    Summing ``r * eye`` down each column picks out the diagonal exactly: every
    other term is a signed zero.
    """
    num = backend.numeric
    diagonal = num.sum(r * num.eye(r.shape[-1], dtype=r.dtype), axis=0)  # (n,)
    one, zero = num.ones_like(diagonal), num.zeros_like(diagonal)
    return num.where(num.greater(diagonal, zero), one,
                     num.where(num.less(diagonal, zero), -one, zero))


class Orthogonal(RandomInitializer):
    """Fills a weight with a (semi-)orthogonal matrix, times ``gain``.

    The weight is viewed as a matrix of ``prod(shape[:-1])`` rows and
    ``shape[-1]`` columns. A normal draw of the taller orientation is
    QR-decomposed, ``q``'s columns get the signs of ``diag(r)`` (making the
    result uniformly distributed), and ``q`` is transposed back if needed:
    the result has orthonormal rows or columns, whichever are fewer.

    Args:
        gain: factor applied to the matrix.
        seed: an int, None or a ``SeedGenerator``.
    """

    def __init__(self, gain: float = 1.0, seed: Any = None):
        self.gain = gain
        super().__init__(seed=seed)

    def __call__(self, shape: Any, dtype: Any = None) -> Any:
        if len(shape) < 2:
            raise ValueError(
                "The tensor to initialize must be at least two-dimensional. "
                f"Received: shape={shape} of rank {len(shape)}. "
                "Use a shape like (rows, cols)."
            )
        rows, cols = math.prod(shape[:-1]), shape[-1]
        tall = (max(rows, cols), min(rows, cols))
        sample = backend.impl.random_normal(tall, draw_seed(self.seed), dtype=dtype)
        q, r = backend.impl.qr(sample)  # q: tall, r: (min, min)
        q = q * _diagonal_signs(r)
        if rows < cols:
            q = backend.numeric.transpose(q)
        return self.gain * backend.numeric.reshape(q, shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "gain": self.gain}
