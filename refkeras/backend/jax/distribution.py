"""The distribution hooks of the JAX backend (``refkeras.backend.distribution``).

With a ``refkeras.distribution`` Distribution current (``scopes.DISTRIBUTION``),
variables are placed with the layout it gives them (replicated, for
``DataParallel``) when they are created and when a compiled step starts, and
each batch is split along its first axis over the mesh's batch axis. The
jitted step then runs over the whole mesh: XLA inserts the cross-device sums
(of gradients, of metric totals) itself, so no step code changes.

Layouts are duck-typed: anything with ``axes`` and a ``device_mesh`` having
``shape``, ``axis_names`` and ``devices``.
"""

from __future__ import annotations

import contextlib
from typing import Any

import jax
import numpy as np

from refkeras import tree
from refkeras.backend import scopes


def list_devices(device_type: str | None = None) -> list[str]:
    """Devices as ``"platform:id"`` strings (JAX's default platform when no type is given)."""
    return [f"{d.platform}:{d.id}" for d in jax.devices(device_type.lower() if device_type
                                                        else None)]


def get_device_count(device_type: str | None = None) -> int:
    """How many devices :func:`list_devices` lists."""
    return jax.device_count(device_type.lower() if device_type else None)


def _device(name: Any) -> Any:
    if isinstance(name, jax.Device):
        return name
    platform, _, index = str(name).partition(":")
    for device in jax.devices(platform):
        if device.id == int(index or 0):
            return device
    raise ValueError(f"Device not found: {name}")


def to_backend_mesh(device_mesh: Any) -> jax.sharding.Mesh:
    """The ``jax.sharding.Mesh`` of a ``DeviceMesh``."""
    devices = np.array([_device(d) for d in np.ravel(device_mesh.devices)])
    return jax.sharding.Mesh(devices.reshape(np.shape(device_mesh.devices)),
                             tuple(device_mesh.axis_names))


def to_backend_layout(tensor_layout: Any) -> jax.sharding.NamedSharding:
    """The ``NamedSharding`` of a ``TensorLayout`` (which needs a mesh)."""
    if tensor_layout.device_mesh is None:
        raise ValueError(
            "Cannot create sharding when device mesh is not set for TensorLayout. Give the "
            f"layout a `device_mesh`. Received: {tensor_layout}"
        )
    return jax.sharding.NamedSharding(tensor_layout.device_mesh.backend_mesh,
                                      jax.sharding.PartitionSpec(*tensor_layout.axes))


def _sharding(layout: Any) -> Any:
    if isinstance(layout, jax.sharding.Sharding):
        return layout
    return layout.backend_layout


def distribute_tensor(tensor: Any, layout: Any) -> Any:
    """``tensor`` laid out as ``layout`` (a sharding constraint while tracing)."""
    sharding = _sharding(layout)
    if isinstance(tensor, jax.core.Tracer):
        return jax.lax.with_sharding_constraint(tensor, sharding)
    if isinstance(tensor, jax.Array) and tensor.sharding.is_equivalent_to(sharding,
                                                                           tensor.ndim):
        return tensor
    return jax.device_put(tensor, sharding)


# --- hooks used by Variable and the training steps --------------------------------------
def current() -> Any:
    """The current Distribution, or None."""
    return scopes.DISTRIBUTION.get()


def place_variable(variable: Any, value: Any) -> Any:
    """A new variable's value, laid out by the current distribution (if any)."""
    distribution = current()
    if distribution is None or isinstance(value, jax.core.Tracer):
        return value
    layout = distribution.get_variable_layout(variable)
    variable._layout = layout
    return distribute_tensor(value, layout)


def state_shardings(groups: list) -> Any:
    """One sharding per variable of each group, or None without a distribution."""
    distribution = current()
    if distribution is None:
        return None
    return tuple([_sharding(distribution.get_variable_layout(v)) for v in group]
                 for group in groups)


def place_state(shardings: Any, state: tuple) -> tuple:
    """The step state laid out as ``shardings`` (unchanged when None)."""
    if shardings is None:
        return state
    return tuple([distribute_tensor(value, sharding) for value, sharding in zip(values, group)]
                 for values, group in zip(state, shardings))


def place_batches(batches: list) -> list:
    """Each batch split along its first axis as the current distribution lays data out."""
    distribution = current()
    if distribution is None:
        return batches

    def place(leaf: Any) -> Any:
        if leaf is None:
            return None
        sharding = _sharding(distribution.get_data_layout(np.shape(leaf)))
        if isinstance(leaf, jax.Array):
            return distribute_tensor(leaf, sharding)
        return jax.make_array_from_process_local_data(sharding, np.asarray(leaf))

    return [tree.map_structure(place, batch) for batch in batches]


# TensorFlow's replica hooks have nothing to do on JAX: XLA partitions the whole step.
def model_scope(model: Any) -> Any:
    return contextlib.nullcontext()


def scale_loss(loss: Any) -> Any:
    return loss


def unscale_loss(loss: Any) -> Any:
    return loss


def in_replica_context() -> bool:
    return False


def apply_across_replicas(apply: Any, grads: list, variables: list) -> None:
    apply(grads, variables)
