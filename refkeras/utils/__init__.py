"""Public helpers, as ``keras.utils`` (re-exports only)."""

from refkeras.backend.naming import get_uid as get_uid
from refkeras.graph.keras_tensor import is_keras_tensor as is_keras_tensor
from refkeras.random.seeding import set_random_seed as set_random_seed
from refkeras.utils.progbar import Progbar as Progbar
from refkeras.utils.py_dataset import PyDataset as PyDataset

Sequence = PyDataset  # upstream's older name for PyDataset
