"""``TensorLayout``: how a tensor's axes map onto a ``DeviceMesh``'s axes."""

from __future__ import annotations

import functools
from typing import Any

from refkeras import backend


class TensorLayout:
    """For each axis of a tensor, the mesh axis it is split over (None: not split).

    Args:
        axes: one entry per tensor axis: a mesh axis name or None.
        device_mesh: the mesh; may be given later, once.

    >>> TensorLayout(["batch", None], mesh)  # doctest: +SKIP  (rows split over "batch")
    """

    def __init__(self, axes: Any, device_mesh: Any = None):
        self._axes = tuple(axes)
        self._device_mesh = device_mesh
        self._check_axes()

    @property
    def axes(self) -> tuple:
        return self._axes

    @property
    def device_mesh(self) -> Any:
        return self._device_mesh

    @device_mesh.setter
    def device_mesh(self, device_mesh: Any) -> None:
        if self._device_mesh is not None:
            raise ValueError(
                "Cannot override device mesh value: a layout's mesh is set once. Existing "
                f"value is {self._device_mesh}"
            )
        self._device_mesh = device_mesh
        self._check_axes()

    @functools.cached_property
    def backend_layout(self) -> Any:
        """The backend's own layout (``jax.sharding.NamedSharding`` on JAX), made once."""
        return backend.distribution.to_backend_layout(self)

    def _check_axes(self) -> None:
        if self._device_mesh is None:
            return
        valid = set(self._device_mesh.axis_names)
        unknown = set(self._axes) - {None} - valid
        if unknown:
            raise ValueError(
                f"Invalid axis names for Layout. Valid axis names: {valid}, Got "
                f"{set(self._axes) - {None}}"
            )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} axes={self.axes}, device_mesh={self.device_mesh}>"
