"""The devices a distribution can use, as ``"type:index"`` strings."""

from __future__ import annotations

from refkeras import backend


def list_devices(device_type: str | None = None) -> list[str]:
    """The devices of one type, as strings such as ``"gpu:0"`` or ``"cpu:1"``.

    Args:
        device_type: ``"cpu"``, ``"gpu"`` or ``"tpu"``; by default the
            accelerators when there are any, else the CPUs (never a mix).
    """
    return backend.distribution.list_devices(device_type)


def get_device_count(device_type: str | None = None) -> int:
    """How many devices :func:`list_devices` would list for ``device_type``."""
    return backend.distribution.get_device_count(device_type)
