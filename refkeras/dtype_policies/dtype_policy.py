"""``DTypePolicy``: the dtype a layer computes in and the dtype its variables are stored in.

``"mixed_float16"`` / ``"mixed_bfloat16"`` compute in half precision and keep
float32 variables; any other dtype name uses that dtype for both.

>>> policy = DTypePolicy("mixed_float16")
>>> policy.compute_dtype, policy.variable_dtype
('float16', 'float32')
"""

from __future__ import annotations

from typing import Any

from refkeras import backend, ops
from refkeras.backend.dtypes import is_float_dtype, standardize_dtype
from refkeras.graph.keras_tensor import KerasTensor
from refkeras.serialization import builtin

# name -> (compute dtype, variable dtype), for the names that are not plain dtypes.
MIXED_POLICIES = {"mixed_float16": ("float16", "float32"),
                  "mixed_bfloat16": ("bfloat16", "float32")}


@builtin("keras")
class DTypePolicy:
    """A dtype policy, named ``"float32"``, ``"mixed_float16"``, ``"bfloat16"``, ...

    Args:
        name: the policy name; None takes the global policy's name
            (``refkeras.dtype_policies.dtype_policy()``).
    """

    def __init__(self, name: str | None = None):
        if name is None:
            name = dtype_policy().name
        self._name = name
        self._compute_dtype, self._variable_dtype = _parse_name(name)
        self._quantization_mode = None

    name = property(lambda self: self._name, doc="The policy's name.")
    compute_dtype = property(lambda self: self._compute_dtype,
                             doc="Dtype of the layer's computations and outputs.")
    variable_dtype = property(lambda self: self._variable_dtype,
                              doc="Dtype the layer's variables are created with.")
    quantization_mode = property(lambda self: self._quantization_mode,
                                 doc="None: refkeras has no quantized policies.")

    def convert_input(self, x: Any, autocast: bool, dtype: Any) -> Any:
        """``x`` as a tensor, cast to ``dtype`` when ``autocast`` and it is another float."""
        dtype = standardize_dtype(dtype)
        if backend.is_tensor(x) or isinstance(x, KerasTensor):
            pass
        elif hasattr(x, "__array__"):
            try:
                x = backend.convert_to_tensor(x)
            except TypeError:
                x = backend.convert_to_tensor(x, dtype=dtype)
        else:
            return x
        if autocast and is_float_dtype(x.dtype) and standardize_dtype(x.dtype) != dtype:
            x = ops.cast(x, dtype)
        return x

    def get_config(self) -> dict:
        return {"name": self._name}

    @classmethod
    def from_config(cls, config: dict) -> DTypePolicy:
        return cls(**config)

    def __repr__(self) -> str:
        return f'<DTypePolicy "{self._name}">'

    def __eq__(self, other: Any) -> bool:
        # The two float policy classes are interchangeable; other subclasses match exactly.
        if type(self) in _FLOAT_POLICY_TYPES:
            same_kind = type(other) in _FLOAT_POLICY_TYPES
        else:
            same_kind = type(other) is type(self)
        return same_kind and self._name == other._name

    __hash__ = None  # upstream defines __eq__ only, so policies are unhashable there too


@builtin("keras")
class FloatDTypePolicy(DTypePolicy):
    """Upstream's older name for a float ``DTypePolicy``; behaves identically."""


_FLOAT_POLICY_TYPES = (DTypePolicy, FloatDTypePolicy)


def _parse_name(name: Any) -> tuple[str, str]:
    if not isinstance(name, str):
        raise TypeError(
            "'name' must be a string, such as 'mixed_float16'. "
            f"Received: name={name} (of type {type(name)})"
        )
    if name in MIXED_POLICIES:
        return MIXED_POLICIES[name]
    try:
        dtype = standardize_dtype(name)
    except ValueError:
        raise ValueError(
            f"Cannot convert '{name}' to a mixed precision DTypePolicy. Valid policies include "
            "'mixed_float16', 'mixed_bfloat16', and the name of any float dtype such as "
            "'float32'."
        ) from None
    return dtype, dtype


# The global policy is process-wide, as upstream's is; created lazily from floatx().
_global_policy: DTypePolicy | None = None


def set_dtype_policy(policy: DTypePolicy | str) -> None:
    """Sets the policy layers use when given no ``dtype`` (e.g. ``"mixed_float16"``)."""
    global _global_policy
    if isinstance(policy, str):
        policy = DTypePolicy(policy)
    elif not isinstance(policy, DTypePolicy):
        raise ValueError(
            "Invalid `policy` argument. Expected the string name of a policy (such as "
            "'mixed_float16') or a `DTypePolicy` instance. "
            f"Received: policy={policy} (of type {type(policy)})"
        )
    _global_policy = policy


def dtype_policy() -> DTypePolicy:
    """The global policy; the first call fixes it to ``DTypePolicy(floatx())`` if unset."""
    if _global_policy is None:
        set_dtype_policy(DTypePolicy(backend.floatx()))
    return _global_policy
