"""Models against upstream: structure, configs, JSON, summary text and outputs.

Random functional models (Dense layers, ops on KerasTensors, a custom
two-input layer, shared layers, nested sub-models, nested input/output
structures) and Sequential stacks are built the same way in both libraries
(``conformance/model_recipes.py``) and compared.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
from hypothesis import given

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


def _parsed(model) -> dict:
    """``to_json()`` parsed, without ``shared_object_id`` (an ``id()``, never stable)."""
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "shared_object_id"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    return strip(json.loads(model.to_json()))


def _summary(model, **kwargs) -> str:
    printed = []
    model.summary(print_fn=lambda text, **_: printed.append(text), **kwargs)
    assert len(printed) == 1
    return printed[0]


def _numpy(x):
    return np.asarray(x)


def _copy_weights(source, target) -> None:
    target.set_weights([np.asarray(w) for w in source.get_weights()])


# --- random functional models ----------------------------------------------------------------
@spec("model.functional.construct", "model.functional.layers_order")
@given(recipe=model_recipes())
def test_layers_order_and_names(impl, upstream, recipe):
    theirs, ours = build(upstream, recipe), build(impl, recipe)
    assert type(ours).__name__ == type(theirs).__name__ == "Functional"
    assert [(type(x).__name__, x.name) for x in ours.layers] == \
        [(type(x).__name__, x.name) for x in theirs.layers]


@spec("model.config.functional", "model.json.to_json")
@given(recipe=model_recipes())
def test_config_and_json(impl, upstream, recipe):
    theirs, ours = build(upstream, recipe), build(impl, recipe)
    assert _parsed(ours) == _parsed(theirs)
    assert json.loads(json.dumps(ours.get_config())) == json.loads(json.dumps(theirs.get_config()))


@spec("model.config.roundtrip")
@given(recipe=model_recipes(max_steps=5))
def test_json_round_trip_across_libraries(impl, upstream, recipe):
    theirs, ours = build(upstream, recipe), build(impl, recipe)
    custom = {"PairMix": kit(impl).PairMix}
    revived = kit(impl).model_from_json(theirs.to_json(), custom_objects=custom)
    assert [x.name for x in revived.layers] == [x.name for x in theirs.layers]
    assert _parsed(revived) == _parsed(theirs)
    back = kit(upstream).model_from_json(ours.to_json(),
                                         custom_objects={"PairMix": kit(upstream).PairMix})
    assert _parsed(back) == _parsed(ours)


@spec("model.config.roundtrip")
@given(recipe=model_recipes(max_steps=5))
def test_from_config_round_trip(impl, upstream, recipe):
    ours = build(impl, recipe)
    custom = {"PairMix": kit(impl).PairMix}
    again = kit(impl).Model.from_config(ours.get_config(), custom_objects=custom)
    assert type(again).__name__ == "Functional"
    assert [x.name for x in again.layers] == [x.name for x in ours.layers]
    assert json.loads(json.dumps(again.get_config())) == json.loads(json.dumps(ours.get_config()))


@spec("model.summary.text", "model.summary.options")
@given(recipe=model_recipes())
def test_summary_text(impl, upstream, recipe):
    theirs, ours = build(upstream, recipe), build(impl, recipe)
    for options in ({}, {"expand_nested": True, "show_trainable": True}, {"line_length": 150},
                    {"line_length": 40, "positions": [0.5, 0.7, 0.85, 1.0]}):
        try:
            expected = _summary(theirs, **options)
        except ValueError as e:  # e.g. a column under 4 characters
            with pytest.raises(ValueError, match="Insufficient console width"):
                _summary(ours, **options)
            assert "Insufficient console width" in str(e)
            continue
        assert _summary(ours, **options) == expected


@spec("model.functional.call", "model.count_params.total")
@given(recipe=model_recipes())
def test_outputs_with_copied_weights(impl, upstream, recipe):
    theirs, ours = build(upstream, recipe), build(impl, recipe)
    assert ours.count_params() == theirs.count_params()
    _copy_weights(theirs, ours)
    data = feed(recipe, np.random.default_rng(0))
    expected, actual = theirs(data), ours(data)
    flat_expected = upstream.tree.flatten(expected)
    flat_actual = impl.tree.flatten(actual)
    assert type(actual).__name__ == type(expected).__name__
    assert len(flat_actual) == len(flat_expected)
    for a, e in zip(flat_actual, flat_expected):
        assert_close(_numpy(a), _numpy(e), "exact")


# --- Sequential -------------------------------------------------------------------------------
@spec("model.sequential.stack", "model.sequential.config", "model.summary.text")
@given(recipe=sequential_recipes())
def test_sequential(impl, upstream, recipe):
    theirs, ours = build_sequential(upstream, recipe), build_sequential(impl, recipe)
    assert ours.built == theirs.built
    assert _summary(ours) == _summary(theirs)  # unbuilt rows read "0 (unbuilt)"
    data = np.random.default_rng(1).standard_normal((2, recipe.width)).astype("float32")
    # A deferred build names its InputLayer automatically: count names alike on both sides.
    reset_names(upstream)
    theirs(data)
    reset_names(impl)
    ours(data)
    _copy_weights(theirs, ours)
    assert_close(_numpy(ours(data)), _numpy(theirs(data)), "exact")
    assert [x.name for x in ours.layers] == [x.name for x in theirs.layers]
    assert _parsed(ours) == _parsed(theirs)
    assert ours.get_build_config() == theirs.get_build_config()
    assert _summary(ours) == _summary(theirs)
    again = kit(impl).model_from_json(theirs.to_json())
    assert _parsed(again) == _parsed(theirs)


@spec("model.sequential.stack")
def test_sequential_add_pop_and_errors(impl, upstream):
    for lib in (upstream, impl):
        k = kit(lib)
        model = k.Sequential(name="s")
        model.add(k.Input((3,), name="i"))
        model.add(k.Dense(2, name="a"))
        assert [x.name for x in model.layers] == ["a"] and len(model.weights) == 2
        with pytest.raises(ValueError, match="should have unique names"):
            model.add(k.Dense(2, name="a"))
        with pytest.raises(ValueError, match="has already been configured to use input shape"):
            model.add(k.Input((3,)))
        assert model.pop().name == "a" and model.layers == [] and not model.built
        with pytest.raises(ValueError, match="Only instances of `keras.Layer`"):
            model.add("dense")
        with pytest.raises(AttributeError, match="`Sequential.layers` attribute is reserved"):
            model.layers = []


# --- focused cases ----------------------------------------------------------------------------
def _chain(lib):
    k = kit(lib)
    reset_names(lib)
    x = k.Input((3,), name="x")
    h = k.Dense(4, name="h1")(x)
    return x, h, k.Dense(2, name="h2")(h)


@spec("model.functional.construct")
def test_constructor_forms(impl, upstream):
    for lib in (upstream, impl):
        k = kit(lib)
        x, _, y = _chain(lib)
        for model in (k.Model(x, y), k.Model(x, outputs=y), k.Model(inputs=x, outputs=y)):
            assert type(model) is k.Functional
        assert k.Model(x, y, trainable=False).trainable is False
        with pytest.raises(ValueError, match="All `outputs` values must be KerasTensors"):
            k.Model(x, [y, 3])


@spec("model.functional.intermediate_inputs")
def test_intermediate_inputs(impl, upstream):
    described = []
    for lib in (upstream, impl):
        k = kit(lib)
        x, h, y = _chain(lib)
        k.Model(x, y, name="full")
        part = k.Model(h, y, name="part")
        described.append(([(type(layer).__name__, layer.name.replace(h.name, "<h>"))
                           for layer in part.layers],
                          [len(layer._inbound_nodes) for layer in part.layers]))
    assert described[1] == described[0]
    assert described[0][0][0] == ("InputLayer", "<h>CLONE")


@spec("model.functional.subclass")
def test_functional_subclass(impl, upstream):
    results = []
    for lib in (upstream, impl):
        k = kit(lib)

        class Custom(k.Model):
            def __init__(self, *args, param=1, **kwargs):
                super().__init__(*args, **kwargs)
                self.param = param

            def get_config(self):
                return {**super().get_config(), "param": self.param}

        x, _, y = _chain(lib)
        model = Custom(inputs=x, outputs=y, param=3)
        assert isinstance(model, k.Functional) and type(model) is Custom
        again = Custom.from_config(model.get_config())
        results.append((sorted(model.get_config()), again.param, type(again).__name__,
                        [x.name for x in again.layers]))
    assert results[1] == results[0]


@spec("model.get_layer.lookup", "model.layers.reserved")
def test_get_layer_and_reserved_layers(impl, upstream):
    messages = []
    for lib in (upstream, impl):
        k = kit(lib)
        x, _, y = _chain(lib)
        model = k.Model(x, y, name="m")
        assert model.get_layer("h1") is model.layers[1]
        assert model.get_layer(index=2) is model.layers[2]
        found = []
        for kwargs in ({"name": "nope"}, {"index": 7}, {}, {"name": "h1", "index": 0}):
            with pytest.raises(ValueError) as info:
                model.get_layer(**kwargs)
            found.append(str(info.value))
        with pytest.raises(AttributeError) as info:
            model.layers = []
        found.append(str(info.value))
        messages.append(found)
    assert messages[1] == messages[0]


def _net_class(k):
    class Net(k.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.first = k.Dense(3, name="first")
            self.second = k.Dense(2, name="second")

        def call(self, x):
            return self.second(self.first(x))

    return Net


@spec("model.subclassed.call", "model.build_config.restore")
def test_subclassed_model(impl, upstream):
    seen = []
    for lib in (upstream, impl):
        k = kit(lib)
        net = _net_class(k)(name="net")
        net(k.Input((4,)))  # builds the sub-layers symbolically
        seen.append(([layer.name for layer in net.layers], net.get_build_config(),
                     _summary(net)))
        with pytest.raises(NotImplementedError):
            k.Model()(np.ones((1, 2), "float32"))
    assert seen[1] == seen[0]


@spec("model.build_config.restore")
def test_build_from_config_warns_when_it_cannot_build(impl, upstream):
    for lib in (upstream, impl):
        k = kit(lib)

        class Broken(k.Model):
            def call(self, x):
                raise RuntimeError("no")

        with pytest.warns(UserWarning, match="cannot be built automatically"):
            Broken().build_from_config({"input_shape": [None, 3]})
        x, _, y = _chain(lib)
        assert k.Model(x, y).get_build_config() == {"input_shape": None}


@spec("model.functional.deep")
def test_deep_dense_chain(impl):
    if impl.__name__ == "keras":
        pytest.skip("upstream raises RecursionError near 990 layers; refkeras deliberately "
                    "does better here")
    k = kit(impl)
    x = h = k.Input((2,))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(10_000):
            h = k.Dense(2, kernel_initializer="ones",
                        bias_initializer="zeros")(h)
    model = k.Model(x, h)
    assert len(model.layers) == 10_001
    # Each layer with all-ones kernel maps (a, b) to (a + b, a + b): 0 stays 0.
    out = model(np.zeros((1, 2), "float32"))
    assert_close(_numpy(out), np.zeros((1, 2), "float32"), "exact")
