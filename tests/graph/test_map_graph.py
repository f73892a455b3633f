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
    # Within a depth, operations_by_depth keeps the same first-visit order.
    by_depth = {d: [op.name for op in ops] for d, ops in fn._operations_by_depth.items()}
    assert by_depth == {2: ["mid"], 1: ["early", "late"], 0: [plus.name]}


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


def test_an_input_layer_output_not_among_the_inputs_is_not_connected():
    from refkeras.layers import Input

    a, other = Input((2,)), Input((2,))
    with pytest.raises(ValueError, match="Output with path `1` is not connected to `inputs`"):
        Function([a], [Scale()(a), other])


def test_node_keys_cover_every_node_unused_input_layers_too():
    from refkeras.graph.map_graph import make_node_key
    from refkeras.layers import Input

    a, unused = Input((2,), name="a"), Input((2,), name="unused")
    scale = Scale(name="s")
    fn = Function([a, unused], scale(a))
    producers = [x._keras_history.operation for x in (a, unused)] + [scale]
    assert fn._nodes == {make_node_key(op, 0) for op in producers}
    # An unused input layer ranks first at depth 0, before the output's operation;
    # among the nodes it comes last (it gets its depth last).
    assert [op.name for op in fn.operations] == ["a", "unused", "s"]
    assert [op.name for op in fn._operations_by_depth[0]] == ["unused", "s"]
    assert [n.operation.name for n in fn._nodes_by_depth[0]] == ["s", "unused"]


def test_an_operation_shared_by_two_outputs_is_walked_once():
    x = KerasTensor((2,))
    shared = Scale(2.0, name="shared")
    y = shared(x)
    fn = Function(x, [y, Plus(name="p")(y, y), y])
    assert [op.name for op in fn.operations] == ["shared", "p"]
    assert len(fn._schedule) == 2
    out = fn(np.ones((2,), "float32"))
    np.testing.assert_array_equal(np.asarray(out[1]), [4.0, 4.0])
