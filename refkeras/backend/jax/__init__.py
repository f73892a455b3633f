"""The jax backend: every name of ``refkeras.backend.contract``."""

from refkeras.backend.jax.core import *  # noqa: F403  (the contract's storage names)
from refkeras.backend.jax.core import (  # noqa: F401
    NAME,
    Variable,
    cast,
    compute_output_spec,
    convert_to_numpy,
    convert_to_tensor,
    is_tensor,
    shape,
)
from refkeras.backend.jax.extra_numeric import *  # noqa: F403  (loss and metric kernels)
from refkeras.backend.jax.linalg import *  # noqa: F403  (linear algebra kernels)
from refkeras.backend.jax.nn import *  # noqa: F403  (the contract's activation kernels)
from refkeras.backend.jax.numeric import *  # noqa: F403  (the contract's numeric kernels)
from refkeras.backend.jax.optimizer_numeric import *  # noqa: F403  (optimizer kernels)
from refkeras.backend.jax.random import *  # noqa: F403  (random kernels)
