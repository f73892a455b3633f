"""Shape rules of ``refkeras.ops.shapes``, checked against NumPy and hand-worked cases."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from refkeras.ops import shapes
from refkeras.ops.indexing import getitem_shape

small_shapes = st.lists(st.integers(1, 4), max_size=4).map(tuple)


@given(small_shapes, small_shapes)
def test_broadcast_agrees_with_numpy_on_known_sizes(a, b):
    try:
        expected = np.broadcast_shapes(a, b)
    except ValueError:
        with pytest.raises(ValueError, match="Cannot broadcast shape"):
            shapes.broadcast_shapes(a, b)
        return
    assert shapes.broadcast_shapes(a, b) == expected


@pytest.mark.parametrize("a, b, expected", [
    ((None, 3), (1, 3), (None, 3)),
    ((None, 3), (5, 3), (5, 3)),        # unknown meets known: takes the known size
    ((5, None), (5, 1), (5, None)),
    ((None,), (None,), (None,)),
    ((2, 3), (), (2, 3)),                # a scalar broadcasts everywhere
    ((4, 1, None), (7, 1), (4, 7, None)),
])
def test_broadcast_with_unknown_sizes(a, b, expected):
    assert shapes.broadcast_shapes(a, b) == expected


@given(small_shapes, st.data())
def test_reduce_shape_agrees_with_numpy(shape, data):
    x = np.zeros(shape)
    keepdims = data.draw(st.booleans())
    axis = data.draw(st.none() | st.lists(st.integers(-len(shape), len(shape) - 1),
                                          min_size=1, max_size=len(shape) or 1, unique_by=lambda a: a % max(len(shape), 1))
                     .map(tuple)) if shape else None
    expected = np.sum(x, axis=axis, keepdims=keepdims).shape
    assert shapes.reduce_shape(shape, axis=axis, keepdims=keepdims) == expected


def test_reduce_shape_rejects_out_of_range_axis():
    with pytest.raises(ValueError, match="axis 2 is out of bounds for an array with dimension 2"):
        shapes.reduce_shape((3, 4), axis=2)


@given(st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple),
       st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple))
def test_matmul_shape_agrees_with_numpy(a, b):
    try:
        expected = np.matmul(np.zeros(a), np.zeros(b)).shape
    except ValueError:
        with pytest.raises(ValueError):
            shapes.matmul_shape(a, b)
        return
    assert shapes.matmul_shape(a, b) == expected


def test_matmul_shape_with_unknown_sizes():
    assert shapes.matmul_shape((None, 2, 3), (3, None)) == (None, 2, None)
    assert shapes.matmul_shape((None,), (None, 5)) == (5,)
    with pytest.raises(ValueError, match="Inner dimensions"):
        shapes.matmul_shape((2, 3), (4, 5))


@given(st.lists(st.integers(1, 3), min_size=1, max_size=3).map(tuple),
       st.lists(st.integers(1, 3), min_size=1, max_size=3).map(tuple))
def test_dot_shape_agrees_with_numpy(a, b):
    if len(a) == 1 and len(b) == 1:
        # Two vectors always give a scalar: the length check is left to the kernel.
        assert shapes.dot_shape(a, b) == ()
        return
    try:
        expected = np.dot(np.zeros(a), np.zeros(b)).shape
    except ValueError:
        with pytest.raises(ValueError, match="Shape must match"):
            shapes.dot_shape(a, b)
        return
    assert shapes.dot_shape(a, b) == expected


@pytest.mark.parametrize("shape, target, expected", [
    ((2, 6), (3, -1), (3, 4)),
    ((2, 6), (-1,), (12,)),
    ((None, 6), (-1, 3), (None, 3)),     # -1 unsolvable with an unknown input size
    ((2, 6), (None, 4), (None, 4)),
    ((2, 3), 6, None),
])
def test_reshape_shape(shape, target, expected):
    target = (target,) if isinstance(target, int) else target
    expected = (6,) if expected is None else expected
    assert shapes.reshape_shape(shape, target) == expected


@pytest.mark.parametrize("shape, target, message", [
    ((2, 6), (5, -1), "cannot by divided"),
    ((2, 6), (5, 2), "total size of the tensor must be unchanged"),
    ((2, 6), (-1, -1), "at most one unknown dimension"),
    ((2, 6), (-2, 6), "non-negative integer"),
])
def test_reshape_shape_errors(shape, target, message):
    with pytest.raises(ValueError, match=message):
        shapes.reshape_shape(shape, target)


@given(small_shapes, st.data())
def test_transpose_expand_squeeze_agree_with_numpy(shape, data):
    x = np.zeros(shape)
    perm = data.draw(st.permutations(range(len(shape))))
    assert shapes.transpose_shape(shape, tuple(perm)) == np.transpose(x, perm).shape
    assert shapes.transpose_shape(shape) == x.T.shape
    axis = data.draw(st.integers(-len(shape) - 1, len(shape)))
    assert shapes.expand_dims_shape(shape, axis) == np.expand_dims(x, axis).shape
    assert shapes.squeeze_shape(shape) == np.squeeze(x).shape


def test_transpose_and_squeeze_errors():
    with pytest.raises(ValueError, match="no duplicates"):
        shapes.transpose_shape((2, 3), (0, 0))
    with pytest.raises(ValueError, match="same length"):
        shapes.transpose_shape((2, 3), (0,))
    with pytest.raises(ValueError, match="Cannot squeeze axis 0"):
        shapes.squeeze_shape((2, 1), 0)
    with pytest.raises(ValueError, match="Cannot squeeze"):
        shapes.squeeze_shape((None, 1), 0)  # unknown is not known to be 1


def test_concatenate_and_stack_shapes():
    assert shapes.concatenate_shape([(2, 3), (None, 5), (2, 1)], axis=-1) == (2, 9)
    assert shapes.concatenate_shape([(2, 3), (4, None)], axis=0) == (6, 3)
    assert shapes.concatenate_shape([(2, None), (2, 3)], axis=1) == (2, None)
    assert shapes.stack_shape([(2, 3), (None, 3), (2, 3)], axis=1) == (2, 3, 3)
    with pytest.raises(ValueError, match="same shape except on the `axis` dim"):
        shapes.concatenate_shape([(2, 3), (3, 3)], axis=1)
    with pytest.raises(ValueError, match="must have the same shape"):
        shapes.stack_shape([(2, 3), (3,)], axis=0)


KEYS = [0, -1, (0, 1), (slice(1, None),), (slice(None), None), (Ellipsis, 0), (None, Ellipsis, 1),
        (slice(None, None, -1), Ellipsis), (1, slice(0, 5, 2), None)]


@pytest.mark.parametrize("key", KEYS, ids=repr)
def test_getitem_shape_agrees_with_numpy(key):
    x = np.zeros((3, 4, 5))
    assert getitem_shape(x.shape, key) == x[key].shape


def test_getitem_shape_with_unknown_sizes_and_errors():
    assert getitem_shape((None, 5, 4), (0, slice(1, None), None)) == (4, 1, 4)
    assert getitem_shape((None, 5), (slice(2, None), 1)) == (None,)
    with pytest.raises(ValueError, match="out-of-bounds index"):
        getitem_shape((3,), 3)
    with pytest.raises(ValueError, match="to many indices"):
        getitem_shape((3,), (0, 0))
    with pytest.raises(ValueError, match="Unsupported key type"):
        getitem_shape((3,), slice(1, None))  # a bare slice must come inside a tuple
    with pytest.raises(ValueError, match="only have one ellipsis"):
        getitem_shape((3,), (Ellipsis, Ellipsis))
