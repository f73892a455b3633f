"""Differential tests of training state in model files: optimizer variables and the
compile configuration, refkeras against upstream keras 3.15.1.

Until refkeras has ``Model.compile``, models get their optimizer by assignment
(``model.optimizer = Adam()``), built on the trainable variables and stepped
by hand: both libraries accept that, and it is the state ``fit`` leaves behind.
Tests that need ``compile`` skip while the library under test lacks it.
"""

from __future__ import annotations

import json
import os
import tempfile
import warnings
import zipfile

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import refkeras.saving  # noqa: F401  (makes refkeras.saving an attribute of refkeras)
from conformance.model_recipes import kit, reset_names
from conformance.optimizer_support import optimizer_case
from conformance.test_saving import _h5_layout
from conformance.tolerances import assert_close

spec = pytest.mark.spec


def _model(lib):
    """Input (4,) -> Dense "a" (3) -> Dense "b" (2), distinct random weights."""
    k = kit(lib)
    reset_names(lib)
    model = k.Sequential([k.Input((4,)), k.Dense(3, name="a"), k.Dense(2, name="b")])
    rng = np.random.default_rng(0)
    model.set_weights([rng.standard_normal(np.shape(w)).astype("float32")
                       for w in model.get_weights()])
    return model


def _with_optimizer(lib, make_optimizer, steps: int):
    """A model whose built optimizer has taken ``steps`` fixed gradient steps."""
    model = _model(lib)
    model.optimizer = make_optimizer(lib)
    model.optimizer.build(model.trainable_variables)
    rng = np.random.default_rng(1)
    for _ in range(steps):
        grads = [rng.standard_normal(tuple(v.shape)).astype("float32")
                 for v in model.trainable_variables]
        model.optimizer.apply(grads, model.trainable_variables)
    return model


def _values(optimizer) -> list:
    return [np.asarray(v.numpy()) for v in optimizer.variables]


def _assert_same_state(a: list, b: list) -> None:
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert x.dtype == y.dtype
        assert_close(x, y, "exact")


def _case_factory(case):
    name, kwargs = case
    return lambda lib: getattr(lib.optimizers, name)(**kwargs)


@spec("saving.optimizer.path", "saving.optimizer.datasets", "saving.optimizer.interop",
      "saving.weights.interop")
@given(case=optimizer_case(), steps=st.integers(1, 3))
def test_optimizer_state_interop(impl, upstream, case, steps):
    make = _case_factory(case)
    with tempfile.TemporaryDirectory() as tmp:
        layouts = []
        for writer, reader in ((impl, upstream), (upstream, impl)):
            source = _with_optimizer(writer, make, steps)
            h5_path = os.path.join(tmp, f"{writer.__name__}.weights.h5")
            keras_path = os.path.join(tmp, f"{writer.__name__}.keras")
            writer.saving.save_weights(source, h5_path)
            writer.saving.save_model(source, keras_path)
            layouts.append(_h5_layout(h5_path))
            for path in (h5_path, keras_path):
                target = _with_optimizer(reader, make, 0)
                reader.saving.load_weights(target, path)
                _assert_same_state(_values(target.optimizer), _values(source.optimizer))
                for a, b in zip(target.get_weights(), source.get_weights()):
                    assert_close(np.asarray(a), np.asarray(b), "exact")
    assert layouts[0] == layouts[1]
    assert any(entry[1] == "optimizer/vars/0" for entry in layouts[0])


def _loss_scale_optimizer(lib):
    return lib.optimizers.LossScaleOptimizer(lib.optimizers.Adam(learning_rate=0.01),
                                             initial_scale=8.0)


def _fill(optimizer) -> None:
    """Distinct values in every optimizer variable (upstream's eager LossScaleOptimizer
    step fails on JAX, so its state is written directly)."""
    rng = np.random.default_rng(2)
    for i, variable in enumerate(optimizer.variables):
        dtype = np.asarray(variable.numpy()).dtype
        if np.issubdtype(dtype, np.integer):
            variable.assign(np.asarray(i + 3, dtype))
        else:
            variable.assign(rng.standard_normal(tuple(variable.shape)).astype(dtype))


