"""Every op class is named in the upstream-module table, once."""

import collections
import importlib
import pkgutil

import refkeras.ops
from refkeras.ops import public_names

# Bases that are never instantiated as graph nodes themselves.
ABSTRACT = {"BooleanBinary", "BroadcastingBinary", "ElementwiseActivation", "ElementwiseUnary",
            "KernelOp", "Reduction", "_Extremum", "_Like"}


def _classes():
    modules = [importlib.import_module(f"refkeras.ops.{info.name}")
               for info in pkgutil.iter_modules(refkeras.ops.__path__)]
    return public_names.op_classes(modules)


def test_every_concrete_op_class_has_an_upstream_module():
    known = {n for names in public_names.UPSTREAM_MODULES.values() for n in names}
    missing = sorted({c.__name__ for c in _classes()} - known - ABSTRACT)
    assert missing == []


def test_no_two_op_classes_share_a_name():
    counts = collections.Counter(c.__name__ for c in _classes())
    assert [name for name, n in counts.items() if n > 1] == []
