"""Differential tests of ``ops``: refkeras against upstream keras, symbolic and eager.

Each example is drawn as plain data (``Arg`` descriptions of tensors and scalars), then
realised once per library: as KerasTensors (``symbolic``) or as NumPy arrays / backend
tensors with identical values (``eager``). Both libraries run the op; either both raise the
same exception class, or the results agree: shape, dtype, sparseness and recording op class
symbolically; bit-exact values eagerly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import ml_dtypes
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from conformance.tolerances import assert_close

BACKEND = os.environ.get("KERAS_BACKEND", "tensorflow")
INT_DTYPES = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32")
FLOAT_DTYPES = ("bfloat16", "float16", "float32", "float64")
DTYPES = ("bool",) + INT_DTYPES + FLOAT_DTYPES
MODES = ("symbolic", "eager")


# --- drawn data -> library objects ------------------------------------------------------
@dataclass(frozen=True)
class Arg:
    """A tensor operand: realised as a KerasTensor, or as values from ``seed``."""

    shape: tuple
    dtype: str
    seed: int = 0
    as_tensor: bool = False  # eager: pass a backend tensor rather than a NumPy array


def values(arg: Arg) -> np.ndarray:
    """Deterministic values for ``arg`` (small ints, normal floats scaled by 3)."""
    rng = np.random.default_rng(arg.seed)
    if arg.dtype == "bool":
        return rng.random(arg.shape) < 0.5
    if arg.dtype in INT_DTYPES:
        low = 0 if arg.dtype.startswith("u") else -5
        return rng.integers(low, 6, size=arg.shape).astype(arg.dtype)
    floats = (rng.standard_normal(arg.shape) * 3).astype(np.float32)
    return floats.astype(ml_dtypes.bfloat16 if arg.dtype == "bfloat16" else arg.dtype)


def realise(lib: Any, mode: str, x: Any) -> Any:
    """``x`` with every ``Arg`` replaced by ``lib``'s version of it."""
    if isinstance(x, Arg):
        if mode == "symbolic":
            return lib.KerasTensor(x.shape, dtype=x.dtype)
        array = values(x)
        return lib.ops.convert_to_tensor(array) if x.as_tensor else array
    if isinstance(x, (list, tuple)):
        return type(x)(realise(lib, mode, item) for item in x)
    return x


def outcome(lib: Any, mode: str, op: str, args: tuple, kwargs: dict) -> tuple[Any, Any]:
    try:
        fn = getattr(lib.ops, op)
        return fn(*realise(lib, mode, args), **realise_kwargs(lib, mode, kwargs)), None
    except Exception as e:  # noqa: BLE001  (the exception is the observation)
        return None, e


def realise_kwargs(lib: Any, mode: str, kwargs: dict) -> dict:
    return {k: realise(lib, mode, v) for k, v in kwargs.items()}


def compare(impl: Any, upstream: Any, mode: str, op: str, *args: Any, **kwargs: Any) -> None:
    """Runs ``op`` in both libraries and asserts identical observable outcomes."""
    want, want_error = outcome(upstream, mode, op, args, kwargs)
    got, got_error = outcome(impl, mode, op, args, kwargs)
    if want_error is not None:
        assert got_error is not None, (
            f"upstream raised {type(want_error).__name__}: {want_error}, impl returned {got}")
        assert type(got_error).__name__ == type(want_error).__name__, (
            f"impl raised {type(got_error).__name__}: {got_error}; "
            f"upstream raised {type(want_error).__name__}: {want_error}")
        return
    assert got_error is None, f"impl raised {type(got_error).__name__}: {got_error}"
    if mode == "symbolic":
        assert_same_specs(got, want)
    else:
        assert_same_values(impl, upstream, got, want)


