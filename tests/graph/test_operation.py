"""Operation: names, configs, call dispatch, and its error wrappers."""

import collections
import enum
from typing import NamedTuple

import pytest

from refkeras import backend
from refkeras.graph import KerasTensor, Operation


class FreshlyNamedOpForCounters(Operation):
    def call(self, x):
        return x


class WithArgs(Operation):
    def __init__(self, units, flag=True, name=None):
        super().__init__(name=name)
        self.units = units

    def call(self, x):
        return x


class Pair(NamedTuple):
    first: object
    second: object


class Flag(enum.IntEnum):
    ON = 1


class PlainDict(dict):
    pass


class Broken(Operation):
    def call(self, x):
        raise KeyError("boom")


def test_auto_names_count_per_snake_case_class_name():
    names = [FreshlyNamedOpForCounters().name for _ in range(3)]
    assert names == ["freshly_named_op_for_counters", "freshly_named_op_for_counters_1",
                     "freshly_named_op_for_counters_2"]


@pytest.mark.parametrize("bad", [3, "a/b", ("x",)])
def test_invalid_names_raise_value_error(bad):
    with pytest.raises(ValueError, match="must be a string and cannot contain character `/`"):
        Operation(name=bad)


def test_auto_config_records_simple_constructor_arguments():
    # Defaults are recorded too, as upstream does.
    assert WithArgs(4, name="w").get_config() == {"name": "w", "units": 4, "flag": True}
    assert WithArgs(units=2, flag=False, name="v").get_config() == {
        "name": "v", "units": 2, "flag": False}


def test_non_serializable_arguments_need_get_config():
    with pytest.raises(NotImplementedError, match="must override `get_config\\(\\)`"):
        WithArgs(object()).get_config()


@pytest.mark.parametrize("units", [
    [1, 2.5, "a", None, True],
    ((1, (2, [3])), {"k": [4, {"j": "x"}]}),
    collections.OrderedDict(b=1, a=(2, 3)),
    collections.deque([1, "two"]),
    Pair(1, (2, None)),
    Flag.ON,  # an int subclass is a plain int
])
def test_auto_config_accepts_nests_of_plain_values(units):
    assert WithArgs(units, name="w").get_config()["units"] == units


@pytest.mark.parametrize("units", [
    [1, 2, object()],
    {"a": 1, "b": [2, (3, object())]},
    collections.deque([1, object()]),
    Pair(1, object()),
    PlainDict(a=1),  # a dict subclass is a leaf of the tree, not a container
])
def test_auto_config_refuses_any_other_leaf_anywhere_in_a_nest(units):
    with pytest.raises(NotImplementedError, match="must override `get_config\\(\\)`"):
        WithArgs(units).get_config()


def test_from_config_wraps_errors_in_type_error():
    with pytest.raises(TypeError, match="Error when deserializing class 'WithArgs'"):
        WithArgs.from_config({"unknown": 1})


def test_compute_output_spec_failures_keep_their_class_and_explain():
    with pytest.raises(KeyError, match="Could not automatically infer the output shape"):
        Broken()(KerasTensor((2,)))


def test_input_and_output_of_uncalled_op():
    op = WithArgs(1)
    with pytest.raises(AttributeError, match="has never been called"):
        _ = op.input
    with pytest.raises(AttributeError, match="has never been called"):
        _ = op.output


def test_eager_call_runs_call_and_symbolic_call_records_a_node():
    op = WithArgs(1)
    x = backend.convert_to_tensor([1.0, 2.0])
    assert op(x) is x
    y = op(KerasTensor((2,)))
    assert op.output is y and len(op._inbound_nodes) == 1
    with pytest.raises(ValueError, match="only has 1 inbound nodes|has only 1 inbound nodes"):
        op._node_attribute(1, "output_tensors", "output")
