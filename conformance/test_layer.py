"""Differential tests of ``Layer``, ``InputSpec``, ``Input`` and ``InputLayer``.

Fixed cases live in ``conformance/layer_cases.py`` and ``layer_call_cases.py``; the
property tests below draw random layer trees (state in nested containers, ``training``
values at every level) and random input specs, and compare both libraries. Layers
whose values matter get upstream's weights copied in, so outputs must be identical.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import conformance.layer_call_cases as cc
import conformance.layer_cases as lc
from conformance.graph_case import assert_alike, check_error, run, to_numpy

spec = pytest.mark.spec

CASES = [
    pytest.param(lc.unknown_kwargs, marks=spec("layer.init.unknown_kwargs")),
    pytest.param(lc.trainable_not_bool, marks=spec("layer.init.trainable_bool")),
    pytest.param(lc.super_not_called, marks=spec("layer.init.super_not_called")),
    pytest.param(lc.input_shape_warning, marks=spec("layer.init.input_shape")),
    pytest.param(lc.base_config_and_repr,
                 marks=spec("layer.config.base", "layer.init.repr", "layer.init.arguments")),
    pytest.param(lc.nested_tracking,
                 marks=spec("layer.tracking.attributes", "layer.tracking.dedup",
                            "layer.weights.order", "layer.weights.path")),
    pytest.param(lc.locked_after_build, marks=spec("layer.tracking.lock")),
    pytest.param(lc.locked_sublayer, marks=spec("layer.tracking.lock")),
    pytest.param(lc.delete_attribute, marks=spec("layer.tracking.delete")),
    pytest.param(lc.trainable_propagation, marks=spec("layer.trainable.propagate")),
    pytest.param(lc.add_weight_defaults, marks=spec("layer.add_weight.defaults")),
    pytest.param(lc.add_weight_positional_name, marks=spec("layer.add_weight.defaults")),
    pytest.param(lc.weights_round_trip,
                 marks=spec("layer.weights.get_set", "layer.weights.save_load",
                            "layer.weights.count_params")),
    pytest.param(lc.set_weights_wrong_length, marks=spec("layer.weights.set_errors")),
    pytest.param(lc.set_weights_wrong_shape, marks=spec("layer.weights.set_errors")),
    pytest.param(lc.count_params_unbuilt, marks=spec("layer.weights.count_params")),
    pytest.param(lc.load_unbuilt, marks=spec("layer.weights.load_errors")),
    pytest.param(lc.load_wrong_count, marks=spec("layer.weights.load_errors")),
    pytest.param(cc.build_signatures, marks=spec("layer.build.first_call", "layer.build.config")),
    pytest.param(cc.build_bad_suffix, marks=spec("layer.build.signature_error")),
    pytest.param(cc.build_unknown_argument, marks=spec("layer.build.signature_error")),
    pytest.param(cc.build_chain_and_direct, marks=spec("layer.build.record")),
    pytest.param(cc.default_build, marks=spec("layer.build.default")),
    pytest.param(cc.positional_non_tensor, marks=spec("layer.call.positional_tensors")),
    pytest.param(cc.positional_nested_non_tensor, marks=spec("layer.call.positional_tensors")),
    pytest.param(cc.nested_mixed, marks=spec("layer.call.nested_mixed")),
    pytest.param(cc.conversion_and_autocast,
                 marks=spec("layer.call.convert", "layer.call.autocast_scope")),
    pytest.param(cc.masks, marks=spec("layer.call.masks", "layer.call.mask_warning")),
    pytest.param(cc.symbolic_calls, marks=spec("layer.call.symbolic")),
    pytest.param(cc.input_spec_on_call, marks=spec("layer.call.input_spec")),
    pytest.param(cc.add_loss_non_tensor, marks=spec("layer.losses.collect")),
    pytest.param(cc.stateless_unbuilt, marks=spec("layer.stateless_call.errors")),
    pytest.param(cc.stateless_wrong_trainable, marks=spec("layer.stateless_call.errors")),
    pytest.param(cc.stateless_wrong_non_trainable, marks=spec("layer.stateless_call.errors")),
    pytest.param(cc.add_metric, marks=spec("layer.add_metric")),
    pytest.param(cc.input_spec_config, marks=spec("layer.input_spec.fields")),
    pytest.param(cc.input_spec_bad_axes, marks=spec("layer.input_spec.fields")),
    pytest.param(cc.input_spec_axis_too_large, marks=spec("layer.input_spec.fields")),
    pytest.param(cc.input_layer_configs,
                 marks=spec("layer.input_layer.config", "layer.input_layer.shapes",
                            "layer.input.returns")),
    *[pytest.param(c, marks=spec("layer.input_layer.shapes", "layer.input_layer.tensor"))
      for c in cc.INPUT_ERRORS],
]


def _compare(case, impl, upstream, *extra: Any) -> None:
    expected = getattr(case, "expected_error", None)
    want_kind, want = run(lambda lib: case(lib, *extra), upstream)
    got_kind, got = run(lambda lib: case(lib, *extra), impl)
    if expected is not None:
        check_error(want, expected, "upstream")
        check_error(got, expected, impl.__name__)
        return
    assert want_kind == "ok", f"harness: upstream raised {want!r}"
    assert got_kind == "ok", f"{impl.__name__} raised {got!r}"
    assert_alike(_plain(got), _plain(want))


def _plain(value: Any) -> Any:
    """Results as plain data: tensors and arrays to numpy, shapes to tuples."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):  # tracking list subclasses compare as lists
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if hasattr(value, "__array__") and not isinstance(value, np.ndarray):
        return to_numpy(value)
    return value




