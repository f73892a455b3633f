"""``refkeras.distribution``: data-parallel training over several devices (JAX).

``set_distribution(DataParallel())`` (or ``with DataParallel().scope():``)
replicates the variables created afterwards over the devices, and makes
fit/evaluate/predict split each batch along its first axis over them. On
TensorFlow use a ``tf.distribute`` strategy's scope instead; the devices
are listed on both backends.
"""

from refkeras.distribution.data_parallel import DataParallel
from refkeras.distribution.device_mesh import DeviceMesh
from refkeras.distribution.devices import get_device_count, list_devices
from refkeras.distribution.distribution_base import Distribution
from refkeras.distribution.state import distribution, set_distribution
from refkeras.distribution.tensor_layout import TensorLayout

__all__ = [
    "DataParallel", "DeviceMesh", "Distribution", "TensorLayout", "distribution",
    "get_device_count", "list_devices", "set_distribution",
]
