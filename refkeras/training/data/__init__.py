"""The data layer of training: adapters that batch user data, and the epoch iterator.

Public names are re-exported here; each lives in a module named after it.
"""

from refkeras.training.data.array_adapter import ArrayDataAdapter as ArrayDataAdapter
from refkeras.training.data.class_weight import (
    class_weight_to_sample_weight as class_weight_to_sample_weight,
)
from refkeras.training.data.data_adapter import DataAdapter as DataAdapter
from refkeras.training.data.epoch_iterator import EpochIterator as EpochIterator
from refkeras.training.data.generator_adapter import GeneratorDataAdapter as GeneratorDataAdapter
from refkeras.training.data.packing import pack_x_y_sample_weight as pack_x_y_sample_weight
from refkeras.training.data.packing import unpack_x_y_sample_weight as unpack_x_y_sample_weight
from refkeras.training.data.py_dataset_adapter import PyDatasetAdapter as PyDatasetAdapter
from refkeras.training.data.select_adapter import get_data_adapter as get_data_adapter
from refkeras.training.data.tf_dataset_adapter import TFDatasetAdapter as TFDatasetAdapter
from refkeras.training.data.train_validation_split import (
    train_validation_split as train_validation_split,
)
