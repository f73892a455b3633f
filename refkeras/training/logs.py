"""Logs as callbacks and users receive them: Python floats under sorted keys."""

from __future__ import annotations

from typing import Any

from refkeras import backend


def pythonify_logs(logs: Any) -> dict:
    """``logs`` flattened (nested dicts merged in) with scalar values as floats.

    Keys come out sorted, as upstream's logs do; values that are not scalars
    are kept as they are.
    """
    result: dict = {}
    for key, value in sorted((logs or {}).items()):
        if isinstance(value, dict):
            result.update(pythonify_logs(value))
            continue
        try:
            if backend.is_tensor(value):
                value = backend.convert_to_numpy(value)
            value = float(value)
        except Exception:  # noqa: BLE001 - a log that is not a scalar stays as it is
            pass
        result[key] = value
    return result
