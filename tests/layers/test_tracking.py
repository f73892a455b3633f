"""State tracking: stores filled from attribute assignments, containers, de-duplication, lock."""

from collections import OrderedDict, namedtuple

import numpy as np
import pytest

from refkeras import backend, tree
from refkeras.layers import Layer
from refkeras.layers.tracking import TrackedDict, TrackedList, TrackedOrderedDict, TrackedSet


def var(name, trainable=True):
    return backend.Variable(np.zeros((1,), "float32"), name=name, trainable=trainable)


class Empty(Layer):
    def call(self, x):
        return x


def test_variables_in_nested_containers_are_tracked_in_first_seen_order():
    layer = Empty(name="root")
    a, b, c, d = var("a"), var("b", trainable=False), var("c"), var("d")
    Pair = namedtuple("Pair", "x y")
    layer.stuff = [a, {"k": (b, Pair(c, d))}]
    assert layer._trainable_variables == [a, c, d]
    assert layer._non_trainable_variables == [b]
    assert [v.name for v in layer.weights] == ["a", "c", "d", "b"]


def test_containers_become_tracking_subclasses_that_track_later_additions():
    layer = Empty(name="root")
    layer.items = []
    layer.table = {}
    layer.ordered = OrderedDict()
    layer.bag = set()
    assert type(layer.items) is TrackedList and type(layer.table) is TrackedDict
    assert type(layer.ordered) is TrackedOrderedDict and type(layer.bag) is TrackedSet
    a, b, c = var("a"), var("b"), var("c")
    layer.items.append(a)
    layer.table["k"] = b
    layer.ordered["o"] = c
    sub = Empty(name="sub")
    layer.bag.add(sub)
    assert layer._trainable_variables == [a, b, c]
    assert layer._layers == [sub]


def test_removing_from_a_tracked_container_untracks():
    layer = Empty(name="root")
    a, b = var("a"), var("b")
    layer.items = [a, b]
    layer.items.remove(a)
    assert layer._trainable_variables == [b]
    layer.items.pop()
    assert layer._trainable_variables == []


def test_same_object_is_tracked_once():
    layer = Empty(name="root")
    sub = Empty(name="sub")
    a = var("a")
    layer.x = sub
    layer.y = [sub, a, a]
    assert layer._layers == [sub]
    assert layer._trainable_variables == [a]


def test_variable_flipped_to_non_trainable_is_not_filed_twice():
    layer = Empty(name="root")
    a = var("a")
    layer.a = a
    a.trainable = False
    layer.again = a
    assert layer._trainable_variables == [a] and layer._non_trainable_variables == []
    assert layer.non_trainable_weights == [a] and layer.trainable_weights == []


def test_deleting_a_variable_attribute_untracks_it():
    layer = Empty(name="root")
    layer.a = var("a")
    del layer.a
    assert layer.weights == []


def test_tracked_containers_flatten_like_builtins():
    assert tree.flatten(TrackedList([1, [2, 3]])) == [1, 2, 3]
    assert tree.flatten(TrackedDict({"b": 1, "a": 2})) == [2, 1]  # sorted keys
    assert tree.flatten(TrackedOrderedDict([("b", 1), ("a", 2)])) == [1, 2]  # insertion order


class Built(Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), name="w")

    def call(self, x):
        return x * self.w


def test_state_is_locked_after_build_but_reassignment_is_allowed():
    layer = Built(name="locked")
    layer.build((2, 3))
    layer.w = layer.w
    with pytest.raises(ValueError, match="cannot add new elements of state"):
        layer.extra = var("extra")
    with pytest.raises(ValueError, match="cannot add new elements of state"):
        layer.add_weight(shape=(1,), name="late")
    with pytest.raises(ValueError, match="cannot add new elements of state"):
        layer.child = Empty(name="child")
