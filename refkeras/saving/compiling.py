"""Restoring a loaded model's training configuration (``compile_config``).

A compiled model's ``config.json`` carries ``compile_config`` (what
``get_compile_config()`` returned, written by the serializer). On
``load_model(compile=True)`` the model is compiled again from it, and its
optimizer is built on the model's trainable variables *before* the weights
file is read, so the saved optimizer state has variables to go into.
"""

from __future__ import annotations

import warnings
from typing import Any

from refkeras.serialization import CustomObjectScope, SafeModeScope


def split_compile_config(config: dict, compile: bool) -> dict | None:
    """Removes ``compile_config`` from the root of ``config``; returns it, or None
    when there is none or ``compile`` is False.

    The loader compiles the model itself (see :func:`compile_from_file`) rather
    than leaving it to the deserializer, so that a model class without
    ``compile_from_config`` loads, uncompiled, with a warning.
    """
    compile_config = config.pop("compile_config", None)
    return compile_config if compile and compile_config else None


def compile_from_file(model: Any, compile_config: dict, custom_objects: dict | None,
                      safe_mode: bool) -> None:
    """Compiles ``model`` from its saved ``compile_config`` and builds its optimizer.

    Errors raised by ``compile_from_config`` (an unknown loss, say) propagate,
    as upstream's do; only a model that cannot be compiled at all warns.
    """
    if not hasattr(model, "compile_from_config"):
        warnings.warn(
            f"The file holds a training configuration (`compile_config`), but "
            f"{type(model).__name__} has no `compile_from_config()` method, so the model was "
            "loaded uncompiled and its optimizer state was not restored. Call "
            "`model.compile(...)` yourself, or pass `compile=False` to `load_model` to "
            "silence this warning.",
            stacklevel=3,
        )
        return
    # Custom losses and metrics in the config resolve like the model's own objects.
    with CustomObjectScope(custom_objects), SafeModeScope(safe_mode):
        model.compile_from_config(compile_config)
    model.compiled = True
    build_optimizer(model)


def build_optimizer(model: Any) -> None:
    """Creates the optimizer's variables for a built model, when not done yet.

    Loading assigns saved optimizer state to existing variables only (an
    unbuilt optimizer has just ``iteration`` and ``learning_rate``, and would
    skip the state with a warning), so a loaded, compiled model's optimizer
    is built first, as upstream's ``compile_from_config`` does.
    """
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not hasattr(optimizer, "build"):
        return
    if getattr(model, "built", False) and not getattr(optimizer, "built", True):
        optimizer.build(model.trainable_variables)
