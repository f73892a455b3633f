"""Process-wide backend settings: which backend, the default float type, epsilon.

The backend is chosen once, at import, from ``KERAS_BACKEND`` (the variable
upstream Keras reads), defaulting to ``"tensorflow"`` as upstream does.
"""

from __future__ import annotations

import os

BACKENDS = ("tensorflow", "jax")
DEFAULT_BACKEND = "tensorflow"
FLOAT_DTYPES = ("float16", "float32", "float64", "bfloat16")


def check_backend_name(name: str) -> str:
    """Returns ``name`` normalised, or raises ``ValueError`` naming the valid ones."""
    normalised = str(name).strip().lower()
    if normalised not in BACKENDS:
        raise ValueError(
            f"Unknown backend: KERAS_BACKEND={name!r}. refkeras supports {list(BACKENDS)}. "
            "Set the KERAS_BACKEND environment variable to one of them before importing refkeras."
        )
    return normalised


_BACKEND = check_backend_name(os.environ.get("KERAS_BACKEND") or DEFAULT_BACKEND)
_FLOATX = "float32"
_EPSILON = 1e-7


def backend() -> str:
    """Name of the active backend: ``"tensorflow"`` or ``"jax"``."""
    return _BACKEND


def floatx() -> str:
    """Default float dtype, as a string (``"float32"`` unless changed)."""
    return _FLOATX


def set_floatx(value: str) -> None:
    """Sets the default float dtype; one of float16, float32, float64, bfloat16."""
    global _FLOATX
    if value not in FLOAT_DTYPES:
        raise ValueError(
            f"Unknown `floatx` value: {value}. Expected one of {set(FLOAT_DTYPES)}"
        )
    _FLOATX = str(value)


def epsilon() -> float:
    """Fuzz factor used to avoid division by zero (default 1e-7)."""
    return _EPSILON


def set_epsilon(value: float) -> None:
    """Sets the fuzz factor returned by :func:`epsilon`."""
    global _EPSILON
    _EPSILON = float(value)


def image_data_format() -> str:
    """Always ``"channels_last"``: refkeras does not implement conv layers yet."""
    return "channels_last"


# A debugging cap on ``fit``'s epochs: ``set_max_epochs`` or the ``KERAS_MAX_EPOCHS``
# environment variable (read at import, as upstream).
_MAX_EPOCHS: list = [int(os.environ["KERAS_MAX_EPOCHS"]) if "KERAS_MAX_EPOCHS" in os.environ
                     else None]


def max_epochs() -> int | None:
    """The cap on ``fit``'s epochs, or None."""
    return _MAX_EPOCHS[0]


def set_max_epochs(max_epochs: int | None) -> None:
    """Caps the number of epochs any ``fit`` runs (None removes the cap)."""
    _MAX_EPOCHS[0] = max_epochs
