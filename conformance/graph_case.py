"""How a behaviour case is written, run against one library, and compared.

A case is a function ``case(lib)`` that exercises ``lib`` (the keras or the
refkeras module) and returns plain data (numbers, strings, tuples, numpy
arrays), or raises. A case that must raise is decorated with
``@raises(ErrorClass, "key phrase")``: upstream must raise exactly that class
with the phrase in its message (which checks the case itself), and the
implementation under test must do the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

from conformance.tolerances import assert_close

Case = Callable[[Any], Any]


def raises(error: type[BaseException], phrase: str) -> Callable[[Case], Case]:
    """Marks a case as one that must raise ``error`` with ``phrase`` in its message."""

    def mark(case: Case) -> Case:
        case.expected_error = (error, phrase)
        return case

    return mark


def run(case: Case, lib: Any) -> tuple[str, Any]:
    """``("ok", value)`` or ``("raised", exception)``."""
    try:
        return "ok", case(lib)
    except Exception as error:  # the tests compare it with upstream's
        return "raised", error


def check_error(error: Any, expected: tuple[type[BaseException], str], who: str) -> None:
    """Fails unless ``error`` is exactly of the expected class and carries the phrase."""
    cls, phrase = expected
    assert isinstance(error, BaseException), f"{who} returned {error!r}; expected {cls.__name__}"
    assert type(error) is cls, f"{who} raised {type(error).__name__}: {error}; expected {cls.__name__}"
    assert phrase in str(error), f"{who}'s {cls.__name__} lacks {phrase!r}: {error}"


def assert_alike(got: Any, want: Any, path: str = "value") -> None:
    """Deep equality of plain data; arrays compared with the ``exact`` tolerance."""
    if isinstance(want, np.ndarray):
        assert isinstance(got, np.ndarray), f"{path}: got {type(got).__name__}, want ndarray"
        assert_close(got, want, "exact")
    elif isinstance(want, dict):
        assert isinstance(got, dict), f"{path}: got {type(got).__name__}, want dict"
        assert list(got) == list(want), f"{path}: keys {list(got)} != {list(want)}"
        for key in want:
            assert_alike(got[key], want[key], f"{path}[{key!r}]")
    elif isinstance(want, list | tuple):
        assert type(got) is type(want), f"{path}: got {type(got).__name__}, want {type(want).__name__}"
        assert len(got) == len(want), f"{path}: length {len(got)} != {len(want)}"
        for i, (g, w) in enumerate(zip(got, want)):
            assert_alike(g, w, f"{path}[{i}]")
    else:
        assert got == want, f"{path}: got {got!r}, want {want!r}"


def to_numpy(structure: Any) -> Any:
    """A result structure with every backend tensor turned into a numpy array."""
    if isinstance(structure, dict):
        return {k: to_numpy(v) for k, v in structure.items()}
    if isinstance(structure, list | tuple):
        return type(structure)(to_numpy(v) for v in structure)
    return np.asarray(structure)


def strip_counter(name: str) -> str:
    """``"add_12"`` -> ``"add"``: auto-name counters are per process and per library."""
    return re.sub(r"_\d+$", "", name)
