"""Optimizer state in weight files (rules saving.optimizer.*)."""

from __future__ import annotations

import warnings

import h5py
import numpy as np
import pytest

from refkeras import backend
from refkeras.optimizers import SGD, Adam, LossScaleOptimizer
from refkeras.saving import load_model, load_weights, save_model, save_weights
from tests.saving.helpers import mlp, randomize

# First principles: the optimizer counts steps in an int64 on TensorFlow, int32 on JAX.
ITERATION_DTYPE = "int64" if backend.backend() == "tensorflow" else "int32"


def _stepped(optimizer, steps: int = 2):
    model = mlp()
    randomize(model)
    model.optimizer = optimizer
    optimizer.build(model.trainable_variables)
    rng = np.random.default_rng(1)
    for _ in range(steps):
        optimizer.apply([rng.standard_normal(tuple(v.shape)).astype("float32")
                         for v in model.trainable_variables], model.trainable_variables)
    return model


def _values(optimizer) -> list:
    return [np.asarray(v.numpy()) for v in optimizer.variables]


def _datasets(path: str) -> dict:
    found = {}

    def visit(name, obj):  # returns None: a value would stop `visititems`
        found[name] = obj[()] if isinstance(obj, h5py.Dataset) else dict(obj.attrs)

    with h5py.File(path, "r") as f:
        f.visititems(visit)
    return found


def test_adam_state_layout(tmp_path):
    model = _stepped(Adam(learning_rate=0.5, name="opt"), steps=3)
    path = str(tmp_path / "m.weights.h5")
    save_weights(model, path)
    stored = _datasets(path)
    assert stored["optimizer/vars"] == {"name": "opt"}
    # iteration, learning_rate, then (momentum, velocity) for 4 trainable variables.
    assert sorted(k for k in stored if k.startswith("optimizer/vars/")) == sorted(
        f"optimizer/vars/{i}" for i in range(10))
    assert stored["optimizer/vars/0"] == 3
    assert stored["optimizer/vars/0"].dtype == ITERATION_DTYPE
    assert stored["optimizer/vars/1"] == np.float32(0.5)
    assert stored["optimizer/vars/2"].shape == (4, 3)  # the first kernel's momentum
    assert stored["optimizer/vars/9"].shape == (2,)  # the last bias's velocity
    # The model's own weights are not duplicated into the optimizer group.
    assert "layers/dense/vars/0" in stored


@pytest.mark.parametrize("suffix", [".weights.h5", ".keras"])
def test_state_round_trip(tmp_path, suffix):
    source = _stepped(SGD(learning_rate=0.1, momentum=0.9))
    path = str(tmp_path / f"m{suffix}")
    (save_weights if suffix == ".weights.h5" else save_model)(source, path)
    target = _stepped(SGD(learning_rate=0.1, momentum=0.9), steps=0)
    load_weights(target, path)
    for a, b in zip(_values(target.optimizer), _values(source.optimizer)):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)
    assert int(target.optimizer.iterations.numpy()) == 2


def test_loss_scale_optimizer_nests_the_inner_optimizer(tmp_path):
    def make():
        return LossScaleOptimizer(Adam(), initial_scale=4.0)

    source = _stepped(make(), steps=1)
    path = str(tmp_path / "m.weights.h5")
    save_weights(source, path)
    stored = _datasets(path)
    # 4 own variables + Adam's 10 in the wrapper's group; Adam's 10 again nested.
    assert sum(k.startswith("optimizer/vars/") for k in stored) == 14
    assert sum(k.startswith("optimizer/inner_optimizer/vars/") for k in stored) == 10
    assert stored["optimizer/vars/3"] == np.float32(4.0)  # dynamic_scale: finite step
    target = _stepped(make(), steps=0)
    load_weights(target, path)
    for a, b in zip(_values(target.optimizer), _values(source.optimizer)):
        np.testing.assert_array_equal(a, b)


def test_unbuilt_optimizer_keeps_its_values_and_warns(tmp_path):
    path = str(tmp_path / "m.weights.h5")
    save_weights(_stepped(Adam()), path)
    target = mlp()
    target.optimizer = Adam(name="fresh")
    with pytest.warns(UserWarning, match="Skipping variable loading for optimizer 'fresh', "
                      "because it has 2 variables whereas the saved optimizer has 10"):
        load_weights(target, path)
    assert int(target.optimizer.iterations.numpy()) == 0
    assert not target.optimizer.built


def test_state_is_ignored_without_an_optimizer(tmp_path):
    path = str(tmp_path / "m.weights.h5")
    source = _stepped(Adam())
    save_weights(source, path)
    target = mlp()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_weights(target, path)
    for a, b in zip(target.get_weights(), source.get_weights()):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


def test_load_model_without_compile_leaves_the_state_unread(tmp_path):
    path = str(tmp_path / "m.keras")
    save_model(_stepped(Adam()), path)
    loaded = load_model(path, compile=False)
    assert getattr(loaded, "optimizer", None) is None
