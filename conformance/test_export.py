"""Differential tests of ``Model.export(path)`` (TensorFlow SavedModel), refkeras against
upstream keras 3.15.1: the reloaded ``serve`` endpoint of both libraries' artifacts, for
the same model and weights, returns bit-for-bit what the model itself returns."""

from __future__ import annotations

import os
import tempfile

import numpy as np
import pytest

from conformance.model_recipes import kit, reset_names
from conformance.tolerances import assert_close

tf = pytest.importorskip("tensorflow")
spec = pytest.mark.spec


def _mlp(lib):
    k = kit(lib)
    x = k.Input((5,), name="x")
    return k.Model(x, k.Dense(2)(k.Dense(4, activation="relu")(x)))


def _sequential(lib):
    k = kit(lib)
    return k.Sequential([k.Input((3,)), k.Dense(4, activation="tanh"), k.Dense(1)])


def _two_in_two_out(lib):
    k = kit(lib)
    a, b = k.Input((3,), name="a"), k.Input((2,), name="b")
    joined = k.ops.concatenate([k.Dense(4)(a), k.Dense(4)(b)], axis=-1)
    return k.Model([a, b], [k.Dense(2)(joined), k.Dense(1, activation="sigmoid")(joined)])


def _data(builder):
    rng = np.random.default_rng(7)
    if builder is _mlp:
        return rng.standard_normal((6, 5)).astype("float32")
    if builder is _sequential:
        return rng.standard_normal((6, 3)).astype("float32")
    return [rng.standard_normal((6, 3)).astype("float32"),
            rng.standard_normal((6, 2)).astype("float32")]


def _flat(lib, value) -> list:
    return [np.asarray(v) for v in lib.tree.flatten(value)]


def _signature(loaded) -> tuple:
    default = loaded.signatures["serving_default"]
    inputs = sorted((s.shape.as_list(), s.dtype.name) for s in
                    tf.nest.flatten(default.structured_input_signature))
    outputs = {k: (s.shape.as_list(), s.dtype.name)
               for k, s in default.structured_outputs.items()}
    return sorted(loaded.signatures), inputs, outputs


@spec("saving.export.serve", "saving.export.signature")
@pytest.mark.parametrize("builder", [_mlp, _sequential, _two_in_two_out])
def test_export_serves_the_model_outputs(impl, upstream, builder):
    data = _data(builder)
    found = []  # by position: under --impl keras both sides are one module
    weights = None
    with tempfile.TemporaryDirectory() as tmp:
        for side, lib in enumerate((upstream, impl)):
            reset_names(lib)
            model = builder(lib)
            if weights is None:
                rng = np.random.default_rng(8)
                weights = [rng.standard_normal(np.shape(w)).astype("float32")
                           for w in model.get_weights()]
            model.set_weights(weights)
            path = os.path.join(tmp, f"side{side}")
            model.export(path, verbose=False)
            loaded = tf.saved_model.load(path)
            served = _flat(lib, loaded.serve(data))
            direct = _flat(lib, model(data))
            assert len(served) == len(direct)
            for s, d in zip(served, direct):
                assert_close(s, d, "export.served_vs_eager")
            found.append((served, direct, _signature(loaded)))
    (theirs, their_direct, their_signature), (ours, our_direct, our_signature) = found
    for a, b in zip(ours + our_direct, theirs + their_direct):
        assert_close(a, b, "exact")
    assert our_signature == their_signature


@spec("saving.export.errors")
def test_export_errors(impl, upstream):
    with tempfile.TemporaryDirectory() as tmp:
        for lib in (upstream, impl):
            k = kit(lib)
            with pytest.raises(ValueError, match="Unrecognized format=zip"):
                _mlp(lib).export(os.path.join(tmp, "a"), format="zip")
            unbuilt = k.Sequential([k.Dense(2)])
            with pytest.raises(ValueError, match="has not yet been built"):
                unbuilt.export(os.path.join(tmp, "b"), verbose=False)