def assert_same_specs(got: Any, want: Any) -> None:
    if isinstance(want, (list, tuple)):
        assert len(got) == len(want)
        for g, w in zip(got, want):
            assert_same_specs(g, w)
        return
    assert tuple(got.shape) == tuple(want.shape), f"shape {got.shape} != {want.shape}"
    assert got.dtype == want.dtype, f"dtype {got.dtype} != {want.dtype}"
    assert got.sparse == want.sparse, f"sparse {got.sparse} != {want.sparse}"
    got_op = type(got._keras_history.operation).__name__
    want_op = type(want._keras_history.operation).__name__
    assert got_op == want_op, f"recorded op {got_op} != {want_op}"


def assert_same_values(impl: Any, upstream: Any, got: Any, want: Any) -> None:
    if isinstance(want, (list, tuple)):
        assert len(got) == len(want)
        for g, w in zip(got, want):
            assert_same_values(impl, upstream, g, w)
        return
    assert type(got).__name__ == type(want).__name__, f"{type(got)} != {type(want)}"
    got, want = to_numpy(got), to_numpy(want)
    assert got.dtype == want.dtype, f"dtype {got.dtype} != {want.dtype}"
    if got.dtype == ml_dtypes.bfloat16:
        # Widening is exact, and lets NumPy see bfloat16 NaNs as NaNs (equal to each other).
        got, want = got.astype(np.float32), want.astype(np.float32)
    assert_close(got, want, "exact")


def to_numpy(x: Any) -> np.ndarray:
    # `.numpy()` where there is one: `np.array` fails on TF bfloat16 scalars.
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


# --- strategies -----------------------------------------------------------------------------
def dim(symbolic: bool) -> st.SearchStrategy:
    sizes = st.integers(1, 4)
    return st.one_of(sizes, st.none()) if symbolic else sizes


def shapes(symbolic: bool, min_rank: int = 0, max_rank: int = 3) -> st.SearchStrategy:
    return st.lists(dim(symbolic), min_size=min_rank, max_size=max_rank).map(tuple)


@st.composite
def tensors(draw: Any, symbolic: bool, shape: tuple | None = None,
            dtypes: tuple = DTYPES) -> Arg:
    shape = draw(shapes(symbolic)) if shape is None else shape
    return Arg(shape, draw(st.sampled_from(dtypes)), draw(st.integers(0, 2**16)),
               draw(st.booleans()))


@st.composite
def broadcast_partner(draw: Any, shape: tuple, symbolic: bool) -> tuple:
    """A shape that mostly broadcasts with ``shape`` (sometimes not, to reach the errors)."""
    keep = draw(st.integers(0, len(shape)))
    kinds = ["same"] * 4 + ["one", "other"] + (["none"] if symbolic else [])
    out = []
    for d in shape[len(shape) - keep:]:
        kind = draw(st.sampled_from(kinds))
        out.append({"same": d, "one": 1, "none": None}.get(kind, draw(st.integers(1, 4))))
    extra = draw(st.lists(dim(symbolic), max_size=1))
    return tuple(extra) + tuple(out)


def scalars() -> st.SearchStrategy:
    return st.one_of(st.integers(-3, 3), st.floats(-3, 3, width=32), st.booleans())


@st.composite
def operand_pair(draw: Any, symbolic: bool) -> tuple:
    """Two broadcastable operands; one may be a Python scalar (weakly typed)."""
    x1 = draw(tensors(symbolic))
    x2 = draw(tensors(symbolic, shape=draw(broadcast_partner(x1.shape, symbolic))))
    if draw(st.integers(0, 3)) == 0:
        x2 = draw(scalars())
    return (x2, x1) if draw(st.booleans()) else (x1, x2)


def axes(rank: int) -> st.SearchStrategy:
    one = st.integers(-rank - 1, rank)
    return st.one_of(st.none(), one, st.lists(one, min_size=1, max_size=2, unique=True)
                     .map(tuple))


# --- tests ------------------------------------------------------------------------------------
ARITHMETIC = ("add", "subtract", "multiply", "divide", "true_divide", "power", "floor_divide",
              "mod")
COMPARISONS = ("equal", "not_equal", "less", "less_equal", "greater", "greater_equal",
               "logical_and", "logical_or", "logical_xor")


