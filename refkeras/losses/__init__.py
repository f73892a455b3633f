"""Losses: ``Loss`` objects and the per-sample loss functions they wrap.

A loss object is called as ``loss(y_true, y_pred, sample_weight=None)`` and
returns the weighted, reduced loss; a loss function returns per-sample values.
"""

from refkeras.losses.crossentropy import BinaryCrossentropy as BinaryCrossentropy
from refkeras.losses.crossentropy import CategoricalCrossentropy as CategoricalCrossentropy
from refkeras.losses.crossentropy import (
    SparseCategoricalCrossentropy as SparseCategoricalCrossentropy,
)
from refkeras.losses.crossentropy import binary_crossentropy as binary_crossentropy
from refkeras.losses.crossentropy import categorical_crossentropy as categorical_crossentropy
from refkeras.losses.crossentropy import (
    sparse_categorical_crossentropy as sparse_categorical_crossentropy,
)
from refkeras.losses.identifiers import ALL_OBJECTS_DICT as ALL_OBJECTS_DICT
from refkeras.losses.identifiers import deserialize as deserialize
from refkeras.losses.identifiers import get as get
from refkeras.losses.identifiers import serialize as serialize
from refkeras.losses.loss import Loss as Loss
from refkeras.losses.reduction import reduce_weighted_values as reduce_weighted_values
from refkeras.losses.regression import Huber as Huber
from refkeras.losses.regression import LogCosh as LogCosh
from refkeras.losses.regression import MeanAbsoluteError as MeanAbsoluteError
from refkeras.losses.regression import MeanAbsolutePercentageError as MeanAbsolutePercentageError
from refkeras.losses.regression import MeanSquaredError as MeanSquaredError
from refkeras.losses.regression import MeanSquaredLogarithmicError as MeanSquaredLogarithmicError
from refkeras.losses.regression import huber as huber
from refkeras.losses.regression import log_cosh as log_cosh
from refkeras.losses.regression import mean_absolute_error as mean_absolute_error
from refkeras.losses.regression import (
    mean_absolute_percentage_error as mean_absolute_percentage_error,
)
from refkeras.losses.regression import mean_squared_error as mean_squared_error
from refkeras.losses.regression import (
    mean_squared_logarithmic_error as mean_squared_logarithmic_error,
)
from refkeras.losses.wrapper import LossFunctionWrapper as LossFunctionWrapper
