"""Writing a TensorFlow SavedModel: the TensorFlow side of ``Model.export``.

The model's variables already are ``tf.Variable``s, so the serving function
is traced by ``tf.function`` directly and reads them as captures; a
``tf.Module`` holds them so that the SavedModel stores them (as variables,
not constants) and the loaded ``serve`` reads the saved values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import tensorflow as tf

from refkeras.tree import map_structure

SERVE_ENDPOINT = "serve"
# Whether upstream offers LiteRT export on this backend (it does on TensorFlow only).
SUPPORTS_LITERT = True
DEFAULT_SIGNATURE = "serving_default"  # the name TF-Serving looks up


def tensor_specs(input_signature: Sequence[Any]) -> list:
    """``tf.TensorSpec``s for a list (one entry per positional argument) of structures
    of specs with ``shape``, ``dtype`` and ``name``."""
    return [map_structure(
        lambda s: tf.TensorSpec(s.shape, s.dtype, name=getattr(s, "name", None)), arg)
        for arg in input_signature]


def write_saved_model(path: str, serve: Callable, variables: Sequence[Any],
                      input_signature: Sequence[Any]) -> tf.types.experimental.ConcreteFunction:
    """Saves ``serve(values, *inputs)`` as the endpoint ``serve`` of a SavedModel.

    Args:
        path: the SavedModel directory to write.
        serve: computes the outputs from the variables' values (one per entry of
            ``variables``, in order) and the inputs; free of side effects.
        variables: the refkeras variables ``serve`` reads.
        input_signature: one structure of specs per positional input.

    Returns the traced endpoint (its signature is what ``verbose`` prints).
    """
    native = [v._value for v in variables]  # the tf.Variable each one wraps
    module = tf.Module()
    module.exported_variables = native  # tracked: saved as variables, restored on load

    def endpoint(*args: Any) -> Any:
        return serve(native, *args)

    module.serve = tf.function(endpoint, input_signature=tensor_specs(input_signature),
                               autograph=False)
    concrete = module.serve.get_concrete_function()
    tf.saved_model.save(module, path, signatures={SERVE_ENDPOINT: concrete,
                                                  DEFAULT_SIGNATURE: concrete})
    return concrete
