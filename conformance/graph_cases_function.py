"""Behaviour cases for Function and map_graph (see conformance/graph_case.py for the format)."""

from __future__ import annotations

import numpy as np

from conformance.adapters import digest, node_class, producer
from conformance.graph_builder import custom_ops
from conformance.graph_case import raises, strip_counter, to_numpy

ONES = np.ones((2, 3), "float32")


def _kt(lib, name=None, shape=(None, 3)):
    return lib.KerasTensor(shape, name=name)


def _by_name(op):
    return op.name


def operation_order(lib):
    """Creation order does not matter: ops come by depth, then by first visit from the outputs."""
    Scale = custom_ops(lib).Scale
    late, mid, early = Scale(name="late"), Scale(name="mid"), Scale(name="early")
    x = _kt(lib)
    out = lib.ops.concatenate([early(mid(x)), late(x)], axis=-1)
    fn = lib.Function(x, out)
    return [strip_counter(op.name) for op in fn.operations]


def shared_depth(lib):
    """A shared op sits at the largest depth among its calls."""
    Scale = custom_ops(lib).Scale
    shared, other = Scale(name="shared"), Scale(name="other")
    x = _kt(lib)
    fn = lib.Function(x, shared(other(shared(x))))
    return digest(fn, _by_name)


def diamond(lib):
    Scale = custom_ops(lib).Scale
    x = _kt(lib)
    top = Scale(name="top")(x)
    left, right = Scale(name="left")(top), Scale(name="right")(Scale(name="r0")(top))
    fn = lib.Function(x, lib.ops.add(left, right))
    return digest(fn, lambda op: strip_counter(op.name))


@raises(ValueError, "Graph disconnected: cannot find parent for tensor")
def disconnected(lib):
    a, b = _kt(lib), _kt(lib)
    lib.Function(a, a + b)


@raises(ValueError, "is part of a cycle")
def cycle_via_returned_input(lib):
    """An op whose output spec is its own input rewires that tensor's history onto itself."""

    class Same(lib.Operation):
        def call(self, x):
            return x

        def compute_output_spec(self, x):
            return x

    a = _kt(lib)
    b = lib.ops.negative(a)
    Same(name="same")(b)
    lib.Function(a, b)


@raises(ValueError, "is part of a cycle")
def cycle_via_manual_nodes(lib):
    Node, Scale = node_class(lib), custom_ops(lib).Scale
    first, second = Scale(name="first"), Scale(name="second")
    a, x, y = _kt(lib), _kt(lib), _kt(lib)
    Node(first, call_args=(y, a), call_kwargs={}, outputs=x)
    Node(second, call_args=(x,), call_kwargs={}, outputs=y)
    lib.Function(a, x)


@raises(ValueError, 'The name "dup" is used 2 times in the model. All operation names '
                    "should be unique.")
def duplicate_names(lib):
    Scale = custom_ops(lib).Scale
    a = _kt(lib)
    lib.Function(a, Scale(name="dup")(Scale(name="dup")(a)))


def _empty(side, value):
    @raises(ValueError, f"`{side}` argument cannot be empty")
    def case(lib):
        a = _kt(lib)
        full = lib.ops.negative(a)
        if side == "inputs":
            lib.Function(value, full)
        else:
            lib.Function(a, value)

    case.__name__ = f"empty {side} {value!r}"
    return case


EMPTY = [_empty(side, v) for side in ("inputs", "outputs") for v in ([], {}, (), [[]], {"k": []})]


@raises(ValueError, "Output with path `p.1.0` is not connected to `inputs`")
def unconnected_output(lib):
    a, b, d = _kt(lib), _kt(lib), _kt(lib)
    y = a + b
    lib.ops.negative(d)  # gives d a history, so the check reaches the output path
    lib.Function([a, b], {"p": [y, (d, d)]})


@raises(AttributeError, "has no attribute")
def never_consumed_input(lib):
    a, b = _kt(lib), _kt(lib)
    lib.Function([a, b], lib.ops.negative(a))


@raises(AttributeError, "has no attribute")
def never_consumed_output(lib):
    a, d = _kt(lib), _kt(lib)
    lib.Function(a, [lib.ops.negative(a), d])


def _structure(name, make_args):
    @raises(ValueError, "Function was called with an invalid input structure")
    def case(lib):
        a, b = _kt(lib), _kt(lib)
        c = lib.ops.negative(a)
        lib.Function({"b": [a, c], "a": b}, lib.ops.add(c, b))(make_args())

    case.__name__ = f"call structure: {name}"
    return case


