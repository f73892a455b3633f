"""Behaviour cases for Operation and Node (see conformance/graph_case.py for the format)."""

from __future__ import annotations

import itertools
import string

import numpy as np

from conformance.adapters import inbound_nodes, node_attribute_at, outbound_nodes, producer
from conformance.graph_builder import custom_ops
from conformance.graph_case import raises, to_numpy

_SERIAL = itertools.count()


def _fresh_tag() -> str:
    """Letters never used before in this process, so auto-name counters start at zero."""
    n, tag = next(_SERIAL), ""
    while True:
        n, digit = divmod(n, 26)
        tag += string.ascii_lowercase[digit]
        if n == 0:
            return "Zq" + tag


def auto_names(lib):
    """CamelCase class names become snake_case; the n-th later instance gets ``_n``."""
    tag = _fresh_tag()
    cls = type(f"Probe{tag}HTTPLayer", (lib.Operation,), {})
    names = [cls().name, cls(name="explicit").name, cls().name, cls().name]
    return [n.replace(tag.lower(), "<tag>") for n in names]


def name_accepted(lib):
    return [lib.Operation(name=n).name for n in ("", "a b", "x:y", "ünï")]


def _bad_name(value):
    @raises(ValueError, "Argument `name` must be a string and cannot contain character `/`")
    def case(lib):
        lib.Operation(name=value)

    case.__name__ = f"name {value!r}"
    return case


BAD_NAMES = [_bad_name(3), _bad_name("a/b"), _bad_name(b"x"), _bad_name(["n"])]


def reprs(lib):
    kit = custom_ops(lib)
    x = lib.KerasTensor((2,))
    return [repr(kit.Scale(name="s")), repr(lib.Operation(name="o")),
            repr(lib.Function(x, lib.ops.negative(x), name="f"))]


def node_repr(lib):
    kit = custom_ops(lib)
    op = kit.Scale(name="scaled")
    op(lib.KerasTensor((2,)))
    node = inbound_nodes(op)[0]
    return repr(node) == f"<Node operation=scaled, id={id(node)}>"


def eager_dispatch(lib):
    """No KerasTensor among the arguments: ``call`` runs on the values."""
    return to_numpy(custom_ops(lib).Scale(2.0)(np.arange(3, dtype="float32")))


def nested_symbolic_dispatch(lib):
    """A KerasTensor nested in a list or a keyword makes the call symbolic."""
    kit = custom_ops(lib)
    x = lib.KerasTensor((None, 4), name="x")
    out = kit.DictArg()({"b": np.ones((1, 4), "float32"), "a": x})
    kw = kit.Kwarg()(np.ones((1, 4), "float32"), other=x)
    return type(out).__name__, out.shape, type(kw).__name__, kw.shape


@raises(NotImplementedError, "")
def base_call(lib):
    lib.Operation().call(1)


def inferred_spec(lib):
    """Without ``compute_output_spec``, the output spec comes from tracing ``call``."""

    class AddOne(lib.Operation):
        def call(self, x):
            return lib.ops.add(x, 1.0)

    out = AddOne()(lib.KerasTensor((None, 3), dtype="float32"))
    return out.shape, out.dtype


def _failing(error_class):
    @raises(error_class, "Could not automatically infer the output shape / dtype of 'bad' "
                         "(of type Bad)")
    def case(lib):
        class Bad(lib.Operation):
            def call(self, x):
                raise error_class("boom inside")

        Bad(name="bad")(lib.KerasTensor((2,)))

    case.__name__ = f"infer fails with {error_class.__name__}"
    return case


FAILING_INFERENCE = [_failing(c) for c in (ValueError, TypeError, RuntimeError, IndexError)]


@raises(NotImplementedError, "Could not automatically infer the output shape / dtype of 'base'")
def base_symbolic_call(lib):
    lib.Operation(name="base")(lib.KerasTensor((3,)))


@raises(ValueError, "All operation outputs must be tensors")
def non_tensor_output(lib):
    class Three(lib.Operation):
        def compute_output_spec(self, x):
            return 3

    Three(name="three")(lib.KerasTensor((2,)))


