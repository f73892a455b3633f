"""``Model.export`` (rules saving.export.*): the reloaded ``serve`` endpoint returns
exactly what the model returns."""

from __future__ import annotations

import numpy as np
import pytest

from refkeras import backend
from refkeras.layers import Dense, InputSpec
from refkeras.models import Model
from tests.saving.helpers import functional, mlp, randomize

tf = pytest.importorskip("tensorflow")
DATA = np.random.default_rng(0).standard_normal((5, 4)).astype("float32")


def _served(model, path, data=DATA, **kwargs) -> list:
    model.export(str(path), verbose=False, **kwargs)
    loaded = tf.saved_model.load(str(path))
    return [np.asarray(x) for x in tf.nest.flatten(loaded.serve(data))]


def _direct(model, data=DATA) -> list:
    out = model(data)
    return [np.asarray(x) for x in (out if isinstance(out, (list, tuple)) else [out])]


@pytest.mark.parametrize("make", [mlp, functional])
def test_serve_returns_the_model_outputs_exactly(tmp_path, make):
    model = make()
    randomize(model)
    served = _served(model, tmp_path / "m")
    direct = _direct(model)
    assert len(served) == len(direct)
    for s, d in zip(served, direct):
        np.testing.assert_array_equal(s, d)
    # A batch of another size goes through the same (batch-polymorphic) function.
    for s, d in zip(_served(model, tmp_path / "m2", DATA[:2]), _direct(model, DATA[:2])):
        np.testing.assert_array_equal(s, d)


def test_variables_are_saved_not_baked_in(tmp_path):
    model = mlp()
    randomize(model)
    model.export(str(tmp_path / "m"), verbose=False)
    loaded = tf.saved_model.load(str(tmp_path / "m"))
    stored = sorted(tuple(v.shape) for v in loaded.exported_variables)
    assert stored == sorted(tuple(w.shape) for w in model.weights)


class Tower(Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.a = Dense(3)
        self.b = Dense(2)

    def call(self, x):
        return self.b(self.a(x))


def test_subclassed_model_uses_its_first_build_shapes(tmp_path):
    model = Tower()
    with pytest.raises(ValueError, match="has not yet been built"):
        model.export(str(tmp_path / "never"), verbose=False)
    model(DATA)
    for s, d in zip(_served(model, tmp_path / "m"), _direct(model)):
        np.testing.assert_array_equal(s, d)


def test_explicit_input_signature(tmp_path):
    model = mlp()
    served = _served(model, tmp_path / "m",
                     input_signature=[InputSpec(shape=(None, 4), dtype="float32")])
    np.testing.assert_array_equal(served[0], _direct(model)[0])


def test_verbose_prints_the_endpoint(tmp_path, capsys):
    mlp().export(str(tmp_path / "m"))
    printed = capsys.readouterr().out
    assert f"Saved artifact at '{tmp_path / 'm'}'" in printed
    assert "* Endpoint 'serve'" in printed
    assert "shape=(None, 4)" in printed


def test_format_and_argument_errors(tmp_path):
    model = mlp()
    with pytest.raises(ValueError, match="Unrecognized format=savedmodel"):
        model.export(str(tmp_path / "a"), format="savedmodel")
    with pytest.raises(NotImplementedError, match="format='onnx'"):
        model.export(str(tmp_path / "b"), format="onnx")
    with pytest.raises(ValueError, match="Torch export requires PyTorch backend"):
        model.export(str(tmp_path / "c"), format="torch")
    if backend.backend() == "jax":
        with pytest.raises(ValueError, match="LiteRT export requires"):
            model.export(str(tmp_path / "d"), format="litert")
    with pytest.raises(ValueError, match="is_static"):
        model.export(str(tmp_path / "e"), is_static=True)
    with pytest.raises(ValueError, match="shape` and `dtype` must be provided"):
        model.export(str(tmp_path / "f"), input_signature=[InputSpec(ndim=2)])
