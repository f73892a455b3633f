"""Differential tests of the symbolic graph core: KerasTensor, Node, Operation, Function, map_graph.

Random graphs (conformance/strategies/graphs.py) are realised with both
libraries (conformance/graph_builder.py) and compared through the digests of
conformance/adapters.py; fixed behaviour cases live in conformance/graph_cases_*.py.
Every test cites the rules of specs/graph.md it checks.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given

import conformance.graph_cases_function as fcases
import conformance.graph_cases_operation as ocases
import conformance.graph_cases_tensor as tcases
from conformance.adapters import digest, history
from conformance.graph_builder import Built, build, custom_ops, feed, realise
from conformance.graph_case import assert_alike, check_error, run, to_numpy
from conformance.strategies.graphs import leaves, recipes
from conformance.tolerances import assert_close

spec = pytest.mark.spec


def _both(impl, upstream, recipe) -> tuple[Built, Built]:
    """Builds a recipe predicted valid with both libraries; both must accept it."""
    want = build(upstream, recipe)
    assert want.error is None, f"harness: upstream refused a recipe predicted valid: {want.error!r}"
    got = build(impl, recipe)
    assert got.error is None, f"{impl.__name__} refused a graph upstream accepts: {got.error!r}"
    return got, want


def _pairs(structure: Any, result: Any):
    """(pool position, result leaf) along a recipe structure and the Function's result."""
    if isinstance(structure, dict):
        for key, value in structure.items():
            yield from _pairs(value, result[key])
    elif isinstance(structure, list | tuple):
        for value, item in zip(structure, result):
            yield from _pairs(value, item)
    else:
        yield structure, result


# --- random graphs ---------------------------------------------------------------------


@spec("graph.map_graph.operation_order", "graph.map_graph.walk",
      "graph.map_graph.intermediate_inputs", "graph.map_graph.unused_inputs")
@given(recipe=recipes())
def test_operation_order(impl, upstream, recipe):
    got, want = _both(impl, upstream, recipe)
    assert digest(got.function, got.label).operations == \
        digest(want.function, want.label).operations


@spec("graph.map_graph.operation_order", "graph.map_graph.unused_inputs")
@given(recipe=recipes())
def test_operations_by_depth(impl, upstream, recipe):
    got, want = _both(impl, upstream, recipe)
    assert digest(got.function, got.label).operations_by_depth == \
        digest(want.function, want.label).operations_by_depth


@spec("graph.map_graph.depth", "graph.map_graph.shared_depth", "graph.map_graph.walk")
@given(recipe=recipes())
def test_node_depths(impl, upstream, recipe):
    got, want = _both(impl, upstream, recipe)
    assert dict(digest(got.function, got.label).depths) == \
        dict(digest(want.function, want.label).depths)


@spec("graph.map_graph.node_order")
@given(recipe=recipes())
def test_node_order(impl, upstream, recipe):
    got, want = _both(impl, upstream, recipe)
    assert digest(got.function, got.label).schedule == digest(want.function, want.label).schedule


@spec("graph.node.wiring", "graph.keras_tensor.history")
@given(recipe=recipes())
def test_wiring_and_history(impl, upstream, recipe):
    got, want = _both(impl, upstream, recipe)
    assert digest(got.function, got.label).wiring == digest(want.function, want.label).wiring

    def histories(built):
        found = [history(t) for t in built.pool]
        return [h and (h[0] and built.label(h[0]), h[1], h[2]) for h in found]

    assert histories(got) == histories(want)


@spec("graph.function.flat_io")
@given(recipe=recipes())
def test_flat_inputs_outputs(impl, upstream, recipe):
    got, want = _both(impl, upstream, recipe)
    assert got.positions(got.function.inputs) == want.positions(want.function.inputs)
    assert got.positions(got.function.outputs) == want.positions(want.function.outputs)
    assert type(got.function.inputs) is list and type(got.function.outputs) is list


@spec("graph.function.call", "graph.function.structures", "graph.function.execution_order")
@given(recipe=recipes())
def test_evaluation(impl, upstream, recipe):
    got, want = _both(impl, upstream, recipe)
    arrays = feed(recipe)
    want_out = to_numpy(want.function(arrays))
    got_out = to_numpy(got.function(arrays))
    assert_alike(got_out, want_out, "outputs")
    assert got.log == want.log, "custom operations ran in a different order"


@spec("graph.function.passthrough")
@given(recipe=recipes())
def test_passthrough_identity(impl, upstream, recipe):
    declared = set(leaves(recipe.inputs))
    arrays = feed(recipe)
    given_arrays = dict(_pairs(recipe.inputs, arrays))
    for built in _both(impl, upstream, recipe):
        result = built.function(arrays)
        for position, leaf in _pairs(recipe.outputs, result):
            if position in declared:
                assert leaf is given_arrays[position], (built.lib.__name__, position)


