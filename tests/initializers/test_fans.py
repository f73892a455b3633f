"""compute_fans, from first principles."""

import pytest

from refkeras.initializers.fans import compute_fans


@pytest.mark.parametrize("shape, fans", [
    ((), (1, 1)),
    ((5,), (5, 5)),
    ((3, 7), (3, 7)),
    ((3, 3, 16, 32), (144, 288)),
    ((2, 4, 5), (8, 10)),
])
def test_inferred_layouts(shape, fans):
    assert compute_fans(shape) == fans


def test_explicit_axes_multiply_sizes():
    assert compute_fans((2, 3, 4, 5), input_axes=[0, 2], output_axes=[-1]) == (8, 5)


def test_one_axis_list_alone_is_ignored():
    assert compute_fans((2, 3), input_axes=[1]) == (2, 3)


def test_returns_python_ints():
    fans = compute_fans([2, 3])
    assert all(type(f) is int for f in fans)
