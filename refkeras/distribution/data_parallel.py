"""``DataParallel``: every device holds all the variables and reads a slice of each batch."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from refkeras.distribution.device_mesh import DeviceMesh
from refkeras.distribution.devices import list_devices
from refkeras.distribution.distribution_base import Distribution
from refkeras.distribution.tensor_layout import TensorLayout

DEFAULT_BATCH_DIM_NAME = "batch"


class DataParallel(Distribution):
    """Data parallelism: variables replicated, batches split along their first axis.

    Give either a mesh or a list of devices; with neither, every device of
    :func:`list_devices` is used. A mesh with several axes splits batches
    over its first one (with a warning).

    Args:
        device_mesh: a ``DeviceMesh``.
        devices: devices for a one-axis mesh named ``"batch"``.
        auto_shard_dataset: see ``Distribution``.

    >>> set_distribution(DataParallel())  # doctest: +SKIP
    >>> model.fit(x, y, batch_size=64)  # each of n devices reads 64 / n rows  # doctest: +SKIP
    """

    def __init__(self, device_mesh: Any = None, devices: Any = None,
                 auto_shard_dataset: bool = True):
        if device_mesh:
            if not isinstance(device_mesh, DeviceMesh):
                raise ValueError(
                    "Expect `mesh` to be an instance of `DeviceMesh`. "
                    f"Received: mesh={device_mesh} (of type {type(device_mesh)})"
                )
            super().__init__(device_mesh, device_mesh.axis_names[0], auto_shard_dataset)
            if device_mesh.devices.ndim != 1:
                warnings.warn(
                    "Expect the input mesh to be 1D, but received mesh.devices.ndim="
                    f"{device_mesh.devices.ndim}. The first axis will be used for "
                    "data-parallel sharding.", stacklevel=2)
            return
        devices = np.array(devices if devices else list_devices())
        mesh = DeviceMesh(shape=devices.shape, axis_names=[DEFAULT_BATCH_DIM_NAME],
                          devices=devices)
        super().__init__(mesh, DEFAULT_BATCH_DIM_NAME, auto_shard_dataset)

    @property
    def num_model_replicas(self) -> int:
        return self.device_mesh.devices.size

    def get_data_layout(self, data_shape: Any) -> TensorLayout:
        """Rows split over the batch axis, other axes whole."""
        axes = [None] * len(data_shape)
        axes[0] = self.batch_dim_name
        return TensorLayout(axes, self.device_mesh)

    def get_variable_layout(self, variable: Any) -> TensorLayout:
        """The variable's own layout if it has one, else replicated."""
        layout = getattr(variable, "_layout", None)
        if layout is not None:
            return layout
        return TensorLayout([None] * len(variable.shape), self.device_mesh)

    def get_tensor_layout(self, path: str) -> None:
        """None: data parallelism leaves intermediate tensors as they are."""
        return None
