"""Public settings, as ``keras.config``: float type, epsilon, dtype policy, safe mode."""

from refkeras.backend.config import (
    backend as backend,
)
from refkeras.backend.config import (
    epsilon as epsilon,
)
from refkeras.backend.config import (
    floatx as floatx,
)
from refkeras.backend.config import (
    image_data_format as image_data_format,
)
from refkeras.backend.config import max_epochs as max_epochs
from refkeras.backend.config import (
    set_epsilon as set_epsilon,
)
from refkeras.backend.config import (
    set_floatx as set_floatx,
)
from refkeras.backend.config import set_max_epochs as set_max_epochs
from refkeras.dtype_policies import dtype_policy as dtype_policy
from refkeras.dtype_policies import set_dtype_policy as set_dtype_policy
from refkeras.serialization import enable_unsafe_deserialization as enable_unsafe_deserialization
