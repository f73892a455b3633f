"""A very deep model (issue 4): a chain of Dense layers builds, saves to `.keras`,
loads, and predicts exactly what it predicted before saving.

Both depths are past the ~990 layers at which upstream raises RecursionError.
Measured on 2 CPU cores: the 10,000-layer chain takes about 45 s on JAX and
100 s on TensorFlow.
"""

from __future__ import annotations

import numpy as np
import pytest

from refkeras.backend import naming
from refkeras.layers import Dense, Input
from refkeras.models import Model
from refkeras.saving import load_model, save_model


@pytest.mark.parametrize("depth", [1_200, 10_000])
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