@spec("graph.function.symbolic_call")
@given(recipe=recipes())
def test_symbolic_call(impl, upstream, recipe):
    got, want = _both(impl, upstream, recipe)
    for shape in ((None, 4), (3, 4)):
        results = []
        for built in (got, want):
            make = built.lib.KerasTensor
            new = realise(recipe.inputs, lambda _, make=make, shape=shape: make(shape))
            out = built.function(new)
            results.append([(t.shape, t.dtype, type(t).__name__)
                            for _, t in _pairs(recipe.outputs, out)])
        assert results[0] == results[1], f"input shape {shape}"


@spec("graph.map_graph.disconnected", "graph.function.unconnected_output")
@given(recipe=recipes(broken=True))
def test_broken_graphs(impl, upstream, recipe):
    expected = (ValueError, recipe.expected_error())
    check_error(build(upstream, recipe).error, expected, "upstream")
    check_error(build(impl, recipe).error, expected, impl.__name__)


# --- fixed cases -----------------------------------------------------------------------

CASES = [
    # KerasTensor
    pytest.param(tcases.attributes, marks=spec("graph.keras_tensor.attributes")),
    pytest.param(tcases.defaults, marks=spec("graph.keras_tensor.attributes")),
    pytest.param(tcases.flags, marks=spec("graph.keras_tensor.attributes")),
    pytest.param(tcases.dtype_standardized, marks=spec("graph.keras_tensor.attributes")),
    pytest.param(tcases.shape_string_dim, marks=spec("graph.keras_tensor.validation")),
    pytest.param(tcases.shape_negative_dim, marks=spec("graph.keras_tensor.validation")),
    pytest.param(tcases.shape_float_dim, marks=spec("graph.keras_tensor.validation")),
    pytest.param(tcases.shape_not_a_sequence, marks=spec("graph.keras_tensor.validation")),
    pytest.param(tcases.dtype_unknown, marks=spec("graph.keras_tensor.validation")),
    pytest.param(tcases.sparse_and_ragged, marks=spec("graph.keras_tensor.validation")),
    pytest.param(tcases.unexpected_keyword, marks=spec("graph.keras_tensor.validation")),
    *[pytest.param(c, marks=spec("graph.keras_tensor.immutable")) for c in tcases.IMMUTABLE],
    pytest.param(tcases.no_bool, marks=spec("graph.keras_tensor.no_value")),
    pytest.param(tcases.no_iter, marks=spec("graph.keras_tensor.no_value")),
    pytest.param(tcases.no_int, marks=spec("graph.keras_tensor.no_value")),
    pytest.param(tcases.no_float, marks=spec("graph.keras_tensor.no_value")),
    pytest.param(tcases.no_numpy, marks=spec("graph.keras_tensor.no_value")),
    pytest.param(tcases.identity, marks=spec("graph.keras_tensor.identity")),
    pytest.param(tcases.reprs, marks=spec("graph.keras_tensor.repr")),
    pytest.param(tcases.auto_names, marks=spec("graph.keras_tensor.auto_name")),
    pytest.param(tcases.histories, marks=spec("graph.keras_tensor.history")),
    *[pytest.param(tcases.operator(s), marks=spec("graph.keras_tensor.operators"))
      for s in [*tcases.OPERATORS, *tcases.BOOL_OPERATORS]],
    # Operation and Node
    pytest.param(ocases.auto_names, marks=spec("graph.operation.auto_name")),
    pytest.param(ocases.name_accepted, marks=spec("graph.operation.name")),
    *[pytest.param(c, marks=spec("graph.operation.name")) for c in ocases.BAD_NAMES],
    pytest.param(ocases.reprs, marks=spec("graph.operation.repr")),
    pytest.param(ocases.node_repr, marks=spec("graph.node.repr")),
    pytest.param(ocases.eager_dispatch, marks=spec("graph.operation.dispatch")),
    pytest.param(ocases.nested_symbolic_dispatch, marks=spec("graph.operation.dispatch")),
    pytest.param(ocases.base_call, marks=spec("graph.operation.call")),
    pytest.param(ocases.inferred_spec, marks=spec("graph.operation.output_spec")),
    *[pytest.param(c, marks=spec("graph.operation.output_spec_error"))
      for c in ocases.FAILING_INFERENCE],
    pytest.param(ocases.base_symbolic_call, marks=spec("graph.operation.output_spec_error")),
    pytest.param(ocases.non_tensor_output, marks=spec("graph.node.outputs_are_tensors")),
    pytest.param(ocases.input_output, marks=spec("graph.operation.input_output")),
    pytest.param(ocases.input_never_called, marks=spec("graph.operation.never_called")),
    pytest.param(ocases.output_never_called, marks=spec("graph.operation.never_called")),
    pytest.param(ocases.node_index_out_of_range, marks=spec("graph.operation.node_index")),
    pytest.param(ocases.wiring, marks=spec("graph.node.wiring")),
    pytest.param(ocases.auto_config, marks=spec("graph.operation.auto_config")),
    *[pytest.param(c, marks=spec("graph.operation.auto_config_refused"))
      for c in ocases.REFUSED_CONFIGS],
    pytest.param(ocases.from_config, marks=spec("graph.operation.from_config")),
    pytest.param(ocases.from_config_bad_key, marks=spec("graph.operation.from_config")),
    # Function and map_graph
    pytest.param(fcases.operation_order, marks=spec("graph.map_graph.operation_order")),
    pytest.param(fcases.shared_depth, marks=spec("graph.map_graph.shared_depth")),
    pytest.param(fcases.diamond, marks=spec("graph.map_graph.depth")),
    pytest.param(fcases.disconnected, marks=spec("graph.map_graph.disconnected")),
    pytest.param(fcases.cycle_via_returned_input, marks=spec("graph.map_graph.cycle")),
    pytest.param(fcases.cycle_via_manual_nodes, marks=spec("graph.map_graph.cycle")),
    pytest.param(fcases.duplicate_names, marks=spec("graph.map_graph.unique_names")),
    *[pytest.param(c, marks=spec("graph.function.empty")) for c in fcases.EMPTY],
    pytest.param(fcases.unconnected_output, marks=spec("graph.function.unconnected_output")),
    pytest.param(fcases.never_consumed_input, marks=spec("graph.function.never_consumed")),
    pytest.param(fcases.never_consumed_output, marks=spec("graph.function.never_consumed")),
    *[pytest.param(c, marks=spec("graph.function.input_structure")) for c in fcases.BAD_STRUCTURES],
    *[pytest.param(c, marks=spec("graph.function.input_shapes")) for c in fcases.BAD_SHAPES],
    pytest.param(fcases.free_dims, marks=spec("graph.function.input_shapes")),
    pytest.param(fcases.unused_input, marks=spec("graph.map_graph.unused_inputs")),
    pytest.param(fcases.intermediate_input, marks=spec("graph.map_graph.intermediate_inputs")),
    pytest.param(fcases.passthrough, marks=spec("graph.function.passthrough")),
    pytest.param(fcases.flat_inputs_outputs, marks=spec("graph.function.flat_io")),
    pytest.param(fcases.function_names, marks=spec("graph.function.name")),
    pytest.param(fcases.symbolic_call, marks=spec("graph.function.symbolic_call")),
    pytest.param(fcases.nested_function, marks=spec("graph.function.call")),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__)