@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__)
def test_case(impl, upstream, case):
    """Each case behaves alike: same plain result, or same error class and key phrase."""
    _compare(case, impl, upstream)


@pytest.fixture
def upstream_block(upstream):
    block = lc.kit(upstream)[2](name="block")
    block.build((None, 3))
    return block


@spec("layer.weights.get_set", "layer.build.first_call")
@pytest.mark.parametrize("case", [cc.outputs_with_copied_weights, cc.stateless,
                                  cc.losses_and_activity], ids=lambda c: c.__name__)
@spec("layer.stateless_call.result", "layer.losses.collect", "layer.call.activity_regularizer")
def test_with_upstream_weights(impl, upstream, upstream_block, case):
    """Given upstream's weights, outputs, losses and state updates are identical."""
    _compare(case, impl, upstream, upstream_block)


# --- property tests ------------------------------------------------------------------------

# A state tree: ("var", trainable) | ("layer", [children]) | ("list", [...]) | ("dict", [...])
_LEAF = st.tuples(st.just("var"), st.booleans())
_TREES = st.recursive(
    _LEAF,
    lambda inner: st.tuples(st.sampled_from(["layer", "list", "dict", "tuple"]),
                            st.lists(inner, max_size=3)),
    max_leaves=8,
)


def _realise(lib: Any, tree: Any, counter: list) -> Any:
    """Builds the objects a state tree describes (names unique within the example)."""
    kind, payload = tree
    counter[0] += 1
    n = counter[0]
    if kind == "var":
        return lib.Variable(np.full((n % 3 + 1,), float(n), "float32"), name=f"v{n}",
                            trainable=payload)
    children = [_realise(lib, child, counter) for child in payload]
    if kind == "list":
        return children
    if kind == "tuple":
        return tuple(children)
    if kind == "dict":
        return {f"k{len(children) - i}": c for i, c in enumerate(children)}
    holder = lc.layers(lib).Layer(name=f"h{n}")
    holder.children = children
    return holder


def _state_digest(lib: Any, tree: Any, freeze: bool) -> Any:
    root = lc.layers(lib).Layer(name="root")
    root.state = _realise(lib, tree, [0])
    if freeze:
        root.trainable = False
    paths = lambda vs: [(v.path, v.trainable) for v in vs]  # noqa: E731
    return (paths(root.weights), paths(root.trainable_weights), paths(root.non_trainable_weights),
            paths(root.variables), [layer.name for layer in root._flatten_layers()])


