"""``Model.export``: an inference artifact for serving outside refkeras.

Only ``format="tf_saved_model"`` is supported: a TensorFlow SavedModel whose
endpoint ``serve`` (also the ``serving_default`` signature) maps inputs to the
model's outputs in inference mode (``training=False``). Reload it with
``tf.saved_model.load(path).serve(x)``. This module finds the input
signature and writes the serving function; the backend's ``export`` module
(``refkeras/backend/<name>/export.py``) turns it into a SavedModel (directly
on TensorFlow, through ``jax2tf`` on JAX).
"""

from __future__ import annotations

import os
from typing import Any

from refkeras import backend, tree
from refkeras.graph.keras_tensor import KerasTensor
from refkeras.layers.input_spec import InputSpec

# The formats upstream Keras knows; refkeras writes the first only.
FORMATS = ("tf_saved_model", "onnx", "openvino", "litert", "torch")


def export_model(model: Any, filepath: Any, format: str = "tf_saved_model",
                 verbose: bool | None = None, input_signature: Any = None,
                 **kwargs: Any) -> None:
    """Writes ``model`` for inference; see the module docstring.

    Args:
        model: a built model (subclassed models must have been called once).
        filepath: the directory to create.
        format: ``"tf_saved_model"``.
        verbose: print the endpoint's signature when done (default True).
        input_signature: a list with one entry per positional input, each a
            structure of ``InputSpec``s, ``KerasTensor``s or tensors; by default
            the model's inputs with an unknown batch size.
    """
    _check_format(format)
    if kwargs:
        raise ValueError(
            f"Unsupported keyword arguments for `export()`: {sorted(kwargs)}. refkeras "
            "accepts `filepath`, `format`, `verbose` and `input_signature` only."
        )
    if input_signature is None:
        input_signature = default_input_signature(model)
    else:
        input_signature = [tree.map_structure(to_input_spec, arg) for arg in input_signature]
    path = os.fspath(filepath)
    writer = backend.export_writer()
    state = list(model.trainable_variables) + list(model.non_trainable_variables)

    def serve(values: list, *inputs: Any) -> Any:
        # ``model(...)`` rather than ``stateless_call``: ``__call__`` resolves
        # ``training`` (inference by default) and casts inputs as a plain call does.
        with backend.StatelessScope(state_mapping=list(zip(state, values))):
            return model(*inputs)

    endpoint = writer.write_saved_model(path, serve, state, input_signature)
    if verbose is None or verbose:
        lines = endpoint.pretty_printed_signature(verbose=True).split("\n")
        print(f"Saved artifact at '{path}'. The following endpoints are available:\n\n"
              + "\n".join([f"* Endpoint '{writer.SERVE_ENDPOINT}'"] + lines[1:]))


def _check_format(format: str) -> None:
    if format not in FORMATS:
        raise ValueError(f"Unrecognized format={format}. Supported formats are: "
                         f"{list(FORMATS)}.")
    if format == "litert" and not backend.export_writer().SUPPORTS_LITERT:
        raise ValueError("LiteRT export requires TensorFlow or PyTorch backend.")
    if format == "torch":
        raise ValueError("Torch export requires PyTorch backend.")
    if format != "tf_saved_model":
        raise NotImplementedError(
            f"refkeras does not export format='{format}'. Use format='tf_saved_model' "
            "(a TensorFlow SavedModel), which other converters can read."
        )


def default_input_signature(model: Any) -> list:
    """One structure of specs per positional argument of the serving function: the
    model's inputs (Functional, Sequential) or the shapes it was first built with."""
    if not model.built:
        raise ValueError("The model provided has not yet been built. It must be built "
                         "before export.")
    structure = getattr(model, "_inputs_struct", None)
    if structure is not None:  # Functional: one argument, the whole input structure
        return [tree.map_structure(to_input_spec, structure)]
    inputs = _model_inputs(model)
    if inputs is not None:
        return [to_input_spec(x) for x in inputs]
    shapes = getattr(model, "_build_shapes_dict", None)
    if not shapes:
        raise ValueError("The model provided has never called. It must be called at least "
                         "once before export.")
    if not all(_is_shape(shape) for shape in shapes.values()):
        raise ValueError(
            f"Cannot infer the input signature of {type(model).__name__} from the shapes it "
            f"was built with ({shapes}). Pass `input_signature` to `export()`."
        )
    return [InputSpec(dtype=model.input_dtype, shape=(None,) + tuple(shape[1:]))
            for shape in shapes.values()]


def _model_inputs(model: Any) -> list | None:
    try:
        inputs = model.inputs
    except (AttributeError, ValueError):
        return None
    return list(inputs) if inputs else None


def _is_shape(value: Any) -> bool:
    return isinstance(value, (tuple, list)) and all(d is None or isinstance(d, int)
                                                   for d in value)


def to_input_spec(x: Any) -> InputSpec:
    """An ``InputSpec`` with an unknown batch size for a KerasTensor or tensor; an
    ``InputSpec`` given is kept (it must have a shape and a dtype)."""
    if isinstance(x, InputSpec):
        if x.shape is None or x.dtype is None:
            raise ValueError(f"The `shape` and `dtype` must be provided. Received: x={x}")
        return x
    if isinstance(x, KerasTensor) or backend.is_tensor(x):
        shape = (None,) + tuple(backend.standardize_shape(x.shape)[1:])
        return InputSpec(dtype=backend.standardize_dtype(x.dtype), shape=shape,
                         name=getattr(x, "name", None) if isinstance(x, KerasTensor) else None)
    raise TypeError(
        f"Unsupported x={x} of the type ({type(x)}). Supported types are: "
        "`keras.InputSpec`, `keras.KerasTensor` and backend tensor."
    )
