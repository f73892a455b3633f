"""KerasTensor: description, immutability, and refusals of a placeholder."""

import copy

import pytest

from refkeras.graph import KerasTensor


def test_shape_dtype_and_name():
    x = KerasTensor([None, 3], dtype="int32", name="x")
    assert x.shape == (None, 3) and x.dtype == "int32" and x.ndim == 2 and x.name == "x"
    assert repr(x) == "<KerasTensor shape=(None, 3), dtype=int32, sparse=False, ragged=False, name=x>"


def test_shape_and_dtype_are_immutable():
    x = KerasTensor((2,))
    with pytest.raises(AttributeError, match="immutable"):
        x.shape = (3,)
    with pytest.raises(AttributeError, match="immutable"):
        x.dtype = "int32"


def test_invalid_construction():
    with pytest.raises(TypeError, match="Unexpected keyword arguments: foo"):
        KerasTensor((2,), foo=1)
    with pytest.raises(ValueError, match="`sparse=True` and `ragged=True`"):
        KerasTensor((2,), sparse=True, ragged=True)
    with pytest.raises(ValueError, match="Invalid dtype"):
        KerasTensor((2,), dtype="float33")


def test_placeholder_has_no_value():
    x = KerasTensor((2,))
    with pytest.raises(TypeError, match="cannot be used as a boolean"):
        bool(x)
    with pytest.raises(ValueError, match="convert it to an int"):
        int(x)
    with pytest.raises(NotImplementedError, match="Iterating"):
        iter(x)


def test_tensors_hash_by_identity():
    a, b = KerasTensor((2,)), KerasTensor((2,))
    assert len({a, b, a}) == 2 and a == a and not (a == b)


def test_other_attributes_and_masks_still_attach():
    from refkeras.layers.masking import get_keras_mask, set_keras_mask

    x = KerasTensor((None, 2))
    assert get_keras_mask(x) is None
    x.anything = 3
    set_keras_mask(x, "mask")
    assert (x.anything, get_keras_mask(x)) == (3, "mask")
    y = copy.deepcopy(x)
    assert (y.shape, y.anything, get_keras_mask(y)) == ((None, 2), 3, "mask")
