"""Loading (rules saving.load.*): round trips, all-or-nothing, skip_mismatch, legacy files."""

from __future__ import annotations

import builtins
import warnings

import h5py
import numpy as np
import pytest

from refkeras.layers import Dense
from refkeras.models import Sequential
from refkeras.saving import load_model, load_weights, save_model, save_weights
from tests.saving.helpers import (
    assert_weights,
    built_block,
    functional,
    mlp,
    randomize,
    weights_of,
)

DATA = np.random.default_rng(0).standard_normal((5, 4)).astype("float32")


def test_keras_round_trip_functional(tmp_path):
    model = functional()
    randomize(model)
    path = str(tmp_path / "f.keras")
    save_model(model, path)
    loaded = load_model(path)
    assert type(loaded).__name__ == "Functional"
    assert [x.name for x in loaded.layers] == [x.name for x in model.layers]
    for a, b in zip(loaded(DATA), model(DATA)):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


def test_weights_round_trip_of_a_layer_with_nested_sub_layers(tmp_path):
    block = built_block()
    saved = randomize(block)
    path = str(tmp_path / "b.weights.h5")
    save_weights(block, path)
    other = built_block()
    load_weights(other, path)
    assert_weights(other, saved)


def test_load_weights_from_a_keras_file(tmp_path):
    model = mlp()
    saved = randomize(model)
    save_model(model, str(tmp_path / "m.keras"))
    target = mlp()
    load_weights(target, str(tmp_path / "m.keras"))
    assert_weights(target, saved)


def _tamper(path, group, value=None):
    with h5py.File(path, "a") as f:
        del f[group]
        if value is not None:
            f[group] = value


@pytest.mark.parametrize("damage", ["shape", "missing_dataset", "missing_group", "extra"])
def test_failed_load_changes_no_variable(tmp_path, damage):
    path = str(tmp_path / "m.weights.h5")
    model = mlp((3, 2, 2))
    randomize(model)
    save_weights(model, path)
    # The last layer is damaged; the first two would load fine on their own.
    if damage == "shape":
        _tamper(path, "layers/dense_2/vars/0", np.zeros((2, 5), "float32"))
    elif damage == "missing_dataset":
        _tamper(path, "layers/dense_2/vars/1")
    elif damage == "missing_group":
        _tamper(path, "layers/dense_2")
    else:
        with h5py.File(path, "a") as f:
            f["layers/dense_2/vars/2"] = np.zeros((2,), "float32")
    target = mlp((3, 2, 2))
    before = randomize(target, seed=3)
    with pytest.raises(ValueError, match="1 objects could not be loaded. No variable was"):
        load_weights(target, path)
    assert_weights(target, before)


def test_skip_mismatch_loads_the_rest_and_warns(tmp_path):
    path = str(tmp_path / "m.weights.h5")
    model = mlp((3, 2))
    saved = randomize(model)
    save_weights(model, path)
    target = mlp((3, 5))
    before = randomize(target, seed=1)
    with pytest.warns(UserWarning, match="1 objects could not be loaded"):
        load_weights(target, path, skip_mismatch=True)
    after = weights_of(target)
    np.testing.assert_array_equal(after[0], saved[0])
    np.testing.assert_array_equal(after[1], saved[1])
    np.testing.assert_array_equal(after[2], before[2])
    np.testing.assert_array_equal(after[3], before[3])


def test_missing_nested_container_groups_only_warn(tmp_path):
    path = str(tmp_path / "b.weights.h5")
    block = built_block()
    randomize(block)
    save_weights(block, path)
    _tamper(path, "stack/container")  # as written by Keras before 3.15
    target = built_block()
    before = weights_of(target)
    with pytest.warns(UserWarning, match="Skipping 'stack/container/dense'"):
        load_weights(target, path)
    s1 = target.stack[1][0].kernel
    index = next(i for i, w in enumerate(target.weights) if w is s1)
    np.testing.assert_array_equal(weights_of(target)[index], before[index])
    assert not np.array_equal(weights_of(target)[0], before[0])


def test_argument_checks(tmp_path):
    unbuilt = Sequential([Dense(2)])
    with pytest.raises(ValueError, match="has not yet been built"):
        load_weights(unbuilt, str(tmp_path / "m.weights.h5"))
    with pytest.raises(ValueError, match="has not yet been built"):
        save_weights(unbuilt, str(tmp_path / "m.weights.h5"))
    with pytest.warns(UserWarning, match="has not yet been built"):
        save_model(unbuilt, str(tmp_path / "unbuilt.keras"))
    model = mlp()
    with pytest.raises(ValueError, match=r"must end in `\.weights\.h5`"):
        save_weights(model, str(tmp_path / "m.h5"))
    with pytest.raises(ValueError, match="legacy HDF5"):
        save_model(model, str(tmp_path / "m.h5"))
    with pytest.raises(ValueError, match="Invalid filepath extension"):
        save_model(model, str(tmp_path / "m.zip"))
    with pytest.raises(ValueError, match="not supported: \\['bogus'\\]"):
        save_model(model, str(tmp_path / "m.keras"), bogus=1)
    with pytest.raises(ValueError, match="File format not supported"):
        load_weights(model, str(tmp_path / "m.npz"))
    with pytest.raises(ValueError, match="Invalid keyword arguments"):
        load_weights(model, str(tmp_path / "m.weights.h5"), bogus=1)
    with pytest.raises(ValueError, match="objects_to_skip"):
        load_weights(model, str(tmp_path / "m.keras"), objects_to_skip=[])
    with pytest.raises(NotImplementedError, match="max_shard_size"):
        save_weights(model, str(tmp_path / "m.weights.h5"), max_shard_size=1)


def test_objects_to_skip(tmp_path):
    path = str(tmp_path / "m.weights.h5")
    model = mlp()
    saved = randomize(model)
    save_weights(model, path, objects_to_skip=[model.layers[0]])
    with h5py.File(path, "r") as f:
        assert "layers/dense" not in f and "layers/dense_1/vars/0" in f
    target = mlp()
    before = randomize(target, seed=2)
    load_weights(target, path, objects_to_skip=[target.layers[0]])
    after = weights_of(target)
    np.testing.assert_array_equal(after[0], before[0])
    np.testing.assert_array_equal(after[2], saved[2])


def test_overwrite_false_asks_first(tmp_path, monkeypatch):
    path = str(tmp_path / "m.weights.h5")
    model = mlp()
    first = randomize(model)
    save_weights(model, path)
    randomize(model, seed=7)
    answers = iter(["maybe", "n"])
    monkeypatch.setattr(builtins, "input", lambda prompt="": next(answers))
    save_weights(model, path, overwrite=False)
    target = mlp()
    load_weights(target, path)
    assert_weights(target, first)
    monkeypatch.setattr(builtins, "input", lambda prompt="": "y")
    second = weights_of(model)
    save_weights(model, path, overwrite=False)
    load_weights(target, path)
    assert_weights(target, second)


def test_no_warnings_on_a_clean_round_trip(tmp_path):
    model = mlp()
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        save_model(model, str(tmp_path / "m.keras"))
        load_model(str(tmp_path / "m.keras"))
