"""Differential tests of model files: refkeras against upstream keras 3.15.1.

- interop: a ``.keras`` or ``.weights.h5`` file written by one library is read
  by the other, and the model predicts bit-for-bit what the writer's did;
- layout: both libraries write the same h5 groups, datasets (shape, dtype),
  ``name`` attributes, zip members, and (parsed, without volatile keys) JSON;
- errors: files upstream refuses are refused with the same exception class.

Models come from ``conformance/model_recipes.py`` (random functional models and
Sequential stacks built the same way in both libraries).
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import warnings
import zipfile

import h5py
import numpy as np
import pytest
from hypothesis import given

import refkeras.saving  # noqa: F401  (makes refkeras.saving an attribute of refkeras)
from conformance.model_recipes import (
    build,
    build_sequential,
    feed,
    kit,
    model_recipes,
    reset_names,
    sequential_recipes,
)
from conformance.tolerances import assert_close

spec = pytest.mark.spec


# --- helpers --------------------------------------------------------------------------------
def _custom(lib):
    return {"PairMix": kit(lib).PairMix}


def _randomize(model, seed: int = 0) -> None:
    """Distinct, non-initializer values, so a file that loads nothing cannot pass."""
    rng = np.random.default_rng(seed)
    model.set_weights([rng.standard_normal(np.shape(w)).astype("float32")
                       for w in model.get_weights()])


def _predict(lib, model, data):
    return [np.asarray(x) for x in lib.tree.flatten(model(data))]


def _assert_same_predictions(a, b) -> None:
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert_close(x, y, "exact")


def _h5_layout(source) -> list:
    """Every group and dataset: path, attributes, and for datasets shape and dtype."""
    entries = []

    def visit(name, obj):
        attrs = {k: (v.decode() if isinstance(v, bytes) else str(v)) for k, v in obj.attrs.items()}
        if isinstance(obj, h5py.Dataset):
            entries.append(("dataset", name, obj.shape, str(obj.dtype), attrs))
        else:
            entries.append(("group", name, attrs))

    with h5py.File(source, "r") as f:
        f.visititems(visit)
    return sorted(entries)


def _strip_volatile(value):
    if isinstance(value, dict):
        return {k: _strip_volatile(v) for k, v in value.items() if k != "shared_object_id"}
    if isinstance(value, list):
        return [_strip_volatile(v) for v in value]
    return value


def _archive_parts(path: str) -> dict:
    with zipfile.ZipFile(path) as zf:
        return {
            "members": [(i.filename, i.compress_type) for i in zf.infolist()],
            "config": _strip_volatile(json.loads(zf.read("config.json"))),
            "metadata_keys": sorted(json.loads(zf.read("metadata.json"))),
            "h5": _h5_layout(io.BytesIO(zf.read("model.weights.h5"))),
        }


# --- .keras files across libraries ------------------------------------------------------------
@spec("saving.keras.interop", "saving.walk.functional_layers", "saving.h5.layer_paths")
@given(recipe=model_recipes(max_steps=5))
def test_keras_file_interop_functional(impl, upstream, recipe):
    data = feed(recipe, np.random.default_rng(1))
    with tempfile.TemporaryDirectory() as tmp:
        for writer, reader in ((impl, upstream), (upstream, impl)):
            model = build(writer, recipe)
            _randomize(model)
            path = os.path.join(tmp, f"{writer.__name__}.keras")
            writer.saving.save_model(model, path)
            loaded = reader.saving.load_model(path, custom_objects=_custom(reader))
            assert type(loaded).__name__ == "Functional"
            assert [x.name for x in loaded.layers] == [x.name for x in model.layers]
            for a, b in zip(loaded.get_weights(), model.get_weights()):
                assert_close(np.asarray(a), np.asarray(b), "exact")
            _assert_same_predictions(_predict(reader, loaded, data),
                                     _predict(writer, model, data))


@spec("saving.keras.interop", "saving.walk.functional_layers", "saving.h5.layer_paths")
@given(recipe=sequential_recipes())
def test_keras_file_interop_sequential(impl, upstream, recipe):
    data = np.random.default_rng(2).standard_normal((3, recipe.width)).astype("float32")
    with tempfile.TemporaryDirectory() as tmp:
        for writer, reader in ((impl, upstream), (upstream, impl)):
            model = build_sequential(writer, recipe)
            model(data)  # builds a stack without an Input
            _randomize(model)
            path = os.path.join(tmp, f"{writer.__name__}.keras")
            writer.saving.save_model(model, path)
            loaded = reader.saving.load_model(path)
            assert type(loaded).__name__ == "Sequential"
            _assert_same_predictions(_predict(reader, loaded, data),
                                     _predict(writer, model, data))


@spec("saving.h5.layer_paths", "saving.h5.vars_groups", "saving.h5.datasets",
      "saving.keras.members", "saving.keras.config_json", "saving.keras.metadata")
@given(recipe=model_recipes(max_steps=5))
def test_same_archive_layout(impl, upstream, recipe):
    with tempfile.TemporaryDirectory() as tmp:
        parts = []
        for lib in (upstream, impl):
            path = os.path.join(tmp, f"{lib.__name__}.keras")
            lib.saving.save_model(build(lib, recipe), path)
            parts.append(_archive_parts(path))
    theirs, ours = parts
    assert ours["members"] == theirs["members"]
    assert ours["metadata_keys"] == theirs["metadata_keys"] == ["date_saved", "keras_version"]
    assert ours["h5"] == theirs["h5"]
    assert ours["config"] == theirs["config"]


@spec("saving.keras.interop", "saving.walk.operations")
def test_keras_file_with_ops(impl, upstream):
    """Ops on KerasTensors are graph nodes, not layers: in the config, not in the h5 file."""
    reset_names(impl)
    k = kit(impl)
    x = k.Input((3,), name="x")
    model = k.Model(x, k.ops.add(k.Dense(3, name="d")(x), x))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ops.keras")
        impl.saving.save_model(model, path)
        loaded = upstream.saving.load_model(path)
        assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]


# --- .weights.h5 files ----------------------------------------------------------------------
@spec("saving.weights.interop", "saving.h5.layer_paths", "saving.h5.vars_groups",
      "saving.walk.operations")
@given(recipe=model_recipes(max_steps=5))
def test_weights_file_interop(impl, upstream, recipe):
    data = feed(recipe, np.random.default_rng(3))
    with tempfile.TemporaryDirectory() as tmp:
        layouts = []
        for writer, reader in ((impl, upstream), (upstream, impl)):
            source = build(writer, recipe)
            _randomize(source, seed=4)
            path = os.path.join(tmp, f"{writer.__name__}.weights.h5")
            writer.saving.save_weights(source, path)
            layouts.append(_h5_layout(path))
            target = build(reader, recipe)
            reader.saving.load_weights(target, path)
            _assert_same_predictions(_predict(reader, target, data),
                                     _predict(writer, source, data))
            # A .keras file also serves as a weights source.
            keras_path = os.path.join(tmp, f"{writer.__name__}.keras")
            writer.saving.save_model(source, keras_path)
            again = build(reader, recipe)
            reader.saving.load_weights(again, keras_path)
            _assert_same_predictions(_predict(reader, again, data),
                                     _predict(writer, source, data))
    assert layouts[0] == layouts[1]


def _nested_layer_class(lib):
    """A layer with sub-layers in attributes, a private attribute, nested lists and a dict."""
    layers = kit(lib).layers

    class Block(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.first = layers.Dense(3, name="first")
            self._hidden = layers.Dense(3, name="hidden")
            self.stack = [layers.Dense(3, name="s0"),
                          [layers.Dense(3, name="s1"), {"k": layers.Dense(3, name="s2")}],
                          (layers.Dense(3, name="s3"),)]
            self.again = self.first  # one object, two attributes: saved once

        def build(self, input_shape):
            self.scale = self.add_weight(shape=(3,), initializer="ones", name="scale")

        def call(self, x):
            y = self.first(x) + self._hidden(x) + self.stack[0](x)
            y = y + self.stack[1][0](x) + self.stack[1][1]["k"](x) + self.stack[2][0](x)
            return y * self.scale

    return Block


@spec("saving.walk.attributes", "saving.walk.containers", "saving.walk.visit_once",
      "saving.weights.layer_objects")
def test_nested_layer_paths_and_interop(impl, upstream):
    data = np.random.default_rng(5).standard_normal((2, 4)).astype("float32")
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for lib in (upstream, impl):
            reset_names(lib)
            block = _nested_layer_class(lib)(name="block")
            block(data)
            _randomize(block, seed=6)
            path = os.path.join(tmp, f"{lib.__name__}.weights.h5")
            lib.saving.save_weights(block, path)
            results[lib.__name__] = (block, path, _h5_layout(path))
        (theirs, their_path, their_layout), (ours, our_path, our_layout) = (
            results[upstream.__name__], results[impl.__name__])
        assert our_layout == their_layout
        for lib, path, source in ((impl, their_path, theirs), (upstream, our_path, ours)):
            target = _nested_layer_class(lib)(name="block")
            target(data)
            lib.saving.load_weights(target, path)
            for a, b in zip(target.get_weights(), source.get_weights()):
                assert_close(np.asarray(a), np.asarray(b), "exact")


# --- mismatches -------------------------------------------------------------------------------
def _two_dense(lib, units: int = 2):
    """Input (4,) -> Dense "a" (3) -> Dense "b" (``units``)."""
    k = kit(lib)
    reset_names(lib)
    return k.Sequential([k.Input((4,)), k.Dense(3, name="a"), k.Dense(units, name="b")])


@spec("saving.load.mismatch_raises", "saving.load.skip_mismatch")
def test_shape_mismatch_raises_or_skips(impl, upstream):
    with tempfile.TemporaryDirectory() as tmp:
        outcome = {}
        for lib in (upstream, impl):
            source = _two_dense(lib)
            _randomize(source)
            path = os.path.join(tmp, f"{lib.__name__}.weights.h5")
            lib.saving.save_weights(source, path)
            wide = _two_dense(lib, units=5)  # "b" no longer fits the file
            before = [np.asarray(w) for w in wide.get_weights()]
            with pytest.raises(ValueError, match="could not be loaded") as raised:
                lib.saving.load_weights(wide, path)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                lib.saving.load_weights(wide, path, skip_mismatch=True)
            loaded = [np.asarray(w) for w in wide.get_weights()]
            outcome[lib.__name__] = (type(raised.value), before, loaded,
                                     any("could not be loaded" in str(w.message) for w in caught),
                                     [np.asarray(w) for w in source.get_weights()])
    theirs, ours = outcome[upstream.__name__], outcome[impl.__name__]
    assert ours[0] is theirs[0] is ValueError
    assert ours[3] and theirs[3]
    # skip_mismatch: layer "a" (same shapes) is loaded, layer "b" keeps its values.
    for result in (theirs, ours):
        _, before, loaded, _, saved = result
        for i in (0, 1):
            assert_close(loaded[i], saved[i], "exact")
        for i in (2, 3):
            assert_close(loaded[i], before[i], "exact")


@spec("saving.load.requires_built", "saving.files.extensions")
def test_argument_errors(impl, upstream):
    with tempfile.TemporaryDirectory() as tmp:
        for lib in (upstream, impl):
            k = kit(lib)
            unbuilt = k.Sequential([k.Dense(2)])
            with pytest.raises(ValueError, match="has not yet been built"):
                lib.saving.load_weights(unbuilt, os.path.join(tmp, "x.weights.h5"))
            with pytest.raises(ValueError, match="has not yet been built"):
                lib.saving.save_weights(unbuilt, os.path.join(tmp, "x.weights.h5"))
            built = _two_dense(lib)
            with pytest.raises(ValueError, match=r"must end in `\.weights\.h5`"):
                lib.saving.save_weights(built, os.path.join(tmp, "x.h5x"))
            with pytest.raises(ValueError, match="Invalid filepath extension for saving"):
                lib.saving.save_model(built, os.path.join(tmp, "x.zip"))
            with pytest.raises(ValueError, match="File format not supported"):
                lib.saving.load_model(os.path.join(tmp, "x.zip"))
            with pytest.raises(ValueError, match="File not found"):
                lib.saving.load_model(os.path.join(tmp, "missing.keras"))


# --- hostile and damaged files ------------------------------------------------------------------
def _rewrite(source: str, target: str, drop: tuple = (), replace: dict | None = None) -> None:
    with zipfile.ZipFile(source) as zf:
        members = {n: zf.read(n) for n in zf.namelist() if n not in drop}
    members.update(replace or {})
    with zipfile.ZipFile(target, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def _damaged_files(good: str, tmp: str) -> dict:
    with zipfile.ZipFile(good) as zf:
        config = json.loads(zf.read("config.json"))
        weights = zf.read("model.weights.h5")
    files = {}

    def make(label, **kwargs):
        files[label] = os.path.join(tmp, f"{label}.keras")
        _rewrite(good, files[label], **kwargs)

    files["not_a_zip"] = os.path.join(tmp, "not_a_zip.keras")
    with open(files["not_a_zip"], "wb") as f:
        f.write(b"these are not the bytes of a zip archive")
    files["truncated_zip"] = os.path.join(tmp, "truncated_zip.keras")
    with open(good, "rb") as src, open(files["truncated_zip"], "wb") as dst:
        dst.write(src.read()[: os.path.getsize(good) // 2])
    make("no_config", drop=("config.json",))
    make("bad_json", replace={"config.json": b'{"class_name": "Sequential", '})
    make("no_weights", drop=("model.weights.h5",))
    make("garbage_h5", replace={"model.weights.h5": b"\x89HDF garbage" * 50})
    make("truncated_h5", replace={"model.weights.h5": weights[: len(weights) // 3]})
    unknown = json.loads(json.dumps(config))
    unknown["config"]["layers"][1]["class_name"] = "NoSuchLayer"
    make("unknown_class", replace={"config.json": json.dumps(unknown).encode()})
    with_lambda = json.loads(json.dumps(config))
    with_lambda["config"]["layers"][1]["config"]["activation"] = {
        "class_name": "__lambda__", "config": {"value": ["4wEAAAAAAAAAAAAAAAAAAAAA", None, None]}}
    make("lambda", replace={"config.json": json.dumps(with_lambda).encode()})
    return files


# (exception class, key phrase) upstream raises for each damaged file.
_EXPECTED = {
    "not_a_zip": (ValueError, "File not found"),
    "truncated_zip": (ValueError, "File not found"),
    "no_config": (KeyError, "config.json"),
    "bad_json": (json.JSONDecodeError, ""),
    "no_weights": (ValueError, "Expected a model.weights.h5"),
    "garbage_h5": (OSError, ""),
    "truncated_h5": (OSError, ""),
    "unknown_class": ((ValueError, TypeError), "NoSuchLayer"),
    "lambda": ((ValueError, TypeError), "deserialization of a"),
}


@spec("saving.load.damaged_files", "saving.load.safe_mode")
def test_damaged_files_raise_like_upstream(impl, upstream):
    with tempfile.TemporaryDirectory() as tmp:
        for lib in (upstream, impl):
            good = os.path.join(tmp, f"{lib.__name__}-good.keras")
            lib.saving.save_model(_two_dense(lib), good)
            for label, path in _damaged_files(good, tmp).items():
                cls, phrase = _EXPECTED[label]
                with pytest.raises(cls) as raised:
                    lib.saving.load_model(path)
                assert phrase in str(raised.value), (lib.__name__, label, raised.value)


@spec("saving.load.weights_mismatch_raises")
def test_tampered_weights_raise(impl, upstream):
    """A weights file whose dataset has another shape, or whose group lacks a dataset."""
    with tempfile.TemporaryDirectory() as tmp:
        for lib in (upstream, impl):
            model = _two_dense(lib)
            path = os.path.join(tmp, f"{lib.__name__}.weights.h5")
            lib.saving.save_weights(model, path)
            with h5py.File(path, "a") as f:
                del f["layers/dense/vars/1"]
                f["layers/dense/vars/1"] = np.zeros((7,), "float32")
                del f["layers/dense_1/vars/1"]
            before = [np.asarray(w) for w in model.get_weights()]
            with pytest.raises(ValueError, match="2 objects could not be loaded"):
                lib.saving.load_weights(model, path)
            if lib is impl and impl.__name__ == "refkeras":
                # Beyond upstream (which assigns the layers that fit): nothing changed.
                for a, b in zip(model.get_weights(), before):
                    assert_close(np.asarray(a), b, "exact")


# --- subclassed models, assets, legacy files, prompts ------------------------------------------
def _subclassed_model(lib):
    k = kit(lib)

    class Tower(k.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.a = k.Dense(3, name="a")
            self.out = k.Dense(2, name="out")  # sorts after "layers": stored under layers/

        def call(self, x):
            return self.out(self.a(x))

    reset_names(lib)
    model = Tower(name="tower")
    model(np.ones((1, 4), "float32"))
    return model


@spec("saving.walk.order", "saving.walk.skip_sets", "saving.walk.visit_once",
      "saving.h5.layer_paths")
def test_subclassed_model_paths(impl, upstream):
    with tempfile.TemporaryDirectory() as tmp:
        layouts = []
        for lib in (upstream, impl):
            path = os.path.join(tmp, f"{lib.__name__}.weights.h5")
            lib.saving.save_weights(_subclassed_model(lib), path)
            layouts.append(_h5_layout(path))
    assert layouts[0] == layouts[1]
    paths = {entry[1] for entry in layouts[0]}
    assert {"a/vars/0", "layers/dense_1/vars/0", "vars"} <= paths


def _vocabulary_layer_class(lib):
    layers = kit(lib).layers

    class Vocabulary(layers.Layer):
        def __init__(self, words=("a", "b"), **kwargs):
            super().__init__(**kwargs)
            self.words = list(words)

        def call(self, x):
            return x

        def save_assets(self, directory):
            with open(os.path.join(directory, "words.txt"), "w") as f:
                f.write("\n".join(self.words))

        def load_assets(self, directory):
            with open(os.path.join(directory, "words.txt")) as f:
                self.words = f.read().split("\n")

    return Vocabulary


@spec("saving.keras.assets", "saving.keras.members", "saving.keras.load_order")
def test_assets_round_trip_across_libraries(impl, upstream):
    with tempfile.TemporaryDirectory() as tmp:
        members = {}
        for writer, reader in ((impl, upstream), (upstream, impl)):
            k = kit(writer)
            reset_names(writer)
            model = k.Sequential([k.Input((2,)),
                                  _vocabulary_layer_class(writer)(words=("x", "yz"), name="v")])
            path = os.path.join(tmp, f"{writer.__name__}.keras")
            writer.saving.save_model(model, path)
            with zipfile.ZipFile(path) as zf:
                members[writer.__name__] = [(i.filename, i.compress_type) for i in zf.infolist()]
            cls = _vocabulary_layer_class(reader)
            loaded = reader.saving.load_model(path, custom_objects={"Vocabulary": cls},
                                              compile=False)
            assert loaded.layers[0].words == ["x", "yz"]
    assert members[impl.__name__] == members[upstream.__name__]
    assert ("assets/layers/vocabulary/words.txt", zipfile.ZIP_STORED) in members[impl.__name__]


@spec("saving.load.legacy_containers", "saving.h5.reading")
def test_missing_nested_container_group_only_warns(impl, upstream):
    data = np.ones((2, 4), "float32")
    with tempfile.TemporaryDirectory() as tmp:
        for lib in (upstream, impl):
            reset_names(lib)
            block = _nested_layer_class(lib)(name="block")
            block(data)
            _randomize(block, seed=8)
            path = os.path.join(tmp, f"{lib.__name__}.weights.h5")
            lib.saving.save_weights(block, path)
            with h5py.File(path, "a") as f:
                del f["stack/container"]  # as files written before Keras 3.15
            target = _nested_layer_class(lib)(name="block")
            target(data)
            kept = np.asarray(target.stack[1][0].kernel)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                lib.saving.load_weights(target, path)
            assert any("no matching group found" in str(w.message) for w in caught)
            assert_close(np.asarray(target.stack[1][0].kernel), kept, "exact")
            assert_close(np.asarray(target.first.kernel), np.asarray(block.first.kernel), "exact")


@spec("saving.files.overwrite")
def test_overwrite_false_prompts(impl, upstream, monkeypatch):
    with tempfile.TemporaryDirectory() as tmp:
        for lib in (upstream, impl):
            path = os.path.join(tmp, f"{lib.__name__}.weights.h5")
            model = _two_dense(lib)
            _randomize(model, seed=1)
            lib.saving.save_weights(model, path)
            first = open(path, "rb").read()
            prompts = []
            answers = iter(["maybe", "n"])
            def answer(text="", prompts=prompts, answers=answers):
                prompts.append(text)
                return next(answers)

            monkeypatch.setattr("builtins.input", answer)
            _randomize(model, seed=2)
            lib.saving.save_weights(model, path, overwrite=False)
            assert open(path, "rb").read() == first
            assert prompts[0] == f"[WARNING] {path} already exists - overwrite? [y/n]"
            monkeypatch.setattr("builtins.input", lambda text="": "y")
            lib.saving.save_weights(model, path, overwrite=False)
            assert open(path, "rb").read() != first


@spec("saving.h5.safety")
def test_links_in_weights_files_are_refused(impl, upstream):
    with tempfile.TemporaryDirectory() as tmp:
        for lib in (upstream, impl):
            model = _two_dense(lib)
            path = os.path.join(tmp, f"{lib.__name__}.weights.h5")
            lib.saving.save_weights(model, path)
            with h5py.File(path, "a") as f:
                del f["layers/dense/vars"]
                f["layers/dense/vars"] = h5py.SoftLink("/layers/dense_1/vars")
            with pytest.raises(ValueError, match="Not allowed: H5 file with SoftLink"):
                lib.saving.load_weights(model, path)


@spec("saving.load.hostile_archives", "saving.files.atomic")
def test_refkeras_refuses_escaping_members_and_saves_atomically(impl, upstream, monkeypatch):
    """Beyond upstream (which loads such archives and writes in place): refkeras only."""
    if impl.__name__ != "refkeras":
        pytest.skip("refkeras-only guarantees")
    with tempfile.TemporaryDirectory() as tmp:
        good = os.path.join(tmp, "good.keras")
        upstream.saving.save_model(_two_dense(upstream), good)
        for name in ("../escape.txt", "/absolute.txt", "assets/../../escape.txt"):
            evil = os.path.join(tmp, "evil.keras")
            _rewrite(good, evil, replace={name: b"x"})
            with pytest.raises(ValueError, match="Not allowed: archive member"):
                impl.saving.load_model(evil)
        before = open(good, "rb").read()
        monkeypatch.setattr(impl.saving.save, "serialize_model",
                            lambda model: (_ for _ in ()).throw(RuntimeError("interrupted")))
        with pytest.raises(RuntimeError, match="interrupted"):
            impl.saving.save_model(_two_dense(impl), good)
        assert open(good, "rb").read() == before
        assert sorted(os.listdir(tmp)) == ["evil.keras", "good.keras"]
