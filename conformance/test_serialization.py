"""Differential tests of the serialization library: refkeras against upstream keras.

Three kinds of check, on hypothesis-drawn values:
- format: both libraries write the same config for the same value;
- round trip: each library rebuilds what it wrote (through JSON);
- across libraries: upstream rebuilds refkeras's configs and re-serializes them
  identically, and refkeras does the same with upstream's.
Errors must have the same exception class and key phrase.
"""

from __future__ import annotations

import json
import warnings
from typing import Any

import ml_dtypes
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import refkeras.activations  # noqa: F401  (registers built-in activations)
import refkeras.constraints  # noqa: F401
import refkeras.dtype_policies  # noqa: F401
import refkeras.regularizers  # noqa: F401
import refkeras.serialization


def saving(lib: Any) -> Any:
    """Where a library keeps serialize/deserialize_keras_object and the scopes."""
    if lib.__name__ == "keras":
        return lib.saving
    return getattr(lib, "saving", refkeras.serialization)


def safe_mode_scope(lib: Any) -> Any:
    if lib.__name__ == "keras":
        from keras.src.saving.serialization_lib import SafeModeScope
        return SafeModeScope
    return refkeras.serialization.SafeModeScope


def through_json(config: Any) -> Any:
    return json.loads(json.dumps(config))


