"""Binding call arguments without ``Signature.bind`` gives ``bind``'s answer."""

import inspect

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refkeras.layers.call_spec import _bind, signature_facts


class Calls:
    def plain(self, x, y=1, training=None):
        pass

    def required(self, x, y):
        pass

    def varargs(self, x, *args, mask=None, **kwargs):
        pass


def reference(method, args, kwargs):
    bound = inspect.signature(method).bind(*args, **kwargs)
    passed = dict(bound.arguments)
    bound.apply_defaults()
    return passed, dict(bound.arguments)


@pytest.mark.parametrize("name", ["plain", "required", "varargs"])
@given(n_args=st.integers(0, 4), kw=st.sets(st.sampled_from(["x", "y", "training", "mask", "z"])))
def test_fast_binding_agrees_with_signature_bind(name, n_args, kw):
    method = getattr(Calls(), name)
    args = tuple(range(n_args))
    kwargs = {k: k for k in sorted(kw)}
    try:
        want = reference(method, args, kwargs)
    except TypeError:
        with pytest.raises(TypeError):
            _bind(signature_facts(method), args, kwargs)
        return
    got = _bind(signature_facts(method), args, kwargs)
    assert got == want
    assert [list(d) for d in got] == [list(d) for d in want]  # same order too


def test_facts_are_cached_per_function():
    a, b = Calls(), Calls()
    assert signature_facts(a.plain) is signature_facts(b.plain)
    facts = signature_facts(a.plain)
    assert facts.has_training and not facts.has_mask and facts.names == ("x", "y", "training")
