"""Unit tests of deserialize_keras_object: resolution, scopes, safe mode, errors."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

from refkeras.serialization import (
    CustomObjectScope,
    SafeModeScope,
    builtin,
    deserialize_keras_object,
    get_registered_object,
    register_keras_serializable,
    serialize_keras_object,
)


@builtin("keras.unit_tests")
class Box:
    def __init__(self, content=None):
        self.content = content

    def get_config(self):
        return {"content": self.content}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def round_trip(obj, **kwargs):
    return deserialize_keras_object(json.loads(json.dumps(serialize_keras_object(obj))), **kwargs)


def test_values_round_trip():
    value = {"bytes": b"ab", "slice": slice(None, 3), "dots": ..., "list": (1, [2])}
    assert round_trip(value) == {"bytes": b"ab", "slice": slice(None, 3), "dots": ...,
                                 "list": [1, [2]]}
    array = round_trip(np.ones((2, 2), dtype="uint8"))
    assert array.dtype == np.uint8 and array.tolist() == [[1, 1], [1, 1]]


def test_builtins_resolve_by_public_name_and_nested_configs_stay_data():
    rebuilt = round_trip(Box(Box(3)))
    assert isinstance(rebuilt, Box)
    # from_config receives nested objects as configs; rebuilding them is its own job.
    assert rebuilt.content["class_name"] == "Box"
    assert deserialize_keras_object(rebuilt.content).content == 3


def test_custom_objects_and_scopes():
    class Local(Box):
        pass

    config = serialize_keras_object(Local(1))
    with pytest.raises(TypeError, match="Could not locate class 'Local'"):
        deserialize_keras_object(config)
    assert isinstance(deserialize_keras_object(config, custom_objects={"Local": Local}), Local)
    with CustomObjectScope({"Local": Local}):
        assert get_registered_object("Local") is Local
        with CustomObjectScope({}):  # an inner scope replaces the outer one
            assert get_registered_object("Local") is None
    assert get_registered_object("Local") is None


def test_registered_classes_resolve_without_arguments():
    @register_keras_serializable("unit_tests", name="Crate")
    class Crate(Box):
        pass

    assert type(round_trip(Crate(2))) is Crate


def test_registering_a_class_without_get_config_fails():
    with pytest.raises(ValueError, match="get_config"):
        register_keras_serializable()(type("NoConfig", (), {}))


def test_lambdas_need_safe_mode_off():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        config = json.loads(json.dumps(serialize_keras_object(lambda x, k=3: x + k)))
    with pytest.raises(ValueError, match="deserialization of a Python lambda"):
        deserialize_keras_object(config)
    assert deserialize_keras_object(config, safe_mode=False)(1) == 4
    with SafeModeScope(False):
        assert deserialize_keras_object(config)(0) == 3


@pytest.mark.parametrize("config, error, phrase", [
    ({"module": "keras.unit_tests", "class_name": "Box", "config": 3}, TypeError,
     "Expected 'config' to be a dict for Box"),
    ({"module": "keras.unit_tests", "class_name": "Box", "config": {}, "registered_name": "x"},
     ValueError, "does not use registered names"),
    ({"module": "keras.unit_tests", "class_name": "Crate2", "config": {}}, ValueError,
     "not a KerasSaveable subclass"),
    ({"module": "keras.nowhere", "class_name": "Box", "config": {}}, TypeError,
     "cannot be imported"),
    ({"module": "keras.unit_tests", "class_name": "Box", "config": {"bad": 1}}, TypeError,
     "could not be deserialized properly"),
    (object(), TypeError, "Could not parse config"),
])
def test_errors_name_the_problem(config, error, phrase):
    with pytest.raises(error, match=phrase):
        deserialize_keras_object(config)
