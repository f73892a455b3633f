"""ArrayDataAdapter: batching, layout, dtypes, shuffling and errors, from first principles."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from refkeras.backend import floatx
from refkeras.training.data import ArrayDataAdapter, get_data_adapter


def first_axis(batches):
    return [b[0].shape[0] if isinstance(b, tuple) else b.shape[0] for b in batches]


@given(st.integers(1, 50), st.integers(1, 20))
def test_batches_cover_samples_in_order(n, batch_size):
    x = np.arange(n)
    batches = list(ArrayDataAdapter(x, batch_size=batch_size).get_numpy_iterator())
    assert np.concatenate(batches).tolist() == list(range(n))
    expected_sizes = [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])
    assert first_axis(batches) == expected_sizes


@pytest.mark.parametrize(("n", "batch_size", "steps", "want"), [
    (100, None, None, (4, 32, True, 4)), (10, None, 3, (3, 4, True, 2)),
    (12, 4, None, (3, 4, False, None)), (5, 10, None, (1, 10, True, 5))])
def test_sizes(n, batch_size, steps, want):
    adapter = ArrayDataAdapter(np.zeros((n, 1)), batch_size=batch_size, steps=steps)
    got = (adapter.num_batches, adapter.batch_size, adapter.has_partial_batch,
           adapter.partial_batch_size)
    assert got == want


def test_layout_and_dict_order():
    x = {"b": np.zeros((4, 1)), "a": np.ones((4, 2))}
    y, sw = np.arange(4), np.ones(4)
    batch = next(ArrayDataAdapter(x, y, sw, batch_size=2).get_numpy_iterator())
    assert isinstance(batch, tuple) and len(batch) == 3
    assert list(batch[0]) == ["b", "a"]
    assert batch[1].tolist() == [0, 1]
    bare = next(ArrayDataAdapter(np.zeros(4), batch_size=2).get_numpy_iterator())
    assert isinstance(bare, np.ndarray)
    wrapped = next(ArrayDataAdapter([np.zeros(4), np.ones(4)], batch_size=2).get_numpy_iterator())
    assert isinstance(wrapped, tuple) and isinstance(wrapped[0], list) and len(wrapped[0]) == 2
    # sample_weight without y is dropped: the batch is x alone
    dropped = next(ArrayDataAdapter(np.zeros(4), None, np.ones(4), batch_size=2)
                   .get_numpy_iterator())
    assert isinstance(dropped, np.ndarray)


def test_float_arrays_are_cast_to_floatx_and_ints_kept():
    x = np.zeros((3, 1), "float64")
    y = np.zeros(3, "int64")
    bx, by = next(ArrayDataAdapter(x, y).get_numpy_iterator())
    assert str(bx.dtype) == floatx() and by.dtype == np.int64


def test_shuffle_true_uses_one_numpy_permutation_per_pass():
    x = np.arange(10)
    adapter = ArrayDataAdapter(x, batch_size=4, shuffle=True)
    np.random.seed(3)
    first = np.concatenate(list(adapter.get_numpy_iterator()))
    second = np.concatenate(list(adapter.get_numpy_iterator()))
    np.random.seed(3)
    assert first.tolist() == np.random.permutation(10).tolist()
    assert second.tolist() == np.random.permutation(10).tolist()


def test_shuffle_batch_keeps_batch_contents():
    x = np.arange(10)
    np.random.seed(0)
    batches = list(ArrayDataAdapter(x, batch_size=4, shuffle="batch").get_numpy_iterator())
    assert [sorted(b.tolist()) for b in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    np.random.seed(0)
    assert batches[0].tolist() == (np.random.permutation(4)).tolist()


def test_not_shuffled_batches_are_views():
    x = np.arange(10.0, dtype=floatx())
    batch = next(ArrayDataAdapter(x, batch_size=4).get_numpy_iterator())
    assert np.shares_memory(batch, x)


def test_none_leaves_keep_their_slot():
    x = {"a": np.arange(4), "b": None}
    batch = next(ArrayDataAdapter(x, batch_size=2).get_numpy_iterator())
    assert batch["b"] is None and batch["a"].tolist() == [0, 1]


def test_jax_and_tf_inputs_become_numpy():
    import jax.numpy as jnp
    import tensorflow as tf
    for x in (jnp.arange(6).reshape(3, 2), tf.reshape(tf.range(6), (3, 2))):
        batch = next(get_data_adapter(x, batch_size=2).get_numpy_iterator())
        assert isinstance(batch, np.ndarray) and batch.tolist() == [[0, 1], [2, 3]]


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"x": np.zeros(3), "y": np.zeros(4)}, "Data cardinality is ambiguous"),
    ({"x": "text"}, "Unrecognized data type"),
    ({"x": [1, 2, 3]}, "Unrecognized data type"),
])
def test_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        get_data_adapter(**kwargs)


def test_tf_dataset_of_arrays_gives_the_same_batches():
    x, y = np.arange(10).reshape(5, 2), np.arange(5)
    adapter = ArrayDataAdapter(x, y, batch_size=2)
    from_tf = [(a.numpy().tolist(), b.numpy().tolist()) for a, b in adapter.get_tf_dataset()]
    from_np = [(a.tolist(), b.tolist()) for a, b in adapter.get_numpy_iterator()]
    assert from_tf == from_np


def test_tf_dataset_of_arrays_shuffles_each_iteration():
    adapter = ArrayDataAdapter(np.arange(50), batch_size=50, shuffle=True)
    dataset = adapter.get_tf_dataset()
    # One pipeline repeated: each pass reshuffles, whatever global seed earlier tests set.
    orders = [batch.numpy().tolist() for batch in dataset.repeat(3)]
    assert all(sorted(o) == list(range(50)) for o in orders)
    assert len({tuple(o) for o in orders}) > 1
