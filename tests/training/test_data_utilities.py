"""train_validation_split and the (x, y, sample_weight) packing helpers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from refkeras.backend import floatx
from refkeras.training.data import (
    pack_x_y_sample_weight,
    train_validation_split,
    unpack_x_y_sample_weight,
)


@given(st.integers(2, 40), st.floats(0.05, 0.95))
def test_split_takes_the_last_samples(n, fraction):
    split_at = int(np.floor(n * (1 - fraction)))
    x = np.arange(n, dtype="float64")
    if split_at in (0, n):
        with pytest.raises(ValueError, match="not sufficient to split"):
            train_validation_split((x,), fraction)
        return
    (train,), (val,) = train_validation_split((x,), fraction)
    assert train.tolist() == list(range(split_at)) and val.tolist() == list(range(split_at, n))
    assert str(train.dtype) == floatx()


def test_split_keeps_none_and_nests():
    arrays = ({"a": np.arange(4)}, None)
    train, val = train_validation_split(arrays, 0.25)
    assert train[1] is None and val[1] is None
    assert train[0]["a"].tolist() == [0, 1, 2] and val[0]["a"].tolist() == [3]
    assert train_validation_split((None, None), 0.5) == ((None, None), (None, None))


def test_split_rejects_non_arrays():
    with pytest.raises(ValueError, match="only supported for tensors or NumPy arrays"):
        train_validation_split((np.zeros(3), [1, 2, 3]), 0.5)


@pytest.mark.parametrize(("data", "want"), [
    ("x", ("x", None, None)), (("x",), ("x", None, None)), (["x", "y"], ("x", "y", None)),
    (("x", "y", "w"), ("x", "y", "w")), ({"k": 1}, ({"k": 1}, None, None))])
def test_unpack(data, want):
    assert unpack_x_y_sample_weight(data) == want


def test_unpack_rejects_four_parts():
    with pytest.raises(ValueError, match="Data is expected to be in format"):
        unpack_x_y_sample_weight((1, 2, 3, 4))


def test_pack():
    assert pack_x_y_sample_weight("x") == "x"
    assert pack_x_y_sample_weight(["a", "b"]) == (["a", "b"],)
    assert pack_x_y_sample_weight("x", "y") == ("x", "y")
    assert pack_x_y_sample_weight("x", None, "w") == "x"
    assert pack_x_y_sample_weight("x", "y", "w") == ("x", "y", "w")
