"""Turning a step's logs into the plain Python values callbacks receive."""

from __future__ import annotations

from typing import Any

from refkeras import backend


def python_logs(logs: dict[str, Any] | None) -> dict[str, Any]:
    """A new dict of ``logs`` in sorted-key order, nested dicts merged in, values as floats.

    Backend tensors are fetched to the host first. A value ``float`` cannot take (a string, a
    multi-element array) is passed through unchanged.
    """
    result: dict[str, Any] = {}
    for key, value in sorted((logs or {}).items()):
        if isinstance(value, dict):
            result.update(python_logs(value))
            continue
        try:
            if backend.is_tensor(value):
                value = backend.convert_to_numpy(value)
            value = float(value)
        except Exception:  # noqa: BLE001 - any value that will not convert is kept as given
            pass
        result[key] = value
    return result
