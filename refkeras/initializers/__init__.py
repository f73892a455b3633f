"""Initializers: callables ``init(shape, dtype=None)`` giving a variable's first value.

Look them up by name with :func:`get` (``get("he_normal")``), save them with
:func:`serialize` and load them with :func:`deserialize`.
"""

from refkeras.initializers.base import Initializer as Initializer
from refkeras.initializers.constant import Constant as Constant
from refkeras.initializers.constant import Identity as Identity
from refkeras.initializers.constant import Ones as Ones
from refkeras.initializers.constant import Zeros as Zeros
from refkeras.initializers.orthogonal import Orthogonal as Orthogonal
from refkeras.initializers.random_initializers import RandomNormal as RandomNormal
from refkeras.initializers.random_initializers import RandomUniform as RandomUniform
from refkeras.initializers.random_initializers import TruncatedNormal as TruncatedNormal
from refkeras.initializers.registry import deserialize as deserialize
from refkeras.initializers.registry import get as get
from refkeras.initializers.registry import serialize as serialize
from refkeras.initializers.variance_scaling import GlorotNormal as GlorotNormal
from refkeras.initializers.variance_scaling import GlorotUniform as GlorotUniform
from refkeras.initializers.variance_scaling import HeNormal as HeNormal
from refkeras.initializers.variance_scaling import HeUniform as HeUniform
from refkeras.initializers.variance_scaling import LecunNormal as LecunNormal
from refkeras.initializers.variance_scaling import LecunUniform as LecunUniform
from refkeras.initializers.variance_scaling import VarianceScaling as VarianceScaling

# Upstream's lower-case and legacy public aliases (keras.initializers.glorot_uniform, ...).
constant = Constant
identity = IdentityInitializer = Identity
ones = Ones
zeros = Zeros
orthogonal = OrthogonalInitializer = Orthogonal
random_normal = RandomNormal
random_uniform = RandomUniform
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
glorot_normal = GlorotNormal
glorot_uniform = GlorotUniform
he_normal = HeNormal
he_uniform = HeUniform
lecun_normal = LecunNormal
lecun_uniform = LecunUniform

__all__ = [
    "Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Identity",
    "IdentityInitializer", "Initializer", "LecunNormal", "LecunUniform", "Ones", "Orthogonal",
    "OrthogonalInitializer", "RandomNormal", "RandomUniform",
    "TruncatedNormal", "VarianceScaling", "Zeros", "constant", "deserialize",
    "get", "glorot_normal", "glorot_uniform", "he_normal", "he_uniform", "identity",
    "lecun_normal", "lecun_uniform", "ones", "orthogonal", "random_normal", "random_uniform",
    "serialize", "truncated_normal", "variance_scaling", "zeros",
]
