"""Metrics: running statistics (``update_state`` / ``result`` / ``reset_state``).

Also re-exports the per-sample functions metrics are built from
(``binary_accuracy``, ``mean_squared_error``, ...).
"""

from refkeras.losses.crossentropy import binary_crossentropy as binary_crossentropy
from refkeras.losses.crossentropy import categorical_crossentropy as categorical_crossentropy
from refkeras.losses.crossentropy import (
    sparse_categorical_crossentropy as sparse_categorical_crossentropy,
)
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
from refkeras.metrics.accuracy import Accuracy as Accuracy
from refkeras.metrics.accuracy import BinaryAccuracy as BinaryAccuracy
from refkeras.metrics.accuracy import CategoricalAccuracy as CategoricalAccuracy
from refkeras.metrics.accuracy import SparseCategoricalAccuracy as SparseCategoricalAccuracy
from refkeras.metrics.accuracy import TopKCategoricalAccuracy as TopKCategoricalAccuracy
from refkeras.metrics.accuracy import binary_accuracy as binary_accuracy
from refkeras.metrics.accuracy import categorical_accuracy as categorical_accuracy
from refkeras.metrics.accuracy import sparse_categorical_accuracy as sparse_categorical_accuracy
from refkeras.metrics.accuracy import top_k_categorical_accuracy as top_k_categorical_accuracy
from refkeras.metrics.auc import AUC as AUC
from refkeras.metrics.confusion_metrics import FalseNegatives as FalseNegatives
from refkeras.metrics.confusion_metrics import FalsePositives as FalsePositives
from refkeras.metrics.confusion_metrics import Precision as Precision
from refkeras.metrics.confusion_metrics import Recall as Recall
from refkeras.metrics.confusion_metrics import TrueNegatives as TrueNegatives
from refkeras.metrics.confusion_metrics import TruePositives as TruePositives
from refkeras.metrics.identifiers import ALL_OBJECTS_DICT as ALL_OBJECTS_DICT
from refkeras.metrics.identifiers import deserialize as deserialize
from refkeras.metrics.identifiers import get as get
from refkeras.metrics.identifiers import serialize as serialize
from refkeras.metrics.metric import Metric as Metric
from refkeras.metrics.reduction_metrics import Mean as Mean
from refkeras.metrics.reduction_metrics import MeanMetricWrapper as MeanMetricWrapper
from refkeras.metrics.reduction_metrics import Sum as Sum
from refkeras.metrics.regression_metrics import MeanAbsoluteError as MeanAbsoluteError
from refkeras.metrics.regression_metrics import (
    MeanAbsolutePercentageError as MeanAbsolutePercentageError,
)
from refkeras.metrics.regression_metrics import MeanSquaredError as MeanSquaredError
from refkeras.metrics.regression_metrics import (
    MeanSquaredLogarithmicError as MeanSquaredLogarithmicError,
)