def same(a: Any, b: Any) -> bool:
    """Structural equality that also compares NumPy arrays by dtype and values."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype == b.dtype
                and a.shape == b.shape and np.array_equal(a, b))
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, dict):
        return (isinstance(b, dict) and a.keys() == b.keys()
                and all(same(a[k], b[k]) for k in a))
    return type(a) is type(b) and a == b


# --- drawn plain values --------------------------------------------------------------------
ARRAY_DTYPES = ("float32", "float64", "float16", "int8", "int32", "int64", "uint8", "bool")
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-2**40, 2**40),
    st.floats(allow_nan=False, allow_infinity=False, width=64), st.text(max_size=8),
)


@st.composite
def arrays(draw: Any) -> np.ndarray:
    dtype = draw(st.sampled_from(ARRAY_DTYPES))
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=1, max_size=3)))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    return (rng.standard_normal(shape) * 5).astype(dtype)


specials = st.one_of(
    st.binary(max_size=6).filter(lambda b: all(c < 128 for c in b)),
    st.builds(slice, st.none() | st.integers(-5, 5), st.none() | st.integers(-5, 5),
              st.none() | st.integers(1, 3)),
    st.just(Ellipsis),
    arrays(),
    st.sampled_from([np.float32(1.5), np.int64(-3), np.float64(0.25), np.bool_(True)]),
)
values = st.recursive(
    st.one_of(scalars, specials),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.tuples(inner, inner),
                            st.dictionaries(st.text(max_size=4), inner, max_size=3)),
    max_leaves=8,
)


@pytest.mark.spec("serialization.values.plain", "serialization.values.containers",
                  "serialization.values.special", "serialization.values.numpy")
@given(values)
def test_plain_and_special_values_serialize_as_upstream(impl, upstream, value):
    got = saving(impl).serialize_keras_object(value)
    want = saving(upstream).serialize_keras_object(value)
    assert same(got, want)


@pytest.mark.spec("serialization.values.round_trip", "serialization.values.numpy")
@given(values)
def test_values_round_trip_and_cross_load(impl, upstream, value):
    config = through_json(saving(impl).serialize_keras_object(value))
    got = saving(impl).deserialize_keras_object(config)
    want = saving(upstream).deserialize_keras_object(config)
    assert same(normalise(got), normalise(want))


def normalise(x: Any) -> Any:
    # Upstream and refkeras both return lists for tuples; arrays are compared as arrays.
    if isinstance(x, (list, tuple)):
        return [normalise(v) for v in x]
    if isinstance(x, dict):
        return {k: normalise(v) for k, v in x.items()}
    return x


# --- KerasTensors --------------------------------------------------------------------------
shapes = st.lists(st.none() | st.integers(1, 5), max_size=3).map(tuple)


@pytest.mark.spec("serialization.values.keras_tensor")
@given(shapes, st.sampled_from(["float32", "int32", "float16", "bool"]))
def test_keras_tensor_configs_match(impl, upstream, shape, dtype):
    got = saving(impl).serialize_keras_object(impl.KerasTensor(shape, dtype=dtype))
    want = saving(upstream).serialize_keras_object(upstream.KerasTensor(shape, dtype=dtype))
    assert got == want
    relu_got = saving(impl).serialize_keras_object(impl.ops.relu(impl.KerasTensor(shape)))
    relu_want = saving(upstream).serialize_keras_object(
        upstream.ops.relu(upstream.KerasTensor(shape)))
    history_got = relu_got["config"].pop("keras_history")
    history_want = relu_want["config"].pop("keras_history")
    assert relu_got == relu_want
    # Op names carry per-process counters (relu, relu_1, ...): compare the rest exactly.
    assert history_got[0].startswith("relu") and history_got[1:] == history_want[1:] == [0, 0]
    rebuilt = saving(impl).deserialize_keras_object(through_json(want))
    assert tuple(rebuilt.shape) == shape and rebuilt.dtype == dtype


# --- functions -----------------------------------------------------------------------------
def plain_function(x):
    return x


@pytest.mark.spec("serialization.functions.format", "serialization.functions.builtins")
@given(st.sampled_from(["relu", "sigmoid", "softmax", "gelu", "silu", "linear", "tanh"]))
def test_builtin_functions_serialize_as_upstream_and_cross_load(impl, upstream, name):
    got = saving(impl).serialize_keras_object(getattr(impl.activations, name))
    want = saving(upstream).serialize_keras_object(getattr(upstream.activations, name))
    assert got == want == {"module": "builtins", "class_name": "function", "config": name,
                           "registered_name": "function"}
    assert saving(impl).deserialize_keras_object(want) is getattr(impl.activations, name)
    public = {"module": "keras.activations", "class_name": "function", "config": name,
              "registered_name": None}
    assert saving(impl).deserialize_keras_object(public) is getattr(impl.activations, name)
    assert saving(impl).serialize_keras_object(plain_function) == \
        saving(upstream).serialize_keras_object(plain_function)


# --- registered and custom classes -------------------------------------------------------
class Scaled:
    """A user class with a config, defined identically for both libraries."""

    def __init__(self, factor: float = 1.0, tags: Any = ()):
        self.factor = factor
        self.tags = tags

    def get_config(self):
        return {"factor": self.factor, "tags": self.tags}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@pytest.mark.spec("serialization.objects.unregistered", "serialization.objects.custom_objects",
                  "serialization.errors.unknown_class")
@given(st.floats(-10, 10, allow_nan=False), st.lists(st.integers(0, 9), max_size=3))
def test_custom_objects_argument_and_unknown_class(impl, upstream, factor, tags):
    obj = Scaled(factor, tags)
    got = saving(impl).serialize_keras_object(obj)
    assert got == saving(upstream).serialize_keras_object(obj)
    assert got["registered_name"] == "Scaled"
    for lib in (impl, upstream):
        with pytest.raises(TypeError, match="Could not locate class 'Scaled'"):
            saving(lib).deserialize_keras_object(through_json(got))
        rebuilt = saving(lib).deserialize_keras_object(through_json(got),
                                                       custom_objects={"Scaled": Scaled})
        assert rebuilt.factor == factor and rebuilt.tags == tags
        with saving(lib).CustomObjectScope({"Scaled": Scaled}):
            assert saving(lib).deserialize_keras_object(through_json(got)).factor == factor


@pytest.mark.spec("serialization.objects.registered", "serialization.registry.names")
@given(st.sampled_from(["pkg", "Custom", "my.pkg"]), st.sampled_from([None, "Renamed"]))
def test_registered_classes_match_upstream(impl, upstream, package, name):
    configs = []
    for lib in (impl, upstream):
        cls = type("Registered", (Scaled,), {})
        saving(lib).register_keras_serializable(package=package, name=name)(cls)
        key = f"{package}>{name or 'Registered'}"
        assert saving(lib).get_registered_name(cls) == key
        assert saving(lib).get_registered_object(key) is cls
        config = saving(lib).serialize_keras_object(cls(2.5))
        assert type(saving(lib).deserialize_keras_object(through_json(config))) is cls
        configs.append(config)
    assert configs[0] == configs[1]


# --- errors --------------------------------------------------------------------------------
BAD_CONFIGS = [
    ({"module": "keras.regularizers", "class_name": "L2", "config": {"l2": 0.1},
      "registered_name": "other"}, ValueError, "does not use registered names"),
    ({"module": "keras.regularizers", "class_name": "L2", "config": [1]}, TypeError,
     "Expected 'config' to be a dict for L2"),
    ({"module": "builtins", "class_name": "function", "config": None}, TypeError,
     "Expected 'config' to be a non-null str"),
    ({"module": "builtins", "class_name": "function", "config": "no_such_fn",
      "registered_name": "function"}, TypeError, "Could not locate function 'no_such_fn'"),
    ({"module": "mypkg", "class_name": "Nope", "config": {}, "registered_name": "x>Nope"},
     TypeError, "Could not locate class 'Nope'"),
    ({"module": "keras.regularizers", "class_name": "Nope", "config": {}}, ValueError,
     "Could not deserialize 'keras.regularizers.Nope'"),
    ({"module": "keras.models", "class_name": "load_model", "config": {}}, ValueError,
     "not a modeling function"),
    ({"module": "keras.regularizers", "class_name": "L2", "config": {"l3": 0.1}}, TypeError,
     "could not be deserialized properly"),
    ({1, 2}, TypeError, "Could not parse config"),
]


@pytest.mark.spec("serialization.errors.classes", "serialization.errors.unknown_class",
                  "serialization.resolution.order", "serialization.functions.config_type")
@pytest.mark.parametrize("config, error, phrase", BAD_CONFIGS)
def test_bad_configs_raise_as_upstream(impl, upstream, config, error, phrase):
    for lib in (impl, upstream):
        with pytest.raises(error, match=phrase):
            saving(lib).deserialize_keras_object(config)


def make_lambda():
    return lambda x: x * 2


@pytest.mark.spec("serialization.safe_mode.lambda")
def test_lambdas_refused_in_safe_mode_and_load_across_libraries(impl, upstream):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        configs = [through_json(saving(lib).serialize_keras_object(make_lambda()))
                   for lib in (impl, upstream)]
    assert configs[0]["class_name"] == configs[1]["class_name"] == "__lambda__"
    for lib in (impl, upstream):
        for config in configs:
            with pytest.raises(ValueError, match="Requested the deserialization of a Python lambda"):
                saving(lib).deserialize_keras_object(config)
            assert saving(lib).deserialize_keras_object(config, safe_mode=False)(3) == 6
            with safe_mode_scope(lib)(False):  # the scope wins over the argument
                assert saving(lib).deserialize_keras_object(config, safe_mode=True)(1) == 2


# --- built-in objects across libraries -----------------------------------------------------
def builtin_objects(lib: Any) -> list:
    return [lib.regularizers.L1L2(0.25, 0.5), lib.constraints.MaxNorm(3, axis=1),
            lib.dtype_policies.DTypePolicy("mixed_bfloat16"), lib.regularizers.L1(0.3)]


@pytest.mark.spec("serialization.objects.builtin_names", "serialization.objects.cross_library")
def test_builtin_objects_cross_load(impl, upstream):
    for ours, theirs in zip(builtin_objects(impl), builtin_objects(upstream)):
        ours_config = saving(impl).serialize_keras_object(ours)
        theirs_config = saving(upstream).serialize_keras_object(theirs)
        assert ours_config == theirs_config
        assert ours_config["registered_name"] is None
        by_upstream = saving(upstream).deserialize_keras_object(through_json(ours_config))
        assert saving(upstream).serialize_keras_object(by_upstream) == ours_config
        by_impl = saving(impl).deserialize_keras_object(through_json(theirs_config))
        assert saving(impl).serialize_keras_object(by_impl) == theirs_config


@pytest.mark.spec("serialization.values.numpy")
def test_bfloat16_and_scalar_arrays(impl, upstream):
    for value in (np.array(2.5, dtype="float32"), np.ones((2,), dtype=ml_dtypes.bfloat16)):
        assert same(saving(impl).serialize_keras_object(value),
                    saving(upstream).serialize_keras_object(value))


# --- build configs, module_objects tables, shared objects --------------------------------
class Buildable(Scaled):
    built = False

    def get_build_config(self):
        return {"input_shape": (None, 3)} if self.built else None

    def build_from_config(self, config):
        self.seen_build_config = config


@pytest.mark.spec("serialization.objects.keys", "serialization.objects.from_config")
@given(st.booleans())
def test_build_config_written_and_replayed(impl, upstream, built):
    obj = Buildable(1.0)
    obj.built = built
    configs = [saving(lib).serialize_keras_object(obj) for lib in (impl, upstream)]
    assert configs[0] == configs[1]
    expected_keys = ["module", "class_name", "config", "registered_name"]
    assert list(configs[0]) == expected_keys + (["build_config"] if built else [])
    for lib in (impl, upstream):
        rebuilt = saving(lib).deserialize_keras_object(
            through_json(configs[0]), custom_objects={"Buildable": Buildable})
        assert rebuilt.built == built
        if built:
            assert rebuilt.seen_build_config == {"input_shape": [None, 3]}


@pytest.mark.spec("serialization.registry.module_objects")
@given(st.sampled_from(["l2", "L1", "l1l2", "nope", "L1L2"]))
def test_module_objects_tables(impl, upstream, name):
    got = impl.regularizers.deserialize(name)
    want = upstream.regularizers.deserialize(name)
    if isinstance(want, str):
        assert got == want == name
    else:
        assert saving(impl).serialize_keras_object(got) == \
            saving(upstream).serialize_keras_object(want)
    entry = {"class_name": "L2", "config": {"l2": 0.5}, "module": None}
    for lib in (impl, upstream):
        with pytest.raises(TypeError, match="Cannot deserialize object of type `L2`"):
            lib.regularizers.deserialize(entry)


def sharing_scope(lib: Any) -> Any:
    if lib.__name__ == "keras":
        from keras.src.saving.serialization_lib import ObjectSharingScope
        return ObjectSharingScope
    return refkeras.serialization.ObjectSharingScope


@pytest.mark.spec("serialization.sharing.ids")
def test_shared_objects_get_ids_only_in_scope(impl, upstream):
    obj = Scaled(2.0)
    for lib in (impl, upstream):
        plain = saving(lib).serialize_keras_object([obj, obj, Scaled(1.0)])
        assert all("shared_object_id" not in c for c in plain)
        with sharing_scope(lib)():
            first, second, other = saving(lib).serialize_keras_object([obj, obj, Scaled(1.0)])
        assert first["shared_object_id"] == second["shared_object_id"] == id(obj)
        assert "shared_object_id" not in other
        with sharing_scope(lib)():
            a, b, c = saving(lib).deserialize_keras_object(
                through_json([first, second, other]), custom_objects={"Scaled": Scaled})
        assert a is b and a is not c
