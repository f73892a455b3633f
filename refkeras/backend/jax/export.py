"""Writing a TensorFlow SavedModel from JAX: the JAX side of ``Model.export``.

The serving function (pure in the variables' values) is converted to
TensorFlow with ``jax2tf`` (StableHLO embedded in the graph, batch and other
unknown dimensions kept symbolic), then bound to ``tf.Variable`` copies of the
variables, which the SavedModel stores. TensorFlow is needed for this only,
so it is imported when an export is asked for, not with the backend.
"""

from __future__ import annotations

import importlib
import itertools
import string
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from refkeras.tree import map_structure

SERVE_ENDPOINT = "serve"
# Whether upstream offers LiteRT export on this backend (it does on TensorFlow only).
SUPPORTS_LITERT = False
DEFAULT_SIGNATURE = "serving_default"


def _tensorflow() -> Any:
    try:
        return importlib.import_module("tensorflow")
    except ImportError as e:
        raise ImportError(
            "Exporting a model with `format='tf_saved_model'` on the JAX backend requires "
            "the tensorflow module. You can install it via `pip install tensorflow`."
        ) from e


def _dimension_names() -> Iterator[str]:
    """``a``, ..., ``z``, ``aa``, ``ab``, ...: names for unknown non-batch dimensions."""
    letters = string.ascii_lowercase
    return itertools.chain(letters, ("".join(p) for p in itertools.product(letters, repeat=2)))


def polymorphic_shapes(input_signature: Sequence[Any]) -> list:
    """jax2tf shape strings (``"(batch, 3)"``) for each input spec: the first unknown
    dimension of each input is the shared ``batch``, others get their own name."""
    names = _dimension_names()

    def shape_string(spec: Any) -> str:
        dims = [str(d) if d is not None else ("batch" if i == 0 else next(names))
                for i, d in enumerate(spec.shape)]
        return f"({', '.join(dims)})"

    return [map_structure(shape_string, arg) for arg in input_signature]


def write_saved_model(path: str, serve: Callable, variables: Sequence[Any],
                      input_signature: Sequence[Any]) -> Any:
    """Saves ``serve(values, *inputs)`` as the endpoint ``serve`` of a SavedModel
    (arguments as in the TensorFlow backend's ``write_saved_model``)."""
    tf = _tensorflow()
    jax2tf = importlib.import_module("jax.experimental.jax2tf")
    native = [tf.Variable(v.numpy(), trainable=v.trainable, name=v.name) for v in variables]
    value_shapes = [f"({', '.join(str(d) for d in v.shape)})" for v in variables]
    # Native serialization (StableHLO) is jax2tf's only mode now, so it is not asked for.
    converted = jax2tf.convert(serve, polymorphic_shapes=[value_shapes]
                               + polymorphic_shapes(input_signature), with_gradient=False)
    specs = [map_structure(lambda s: tf.TensorSpec(s.shape, s.dtype,
                                                   name=getattr(s, "name", None)), arg)
             for arg in input_signature]
    module = tf.Module()
    module.exported_variables = native

    def endpoint(*args: Any) -> Any:
        return converted(list(native), *args)

    module.serve = tf.function(endpoint, input_signature=specs, autograph=False)
    concrete = module.serve.get_concrete_function()
    tf.saved_model.save(module, path, signatures={SERVE_ENDPOINT: concrete,
                                                  DEFAULT_SIGNATURE: concrete})
    return concrete
