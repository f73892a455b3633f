"""A very deep model (issue 4): a chain of Dense layers builds, saves to `.keras`,
loads, and predicts exactly what it predicted before saving.

The 10,000-layer chain takes minutes (about 5 on JAX, more on TensorFlow, on 2
CPU cores), so it runs only when ``REFKERAS_SLOW=1``; a 1,200-layer chain (deeper than upstream
can build) always runs.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from refkeras.backend import naming
from refkeras.layers import Dense, Input
from refkeras.models import Model
from refkeras.saving import load_model, save_model

SLOW = pytest.mark.skipif(os.environ.get("REFKERAS_SLOW") != "1",
                          reason="minutes long: set REFKERAS_SLOW=1 to run")


# 1,200 is past the ~990 layers at which upstream raises RecursionError.
@pytest.mark.parametrize("depth", [1_200, pytest.param(10_000, marks=SLOW)])
def test_deep_dense_chain_round_trip(tmp_path, depth):
    naming.reset_names()
    x = h = Input((4,))
    for _ in range(depth):
        h = Dense(4)(h)
    model = Model(x, h)
    data = np.random.default_rng(0).standard_normal((3, 4)).astype("float32")
    expected = np.asarray(model(data))
    path = tmp_path / "deep.keras"
    save_model(model, path)
    loaded = load_model(path)
    assert len(loaded.layers) == depth + 1
    assert loaded.layers[-1].name == model.layers[-1].name
    np.testing.assert_array_equal(np.asarray(loaded(data)), expected)
