"""Behaviour cases for KerasTensor (see conformance/graph_case.py for the format)."""

from __future__ import annotations

import re

import numpy as np

from conformance.adapters import history
from conformance.graph_builder import custom_ops
from conformance.graph_case import raises, strip_counter, to_numpy


def attributes(lib):
    x = lib.KerasTensor([2, None, np.int64(3)], dtype="float16", name="t")
    return (x.shape, tuple(type(d).__name__ for d in x.shape), x.dtype, x.sparse,
            x.ragged, x.ndim, x.name)


def defaults(lib):
    x = lib.KerasTensor(())
    return x.shape, x.dtype, x.sparse, x.ragged, x.ndim


def flags(lib):
    s = lib.KerasTensor((2,), sparse=True, name="s")
    r = lib.KerasTensor((2,), ragged=True, name="r")
    return (s.sparse, s.ragged), (r.sparse, r.ragged)


def dtype_standardized(lib):
    return [lib.KerasTensor((1,), dtype=d).dtype for d in (np.int64, "int8", np.dtype("bool"))]


@raises(ValueError, "Cannot convert")
def shape_string_dim(lib):
    lib.KerasTensor((2, "3"))


@raises(ValueError, "Negative dimensions are not allowed")
def shape_negative_dim(lib):
    lib.KerasTensor((2, -1))


@raises(ValueError, "Cannot convert")
def shape_float_dim(lib):
    lib.KerasTensor((2, 3.0))


@raises(ValueError, "Cannot convert '5' to a shape")
def shape_not_a_sequence(lib):
    lib.KerasTensor(5)


@raises(ValueError, "Invalid dtype: bogus")
def dtype_unknown(lib):
    lib.KerasTensor((2,), dtype="bogus")


@raises(ValueError, "cannot have `sparse=True` and `ragged=True`")
def sparse_and_ragged(lib):
    lib.KerasTensor((2,), sparse=True, ragged=True)


@raises(TypeError, "Unexpected keyword arguments: foo")
def unexpected_keyword(lib):
    lib.KerasTensor((2,), foo=1)


def _immutable(attribute, value):
    @raises(AttributeError, f"The `{attribute}` attribute of KerasTensor is immutable")
    def case(lib):
        setattr(lib.KerasTensor((2,)), attribute, value)

    case.__name__ = f"{attribute}_immutable"
    return case


IMMUTABLE = [_immutable("shape", (3,)), _immutable("dtype", "int32"),
             _immutable("sparse", True), _immutable("ragged", True)]


@raises(TypeError, "A symbolic KerasTensor cannot be used as a boolean")
def no_bool(lib):
    bool(lib.KerasTensor((2,)))


@raises(NotImplementedError, "Iterating over a symbolic KerasTensor is not supported")
def no_iter(lib):
    iter(lib.KerasTensor((2,)))


@raises(ValueError, "You cannot convert it to an int")
def no_int(lib):
    int(lib.KerasTensor(()))


@raises(ValueError, "You cannot convert it to a float")
def no_float(lib):
    float(lib.KerasTensor(()))


@raises(ValueError, "You cannot convert it to a NumPy array")
def no_numpy(lib):
    np.asarray(lib.KerasTensor((2,)))


def identity(lib):
    x, y = lib.KerasTensor((2,)), lib.KerasTensor((2,))
    return x == y, x == x, x in [y, x], y in [x], len({x, y, x}), hash(x) == hash(x)


def reprs(lib):
    return [repr(lib.KerasTensor((None, 3), dtype="int32", name="t")),
            repr(lib.KerasTensor([2, None], dtype="float16", sparse=True, name="u")),
            repr(lib.KerasTensor((2,), dtype="float64", ragged=True, name="v"))]


def auto_names(lib):
    first, second = lib.KerasTensor((1,)).name, lib.KerasTensor((1,)).name
    number = [int(m[1]) if (m := re.search(r"_(\d+)$", n)) else 0 for n in (first, second)]
    return strip_counter(first), strip_counter(second), number[1] - number[0]


def histories(lib):
    """History of an entry point, of a shared op's second call, of a two-output op."""
    kit = custom_ops(lib)
    x = lib.KerasTensor((None, 4))
    before = history(x)
    scale = kit.Scale(2.0, name="scale_h")
    y = scale(scale(x))
    first, second = kit.Pair(name="pair_h")(x, y)

    def named(tensor):
        op, node, index = history(tensor)
        return (None if op is None else op.name), node, index

    return before, named(x), named(y), named(first), named(second)


# Python operators of KerasTensor: each records one operation (its auto name
# without counter is compared) and must compute the same values.
OPERATORS = {
    "x+y": lambda x, y: x + y, "2+x": lambda x, y: 2.0 + x,
    "x-y": lambda x, y: x - y, "2-x": lambda x, y: 2.0 - x,
    "x*y": lambda x, y: x * y, "2*x": lambda x, y: 2.0 * x,
    "x/y": lambda x, y: x / y, "2/x": lambda x, y: 2.0 / x,
    "x@W": lambda x, y: x @ np.eye(3, 2, dtype="float32"),
    "-x": lambda x, y: -x, "abs": lambda x, y: abs(x),
    "x**2": lambda x, y: x**2, "2**x": lambda x, y: 2.0**x,
    "x//y": lambda x, y: x // y, "2//x": lambda x, y: 2.0 // x,
    "x%y": lambda x, y: x % y, "2%x": lambda x, y: 2.0 % x,
    "x<y": lambda x, y: x < y, "x<=y": lambda x, y: x <= y,
    "x>y": lambda x, y: x > y, "x>=y": lambda x, y: x >= y, "x!=y": lambda x, y: x != y,
    "x[:,1]": lambda x, y: x[:, 1], "round": lambda x, y: round(x),
}
BOOL_OPERATORS = {
    "a&b": lambda a, b: a & b, "True&a": lambda a, b: True & a, "a|b": lambda a, b: a | b,
    "a^b": lambda a, b: a ^ b, "~a": lambda a, b: ~a,
}


def operator(symbol):
    """A case applying one operator symbolically, then through a Function on fixed arrays."""
    boolean = symbol in BOOL_OPERATORS
    apply = (BOOL_OPERATORS if boolean else OPERATORS)[symbol]

    def case(lib):
        dtype = "bool" if boolean else "float32"
        x, y = lib.KerasTensor((5, 3), dtype=dtype), lib.KerasTensor((5, 3), dtype=dtype)
        out = apply(x, y)
        rng = np.random.default_rng(7)
        values = [rng.uniform(0.5, 2.0, (5, 3)).astype("float32") for _ in range(2)]
        if boolean:
            values = [v > 1.2 for v in values]
        # A never-consumed input has no history and upstream refuses it: leave y out then.
        inputs = [x, y] if history(y) is not None else [x]
        result = to_numpy(lib.Function(inputs, out)(values[: len(inputs)]))
        return strip_counter(history(out)[0].name), out.shape, out.dtype, result

    case.__name__ = f"operator {symbol}"
    return case