@pytest.mark.spec("ops.api.names")
def test_every_op_is_provided(impl):
    names = ARITHMETIC + COMPARISONS + (
        "negative", "matmul", "dot", "relu", "sigmoid", "tanh", "softmax", "log_softmax", "exp",
        "log", "sqrt", "square", "abs", "absolute", "round", "clip", "sum", "mean", "max", "min",
        "argmax", "reshape", "transpose", "expand_dims", "squeeze", "concatenate", "stack",
        "get_item", "zeros", "ones", "eye", "zeros_like", "ones_like", "where", "cast",
        "convert_to_tensor", "convert_to_numpy", "logical_not")
    assert [n for n in names if not callable(getattr(impl.ops, n, None))] == []


@pytest.mark.spec("ops.broadcast.shape", "ops.broadcast.error", "ops.promotion.lattice",
                  "ops.promotion.weak_scalars", "ops.promotion.narrowing", "ops.arithmetic.dtype",
                  "ops.comparison.dtype", "ops.symbolic.record", "ops.eager.values",
                  "ops.eager.errors")
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("op", ARITHMETIC + COMPARISONS)
@given(data=st.data())
def test_binary_ops(impl, upstream, op, mode, data):
    x1, x2 = data.draw(operand_pair(mode == "symbolic"))
    compare(impl, upstream, mode, op, x1, x2)


UNARY = ("negative", "absolute", "abs", "exp", "log", "sqrt", "square", "tanh", "relu",
         "sigmoid", "logical_not")


@pytest.mark.spec("ops.elementwise.dtype", "ops.comparison.dtype", "ops.symbolic.record",
                  "ops.eager.values", "ops.eager.errors")
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("op", UNARY)
@given(data=st.data())
def test_unary_ops(impl, upstream, op, mode, data):
    compare(impl, upstream, mode, op, data.draw(tensors(mode == "symbolic")))


@pytest.mark.spec("ops.elementwise.dtype", "ops.symbolic.record", "ops.eager.values",
                  "ops.eager.errors")
@pytest.mark.parametrize("mode", MODES)
@given(data=st.data())
def test_round_and_clip(impl, upstream, mode, data):
    x = data.draw(tensors(mode == "symbolic"))
    compare(impl, upstream, mode, "round", x, decimals=data.draw(st.integers(-1, 2)))
    low = data.draw(st.one_of(st.integers(-3, 0), st.floats(-3, 0, width=32)))
    compare(impl, upstream, mode, "clip", x, low, low + data.draw(st.integers(0, 4)))


@pytest.mark.spec("ops.elementwise.dtype", "ops.nn.softmax_axes", "ops.reduction.axis_error",
                  "ops.symbolic.record", "ops.eager.values", "ops.eager.errors")
@pytest.mark.filterwarnings("ignore:You are using a softmax")
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("op", ("softmax", "log_softmax"))
@given(data=st.data())
def test_softmax(impl, upstream, op, mode, data):
    x = data.draw(tensors(mode == "symbolic", dtypes=FLOAT_DTYPES))
    axis = data.draw(axes(len(x.shape)))
    assume(mode == "symbolic" or not isinstance(axis, tuple) or axis == tuple(
        a % max(len(x.shape), 1) for a in axis))  # eager tuple axes must be non-negative
    compare(impl, upstream, mode, op, x, axis=axis)


@pytest.mark.spec("ops.reduction.shape", "ops.reduction.keepdims", "ops.reduction.dtype",
                  "ops.reduction.axis_error", "ops.symbolic.record", "ops.eager.values",
                  "ops.eager.errors")
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("op", ("sum", "mean", "max", "min", "argmax"))
@given(data=st.data())
def test_reductions(impl, upstream, op, mode, data):
    x = data.draw(tensors(mode == "symbolic"))
    rank = len(x.shape)
    axis = data.draw(st.one_of(st.none(), st.integers(-rank - 1, rank)) if op == "argmax"
                     else axes(rank))
    kwargs = {"axis": axis, "keepdims": data.draw(st.booleans())}
    if op in ("max", "min") and data.draw(st.booleans()):
        kwargs["initial"] = data.draw(st.integers(-2, 2))
    compare(impl, upstream, mode, op, x, **kwargs)


