"""How one call of ``Layer.__call__`` binds to the layer's ``call()`` signature.

Signature analysis is done once per ``call`` function (``SignatureFacts``,
cached); binding a call (``CallSpec``) then avoids ``inspect.Signature.bind``
for the common signatures made only of ordinary parameters.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any

from refkeras import backend, tree
from refkeras.graph.keras_tensor import KerasTensor

_EMPTY = inspect.Parameter.empty
_ORDINARY = inspect.Parameter.POSITIONAL_OR_KEYWORD


class SignatureFacts:
    """What is known about a ``call`` function before any call is made."""

    def __init__(self, fn: Any, drop_first: bool):
        self.signature = inspect.signature(fn)
        params = list(self.signature.parameters.values())
        if drop_first:  # the function behind a bound method: its first parameter is ``self``
            params = params[1:]
            self.signature = self.signature.replace(parameters=params)
        self.names = tuple(p.name for p in params)
        self.name_set = frozenset(self.names)
        self.defaults = tuple(p.default for p in params)
        # Ordinary parameters only: a call can be bound by position and name alone.
        self.simple = all(p.kind is _ORDINARY for p in params)
        self.has_training = "training" in self.name_set
        self.has_mask = "mask" in self.name_set


def signature_facts(method: Any) -> SignatureFacts:
    """``SignatureFacts`` of a (usually bound) method, cached per underlying function."""
    function = getattr(method, "__func__", None)
    if function is None:
        return _facts(method, False)
    return _facts(function, True)


@functools.cache
def _facts(fn: Any, drop_first: bool) -> SignatureFacts:
    return SignatureFacts(fn, drop_first)


def is_tensor_or_symbolic(x: Any, allow_none: bool = False) -> bool:
    if x is None:
        return allow_none
    return isinstance(x, KerasTensor) or backend.is_tensor(x)


class CallSpec:
    """The arguments of one call, sorted the way the call pipeline needs them.

    Attributes:
        user_arguments: what the caller passed, by parameter name (a context
            argument such as ``training`` that ``call()`` does not take is
            included: it was popped from ``kwargs``).
        arguments: every parameter, defaults filled in, in signature order.
        tensor_arguments: the arguments that are tensors or nests of tensors.
        nested_tensor_names: the names among those holding a nest.
        first_arg: the value of the first parameter.
        eager: True when every tensor argument is a backend tensor (not a nest).
        symbolic: True when any tensor argument holds a KerasTensor.
    """

    __slots__ = ("user_arguments", "arguments", "tensor_arguments", "nested_tensor_names",
                 "first_arg", "eager", "symbolic")

    def __init__(self, facts: SignatureFacts, context_args: tuple, args: tuple, kwargs: dict):
        # Context arguments the signature does not take are removed from ``kwargs`` itself:
        # the caller's dict is the one later passed to ``call()``.
        popped = {}
        for name in context_args:
            if name in kwargs and name not in facts.name_set:
                popped[name] = kwargs.pop(name)
        user, full = _bind(facts, args, kwargs)
        self.user_arguments = {**popped, **user} if popped else user
        self.arguments = full
        self._sort_tensors()

    def _sort_tensors(self) -> None:
        tensors: dict[str, Any] = {}
        nested: list[str] = []
        eager = True
        symbolic = False
        for name, value in self.arguments.items():
            if isinstance(value, KerasTensor):
                tensors[name] = value
                eager = False
                symbolic = True
            elif backend.is_tensor(value):
                tensors[name] = value
            elif isinstance(value, (list, tuple, dict)) and len(value) > 0:
                flat = tree.flatten(value)
                if all(is_tensor_or_symbolic(x, allow_none=True) for x in flat):
                    tensors[name] = value
                    nested.append(name)
                    eager = False
                    symbolic = symbolic or any(isinstance(x, KerasTensor) for x in flat)
                elif any(is_tensor_or_symbolic(x) for x in flat):
                    raise ValueError(
                        "In a nested call() argument, you cannot mix tensors and non-tensors. "
                        f"Received invalid mixed argument: {name}={value}. Pass the "
                        "non-tensor values as separate keyword arguments."
                    )
        self.tensor_arguments = tensors
        self.nested_tensor_names = nested
        self.eager = eager
        self.symbolic = symbolic
        self.first_arg = next(iter(self.arguments.values())) if self.arguments else None


def _bind(facts: SignatureFacts, args: tuple, kwargs: dict) -> tuple[dict, dict]:
    """``(passed arguments, all arguments)`` in signature order, as ``Signature.bind``
    and ``apply_defaults`` give them; binding errors are ``Signature.bind``'s own."""
    names = facts.names
    if facts.simple and len(args) <= len(names):
        passed = dict(zip(names, args))
        if all(k in facts.name_set and k not in passed for k in kwargs):
            passed.update(kwargs)
            if len(passed) == len(names):
                ordered = passed if not kwargs else {n: passed[n] for n in names}
                return ordered, dict(ordered)
            user = {}
            full = {}
            for name, default in zip(names, facts.defaults):
                if name in passed:
                    user[name] = full[name] = passed[name]
                elif default is _EMPTY:
                    break  # a required argument is missing: let bind() raise
                else:
                    full[name] = default
            else:
                return user, full
    bound = facts.signature.bind(*args, **kwargs)
    user = dict(bound.arguments)
    bound.apply_defaults()
    return user, dict(bound.arguments)
