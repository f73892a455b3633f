"""``DeviceMesh``: devices arranged in a named grid."""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from refkeras import backend
from refkeras.distribution.devices import list_devices


class DeviceMesh:
    """Devices arranged in an n-dimensional grid whose axes have names.

    Layouts refer to the axes by name: a data-parallel mesh is one axis
    (conventionally ``"batch"``) over which batches are split.

    Args:
        shape: the grid's shape, e.g. ``(8,)`` or ``(4, 2)``.
        axis_names: one name per axis of ``shape``.
        devices: the devices (strings like ``"gpu:0"`` or backend devices);
            all of :func:`list_devices` by default. Their count must equal
            the product of ``shape``.

    >>> mesh = DeviceMesh((2,), ["batch"], devices=["cpu:0", "cpu:1"])  # doctest: +SKIP
    """

    def __init__(self, shape: Any, axis_names: Any, devices: Any = None):
        if not shape or not axis_names:
            raise ValueError(
                "Shape and axis_names cannot be empty. Give at least one axis. "
                f"Received: shape={shape}, axis_names={axis_names}"
            )
        if len(shape) != len(axis_names):
            raise ValueError(
                "Shape and axis_names should have same size: one name per axis. "
                f"Received: shape={shape}, axis_names={axis_names}"
            )
        devices = np.array(list_devices() if devices is None else devices)
        if math.prod(shape) != devices.size:
            raise ValueError(
                "Shape does not match the number of devices: the product of `shape` must be "
                f"the device count. Received: shape={shape}; devices.shape={devices.shape}"
            )
        self._shape = shape
        self._axis_names = axis_names
        self._devices = devices.reshape(shape)

    @property
    def shape(self) -> Any:
        return self._shape

    @property
    def axis_names(self) -> Any:
        return self._axis_names

    @property
    def devices(self) -> np.ndarray:
        """The devices, as an array of the mesh's shape."""
        return self._devices

    @functools.cached_property
    def backend_mesh(self) -> Any:
        """The backend's own mesh (``jax.sharding.Mesh`` on JAX), made once."""
        return backend.distribution.to_backend_mesh(self)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} shape={self.shape}, axis_names={self.axis_names}>"