@pytest.mark.spec("ops.matmul.shape", "ops.dot.shape", "ops.matmul.dtype",
                  "ops.symbolic.record", "ops.eager.values", "ops.eager.errors")
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("op", ("matmul", "dot"))
@given(data=st.data())
def test_matrix_products(impl, upstream, op, mode, data):
    symbolic = mode == "symbolic"
    numeric = INT_DTYPES + FLOAT_DTYPES
    x1 = data.draw(tensors(symbolic, shape=data.draw(shapes(symbolic, 1, 3)), dtypes=numeric))
    inner = x1.shape[-1] if data.draw(st.integers(0, 4)) else data.draw(dim(symbolic))
    rank2 = data.draw(st.integers(1 if op == "matmul" else 0, 3))
    if rank2 < 2:
        shape2 = (inner,) * rank2
    else:
        batch = tuple(data.draw(st.lists(dim(symbolic), min_size=rank2 - 2, max_size=rank2 - 2)))
        if rank2 == 3 and len(x1.shape) == 3 and data.draw(st.booleans()):
            batch = x1.shape[:1]  # usually batch sizes agree
        shape2 = batch + (inner, data.draw(dim(symbolic)))
    x2 = data.draw(tensors(symbolic, shape=shape2, dtypes=numeric))
    compare(impl, upstream, mode, op, x1, x2)


@st.composite
def reshape_targets(draw: Any, shape: tuple) -> Any:
    known = [d for d in shape if d is not None]
    size = int(np.prod(known)) if known else 1
    choices = [(-1,), (size,), tuple(reversed(shape)), (1, -1), size]
    if None in shape:
        choices.append(tuple(-1 if d is None else d for d in shape))
    free = st.lists(st.integers(-2, 6), max_size=3).map(tuple)
    target = draw(st.one_of(st.sampled_from(choices), free))
    return tuple(-1 if d is None else d for d in target) if isinstance(target, tuple) else target


@pytest.mark.spec("ops.reshape.shape", "ops.reshape.errors", "ops.symbolic.record",
                  "ops.eager.values", "ops.eager.errors")
@pytest.mark.parametrize("mode", MODES)
@given(data=st.data())
def test_reshape(impl, upstream, mode, data):
    x = data.draw(tensors(mode == "symbolic"))
    compare(impl, upstream, mode, "reshape", x, data.draw(reshape_targets(x.shape)))


@pytest.mark.spec("ops.transpose.shape", "ops.expand_dims.shape", "ops.squeeze.shape",
                  "ops.symbolic.record", "ops.eager.values", "ops.eager.errors")
@pytest.mark.parametrize("mode", MODES)
@given(data=st.data())
def test_axis_rearrangements(impl, upstream, mode, data):
    symbolic = mode == "symbolic"
    x = data.draw(tensors(symbolic, shape=data.draw(
        st.lists(st.one_of(st.just(1), dim(symbolic)), max_size=4).map(tuple))))
    rank = len(x.shape)
    perm = st.permutations(range(rank)).map(tuple)
    shifted = perm.map(lambda p: tuple(a - rank if i % 2 else a for i, a in enumerate(p)))
    bad = st.lists(st.integers(-rank - 1, rank), max_size=rank + 1).map(tuple)
    compare(impl, upstream, mode, "transpose", x,
            axes=data.draw(st.one_of(st.none(), perm, shifted, bad)))
    compare(impl, upstream, mode, "expand_dims", x,
            data.draw(st.one_of(st.integers(-rank - 2, rank + 1), axes(rank + 1).filter(
                lambda a: a is not None))))
    compare(impl, upstream, mode, "squeeze", x, axis=data.draw(axes(rank)))


