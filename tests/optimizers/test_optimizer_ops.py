"""The ops added for optimizers: maximum, minimum, floor, cos, isfinite, cond."""

from __future__ import annotations

import numpy as np

from refkeras import KerasTensor, ops
from tests.optimizers.helpers import values


def test_elementwise_values():
    np.testing.assert_array_equal(values(ops.maximum([1.0, 5.0], 2.0)), [2.0, 5.0])
    np.testing.assert_array_equal(values(ops.minimum([1.0, 5.0], 2.0)), [1.0, 2.0])
    np.testing.assert_array_equal(values(ops.floor(np.array([-1.5, 2.5], "float32"))),
                                  [-2.0, 2.0])
    np.testing.assert_allclose(values(ops.cos(np.array([0.0, np.pi], "float32"))), [1.0, -1.0])
    np.testing.assert_array_equal(values(ops.isfinite(np.array([1.0, np.inf, np.nan]))),
                                  [True, False, False])


def test_dtypes():
    assert str(values(ops.floor(np.array([1, 2], "int32"))).dtype) == "float32"
    assert str(values(ops.maximum(np.array([1], "int32"), 2)).dtype) == "int32"
    assert str(values(ops.isfinite(np.array([1], "int32"))).dtype) == "bool"


def test_symbolic_shapes():
    x = KerasTensor((None, 3))
    assert ops.maximum(x, KerasTensor((1, 3))).shape == (None, 3)
    assert ops.cos(KerasTensor((2,), dtype="int64")).dtype == "float32"
    assert ops.isfinite(x).dtype == "bool"


def test_cond_picks_the_branch():
    pick = ops.cond(ops.convert_to_tensor(False), lambda: ops.ones(()), lambda: ops.zeros(()))
    assert float(values(pick)) == 0.0
