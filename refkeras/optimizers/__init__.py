"""Optimizers: update trainable variables from their gradients.

Look one up by name with :func:`get` (``get("adam")``), save it with
:func:`serialize`, load it with :func:`deserialize`. Learning-rate schedules
live in :mod:`refkeras.optimizers.schedules`.
"""

from refkeras.optimizers import schedules as schedules
from refkeras.optimizers.adagrad import Adagrad as Adagrad
from refkeras.optimizers.adam import Adam as Adam
from refkeras.optimizers.adamw import AdamW as AdamW
from refkeras.optimizers.identifiers import ALL_OBJECTS_DICT as ALL_OBJECTS_DICT
from refkeras.optimizers.identifiers import deserialize as deserialize
from refkeras.optimizers.identifiers import get as get
from refkeras.optimizers.identifiers import serialize as serialize
from refkeras.optimizers.loss_scale_optimizer import LossScaleOptimizer as LossScaleOptimizer
from refkeras.optimizers.optimizer import Optimizer as Optimizer
from refkeras.optimizers.rmsprop import RMSprop as RMSprop
from refkeras.optimizers.sgd import SGD as SGD

__all__ = [
    "SGD", "Adagrad", "Adam", "AdamW", "LossScaleOptimizer", "Optimizer", "RMSprop",
    "deserialize", "get", "schedules", "serialize",
]