def input_output(lib):
    """``input``/``output`` describe the first call; one-element lists are unwrapped."""
    kit = custom_ops(lib)
    x, y = lib.KerasTensor((None, 4)), lib.KerasTensor((None, 4))
    scale = kit.Scale()
    first = scale(x)
    scale(y)
    pair = kit.Pair()
    outs = pair(x, y)
    return (scale.input is x, scale.output is first, type(pair.input).__name__,
            [t is s for t, s in zip(pair.input, (x, y))], type(pair.output).__name__,
            [t is s for t, s in zip(pair.output, outs)])


@raises(AttributeError, "The layer idle has never been called and thus has no defined input")
def input_never_called(lib):
    return custom_ops(lib).Scale(name="idle").input


@raises(AttributeError, "The layer idle has never been called and thus has no defined output")
def output_never_called(lib):
    return custom_ops(lib).Scale(name="idle").output


@raises(ValueError, "Asked to get input at node 1, but the operation has only 1 inbound nodes")
def node_index_out_of_range(lib):
    op = custom_ops(lib).Scale()
    op(lib.KerasTensor((2,)))
    return node_attribute_at(lib, op, 1, "input_tensors", "input")


def wiring(lib):
    """One inbound node per call; one outbound node per consumed tensor occurrence."""
    kit = custom_ops(lib)
    x = lib.KerasTensor((None, 4))
    op = kit.Scale()
    y = op(x)
    twice = y + y
    lib.ops.concatenate([y, y, twice], axis=-1)
    return len(inbound_nodes(op)), len(outbound_nodes(op)), len(outbound_nodes(producer(twice)))


# --- get_config / from_config ----------------------------------------------------------


def _config_classes(lib):
    class Sc(lib.Operation):
        def __init__(self, factor=2.0, mode="m", name=None):
            super().__init__(name=name)

    class NoName(lib.Operation):
        def __init__(self, k=1):
            super().__init__()

    class Kw(lib.Operation):
        def __init__(self, k=1, **kwargs):
            super().__init__(**kwargs)

    class Va(lib.Operation):
        def __init__(self, *args, name=None):
            super().__init__(name=name)

    class Po(lib.Operation):
        def __init__(self, k, /, name=None):
            super().__init__(name=name)

    class Own(lib.Operation):
        def __init__(self, k, name=None):
            super().__init__(name=name)
            self.k = k

        def get_config(self):
            return {**super().get_config(), "k": repr(type(self.k))}

    return Sc, NoName, Kw, Va, Po, Own


def auto_config(lib):
    Sc, NoName, Kw, Va, _, Own = _config_classes(lib)
    return [
        Sc(3, name="a").get_config(),
        Sc(mode="q", name="b").get_config(),
        Sc([1, 2.0, "x", None, (True,)], name="c").get_config(),
        Sc({"k": 1}, name="d").get_config(),
        NoName(5).get_config(),
        Kw(5, name="e").get_config(),
        Va(name="f").get_config(),
        Own(object(), name="g").get_config(),
        lib.Operation(name="h").get_config(),
    ]


def _refused(name, make, phrase):
    @raises(NotImplementedError, phrase)
    def case(lib):
        return make(_config_classes(lib)).get_config()

    case.__name__ = f"config refused: {name}"
    return case


NON_SERIALIZABLE = "non-serializable argument values"
VARIADIC = "positional only or variadic positional arguments"
REFUSED_CONFIGS = [
    _refused("numpy scalar", lambda c: c[0](np.float32(3)), NON_SERIALIZABLE),
    _refused("object", lambda c: c[0](object()), NON_SERIALIZABLE),
    _refused("nested object", lambda c: c[0]([1, object()]), NON_SERIALIZABLE),
    _refused("*args", lambda c: c[3](1, 2), VARIADIC),
    _refused("positional-only", lambda c: c[4](1), VARIADIC),
]


def from_config(lib):
    Sc = _config_classes(lib)[0]
    op = Sc.from_config({"factor": 3.0, "name": "q"})
    return type(op).__name__, op.name, op.get_config()


@raises(TypeError, "Error when deserializing class 'Sc' using config={'bogus': 3.0}")
def from_config_bad_key(lib):
    _config_classes(lib)[0].from_config({"bogus": 3.0})