BAD_STRUCTURES = [
    _structure("tuple for list", lambda: {"b": (ONES, ONES), "a": ONES}),
    _structure("missing key", lambda: {"b": [ONES, ONES]}),
    _structure("extra key", lambda: {"b": [ONES, ONES], "a": ONES, "c": ONES}),
    _structure("renamed key", lambda: {"b": [ONES, ONES], "x": ONES}),
    _structure("list for dict", lambda: [[ONES, ONES], ONES]),
    _structure("short list", lambda: {"b": [ONES], "a": ONES}),
    _structure("bare array", lambda: ONES),
]


def _shapes(name, array):
    @raises(ValueError, "Function was passed incompatible inputs. For input 'a', expected shape "
                        f"(None, 3), but received instead a tensor with shape {array.shape}")
    def case(lib):
        a = _kt(lib, "a")
        lib.Function(a, lib.ops.negative(a))(array)

    case.__name__ = f"call shape: {name}"
    return case


BAD_SHAPES = [_shapes("wrong dim", np.ones((2, 4), "float32")),
              _shapes("extra rank", np.ones((2, 3, 1), "float32")),
              _shapes("missing rank", np.ones((3,), "float32"))]


def free_dims(lib):
    """A None dim accepts any size."""
    a = _kt(lib, "a")
    fn = lib.Function(a, lib.ops.negative(a))
    return [to_numpy(fn(np.ones((n, 3), "float32"))) for n in (1, 5)]


def unused_input(lib):
    """An input that reaches no output is allowed (since 3.14; the seed refused it)."""
    a, b = _kt(lib), _kt(lib)
    lib.ops.negative(b)
    fn = lib.Function([a, b], lib.ops.multiply(a, 3.0))
    return [strip_counter(op.name) for op in fn.operations], to_numpy(fn([ONES, 2 * ONES]))


def intermediate_input(lib):
    """A produced tensor as input: the operations before it are left out of the Function."""
    a = _kt(lib)
    mid = lib.ops.multiply(a, 2.0)
    fn = lib.Function(mid, lib.ops.negative(lib.ops.add(mid, 1.0)))
    return [strip_counter(op.name) for op in fn.operations], to_numpy(fn(ONES))


def passthrough(lib):
    """An input that is also an output comes back as the very object passed in."""
    a, b = _kt(lib), _kt(lib)
    fn = lib.Function([a, b], {"s": a + b, "a": [a]})
    given = 2 * ONES
    out = fn([given, ONES])
    return out["a"][0] is given, list(out), to_numpy(out["s"])


def flat_inputs_outputs(lib):
    a, b = _kt(lib), _kt(lib)
    y = a * b
    z = lib.ops.negative(y)
    fn = lib.Function({"z": b, "a": [a]}, (z, {"y": y}))
    ops = fn.operations
    ops.append(None)
    return ([t is s for t, s in zip(fn.inputs, (a, b))], type(fn.inputs).__name__,
            [t is s for t, s in zip(fn.outputs, (z, y))], type(fn.outputs).__name__,
            len(fn.operations), len(ops))


def function_names(lib):
    a = _kt(lib)
    out = lib.ops.negative(a)
    names = [lib.Function(a, out).name, lib.Function(a, out).name, lib.Function(a, out, name="f").name]
    return strip_counter(names[0]), names[1] != names[0], names[2]


def symbolic_call(lib):
    """Calling a Function on KerasTensors records one node of the Function itself."""
    a, b = _kt(lib), _kt(lib)
    fn = lib.Function({"a": a, "b": b}, [a + b, lib.ops.negative(a)])
    same = fn({"a": _kt(lib), "b": _kt(lib)})
    fixed = fn({"a": _kt(lib, shape=(7, 3)), "b": _kt(lib, shape=(7, 3))})
    return ([type(t).__name__ for t in same], [t.shape for t in same],
            [t.shape for t in fixed], [t.dtype for t in fixed],
            producer(same[0]) is fn, producer(fixed[1]) is fn)


def nested_function(lib):
    a = _kt(lib)
    inner_in = _kt(lib)
    inner = lib.Function(inner_in, lib.ops.multiply(inner_in, 2.0), name="inner")
    fn = lib.Function(a, lib.ops.add(inner(a), 1.0))
    return [strip_counter(op.name) for op in fn.operations], to_numpy(fn(ONES))