@spec("layer.tracking.attributes", "layer.tracking.dedup", "layer.weights.order",
      "layer.trainable.propagate")
@given(tree=_TREES, freeze=st.booleans())
def test_random_state_trees(impl, upstream, tree, freeze):
    """Variables and layers nested in containers are listed in upstream's order."""
    assert _state_digest(impl, tree, freeze) == _state_digest(upstream, tree, freeze)


# A call tree: (default, explicit, [children]); default "absent" means call() takes no
# `training`; explicit "omit" means the parent passes nothing.
_TRAINING = st.sampled_from(["omit", None, True, False])
_CALLS = st.recursive(
    st.tuples(st.sampled_from(["absent", None, True, False]), _TRAINING, st.just([])),
    lambda inner: st.tuples(st.sampled_from(["absent", None, True, False]), _TRAINING,
                            st.lists(inner, max_size=3)),
    max_leaves=7,
)


def _call_log(lib: Any, tree: Any, outer: Any) -> list:
    base = lc.layers(lib).Layer
    log: list = []

    def make(node: Any, tag: str) -> Any:
        default, explicit, children = node
        kids = [make(child, f"{tag}.{i}") for i, child in enumerate(children)]

        def run_children(layer: Any, x: Any) -> Any:
            for kid, (_, kid_explicit, _) in zip(layer.kids, children):
                x = kid(x) if kid_explicit == "omit" else kid(x, training=kid_explicit)
            return x

        if default == "absent":
            class Node(base):
                def build(self, input_shape):
                    pass

                def call(self, x):
                    log.append((tag, "absent"))
                    return run_children(self, x)
        else:
            class Node(base):
                def build(self, input_shape):
                    pass

                def call(self, x, training=default):
                    log.append((tag, training))
                    return run_children(self, x)

        layer = Node(name=f"n{len(tag)}")
        layer.kids = kids
        return layer

    root = make(tree, "r")
    if outer == "omit":
        root(lc.X)
    else:
        root(lc.X, training=outer)
    return log


@spec("layer.call.training_resolution")
@given(tree=_CALLS, outer=_TRAINING)
def test_random_training_resolution(impl, upstream, tree, outer):
    """Every layer of a random call tree sees the `training` value upstream gives it."""
    assert _call_log(impl, tree, outer) == _call_log(upstream, tree, outer)


_DIM = st.one_of(st.none(), st.integers(1, 4))


@spec("layer.input_spec.checks", "layer.input_spec.structure")
@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=4),
       spec_kwargs=st.fixed_dictionaries({}, optional={
           "ndim": st.integers(1, 4), "max_ndim": st.integers(1, 4),
           "min_ndim": st.integers(1, 4), "dtype": st.sampled_from(["float32", "int32"]),
           "shape": st.lists(_DIM, min_size=1, max_size=4).map(tuple),
           "allow_last_axis_squeeze": st.booleans(),
           "axes": st.dictionaries(st.integers(-1, 0), st.integers(1, 4), max_size=1)}))
def test_random_input_specs(impl, upstream, shape, spec_kwargs):
    """An input passes or fails a random InputSpec exactly as upstream decides."""
    data = np.zeros(shape, "float32")

    def case(lib: Any) -> Any:
        module = lc.layers(lib)
        try:
            input_spec = module.InputSpec(**spec_kwargs)
        except (ValueError, TypeError) as e:
            return ("bad spec", type(e).__name__)

        class Checked(module.Layer):
            def call(self, x):
                return x

        layer = Checked(name="checked")
        layer.input_spec = input_spec
        return tuple(layer(data).shape)

    want_kind, want = run(case, upstream)
    got_kind, got = run(case, impl)
    assert got_kind == want_kind, f"upstream {want_kind} {want!r}; {impl.__name__} {got!r}"
    if want_kind == "raised":
        assert type(got) is type(want)
        assert str(want).split(":")[0] in str(got)
    else:
        assert got == want
