"""Unit tests of serialize_keras_object: the JSON format from first principles."""

from __future__ import annotations

import numpy as np
import pytest

from refkeras.graph import KerasTensor
from refkeras.serialization import (
    ObjectSharingScope,
    builtin,
    register_keras_serializable,
    serialize_keras_object,
)


class Thing:
    def __init__(self, size=1):
        self.size = size

    def get_config(self):
        return {"size": self.size}


@builtin("keras.testing_only")
class PublicThing(Thing):
    pass


def test_plain_values_and_containers_pass_through():
    value = {"a": [1, 2.5, "x", None, True], "b": (3,)}
    assert serialize_keras_object(value) == value
    assert isinstance(serialize_keras_object(value)["b"], tuple)


def test_special_values():
    assert serialize_keras_object(b"hi") == {"class_name": "__bytes__", "config": {"value": "hi"}}
    assert serialize_keras_object(slice(1, None, 2)) == {
        "class_name": "__slice__", "config": {"start": 1, "stop": None, "step": 2}}
    assert serialize_keras_object(...) == {"class_name": "__ellipsis__", "config": {}}
    assert serialize_keras_object(np.arange(3, dtype="int16")) == {
        "class_name": "__numpy__", "config": {"value": [0, 1, 2], "dtype": "int16"}}
    scalar = serialize_keras_object(np.float32(0.5))
    assert scalar == 0.5 and type(scalar) is float


def test_keras_tensor_without_history():
    assert serialize_keras_object(KerasTensor((None, 2), dtype="int8")) == {
        "class_name": "__keras_tensor__",
        "config": {"shape": (None, 2), "dtype": "int8", "keras_history": None}}


def test_builtin_unregistered_and_registered_objects():
    assert serialize_keras_object(PublicThing(2)) == {
        "module": "keras.testing_only", "class_name": "PublicThing", "config": {"size": 2},
        "registered_name": None}
    assert serialize_keras_object(Thing(3)) == {
        "module": __name__, "class_name": "Thing", "config": {"size": 3},
        "registered_name": "Thing"}

    @register_keras_serializable("unit")
    class Named(Thing):
        pass

    assert serialize_keras_object(Named())["registered_name"] == "unit>Named"


def test_functions_are_written_by_name():
    def helper(x):
        return x

    assert serialize_keras_object(helper) == {
        "module": "builtins", "class_name": "function", "config": "helper",
        "registered_name": "function"}


def test_get_config_must_return_a_dict():
    class Broken:
        def get_config(self):
            return [1]

    with pytest.raises(TypeError, match="should return a dict"):
        serialize_keras_object(Broken())


def test_shared_objects_are_marked_only_inside_the_scope():
    thing = Thing()
    assert "shared_object_id" not in serialize_keras_object([thing, thing])[1]
    with ObjectSharingScope():
        first, second = serialize_keras_object([thing, thing])
    assert first["shared_object_id"] == second["shared_object_id"] == id(thing)
