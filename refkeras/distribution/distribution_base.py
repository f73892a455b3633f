"""``Distribution``: the base class saying where variables and data live."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from refkeras.backend import scopes


class Distribution:
    """Lays out a model's variables and input data over a ``DeviceMesh``.

    Subclasses say where a variable goes (``get_variable_layout``), how a
    batch is split (``get_data_layout``) and how intermediate tensors are
    laid out (``get_tensor_layout``).

    Args:
        device_mesh: the ``DeviceMesh``.
        batch_dim_name: the mesh axis the batch axis of the data is split over.
        auto_shard_dataset: in a multi-process setting, whether each process
            reads only its share of a dataset.
    """

    def __init__(self, device_mesh: Any, batch_dim_name: str | None = None,
                 auto_shard_dataset: bool = True):
        self._device_mesh = device_mesh
        self._batch_dim_name = batch_dim_name
        self._auto_shard_dataset = auto_shard_dataset

    @property
    def device_mesh(self) -> Any:
        return self._device_mesh

    @property
    def batch_dim_name(self) -> str | None:
        return self._batch_dim_name

    @property
    def auto_shard_dataset(self) -> bool:
        return self._auto_shard_dataset

    @auto_shard_dataset.setter
    def auto_shard_dataset(self, value: bool) -> None:
        self._auto_shard_dataset = value

    @property
    def num_model_replicas(self) -> int:
        raise NotImplementedError

    def get_data_layout(self, data_shape: Any) -> Any:
        """The ``TensorLayout`` of an input array of shape ``data_shape``."""
        raise NotImplementedError

    def get_variable_layout(self, variable: Any) -> Any:
        """The ``TensorLayout`` of ``variable``."""
        raise NotImplementedError

    def get_tensor_layout(self, path: str) -> Any:
        """The ``TensorLayout`` of the intermediate tensor at ``path``, or None."""
        raise NotImplementedError

    def distribute_dataset(self, dataset: Any) -> Any:
        """The share of ``dataset`` this process reads: all of it in a single process."""
        return dataset

    @contextlib.contextmanager
    def scope(self) -> Iterator[None]:
        """Makes this distribution current within the ``with`` block, then restores
        the previous one."""
        token = scopes.DISTRIBUTION.set(self)
        try:
            yield
        finally:
            scopes.DISTRIBUTION.reset(token)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} device_mesh={self.device_mesh}>"
