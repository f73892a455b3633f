"""The one tolerance registry of the conformance suite.

Every numeric comparison names an entry here; each entry says why its bound
is what it is. Bounds are only ever loosened with a written reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Tolerance:
    rtol: float
    atol: float
    reason: str


TOLERANCES: dict[str, Tolerance] = {
    "exact": Tolerance(0.0, 0.0, "Same kernels on the same inputs: results must be bit-identical."),
}


def assert_close(actual, expected, key: str) -> None:
    """Compares with the registry entry ``key`` (``exact`` means bitwise, NaNs equal)."""
    tol = TOLERANCES[key]
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, f"shape {actual.shape} != {expected.shape}"
    assert actual.dtype == expected.dtype, f"dtype {actual.dtype} != {expected.dtype}"
    if tol.rtol == 0 and tol.atol == 0:
        np.testing.assert_array_equal(actual, expected)
    else:
        np.testing.assert_allclose(actual, expected, rtol=tol.rtol, atol=tol.atol,
                                   err_msg=f"tolerance {key!r}: {tol.reason}")
