"""The attribute-path walk (rules saving.walk.*): paths from first principles."""

from __future__ import annotations

import pytest

from refkeras.backend import naming
from refkeras.layers import Dense, Layer
from refkeras.saving import traversal
from tests.saving.helpers import built_block, functional, mlp


def paths(root, **kwargs):
    return [(v.path, v.obj.name) for v in traversal.walk(root, **kwargs)]


def test_block_paths_public_then_private_containers_numbered():
    block = built_block()
    # "again" (same object as "first") sorts before "first": the layer is stored there once.
    assert paths(block) == [
        ("", "block"),
        ("again", "first"),
        ("stack/dense", "s0"),
        ("stack/container/dense", "s1"),
        ("stack/container/container/dense", "s2"),
        ("stack/container_1/dense", "s3"),
        ("_hidden", "hidden"),
    ]


def test_functional_layers_numbered_per_class_including_inputs():
    model = functional()
    assert paths(model) == [("", model.name), ("layers/input_layer", "x"),
                            ("layers/dense", "a"), ("layers/dense_1", "b"),
                            ("layers/dense_2", "c")]


def test_sequential_layers_exclude_the_input_layer():
    model = mlp((3, 2, 1))
    assert [p for p, _ in paths(model)] == ["", "layers/dense", "layers/dense_1",
                                             "layers/dense_2"]


def test_objects_to_skip_count_as_visited():
    model = mlp()
    skipped = {id(model.layers[0])}
    assert [p for p, _ in paths(model, visited=skipped)] == ["", "layers/dense_1"]


class _Holder(Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.mapping = {"z": Dense(1, name="z"), "a": Dense(1, name="a")}
        self.group = {Dense(1, name="in_a_set")}  # sets are not containers
        self.items = [1, "text", Dense(1, name="after_plain")]

    @property
    def broken(self):
        raise RuntimeError("not readable now")


def test_dict_values_in_insertion_order_sets_skipped_plain_items_not_counted():
    holder = _Holder(name="holder")
    assert paths(holder) == [("", "holder"), ("items/dense", "after_plain"),
                             ("mapping/dense", "z"), ("mapping/dense_1", "a")]


class _FakeOptimizer:
    _saveable_kind = "FakeOptimizer"

    def __init__(self, name="fake"):
        self.name = name
        self.slots = []


def test_declared_kinds_are_walked_and_unknown_kinds_refused():
    holder = _Holder(name="holder")
    holder.optimizer = _FakeOptimizer()
    with pytest.raises(ValueError, match="Unknown saveable kind: 'FakeOptimizer'"):
        paths(holder)
    traversal.register_saveable_kind("FakeOptimizer", _FakeOptimizer)
    assert ("optimizer", "fake") in paths(holder)


def test_legacy_flag_for_nested_containers_missing_from_the_file():
    block = built_block()
    present = {"stack", "stack/container_1"}
    flagged = {v.path: v.legacy for v in traversal.walk(block, has_path=present.__contains__)}
    assert flagged["stack/dense"] is False
    assert flagged["stack/container/dense"] is True
    assert flagged["stack/container/container/dense"] is True
    assert flagged["stack/container_1/dense"] is False


def test_walking_does_not_consume_automatic_names():
    model = mlp()
    naming.reset_names()
    traversal.skip_set.cache_clear()  # the reference layer is built again on this walk
    assert Layer().name == "layer"
    paths(model)
    assert Layer().name == "layer_1"
