"""Picking the adapter for the data passed to ``fit``/``evaluate``/``predict``."""

from __future__ import annotations

import types
import warnings
from collections.abc import Mapping
from typing import Any

from refkeras.training.data.array_adapter import ArrayDataAdapter
from refkeras.training.data.arrays import all_array_like
from refkeras.training.data.data_adapter import DataAdapter
from refkeras.training.data.generator_adapter import GeneratorDataAdapter
from refkeras.training.data.py_dataset_adapter import PyDatasetAdapter
from refkeras.training.data.tf_dataset_adapter import TFDatasetAdapter
from refkeras.training.data.tf_support import is_tf_dataset
from refkeras.utils.py_dataset import PyDataset


def _reject_separate(kind: str, y: Any, sample_weight: Any) -> None:
    """Datasets carry their own targets and weights; ``y``/``sample_weight`` must be unset."""
    for name, description, value in (("y", "the targets", y),
                                     ("sample_weights", "the sample weights", sample_weight)):
        if value is not None:
            raise ValueError(
                f"When providing `x` as a {kind}, `{name}` should not be passed. Instead, "
                f"{description} should be included as part of the {kind}."
            )


def _warn_shuffle_ignored(what: str, expectation: str) -> None:
    warnings.warn(
        f"`shuffle=True` was passed, but will be ignored since the data `x` was provided as "
        f"{what}. {expectation}",
        stacklevel=3,
    )


def get_data_adapter(x: Any, y: Any = None, sample_weight: Any = None,
                     batch_size: int | None = None, steps_per_epoch: int | None = None,
                     shuffle: bool | str = False,
                     class_weight: Mapping[Any, float] | None = None) -> DataAdapter:
    """The adapter for ``x`` (with ``y``/``sample_weight`` for arrays).

    ``batch_size`` and ``steps_per_epoch`` only matter for arrays; datasets, generators and
    PyDatasets come already batched and silently ignore ``batch_size``, as upstream does.
    An adapter instance passed as ``x`` is returned as is.
    """
    if isinstance(x, DataAdapter):
        return x
    if all_array_like((x, y, sample_weight)):
        return ArrayDataAdapter(x, y, sample_weight=sample_weight, batch_size=batch_size,
                                steps=steps_per_epoch, shuffle=shuffle,
                                class_weight=class_weight)
    if is_tf_dataset(x):
        _reject_separate("tf.data.Dataset", y, sample_weight)
        if shuffle:
            _warn_shuffle_ignored("a tf.data.Dataset", "The Dataset is expected to already "
                                  "be shuffled (via `.shuffle(buffer_size)`).")
        return TFDatasetAdapter(x, class_weight=class_weight)
    if isinstance(x, PyDataset):
        _reject_separate("PyDataset", y, sample_weight)
        if shuffle and getattr(x, "num_batches", None) is None:
            _warn_shuffle_ignored("an infinite PyDataset",
                                  "The PyDataset is expected to already be shuffled.")
        return PyDatasetAdapter(x, class_weight=class_weight, shuffle=shuffle)
    if isinstance(x, types.GeneratorType):
        _reject_separate("generator", y, sample_weight)
        if class_weight is not None:
            raise ValueError(
                "Argument `class_weight` is not supported for Python generator inputs. "
                f"Received: class_weight={class_weight}. Yield `(x, y, sample_weight)` "
                "batches instead."
            )
        if shuffle:
            _warn_shuffle_ignored("a generator",
                                  "The generator is expected to yield already-shuffled data.")
        return GeneratorDataAdapter(x)
    raise ValueError(
        f"Unrecognized data type: x={x} (of type {type(x)}). Pass NumPy arrays or tensors "
        "(or nests of them), a tf.data.Dataset, a PyDataset or a Python generator."
    )