def test_case(impl, upstream, case):
    """Each case behaves alike: same plain result, or same error class and key phrase."""
    expected = getattr(case, "expected_error", None)
    want_kind, want = run(case, upstream)
    got_kind, got = run(case, impl)
    if expected is not None:
        check_error(want, expected, "upstream")
        check_error(got, expected, impl.__name__)
    else:
        assert want_kind == "ok", f"harness: upstream raised {want!r}"
        assert got_kind == "ok", f"{impl.__name__} raised {got!r}"
        assert_alike(got, want)


# --- depth beyond upstream's recursion limit -------------------------------------------


def _chain(lib, length: int):
    shift = custom_ops(lib).Shift
    x = lib.KerasTensor((None, 2))
    ops = [shift() for _ in range(length)]
    y = x
    for op in ops:
        y = op(y)
    return x, y, ops


@spec("graph.map_graph.no_recursion_limit")
def test_deep_chain(impl):
    if impl.__name__ == "keras":
        pytest.skip("upstream walks graphs recursively (RecursionError near 990 operations); "
                    "this rule is one where refkeras deliberately does better")
    x, y, ops = _chain(impl, 10_000)
    fn = impl.Function(x, y)
    assert [id(op) for op in fn.operations] == [id(op) for op in ops]
    out = to_numpy(fn(np.zeros((1, 2), "float32")))
    assert_close(out, np.full((1, 2), 10_000.0, "float32"), "exact")  # 0 + 1, 10,000 times


@spec("graph.map_graph.no_recursion_limit")
def test_upstream_recursion_limit(upstream):
    """Documents the upstream limit the rule above is measured against."""
    x, y, _ = _chain(upstream, 2_000)
    with pytest.raises(RecursionError):
        upstream.Function(x, y)