@spec("saving.optimizer.nested", "saving.optimizer.interop")
def test_loss_scale_optimizer_nesting(impl, upstream):
    """The wrapper stores all its variables (inner ones included) at ``optimizer/vars``
    and the inner optimizer's again at ``optimizer/inner_optimizer/vars``."""
    with tempfile.TemporaryDirectory() as tmp:
        layouts, sources = [], {}
        for lib in (upstream, impl):
            source = _with_optimizer(lib, _loss_scale_optimizer, 0)
            _fill(source.optimizer)
            path = os.path.join(tmp, f"{lib.__name__}.weights.h5")
            lib.saving.save_weights(source, path)
            layouts.append(_h5_layout(path))
            sources[lib.__name__] = (source, path)
        assert layouts[0] == layouts[1]
        paths = {entry[1] for entry in layouts[0]}
        assert {"optimizer/vars/13", "optimizer/inner_optimizer/vars/9"} <= paths
        for reader, writer in ((impl, upstream), (upstream, impl)):
            source, path = sources[writer.__name__]
            target = _with_optimizer(reader, _loss_scale_optimizer, 0)
            reader.saving.load_weights(target, path)
            _assert_same_state(_values(target.optimizer), _values(source.optimizer))


def _warnings_of(action, *args) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        action(*args)
    return [str(w.message) for w in caught]


@spec("saving.optimizer.unbuilt")
def test_unbuilt_optimizer_skips_state_with_a_warning(impl, upstream):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "state.weights.h5")
        upstream.saving.save_weights(
            _with_optimizer(upstream, lambda lib: lib.optimizers.Adam(), 1), path)
        messages = {}
        for lib in (upstream, impl):
            target = _model(lib)
            target.optimizer = lib.optimizers.Adam()  # not built: 2 variables, file has 10
            found = _warnings_of(lib.saving.load_weights, target, path)
            messages[lib.__name__] = [m for m in found if "Skipping variable loading" in m]
            assert int(np.asarray(target.optimizer.iterations.numpy())) == 0
            # Without an optimizer the stored state is simply not read.
            assert not [m for m in _warnings_of(lib.saving.load_weights, _model(lib), path)
                        if "optimizer" in m]
        ours, theirs = messages[impl.__name__], messages[upstream.__name__]
        assert len(ours) == len(theirs) == 1
        assert "has 2 variables whereas the saved optimizer has 10 variables" in ours[0]


# --- compile ---------------------------------------------------------------------------------
def _requires_compile(lib) -> None:
    if not hasattr(lib.Model, "compile"):
        pytest.skip(f"{lib.__name__}.Model has no compile() yet")


def _compiled(lib):
    model = _model(lib)
    model.compile(optimizer=lib.optimizers.Adam(learning_rate=0.01), loss="mse")
    x = np.random.default_rng(3).standard_normal((8, 4)).astype("float32")
    y = np.random.default_rng(4).standard_normal((8, 2)).astype("float32")
    model.fit(x, y, batch_size=4, epochs=1, verbose=0, shuffle=False)
    return model


def _compile_config(path: str) -> dict:
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read("config.json")).get("compile_config")


@spec("saving.compile.written", "saving.compile.restored", "saving.optimizer.built_on_load",
      "saving.optimizer.interop")
def test_compiled_model_round_trip(impl, upstream):
    _requires_compile(impl)
    with tempfile.TemporaryDirectory() as tmp:
        configs = []
        for writer, reader in ((impl, upstream), (upstream, impl)):
            source = _compiled(writer)
            path = os.path.join(tmp, f"{writer.__name__}.keras")
            writer.saving.save_model(source, path)
            configs.append(_compile_config(path))
            loaded = reader.saving.load_model(path)
            assert loaded.compiled
            assert type(loaded.optimizer).__name__ == "Adam"
            assert loaded.optimizer.built
            _assert_same_state(_values(loaded.optimizer), _values(source.optimizer))
            uncompiled = reader.saving.load_model(path, compile=False)
            assert not getattr(uncompiled, "compiled", False)
        for config in configs:
            config["optimizer"]["config"].pop("name")
        assert configs[0] == configs[1]


@spec("saving.compile.written")
def test_uncompiled_model_writes_empty_compile_config(impl, upstream):
    with tempfile.TemporaryDirectory() as tmp:
        found = []
        for lib in (upstream, impl):
            path = os.path.join(tmp, f"{lib.__name__}.keras")
            lib.saving.save_model(_model(lib), path)
            found.append(_compile_config(path))
    assert found[0] == found[1] == {}
