"""The distribution hooks of the TensorFlow backend (``refkeras.backend.distribution``).

Data parallelism on TensorFlow is ``tf.distribute`` (see ``distribute.py``,
whose hooks are re-exported here). The ``refkeras.distribution`` API lists
TensorFlow's devices, but its meshes and layouts have no TensorFlow form:
turning them into one raises ``NotImplementedError``.
"""

from __future__ import annotations

from typing import Any

import tensorflow as tf

from refkeras.backend.tensorflow.distribute import (  # noqa: F401  (re-exported hooks)
    apply_across_replicas,
    in_replica_context,
    model_scope,
    scale_loss,
    unscale_loss,
)


def _logical_devices(device_type: str | None) -> list:
    devices = tf.config.list_logical_devices(device_type.upper() if device_type else None)
    if device_type is None:
        accelerators = [d for d in devices if d.device_type != "CPU"]
        devices = accelerators or [d for d in devices if d.device_type == "CPU"]
    return devices


def list_devices(device_type: str | None = None) -> list[str]:
    """Devices as ``"type:index"`` strings (accelerators when there are any, else CPUs)."""
    return [f"{d.device_type.lower()}:{d.name.split(':')[-1]}"
            for d in _logical_devices(device_type)]


def get_device_count(device_type: str | None = None) -> int:
    """How many devices :func:`list_devices` lists."""
    return len(_logical_devices(device_type))


def _unsupported(what: str) -> NotImplementedError:
    return NotImplementedError(
        f"{what} is not supported on the TensorFlow backend. To train data-parallel on "
        "TensorFlow, create and compile the model under a `tf.distribute` strategy's "
        "`scope()`, or use the JAX backend for `refkeras.distribution`."
    )


def to_backend_mesh(device_mesh: Any) -> Any:
    raise _unsupported("Converting a `DeviceMesh` to a backend mesh")


def to_backend_layout(tensor_layout: Any) -> Any:
    raise _unsupported("Converting a `TensorLayout` to a backend layout")


def distribute_tensor(tensor: Any, layout: Any) -> Any:
    raise _unsupported("`distribute_tensor`")
