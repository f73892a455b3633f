"""The training configuration in `.keras` files (rules saving.compile.*,
saving.optimizer.built_on_load)."""

from __future__ import annotations

import json
import warnings
import zipfile

import numpy as np
import pytest

import refkeras
from refkeras.backend import naming
from refkeras.layers import Dense, Input, Layer
from refkeras.models import Sequential
from refkeras.optimizers import Adam
from refkeras.saving import load_model, save_model
from tests.saving.helpers import mlp, randomize


class Compilable(Sequential):
    """Compiles itself from ``{"learning_rate": ...}``; its optimizer is left unbuilt,
    so the loader has to build it before the weights are read."""

    def get_compile_config(self) -> dict:
        if getattr(self, "compiled", False):
            return {"learning_rate": float(np.asarray(self.optimizer.learning_rate))}
        return {}

    def compile_from_config(self, config: dict) -> None:
        self.optimizer = Adam(learning_rate=config["learning_rate"])


def _compilable_with_state() -> Compilable:
    naming.reset_names()
    model = Compilable([Input((4,)), Dense(3), Dense(2)])
    randomize(model)
    model.compile_from_config({"learning_rate": 0.25})
    model.compiled = True
    model.optimizer.build(model.trainable_variables)
    rng = np.random.default_rng(2)
    model.optimizer.apply([rng.standard_normal(tuple(v.shape)).astype("float32")
                           for v in model.trainable_variables], model.trainable_variables)
    return model


def _config(path) -> dict:
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read("config.json"))


def test_compile_config_written_and_optimizer_built_before_weights(tmp_path):
    source = _compilable_with_state()
    path = tmp_path / "c.keras"
    save_model(source, path)
    assert _config(path)["compile_config"] == {"learning_rate": 0.25}
    loaded = load_model(path, custom_objects={"Compilable": Compilable})
    assert loaded.compiled
    assert loaded.optimizer.built
    assert len(loaded.optimizer.variables) == 10  # built before the state was read
    for a, b in zip(loaded.optimizer.variables, source.optimizer.variables):
        np.testing.assert_array_equal(np.asarray(a.numpy()), np.asarray(b.numpy()))
    assert int(loaded.optimizer.iterations.numpy()) == 1


def test_compile_false_skips_compile_from_config(tmp_path):
    path = tmp_path / "c.keras"
    save_model(_compilable_with_state(), path)
    loaded = load_model(path, custom_objects={"Compilable": Compilable}, compile=False)
    assert not getattr(loaded, "compiled", False)
    assert getattr(loaded, "optimizer", None) is None


def test_uncompiled_model_writes_an_empty_compile_config(tmp_path):
    path = tmp_path / "m.keras"
    save_model(mlp(), path)
    assert _config(path)["compile_config"] == {}


def test_errors_from_compile_from_config_propagate(tmp_path):
    path = tmp_path / "c.keras"
    save_model(_compilable_with_state(), path)

    class Broken(Compilable):
        def compile_from_config(self, config):
            raise TypeError("Could not locate class 'NopeLoss'")

    with pytest.raises(TypeError, match="NopeLoss"):
        load_model(path, custom_objects={"Compilable": Broken})


class Plain(Layer):
    """A layer saved as a `.keras` file: it has no `compile_from_config`."""

    def build(self, input_shape):
        self.w = self.add_weight(shape=(2,), initializer="ones", name="w")

    def call(self, x):
        return x * self.w


def test_compile_config_without_compile_from_config_warns(tmp_path):
    layer = Plain(name="plain")
    layer(np.ones((1, 2), "float32"))
    path = tmp_path / "p.keras"
    save_model(layer, path)
    # Give the file a training configuration the class cannot take.
    parts = {}
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            parts[info.filename] = zf.read(info.filename)
    config = json.loads(parts["config.json"])
    config["compile_config"] = {"loss": "mse"}
    parts["config.json"] = json.dumps(config).encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    with pytest.warns(UserWarning, match="compile_config.*no `compile_from_config"):
        loaded = load_model(path, custom_objects={"Plain": Plain})
    assert not getattr(loaded, "compiled", False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_model(path, custom_objects={"Plain": Plain}, compile=False)


# --- with refkeras's own compile (skipped until the Trainer lands) ---------------------------
requires_compile = pytest.mark.skipif(not hasattr(refkeras.Model, "compile"),
                                      reason="refkeras.Model has no compile() yet")


@requires_compile
def test_compiled_model_round_trip(tmp_path):
    model = mlp()
    randomize(model)
    model.compile(optimizer=Adam(learning_rate=0.01), loss="mse")
    x = np.random.default_rng(3).standard_normal((8, 4)).astype("float32")
    y = np.random.default_rng(4).standard_normal((8, 2)).astype("float32")
    model.fit(x, y, batch_size=4, epochs=1, verbose=0, shuffle=False)
    path = tmp_path / "m.keras"
    save_model(model, path)
    assert _config(path)["compile_config"]["loss"] == "mse"
    loaded = load_model(path)
    assert loaded.compiled
    assert type(loaded.optimizer) is Adam and loaded.optimizer.built
    for a, b in zip(loaded.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(np.asarray(a.numpy()), np.asarray(b.numpy()))
    assert int(loaded.optimizer.iterations.numpy()) == 2
    assert not load_model(path, compile=False).compiled
