"""Dtype policies: what dtype layers compute in and store variables in."""

from refkeras.dtype_policies.dtype_policy import DTypePolicy as DTypePolicy
from refkeras.dtype_policies.dtype_policy import FloatDTypePolicy as FloatDTypePolicy
from refkeras.dtype_policies.dtype_policy import dtype_policy as dtype_policy
from refkeras.dtype_policies.dtype_policy import set_dtype_policy as set_dtype_policy
from refkeras.dtype_policies.identifiers import deserialize as deserialize
from refkeras.dtype_policies.identifiers import get as get
from refkeras.dtype_policies.identifiers import serialize as serialize

__all__ = ["DTypePolicy", "FloatDTypePolicy", "deserialize", "dtype_policy", "get", "serialize",
           "set_dtype_policy"]