@pytest.mark.spec("ops.join.shape", "ops.promotion.lattice", "ops.symbolic.record",
                  "ops.eager.values", "ops.eager.errors")
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("op", ("concatenate", "stack"))
@given(data=st.data())
def test_joins(impl, upstream, op, mode, data):
    symbolic = mode == "symbolic"
    first = data.draw(shapes(symbolic, 1, 3))
    axis = data.draw(st.integers(-len(first) - 1, len(first)))
    xs = []
    for _ in range(data.draw(st.integers(1, 3))):
        shape = list(first)
        if data.draw(st.integers(0, 4)) == 0 and shape:  # sometimes break the agreement
            i = data.draw(st.integers(0, len(shape) - 1))
            shape[i] = data.draw(dim(symbolic))
        xs.append(data.draw(tensors(symbolic, shape=tuple(shape))))
    compare(impl, upstream, mode, op, xs, axis=axis)


@st.composite
def index_keys(draw: Any, rank: int) -> Any:
    item = st.one_of(
        st.integers(-4, 4), st.none(), st.just(Ellipsis),
        st.builds(slice, st.none() | st.integers(-4, 4), st.none() | st.integers(-4, 4),
                  st.none() | st.sampled_from([1, 2, -1])))
    key = draw(st.lists(item, max_size=rank + 1).map(tuple))
    return key[0] if len(key) == 1 and draw(st.booleans()) else key


@pytest.mark.spec("ops.get_item.shape", "ops.operators.keras_tensor", "ops.symbolic.record",
                  "ops.eager.values", "ops.eager.errors")
@pytest.mark.parametrize("mode", MODES)
@given(data=st.data())
def test_get_item(impl, upstream, mode, data):
    x = data.draw(tensors(mode == "symbolic", shape=data.draw(
        shapes(mode == "symbolic", 1, 3))))
    key = data.draw(index_keys(len(x.shape)))
    assume(mode == "symbolic" or list(key if isinstance(key, tuple) else [key]).count(
        Ellipsis) <= 1)
    compare(impl, upstream, mode, "get_item", x, key)


@pytest.mark.spec("ops.where.shape", "ops.promotion.weak_scalars", "ops.symbolic.record",
                  "ops.eager.values", "ops.eager.errors")
@pytest.mark.parametrize("mode", MODES)
@given(data=st.data())
def test_where(impl, upstream, mode, data):
    symbolic = mode == "symbolic"
    x1, x2 = data.draw(operand_pair(symbolic))
    base = x1.shape if isinstance(x1, Arg) else ()
    condition = data.draw(tensors(symbolic, shape=data.draw(broadcast_partner(base, symbolic)),
                                  dtypes=("bool", "int32", "float32")))
    if data.draw(st.integers(0, 5)) == 0:
        x2 = None
    compare(impl, upstream, mode, "where", condition, x1, x2)


@pytest.mark.spec("ops.creation.dtype", "ops.eager.values", "ops.eager.errors")
@given(data=st.data())
def test_creation(impl, upstream, data):
    shape = data.draw(shapes(False))
    dtype = data.draw(st.one_of(st.none(), st.sampled_from(DTYPES)))
    compare(impl, upstream, "eager", "zeros", shape, dtype=dtype)
    compare(impl, upstream, "eager", "ones", shape, dtype=dtype)
    n = data.draw(st.one_of(st.integers(1, 4), st.just(2.0)))
    m = data.draw(st.one_of(st.none(), st.integers(1, 4), st.just(3.0)))
    compare(impl, upstream, "eager", "eye", n, m, k=data.draw(st.integers(-2, 2)), dtype=dtype)


@pytest.mark.spec("ops.creation.dtype", "ops.cast.dtype", "ops.symbolic.record",
                  "ops.eager.values", "ops.eager.errors")
@pytest.mark.parametrize("mode", MODES)
@given(data=st.data())
def test_like_and_cast(impl, upstream, mode, data):
    x = data.draw(tensors(mode == "symbolic"))
    dtype = data.draw(st.one_of(st.none(), st.sampled_from(DTYPES)))
    compare(impl, upstream, mode, "zeros_like", x, dtype=dtype)
    compare(impl, upstream, mode, "ones_like", x, dtype=dtype)
    compare(impl, upstream, mode, "convert_to_tensor", x, dtype=dtype)
    compare(impl, upstream, mode, "cast", x, data.draw(st.sampled_from(DTYPES)))
    compare(impl, upstream, mode, "convert_to_numpy", x)


