"""map_graph: depths, orders and errors, derived by hand from the graph's definition."""

import numpy as np
import pytest

from refkeras.graph import Function, KerasTensor, Node, map_graph
from tests.graph.helpers import Plus, Scale, Split2


def test_operations_follow_depth_then_first_visit_not_creation_order():
    # Created late, mid, early; wired plus(early(mid(x)), late(x)). Depths from the
    # output: plus 0; early 1, late 1; mid 2. The walk from the output visits
    # plus, early, mid, then late: ties at depth 1 are early before late.
    late, mid, early, plus = Scale(name="late"), Scale(name="mid"), Scale(name="early"), Plus()
    x = KerasTensor((None, 2))
    out = plus(early(mid(x)), late(x))
    fn = Function(x, out)
    assert [op.name for op in fn.operations] == ["mid", "early", "late", plus.name]
    depths = {op.name: d for d, ops in fn._operations_by_depth.items() for op in ops}
    assert depths == {"mid": 2, "early": 1, "late": 1, plus.name: 0}


def test_shared_operation_takes_its_largest_depth():
    shared = Scale(name="shared")
    x = KerasTensor((3,))
    a = shared(x)            # node 0, feeds b and the output sum
    b = Scale(name="b")(a)
    c = shared(b)            # node 1, depth 1
    out = Plus(name="sum")(c, a)
    _, nodes_by_depth, operations, ops_by_depth = map_graph([x], [out])
    node_depth = {(n.operation.name, n.operation._inbound_nodes.index(n)): d
                  for d, ns in nodes_by_depth.items() for n in ns}
    # sum 0; shared node 1 -> 1; b -> 2; shared node 0 -> 3 (feeds b) .
    assert node_depth == {("sum", 0): 0, ("shared", 1): 1, ("b", 0): 2, ("shared", 0): 3}
    assert [op.name for op in operations] == ["shared", "b", "sum"]
    assert shared in ops_by_depth[3]


def test_ten_thousand_chain_has_no_recursion_limit():
    x = KerasTensor((1,))
    y = x
    for _ in range(10_000):
        y = Scale(1.0)(y)
    fn = Function(x, y)
    assert len(fn.operations) == 10_000
    np.testing.assert_array_equal(np.asarray(fn(np.ones((1,), "float32"))), [1.0])


def test_disconnected_graph_is_reported():
    x, y = KerasTensor((2,)), KerasTensor((2,))
    out = Plus()(x, Scale()(y))
    with pytest.raises(ValueError, match="Graph disconnected"):
        map_graph([x], [out])


def test_duplicate_names_are_reported():
    x = KerasTensor((2,))
    out = Scale(name="same")(Scale(name="same")(x))
    with pytest.raises(ValueError, match='The name "same" is used 2 times'):
        map_graph([x], [out])


def test_cycle_is_reported():
    x = KerasTensor((2,))
    op = Scale(name="loop")
    y = op(x)
    # Rewire: make the node consume its own output.
    node = op._inbound_nodes[0]
    node.arguments.keras_tensors[:] = [y]
    node.arguments._single = y
    with pytest.raises(ValueError, match="part of a cycle"):
        map_graph([x], [y])


def test_multiple_outputs_get_their_tensor_index():
    x = KerasTensor((2,))
    a, b = Split2()(x)
    assert (a._keras_history.tensor_index, b._keras_history.tensor_index) == (0, 1)
    assert isinstance(a._keras_history.operation._inbound_nodes[0], Node)