@pytest.mark.spec("ops.cast.dtype", "ops.eager.values", "ops.eager.errors")
@given(value=st.one_of(scalars(), st.lists(scalars(), max_size=3),
                       st.lists(st.integers(-3, 3), max_size=3)),
       dtype=st.one_of(st.none(), st.sampled_from(DTYPES)))
def test_convert_python_values(impl, upstream, value, dtype):
    compare(impl, upstream, "eager", "convert_to_tensor", value, dtype=dtype)
    compare(impl, upstream, "eager", "cast", value, dtype or "float32")


OPERATORS = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
    "/": lambda a, b: a / b, "//": lambda a, b: a // b, "%": lambda a, b: a % b,
    "**": lambda a, b: a ** b, "<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b, ">=": lambda a, b: a >= b, "!=": lambda a, b: a != b,
    "&": lambda a, b: a & b, "|": lambda a, b: a | b, "^": lambda a, b: a ^ b,
    "r+": lambda a, b: b + a, "r-": lambda a, b: b - a, "r*": lambda a, b: b * a,
    "r/": lambda a, b: b / a, "r**": lambda a, b: b ** a,
    "neg": lambda a, b: -a, "abs": lambda a, b: abs(a), "~": lambda a, b: ~a,
    "round": lambda a, b: round(a), "[0]": lambda a, b: a[0], "[...,:1]": lambda a, b: a[..., :1],
}


@pytest.mark.spec("ops.operators.keras_tensor", "ops.symbolic.record", "ops.promotion.weak_scalars")
@pytest.mark.parametrize("symbol", sorted(OPERATORS))
@given(data=st.data())
def test_keras_tensor_operators(impl, upstream, symbol, data):
    x = data.draw(tensors(True, shape=data.draw(shapes(True, 1, 3))))
    other = data.draw(st.one_of(scalars(), tensors(True, shape=x.shape)))

    def run(lib):
        try:
            return OPERATORS[symbol](realise(lib, "symbolic", x), realise(lib, "symbolic", other)), None
        except Exception as e:  # noqa: BLE001
            return None, e

    (got, got_error), (want, want_error) = run(impl), run(upstream)
    assert type(got_error).__name__ == type(want_error).__name__, (got_error, want_error)
    if want_error is None:
        assert_same_specs(got, want)


@pytest.mark.spec("ops.matmul.shape", "ops.symbolic.record")
def test_matmul_operator(impl, upstream):
    for lib in (impl, upstream):
        out = lib.KerasTensor((None, 2, 3)) @ lib.KerasTensor((3, 5))
        assert tuple(out.shape) == (None, 2, 5)
        assert type(out._keras_history.operation).__name__ == "Matmul"


@pytest.mark.spec("ops.symbolic.no_tracing", "ops.symbolic.record")
@pytest.mark.parametrize("op", ARITHMETIC + COMPARISONS + UNARY + (
    "sum", "mean", "max", "min", "argmax", "reshape", "transpose", "expand_dims", "squeeze",
    "softmax", "log_softmax", "matmul", "dot", "cast", "zeros_like", "ones_like", "round"))
def test_symbolic_inference_is_explicit(impl, op):
    x = impl.KerasTensor((None, 4, 4))
    extra = {"reshape": ((-1,),), "cast": ("int32",), "expand_dims": (0,)}.get(op, ())
    binary = op in ARITHMETIC + COMPARISONS + ("matmul", "dot")
    out = getattr(impl.ops, op)(x, *(x,) if binary else extra)
    recorded = type(out._keras_history.operation)
    assert recorded.compute_output_spec is not impl.Operation.compute_output_spec, (
        f"{recorded.__name__} infers its output by tracing")
